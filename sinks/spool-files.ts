// Spool files, low level: segment and queue listing, the cursor file (atomic replace), and line
// reading that survives torn lines. Only sinks/spool.ts and sinks/spool-bound.ts use this.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { AuditRecord } from '../lib/types.js';
import { openAppendOnly } from './file.js';

export interface SpoolEntry {
  /** The spooled line as written (no newline): sent verbatim as NDJSON. */
  line: string;
  record: AuditRecord;
}

export interface SpoolBatch {
  entries: SpoolEntry[];
  segment: string;
  /** Byte offset just past the last line of the batch. */
  end: number;
  /** Unparsable (torn) lines consumed by this batch. */
  skipped: number;
  newest: boolean;
}

const SEGMENT = /^\d{16}\.jsonl$/;
const QUEUE = /^(http|syslog|clickhouse)-[A-Za-z0-9._-]+$/;
const CURSOR = 'cursor.json';
const CHUNK = 1 << 20;
export const NL = 0x0a;

export function readdir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

export function listQueues(root: string): string[] {
  return readdir(root).filter((n) => QUEUE.test(n)).sort();
}

/** Segment file names of a queue directory, oldest first. */
export function listSegments(dir: string): string[] {
  return readdir(dir).filter((n) => SEGMENT.test(n)).sort();
}

export function sizeOf(file: string): number | undefined {
  try {
    return fs.statSync(file).size;
  } catch {
    return undefined;
  }
}

/**
 * A delivered older segment is deleted only once nobody has written to it for this long. A hook
 * that listed the segments just before a newer one appeared may still append to it; deletion is
 * safe anyway (detachSegment), but each such late line costs a re-append and may be sent twice.
 * Two seconds leave a margin even where mtimes have one-second precision.
 */
export const RETIRE_IDLE_MS = 2000;

/** Nobody has written to `file` for `ms` (a missing file counts as idle). */
export function idleFor(file: string, ms: number): boolean {
  try {
    return Date.now() - fs.statSync(file).mtimeMs >= ms;
  } catch {
    return true;
  }
}

/** Suffix of a segment taken out of the queue, before it is read one last time and deleted. */
export const DETACHED = '.detached';

/**
 * Appends one line to a segment: true when the line is in a segment still in the queue, false
 * when it was removed meanwhile (the caller writes again elsewhere). Removal renames the segment
 * first (detachSegment), then reads what is in it: a line that passed this check either stays in
 * the queue or is in the detached file before it is read; a line that fails it is written again.
 * Checking nlink alone was not enough: an unlink between this check and the return lost the line.
 */
export function appendToSegment(file: string, line: string): boolean {
  const fd = openAppendOnly(file);
  try {
    const { size } = fs.fstatSync(fd);
    let text = `${line}\n`;
    if (size > 0) {
      // A torn last line (writer killed mid-write) must not swallow this record: start a new line.
      const last = Buffer.alloc(1);
      fs.readSync(fd, last, 0, 1, size - 1);
      if (last[0] !== NL) text = `\n${text}`;
    }
    writeAll(fd, Buffer.from(text));
    return sameFile(fd, file);
  } finally {
    fs.closeSync(fd);
  }
}

/** `file` still names the file open as `fd`. */
function sameFile(fd: number, file: string): boolean {
  const open = fs.fstatSync(fd);
  try {
    const named = fs.statSync(file);
    return open.nlink > 0 && named.ino === open.ino && named.dev === open.dev;
  } catch {
    return false;
  }
}

/**
 * Takes a segment out of the queue by renaming it (atomic; hooks re-check the name after each
 * write). Returns the detached file, or undefined when another process removed it first.
 */
export function detachSegment(dir: string, seg: string): string | undefined {
  const to = path.join(dir, `${seg}${DETACHED}`);
  try {
    fs.renameSync(path.join(dir, seg), to);
    return to;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** Detached segments left by a remover that stopped before deleting them (segment names). */
export function listDetached(dir: string): string[] {
  return readdir(dir).filter((n) => n.endsWith(DETACHED) && SEGMENT.test(n.slice(0, -DETACHED.length)))
    .map((n) => n.slice(0, -DETACHED.length)).sort();
}

/** Complete record lines of `file` from byte `from` on (torn and foreign lines left out). */
export function recordLinesFrom(file: string, from: number): string[] {
  const buf = fs.readFileSync(file);
  const lines = buf.subarray(from > buf.length ? 0 : from).toString('utf8').split('\n');
  lines.pop(); // Unterminated tail: a write cut short, not a record.
  return lines.filter((line) => {
    try {
      const r: unknown = JSON.parse(line);
      return !!r && typeof r === 'object' && typeof (r as AuditRecord).id === 'string';
    } catch {
      return false;
    }
  });
}

export function writeAll(fd: number, buf: Buffer): void {
  for (let off = 0; off < buf.length;) off += fs.writeSync(fd, buf, off);
}

/** Committed offsets of partly delivered segments. A missing or damaged cursor means offset 0. */
export function readCursor(dir: string): Record<string, number> {
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(path.join(dir, CURSOR), 'utf8'));
    if (!parsed || typeof parsed !== 'object') return {};
    return Object.fromEntries(Object.entries(parsed).filter(([, v]) => Number.isSafeInteger(v) && v >= 0));
  } catch {
    return {};
  }
}

