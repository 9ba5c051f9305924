import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { auditFiles, rotatedFiles, rotatedPath, rotationStamp, verifyFiles } from '../../lib/verify.js';
import { recordHash } from '../../lib/canonical.js';
import { appendRecord } from '../../sinks/file.js';
import { sealRecord } from '../../sinks/chain.js';
import { buildRecord } from '../../lib/record.js';
import { compileRedactor } from '../../lib/redact.js';
import type { AuditRecord } from '../../lib/types.js';
import { tempDirs } from '../helpers/tmp.js';

const tmp = tempDirs();
const redact = compileRedactor([]);
const cfg = { fsync: 'never' as const, rotateBytes: 10 * 1024 * 1024 };

function rec(i: number, decision: 'allow' | 'deny' = 'allow'): AuditRecord {
  return buildRecord(
    {
      agent: 'codex', event: 'PreToolUse', version: 'test',
      payload: { session_id: 's', cwd: '/p', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: `echo ${i}` }, tool_use_id: `call_${i}` },
      verdict: { decision, targets: [], unresolved: false },
    },
    { maxInputBytes: 8192, maxResponseBytes: 8192 },
    redact,
  );
}

async function chainFile(n: number, dir = tmp(), rotateBytes = cfg.rotateBytes): Promise<string> {
  const file = path.join(dir, 'audit.jsonl');
  for (let i = 1; i <= n; i++) await appendRecord(file, rec(i), { ...cfg, rotateBytes });
  return file;
}

const read = (file: string): string[] => fs.readFileSync(file, 'utf8').split('\n').slice(0, -1);
const write = (file: string, lines: string[], newline = true): void => fs.writeFileSync(file, lines.join('\n') + (newline ? '\n' : ''));
const problems = (files: string[]) => verifyFiles(files).problems.map((p) => `${path.basename(p.file)}:${p.line}: ${p.problem}`);

test('intact chain: no problems, every record counted', async () => {
  const file = await chainFile(6);
  assert.deepEqual(verifyFiles([file]), { problems: [], records: 6, unreadable: [] });
});

test('edit one field (hash kept): that record is modified, nothing else', async () => {
  const file = await chainFile(6);
  const lines = read(file);
  const r3 = JSON.parse(lines[2]!) as AuditRecord;
  lines[2] = JSON.stringify({ ...r3, decision: 'deny' });
  write(file, lines);
  assert.deepEqual(problems([file]), ['audit.jsonl:3: record modified (hash mismatch)']);
  // Text edit of the line itself, key order changed: the same finding.
  const again = await chainFile(6);
  const l2 = read(again);
  l2[1] = l2[1]!.replace('echo 2', 'echo 9');
  write(again, l2);
  assert.deepEqual(problems([again]), ['audit.jsonl:2: record modified (hash mismatch)']);
});

test('edit with the hash recomputed: the next link breaks', async () => {
  const file = await chainFile(6);
  const lines = read(file);
  const forged = { ...(JSON.parse(lines[2]!) as AuditRecord), decision: 'deny' as const };
  lines[2] = JSON.stringify({ ...forged, hash: recordHash(forged) });
  write(file, lines);
  assert.deepEqual(problems([file]), ['audit.jsonl:4: record missing or reordered (prev does not match line 3)']);
});

test('delete a line, delete the first line', async () => {
  const file = await chainFile(6);
  const lines = read(file);
  write(file, [...lines.slice(0, 2), ...lines.slice(3)]);
  assert.deepEqual(problems([file]), ['audit.jsonl:3: record missing or reordered (prev does not match line 2)']);
  write(file, lines.slice(1));
  assert.deepEqual(problems([file]), ['audit.jsonl:1: record missing or reordered (prev is set, but there is no earlier record)']);
});

test('swap two lines', async () => {
  const file = await chainFile(6);
  const l = read(file);
  write(file, [l[0]!, l[2]!, l[1]!, ...l.slice(3)]);
  assert.deepEqual(problems([file]), [
    'audit.jsonl:2: record missing or reordered (prev does not match line 1)',
    'audit.jsonl:3: record missing or reordered (prev does not match line 2)',
    'audit.jsonl:4: record missing or reordered (prev does not match line 3)',
  ]);
});

test('insert a line: a copy, and a forged record that links correctly to its predecessor', async () => {
  const file = await chainFile(5);
  const l = read(file);
  write(file, [...l.slice(0, 4), l[1]!, l[4]!]);
  assert.deepEqual(problems([file]), [
    'audit.jsonl:5: record missing or reordered (prev does not match line 4)',
    'audit.jsonl:6: record missing or reordered (prev does not match line 5)',
  ]);
  const forged = sealRecord(rec(99), (JSON.parse(l[1]!) as AuditRecord).hash!);
  write(file, [l[0]!, l[1]!, JSON.stringify(forged), ...l.slice(2)]);
  assert.deepEqual(problems([file]), ['audit.jsonl:4: record missing or reordered (prev does not match line 3)']);
});

test('truncate mid-line: the torn record is reported', async () => {
  const file = await chainFile(4);
  const size = fs.statSync(file).size;
  fs.truncateSync(file, size - 30);
  assert.deepEqual(problems([file]), ['audit.jsonl:4: torn record (incomplete line)']);
  assert.equal(verifyFiles([file]).records, 3);
});

test('torn line, then more appends: only the torn line is reported, the chain resumes', async () => {
  const file = await chainFile(3);
  const half = JSON.stringify(sealRecord(rec(50), null));
  fs.appendFileSync(file, half.slice(0, half.length / 2));
  for (let i = 4; i <= 6; i++) await appendRecord(file, rec(i), cfg);
  assert.deepEqual(problems([file]), ['audit.jsonl:4: torn record (invalid JSON)']);
  assert.equal(verifyFiles([file]).records, 6);
});

