// Removing a spool segment while hooks may still append to it: the interleavings a hook that listed
// the segments just before a roll can hit. The removal is interrupted at the exact point through
// node:fs itself (the spool calls it at call time), so each race is forced, not hoped for.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RETIRE_IDLE_MS, SpoolQueue, type SpoolEntry } from '../../sinks/spool.js';
import { DETACHED, appendToSegment, detachSegment } from '../../sinks/spool-files.js';
import { enforceBound } from '../../sinks/spool-bound.js';
import { makeRecord, makeRecords } from './helpers/records.js';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'hw-'));
const MAX = 65536; // 4 KiB segments

function drainAll(q: SpoolQueue): SpoolEntry[] {
  const out: SpoolEntry[] = [];
  for (let b = q.read(7); b; b = q.read(7)) {
    out.push(...b.entries);
    q.commit(b);
  }
  return out;
}

/** A queue with several segments, all delivered, the older ones idle: ready to be retired. */
function deliveredQueue(): { q: SpoolQueue; older: string } {
  const q = new SpoolQueue(path.join(tmp(), 'spool'), 'http-a', { maxBytes: MAX });
  for (const r of makeRecords(20)) q.append(r);
  assert.equal(drainAll(q).length, 20);
  const past = (Date.now() - RETIRE_IDLE_MS - 1000) / 1000;
  for (const s of q.segments()) fs.utimesSync(path.join(q.dir, s), past, past);
  assert.ok(q.segments().length >= 3);
  return { q, older: path.join(q.dir, q.segments()[0] as string) };
}

/** Runs `before` once, just before the first rename or unlink of `file`, whichever removes it. */
function beforeRemoval<T>(file: string, before: () => void, body: () => T): T {
  const { renameSync, unlinkSync } = fs;
  let armed = true;
  const fire = (p: fs.PathLike): void => {
    if (armed && path.resolve(String(p)) === file) {
      armed = false;
      before();
    }
  };
  fs.renameSync = (from, to) => (fire(from), renameSync(from, to));
  fs.unlinkSync = (p) => (fire(p), unlinkSync(p));
  try {
    return body();
  } finally {
    fs.renameSync = renameSync;
    fs.unlinkSync = unlinkSync;
    assert.equal(armed, false, 'the removal happened');
  }
}

test('a late line that lands just before its delivered segment is removed is delivered, once', () => {
  const { q, older } = deliveredQueue();
  const late = makeRecord(99, { reason: 'late' });
  let kept: boolean | undefined;
  beforeRemoval(older, () => (kept = appendToSegment(older, JSON.stringify(late))), () => q.retireDelivered());
  assert.equal(kept, true, 'the hook saw its line kept, so it will not write it again');
  assert.deepEqual(drainAll(q).map((e) => e.record.id), [late.id]);
  assert.deepEqual(fs.readdirSync(q.dir).filter((n) => n.endsWith(DETACHED)), []);
});

test('a line written while the segment is being removed makes the hook write it again', () => {
  const { q, older } = deliveredQueue();
  const { writeSync } = fs;
  let renamed = false;
  // The removal lands between the hook's write and its check.
  fs.writeSync = ((fd: number, ...rest: unknown[]) => {
    const n = (writeSync as (...a: unknown[]) => number)(fd, ...rest);
    if (!renamed) {
      renamed = true;
      detachSegment(q.dir, path.basename(older));
    }
    return n;
  }) as typeof fs.writeSync;
  let kept: boolean;
  try {
    kept = appendToSegment(older, JSON.stringify(makeRecord(7)));
  } finally {
    fs.writeSync = writeSync;
  }
  assert.equal(kept, false);
  // Unlinked outright (no rename) is seen too.
  const other = path.join(q.dir, q.segments()[0] as string);
  fs.writeSync = ((fd: number, ...rest: unknown[]) => {
    const n = (writeSync as (...a: unknown[]) => number)(fd, ...rest);
    fs.writeSync = writeSync;
    fs.unlinkSync(other);
    return n;
  }) as typeof fs.writeSync;
  try {
    assert.equal(appendToSegment(other, JSON.stringify(makeRecord(8))), false);
  } finally {
    fs.writeSync = writeSync;
  }
  assert.equal(appendToSegment(path.join(q.dir, q.segments().at(-1) as string), JSON.stringify(makeRecord(9))), true);
});

test('a removal stopped half way (process killed after the rename) is finished by the next sweep', () => {
  const { q, older } = deliveredQueue();
  const late = makeRecord(42, { reason: 'after delivery' });
  assert.equal(appendToSegment(older, JSON.stringify(late)), true);
  fs.appendFileSync(older, '{"torn":'); // and a torn tail, which is not a record
  assert.ok(detachSegment(q.dir, path.basename(older)));
  assert.equal(detachSegment(q.dir, path.basename(older)), undefined, 'a second remover finds it gone');
  q.retireDelivered();
  assert.deepEqual(fs.readdirSync(q.dir).filter((n) => n.endsWith(DETACHED)), []);
  assert.deepEqual(drainAll(q).map((e) => e.record.id), [late.id], 'only the line written after delivery, once');
  assert.equal(q.cursor()[path.basename(older)], undefined, 'its offset is forgotten');
});

test('spool full: a line that lands just before its segment is dropped is counted in the drop', () => {
  const root = path.join(tmp(), 'spool');
  const q = new SpoolQueue(root, 'http-a', { maxBytes: MAX });
  for (const r of makeRecords(20)) q.append(r);
  const segs = q.segments();
  const older = path.join(q.dir, segs[0] as string);
  // Every segment but the newest goes; none was delivered, so each of their records counts.
  const before = segs.slice(0, -1).reduce((n, s) => n + fs.readFileSync(path.join(q.dir, s), 'utf8').split('\n').filter(Boolean).length, 0);
  const dropped = beforeRemoval(
    older, () => assert.equal(appendToSegment(older, JSON.stringify(makeRecord(77))), true), () => enforceBound(root, 'other', 1),
  );
  const mine = dropped.get('http-a');
  assert.equal(mine?.records, before + 1, 'the late line is counted with the rest');
  assert.deepEqual(fs.readdirSync(q.dir).filter((n) => n.endsWith(DETACHED)), []);
});
