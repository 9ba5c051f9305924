// Pathname expansion as bash does it (dotglob once `shopt -s dotglob` ran; no globstar, nullglob
// or failglob): each `/` segment with glob characters is matched against the directory listing; a
// leading dot only matches a pattern segment that starts with one (unless dotglob); no match leaves
// the word as written.
// A name matches when it matches with or without regard to case: `shopt -s nocaseglob` (spelt in
// ways the guard cannot see: a variable, BASHOPTS in the environment, a nested shell) may be on or
// off, and neither reading alone covers the other (`[^E]nv` names `.env` only with case). Every
// match is a target (a redirection checks them all), so matching more names only blocks more.
import fs from 'node:fs';
import path from 'node:path';
import { Minimatch, type MinimatchOptions } from 'minimatch';
import { GuardError } from '../../types.js';
import { exists, isDirectory as isDir } from '../../paths/walk.js';
import { U, type Run } from './context.js';
import type { Arg } from './types.js';
import type { Scope } from './scope.js';

// Bash semantics: `**` is `*` (no globstar), braces and `!`/`#` were already handled by the shell.
const OPTIONS: MinimatchOptions = { dot: false, nobrace: true, nocomment: true, nonegate: true, noglobstar: true };
const NOCASE: MinimatchOptions = { ...OPTIONS, nocase: true };

/** Escapes quoted text for use inside a pattern (minimatch's escape() leaves backslashes alone). */
export function escapeGlob(s: string): string {
  return s.replace(/[\\*?[\](){}!+@|]/g, '\\$&');
}

// Building a Minimatch costs far more than matching with one, and scripts repeat their patterns
// (a 100 KB script spent 23 ms building them): matchers are kept per pattern, a bounded number.
const MATCHERS = new Map<string, Minimatch>();
const MAX_MATCHERS = 1024;

function matcher(pattern: string, nocase = false, dot = false): Minimatch {
  const key = (nocase ? 'i' : 's') + (dot ? 'd' : 'n') + pattern;
  let mm = MATCHERS.get(key);
  if (!mm) {
    if (MATCHERS.size >= MAX_MATCHERS) MATCHERS.clear();
    const base = nocase ? NOCASE : OPTIONS;
    mm = new Minimatch(pattern, dot ? { ...base, dot: true } : base);
    MATCHERS.set(key, mm);
  }
  return mm;
}

/** True when the pattern has unquoted glob syntax. */
export function hasMagic(pattern: string): boolean {
  return matcher(pattern).hasMagic() || pattern.split('/').some(segMagic);
}

/**
 * True when a `/` segment is a pattern for bash. minimatch calls a bracket expression that can
 * match one character only (`[v]`, `[]]`) a literal (`v`), but bash still lists the directory
 * for it: `.en[v]` names `.env` when it exists, so such a segment is a pattern too.
 */
function segMagic(seg: string): boolean {
  const mm = matcher(seg);
  if (mm.hasMagic()) return true;
  const lit = mm.set.length === 1 && mm.set[0]!.length === 1 ? mm.set[0]![0] : undefined;
  return typeof lit !== 'string' || lit !== unescapeSeg(seg);
}

/**
 * Bash: a leading dot in a name is matched only by a literal dot (not `[.]`, `?` or `*`); minimatch
 * reads `[.]env` as `.env`. An extglob (`@(.env)`, `?(.)env`) may supply that dot inside its
 * parentheses: it is left to minimatch, which matches at least what bash does there.
 */
