import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { appendRecord, auditPathOf, createFileSink, defaultAuditPath } from '../../sinks/file.js';
import { FileSinkSchema } from '../../lib/audit-config.js';
import { sealRecord } from '../../sinks/chain.js';
import { auditFiles, verifyFiles } from '../../lib/verify.js';
import { buildRecord } from '../../lib/record.js';
import { compileRedactor } from '../../lib/redact.js';
import type { AuditRecord } from '../../lib/types.js';
import { tempDirs } from '../helpers/tmp.js';

const tmp = tempDirs();
const redact = compileRedactor([]);
const mode = (p: string): number => fs.statSync(p).mode & 0o777;
const lines = (file: string): string[] => fs.readFileSync(file, 'utf8').split('\n').slice(0, -1);
const fileCfg = (extra: Record<string, unknown> = {}) => FileSinkSchema.parse({ type: 'file', ...extra });

function rec(tag: string, command = 'ls', maxInputBytes = 8192): AuditRecord {
  return buildRecord(
    { agent: 'claude', event: 'PreToolUse', version: 'test', payload: { hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: tag } },
    { maxInputBytes, maxResponseBytes: 8192 },
    redact,
  );
}

test('defaultAuditPath: exactly $XDG_STATE_HOME/hookwarden/audit.jsonl, else ~/.local/state/...', () => {
  const home = path.join(os.tmpdir(), 'home-x');
  const state = path.join(os.tmpdir(), 'state-x');
  assert.equal(defaultAuditPath({ XDG_STATE_HOME: state }, home), path.join(state, 'hookwarden', 'audit.jsonl'));
  assert.equal(defaultAuditPath({}, home), path.join(home, '.local', 'state', 'hookwarden', 'audit.jsonl'));
  assert.equal(defaultAuditPath({ XDG_STATE_HOME: '' }, home), path.join(home, '.local', 'state', 'hookwarden', 'audit.jsonl'));
  // The XDG spec: relative values are ignored.
  assert.equal(defaultAuditPath({ XDG_STATE_HOME: 'rel/state' }, home), path.join(home, '.local', 'state', 'hookwarden', 'audit.jsonl'));
  assert.equal(auditPathOf({ path: '~/logs/a.jsonl' }, {}, home), path.join(home, 'logs', 'a.jsonl'));
  assert.equal(auditPathOf({}, { XDG_STATE_HOME: state }, home), path.join(state, 'hookwarden', 'audit.jsonl'));
});

test('the default sink writes under XDG_STATE_HOME: directories 0700, file 0600, even with umask 000', async () => {
  const state = path.join(tmp(), 'state');
  const old = process.umask(0);
  try {
    const sink = createFileSink(fileCfg(), { env: { XDG_STATE_HOME: state }, home: os.homedir() });
    await sink.write(rec('a'));
    await sink.close();
  } finally {
    process.umask(old);
  }
  const file = path.join(state, 'hookwarden', 'audit.jsonl');
  assert.equal(mode(state), 0o700);
  assert.equal(mode(path.dirname(file)), 0o700);
  assert.equal(mode(file), 0o600);
  assert.equal(lines(file).length, 1);
});

test('an existing file that is too open is tightened to 0600; an existing directory is left as its owner set it', async () => {
  const dir = tmp();
  fs.chmodSync(dir, 0o755);
  const file = path.join(dir, 'audit.jsonl');
  fs.writeFileSync(file, '', { mode: 0o644 });
  fs.chmodSync(file, 0o644);
  await appendRecord(file, rec('a'), fileCfg());
  assert.equal(mode(file), 0o600);
  assert.equal(mode(dir), 0o755);
});

test('JSON lines: one complete object per line, chained, readable line by line', async () => {
  const file = path.join(tmp(), 'audit.jsonl');
  const sink = createFileSink(fileCfg({ path: file, fsync: 'always' }), { env: {}, home: os.homedir() });
  await Promise.all(['a', 'b', 'c', 'd'].map((t) => sink.write(rec(t)))); // not awaited one by one
  await sink.flush();
  const recs = lines(file).map((l) => JSON.parse(l) as AuditRecord);
  assert.deepEqual(recs.map((r) => r.tool_use_id), ['a', 'b', 'c', 'd']);
  assert.equal(recs[0]!.prev, null);
  for (let i = 1; i < recs.length; i++) assert.equal(recs[i]!.prev, recs[i - 1]!.hash);
  assert.deepEqual(verifyFiles([file]).problems, []);
  await sink.close();
});

test('two sinks on one file in one process, writing at once: the chain holds', async () => {
  const file = path.join(tmp(), 'audit.jsonl');
  const a = createFileSink(fileCfg({ path: file, fsync: 'never' }), { env: {}, home: os.homedir() });
  const b = createFileSink(fileCfg({ path: file, fsync: 'never' }), { env: {}, home: os.homedir() });
  await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).write(rec(`r${i}`))));
  await Promise.all([a.close(), b.close()]);
  assert.deepEqual(verifyFiles([file]), { problems: [], records: 20, unreadable: [] });
});

