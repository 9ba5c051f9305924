import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { followAudit } from '../../../cli/support/audit-follow.js';
import { auditFileList, readAudit, type AuditEntry, type AuditFilter } from '../../../cli/support/audit-query.js';
import { rotatedFiles } from '../../../lib/verify.js';
import { tempDirs } from '../../helpers/tmp.js';
import { series, writeAudit, writeAuditSync } from './audit-fixtures.js';

const tmp = tempDirs('hw-follow-');
const T0 = new Date('2026-11-24T10:00:00.000Z');

/** Starts following `file` as `tail --follow` does (backlog read first), collecting what it emits. */
function follow(file: string, filter: AuditFilter = {}) {
  const backlog = readAudit(auditFileList(file), { filter, keepOpen: true });
  const seen: AuditEntry[] = [];
  const ac = new AbortController();
  const done = followAudit(backlog.current!, { filter, onEntry: (e) => seen.push(e), signal: ac.signal, intervalMs: 10 });
  return {
    backlog: backlog.entries,
    seen,
    /** Waits (bounded) until `n` records arrived, then stops following. */
    async until(n: number): Promise<{ skipped: number }> {
      for (const end = Date.now() + 10_000; seen.length < n && Date.now() < end;) await sleep(10);
      await sleep(50); // a little longer: nothing more may arrive
      ac.abort();
      return done;
    },
  };
}

describe('followAudit', () => {
  it('prints what is appended after the backlog, once, through the filter', async () => {
    const file = path.join(tmp(), 'audit.jsonl');
    const before = await writeAudit(file, series(3, T0));
    const f = follow(file, { decision: 'deny' });
    assert.deepEqual(f.backlog.map((e) => e.rec.id), before.filter((r) => r.decision === 'deny').map((r) => r.id));
    await sleep(30);
    const after = await writeAudit(file, series(8, new Date(T0.getTime() + 3_600_000)));
    const want = after.filter((r) => r.decision === 'deny').map((r) => r.id);
    await f.until(want.length);
    assert.deepEqual(f.seen.map((e) => e.rec.id), want);
    assert.deepEqual(f.seen.map((e) => e.line), want.map((id) => fs.readFileSync(file, 'utf8').split('\n').find((l) => l.includes(id))));
  });

  it('waits for a line being written and prints it once complete', async () => {
    const file = path.join(tmp(), 'audit.jsonl');
    await writeAudit(file, series(1, T0));
    const f = follow(file);
    const other = path.join(tmp(), 'other.jsonl');
    writeAuditSync(other, series(1, T0));
    const line = fs.readFileSync(other, 'utf8').trimEnd();
    fs.appendFileSync(file, line.slice(0, 40));
    await sleep(60);
    assert.equal(f.seen.length, 0);
    fs.appendFileSync(file, `${line.slice(40)}\n`);
    await f.until(1);
    assert.deepEqual(f.seen.map((e) => e.line), [line]);
  });

  it('follows into the new file when the sink rotates, even several times between two polls', async () => {
    const file = path.join(tmp(), 'audit.jsonl');
    const first = await writeAudit(file, series(2, T0), 4096);
    const f = follow(file);
    assert.equal(f.backlog.length, 2);
    await sleep(30);
    // One synchronous burst: ~600-byte records in 4096-byte files rotate several times before the next poll.
    const burst = writeAuditSync(file, series(25, T0), 4096);
    await sleep(30);
    const slow = await writeAudit(file, series(10, T0), 4096); // and more rotations, poll by poll
    const want = [...burst, ...slow].map((r) => r.id);
    await f.until(want.length);
    assert.ok(rotatedFiles(file).length >= 5, String(rotatedFiles(file).length));
    assert.deepEqual(f.seen.map((e) => e.rec.id), want);
    assert.equal(new Set([...first.map((r) => r.id), ...f.seen.map((e) => e.rec.id)]).size, 37);
  });

  it('waits for a file that does not exist yet', async () => {
    const file = path.join(tmp(), 'state', 'audit.jsonl');
    const f = follow(file);
    assert.deepEqual(f.backlog, []);
    await sleep(30);
    const recs = await writeAudit(file, series(3, T0));
    await f.until(3);
    assert.deepEqual(f.seen.map((e) => e.rec.id), recs.map((r) => r.id));
  });

  it('counts torn lines it skips, and stops when aborted', async () => {
    const file = path.join(tmp(), 'audit.jsonl');
    await writeAudit(file, series(1, T0));
    const f = follow(file);
    await sleep(30);
    fs.appendFileSync(file, '{"torn\n');
    const recs = await writeAudit(file, series(1, T0));
    const res = await f.until(1);
    assert.deepEqual(f.seen.map((e) => e.rec.id), recs.map((r) => r.id));
    assert.equal(res.skipped, 1);
  });
});
