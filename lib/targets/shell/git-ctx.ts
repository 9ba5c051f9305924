// What every git subcommand handler is given (the types the git modules share: GitCtx, GitHost,
// Repo), and the ways they report files: pathspecs written or deleted, and "tracked files that
// differ", which only git knows.
import fs from 'node:fs';
import type { Op } from '../../types.js';
import { U, joinPath, trimSlashes, type Frame, type Run } from './context.js';
import { fixedDir, readSpecs, specTargets, type Spec } from './git-pathspec.js';
import type { Asker } from './git-query.js';
import type { Arg } from './types.js';

export interface Repo {
  /** The repository directory (`.git`, or a worktree's `.git/worktrees/NAME`). */
  gitDir: string;
  /** Where config, objects and refs live (differs from gitDir in linked worktrees). */
  commonDir: string;
  /** Top of the working tree; undefined for a bare repository. */
  worktree: string | undefined;
}

/** Environment git reads for these choices: the command's prefix assignments, then the shell's. */
export type GitEnv = (name: string) => string | undefined;

/** What the shell side gives git: run shell text or a command line in a directory, and the environment. */
export interface GitHost {
  shell(text: string, dir: string): void;
  /** A script git starts with arguments of its own choosing (a hook): its parameters are given from outside. */
  script(text: string, dir: string, what: string): void;
  command(argv: Arg[], dir: string): void;
  getenv: GitEnv;
  /** The variable holds text the call made and the guard cannot know (`GIT_DIR=$(cat f)`); getenv then says undefined. */
  unknownEnv?(name: string): boolean;
}

export interface GitCtx {
  /** Directory git runs in (after `-C`). */
  cwd: string;
  via: string;
  /** `git SUB` as written, for targets git derives (config files, the tree). */
  literal: string;
  literalSpecs: boolean;
  /** Hooks will be copied from a template directory (`--template`, `init.templateDir`, `GIT_TEMPLATE_DIR`). */
  template: boolean;
  /** The frame git runs in (standard input for `git apply`). */
  fr: Frame;
  run: Run;
  /** The account's home (global config files). */
  home: string;
  host: GitHost;
  emit(op: Op, a: Arg, base?: string, unknown?: boolean): void;
  repo(): Repo;
  /** Top of the working tree (the working directory for a bare repository). */
  top(): string;
  isDir(a: Arg): boolean;
  /** Git itself, to ask which files a command touches, when that answer holds (else undefined). */
  asker(): Asker | undefined;
  /** Numbers this git command's overlay facts (context.ts `seq`). */
  by?: number;
  /** The repository named by `--git-dir` or `GIT_DIR` (where `git init` creates it), as written. */
  gitDir?: string;
}

/** `dir/name` as written: no resolving against the process's directory, no `..` eating an unknown part. */
export const inside = (dir: string, name: string): string => `${dir === '/' ? '' : trimSlashes(dir)}/${name}`;

export type GitHandler = (args: Arg[], g: GitCtx) => void;

/** Options before the first `--`, and what follows it (undefined without one). */
export function split(args: Arg[]): [Arg[], Arg[] | undefined] {
  const k = args.findIndex((a) => a.text === '--');
  return k < 0 ? [args, undefined] : [args.slice(0, k), args.slice(k + 1)];
}

/** Files beneath `dir` that only git can name. */
export function unknownIn(dir: string, g: GitCtx, op: Op = 'write', literal = g.literal, base = g.cwd): void {
  g.emit(op, { text: inside(dir, U), literal }, base, true);
}

/** Tracked files that differ: which ones only git knows. */
export const rewrites = (g: GitCtx): void => unknownIn(g.top(), g);

/** Pathspecs are relative to the working directory, or to the top when git runs outside the tree (`--work-tree`). */
export function specs(list: Arg[], g: GitCtx): Spec[] {
  const top = trimSlashes(g.top());
  const inside = g.cwd === top || g.cwd.startsWith(`${top}/`) || top.includes(U);
  return readSpecs(list, inside ? g.cwd : top, top, g.literalSpecs);
}

export function isDirAt(base: string, text: string): boolean {
  const p = joinPath(base, text);
  if (p.includes(U)) return false;
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Pathspecs written or deleted. A directory written means tracked files beneath it: unknown ones.
 * A wildcard written may also match files that exist only in the commit read from: unknown too.
 */
export function touch(list: Spec[], op: Op, g: GitCtx): void {
  if (op === 'write') for (const s of list) if (s.glob) g.emit(op, { text: `${fixedDir(s)}${U}`, literal: s.literal }, s.base, true);
  specTargets(list, op, g.run, (o, a, base, unknown) => {
    g.emit(o, a, base, unknown);
    if (o === 'write' && !unknown && isDirAt(base, a.text)) unknownIn(a.text, g, 'write', a.literal, base);
  });
}

