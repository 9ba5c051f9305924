// Variables, positional parameters and the tracked working directory of the analyzed shell.
// Scopes form a chain: a branch, loop body or subshell gets a child whose own map holds only what
// it assigns, so cloning is O(1) and merging costs only what the branch changed.
import { UNRESOLVED_SEGMENT as U } from '../../types.js';
import { Places } from './places.js';

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

/**
 * Variables bash sets itself at start-up, whatever the environment says (or, for IFS, ignores
 * from it): an inherited value of these is not what the command sees.
 */
const SHELL_SET = new Set(['IFS', 'OLDPWD', 'SHLVL', 'RANDOM', 'SRANDOM', 'PPID', 'LINENO', 'SECONDS', 'EUID', 'UID',
  'SHELLOPTS', 'BASHOPTS', '_', 'PS4', 'GROUPS', 'FUNCNAME', 'PIPESTATUS', 'HISTCMD', 'DIRSTACK', 'EPOCHSECONDS',
  'EPOCHREALTIME', 'OPTIND', 'OPTARG', 'REPLY', 'MAPFILE', 'HOSTNAME', 'HOSTTYPE', 'MACHTYPE', 'OSTYPE']);
/** Scope key marking "any variable may have changed here" (not a valid name, cannot clash). */
const TAINT = 'source taint';
/** Alternatives kept for one variable (beyond, only "unknown" is). */
const MAX_ALTS = 8;
/** Scope key of a nameref (`declare -n r=x`): not a valid name, cannot clash. */
const REF = 'nameref ';
/** Analyses (by their shared Places) that declared a nameref: only they pay for the lookup. */
const withRefs = new WeakSet<Places>();
const VAR = /^[A-Za-z_][A-Za-z0-9_]*$/;

export class Scope {
  private readonly own = new Map<string, Val>();
  /** For a variable whose value here is unknown: values it may have, as far as they are known. */
  private readonly ownAlts = new Map<string, string[]>();
  /** Tracked cwd: absolute, or holding U when a `cd` went somewhere unknown. */
  cwd: string;
  private pos: string[] | null;
  /**
   * The positional parameters are unknown because they are given from outside the analyzed text
   * (the top level of the agent's shell, which has none; a function body walked where it is
   * defined, whose calls are walked with their arguments): not text the command produced.
   */
  paramsGiven = false;
  /** Values of variables whose unknown leading part is given (see given()). */
  private readonly ownGiven = new Set<string>();
  /** Directory stack; undefined when unknown. */
  dirs: Dirs | null | undefined;
  /** Set by a `cd` that may fail: the directory the shell stays in then (see settleCd). */
  cdMayFail: string | undefined;

  /** After a statement (not an `&&` step, which runs only when cd succeeded): either directory. */
  settleCd(): void {
    if (this.cdMayFail === undefined) return;
    const from = this.cdMayFail;
    this.cdMayFail = undefined;
    if (from !== this.cwd) this.cwd = this.places.of([this.cwd, from]);
  }

  private constructor(
    private readonly parent: Scope | null,
    private readonly home: string,
    private readonly startCwd: string,
    /** The environment the shell inherits (the hook's own: both agents start hooks and shells from it). */
    private readonly inherited: Record<string, string | undefined>,
    private readonly places: Places,
    cwd: string,
    positional: string[] | null,
    dirs: Dirs | null | undefined,
  ) {
    this.cwd = cwd;
    this.pos = positional;
    this.dirs = dirs;
  }

  /** `$0`, `$1`...; null when unknown (the top level, function bodies). */
  get positional(): string[] | null {
    return this.pos;
  }

  /** Set by the command (`set --`, a call, `shift`): no longer given from outside. */
  set positional(p: string[] | null) {
    this.pos = p;
    this.paramsGiven = false;
  }

  /** The parameters are unknown and given from outside (see paramsGiven). */
  givenParameters(): void {
    this.pos = null;
    this.paramsGiven = true;
  }

  static root(cwd: string, home: string, env: Record<string, string | undefined> = {}, places = new Places()): Scope {
    const s = new Scope(null, home, cwd, env, places, cwd, null, null);
    s.paramsGiven = true;
    return s;
  }

  child(): Scope {
    const c = new Scope(this, this.home, this.startCwd, this.inherited, this.places, this.cwd, this.pos, this.dirs);
    c.paramsGiven = this.paramsGiven;
    return c;
  }

  /**
   * A shell started with an empty environment (`env -i bash -c ...`) here: nothing the command
   * assigned or inherited reaches it; `~` still names the account's home.
   */
  isolated(): Scope {
    return new Scope(null, this.home, this.cwd, {}, this.places, this.cwd, null, null);
  }

  /**
   * Value of a variable: what the command assigned, else HOME, PWD and what the environment
   * gives (the hook's environment stands for the shell's). A name the environment does not hold
   * is unknown, with "unset" as its one known alternative (a login shell's profile may set it).
   */
  get(name: string): Val {
    if (withRefs.has(this.places)) {
      const to = this.resolve(name);
      if (to === null) return U;
      name = to;
    }
    for (let s: Scope | null = this; s; s = s.parent) {
      const v = s.own.get(name);
      if (v !== undefined) return v;
    }
    if (SHELL_SET.has(name) || name.startsWith('BASH') || this.tainted()) return U;
    if (name === 'HOME') return this.home;
    if (name === 'PWD') return this.startCwd;
    const inherited = Object.hasOwn(this.inherited, name) ? this.inherited[name] : undefined;
    return typeof inherited === 'string' && !inherited.includes('\u0000') ? inherited : U;
  }

