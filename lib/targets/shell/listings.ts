// Programs whose output is names of files that exist: `grep -rl`, `rg -l`/`--files`, `ls`. Their
// output is not text the model chose but a choice among the names on disk, so `grep -rl foo src |
// xargs sed -i …` writes some files beneath `src`, not a path that may be anything (lib/decide.ts
// blocks those). The output is taken as every name the program could print, listed from the disk
// when the call is checked (a superset: every one is then judged as its later command uses it,
// word splitting included, so a folder named `a /home/u/.ssh` is seen for what it makes).
// Not listed (output unknown, as before): an operand or root not known, a walk past the bound, a
// name the command's own earlier commands may have made beneath a root (not on disk yet), links
// followed (`grep -R`, `rg -L`), output that is not names alone (`grep` without -l, `ls -l`).
import fs from 'node:fs';
import path from 'node:path';
import { walkBeneath } from '../../paths/walk.js';
import { U, joinPath, type Frame, type Run } from './context.js';
import { has, parseOpts, values, type OptSpec } from './options.js';
import type { Arg, Out } from './types.js';

/** grep's and rg's options (shared with their read handlers in commands.ts). */
export const GREP: OptSpec = {
  arg: 'efmABCdD',
  long: ['regexp', 'file', 'max-count', 'after-context', 'before-context', 'context', 'directories', 'devices',
    'include', 'exclude', 'exclude-dir', 'exclude-from', 'label', 'binary-files', 'group-separator'],
  flags: ['files-with-matches', 'files-without-match', 'recursive', 'dereference-recursive', 'null', 'ignore-case', 'count'],
};
export const RG: OptSpec = {
  arg: 'efgtTmABCjMErd',
  long: ['regexp', 'file', 'glob', 'iglob', 'type', 'type-not', 'max-count', 'after-context', 'before-context',
    'context', 'threads', 'max-columns', 'encoding', 'replace', 'max-depth', 'max-filesize', 'type-add', 'type-clear',
    'pre', 'pre-glob', 'sort', 'sortr', 'ignore-file', 'context-separator', 'field-context-separator',
    'field-match-separator', 'path-separator', 'color', 'colors', 'dfa-size-limit', 'regex-size-limit', 'engine'],
  flags: ['files', 'files-with-matches', 'files-without-match', 'hidden', 'follow', 'null', 'no-ignore', 'unrestricted'],
};
/** ls options that keep the output to names alone (no long format, no indicators, no quoting). */
const LS_SAFE = /^-[1aAdrRtSUvXcuhCx]+$/;
const LS_SAFE_LONG = new Set(['--all', '--almost-all', '--directory', '--recursive', '--reverse', '--color', '--color=never', '--color=auto',
  '--color=always', '--literal', '-N']);

/** The output of a listing command as every name it could print, or undefined when not one (or not listable). */
export function listingOutput(name: string, args: Arg[], cwd: string, fr: Frame): Out | undefined {
  if (name === 'grep' || name === 'egrep' || name === 'fgrep') return grepNames(args, cwd, fr);
  if (name === 'rg') return rgNames(args, cwd, fr);
  if (name === 'ls' || name === 'dir' || name === 'vdir') return name === 'vdir' ? undefined : lsNames(args, cwd, fr);
  return undefined;
}

function grepNames(args: Arg[], cwd: string, fr: Frame): Out | undefined {
  const p = parseOpts(args, GREP);
  if (!has(p, 'l', 'L', 'files-with-matches', 'files-without-match')) return undefined;
  if (has(p, 'R', 'dereference-recursive')) return undefined; // follows links beneath its roots
  const recursive = has(p, 'r', 'recursive');
  const operands = has(p, 'e', 'f', 'regexp', 'file') ? p.operands : p.operands.slice(1);
  if (operands.length === 0 && !recursive) return undefined; // standard input: `(standard input)`
  const sep = has(p, 'Z', 'null') ? '\0' : '\n';
  return walkNames(operands.length === 0 ? [{ text: '.', literal: '.' }] : operands, operands.length === 0, recursive, true, cwd, fr, sep, includeFilter(values(p, 'include')));
}

