import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import fc from 'fast-check';
import { AuditConfigSchema } from '../../lib/audit-config.js';
import { RETIRE_IDLE_MS, SpoolQueue, defaultSpoolDir, queueName, segmentBytes, spoolDir, spooledSinks, type SpoolEntry } from '../../sinks/spool.js';
import type { AuditRecord } from '../../lib/types.js';
import { makeRecord, makeRecords } from './helpers/records.js';
import { enforceBound } from '../../sinks/spool-bound.js';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'hw-'));
const MiB = 1024 * 1024;

/** Reads and commits everything, like the forwarder does. */
function drainAll(q: SpoolQueue, batch = 7): { entries: SpoolEntry[]; skipped: number } {
  const entries: SpoolEntry[] = [];
  let skipped = 0;
  for (let b = q.read(batch); b; b = q.read(batch)) {
    entries.push(...b.entries);
    skipped += b.skipped;
    q.commit(b);
  }
  return { entries, skipped };
}

test('spool location: XDG_STATE_HOME when absolute, else ~/.local/state; audit.spool.dir wins', () => {
  const home = path.join(os.tmpdir(), 'home-x');
  assert.equal(defaultSpoolDir({ XDG_STATE_HOME: '/srv/state' }, home), path.join('/srv/state', 'hookwarden', 'spool'));
  assert.equal(defaultSpoolDir({ XDG_STATE_HOME: 'relative' }, home), path.join(home, '.local/state/hookwarden/spool'));
  assert.equal(defaultSpoolDir({}, home), path.join(home, '.local/state/hookwarden/spool'));
  const audit = AuditConfigSchema.parse({ spool: { dir: '~/sp' } });
  assert.equal(spoolDir(audit, {}, home), path.join(home, 'sp'));
});

test('queue names: the sink name when safe, else a hash of the destination only', () => {
  const a = AuditConfigSchema.parse({
    sinks: [
      { type: 'http', name: 'siem', url: 'https://siem.example/ingest' },
      { type: 'http', url: 'https://siem.example/ingest', batchSize: 5 },
      { type: 'http', url: 'https://siem.example/ingest', batchSize: 50 },
      { type: 'http', name: 'bad name/..', url: 'https://x.example/' },
      { type: 'syslog', transport: 'tcp', host: 'logs', port: 601 },
      { type: 'syslog', transport: 'udp' },
      { type: 'file' },
    ],
  });
  const spooled = spooledSinks(a);
  assert.deepEqual(spooled.map((s) => s.type), ['http', 'http', 'http', 'http', 'syslog'], 'UDP syslog and file never spool');
  const names = spooled.map(queueName);
  assert.equal(names[0], 'http-siem');
  assert.equal(names[1], names[2], 'tuning options do not move the queue');
  assert.match(names[3] as string, /^http-[0-9a-f]{12}$/);
  assert.match(names[4] as string, /^syslog-[0-9a-f]{12}$/);
});

test('append, read, commit: every record once, in order; dir 0700, files 0600', () => {
  const root = path.join(tmp(), 'spool');
  const q = new SpoolQueue(root, 'http-a', { maxBytes: 100 * MiB });
  const recs = makeRecords(25);
  for (const r of recs) q.append(r);
  assert.equal(q.pending(), 25);
  assert.ok(q.hasPending());
  assert.equal(fs.statSync(root).mode & 0o777, 0o700);
  assert.equal(fs.statSync(q.dir).mode & 0o777, 0o700);
  for (const f of fs.readdirSync(q.dir)) assert.equal(fs.statSync(path.join(q.dir, f)).mode & 0o777, 0o600, f);
  const first = q.read(10);
  assert.equal(first?.entries.length, 10);
  // Not committed (a forwarder killed here): a new reader gets the same batch again.
  const again = new SpoolQueue(root, 'http-a', { maxBytes: 100 * MiB }).read(10);
  assert.deepEqual(again?.entries.map((e) => e.record.id), first?.entries.map((e) => e.record.id));
  const { entries, skipped } = drainAll(q);
  assert.deepEqual(entries.map((e) => e.record), recs);
  assert.equal(skipped, 0);
  assert.equal(q.pending(), 0);
  assert.equal(q.hasPending(), false);
  assert.equal(q.read(10), undefined);
  // Lines are kept verbatim (NDJSON bodies are the spooled lines).
  assert.equal(entries[0]?.line, JSON.stringify(recs[0]));
});

