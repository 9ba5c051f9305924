// The spool's size bound: when a queue rolls to a new segment and the whole spool would pass
// `audit.spool.maxBytes`, the oldest segments (of any queue) are deleted, and what was lost is
// counted so that a SpoolDrop record can say so.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { uuidv7 } from '../lib/ids.js';
import type { AuditRecord } from '../lib/types.js';
import { detachSegment, listQueues, listSegments, readCursor, recordsIn, sizeOf } from './spool-files.js';

export type Drops = Map<string, { records: number; bytes: number }>;

/**
 * Drops the oldest segments of the whole spool until it fits `limit` bytes. Each queue's newest
 * segment is kept (hooks may be appending to it), except in `rolling`, the queue about to start a
 * new segment. Returns what was dropped, per queue.
 */
export function enforceBound(root: string, rolling: string, limit: number): Drops {
  const dropped: Drops = new Map();
  const candidates: { queue: string; seg: string; size: number }[] = [];
  let total = 0;
  for (const q of listQueues(root)) {
    const segs = listSegments(path.join(root, q));
    segs.forEach((seg, i) => {
      const size = sizeOf(path.join(root, q, seg)) ?? 0;
      total += size;
      if (i < segs.length - 1 || q === rolling) candidates.push({ queue: q, seg, size });
    });
  }
  if (total <= limit) return dropped;
  // Segment names are creation times, so this is oldest first across queues.
  candidates.sort((a, b) => a.seg.localeCompare(b.seg) || a.queue.localeCompare(b.queue));
  for (const c of candidates) {
    if (total <= limit) break;
    // Renamed before counting, so that a hook's line lands either in the count or, when the
    // hook sees the segment gone, in a segment that stays (spool-files.ts, appendToSegment).
    const file = detachSegment(path.join(root, c.queue), c.seg);
    if (!file) continue; // Already gone (another process dropped or delivered it).
    let records = 0;
    try {
      const off = readCursor(path.join(root, c.queue))[c.seg] ?? 0;
      const size = fs.statSync(file).size;
      records = recordsIn(file, off > size ? 0 : off);
      fs.unlinkSync(file);
    } catch {
      continue; // Removed by another process meanwhile.
    }
    total -= c.size;
    if (records === 0) continue; // delivered already, waiting to be retired (spool.ts): nothing lost
    const d = dropped.get(c.queue) ?? { records: 0, bytes: 0 };
    dropped.set(c.queue, { records: d.records + records, bytes: d.bytes + c.size });
  }
  return dropped;
}

/** The record that says records were dropped; `response.dropped` carries the count. */
export function spoolDropRecord(base: AuditRecord | undefined, queue: string, records: number, bytes: number, msg: string): AuditRecord {
  const now = Date.now();
  return {
    v: 1,
    id: uuidv7(now),
    ts: new Date(now).toISOString(),
    time: now,
    level: 50,
    msg,
    agent: base?.agent ?? 'claude',
    event: 'SpoolDrop',
    error: msg,
    reason: msg,
    response: { queue, dropped: records, bytes },
    host: base?.host ?? os.hostname(),
    user: base?.user ?? '',
    pid: process.pid,
    version: base?.version ?? '',
  };
}
