// Path normalization before rule matching: absolute, lexically clean, symlinks resolved
// component by component through the longest existing prefix (like the kernel's lookup).
import * as nodeFs from 'node:fs';
import { GuardError, UNRESOLVED_SEGMENT, type RawTarget, type Target } from '../types.js';
import { classifyProcess, processNode, type ProcessKind } from './process-relative.js';
import { checkPathString, cleanWin32Name, expandHome, joinRoot, parse, readablePath, show, toSlashes, type Style } from './syntax.js';

/** The two file system calls resolution needs; a test can wrap the real fs to count or fail calls. */
export interface PathFs {
  lstatSync(p: string, opts: { throwIfNoEntry: false }): { isSymbolicLink(): boolean } | undefined;
  readlinkSync(p: string): string;
}

export interface PathEnv {
  home: string;
  platform: NodeJS.Platform;
  /** test hook: defaults to the real fs */
  fs?: PathFs;
  /**
   * Lookups shared by the normalizations of one decision: a shell script's targets share their
   * leading directories, and a 1 MB script spent a third of its path time in repeated lstat calls.
   */
  cache?: LookupCache;
}

type Kind = 'link' | 'exists' | 'missing';

/**
 * What one decision learnt of the file system: lstat kinds, link targets, and (`files`) whether a
 * name is a regular file once links are followed. Also the record a cached config is checked
 * against (`stillHolds`): everything the config's compilation looked at goes through it.
 */
export interface LookupCache { kinds: Map<string, Kind>; links: Map<string, string | undefined>; files?: Map<string, boolean> }
export const newLookupCache = (): LookupCache => ({ kinds: new Map(), links: new Map(), files: new Map() });

/** What is at `p` (lstat: a link, something else, nothing), through `cache`. Never throws but GuardError. */
export function lookupKind(p: string, cache?: LookupCache): Kind {
  return probe(realFs, p, cache);
}

/** Is `p` a regular file once links are followed (stat), through `cache`? Never throws. */
export function isRegularFile(p: string, cache?: LookupCache): boolean {
  const known = cache?.files?.get(p);
  if (known !== undefined) return known;
  let file: boolean;
  try {
    file = nodeFs.statSync(p, { throwIfNoEntry: false })?.isFile() === true;
  } catch {
    file = false;
  }
  cache?.files?.set(p, file);
  return file;
}

/**
 * Whether every lookup in `seen` gives the same answer now. Each is asked again through `into`
 * (the current call's view, which keeps the fresh answers for the call's own targets); stops at
 * the first difference.
 */
export function stillHolds(seen: LookupCache, into: LookupCache, fs: PathFs = realFs): boolean {
  for (const [p, kind] of seen.kinds) if (probe(fs, p, into) !== kind) return false;
  for (const [p, target] of seen.links) if (readlink(fs, p, into) !== target) return false;
  for (const [p, file] of seen.files ?? []) if (isRegularFile(p, into) !== file) return false;
  return true;
}

/** Linux's MAXSYMLINKS: one lookup follows at most 40 links before ELOOP. */
export const MAX_LINK_HOPS = 40;

/** Is matching on this platform case-insensitive? (darwin, win32: yes; linux: no) */
export function caseInsensitive(platform: NodeJS.Platform): boolean {
  return platform === 'darwin' || platform === 'win32' || platform === 'cygwin';
}

const realFs: PathFs = {
  lstatSync: (p, opts) => nodeFs.lstatSync(p, opts),
  readlinkSync: (p) => nodeFs.readlinkSync(p),
};

/**
 * Absolute, normalized form of `p` (relative to `base`), symlinks resolved through the longest
 * existing prefix, dangling links included. Throws GuardError only (bad input, link loop).
 */
export function normalizePath(p: string, base: string, env: PathEnv): string {
  return normalizeSeen(p, base, env, {});
}

/**
 * The per-process node (`/proc/self/…`, `/dev/fd/N`, `/dev/stdin`) that `abs`, or a symbolic link on
 * the way to it, goes through, or undefined when none does: a file the guard opens there is its own
 * process's, not the command's (a committed `run.sh -> /proc/self/cwd/payload.sh`, run after a `cd`,
 * is another file for the shell than for the guard). Throws the GuardError of a path it cannot
 * place (`through`: `/proc/self/cwd/…`); a loop or a name that is not a path gives undefined.
 */
export function processNodeOnTheWay(abs: string): ProcessKind | undefined {
  const seen: Seen = {};
  try {
    normalizeSeen(abs, '/', { home: '/', platform: process.platform }, seen);
  } catch (err) {
    if (err instanceof GuardError && /depends on the process/.test(err.message)) throw err;
    return undefined;
  }
  return seen.process;
}

