// git pathspecs (`git rm '*.env'`, `git checkout -- :/src`): magic prefixes, and wildcards that
// git matches itself against the whole relative path, where `*` also crosses `/` and a match on a
// directory takes everything beneath it. Wildcards are expanded against the tree as it is now;
// a directory or a tree too large to walk is reported for what it is.
import path from 'node:path';
import { walkBeneath } from '../../paths/walk.js';
import type { Op } from '../../types.js';
import { U, joinPath, trimSlashes, type Run } from './context.js';
import type { Arg } from './types.js';

export interface Spec {
  /** The path part, relative to `base`. */
  text: string;
  literal: string;
  /** Directory the pathspec is relative to: the working directory, or the top of the tree (`:/`). */
  base: string;
  glob: boolean;
  /** `:(icase)`: matched without regard to case. */
  icase?: boolean;
}

/** Characters git treats as wildcards in a pathspec (a backslash escapes, so it makes one too). */
const GLOB = /[*?[\\]/;

/**
 * Pathspecs with their magic read. Exclusions only narrow a match; a command given nothing but
 * exclusions acts on everything, so they count as `.` (over-approximating).
 */
export function readSpecs(args: Arg[], cwd: string, top: string, literalAll: boolean): Spec[] {
  const out: Spec[] = [];
  let excluded = false;
  for (const a of args) {
    let t = a.text;
    let base = cwd;
    let literal = literalAll;
    let icase = false;
    if (t.startsWith(':(')) {
      const close = t.indexOf(')');
      const magic = close < 0 ? [] : t.slice(2, close).split(',').map((m) => m.trim().split(':')[0]);
      t = close < 0 ? '' : t.slice(close + 1);
      if (magic.includes('exclude')) {
        excluded = true;
        continue;
      }
      if (magic.includes('top')) base = top;
      if (magic.includes('literal')) literal = true;
      icase = magic.includes('icase');
    } else if (t.startsWith(':')) {
      let k = 1;
      let exclude = false;
      for (; k < t.length && '/!^'.includes(t[k]!); k++) {
        if (t[k] === '/') base = top;
        else exclude = true;
      }
      if (exclude) {
        excluded = true;
        continue;
      }
      t = t.slice(t[k] === ':' ? k + 1 : k);
    }
    // icase is judged by walking the tree, like a wildcard: `.ENV` names `.env`.
    out.push({ text: t === '' ? '.' : t, literal: a.literal, base, glob: icase || (!literal && GLOB.test(t)), ...(icase ? { icase } : {}) });
  }
  if (out.length === 0 && excluded) out.push({ text: '.', literal: args[0]?.literal ?? '.', base: cwd, glob: false });
  return out;
}

/** git's wildcard match without FNM_PATHNAME: `*` and `?` also match `/`; `**\/` may match nothing. */
export function wildRegex(p: string, icase = false): RegExp {
  let re = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\' && i + 1 < p.length) re += esc(p[++i]!);
    else if (c === '*') {
      while (p[i + 1] === '*') i++;
      if (p[i + 1] === '/') {
        re += '(?:.*/)?';
        i++;
      } else re += '.*';
    } else if (c === '?') re += '[^]';
    else if (c === '[') {
      const end = classEnd(p, i);
      if (end < 0) re += '\\[';
      else {
        let body = p.slice(i + 1, end);
        const neg = body.startsWith('!') || body.startsWith('^');
        if (neg) body = body.slice(1);
        re += `[${neg ? '^' : ''}${body.replace(/\\/g, '\\\\').replace(/\[:(\w+):\]/g, (m, n: string) => POSIX[n] ?? m)}]`;
        i = end;
      }
    } else re += esc(c);
  }
  try {
    return new RegExp(`^${re}(?:/.*)?$`, icase ? 'si' : 's');
  } catch {
    return /^/; // a class JavaScript rejects (`[z-a]`): anything may match
  }
}

const POSIX: Record<string, string> = {
  alpha: 'A-Za-z', digit: '0-9', alnum: 'A-Za-z0-9', upper: 'A-Z', lower: 'a-z', space: ' \\t\\n\\r\\f\\v',
  xdigit: '0-9A-Fa-f', punct: '!-\\/:-@\\[-`{-~', blank: ' \\t', print: ' -~', graph: '!-~', cntrl: '\\x00-\\x1f\\x7f',
};

function classEnd(p: string, i: number): number {
  let k = i + 1;
  if (p[k] === '!' || p[k] === '^') k++;
  if (p[k] === ']') k++;
  for (; k < p.length; k++) {
    if (p[k] === '[' && p[k + 1] === ':') {
      const e = p.indexOf(':]', k + 2);
      if (e > 0) k = e + 1;
    } else if (p[k] === ']') return k;
  }
  return -1;
}

const esc = (c: string): string => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** The leading directories of a wildcard pathspec that hold no wildcard (`src/` of `src/*.ts`). */
export function fixedDir(s: Spec): string {
  if (s.icase) return '';
  return s.text.slice(0, s.text.lastIndexOf('/', s.text.search(GLOB)) + 1);
}

/**
 * Targets of pathspecs: each literal one as written; a wildcard one as every entry it matches now
 * (a matched directory stands for everything beneath it), or, past the walk bound, an unknown file
 * beneath its fixed leading directories.
 */
export function specTargets(specs: Spec[], op: Op, run: Run, emit: (op: Op, a: Arg, base: string, unknown?: boolean) => void): void {
  for (const s of specs) {
    if (!s.glob) {
      emit(op, { text: s.text, literal: s.literal }, s.base);
      continue;
    }
    const fixed = fixedDir(s);
    const dir = joinPath(s.base, fixed || '.');
    const unknown = (): void => emit(op, { text: `${fixed}${U}`, literal: s.literal }, s.base, true);
    if (dir.includes(U)) {
      unknown();
      continue;
    }
    const re = wildRegex(s.text, s.icase);
    const root = trimSlashes(s.base === '/' ? '/' : s.base);
    const rel = (abs: string): string => path.posix.relative(root, abs);
    const left = Math.max(0, run.limits.maxWalk - run.walked);
    let seen = 0;
    let hits = 0;
    const result = walkBeneath(dir, { maxEntries: left, budget: run.opts.budget }, (abs) => {
      seen++;
      if (!re.test(rel(abs))) return false;
      emit(op, { text: abs, literal: s.literal }, s.base);
      return ++hits > run.limits.maxFields ? true : 'skip';
    });
    run.walked += seen;
    if (result !== 'complete') unknown();
  }
}