test('a whole record missing only its newline still links (appender and verifier agree)', async () => {
  const file = await chainFile(3);
  fs.truncateSync(file, fs.statSync(file).size - 1);
  assert.deepEqual(problems([file]), ['audit.jsonl:3: torn record (incomplete line)']);
  await appendRecord(file, rec(4), cfg);
  assert.deepEqual(problems([file]), []);
});

test('lines that are not records', async () => {
  const file = await chainFile(2);
  fs.appendFileSync(file, '\n[1,2]\n{"v":1}\nnull\n');
  await appendRecord(file, rec(3), cfg);
  assert.deepEqual(problems([file]), [
    'audit.jsonl:3: blank line',
    'audit.jsonl:4: not a JSON object',
    'audit.jsonl:5: not an audit record (no hash)',
    'audit.jsonl:6: not a JSON object',
  ]);
});

test('rotation: the chain continues across files; a lost file is named at the next one', async () => {
  const dir = tmp();
  const file = await chainFile(40, dir, 4096);
  const files = auditFiles(file);
  assert.ok(files.length >= 3, `rotated into ${files.length} files`);
  assert.equal(files.at(-1), file);
  assert.deepEqual(verifyFiles(files), { problems: [], records: 40, unreadable: [] });
  const [first, second, third] = files as [string, string, string];
  const lastOfFirst = JSON.parse(read(first).at(-1)!) as AuditRecord;
  assert.equal((JSON.parse(read(second)[0]!) as AuditRecord).prev, lastOfFirst.hash);
  // Without its predecessor, the second file does not start a chain.
  assert.deepEqual(problems([second]), [`${path.basename(second)}:1: record missing or reordered (prev is set, but there is no earlier record)`]);
  assert.deepEqual(verifyFiles([first, third, ...files.slice(3)]).problems, [
    { file: third, line: 1, problem: `record missing or reordered (prev does not match ${first}:${read(first).length})` },
  ]);
});

test('unreadable files are listed, the others still verified', async () => {
  const file = await chainFile(2);
  const res = verifyFiles([path.join(path.dirname(file), 'missing.jsonl'), path.dirname(file), file]);
  assert.deepEqual(res.unreadable, [path.join(path.dirname(file), 'missing.jsonl'), path.dirname(file)]);
  assert.equal(res.records, 2);
  assert.deepEqual(res.problems, []);
});

test('auditFiles: rotated predecessors in time order, then the file; other names ignored', () => {
  const dir = tmp();
  const file = path.join(dir, 'audit.jsonl');
  const names = ['audit-2026-11-24T10-00-00-000Z.jsonl', 'audit-2025-01-01T00-00-00-001Z.jsonl', 'audit-2026-11-24T09-59-59-999Z.jsonl'];
  for (const n of [...names, 'audit.jsonl.lock', 'audit-old.jsonl', 'other-2026-11-24T10-00-00-000Z.jsonl', 'audit-2026-11-24T10-00-00-000Z.json']) {
    fs.writeFileSync(path.join(dir, n), '');
  }
  assert.deepEqual(auditFiles(file), [...[...names].sort().map((n) => path.join(dir, n)), file]);
  assert.deepEqual(auditFiles(path.join(dir, 'nowhere', 'audit.jsonl')), [path.join(dir, 'nowhere', 'audit.jsonl')]);
});

test('rotatedPath: sortable UTC ms stamps, always after the newest even when the clock went back', () => {
  const dir = tmp();
  const file = path.join(dir, 'audit.jsonl');
  const t = new Date('2026-11-24T10:00:00.000Z');
  assert.equal(rotationStamp(t), '2026-11-24T10-00-00-000Z');
  const a = rotatedPath(file, t);
  assert.equal(path.basename(a), 'audit-2026-11-24T10-00-00-000Z.jsonl');
  fs.writeFileSync(a, '');
  const b = rotatedPath(file, new Date('2026-11-24T09:00:00.000Z'));
  assert.equal(path.basename(b), 'audit-2026-11-24T10-00-00-001Z.jsonl');
  fs.writeFileSync(b, '');
  assert.deepEqual(rotatedFiles(file), [a, b]);
});

test('property: any deletion, swap, duplication or edit of lines is reported', async () => {
  const file = await chainFile(8);
  const original = read(file);
  const scratch = path.join(tmp(), 'audit.jsonl');
  const op = fc.oneof(
    fc.record({ kind: fc.constant('delete' as const), i: fc.nat(7) }),
    fc.record({ kind: fc.constant('swap' as const), i: fc.nat(6) }),
    fc.record({ kind: fc.constant('dup' as const), i: fc.nat(7), at: fc.nat(8) }),
    fc.record({ kind: fc.constant('edit' as const), i: fc.nat(7), text: fc.string({ minLength: 1, maxLength: 5 }) }),
  );
  fc.assert(
    fc.property(op, (o) => {
      const l = [...original];
      if (o.kind === 'delete') l.splice(o.i, 1);
      if (o.kind === 'swap') [l[o.i], l[o.i + 1]] = [l[o.i + 1]!, l[o.i]!];
      if (o.kind === 'dup') l.splice(o.at, 0, l[o.i]!);
      if (o.kind === 'edit') {
        const r = JSON.parse(l[o.i]!) as AuditRecord;
        l[o.i] = JSON.stringify({ ...r, reason: o.text });
      }
      if (o.kind === 'delete' && o.i === 7) return; // dropping whole records at the end is undetectable by a chain alone
      write(scratch, l);
      assert.ok(verifyFiles([scratch]).problems.length > 0, JSON.stringify(o));
    }),
  );
});