/** What a process-relative node along the way turned out to be (see process-relative.ts). */
interface Seen { process?: ProcessKind }

function normalizeSeen(p: string, base: string, env: PathEnv, seen: Seen): string {
  const style = styleOf(env.platform);
  // A win32-style path cannot exist on a posix host (and vice versa): string work only there.
  const fs = env.fs ?? ((style === 'win32') === (process.platform === 'win32') ? realFs : null);
  return guarded(p, () => resolve(start(p, base, env, style), style, fs, p, env.cache, seen));
}

/** The same normalization without consulting the file system: the path as spelled. */
export function lexicalPath(p: string, base: string, env: PathEnv): string {
  const style = styleOf(env.platform);
  return guarded(p, () => resolve(start(p, base, env, style), style, null, p));
}

export function normalizeTarget(t: RawTarget, env: PathEnv): Target {
  const seen: Seen = {};
  const out: Target = { op: t.op, path: normalizeSeen(t.path, t.base, env, seen), via: t.via };
  // `exec 7< ~/.ssh/authorized_keys; echo k >> /dev/fd/7` reopens the shell's descriptor 7 for
  // writing: which file that is, the guard cannot know. A read reopens what was already read.
  if (seen.process === 'descriptor' && t.op !== 'read') {
    throw new GuardError(`cannot place ${show(t.path)}: a descriptor of the process that opens it`, 'path');
  }
  const lexical = lexicalPath(t.path, t.base, env);
  if (lexical !== out.path) out.lexical = lexical;
  if (t.unresolved !== undefined) out.unresolved = t.unresolved;
  // A literal made from analyzed text (an eval'd substitution) may hold the placeholder: never shown raw.
  if (t.literal !== undefined) out.literal = readablePath(t.literal);
  if (t.beneath) out.beneath = true;
  if (t.unknownCommand !== undefined) out.unknownCommand = t.unknownCommand;
  if (t.given) out.given = true;
  if (t.opaque) out.opaque = true;
  if (t.prefix) out.prefix = true;
  // The word starts with an unknown part (`$OUT/x`), or is relative to a directory that does: its
  // first unknown part may be any folder, not one under the known base (lib/unresolved-names.ts).
  // A base with a known folder before its unknown part (`cd "$(mktemp -d)"`: /tmp/tmp.<?>) is not.
  if (t.path.startsWith(UNRESOLVED_SEGMENT) || (!isAbsoluteLike(t.path) && !isAbsoluteLike(t.base))) out.floating = true;
  return out;
}

function isAbsoluteLike(p: string): boolean {
  return p.startsWith('/') || p.startsWith('~') || /^[A-Za-z]:[\\/]/.test(p);
}

function styleOf(platform: NodeJS.Platform): Style {
  return platform === 'win32' ? 'win32' : 'posix';
}

/** Fail closed with a GuardError whatever goes wrong (a RangeError on absurd input, say). */
function guarded(p: unknown, work: () => string): string {
  try {
    return work();
  } catch (err) {
    if (err instanceof GuardError) throw err;
    const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new GuardError(`cannot normalize path ${show(p)}: ${msg}`, 'path');
  }
}

/** Validates `s`, converts separators, expands `~`, and splits at the root. */
function prepare(s: unknown, what: string, env: PathEnv, style: Style) {
  const text = toSlashes(checkPathString(s, what), style);
  return parse(expandHome(text, () => homeDir(env, style)), style);
}

function homeDir(env: PathEnv, style: Style): string {
  const home = toSlashes(checkPathString(env.home, 'home directory'), style);
  const kind = parse(home, style).kind;
  if (kind !== 'abs' && !(style === 'win32' && kind === 'rootRel')) {
    throw new GuardError(`home directory ${show(env.home)} is not absolute`, 'path');
  }
  return home;
}

/** The absolute starting point: a root and the raw components below it. */
function start(p: string, base: string, env: PathEnv, style: Style): { root: string; rest: string } {
  const target = prepare(p, 'path', env, style);
  if (target.kind === 'abs') return target;
  const b = prepare(base, 'base directory', env, style);
  // A root-relative base (`/x` on win32) has no drive to give; `/` stands in for it.
  if (b.kind === 'rel' || b.kind === 'driveRel' || (b.kind === 'rootRel' && style === 'posix')) {
    throw new GuardError(`cannot resolve ${show(p)}: base directory ${show(base)} is not absolute`, 'path');
  }
  const bAbs = b.kind === 'abs' ? b : { root: '/', rest: b.rest };
  switch (target.kind) {
    case 'rel':
      return { root: bAbs.root, rest: `${bAbs.rest}/${target.rest}` };
    case 'rootRel':
      return { root: bAbs.root, rest: target.rest };
    case 'driveRel':
      return bAbs.root.startsWith(target.drive)
        ? { root: bAbs.root, rest: `${bAbs.rest}/${target.rest}` }
        : { root: `${target.drive}/`, rest: target.rest };
  }
}

