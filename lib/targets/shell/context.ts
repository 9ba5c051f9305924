// State of one analysis: the Run (options, limits, collected targets, the counters that keep the
// work linear), the Frame the walker is in (which text, how deep, what stdin), and the Walker: how
// a handler recurses (walk.ts sets it up once; no handler imports the walker). Also the path
// helpers every part uses.
import path from 'node:path';
import { newLookupCache, normalizePath, type LookupCache } from '../../paths/normalize.js';
import { GuardError, UNRESOLVED_SEGMENT, type Budget, type Op, type RawTarget } from '../../types.js';
import type { CmdSubst, File, Node, ProcSubst, Stmt, Word } from './ast.js';
import { descriptorOf, Fds } from './fds.js';
import { Overlay } from './overlay.js';
import { Places } from './places.js';
import type { Scope } from './scope.js';
import type { SeenCommand } from './seen.js';
import type { Arg, Assigns, GitQueryOption, Input, Item, Mode, Out } from './types.js';

// The shared argument types, for the modules outside the shell analysis that take them from here.
export type { Arg, Input } from './types.js';

export const U = UNRESOLVED_SEGMENT;

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
  /** Filled with every simple command found (command rules judge them afterwards); absent: not collected. */
  commands?: SeenCommand[];
}

/** Devices that are not files anyone protects (descriptors are looked up in fds.ts). */
const NOT_FILES = new Set(['/dev/null', '/dev/stdout', '/dev/stderr', '/dev/stdin', '/dev/tty', '/dev/zero', '/dev/random', '/dev/urandom']);


/** One shellTargets call: the output, the counters that keep the work linear, the parse cache. */
export class Run {
  readonly targets: RawTarget[] = [];
  /** `shopt -s dotglob` ran (or may have) earlier in the call: globs match dot names. */
  dotglob = false;
  /** `shopt -s globstar` ran (or may have): `**` matches directories at any depth. */
  globstar = false;
  /** `set -P` ran (or may have): cd resolves links first (cd.ts). */
  physicalCd = false;
  /** `shopt -s cdable_vars` ran (or may have): cd takes a variable's value (cd.ts). */
  cdableVars = false;
  private readonly seen = new Set<string>();
  private steps = 0;
  private expanded = 0;
  private globbed = 0;
  /** Directory entries `find` has walked (bounded by limits.maxWalk). */
  walked = 0;
  /** Literal output of process substitutions, for `< <(…)` (redirects.ts). */
  readonly procOutputs = new WeakMap<object, string>();
  /** What the call's commands wrote so far, indexed (nested.ts `writtenInCall`), and the scripts it read. */
  readonly writes: WriteLog = newWriteLog();
  /** The `#!` line of each program a PATH look-up found (dispatch.ts programShebang), by name and PATH. */
  readonly shebangs = new Map<string, string[] | undefined>();
  /** `hash -p FILE NAME`: the files a command name may run (every one the call named: a subshell's or a branch's may not hold, which only adds). */
  readonly hashed = new Map<string, string[]>();
  /** Parsed texts (nested shells, eval), so each distinct text is parsed once. */
  readonly parsed = new Map<string, { file: File; src: Src }>();
  /** Links, copies, moves and directories the command's own commands make. */
  readonly overlay: Overlay;
  /** Alternative working directories after branches (see Places). */
  readonly places = new Places();
  /** What the shell's descriptors are bound to (fds.ts). */
  readonly fds = new Fds();
  /** Numbers the commands that make overlay facts; `origin` maps a target to the command that emitted it. */
  seq = 0;
  private readonly origin = new Map<RawTarget, number[]>();
  /** The target each dedupe key stands for: a repeat from a later command adds its origin. */
  private readonly byKey = new Map<string, RawTarget>();

  constructor(readonly opts: RunOptions) {
    this.overlay = new Overlay(opts.home, opts.budget);
  }

  get limits(): Limits {
    return this.opts.limits;
  }

  /** The account's home directory (the hook's, whatever HOME the command sets). */
  get home(): string {
    return this.opts.home;
  }