function rgNames(args: Arg[], cwd: string, fr: Frame): Out | undefined {
  const p = parseOpts(args, RG);
  const files = has(p, 'files');
  if (!files && !has(p, 'l', 'files-with-matches', 'files-without-match')) return undefined;
  if (has(p, 'L', 'follow')) return undefined;
  // Hidden names are skipped unless asked for (`--hidden`, `-uu`, `-.`); ignore files only narrow it.
  const hidden = has(p, 'hidden', '.') || p.opts.filter((o) => o.name === 'u' || o.name === 'unrestricted').length >= 2;
  const operands = files || has(p, 'e', 'f', 'regexp', 'file') ? p.operands : p.operands.slice(1);
  // No path: the working directory (names printed without `./`); rg may read standard input instead.
  const sep = has(p, '0', 'null') ? '\0' : '\n';
  const out = walkNames(operands.length === 0 ? [{ text: '.', literal: '.' }] : operands, operands.length === 0, true, hidden, cwd, fr, sep);
  return out === null || out === undefined ? out : `${out}<stdin>${sep}`;
}

function lsNames(args: Arg[], cwd: string, fr: Frame): Out | undefined {
  const operands: Arg[] = [];
  let all = false;
  let dirs = false;
  let recursive = false;
  let options = true;
  for (const a of args) {
    const t = a.text;
    if (options && t === '--') options = false;
    else if (options && t.startsWith('-') && t !== '-') {
      if (!LS_SAFE.test(t) && !LS_SAFE_LONG.has(t)) return undefined;
      if (/^-[^-]*[aA]/.test(t) || t === '--all' || t === '--almost-all') all = true;
      if (/^-[^-]*d/.test(t) || t === '--directory') dirs = true;
      if (/^-[^-]*R/.test(t) || t === '--recursive') recursive = true;
    } else operands.push(a);
  }
  const list = operands.length === 0 ? [{ text: '.', literal: '.' }] : operands;
  if (list.some((a) => a.text.includes(U)) || cwd.includes(U)) return null;
  const names: string[] = [];
  for (const a of list) {
    const { abs, kind } = rootOf(a, cwd, fr);
    if (kind === 'written') return null;
    if (kind === 'missing') continue; // ls reports it and prints nothing for it
    if (dirs || kind === 'file') {
      names.push(a.text);
      continue;
    }
    if (list.length > 1 || recursive) names.push(`${a.text}:`);
    // ls prints the entries' own names, not joined to the folder: a later command takes them from its cwd.
    const r = walk(abs, recursive, all, fr, (rel, isSubdir) => {
      names.push(path.posix.basename(rel));
      if (isSubdir && recursive) names.push(`${a.text}/${rel}:`);
    });
    if (!r) return null;
    if (all) names.push('.', '..');
  }
  return names.length === 0 ? '' : `${names.join('\n')}\n`;
}

/** Every name beneath the roots as the program prints it (`root/rel`, or `rel` for the implicit `.`). */
/**
 * `grep --include=GLOB` in the simple forms whose test is certain: `*SUFFIX` and a plain name (the
 * file's base name ends with / is it). Any other form (or none) keeps every name: a superset.
 */
function includeFilter(globs: Arg[]): (name: string) => boolean {
  if (globs.length === 0) return () => true;
  const tests: ((n: string) => boolean)[] = [];
  for (const g of globs) {
    const t = g.text;
    if (t.includes(U)) return () => true;
    const rest = t.startsWith('*') ? t.slice(1) : t;
    if (/[*?[\]{}\\]/.test(rest)) return () => true;
    tests.push(t.startsWith('*') ? (n) => n.endsWith(rest) : (n) => n === rest);
  }
  return (n) => tests.some((f) => f(n));
}