function dotOk(seg: string, name: string, dotglob: boolean): boolean {
  // With dotglob every name but `.` and `..` may match (the listing holds neither).
  if (dotglob) return name !== '.' && name !== '..';
  return !name.startsWith('.') || seg.startsWith('.') || seg.startsWith('\\.') || /[@?*+!]\(/.test(seg);
}

/**
 * Shell options given as text (`bash -O dotglob`, `BASHOPTS=dotglob:globstar` in a started shell's
 * environment): the ones that widen globs are noted on the run (may-happen, like `shopt -s`).
 */
export function globOptions(names: string, run: Run): void {
  for (const n of names.split(':')) {
    if (n === 'dotglob' || n.includes(U)) run.dotglob = true;
    if (n === 'globstar' || n.includes(U)) run.globstar = true;
  }
}

/**
 * Replaces every argument that is a glob with its matches (or itself when nothing matches).
 * `sc`: the scope the words were expanded in. bash matches dot names once GLOBIGNORE is set to
 * anything but the empty string, as if `shopt -s dotglob` had run (`GLOBIGNORE=x; rm -rf *`
 * reaches `.git`); an inherited GLOBIGNORE is not taken from the environment, only one the
 * command assigns.
 */
export function expandArgs(args: Arg[], cwd: string, run: Run, sc?: Scope): Arg[] {
  if (!args.some((a) => a.pattern !== undefined)) return args;
  const ignore = sc?.assignedValue('GLOBIGNORE');
  if (typeof ignore === 'string' && ignore !== '') run.dotglob = true;
  const out: Arg[] = [];
  for (const a of args) {
    if (a.pattern === undefined) {
      out.push(a);
      continue;
    }
    const matches = expandGlob(a.pattern, cwd, run);
    if (matches.length === 0) out.push({ text: a.text, literal: a.literal });
    else for (const m of matches) out.push({ text: m, literal: a.literal });
  }
  return out;
}

/**
 * Paths matching `pattern`, relative to `cwd` when the pattern is relative, sorted.
 * A cwd holding U cannot be listed: no matches (the caller keeps the word, marked unresolved).
 */
export function expandGlob(pattern: string, cwd: string, run: Run): string[] {
  const absolute = pattern.startsWith('/');
  if (!absolute && cwd.includes(U)) return [];
  const segs = pattern.split('/');
  // Candidates as [shown path, real directory path].
  let cands: [string, string][] = [[absolute ? '/' : '', absolute ? '/' : cwd]];
  const last = segs.length - 1;
  for (let i = absolute ? 1 : 0; i <= last; i++) {
    const seg = segs[i]!;
    if (seg === '') {
      if (i === last) cands = cands.filter(([, real]) => isDir(real)).map(([shown, real]) => [join(shown, ''), real]);
      else cands = cands.map(([shown, real]) => [join(shown, ''), real]);
      continue;
    }
    if (seg === '**' && run.globstar) {
      cands = globstar(cands, i === last, run);
      if (cands.length === 0) return [];
      continue;
    }
    if (!segMagic(seg)) {
      const name = unescapeSeg(seg);
      cands = cands.map(([shown, real]) => [join(shown, name), path.posix.join(real, name)]);
      continue;
    }
    // Collating symbols and equivalence classes (`[[.a.]]`, `[[=a=]]`) depend on the locale and
    // minimatch reads them differently from bash: refused rather than guessed.
    if (/\[\[[.=]/.test(seg)) throw new GuardError('shell glob uses a bracket form that cannot be checked', 'shell');
    const [cs, ci] = segMatchers(seg, run.dotglob);
    const next: [string, string][] = [];
    for (const [shown, real] of cands) {
      run.opts.budget.check('shell analysis');
      for (const name of list(real)) {
        if ((cs(name) || ci(name)) && dotOk(seg, name, run.dotglob)) next.push([join(shown, name), path.posix.join(real, name)]);
      }
    }
    run.globMatches(next.length);
    if (next.length === 0) return [];
    cands = next.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }
  // A literal tail that does not exist means no match (bash checks every component).
  return cands.filter(([, real]) => exists(real)).map(([shown]) => shown);
}

type Test = (name: string) => boolean;

/**
 * Case-sensitive and case-insensitive tests for one segment. Without extglob the segment is read as
 * bash reads it (see bashRegex); minimatch differs on brackets (`[!--!]`: bash matches any one
 * character, minimatch none). Extglobs are left to minimatch.
 */
function segMatchers(seg: string, dotglob = false): [Test, Test] {
  if (!/[@?*+!]\(/.test(seg)) {
    let cs: RegExp, ci: RegExp;
    try {
      cs = new RegExp(bashRegex(seg, false), 'su');
      // nocaseglob as bash does it: the name and the pattern's characters (range ends too, not
      // classes) are lowered; a regex's `i` flag folds ranges differently (`[^1-[]` and `A`).
      ci = new RegExp(bashRegex(seg, true), 'su');
    } catch (e) {
      if (e instanceof GuardError) throw e;
      throw new GuardError('shell glob cannot be checked', 'shell');
    }
    return [(n) => cs.test(n), (n) => ci.test(n.toLowerCase())];
  }
  const cs = matcher(seg, false, dotglob);
  const ci = matcher(seg, true, dotglob);
  return [(n) => cs.match(n), (n) => ci.match(n)];
}

const CLASSES: Record<string, string> = {
  alpha: '\\p{L}\\p{Nl}', digit: '\\p{Nd}', alnum: '\\p{L}\\p{Nl}\\p{Nd}', upper: '\\p{Lu}', lower: '\\p{Ll}',
  space: '\\s', blank: '\\t\\p{Zs}', punct: '\\p{P}\\p{S}', print: '\\p{L}\\p{M}\\p{N}\\p{P}\\p{S}\\p{Zs}', graph: '\\p{L}\\p{M}\\p{N}\\p{P}\\p{S}', cntrl: '\\p{Cc}',
  xdigit: '0-9A-Fa-f', word: '\\p{L}\\p{Nl}\\p{Nd}_',
};

// In `u` mode `\-` is valid only inside a class.
const reEsc = (c: string): string => c.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
const classEsc = (c: string): string => c.replace(/[\\^[\]/-]/g, '\\$&');

/** A bash glob segment (no extglob) as an anchored regular expression source. */
function bashRegex(seg: string, fold: boolean): string {
  const f = (c: string): string => (fold ? c.toLowerCase() : c);
  let out = '^';
  for (let i = 0; i < seg.length; ) {
    const c = seg[i]!;
    if (c === '\\' && i + 1 < seg.length) {
      out += reEsc(f(seg[i + 1]!));
      i += 2;
    } else if (c === '*') {
      out += '.*';
      i++;
    } else if (c === '?') {
      out += '.';
      i++;
    } else if (c === '[') {
      const b = bracket(seg, i, f);
      if (b) {
        out += b.re;
        i = b.end;
      } else {
        out += '\\[';
        i++;
      }
    } else {
      out += reEsc(f(c));
      i++;
    }
  }
  return out + '$';
}

/** A bracket expression at `start`, or undefined when it does not close (then `[` is literal). */
function bracket(seg: string, start: number, f: (c: string) => string): { re: string; end: number } | undefined {
  let i = start + 1;
  const neg = seg[i] === '!' || seg[i] === '^';
  if (neg) i++;
  const items: string[] = [];
  let first = true;
  // Items as code points for ranges, or class sources.
  while (i < seg.length) {
    let c = seg[i]!;
    if (c === ']' && !first) {
      // Bash: an empty set (only reversed ranges) matches nothing; negated, any character.
      const body = items.join('');
      const re = body === '' ? (neg ? '.' : '[^\\s\\S]') : `[${neg ? '^' : ''}${body}]`;
      return { re, end: i + 1 };
    }
    first = false;
    // Collating symbols and equivalence classes (`[.a.]`, `[=a=]`), even unclosed, change how bash
    // reads the rest of the bracket: refused rather than guessed.
    if (c === '[' && (seg[i + 1] === '.' || seg[i + 1] === '=')) throw new GuardError('shell glob uses a bracket form that cannot be checked', 'shell');
    if (c === '[' && seg[i + 1] === ':') {
      const close = seg.indexOf(':]', i + 2);
      if (close >= 0) {
        const cls = CLASSES[seg.slice(i + 2, close)];
        if (cls === undefined) throw new GuardError('shell glob uses a bracket form that cannot be checked', 'shell');
        items.push(cls);
        i = close + 2;
        continue;
      }
    }
    if (c === '\\' && i + 1 < seg.length) c = seg[++i]!;
    c = f(c);
    i++;
    // A range `a-b` unless `-` is last before `]`.
    if (seg[i] === '-' && i + 1 < seg.length && seg[i + 1] !== ']') {
      let d = seg[i + 1]!;
      i += 2;
      if (d === '\\' && i < seg.length) d = seg[i++]!;
      if (d === '[' && seg[i] === ':') throw new GuardError('shell glob uses a bracket form that cannot be checked', 'shell');
      d = f(d);
      if (c.codePointAt(0)! <= d.codePointAt(0)!) items.push(`${classEsc(c)}-${classEsc(d)}`);
      continue;
    }
    items.push(classEsc(c));
  }
  return undefined;
}

/**
 * `shopt -s globstar`: `**` as a whole segment matches every directory beneath (and, last, every
 * file too), not through symbolic links to directories; dot names only with dotglob, as in bash.
 */
function globstar(cands: [string, string][], last: boolean, run: Run): [string, string][] {
  const out: [string, string][] = [];
  const walk = (shown: string, real: string): void => {
    for (const name of list(real).sort()) {
      if (name.startsWith('.') && !run.dotglob) continue;
      const r = path.posix.join(real, name);
      const s = join(shown, name);
      let dir = false;
      try {
        dir = fs.lstatSync(r).isDirectory();
      } catch {
        continue;
      }
      if (dir || last) out.push([s, r]);
      run.globMatches(1);
      if (dir) walk(s, r);
    }
  };
  for (const [shown, real] of cands) {
    if (!last) out.push([shown, real]); // zero directories: `**/x` matches `x`
    walk(shown, real);
  }
  return out;
}

function join(shown: string, name: string): string {
  if (shown === '') return name;
  return shown.endsWith('/') ? shown + name : `${shown}/${name}`;
}

function unescapeSeg(seg: string): string {
  return seg.replace(/\\(.)/g, '$1');
}

function list(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}
