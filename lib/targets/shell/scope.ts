// Variables, positional parameters and the tracked working directory of the analyzed shell.
// Scopes form a chain: a branch, loop body or subshell gets a child whose own map holds only what
// it assigns, so cloning is O(1) and merging costs only what the branch changed.
import { U } from './context.js';

/** A variable known to be unset (`unset X`), as opposed to one the command never assigned. */
export const UNSET = Symbol('unset');
/** A string (it may hold U parts; U alone is an unknown value) or UNSET. */
export type Val = string | typeof UNSET;

/** The `pushd` stack as an immutable list (shared by child scopes). */
export interface Dirs {
  dir: string;
  /** null: the bottom of the stack; undefined: unknown below. */
  next: Dirs | null | undefined;
}

export class Scope {
  private readonly own = new Map<string, Val>();
  /** Tracked cwd: absolute, or holding U when a `cd` went somewhere unknown. */
  cwd: string;
  /** `$0`, `$1`...; null when unknown (the top level, function bodies). */
  positional: string[] | null;
  /** Directory stack; undefined when unknown. */
  dirs: Dirs | null | undefined;

  private constructor(
    private readonly parent: Scope | null,
    private readonly home: string,
    private readonly startCwd: string,
    cwd: string,
    positional: string[] | null,
    dirs: Dirs | null | undefined,
  ) {
    this.cwd = cwd;
    this.positional = positional;
    this.dirs = dirs;
  }

  static root(cwd: string, home: string): Scope {
    return new Scope(null, home, cwd, cwd, null, null);
  }

  child(): Scope {
    return new Scope(this, this.home, this.startCwd, this.cwd, this.positional, this.dirs);
  }

  /**
   * Value of a variable. Only HOME, PWD and what the command itself assigns are trusted;
   * anything else comes from an environment the guard cannot see: U.
   */
  get(name: string): Val {
    for (let s: Scope | null = this; s; s = s.parent) {
      const v = s.own.get(name);
      if (v !== undefined) return v;
    }
    if (name === 'HOME') return this.home;
    if (name === 'PWD') return this.startCwd;
    return U;
  }

  set(name: string, v: Val): void {
    this.own.set(name, v);
  }

  /**
   * After `branches` (children of this scope) of which any one may have run (and, when
   * `mayNotRun`, possibly none): what all agree on is kept, the rest becomes unknown.
   */
  merge(branches: Scope[], mayNotRun: boolean): void {
    const keys = new Set<string>();
    for (const b of branches) for (const k of b.own.keys()) keys.add(k);
    const alts = mayNotRun ? [...branches, this] : branches;
    if (alts.length === 0) return;
    for (const k of keys) {
      const first = alts[0]!.get(k);
      this.set(k, alts.every((b) => b.get(k) === first) ? first : U);
    }
    const cwd = alts[0]!.cwd;
    this.cwd = alts.every((b) => b.cwd === cwd) ? cwd : U;
    const pos = alts[0]!.positional;
    this.positional = alts.every((b) => samePositional(b.positional, pos)) ? pos : null;
    const dirs = alts[0]!.dirs;
    this.dirs = alts.every((b) => b.dirs === dirs) ? dirs : undefined;
  }
}

function samePositional(a: string[] | null, b: string[] | null): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((x, i) => x === b[i]);
}