function walkNames(roots: Arg[], implicit: boolean, recursive: boolean, hidden: boolean, cwd: string, fr: Frame, sep: string,
  keep: (name: string) => boolean = () => true): Out | undefined {
  if (roots.some((a) => a.text.includes(U)) || cwd.includes(U)) return null;
  const names: string[] = [];
  for (const a of roots) {
    const { abs, kind } = rootOf(a, cwd, fr);
    if (kind === 'written') return null;
    if (kind === 'missing') continue; // not there: an error, no name printed
    if (kind === 'file') {
      names.push(a.text);
      continue;
    }
    if (!recursive) continue; // grep without -r skips a directory
    const prefix = implicit ? '' : a.text.endsWith('/') ? a.text : `${a.text}/`;
    // grep and rg print files (a link too: a superset), never the folders they walk.
    if (!walk(abs, true, hidden, fr, (rel, isDir) => !isDir && keep(path.posix.basename(rel)) && names.push(prefix + rel))) return null;
  }
  return names.length === 0 ? '' : `${names.join(sep)}${sep}`;
}

/** A listed operand as the call meets it: written by an earlier command (its contents not known), missing, a folder or another file. */
function rootOf(a: Arg, cwd: string, fr: Frame): { abs: string; kind: 'written' | 'missing' | 'dir' | 'file' } {
  const abs = joinPath(cwd, a.text);
  if (written(fr, abs)) return { abs, kind: 'written' };
  try {
    return { abs, kind: fs.statSync(abs).isDirectory() ? 'dir' : 'file' };
  } catch {
    return { abs, kind: 'missing' };
  }
}

/** Walks beneath `abs` within the call's bound; false when cut short (then nothing is known). */
function walk(abs: string, recursive: boolean, hidden: boolean, fr: Frame, add: (rel: string, isDir: boolean) => void): boolean {
  const run = fr.run;
  const left = run.limits.maxWalk - run.walked;
  let seen = 0;
  const base = abs.endsWith('/') ? abs : `${abs}/`;
  const result = walkBeneath(abs, { maxEntries: left, budget: run.opts.budget }, (p, isDir, d) => {
    seen++;
    if (!hidden && d.name.startsWith('.')) return 'skip';
    add(p.slice(base.length), isDir);
    return recursive ? false : 'skip';
  });
  run.walked += seen;
  if (result !== 'complete') return false;
  run.grow(seen * 16);
  return true;
}

/** The call's writes so far, indexed once (each target is looked at once per call, not per listing). */
interface Written { seen: number; paths: Set<string>; folders: Set<string>; unknown: string[] }
const writtenOf = new WeakMap<Run, Written>();
/** Writes with an unknown part kept one by one; past this many, every root counts as written. */
const MAX_UNKNOWN = 64;

/** An earlier command of this call may have made something at or beneath `abs` (not on disk yet). */
export function written(fr: Frame, abs: string): boolean {
  const run = fr.run;
  if (run.overlay.active) return true;
  let w = writtenOf.get(run);
  if (!w) writtenOf.set(run, w = { seen: 0, paths: new Set(), folders: new Set(), unknown: [] });
  for (; w.seen < run.targets.length; w.seen++) {
    const t = run.targets[w.seen]!;
    // A delete only takes names away: the listing stays a superset.
    if (t.op === 'read' || t.op === 'move-from' || t.op === 'delete') continue;
    const p = joinPath(t.base, t.path);
    const k = p.indexOf(U);
    if (k >= 0) {
      if (w.unknown.length <= MAX_UNKNOWN) w.unknown.push(p.slice(0, k));
      continue;
    }
    w.paths.add(p);
    for (let d = path.posix.dirname(p); !w.folders.has(d); d = path.posix.dirname(d)) {
      w.folders.add(d);
      if (d === '/') break;
    }
  }
  const root = abs.endsWith('/') ? abs : `${abs}/`;
  if (w.unknown.length > MAX_UNKNOWN || w.unknown.some((known) => root.startsWith(known) || known.startsWith(root))) return true;
  // Written at the root, beneath it (the root is a folder of a written path), or at a folder above it.
  if (w.folders.has(abs.replace(/\/+$/, '') || '/')) return true;
  for (let d = abs.replace(/\/+$/, '') || '/'; ; d = path.posix.dirname(d)) {
    if (w.paths.has(d)) return true;
    if (d === '/') return false;
  }
}
