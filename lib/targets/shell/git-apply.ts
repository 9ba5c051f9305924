// `git apply` (and `git am`'s cousin `patch`, in patch.ts): the files the patch names, read from
// the patch files or the patch fed on standard input. Names are relative to the top of the tree
// (git ignores the parts of a patch outside the working directory; counting them too only adds).
import type { Op } from '../../types.js';
import { inside, rewrites, split, type GitHandler } from './git-ctx.js';
import { has, parseOpts, values } from './options.js';
import { fileChanges, patchText, strip, type FileChange } from './unified-diff.js';

const APPLY = {
  arg: 'pC', long: ['directory', 'include', 'exclude', 'whitespace', 'build-fake-ancestor'],
  flags: ['stat', 'numstat', 'summary', 'check', 'index', 'intent-to-add', 'cached', 'apply', 'reverse', 'reject',
    'unidiff-zero', 'no-add', 'allow-binary-replacement', 'binary', 'ignore-space-change', 'ignore-whitespace',
    'inaccurate-eof', 'recount', 'unsafe-paths', 'allow-empty', 'verbose', 'quiet', '3way', 'ours', 'theirs', 'union'],
};

/** Targets of one change: reversed (-R), a created file is deleted and a deleted one written. */
export function changeTargets(c: FileChange, reverse: boolean, name: (n: string) => string): [Op, string][] {
  const from = reverse ? c.new : c.old;
  const to = reverse ? c.old : c.new;
  if (to === undefined) return from === undefined ? [] : [['delete', name(from)]];
  if (from === undefined) return [['write', name(to)]];
  if (c.rename) return [['move-from', name(from)], ['move-to', name(to)]];
  const a = name(from);
  const b = name(to);
  return a === b ? [['write', b]] : [['write', a], ['write', b]];
}

export const gitApply: GitHandler = (args, g) => {
  const [before, after] = split(args);
  const p = parseOpts(before, APPLY);
  if (has(p, 'cached')) return;
  if (has(p, 'stat', 'numstat', 'summary', 'check') && !has(p, 'apply')) return;
  const reverse = has(p, 'R', 'reverse');
  const reject = has(p, 'reject');
  const level = Number(values(p, 'p').pop()?.text ?? '1');
  const dir = values(p, 'directory').pop()?.text;
  const files = [...p.operands, ...(after ?? [])];
  const base = g.top();
  const name = (n: string): string => {
    const s = strip(n, Number.isInteger(level) ? level : 1);
    return dir ? inside(dir, s) : s;
  };
  for (const f of files.length > 0 ? files : [undefined]) {
    const text = patchText(f, g.cwd, g.fr);
    const changes = text === undefined ? undefined : fileChanges(text);
    if (!changes) {
      rewrites(g);
      continue;
    }
    const literal = f?.literal ?? g.literal;
    for (const c of changes) {
      for (const [op, n] of changeTargets(c, reverse, name)) {
        g.emit(op, { text: n, literal }, base);
        if (reject && op === 'write') g.emit('write', { text: `${n}.rej`, literal }, base);
      }
    }
  }
};
