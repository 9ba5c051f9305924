// Cross-process lock around a file (proper-lockfile: an atomic exclusive create of <file>.lock, a
// symbolic link here, its mtime refreshed while held). A holder killed with -9 stops refreshing, and after `staleMs`
// the others take the lock over, so a crash costs them a few seconds, never a wedge. Shared by the
// file sink and the spool.
import nodeFs from 'node:fs';
import type * as LockfileModule from 'proper-lockfile';
import { sourceRequire } from '../lib/builtin.js';

// Under the tsup bundle `require` is the bundler's loader for the bundled copy; under the sources
// (tests, tsx) it does not exist.
declare const require: ((id: string) => unknown) | undefined;

export interface LockOptions {
  /** A lock not refreshed for this long belongs to a dead holder (proper-lockfile's minimum is 2000). */
  staleMs?: number;
  /** Give up acquiring after this long. */
  waitMs?: number;
  /** The lock file; default `<target>.lock`. */
  lockPath?: string;
  /** Called if the lock is lost while held (the holder was frozen past `staleMs`). Default: ignored. */
  onCompromised?: (err: Error) => void;
}

/**
 * 2 s (proper-lockfile's minimum): a dead holder delays the others about 2 s, inside a hook's audit
 * budget. A live holder is never mistaken for a dead one: it keeps the file lock for milliseconds
 * (read the tail, one write), and proper-lockfile refreshes the lock every second besides.
 */
export const DEFAULT_STALE_MS = 2000;
/** Long enough to outlast a dead holder's stale period plus a queue of live writers. */
export const DEFAULT_WAIT_MS = 10_000;

export class LockTimeoutError extends Error {
  constructor(readonly target: string, readonly waitMs: number) {
    super(`could not lock ${target} within ${waitMs} ms`);
    this.name = 'LockTimeoutError';
  }
}

/** Set on `globalThis` by a decision worker (hooks/worker.ts). */
export interface LockWatch { held(lockDir: string): void; released(lockDir: string): void }

type Lockfile = typeof LockfileModule;
let lockfile: Lockfile | undefined;

/**
 * proper-lockfile, loaded on first use: it installs exit handlers when it loads, and a hook that
 * does not write the file sink should not pay for that.
 */
export function lockfileModule(): Lockfile {
  lockfile ??= (typeof require === 'function' ? require('proper-lockfile') : sourceRequire(import.meta.url)('proper-lockfile')) as Lockfile;
  return lockfile;
}

/**
 * proper-lockfile's lock as a symbolic link instead of a folder, through its `fs` option: the
 * library keeps its protocol (an atomic exclusive create, staleness by mtime, refresh, take-over);
 * only the calls that make, look at, touch and remove the lock change, to their link forms
 * (`lstat`, `lutimes`: the link's own times, never its target's). Making a link allocates no file
 * body: on the ext4 disk (mounted with `discard`) of the project's machine, creating and removing
 * an empty file cost 19 to 630 µs per record and a folder 100 to 750 µs, varying with what else the
 * disk was doing, a link 10 to 15 µs (2,000 pairs each, several runs); a warm hook call takes about
 * 4 ms in all. The link leads nowhere and is never followed. A folder or
 * an empty file left by an earlier version is still seen as held (an exclusive create of any kind
 * fails on it), and removed as what it is when stale.
 */
export const LOCK_LINK_TEXT = 'hookwarden-lock';
/** A file system without symbolic links (vfat, some FUSE mounts) refuses with one of these. */
const NO_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);
const LINK_LOCK_FS = {
  ...nodeFs,
  mkdirSync: (p: string): void => {
    try {
      nodeFs.symlinkSync(LOCK_LINK_TEXT, p);
    } catch (err) {
      // There the lock is an empty file, made as exclusively (EEXIST, the lock being held, is thrown as it is).
      if (!NO_LINKS.has((err as NodeJS.ErrnoException).code ?? '')) throw err;
      nodeFs.closeSync(nodeFs.openSync(p, 'wx', 0o600));
    }
  },
  statSync: (p: string): nodeFs.Stats => nodeFs.lstatSync(p),
  utimesSync: (p: string, atime: Date, mtime: Date): void => nodeFs.lutimesSync(p, atime, mtime),
  rmdirSync: (p: string): void => removeLock(p),
};

/** Removes a lock: a link (or an empty file of an earlier version) by unlinking it, a folder of an earlier version by rmdir. */
function removeLock(p: string): void {
  try {
    nodeFs.unlinkSync(p);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM') throw err;
    nodeFs.rmdirSync(p);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Short, randomized polls: holders keep the lock for milliseconds, and jitter spreads the waiters. */
function pollDelay(attempt: number): number {
  const base = Math.min(40, 2 + attempt * 2);
  return base * (0.5 + Math.random());
}

/** Runs `fn` while holding the lock on `target`; the lock is released however `fn` ends. */
export async function withLock<T>(target: string, fn: () => T | Promise<T>, opts: LockOptions = {}): Promise<T> {
  const lf = lockfileModule();
  const waitMs = opts.waitMs ?? DEFAULT_WAIT_MS;
  const deadline = Date.now() + waitMs;
  const options: LockfileModule.LockOptions = {
    realpath: false,
    fs: LINK_LOCK_FS,
    stale: opts.staleMs ?? DEFAULT_STALE_MS,
    retries: 0,
    lockfilePath: opts.lockPath,
    // proper-lockfile's default throws from a timer, which would crash the hook.
    onCompromised: opts.onCompromised ?? (() => undefined),
  };
  // Each attempt is synchronous (mkdir, stat; rmdir to release): the asynchronous calls each waited
  // for a thread of libuv's pool, which on a busy machine cost milliseconds per record for three
  // system calls of microseconds. Only the wait between attempts yields.
  let release: () => void;
  for (let attempt = 0; ; attempt++) {
    try {
      release = lf.lockSync(target, options);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
      if (Date.now() >= deadline) throw new LockTimeoutError(target, waitMs);
      await sleep(Math.min(pollDelay(attempt), Math.max(1, deadline - Date.now())));
    }
  }
  // A hook's decision worker that runs past its deadline is terminated (hooks/runner.ts): V8 stops
  // its JavaScript, so no `finally` and no exit handler releases the lock. The worker tells the
  // side that terminates it which lock directories it holds, and that side removes them.
  const lockDir = opts.lockPath ?? `${target}.lock`;
  const watch = (globalThis as { __hookwardenLocks?: LockWatch }).__hookwardenLocks;
  watch?.held(lockDir);
  try {
    return await fn();
  } finally {
    // ERELEASED/ENOTACQUIRED: the lock was already taken over; nothing left to release.
    try {
      release();
    } catch {
      // Already taken over (see above).
    }
    watch?.released(lockDir);
  }
}