test('a torn last line (killed writer) is ended before the next record, which links past it', async () => {
  const file = path.join(tmp(), 'audit.jsonl');
  await appendRecord(file, rec('a'), fileCfg());
  const first = JSON.parse(lines(file)[0]!) as AuditRecord;
  fs.appendFileSync(file, '{"v":1,"id":"torn","ts":"2026');
  await appendRecord(file, rec('b'), fileCfg());
  const all = lines(file);
  assert.equal(all.length, 3);
  assert.equal(all[1], '{"v":1,"id":"torn","ts":"2026');
  assert.equal((JSON.parse(all[2]!) as AuditRecord).prev, first.hash);
});

test('the tail is read only as far back as needed, also past records and torn tails larger than a read chunk', async () => {
  const file = path.join(tmp(), 'audit.jsonl');
  await appendRecord(file, rec('big', 'x'.repeat(200_000), 300_000), fileCfg());
  const big = JSON.parse(lines(file)[0]!) as AuditRecord;
  assert.ok(fs.statSync(file).size > 200_000);
  await appendRecord(file, rec('after-big'), fileCfg());
  const afterBig = JSON.parse(lines(file)[1]!) as AuditRecord;
  assert.equal(afterBig.prev, big.hash);
  fs.appendFileSync(file, `{"torn": "${'y'.repeat(300_000)}`);
  await appendRecord(file, rec('after-torn'), fileCfg());
  assert.equal((JSON.parse(lines(file)[3]!) as AuditRecord).prev, afterBig.hash);
  assert.deepEqual(verifyFiles([file]).problems, [{ file, line: 3, problem: 'torn record (invalid JSON)' }]);
});

test('rotation: by size, beside the file, sortable names, the chain continuing into the new file', async () => {
  const dir = tmp();
  const file = path.join(dir, 'audit.jsonl');
  const cfg = fileCfg({ path: file, rotateBytes: 4096 });
  const sink = createFileSink(cfg, { env: {}, home: os.homedir() });
  for (let i = 0; i < 30; i++) await sink.write(rec(`r${i}`));
  await sink.write(rec('huge', 'z'.repeat(6000))); // larger than rotateBytes: a file of its own
  await sink.write(rec('last'));
  await sink.close();
  const files = auditFiles(file);
  assert.ok(files.length >= 4);
  for (const f of files.slice(0, -1)) {
    assert.match(path.basename(f), /^audit-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.jsonl$/);
    assert.equal(mode(f), 0o600);
    const n = lines(f).length;
    assert.ok(fs.statSync(f).size <= 4096 || n === 1, `${f}: ${fs.statSync(f).size} bytes in ${n} lines`);
  }
  const ids = files.flatMap((f) => lines(f).map((l) => (JSON.parse(l) as AuditRecord).tool_use_id));
  assert.deepEqual(ids, [...Array.from({ length: 30 }, (_, i) => `r${i}`), 'huge', 'last']);
  assert.deepEqual(verifyFiles(files), { problems: [], records: 32, unreadable: [] });
  assert.deepEqual(lines(file).map((l) => (JSON.parse(l) as AuditRecord).tool_use_id), ['last']);
});

test('write failures go to onError (with the sink name) and resolve; without onError, write rejects', async () => {
  const dir = tmp();
  fs.writeFileSync(path.join(dir, 'blocker'), '');
  const cfg = fileCfg({ path: path.join(dir, 'blocker', 'audit.jsonl'), name: 'local' });
  const seen: [string, string][] = [];
  const sink = createFileSink(cfg, { env: {}, home: dir, onError: (name, err) => seen.push([name, (err as NodeJS.ErrnoException).code ?? ''] ) });
  await sink.write(rec('a'));
  assert.equal(seen.length, 1);
  assert.equal(seen[0]![0], 'local');
  assert.match(seen[0]![1], /^(EEXIST|ENOTDIR)$/); // a file where the directory should be
  const strict = createFileSink(cfg, { env: {}, home: dir });
  await assert.rejects(strict.write(rec('a')), /EEXIST|ENOTDIR/);
  await sink.close();
  await assert.rejects(strict.close().then(() => strict.write(rec('b'))), /local sink is closed/);
});

test('what goes in is what comes out: a sealed record equals its line', async () => {
  const file = path.join(tmp(), 'audit.jsonl');
  const stored = await appendRecord(file, rec('a'), fileCfg());
  assert.deepEqual(JSON.parse(lines(file)[0]!), stored);
  const { prev, hash, ...rest } = stored;
  assert.equal(prev, null);
  assert.equal(hash, sealRecord(rest, null).hash);
});
