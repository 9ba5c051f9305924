// Durable local spool: one queue per network sink, so the hook never waits on the network.
// A queue is a directory of append-only JSONL segments (`<16-digit time>.jsonl`) plus
// `cursor.json` (segment -> committed byte offset, replaced by atomic rename). Hooks append one
// line per record with a single write(); only the forwarder (holding the ship lock) reads,
// commits and deletes. Delivery is at-least-once: a crash before a commit re-sends the batch.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { AuditRecord } from '../lib/types.js';
import { messageOf } from '../lib/errors.js';
import type { Sink, SinkErrorHandler } from './types.js';
import { jsonSafe } from '../lib/record.js';
import type { AuditConfig, ClickHouseSinkConfig, HttpSinkConfig, SyslogSinkConfig } from '../lib/audit-config.js';

/** The sinks that deliver through the spool (and `hookwarden ship`). */
export type SpooledSinkConfig = HttpSinkConfig | SyslogSinkConfig | ClickHouseSinkConfig;
import { enforceBound, spoolDropRecord, type Drops } from './spool-bound.js';
import {
  RETIRE_IDLE_MS, appendToSegment, countLines, detachSegment, idleFor, listDetached, listSegments, readCursor, readLines,
  recordLinesFrom, sizeOf, writeCursor, type SpoolBatch, DETACHED,
} from './spool-files.js';

export { listQueues, type SpoolBatch, type SpoolEntry } from './spool-files.js';

export interface SpoolQueueOptions {
  /** Bound for the whole spool directory (all queues). */
  maxBytes: number;
  /** Told about dropped records (spool full) and other non-fatal problems. */
  onError?: (err: Error) => void;
}

export function defaultSpoolDir(env: Record<string, string | undefined>, home: string): string {
  const xdg = env.XDG_STATE_HOME;
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(home, '.local', 'state');
  return path.join(base, 'hookwarden', 'spool');
}

/** `audit.spool.dir` when configured (`~` expanded, relative to home), else the XDG default. */
export function spoolDir(audit: Pick<AuditConfig, 'spool'>, env: Record<string, string | undefined>, home: string): string {
  const dir = audit.spool.dir;
  if (!dir) return defaultSpoolDir(env, home);
  if (dir === '~' || dir.startsWith('~/')) return path.join(home, dir.slice(1));
  return path.resolve(home, dir);
}

/**
 * Queue directory name of a sink: its `name` when that is a safe file name, else a hash of
 * where it delivers (not of tuning options, so changing batchSize does not strand records).
 */
export function queueName(cfg: SpooledSinkConfig): string {
  if (cfg.name && /^[A-Za-z0-9._-]{1,64}$/.test(cfg.name)) return `${cfg.type}-${cfg.name}`;
  const where = cfg.type === 'http'
    ? cfg.url
    : cfg.type === 'clickhouse'
      ? `${cfg.url}#${cfg.database}.${cfg.table}`
      : `${cfg.transport}://${cfg.transport === 'unix' ? cfg.path : `${cfg.host}:${cfg.port ?? ''}`}`;
  return `${cfg.type}-${createHash('sha256').update(cfg.name ?? where).digest('hex').slice(0, 12)}`;
}

/** The sinks that deliver through the spool: HTTP and ClickHouse always, syslog unless it is plain UDP. */
export function spooledSinks(audit: Pick<AuditConfig, 'sinks'>): SpooledSinkConfig[] {
  return (audit.sinks ?? []).filter(
    (s): s is SpooledSinkConfig => s.type === 'http' || s.type === 'clickhouse' || (s.type === 'syslog' && s.transport !== 'udp'),
  );
}

/** Segment size: small enough that dropping the oldest segment frees a fraction of the bound. */
export function segmentBytes(maxBytes: number): number {
  return Math.min(8 << 20, Math.max(4096, Math.floor(maxBytes / 16)));
}

export { RETIRE_IDLE_MS } from './spool-files.js';

export class SpoolQueue {
  readonly dir: string;
  private made = false;

  constructor(readonly root: string, readonly name: string, private readonly opts: SpoolQueueOptions) {
    this.dir = path.join(root, name);
  }

  segments(): string[] {
    return listSegments(this.dir);
  }

  cursor(): Record<string, number> {
    return readCursor(this.dir);
  }

  /** Appends one record (synchronous: this runs on the hook path and must survive exit). */
  append(record: AuditRecord): void {
    this.appendLine(jsonSafe(JSON.stringify(record)), record);
  }