/** Replaces the cursor atomically (temp file, fsync, rename): a crash leaves the old or the new one. */
export function writeCursor(dir: string, cur: Record<string, number>): void {
  const live = new Set(listSegments(dir));
  const kept = Object.fromEntries(Object.entries(cur).filter(([seg]) => live.has(seg)));
  const tmp = path.join(dir, `${CURSOR}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    writeAll(fd, Buffer.from(JSON.stringify(kept)));
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, path.join(dir, CURSOR));
}

/** Number of newline-terminated lines in `file` from byte `from` on. */
export function countLines(file: string, from: number): number {
  let n = 0;
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(CHUNK);
    for (let pos = from; ;) {
      const got = fs.readSync(fd, buf, 0, CHUNK, pos);
      if (got <= 0) return n;
      for (let i = buf.indexOf(NL, 0); i >= 0 && i < got; i = buf.indexOf(NL, i + 1)) n++;
      pos += got;
    }
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Records lost if `file` goes, from byte `from` on. A SpoolDrop record in it carries its own
 * count forward, so the surviving drop records always add up to everything dropped.
 */
export function recordsIn(file: string, from: number): number {
  const text = fs.readFileSync(file).subarray(from).toString('utf8');
  const lines = text.split('\n');
  lines.pop(); // Unterminated tail: not a record.
  let n = 0;
  for (const line of lines) {
    if (line.trim() === '') continue;
    if (!line.includes('"SpoolDrop"')) {
      n++;
      continue;
    }
    try {
      const r = JSON.parse(line) as AuditRecord;
      const carried = (r.response as { dropped?: unknown } | undefined)?.dropped;
      n += r.event === 'SpoolDrop' && typeof carried === 'number' ? carried : 1;
    } catch {
      n++;
    }
  }
  return n;
}

/** Up to `max` records of one segment from byte `off`; torn and foreign lines are skipped and counted. */
export function readLines(file: string, segment: string, off: number, size: number, max: number, newest: boolean): SpoolBatch {
  const batch: SpoolBatch = { entries: [], segment, end: off, skipped: 0, newest };
  const fd = fs.openSync(file, 'r');
  try {
    let carry = Buffer.alloc(0);
    let pos = off;
    while (batch.entries.length < max && pos < size) {
      const buf = Buffer.alloc(Math.min(CHUNK, size - pos));
      const got = fs.readSync(fd, buf, 0, buf.length, pos);
      if (got <= 0) break;
      const data = carry.length > 0 ? Buffer.concat([carry, buf.subarray(0, got)]) : buf.subarray(0, got);
      const dataStart = pos - carry.length;
      pos += got;
      let start = 0;
      for (let nl = data.indexOf(NL); nl >= 0 && batch.entries.length < max; nl = data.indexOf(NL, start)) {
        takeLine(batch, data.subarray(start, nl).toString('utf8'));
        start = nl + 1;
        batch.end = dataStart + start;
      }
      carry = data.subarray(start);
    }
    // An unterminated tail in an older segment is torn for good (nobody appends there any more);
    // in the newest segment it may be a write in progress, so it waits.
    if (!newest && batch.entries.length < max && batch.end < size && pos >= size) {
      batch.skipped++;
      batch.end = size;
    }
  } finally {
    fs.closeSync(fd);
  }
  return batch;
}

function takeLine(batch: SpoolBatch, line: string): void {
  if (line.trim() === '') return;
  try {
    const record: unknown = JSON.parse(line);
    if (record && typeof record === 'object' && typeof (record as AuditRecord).id === 'string') {
      batch.entries.push({ line, record: record as AuditRecord });
      return;
    }
  } catch {
    // Torn or foreign line: skipped, counted.
  }
  batch.skipped++;
}
