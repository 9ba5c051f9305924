// The JSONL file sink, in three visible layers: `withLock` (sinks/lock.ts, cross-process) around
// `appendChained` (sinks/chain.ts, prev/hash) around `JsonlStore` (this file: tail read, torn-line
// repair, rotation, one write() per record on an O_APPEND descriptor, fsync).
import fs from 'node:fs';
import path from 'node:path';
import { appendChained, lastChainHash, type ChainStore } from './chain.js';
import { withLock, type LockOptions } from './lock.js';
import { rotatedPath } from '../lib/verify.js';
import type { FileSinkConfig } from '../lib/audit-config.js';
import type { Sink, SinkErrorHandler } from './types.js';
import type { AuditRecord } from '../lib/types.js';

/** Exactly $XDG_STATE_HOME/hookwarden/audit.jsonl, else ~/.local/state/hookwarden/audit.jsonl. */
export function defaultAuditPath(env: Record<string, string | undefined>, home: string): string {
  const state = env.XDG_STATE_HOME;
  // The XDG spec says to ignore a relative value.
  const base = state && path.isAbsolute(state) ? state : path.join(home, '.local', 'state');
  return path.join(base, 'hookwarden', 'audit.jsonl');
}

/** The configured path (`~/` expanded) or the default. */
export function auditPathOf(cfg: Pick<FileSinkConfig, 'path'>, env: Record<string, string | undefined>, home: string): string {
  if (!cfg.path) return defaultAuditPath(env, home);
  if (cfg.path === '~' || cfg.path.startsWith('~/')) return path.join(home, cfg.path.slice(1));
  return path.resolve(cfg.path);
}

const NEWLINE = 0x0a;
/** The first read of the tail: a record is usually under 2 KB (the read grows fourfold until one is found). */
const TAIL_CHUNK = 8 * 1024;

function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
}

function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Not every file system can sync a directory; the file itself was synced.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Opens a trail file (the audit file, a spool segment) to append to, readable for its tail: O_APPEND
 * (each write lands at the end, whoever else appends), never through a symbolic link at its own
 * name and only a regular file. A relative audit path lies in the call's repository, which may
 * commit a link there: following it would append the record (the call's command, `$(…)` included)
 * to whatever it names, `~/.bashrc` say, or wait on a FIFO.
 */
export function openAppendOnly(file: string): number {
  const C = fs.constants;
  let fd: number;
  try {
    fd = fs.openSync(file, C.O_RDWR | C.O_APPEND | C.O_CREAT | C.O_NOFOLLOW | C.O_NONBLOCK, 0o600);
  } catch (err) {
    // Linux says ELOOP for a link under O_NOFOLLOW, the BSDs (macOS) EMLINK or EFTYPE.
    const code = (err as NodeJS.ErrnoException).code ?? '';
    if (code === 'ELOOP' || code === 'EMLINK' || code === 'EFTYPE') throw new Error(`${file} is a symbolic link, not a regular file`);
    throw err;
  }
  let regular = false;
  try {
    regular = fs.fstatSync(fd).isFile();
  } finally {
    if (!regular) fs.closeSync(fd);
  }
  if (!regular) throw new Error(`${file} is not a regular file`);
  return fd;
}

/**
 * The folders from `under` (the call's directory a relative path was given against) down to
 * `file` hold no symbolic link: the repository the call runs in owns them, and a link there
 * (`logs` -> `~/.bashrc.d`) would put the trail, and what it holds, into a folder the guard protects.
 * Checked on the path as written (`a/../b` too), so the kernel resolves it exactly as it reads.
 */
function checkNoLinkBelow(file: string, under: string): void {
  // The path as the config gave it: resolveAuditPaths joined it to `under`, unnormalized.
  const base = under.replace(/\/+$/, '');
  if (!file.startsWith(`${base}/`)) return;
  const parts = file.slice(base.length + 1).split('/').slice(0, -1);
  let at = base;
  for (const part of parts) {
    if (part === '' || part === '.') continue;
    at = `${at}/${part}`;
    if (part === '..') continue;
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(at);
    } catch {
      return; // not there yet: made below as a folder
    }
    if (st.isSymbolicLink()) throw new Error(`audit folder ${at} is a symbolic link inside the project`);
  }
}

/** Directory 0700 when we create it (an existing one is the owner's choice and is left alone). */
export function ensureAuditDir(file: string, under?: string): void {
  if (under !== undefined) checkNoLinkBelow(file, under);
  const dir = path.dirname(file);
  if (fs.mkdirSync(dir, { recursive: true, mode: 0o700 }) !== undefined) fs.chmodSync(dir, 0o700);
}

/** One audit file, opened for one append with the lock held. */
export class JsonlStore implements ChainStore {
  private fd: number;
  private size: number;
  private tail?: { hash: string | null; newline: boolean };

  constructor(readonly file: string, private readonly cfg: Pick<FileSinkConfig, 'fsync' | 'rotateBytes'>) {
    ({ fd: this.fd, size: this.size } = this.open());
  }