test('a torn last line (writer killed mid-write) is skipped and does not swallow the next record', () => {
  const q = new SpoolQueue(path.join(tmp(), 'spool'), 'http-a', { maxBytes: 100 * MiB });
  const [r1, r2, r3] = makeRecords(3);
  q.append(r1 as AuditRecord);
  const seg = path.join(q.dir, q.segments()[0] as string);
  fs.appendFileSync(seg, JSON.stringify(r2).slice(0, 40));
  assert.equal(q.read(10)?.entries.length, 1, 'an unterminated tail in the newest segment waits');
  q.append(r3 as AuditRecord);
  const { entries, skipped } = drainAll(q);
  assert.deepEqual(entries.map((e) => e.record.id), [r1?.id, r3?.id]);
  assert.equal(skipped, 1);
});

test('segments roll at the size limit; delivered older segments are deleted once idle', () => {
  const maxBytes = 65536;
  const q = new SpoolQueue(path.join(tmp(), 'spool'), 'http-a', { maxBytes });
  const recs = makeRecords(40);
  for (const r of recs) q.append(r);
  const segs = q.segments();
  assert.ok(segs.length >= 3, `expected several segments of ${segmentBytes(maxBytes)} bytes, got ${segs.length}`);
  const { entries } = drainAll(q, 5);
  assert.deepEqual(entries.map((e) => e.record.id), recs.map((r) => r.id));
  // Just written: a hook that listed them a moment ago may still be appending, so they stay.
  assert.deepEqual(q.segments(), segs);
  assert.equal(drainAll(q).entries.length, 0, 'delivered records are not read again');
  const past = (Date.now() - RETIRE_IDLE_MS - 1000) / 1000;
  for (const s of segs) fs.utimesSync(path.join(q.dir, s), past, past);
  // Nothing is pending any more, so the forwarder sweeps instead of reading.
  assert.equal(q.hasPending(), false);
  q.retireDelivered();
  assert.deepEqual(q.segments(), [segs.at(-1)], 'only the newest segment (hooks may append to it) is kept');
});

test('spool full: delivered segments go first, even ones written a moment ago, before any undelivered record', () => {
  const maxBytes = 65536;
  const root = path.join(tmp(), 'spool');
  const q = new SpoolQueue(root, 'http-a', { maxBytes });
  const recs = makeRecords(40);
  for (const r of recs.slice(0, 20)) q.append(r);
  const delivered = q.segments();
  drainAll(q, 5); // delivered, but not idle: still on disk
  for (const r of recs.slice(20)) q.append(r);
  assert.ok(q.segments().length > delivered.length);
  const sizes = delivered.slice(0, -1).reduce((n, s) => n + fs.statSync(path.join(q.dir, s)).size, 0);
  const total = q.segments().reduce((n, s) => n + fs.statSync(path.join(q.dir, s)).size, 0);
  const dropped = enforceBound(root, 'other', total - sizes);
  assert.equal(dropped.size, 0, 'no undelivered record dropped');
  assert.equal(drainAll(q).entries.length, 20, 'the undelivered records are all still there');
});

test('spool full: the oldest segments go, the drop is recorded as a SpoolDrop record and reported', () => {
  const root = path.join(tmp(), 'spool');
  const maxBytes = 65536;
  const errors: string[] = [];
  const q = new SpoolQueue(root, 'http-a', { maxBytes, onError: (e) => errors.push(e.message) });
  const other = new SpoolQueue(root, 'syslog-b', { maxBytes });
  const pad = 'x'.repeat(400);
  const total = 400;
  for (let i = 0; i < total; i++) {
    q.append(makeRecord(i, { reason: pad }));
    if (i % 40 === 0) other.append(makeRecord(i));
  }
  const bytes = [q, other].flatMap((x) => x.segments().map((s) => fs.statSync(path.join(x.dir, s)).size)).reduce((a, b) => a + b, 0);
  assert.ok(bytes <= maxBytes + segmentBytes(maxBytes), `spool holds ${bytes} bytes, bound ${maxBytes}`);
  assert.ok(errors.length > 0 && errors.every((e) => /spool full .*dropped \d+ records/.test(e)), errors.join('\n'));
  const { entries } = drainAll(q);
  const drops = entries.filter((e) => e.record.event === 'SpoolDrop');
  const kept = entries.filter((e) => e.record.event !== 'SpoolDrop');
  assert.ok(drops.length > 0);
  const dropped = drops.reduce((n, e) => n + (e.record.response as { dropped: number }).dropped, 0);
  // Every record is either still here or counted in a drop record.
  assert.equal(kept.length + dropped, total);
  // What is kept is the newest: the tail of what was written.
  assert.equal(kept.at(-1)?.record.pid, makeRecord(total - 1).pid);
  for (const d of drops) assert.equal(d.record.error?.startsWith('spool full'), true);
});

