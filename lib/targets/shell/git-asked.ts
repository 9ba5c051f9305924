// The files git itself names for the subcommands where it can say, asked with read-only plumbing
// (git-query.ts): `clean` (its own dry run with the same options), `reset --hard`, branch
// switches, `checkout -- paths` and `stash` push/pop/apply (the tracked files that differ, the
// untracked ones stashed away or put back). Each returns false when git could not be asked or did not answer; the handler
// then gives its conservative answer. Options not listed here, submodule recursion and anything
// interactive are never asked about.
import { lstatOf } from '../../paths/walk.js';
import type { Op } from '../../types.js';
import { U, trimSlashes } from './context.js';
import { inside, unknownIn, type GitCtx } from './git-ctx.js';
import { unquote, zList, type Asker } from './git-query.js';
import { has, values, type Parsed } from './options.js';
import type { Arg } from './types.js';

/** Raw diff output, no rename pairing, nothing run to compare (external diff, textconv), submodule trees not entered. */
const RAW = ['--raw', '-z', '--no-renames', '--no-ext-diff', '--no-textconv', '--ignore-submodules=dirty'];

interface Change {
  /** Relative to the top of the tree. */
  path: string;
  op: Op;
  gitlink: boolean;
  /** Blobs of the sides that are symbolic links (mode 120000): what the command may write there. */
  links: string[];
}

/** Whether every option given is one of `known` (an option the guard does not know is never asked about). */
export function only(p: Parsed, known: readonly string[]): boolean {
  return p.opts.every((o) => known.includes(o.name));
}

const plain = (list: readonly Arg[]): boolean => list.every((a) => !a.text.includes(U) && !a.text.includes('\0'));

/**
 * A revision as git is given it: `REV^{commit}` (so only a commit is accepted), never text that
 * starts with `-` (it could only be read as an option); undefined when it cannot be passed.
 */
function commitArg(rev: Arg): string | undefined {
  if (rev.text === '' || rev.text.startsWith('-') || !plain([rev])) return undefined;
  return `${rev.text}^{commit}`;
}

/** `:oldmode newmode old new STATUS\0path\0`... `removed`: the status letter of paths the command removes. */
function rawChanges(out: string, removed: string): Change[] | undefined {
  if (out === '') return [];
  const z = out.split('\0');
  // Records end with NUL: anything else is not what was asked for.
  if (z.pop() !== '' || z.length % 2 !== 0) return undefined;
  const res: Change[] = [];
  for (let i = 0; i < z.length; i += 2) {
    const meta = z[i]!;
    const [m1, m2, s1, s2, status] = meta.slice(1).split(' ');
    if (!meta.startsWith(':') || !status || /^[RC]/.test(status)) return undefined;
    const links = [[m1, s1], [m2, s2]].filter(([m, s]) => m === '120000' && s && /^[0-9a-f]+$/.test(s) && !/^0+$/.test(s)).map(([, s]) => s!);
    res.push({ path: z[i + 1]!, op: status === removed ? 'delete' : 'write', gitlink: m1 === '160000' || m2 === '160000', links });
  }
  return res;
}

/**
 * Targets for what git said changes. git also removes what is in the way: a directory where a
 * file goes, a file or symbolic link where a directory goes; those are deleted too.
 */