  private open(): { fd: number; size: number } {
    const fd = openAppendOnly(this.file);
    try {
      const st = fs.fstatSync(fd);
      // 0600 also when the umask or an earlier hand-made file left it wider.
      if ((st.mode & 0o077) !== 0) fs.fchmodSync(fd, 0o600);
      return { fd, size: st.size };
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
  }

  /** Reads backwards from the end, only as far as the last complete record. */
  private readTail(): { hash: string | null; newline: boolean } {
    if (this.tail) return this.tail;
    if (this.size === 0) return (this.tail = { hash: null, newline: true });
    for (let chunk = TAIL_CHUNK; ; chunk *= 4) {
      const start = Math.max(0, this.size - chunk);
      const buf = Buffer.alloc(this.size - start);
      fs.readSync(this.fd, buf, 0, buf.length, start);
      const lines = buf.toString('utf8').split('\n');
      if (start > 0) lines.shift(); // may begin mid-line
      const hash = lastChainHash(lines);
      if (hash !== undefined || start === 0) {
        return (this.tail = { hash: hash ?? null, newline: buf[buf.length - 1] === NEWLINE });
      }
    }
  }

  lastHash(): string | null {
    return this.readTail().hash;
  }

  append(line: string, rec: AuditRecord): void {
    let buf = Buffer.from(line);
    if (this.size > 0 && this.size + buf.length > this.cfg.rotateBytes) {
      this.rotate();
    } else if (!this.readTail().newline) {
      // A killed writer left a torn line: end it, so this record starts on a line of its own.
      buf = Buffer.concat([Buffer.from('\n'), buf]);
    }
    const created = this.size === 0;
    writeAll(this.fd, buf); // one write() of the full line on an O_APPEND descriptor
    this.size += buf.length;
    this.tail = undefined;
    this.sync(rec, created);
  }

  /** fsync per config; `deny` syncs the records that block a call. */
  private sync(rec: AuditRecord, created: boolean): void {
    const mode = this.cfg.fsync;
    if (mode === 'always' || (mode === 'deny' && rec.decision === 'deny')) {
      fs.fsyncSync(this.fd);
      if (created) fsyncDir(path.dirname(this.file));
    }
  }

  /** Renames the full file beside itself; the chain continues into the new one (prev was read already). */
  private rotate(): void {
    const to = rotatedPath(this.file, new Date());
    fs.renameSync(this.file, to);
    fs.closeSync(this.fd);
    this.fd = -1;
    ({ fd: this.fd, size: this.size } = this.open());
    this.tail = { hash: null, newline: true };
  }

  close(): void {
    if (this.fd !== -1) fs.closeSync(this.fd);
    this.fd = -1;
  }
}

/** The chained append of one record; the caller holds the lock. Returns the record as stored. */
export function appendRecordLocked(file: string, rec: AuditRecord, cfg: Pick<FileSinkConfig, 'fsync' | 'rotateBytes'>): AuditRecord {
  const store = new JsonlStore(file, cfg);
  try {
    return appendChained(store, rec);
  } finally {
    store.close();
  }
}

/** Locks, links and appends one record. */
export async function appendRecord(
  file: string,
  rec: AuditRecord,
  cfg: Pick<FileSinkConfig, 'fsync' | 'rotateBytes' | 'under'>,
  lock?: LockOptions,
): Promise<AuditRecord> {
  ensureAuditDir(file, cfg.under);
  return withLock(file, () => appendRecordLocked(file, rec, cfg), lock);
}

export interface FileSinkOptions {
  env: Record<string, string | undefined>;
  home: string;
  /** Where write failures go; without it, `write` rejects instead. */
  onError?: SinkErrorHandler;
  lock?: LockOptions;
}

/** A file sink also tells the record as it stored it (with its prev and hash), for the spooled sinks. */
export interface FileSink extends Sink {
  /** Resolves to the stored record, or undefined when the write failed (reported through onError). */
  writeSealed(record: AuditRecord): Promise<AuditRecord | undefined>;
}

/**
 * Records of one sink are written one after another (a second in-process writer would only
 * poll the lock). A failed write is reported through `onError` and resolves, as the Sink
 * contract asks; with no `onError` it rejects, so a failure is never silent.
 */
export function createFileSink(cfg: FileSinkConfig, opts: FileSinkOptions): FileSink {
  const file = auditPathOf(cfg, opts.env, opts.home);
  const name = cfg.name ?? 'file';
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  const writeSealed = (record: AuditRecord): Promise<AuditRecord | undefined> => {
    const run = closed
      ? Promise.reject(new Error(`${name} sink is closed`))
      : queue.then(() => appendRecord(file, record, cfg, opts.lock));
    queue = run.catch(() => undefined);
    return run.then(
      (stored) => stored,
      (err: unknown) => {
        if (!opts.onError) throw err;
        opts.onError(name, err);
        return undefined;
      },
    );
  };
  return {
    name,
    writeSealed,
    write: (record: AuditRecord) => writeSealed(record).then(() => undefined),
    flush: () => queue.then(() => undefined),
    async close() {
      closed = true;
      await queue;
    },
  };
}