test('fault injection: garbage between appends never throws and never loses an appended record', () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(fc.constant<'rec'>('rec'), fc.string({ maxLength: 30 }).map((s) => `#${s}`), fc.constant('\n')), { maxLength: 30 }),
      fc.integer({ min: 1, max: 8 }),
      (ops, batch) => {
        const q = new SpoolQueue(path.join(tmp(), 'spool'), 'http-p', { maxBytes: 100 * MiB });
        const appended: string[] = [];
        ops.forEach((op, i) => {
          if (op === 'rec') {
            const r = makeRecord(i);
            q.append(r);
            appended.push(r.id);
          } else {
            const seg = q.segments().at(-1) ?? '0000000000000001.jsonl';
            fs.mkdirSync(q.dir, { recursive: true });
            fs.appendFileSync(path.join(q.dir, seg), op);
          }
        });
        const { entries } = drainAll(q, batch);
        assert.deepEqual(entries.map((e) => e.record.id), appended);
      },
    ),
    { numRuns: 60 },
  );
});

test('many processes appending while a reader drains: every record read exactly once', async () => {
  const root = path.join(tmp(), 'spool');
  const maxBytes = 1024 * 1024; // 64 KiB segments: several rolls during the run
  const procs = 6;
  const each = 150;
  const spoolTs = new URL('../../sinks/spool.ts', import.meta.url).href;
  const recordsTs = new URL('./helpers/records.ts', import.meta.url).href;
  const code = `
    const { SpoolQueue } = await import(${JSON.stringify(spoolTs)});
    const { makeRecord } = await import(${JSON.stringify(recordsTs)});
    const q = new SpoolQueue(process.env.ROOT, 'http-c', { maxBytes: ${maxBytes} });
    for (let i = 0; i < ${each}; i++) q.append(makeRecord(i, { reason: 'w' + process.env.W + '-' + i + ' ' + 'y'.repeat(600) }));
  `;
  const cwd = path.resolve(import.meta.dirname, '..', '..');
  const children = Array.from({ length: procs }, (_, w) => new Promise<number | null>((resolve) => {
    const c = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      cwd, env: { ...process.env, ROOT: root, W: String(w) }, stdio: ['ignore', 'ignore', 'inherit'],
    });
    c.on('close', resolve);
  }));
  const q = new SpoolQueue(root, 'http-c', { maxBytes });
  const seen: string[] = [];
  let done = false;
  const all = Promise.all(children).then((codes) => {
    done = true;
    return codes;
  });
  while (!done) {
    seen.push(...drainAll(q, 13).entries.map((e) => e.record.reason as string));
    await new Promise((r) => setTimeout(r, 5));
  }
  assert.deepEqual(await all, Array(procs).fill(0));
  seen.push(...drainAll(q, 13).entries.map((e) => e.record.reason as string));
  const tags = seen.map((s) => s.split(' ')[0]);
  assert.equal(new Set(tags).size, tags.length, 'no record read twice');
  assert.equal(tags.length, procs * each, 'no record lost');
});

test('kill -9 of a hook in the middle of appending: later appends and reads carry on', async () => {
  const root = path.join(tmp(), 'spool');
  const spoolTs = new URL('../../sinks/spool.ts', import.meta.url).href;
  const recordsTs = new URL('./helpers/records.ts', import.meta.url).href;
  // Large records make each append a long write(), so the kill can land inside one.
  const code = `
    const { SpoolQueue } = await import(${JSON.stringify(spoolTs)});
    const { makeRecord } = await import(${JSON.stringify(recordsTs)});
    const q = new SpoolQueue(process.env.ROOT, 'http-k', { maxBytes: 100 * 1024 * 1024 });
    const pad = 'z'.repeat(256 * 1024);
    for (let i = 0; ; i++) q.append(makeRecord(i, { reason: pad }));
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: path.resolve(import.meta.dirname, '..', '..'), env: { ...process.env, ROOT: root }, stdio: 'ignore',
  });
  const q = new SpoolQueue(root, 'http-k', { maxBytes: 100 * MiB });
  for (let i = 0; i < 400 && q.pending() < 3; i++) await new Promise((r) => setTimeout(r, 10));
  const closed = new Promise((resolve) => child.on('close', resolve));
  child.kill('SIGKILL');
  await closed;
  const after = makeRecords(5);
  for (const r of after) q.append(r);
  const { entries, skipped } = drainAll(q, 4);
  assert.ok(skipped <= 1, `at most the one interrupted line is lost, not ${skipped}`);
  assert.ok(entries.length >= 3 + 5);
  assert.deepEqual(entries.slice(-5).map((e) => e.record.id), after.map((r) => r.id));
  assert.equal(q.pending(), 0);
});
