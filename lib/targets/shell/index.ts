// Shell command -> every file it would write, delete, move (and, opt-in, read).
// The text is parsed with mvdan-sh (loaded on first use) and walked statically: nothing runs.
// Anything that cannot be judged throws GuardError; a partial answer is never returned.
import { GuardError, type Budget, type RawTarget } from '../../types.js';
import { Run, Src, type Limits } from './context.js';
import { errorText, oneLine, parseShell } from './parse.js';
import { Scope } from './scope.js';
import type { GitQuery } from './git-query.js';
import { topFrame } from './walk.js';
import { checkConcurrentReads } from './written.js';
import { globOptions } from './glob.js';
import { trapsOf } from './functions.js';
import type { SeenCommand } from './seen.js';

export type { SeenCommand } from './seen.js';

export interface ShellOptions {
  /** Absolute: the payload cwd. */
  cwd: string;
  /** Absolute home directory. */
  home: string;
  /**
   * The hook's environment, which both agents also start the shell from: inherited variables
   * resolve from it (never from process.env: the daemon serves many calls). HOME is `home`, PWD
   * the payload cwd; what the command assigns or unsets wins; bash's own variables are unknown.
   */
  env: Record<string, string | undefined>;
  budget: Budget;
  /** Bound for nested shells, eval, xargs and command substitution (default 8). */
  maxDepth?: number;
  /** Longest command text checked (default 2 MiB). */
  maxBytes?: number;
  /** Also report reads (op 'read'), for the opt-in secrets-read preset. */
  reads?: boolean;
  /** Entries `find` may look at, over the whole command (default 10,000: config limits.walkEntries). */
  walkEntries?: number;
  /** Asks git which files a git command would touch (the hook layer's; without it, conservative answers). */
  git?: GitQuery;
  /** Filled with every simple command found, for command rules (lib/commands). */
  commands?: SeenCommand[];
}

const DEFAULT_MAX_BYTES = 2 * 1024 * 1024;

export function shellTargets(command: string, opts: ShellOptions): RawTarget[] {
  if (typeof command !== 'string') throw new GuardError('shell command is not a string', 'shell');
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const bytes = Buffer.byteLength(command, 'utf8');
  if (bytes > maxBytes) throw new GuardError(`shell command too large to check (${bytes} bytes)`, 'shell');
  const limits: Limits = {
    maxDepth: opts.maxDepth ?? 8,
    maxBytes,
    // Linear in the input by construction; these only stop pathological input early.
    maxSteps: 100_000 + 40 * bytes,
    maxGlob: 10_000,
    maxFields: 10_000,
    maxExpanded: 1_048_576 + 8 * bytes,
    maxLoopItems: 64,
    maxWalk: opts.walkEntries ?? 10_000,
  };
  const run = new Run({ cwd: opts.cwd, home: opts.home, reads: opts.reads ?? false, budget: opts.budget, limits, git: opts.git && { query: opts.git, env: opts.env }, ...(opts.commands ? { commands: opts.commands } : {}) });
  try {
    const file = parseShell(command);
    const root = Scope.root(opts.cwd, opts.home, opts.env, run.places);
    // The shell the agent starts reads BASHOPTS from the environment it inherits (the hook's).
    const bashopts = opts.env.BASHOPTS;
    if (typeof bashopts === 'string') globOptions(bashopts, run);
    run.writes.path0 = opts.env.PATH;
    run.writes.bashEnv0 = opts.env.BASH_ENV;
    const top = topFrame(run, new Src(command));
    top.walker.stmts(file.Stmts, root, top);
    // `trap … EXIT`: the action runs once more where the command ended (its cd, its variables).
    for (const text of trapsOf(run)) top.walker.script(text, root, top, 'trap');
    checkConcurrentReads(run);
    run.throughOverlay();
  } catch (e) {
    if (e instanceof GuardError) throw e;
    if (e instanceof RangeError) throw new GuardError('shell command nested too deeply to check', 'shell');
    throw new GuardError(`shell command could not be analyzed: ${oneLine(errorText(e))}`, 'shell');
  }
  return run.targets;
}