function emitChanges(changes: Change[], top: string, g: GitCtx, a?: Asker): void {
  if (changes.length > g.run.limits.maxFields) return unknownIn(top, g);
  for (const c of changes) {
    // A name that is not UTF-8 cannot be written back as a path.
    if (c.path.includes('\uFFFD') || c.path.includes(U)) {
      unknownIn(top, g, c.op);
      continue;
    }
    const abs = inside(top, trimSlashes(c.path));
    g.emit(c.op, { text: abs, literal: g.literal }, top);
    // A symbolic link the command puts there leads later operands elsewhere (`git checkout evil
    // && echo k >> lnk/authorized_keys`): its text, asked of git, goes into the overlay.
    for (const blob of c.op === 'write' ? c.links : []) {
      const text = a?.ask(['cat-file', 'blob', blob]);
      if (text === undefined || text === '' || text.includes('\0')) g.run.overlay.unknown(abs, g.by ?? -1);
      else g.run.overlay.link(abs, text, g.by ?? -1);
    }
    if (c.gitlink) continue; // without recursion (with it git is not asked) the submodule's own files stay
    if (lstatOf(abs)?.isDirectory()) g.emit('delete', { text: abs, literal: g.literal }, top);
    const parts = trimSlashes(c.path).split('/');
    for (let k = 1; k < parts.length; k++) {
      const up = inside(top, parts.slice(0, k).join('/'));
      const s = lstatOf(up);
      if (!s || s.isDirectory()) {
        if (!s) break;
        continue;
      }
      g.emit('delete', { text: up, literal: g.literal }, top);
      break;
    }
  }
}

/** Runs a raw diff and emits its changes; false when git did not answer. */
function differs(a: Asker, args: string[], removed: string, g: GitCtx): boolean {
  const out = a.ask(args);
  const changes = out === undefined ? undefined : rawChanges(out, removed);
  const top = changes && a.top();
  if (!changes || !top) return false;
  emitChanges(changes, top, g, a);
  return true;
}

/**
 * reset REV: --hard rewrites every tracked file whose content differs from REV's (and removes
 * those only the index holds); --keep only the files that differ between HEAD and REV; --merge
 * those and the staged changes.
 */
export function askReset(rev: Arg | undefined, mode: 'hard' | 'keep' | 'merge', g: GitCtx): boolean {
  const a = g.asker();
  const id = rev ? commitArg(rev) : 'HEAD';
  if (!a || a.recurse || !id) return false;
  if (mode === 'hard') return differs(a, ['diff-index', ...RAW, id, '--'], 'A', g);
  if (!askSwitch(rev, false, g)) return false;
  return mode === 'keep' || differs(a, ['diff-index', '--cached', ...RAW, id, '--'], 'A', g);
}

/**
 * A branch switch to REV: the files that differ between HEAD and REV (local changes elsewhere
 * stay); forced, also every local change (the tree becomes REV's). Without REV (`checkout -b new`)
 * the tree stays, unless forced (back to HEAD).
 */
export function askSwitch(rev: Arg | undefined, forced: boolean, g: GitCtx): boolean {
  const a = g.asker();
  const id = rev ? commitArg(rev) : 'HEAD';
  if (!a || a.recurse || !id) return false;
  if (!differs(a, ['diff-tree', '-r', ...RAW, 'HEAD', id, '--'], 'D', g)) return false;
  return !forced || differs(a, ['diff-index', ...RAW, id, '--'], 'A', g);
}

/** checkout [TREE] -- PATHS: the files under PATHS that differ from the index (or from TREE). */
export function askPaths(tree: Arg | undefined, list: Arg[], g: GitCtx): boolean {
  const a = g.asker();
  if (!a || a.recurse || !plain(list)) return false;
  const specs = list.map((s) => s.text);
  if (!tree) return differs(a, ['diff-files', ...RAW, '--', ...specs], '', g);
  const id = commitArg(tree);
  return id !== undefined && differs(a, ['diff-index', ...RAW, id, '--', ...specs], 'A', g);
}

const CLEAN_KNOWN = ['d', 'f', 'force', 'x', 'X', 'e', 'exclude', 'q', 'quiet'];