  appendLine(line: string, base?: AuditRecord, bounded = true): void {
    if (!this.made) {
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      this.made = true;
    }
    // A segment removed around our write (delivered, or dropped by the bound): write again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const { file, dropped } = this.target(bounded);
      let kept: boolean;
      try {
        kept = appendToSegment(file, line);
      } catch (err) {
        // The queue directory itself was removed (state wiped by hand): make it again.
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || attempt === 2) throw err;
        fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
        continue;
      }
      if (dropped.size > 0) this.recordDrops(dropped, base);
      if (kept) return;
    }
    throw new Error(`spool queue ${this.name}: segment removed while appending`);
  }

  /** The segment to append to, rolling (and enforcing the bound) when the newest one is full. */
  private target(bounded: boolean): { file: string; dropped: Drops } {
    const segs = this.segments();
    const newest = segs.at(-1);
    const limit = segmentBytes(this.opts.maxBytes);
    if (newest !== undefined) {
      const size = sizeOf(path.join(this.dir, newest));
      if (size !== undefined && size < limit) return { file: path.join(this.dir, newest), dropped: new Map() };
    }
    const next = String(Math.max(Date.now(), newest ? Number(newest.slice(0, 16)) + 1 : 0)).padStart(16, '0');
    const dropped: Drops = bounded ? enforceBound(this.root, this.name, this.opts.maxBytes - limit) : new Map();
    return { file: path.join(this.dir, `${next}.jsonl`), dropped };
  }

  private recordDrops(dropped: Drops, base?: AuditRecord): void {
    for (const [queue, d] of dropped) {
      const msg = `spool full (maxBytes ${this.opts.maxBytes}): dropped ${d.records} records (${d.bytes} bytes) of queue ${queue}`;
      const rec = spoolDropRecord(base, queue, d.records, d.bytes, msg);
      try {
        new SpoolQueue(this.root, queue, this.opts).appendLine(JSON.stringify(rec), rec, false);
      } catch (err) {
        this.opts.onError?.(err instanceof Error ? err : new Error(String(err)));
      }
      this.opts.onError?.(new Error(msg));
    }
  }

  /** Next batch of at most `max` records, from the oldest segment with undelivered lines. */
  read(max: number): SpoolBatch | undefined {
    const segs = this.segments();
    const cur = this.cursor();
    for (let i = 0; i < segs.length; i++) {
      const seg = segs[i] as string;
      const newest = i === segs.length - 1;
      const file = path.join(this.dir, seg);
      const size = sizeOf(file);
      if (size === undefined) continue;
      let off = cur[seg] ?? 0;
      if (off > size) off = 0; // Re-created after deletion: all of it is new.
      if (off < size) {
        const batch = readLines(file, seg, off, size, max, newest);
        if (batch.end > off) return batch;
      } else if (!newest && idleFor(file, RETIRE_IDLE_MS)) {
        this.retire(seg, cur);
      }
    }
    return undefined;
  }

  /**
   * Deletes the older segments that are fully delivered and idle, and finishes removals a stopped
   * process left half done. The forwarder calls it every round: `read` only runs while records are
   * pending, and a segment delivered a moment ago waits for RETIRE_IDLE_MS first.
   */
  retireDelivered(): void {
    const cur = this.cursor();
    for (const seg of listDetached(this.dir)) this.finishRetire(seg, cur);
    const segs = this.segments();
    for (const seg of segs.slice(0, -1)) {
      const file = path.join(this.dir, seg);
      const size = sizeOf(file);
      if (size !== undefined && (cur[seg] ?? 0) === size && idleFor(file, RETIRE_IDLE_MS)) this.retire(seg, cur);
    }
  }

  /** Marks a delivered batch as done; a fully delivered older segment is deleted once idle. */
  commit(batch: SpoolBatch): void {
    const cur = this.cursor();
    cur[batch.segment] = batch.end;
    const file = path.join(this.dir, batch.segment);
    if (!batch.newest && sizeOf(file) === batch.end && idleFor(file, RETIRE_IDLE_MS)) this.retire(batch.segment, cur);
    else writeCursor(this.dir, cur);
  }

  /**
   * Removes a delivered segment: rename it out of the queue, then move any line a late hook wrote
   * after delivery to the newest segment, then delete it and forget its offset. A crash at any step
   * loses nothing: a detached file left behind is finished by the next retireDelivered, and the
   * offset is forgotten last, so only lines written after delivery are moved (at worst twice).
   */
  private retire(seg: string, cur: Record<string, number>): void {
    if (detachSegment(this.dir, seg)) this.finishRetire(seg, cur);
  }

  private finishRetire(seg: string, cur: Record<string, number>): void {
    const file = path.join(this.dir, `${seg}${DETACHED}`);
    for (const line of recordLinesFrom(file, cur[seg] ?? 0)) this.appendLine(line, undefined, false);
    try {
      fs.unlinkSync(file);
    } catch {
      // Already gone.
    }
    delete cur[seg];
    writeCursor(this.dir, cur);
  }

  /** Undelivered records (complete lines). Reads the pending bytes: for the forwarder, not hooks. */
  pending(): number {
    const cur = this.cursor();
    let n = 0;
    for (const seg of this.segments()) {
      const file = path.join(this.dir, seg);
      const size = sizeOf(file);
      if (size === undefined) continue;
      const off = cur[seg] ?? 0;
      n += countLines(file, off > size ? 0 : off);
    }
    return n;
  }

  /** Cheap check (sizes against offsets) for the hook: is anything waiting? */
  hasPending(): boolean {
    const cur = this.cursor();
    return this.segments().some((seg) => {
      const size = sizeOf(path.join(this.dir, seg)) ?? 0;
      const off = cur[seg] ?? 0;
      return size > (off > size ? 0 : off);
    });
  }
}

/**
 * The sink of a remote destination (HTTP, syslog, ClickHouse): a hook only appends the record to
 * the destination's queue; `hookwarden ship` delivers it.
 */
export function spooledSink(name: string, opts: { queue: () => SpoolQueue; onError?: SinkErrorHandler }): Sink {
  return {
    name,
    async write(record: AuditRecord): Promise<void> {
      try {
        opts.queue().append(record);
      } catch (err) {
        opts.onError?.(name, new Error(`cannot spool the record: ${messageOf(err)}`));
      }
    },
    async flush(): Promise<void> {},
    async close(): Promise<void> {},
  };
}
