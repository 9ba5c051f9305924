import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import {
  auditFileList, forEachRecord, parseRecordLine, parseSince, readAudit, recordMatches, rotatedAt, scanLines, type AuditFilter,
} from '../../../cli/support/audit-query.js';
import { rotatedFiles } from '../../../lib/verify.js';
import { GuardError } from '../../../lib/types.js';
import { tempDirs } from '../../helpers/tmp.js';
import { makeRecord, series, writeAudit, writeAuditSync } from './audit-fixtures.js';

const tmp = tempDirs('hw-query-');
const NOW = Date.parse('2026-11-24T12:00:00.000Z');
const T0 = new Date('2026-11-24T10:00:00.000Z');

describe('parseSince', () => {
  const ok: [string, number][] = [
    ['90s', NOW - 90_000],
    ['30m', NOW - 30 * 60_000],
    ['1h', NOW - 3_600_000],
    ['2d', NOW - 2 * 86_400_000],
    ['1w', NOW - 7 * 86_400_000],
    ['0m', NOW],
    ['2026-11-24T10:00:00Z', Date.parse('2026-11-24T10:00:00Z')],
    ['2026-11-24T10:00:00.250Z', Date.parse('2026-11-24T10:00:00.250Z')],
    ['2026-11-24T12:00:00+02:00', Date.parse('2026-11-24T10:00:00Z')],
    ['2026-11-24t10:00:00z', Date.parse('2026-11-24T10:00:00Z')],
    ['2026-11-24 10:00:00Z', Date.parse('2026-11-24T10:00:00Z')],
    ['2026-11-24', Date.parse('2026-11-24T00:00:00Z')],
    ['2028-02-29T00:00:00Z', Date.parse('2028-02-29T00:00:00Z')],
  ];
  for (const [text, want] of ok) it(`${text}`, () => assert.equal(parseSince(text, NOW), want));

  const bad = ['', '1', 'h', '1y', '-1h', '1.5h', '1h30m', ' 1h', '2026-02-30T00:00:00Z', '2027-02-29', '2026-13-01',
    '2026-11-24T24:00:00Z', '2026-11-24T10:60:00Z', '2026-11-24T10:00Z', '2026-11-24T10:00:00', '2026-11-24T10:00:00+2:00', 'yesterday'];
  for (const text of bad) {
    it(`refuses ${JSON.stringify(text)}`, () => assert.throws(() => parseSince(text, NOW), GuardError));
  }
  it('says what it expects', () => {
    assert.throws(() => parseSince('3x', NOW), {
      message: '--since: expected a duration (30m, 1h, 2d) or an RFC 3339 time (2026-11-24T10:00:00Z), got "3x"',
    });
  });
  it('never throws anything but GuardError, and returns a finite time', () => {
    fc.assert(fc.property(fc.string({ maxLength: 40 }), (s) => {
      try {
        assert.ok(Number.isFinite(parseSince(s, NOW)));
      } catch (err) {
        assert.ok(err instanceof GuardError, String(err));
      }
    }), { numRuns: 2000 });
  });
  it('reads back every ISO time and every duration', () => {
    fc.assert(fc.property(fc.date({ min: new Date('1970-01-01'), max: new Date('9999-12-31'), noInvalidDate: true }), (d) => {
      assert.equal(parseSince(d.toISOString(), NOW), d.getTime());
    }));
    fc.assert(fc.property(fc.integer({ min: 0, max: 999_999_999 }), fc.constantFrom(['s', 1000], ['m', 60_000], ['h', 3_600_000]), (n, [u, ms]) => {
      assert.equal(parseSince(`${n}${u}`, NOW), NOW - n * ms);
    }));
  });
});