/** clean: git's own dry run with the same options (-d, -x, -X, -e, -ff, pathspecs), built from what was parsed. */
export function askClean(p: Parsed, list: Arg[], g: GitCtx): boolean {
  const a = g.asker();
  const excludes = values(p, 'e', 'exclude');
  if (!a || !only(p, CLEAN_KNOWN) || !plain(list) || !plain(excludes)) return false;
  const args = ['clean', '--dry-run'];
  if (has(p, 'd')) args.push('-d');
  if (has(p, 'x')) args.push('-x');
  if (has(p, 'X')) args.push('-X');
  // -ff also removes untracked nested repositories.
  if (p.opts.filter((o) => o.name === 'f' || o.name === 'force').length >= 2) args.push('-f', '-f');
  for (const e of excludes) args.push(`--exclude=${e.text}`);
  const out = a.ask([...args, '--', ...list.map((s) => s.text)]);
  if (out === undefined) return false;
  const names: string[] = [];
  for (const line of out.split('\n')) {
    // "Would skip repository X" is a nested repository left alone.
    if (line.startsWith('Would remove ')) names.push(unquote(line.slice(13)));
  }
  if (names.length > g.run.limits.maxFields) {
    unknownIn(g.cwd, g, 'delete', g.literal, '/');
    return true;
  }
  for (const n of names) {
    if (n.includes('\uFFFD') || n.includes(U)) unknownIn(g.cwd, g, 'delete', g.literal, '/');
    else g.emit('delete', { text: trimSlashes(n), literal: g.literal }, g.cwd);
  }
  return true;
}

const STASH_KNOWN = ['u', 'include-untracked', 'a', 'all', 'k', 'keep-index', 'no-keep-index', 'q', 'quiet', 'm', 'message', 'S', 'staged', 'p', 'patch'];

/**
 * stash push: the tracked files that differ from HEAD go back to HEAD; with -u the untracked
 * files are removed, with --all the ignored ones too (git's own list of them).
 */
export function askStash(p: Parsed, list: Arg[], g: GitCtx): boolean {
  const a = g.asker();
  if (!a || a.recurse || !only(p, STASH_KNOWN) || !plain(list)) return false;
  const specs = list.map((s) => s.text);
  if (!differs(a, ['diff-index', ...RAW, 'HEAD', '--', ...specs], 'A', g)) return false;
  if (!has(p, 'u', 'include-untracked', 'a', 'all')) return true;
  const all = has(p, 'a', 'all');
  const out = a.ask(['ls-files', '-z', '--others', '--full-name', ...(all ? [] : ['--exclude-standard']), '--', ...specs]);
  const top = out === undefined ? undefined : a.top();
  if (out === undefined || !top) return false;
  emitChanges(zList(out).map((path) => ({ path, op: 'delete', gitlink: false, links: [] })), top, g);
  return true;
}

/**
 * stash pop/apply [STASH]: the files the stash changed against its base (written, or deleted), and
 * the untracked files it saved (its third parent), written back.
 */
export function askStashApply(p: Parsed, g: GitCtx): boolean {
  const a = g.asker();
  if (!a || a.recurse || !only(p, ['index', 'q', 'quiet']) || p.operands.length > 1) return false;
  const which = p.operands[0]?.text ?? '0';
  const id = commitArg({ text: /^\d+$/.test(which) ? `stash@{${which}}` : which, literal: g.literal });
  const parents = id === undefined ? undefined : a.ask(['rev-list', '--parents', '-n', '1', id, '--'])?.trim().split(' ');
  if (!parents || parents.length < 2 || !parents.every((x) => /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(x))) return false;
  if (!differs(a, ['diff-tree', '-r', ...RAW, parents[1]!, parents[0]!, '--'], 'D', g)) return false;
  if (parents.length < 4) return true;
  const out = a.ask(['ls-tree', '-r', '-z', '--full-tree', parents[3]!]);
  const top = out === undefined ? undefined : a.top();
  if (out === undefined || !top) return false;
  // `<mode> <type> <object>\t<path>`: the modes tell which untracked files come back as links.
  const entries = zList(out).map((e) => /^(\d+) \w+ ([0-9a-f]+)\t([\s\S]*)$/.exec(e));
  if (entries.some((m) => !m)) return false;
  emitChanges(entries.map((m) => ({ path: m![3]!, op: 'write', gitlink: false, links: m![1] === '120000' ? [m![2]!] : [] })), top, g, a);
  return true;
}
