// State of one analysis: options, limits, collected targets, and the per-text view (source slices).
import path from 'node:path';
import { GuardError, UNRESOLVED_SEGMENT, type Budget, type Op, type RawTarget } from '../../types.js';
import type { File, Node } from './ast.js';
import type { GitQueryOption } from './git-query.js';

export const U = UNRESOLVED_SEGMENT;

/** An argument after expansion: `text` may hold U parts; `pattern` is set while a glob is unexpanded. */
export interface Arg {
  text: string;
  literal: string;
  pattern?: string;
}

export interface Limits {
  maxDepth: number;
  maxBytes: number;
  /** Statements, words and nodes visited, over all nested texts. */
  maxSteps: number;
  /** File names matched by globs, over the whole command. */
  maxGlob: number;
  /** Fields made by one brace expansion, or one xargs input. */
  maxFields: number;
  /** Characters produced by expansions (variable values, substitutions), over the whole command. */
  maxExpanded: number;
  /** Items of a `for` loop analyzed one by one (beyond it the loop variable is unknown). */
  maxLoopItems: number;
  /** Directory entries `find` may walk, over the whole command. */
  maxWalk: number;
}

export interface RunOptions {
  cwd: string;
  home: string;
  reads: boolean;
  budget: Budget;
  limits: Limits;
  /** Asks git which files a command would touch (given by the hook layer; absent: conservative answers). */
  git?: GitQueryOption;
}

/** Devices that are not files anyone protects (plus /dev/fd/N, matched below). */
const NOT_FILES = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/stdin', '/dev/tty', '/dev/zero', '/dev/random', '/dev/urandom']);

/** One shellTargets call: the output, the counters that keep the work linear, the parse cache. */
export class Run {
  readonly targets: RawTarget[] = [];
  private readonly seen = new Set<string>();
  private steps = 0;
  private expanded = 0;
  private globbed = 0;
  /** Directory entries `find` has walked (bounded by limits.maxWalk). */
  walked = 0;
  /** Parsed texts (nested shells, eval), so each distinct text is parsed once. */
  readonly parsed = new Map<string, { file: File; src: Src }>();

  constructor(readonly opts: RunOptions) {}

  get limits(): Limits {
    return this.opts.limits;
  }

  /** Called for every statement and word: bounds total work and honours the budget. */
  step(): void {
    if (++this.steps > this.limits.maxSteps) throw new GuardError('shell command too complex to check', 'shell');
    if ((this.steps & 31) === 0) this.opts.budget.check('shell analysis');
  }

  /** Accounts characters produced by expansion. */
  grow(n: number): void {
    this.expanded += n;
    if (this.expanded > this.limits.maxExpanded) {
      throw new GuardError('shell command expands to more text than can be checked', 'shell');
    }
  }

  globMatches(n: number): void {
    this.globbed += n;
    if (this.globbed > this.limits.maxGlob) {
      throw new GuardError(`shell glob matches more than ${this.limits.maxGlob} files`, 'shell');
    }
    this.opts.budget.check('shell analysis');
  }

  /** Records a target; `unknown` marks it unresolved even when its text is literal. */
  emit(op: Op, arg: { text: string; literal: string }, base: string, via: string, unknown = false): void {
    if (op === 'read' && !this.opts.reads) return;
    const p = arg.text;
    if ((op === 'write' || op === 'read') && (NOT_FILES.has(p) || /^\/dev\/fd\/\d+$/.test(p))) return;
    const unresolved = unknown || p.includes(U) || base.includes(U);
    const key = `${op}\u0001${p}\u0001${base}\u0001${via}\u0001${unresolved}\u0001${arg.literal}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    const t: RawTarget = { op, path: p, base, via };
    if (unresolved) t.unresolved = true;
    t.literal = arg.literal;
    this.targets.push(t);
  }
}

/** Source text of one parsed script, for `literal` (parser positions are UTF-8 byte offsets). */
export class Src {
  private readonly bytes: Buffer | null;
  constructor(readonly text: string) {
    // eslint-disable-next-line no-control-regex
    this.bytes = /^[\u0000-\u007f]*$/.test(text) ? null : Buffer.from(text, 'utf8');
  }
  of(node: Node): string {
    const a = node.pos ?? 0;
    const b = node.end ?? a;
    return this.bytes ? this.bytes.subarray(a, b).toString('utf8') : this.text.slice(a, b);
  }
}

/**
 * Standard input of a command: `undefined` = nothing known is fed (the hook's own stdin),
 * `null` = something unknown (a file, a command's output), a string = literal text (may hold U).
 */
export type Input = string | null | undefined;

/** Where the walker is: which text, how deep in nested shells, what stdin is fed. */
export interface Env {
  run: Run;
  src: Src;
  depth: number;
  stdin: Input;
  /** The file `< FILE` feeds as standard input (stdin is then null): tools that read a patch open it. */
  stdinFile?: string;
  /** Product of the item counts of enclosing loops that are analyzed item by item. */
  loopMult: number;
}

/** `env` with a new standard input; the file behind it goes with it, so a stale one never stays. */
export function feedStdin(env: Env, stdin: Input, stdinFile?: string): Env {
  return { ...env, stdin, stdinFile };
}

/** `dir` relative to `base`; parts with U are joined as written (`..` must not eat an unknown part). */
export function joinPath(base: string, dir: string): string {
  if (dir.startsWith('/') || dir.startsWith(U)) return dir.includes(U) ? dir : path.posix.resolve(dir);
  if (base.includes(U) || dir.includes(U)) return `${trimSlashes(base)}/${dir}`;
  return path.posix.resolve(base, dir);
}

export function depthError(max: number): GuardError {
  return new GuardError(`shell command nested too deeply (more than ${max} levels of nested shells or substitutions)`, 'shell');
}

/** Drops trailing slashes (a loop: `/\/+$/` backtracks quadratically on long slash runs). */
export function trimSlashes(s: string): string {
  let e = s.length;
  while (e > 1 && s.charCodeAt(e - 1) === 47) e--;
  return e === s.length ? s : s.slice(0, e);
}