function probe(fs: PathFs, p: string, cache: LookupCache | undefined): Kind {
  const known = cache?.kinds.get(p);
  if (known) return known;
  let kind: Kind;
  try {
    const st = fs.lstatSync(p, { throwIfNoEntry: false });
    kind = !st ? 'missing' : st.isSymbolicLink() ? 'link' : 'exists';
  } catch (err) {
    if (err instanceof GuardError) throw err; // a PathFs out of budget: never taken for "missing"
    kind = 'missing'; // ENOTDIR, EACCES, ENAMETOOLONG...: stop resolving, keep the rest lexical
  }
  cache?.kinds.set(p, kind);
  return kind;
}

function readlink(fs: PathFs, p: string, cache: LookupCache | undefined): string | undefined {
  if (cache?.links.has(p)) return cache.links.get(p);
  let target: string | undefined;
  try {
    target = fs.readlinkSync(p);
  } catch (err) {
    if (err instanceof GuardError) throw err;
    target = undefined;
  }
  cache?.links.set(p, target);
  return target;
}

/**
 * One pass over the components, O(components + link hops): `segs` is the result so far and
 * its first `phys` entries are known to exist with every link resolved, so `..` there is the
 * physical parent and lookups continue only while `phys === segs.length`. A link's target is
 * spliced in front of the remaining components, as the kernel does.
 */
function resolve(
  startAt: { root: string; rest: string }, style: Style, fs: PathFs | null, original: string, cache?: LookupCache, seen: Seen = {},
): string {
  let root = startAt.root;
  const pending = startAt.rest.split('/').reverse(); // a stack: next component last
  const segs: string[] = [];
  let phys = 0;
  let hops = 0;
  for (let c = pending.pop(); c !== undefined; c = pending.pop()) {
    if (c === '' || c === '.') continue;
    if (c === '..') {
      const last = segs[segs.length - 1];
      if (last === undefined) continue; // `..` at the root stays at the root
      // The parent of an unknown directory is another unknown directory, not the one before it.
      if (last.includes(UNRESOLVED_SEGMENT)) segs[segs.length - 1] = UNRESOLVED_SEGMENT;
      else segs.pop();
      if (phys > segs.length) phys = segs.length;
      continue;
    }
    const name = style === 'win32' ? cleanWin32Name(c) : c;
    // Checked before any lookup: the guard's own /proc/self must never stand for the shell's.
    const node = style === 'posix' && segs.length === 1 ? processNode(segs[0]!, name) : undefined;
    if (node) {
      const rest: string[] = [];
      let dirish = false;
      for (let r = pending.pop(); r !== undefined; r = pending.pop()) {
        if (r === '' || r === '.') dirish = true;
        else rest.push(r);
      }
      let kind = classifyProcess([...node, ...rest]);
      // `cp x /dev/fd/7/` (or `/dev/fd/7/.`) copies into the directory behind the descriptor.
      if (dirish && (kind === 'stdio' || kind === 'descriptor')) kind = 'through';
      const spelled = joinRoot(root, [...segs, name, ...rest]);
      if (kind === 'through') {
        const via = spelled === toSlashes(original, style) ? '' : ` (through ${show(spelled)})`;
        throw new GuardError(`cannot place ${show(original)}${via}: it depends on the process that opens it`, 'path');
      }
      seen.process = kind;
      return spelled;
    }
    if (fs && phys === segs.length && !name.includes(UNRESOLVED_SEGMENT)) {
      const full = joinRoot(root, [...segs, name]);
      const kind = probe(fs, full, cache);
      if (kind === 'link') {
        const target = readlink(fs, full, cache);
        if (target !== undefined) {
          if (++hops > MAX_LINK_HOPS) {
            throw new GuardError(`too many levels of symbolic links in ${show(original)}`, 'path');
          }
          const t = parse(toSlashes(target, style), style);
          if (t.kind === 'abs') {
            root = t.root;
            segs.length = 0;
            phys = 0;
          } else if (t.kind === 'rootRel' || t.kind === 'driveRel') {
            if (t.kind === 'driveRel') root = `${t.drive}/`;
            segs.length = 0;
            phys = 0;
          }
          for (const part of t.rest.split('/').reverse()) pending.push(part);
          continue;
        }
      } else if (kind === 'exists') {
        segs.push(name);
        phys = segs.length;
        continue;
      }
    }
    segs.push(name);
  }
  return joinRoot(root, segs);
}