describe('recordMatches', () => {
  const rec = makeRecord({ at: T0, tool: 'mcp__fs__write_file', decision: 'deny', rule: 'secrets', session: 's1', event: 'PreToolUse' });
  const cases: [AuditFilter, boolean][] = [
    [{}, true],
    [{ session: 's1' }, true],
    [{ session: 's2' }, false],
    [{ decision: 'deny' }, true],
    [{ decision: 'allow' }, false],
    [{ tool: 'mcp__fs__write_file' }, true],
    [{ tool: 'mcp__fs__*' }, true],
    [{ tool: 'mcp__git__*' }, false],
    [{ tool: 'mcp__fs__write' }, false],
    [{ event: 'PreToolUse' }, true],
    [{ event: 'PostToolUse' }, false],
    [{ since: T0.getTime() }, true],
    [{ since: T0.getTime() + 1 }, false],
    [{ session: 's1', decision: 'deny', tool: 'mcp__*', since: T0.getTime() - 1 }, true],
  ];
  for (const [f, want] of cases) it(`${JSON.stringify(f)} -> ${want}`, () => assert.equal(recordMatches(rec, f), want));
  it('a record without a tool matches no tool filter; an unparseable ts matches no --since', () => {
    const { tool: _t, ...noTool } = rec;
    assert.equal(recordMatches(noTool, { tool: 'Bash*' }), false);
    assert.equal(recordMatches({ ...rec, ts: 'garbage' }, { since: 0 }), false);
  });
});

describe('parseRecordLine', () => {
  it('takes JSON objects with ts and event, nothing else', () => {
    assert.equal(parseRecordLine(JSON.stringify(makeRecord({ at: T0 })))?.ts, T0.toISOString());
    for (const line of ['', '   ', '{"ts":"x"', '[1]', 'null', '"x"', '{"ts":1,"event":"E"}', '{"event":"E"}', ' {"ts":"x","event":"E"}']) {
      assert.equal(parseRecordLine(line), undefined, line);
    }
  });
});

describe('scanLines', () => {
  it('returns complete lines across chunk boundaries and stops before an unterminated one', () => {
    const file = path.join(tmp(), 'lines');
    const long = 'x'.repeat(1.5 * 1024 * 1024);
    fs.writeFileSync(file, `a\n${long}\n\nb\npartial`);
    const fd = fs.openSync(file, 'r');
    const lines: string[] = [];
    const end = scanLines(fd, 0, (l) => lines.push(l));
    assert.deepEqual(lines.map((l) => l.length), [1, long.length, 0, 1]);
    assert.equal(lines[1], long);
    assert.equal(end, fs.statSync(file).size - 'partial'.length);
    fs.appendFileSync(file, '-done\n');
    const more: string[] = [];
    assert.equal(scanLines(fd, end, (l) => more.push(l)), fs.statSync(file).size);
    assert.deepEqual(more, ['partial-done']);
    fs.closeSync(fd);
  });
});

describe('readAudit over a rotated trail', async () => {
  const dir = tmp();
  const file = path.join(dir, 'audit.jsonl');
  // ~600-byte records, 4096-byte files: 30 records span several rotated files.
  const stored = await writeAudit(file, series(30, T0), 4096);
  const ids = (es: { rec: { id: string } }[]) => es.map((e) => e.rec.id);
  const files = auditFileList(file);

  it('really rotated, and lists the files oldest first', () => {
    assert.ok(rotatedFiles(file).length >= 3, String(rotatedFiles(file).length));
    assert.deepEqual(files, [...rotatedFiles(file), file]);
  });
  it('the last 20, in order, across files', () => {
    assert.deepEqual(ids(readAudit(files, { filter: {}, limit: 20 }).entries), stored.slice(10).map((r) => r.id));
  });
  it('everything without a limit; nothing with limit 0', () => {
    assert.deepEqual(ids(readAudit(files, { filter: {} }).entries), stored.map((r) => r.id));
    assert.deepEqual(readAudit(files, { filter: {}, limit: 0 }).entries, []);
  });
  it('the last N of the matching ones', () => {
    const deny = stored.filter((r) => r.decision === 'deny');
    assert.deepEqual(ids(readAudit(files, { filter: { decision: 'deny' }, limit: 3 }).entries), deny.slice(-3).map((r) => r.id));
    assert.deepEqual(ids(readAudit(files, { filter: { tool: 'Write', decision: 'ask' } }).entries),
      stored.filter((r) => r.tool === 'Write' && r.decision === 'ask').map((r) => r.id));
  });
  it('keeps each line exactly as stored', () => {
    const lines = files.flatMap((f) => fs.readFileSync(f, 'utf8').split('\n').filter(Boolean));
    assert.deepEqual(readAudit(files, { filter: {} }).entries.map((e) => e.line), lines);
  });
  it('--since: records at or after the instant', () => {
    const since = stored[25]!.time as number;
    assert.deepEqual(ids(readAudit(auditFileList(file, since), { filter: { since } }).entries), stored.slice(25).map((r) => r.id));
  });
  it('forEachRecord visits every matching record oldest first', () => {
    const seen: string[] = [];
    forEachRecord(files, { decision: 'allow' }, (r) => seen.push(r.id));
    assert.deepEqual(seen, stored.filter((r) => r.decision === 'allow').map((r) => r.id));
  });
});