  /** Where every simple command found goes, when the caller collects them (command rules). */
  get commands(): SeenCommand[] | undefined {
    return this.opts.commands;
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
  emit(op: Op, arg: { text: string; literal: string; alts?: string[]; given?: boolean; opaque?: boolean; prefix?: boolean }, base: string, via: string, unknown = false, beneath = false, by = -1): void {
    if (op === 'read' && !this.opts.reads) return;
    if (base.includes('\u0002') || arg.text.includes('\u0002')) {
      // A directory the shell may or may not have entered: each place it may be (the set is
      // exhaustive: Places gives plain U when one is unknown).
      const bases = this.places.expand(base);
      const texts = this.places.expand(arg.text);
      if (!bases || !texts) {
        this.emit(op, { ...arg, text: this.places.plain(arg.text) }, this.places.plain(base), via, unknown, beneath, by);
        return;
      }
      for (const b of bases) for (const t of texts) this.emit(op, { ...arg, text: t }, b, via, unknown, beneath, by);
      return;
    }
    // A prefix: the names written are it with a suffix the command chooses (RawTarget.prefix).
    const p = arg.prefix ? arg.text + U : arg.text;
    if (!arg.prefix && (op === 'write' || op === 'read') && this.throughDescriptor(op, p, base, via, arg.literal, by)) return;
    if ((op === 'write' || op === 'read') && NOT_FILES.has(p)) return;
    const unresolved = unknown || arg.text.includes(U) || base.includes(U);
    // Every write in order, repeats included (the targets below keep one of each): written.ts.
    // `chmod +x t.sh` changes no text.
    // Text from outside (a parameter not set) names no file the command chose: not a write here.
    if (op !== 'read' && op !== 'move-from' && op !== 'delete' && !METADATA.has(via) && !(arg.given === true && p.startsWith(U))) {
      this.writes.events.push(base.includes(U) && !p.startsWith('/') ? U : globCut(physicalJoin(base, p)));
    }
    const given = arg.given === true && p.startsWith(U);
    const key = `${op}\u0001${arg.prefix === true}\u0001${p}\u0001${base}\u0001${via}\u0001${unresolved}\u0001${arg.literal}\u0001${given}\u0001${arg.opaque === true}`;
    if (this.seen.has(key)) {
      // The same write by a later command goes through the links made meanwhile (`cp -s .git/config
      // x; cp .env x` writes .git/config): its origin counts too.
      const seenAs = this.byKey.get(key);
      const list = seenAs ? this.origin.get(seenAs) : undefined;
      if (list && by >= 0 && !list.includes(by) && list.length < 64) list.push(by);
      return;
    }
    this.seen.add(key);
    const t: RawTarget = { op, path: p, base, via };
    this.byKey.set(key, t);
    if (unresolved) t.unresolved = true;
    if (beneath) t.beneath = true;
    if (given) t.given = true;
    if (arg.opaque) t.opaque = true;
    if (arg.prefix) t.prefix = true;
    t.literal = arg.literal;
    this.targets.push(t);
    if (by >= 0) this.origin.set(t, [by]);
    // `${X:-.env}` with X unknown: the word may also be each alternative spelled out.
    for (const alt of arg.alts ?? []) {
      if (alt !== '' && alt !== p) this.emit(op, { text: alt, literal: arg.literal }, base, via, unknown, beneath, by);
    }
  }

  /**
   * A path naming a descriptor (`/dev/fd/7`, `/dev/stdout`...) opens the file behind it again:
   * judged as that file; an unknown binding as unknown with its alternatives; a descriptor the
   * command never bound (the agent's pipe or terminal) or closed is no file. True when handled.
   */
  private throughDescriptor(op: Op, p: string, base: string, via: string, literal: string, by: number): boolean {
    const fd = descriptorOf(p, base);
    if (fd === undefined) return false;
    const b = this.fds.get(fd);
    if (!b || typeof b.value !== 'string') return true; // closed, a heredoc, a pipe
    const through = `${via} (through ${p})`;
    if (!b.value.includes(U)) {
      if (descriptorOf(b.value, '/') === undefined) this.emit(op, { text: b.value, literal }, '/', through, false, false, by);
      return true;
    }
    this.emit(op, { text: b.value, literal, alts: b.alts?.filter((a) => descriptorOf(a, '/') === undefined), ...(b.given ? { given: true } : {}) }, '/', through, false, false, by);
    return true;
  }

  /**
   * After the walk: every operand also as it resolves through what the command's own commands
   * made (links, copies, moves), when that differs from the disk as it is now.
   */
  throughOverlay(): void {
    const ov = this.overlay;
    if (!ov.active) return;
    const original = this.targets.slice();
    const cache = newLookupCache();
    for (const t of original) {
      this.opts.budget.check('shell analysis');
      // `rm`, `mv` and `ln` act on the name itself; everything else opens through it.
      const follow = t.op === 'write' ? t.via !== 'ln' : t.op === 'read';
      if (t.path.includes(U) || t.base.includes(U)) {
        this.throughOverlayUnknown(t, follow, cache);
        continue;
      }
      // A trailing slash makes even `rm` go through a link (`rm -rf link/` empties its target).
      const abs = physicalJoin(t.base, t.path) + (t.path.length > 1 && t.path.endsWith('/') ? '/' : '');
      const plain = plainPath(abs, this.home, cache);
      for (const r of this.origins(t).flatMap((by) => ov.physical(abs, follow, by))) {
        if (!r.unknown && (r.path === plain || r.path === abs)) continue;
        const key = `${t.op}\u0001${r.path}\u0001${t.via}\u0001${r.unknown}`;
        if (this.seen.has(key)) continue;
        this.seen.add(key);
        const x: RawTarget = { op: t.op, path: r.path, base: t.base, via: t.via };
        if (r.unknown || t.unresolved) x.unresolved = true;
        if (t.beneath) x.beneath = true;
        if (t.literal !== undefined) x.literal = t.literal;
        if (t.unknownCommand !== undefined) x.unknownCommand = t.unknownCommand;
        this.targets.push(x);
      }
    }
  }

  /** The commands that emitted `t` (undefined: no command, every fact counts). */
  private origins(t: RawTarget): (number | undefined)[] {
    return this.origin.get(t) ?? [undefined];
  }

  /**
   * An operand with an unknown part, through what the command's own commands made: its known
   * folder before the unknown part (`ln -s ~/.ssh k; echo x >> "k/$(cat f)"` writes in ~/.ssh), and
   * a name spelled with the same unknown text (`d=$(mktemp -d); ln -s ~/.ssh "$d/k"; echo x >
   * "$d/k/authorized_keys"`). The targets found are unresolved, judged as the paths they name.
   */
  private throughOverlayUnknown(t: RawTarget, follow: boolean, cache: LookupCache): void {
    const ov = this.overlay;
    const abs = physicalJoin(t.base, t.path);
    const found: { path: string; unknown: boolean }[] = [];
    const cut = abs.lastIndexOf('/', abs.indexOf(U));
    if (cut > 0) {
      const prefix = abs.slice(0, cut);
      const plain = plainPath(prefix, this.home, cache);
      for (const r of this.origins(t).flatMap((by) => ov.physical(prefix, true, by))) {
        if (r.unknown || r.path !== plain) found.push({ path: `${r.path === '/' ? '' : r.path}${abs.slice(cut)}`, unknown: r.unknown });
      }
    }
    for (const by of this.origins(t)) found.push(...ov.madeAtUnknown(abs, follow, by));
    for (const r of found) {
      const key = `${t.op}\u0001${r.path}\u0001${t.via}\u0001${r.unknown}`;
      if (this.seen.has(key)) continue;
      this.seen.add(key);
      const x: RawTarget = { op: t.op, path: r.path, base: t.base, via: t.via, unresolved: true };
      if (t.beneath) x.beneath = true;
      if (t.literal !== undefined) x.literal = t.literal;
      if (t.unknownCommand !== undefined) x.unknownCommand = t.unknownCommand;
      this.targets.push(x);
    }
  }
}

/** `abs` as the guard will normalize it (the disk only), for telling what the overlay changes. */
export function plainPath(abs: string, home: string, cache: LookupCache): string {
  try {
    return normalizePath(abs, '/', { home, platform: 'linux', cache });
  } catch {
    return abs;
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
 * How a handler recurses, set once on the top frame by the walker (walk.ts) and passed on with
 * every frame: dispatch, nested shells, word expansion, parameters and redirections call back
 * through it, so none of them imports the walker or one another in a circle.
 */
export interface Walker {
  /** Statements in order, in `sc` (a list, a body, the top level of a nested text). */
  stmts(list: (Stmt | null)[], sc: Scope, fr: Frame): Out;
  /** Only the substitutions inside a node whose value does not matter (arithmetic, tests, indexes). */
  nested(node: Node, sc: Scope, fr: Frame, arith?: boolean): void;
  /** `$( )`, backquotes, `<( )`, `>( )`: walked in a subshell; the output when it is literal. */
  substitute(cs: CmdSubst | ProcSubst, sc: Scope, fr: Frame): Out;
  /** An expanded command line (xargs' and find's commands, wrapper and alias rewrites). */
  command(args: Arg[], sc: Scope, fr: Frame, assigns: Assigns): Out;
  /** Shell text, parsed once per distinct text, walked one level deeper (`bash -c`, eval, traps). */
  script(text: string, sc: Scope, fr: Frame, what: string): Out;
  /** Word parts to atoms, appended to `out` (operands of parameter expansions, patterns, heredocs). */
  expandParts(parts: Node[], mode: Mode, sc: Scope, fr: Frame, out: Item[], wordStart: boolean): void;
  /** One word as one string, no splitting or globbing; `alts` collects the texts it may have instead. */
  wordString(w: Word | null, sc: Scope, fr: Frame, assign?: boolean, alts?: string[], lead?: { given: boolean }): string;
}

/** What the call wrote, in order (state kept on Run.writes). */
/**
 * A written name holding a glob character (`cp x t.s[h]`, a loop over `t.*` that matched nothing
 * when the call was checked) may name, when it runs, a file the call made: from that part on, it
 * is unknown (written.ts matches it as anything beneath the folder before it).
 */
function globCut(p: string): string {
  const k = p.search(/[*?[]/);
  return k < 0 ? p : `${p.slice(0, p.lastIndexOf('/', k))}/${U}`;
}

/** Commands that change a file's metadata, never its text. */
export const METADATA = new Set(['chmod', 'chown', 'chgrp', 'touch']);

export interface WriteLog {
  /** Targets already looked at (index into Run.targets). */
  seen: number;
  /** Written names as emitted (logical, absolute). */
  paths: Set<string>;
  /** Some write's name is not known: any file may have been written. */
  unknown: boolean;
  /** Script texts read from disk, by path (read once per call). */
  read: Map<string, string | 'missing' | undefined>;
  /** Every write in the order the walk met it, duplicates kept: its name, with unknown parts (U) where they are. */
  events: string[];
  /** Text written into a fresh file by one statement's standard output, and the event index after that write. */
  texts: Map<string, { text: string; at: number }>;
  /** `enable`, `hash`, `shopt` or `ulimit` ran: a command name may not be the program or builtin it usually is (written.ts knownOutput). */
  producersChanged: boolean;
  /** BASH_ENV as the hook's environment gives it (a started bash sources it: nested.ts). */
  bashEnv0: string | undefined;
  /** PATH as the hook's environment gives it, and whether a name on it is a system program. */
  path0: string | undefined;
  programs: Map<string, boolean>;
  /** Event index where the first background job or process substitution started (Infinity: none). */
  bgFrom: number;
  /** Reads made by commands running alongside others, with the stretch of writes that may overlap them. */
  concurrent: { abs: string; region: Region; literal: string; loads?: (written: string) => boolean }[];
  /** Identities (physical paths, device:inode) of the written names, built as reads need them. */
  ids: Set<string>;
  idSeen: number;
  /** Names deleted or moved away so far (written.ts removedInCall), and targets looked at for them. */
  gone: Set<string>;
  goneSeen: number;
  idUnknown: boolean;
  /** Written names whose identities count (deletions leave none), in order, and as a set. */
  list: string[];
  listed: Set<string>;
  /** Written names a folder was copied, moved or extracted to, and each listed name's places, looked up once (written.ts writtenFiles). */
  folders: Set<string>;
  places: (string[] | null)[];
  /** Per candidate test of writtenFiles: how many listed names it has looked at, and the indexes it kept. */
  matching: Map<string, { upTo: number; hits: number[] }>;
  /** Each name's device and inode when it has more than one name (a hard link), else null (written.ts identity). */
  inodes: Map<string, string | null>;
  /** identity() answers for the overlay's generation `gen` (written.ts). */
  idMemo: { gen: number; ids: Map<string, string[] | null> };
  cache: LookupCache;
}

export function newWriteLog(): WriteLog {
  return {
    seen: 0, paths: new Set(), unknown: false, read: new Map(), events: [], texts: new Map(),
    bgFrom: Infinity, producersChanged: false, bashEnv0: undefined, path0: undefined, programs: new Map(), concurrent: [], gone: new Set(), goneSeen: 0, ids: new Set(), idSeen: 0, idUnknown: false, list: [], listed: new Set(), folders: new Set(), places: [], matching: new Map(), inodes: new Map(), idMemo: { gen: -1, ids: new Map() }, cache: newLookupCache(),
  };
}

/** A stretch of the call's writes (indexes into Run.writes.events) that may run alongside a command: a pipeline's, or from a background job's start to the end. */
export interface Region {
  from: number;
  to: number;
  /** A background job's or process substitution's: never closed. */
  open?: boolean;
}

/** Where the walker is: which text, how deep in nested shells, what stdin is fed. */
export interface Frame {
  run: Run;
  /** How to recurse (the walker's; the same in every frame of a call). */
  walker: Walker;
  src: Src;
  depth: number;
  stdin: Input;
  /** The file `< FILE` feeds as standard input (stdin is then null): tools that read a patch open it. */
  stdinFile?: string;
  /** Product of the item counts of enclosing loops that are analyzed item by item. */
  loopMult: number;
  /** Commands whose output feeds stdin (a pipeline's earlier stages), for command rules. */
  fed?: readonly SeenCommand[];
  /** Commands substituted into the words of the command about to run, for command rules. */
  subst?: readonly SeenCommand[];
  /** The shell function whose body is being walked. */
  fn?: string;
  /** Offset of the simple command about to run in `src`, for command rules. */
  at?: number;
  /** Set while walking a command that runs alongside others (written.ts). */
  region?: Region;
}

/** `fr` with a new standard input; the file behind it goes with it, so a stale one never stays. */
export function feedStdin(fr: Frame, stdin: Input, stdinFile?: string): Frame {
  return { ...fr, stdin, stdinFile, fed: undefined };
}

/** `dir` relative to `base`; parts with U are joined as written (`..` must not eat an unknown part). */
export function joinPath(base: string, dir: string): string {
  if (dir.startsWith('/') || dir.startsWith(U)) return dir.includes(U) ? dir : path.posix.resolve(dir);
  if (base.includes(U) || dir.includes(U)) return `${trimSlashes(base)}/${dir}`;
  return path.posix.resolve(base, dir);
}

/**
 * `dir` relative to `base` as the kernel will look it up: `.` and repeated slashes go, but `..`
 * stays where it is written, because after a symbolic link it is the parent of the link's
 * TARGET (`c/../.ssh` with `c -> ~/.config` is `~/.ssh`), which only a physical resolution
 * (normalizePath, Overlay.physical) can tell. Text without `..` is joined as joinPath does.
 */
export function physicalJoin(base: string, dir: string): string {
  if (!dir.split('/').includes('..')) return joinPath(base, dir);
  const whole = dir.startsWith('/') || dir.startsWith(U) ? dir : `${trimSlashes(base)}/${dir}`;
  const parts = whole.split('/').filter((c, i) => c !== '.' && (c !== '' || i === 0));
  return parts.join('/') || '/';
}

/** Throws when text one level deeper than `fr` (a nested shell, substitution, call) passes the bound. */
export function checkNesting(fr: Frame): void {
  const max = fr.run.limits.maxDepth;
  if (fr.depth + 1 > max) throw new GuardError(`shell command nested too deeply (more than ${max} levels of nested shells or substitutions)`, 'shell');
}

/** Drops trailing slashes (a loop: `/\/+$/` backtracks quadratically on long slash runs). */
export function trimSlashes(s: string): string {
  let e = s.length;
  while (e > 1 && s.charCodeAt(e - 1) === 47) e--;
  return e === s.length ? s : s.slice(0, e);
}

/** `dir/basename(src)`: where a copy, move or link of `src` into directory `dir` lands. */
export function under(dir: Arg, src: Arg): Arg {
  const d = trimSlashes(dir.text);
  const s = trimSlashes(src.text);
  const name = s.slice(s.lastIndexOf('/') + 1) || s;
  return { text: `${d === '/' ? '' : d}/${name}`, literal: dir.literal };
}
