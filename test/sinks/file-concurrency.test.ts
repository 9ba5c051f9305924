// Many hook processes appending at once, and writers killed with -9: real processes, one real file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createFileSink } from '../../sinks/file.js';
import { FileSinkSchema } from '../../lib/audit-config.js';
import { verifyFiles } from '../../lib/verify.js';
import { buildRecord } from '../../lib/record.js';
import { compileRedactor } from '../../lib/redact.js';
import { startWorker } from './spawn-worker.js';
import type { AuditRecord } from '../../lib/types.js';
import { present, tempDirs } from '../helpers/tmp.js';

const tmp = tempDirs();
const redact = compileRedactor([]);
const rec = (tag: string): AuditRecord =>
  buildRecord(
    { agent: 'claude', event: 'PostToolUse', version: 'test', payload: { hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_use_id: tag, tool_input: { command: 'true' }, tool_response: { stdout: '' } } },
    { maxInputBytes: 8192, maxResponseBytes: 8192 },
    redact,
  );
const lines = (file: string): string[] => fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
const sinkFor = (file: string) => createFileSink(FileSinkSchema.parse({ type: 'file', path: file }), { env: {}, home: os.homedir() });

test('32 processes started at once, 25 records each: every record present once, chain intact', { timeout: 180_000 }, async () => {
  const file = path.join(tmp(), 'audit.jsonl');
  const workers = Array.from({ length: 32 }, (_, i) => startWorker(['append', file, '25', `w${i}`]));
  await Promise.all(workers.map((w) => w.seen('ready')));
  for (const w of workers) w.child.stdin!.end('go\n');
  await Promise.all(workers.map((w) => w.seen('done')));
  for (const w of workers) assert.equal((await w.exited).code, 0, w.stderr());

  const ids = lines(file).map((l) => (JSON.parse(l) as AuditRecord).tool_use_id);
  assert.equal(ids.length, 800);
  assert.equal(new Set(ids).size, 800);
  for (let i = 0; i < 32; i++) for (let j = 0; j < 25; j++) assert.ok(ids.includes(`w${i}-${j}`), `w${i}-${j}`);
  assert.deepEqual(verifyFiles([file]), { problems: [], records: 800, unreadable: [] });
  assert.equal(present(`${file}.lock`), false, 'the lock is released');
});

test('kill -9 of a writer holding the lock mid-line: later appends get through and verify reports only the torn line', { timeout: 60_000 }, async () => {
  const file = path.join(tmp(), 'audit.jsonl');
  const sink = sinkFor(file);
  for (let i = 0; i < 3; i++) await sink.write(rec(`before-${i}`));
  const lastBefore = JSON.parse(lines(file).at(-1)!) as AuditRecord;

  const holder = startWorker(['hold-torn', file]);
  await holder.seen('holding');
  holder.child.kill('SIGKILL');
  assert.equal((await holder.exited).signal, 'SIGKILL');
  assert.ok(present(`${file}.lock`), 'the dead holder left its lock behind');

  // Takes the stale lock over (a few seconds) instead of failing or waiting forever.
  for (let i = 0; i < 3; i++) await sink.write(rec(`after-${i}`));
  await sink.close();

  const text = fs.readFileSync(file, 'utf8');
  const all = text.split('\n');
  assert.equal(all.at(-1), '', 'file ends with a newline');
  assert.equal(all.length - 1, 7, '3 records, the torn line, 3 records');
  const firstAfter = JSON.parse(all[4]!) as AuditRecord;
  assert.equal(firstAfter.tool_use_id, 'after-0');
  assert.equal(firstAfter.prev, lastBefore.hash, 'the chain links past the torn line');
  assert.deepEqual(verifyFiles([file]), { problems: [{ file, line: 4, problem: 'torn record (invalid JSON)' }], records: 6, unreadable: [] });
});

test('kill -9 of writers in a tight append loop, at varying moments: appends and verify carry on', { timeout: 90_000 }, async () => {
  const file = path.join(tmp(), 'audit.jsonl');
  const sink = sinkFor(file);
  let expected = 0;
  for (const after of [1, 7, 23]) {
    const w = startWorker(['loop', file]);
    await w.seen('appended', after);
    w.child.kill('SIGKILL');
    await w.exited;
    await sink.write(rec(`parent-${after}`));
    expected += after + 1;
  }
  await sink.close();
  const res = verifyFiles([file]);
  // A kill can land between records (nothing to report) or inside the one write() of a line.
  for (const p of res.problems) assert.match(p.problem, /^torn record/);
  assert.ok(res.records >= expected, `${res.records} >= ${expected}`);
  assert.equal(lines(file).filter((l) => l.includes('"parent-')).length, 3);
});