describe('auditFileList with --since', () => {
  it('leaves out rotated files renamed before the instant (their records are older), never the current file', () => {
    const dir = tmp();
    const file = path.join(dir, 'audit.jsonl');
    const old = path.join(dir, 'audit-2026-11-24T09-00-00-000Z.jsonl');
    const newer = path.join(dir, 'audit-2026-11-24T11-00-00-000Z.jsonl');
    for (const f of [old, newer]) writeAuditSync(f, series(1, T0));
    assert.equal(rotatedAt(old), Date.parse('2026-11-24T09:00:00Z'));
    assert.ok(Number.isNaN(rotatedAt(file)));
    assert.deepEqual(auditFileList(file), [old, newer, file]);
    assert.deepEqual(auditFileList(file, Date.parse('2026-11-24T10:00:00Z')), [newer, file]);
    assert.deepEqual(auditFileList(file, Date.parse('2026-11-24T09:00:00Z')), [old, newer, file]);
    assert.deepEqual(auditFileList(file, Date.parse('2026-11-24T12:00:00Z')), [file]);
  });
});

describe('readAudit: torn lines, missing and unreadable files', () => {
  it('skips and counts lines that are not records; an unterminated last line is left for a follower', () => {
    const file = path.join(tmp(), 'audit.jsonl');
    const [a, b] = writeAuditSync(file, series(2, T0));
    fs.appendFileSync(file, '{"v":1,"torn\n\n');
    const c = writeAuditSync(file, series(1, T0))[0]!;
    fs.appendFileSync(file, '{"v":1,"id":"half');
    const r = readAudit([file], { filter: {}, keepOpen: true });
    assert.deepEqual(r.entries.map((e) => e.rec.id), [a!.id, b!.id, c.id]);
    assert.equal(r.skipped, 2);
    assert.equal(r.current?.file, file);
    assert.equal(r.current?.offset, fs.statSync(file).size - '{"v":1,"id":"half'.length);
    assert.equal(typeof r.current?.fd, 'number');
    fs.closeSync(r.current!.fd!);
  });
  it('limit 0 still opens the file to follow, at its end', () => {
    const file = path.join(tmp(), 'audit.jsonl');
    writeAuditSync(file, series(2, T0));
    const r = readAudit([file], { filter: {}, limit: 0, keepOpen: true });
    assert.deepEqual([r.entries, r.current?.offset], [[], fs.statSync(file).size]);
    fs.closeSync(r.current!.fd!);
  });
  it('a missing file is no records; a directory is unreadable', () => {
    const dir = tmp();
    const missing = path.join(dir, 'audit.jsonl');
    const r = readAudit(auditFileList(missing), { filter: {}, keepOpen: true });
    assert.deepEqual(r, { entries: [], skipped: 0, unreadable: [], current: { file: missing, offset: 0 } });
    const asDir = path.join(dir, 'd.jsonl');
    fs.mkdirSync(asDir);
    assert.deepEqual(readAudit([asDir], { filter: {} }).unreadable, [asDir]);
  });
});