  /** True when the command itself assigned (or unset) the variable here or in an enclosing scope. */
  assigned(name: string): boolean {
    for (let s: Scope | null = this; s; s = s.parent) if (s.own.has(name)) return true;
    return false;
  }

  /** What the command itself set `name` to (UNSET when unset), or undefined when it never did. */
  assignedValue(name: string): Val | undefined {
    for (let s: Scope | null = this; s; s = s.parent) {
      const v = s.own.get(name);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Known values an unknown variable may have ('' for unset), or undefined. */
  alts(name: string): string[] | undefined {
    if (withRefs.has(this.places)) {
      const to = this.resolve(name);
      if (to === null) return undefined;
      name = to;
    }
    for (let s: Scope | null = this; s; s = s.parent) {
      if (s.own.has(name)) return s.ownAlts.get(name);
    }
    if (SHELL_SET.has(name) || name.startsWith('BASH')) return undefined;
    const inherited = name === 'HOME' ? this.home : name === 'PWD' ? this.startCwd
      : Object.hasOwn(this.inherited, name) ? this.inherited[name] : undefined;
    if (this.tainted()) return typeof inherited === 'string' && !inherited.includes(U) ? [inherited, ''] : [''];
    return typeof inherited === 'string' ? undefined : [''];
  }

  /**
   * True when the value of `name` is unknown text given from outside, not made by the command: a
   * variable neither the command nor the hook's environment sets (the user's own shell profile
   * may; the agent cannot choose it), or one the command assigned from such a value alone. After
   * `source`/`eval` of unknown text (taint), any variable may hold what that text made: not given.
   */
  given(name: string): boolean {
    if (this.tainted()) return false;
    if (withRefs.has(this.places)) {
      const to = this.resolve(name);
      if (to === null) return false;
      name = to;
    }
    for (let s: Scope | null = this; s; s = s.parent) {
      if (s.own.has(name)) return s.ownGiven.has(name);
    }
    if (SHELL_SET.has(name) || name.startsWith('BASH') || name === 'HOME' || name === 'PWD') return false;
    return !Object.hasOwn(this.inherited, name) || this.inherited[name] === undefined;
  }

  /**
   * After `source FILE` or `eval` of unknown text, any variable may have been set: inherited values
   * are only alternatives from here on (what the command itself assigned later still wins).
   */
  taint(): void {
    this.own.set(TAINT, U);
  }

  private tainted(): boolean {
    for (let s: Scope | null = this; s; s = s.parent) if (s.own.has(TAINT)) return true;
    return false;
  }

  set(name: string, v: Val, alts?: string[], given = false): void {
    if (withRefs.has(this.places) && !name.includes(' ')) {
      const to = this.resolve(name);
      // Through a nameref whose target is unknown: any variable may have been set.
      if (to === null) {
        this.taint();
        return;
      }
      name = to;
    }
    this.own.set(name, v);
    if (typeof v === 'string' && v.includes(U) && alts && alts.length > 0) this.ownAlts.set(name, alts.slice(0, MAX_ALTS));
    else this.ownAlts.delete(name);
    if (given && typeof v === 'string' && v.startsWith(U)) this.ownGiven.add(name);
    else this.ownGiven.delete(name);
  }

  /**
   * `declare -n name=target`: from here on `name` stands for `target` (null: a target not known
   * statically, so reading it is unknown).
   */
  setRef(name: string, target: string | null): void {
    withRefs.add(this.places);
    this.own.set(REF + name, target !== null && VAR.test(target) ? target : U);
    this.ownAlts.delete(REF + name);
  }

  /** The variable `name` stands for through namerefs (null: unknown). */
  resolve(name: string): string | null {
    if (!withRefs.has(this.places)) return name;
    for (let k = 0; k < 8; k++) {
      let r: Val | undefined;
      for (let s: Scope | null = this; s && r === undefined; s = s.parent) r = s.own.get(REF + name);
      if (r === undefined || r === UNSET) return name;
      if (r === U || r === name) return null;
      name = r;
    }
    return null;
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
      // Given from outside after the branches only when every way it can be is known or given.
      const given = alts.every((b) => {
        const v = b.get(k);
        return v === UNSET || !v.startsWith(U) || b.given(k);
      });
      if (alts.every((b) => b.get(k) === first)) {
        this.set(k, first, typeof first === 'string' && first.includes(U) ? alts[0]!.alts(k) : undefined, given);
        continue;
      }
      // Branches disagree: unknown, but each known value stays an alternative (`if ...; then F=.env; fi`).
      const values = new Set<string>();
      for (const b of alts) {
        const v = b.get(k);
        if (v === UNSET) values.add('');
        else if (!v.includes(U)) values.add(v);
        if (v !== UNSET && v.includes(U)) for (const a of b.alts(k) ?? []) values.add(a);
      }
      this.set(k, U, values.size <= MAX_ALTS ? [...values] : undefined, given);
    }
    const cwd = alts[0]!.cwd;
    this.cwd = alts.every((b) => b.cwd === cwd) ? cwd : this.places.of(alts.map((b) => b.cwd));
    const pos = alts[0]!.positional;
    this.positional = alts.every((b) => samePositional(b.positional, pos)) ? pos : null;
    if (alts.every((b) => b.positional === null && b.paramsGiven)) this.givenParameters();
    const dirs = alts[0]!.dirs;
    this.dirs = alts.every((b) => b.dirs === dirs) ? dirs : undefined;
  }
}

function samePositional(a: string[] | null, b: string[] | null): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((x, i) => x === b[i]);
}
