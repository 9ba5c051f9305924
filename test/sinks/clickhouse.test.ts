// The ClickHouse sink against a real clickhouse-server (Debian's, 18.16) on 127.0.0.1: records go
// hook -> spool -> `ship` -> INSERT … FORMAT JSONEachRow, carrying the file chain's prev/hash, and
// every fault leaves a clear ship error with nothing dropped and nothing counted twice.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { AuditConfigSchema, type AuditConfig } from '../../lib/audit-config.js';
import { openSinks } from '../../sinks/index.js';
import { SpoolQueue, queueName, spoolDir, spooledSinks } from '../../sinks/spool.js';
import { ship } from '../../audit/ship.js';
import { emit } from '../../audit/emit.js';
import type { AuditRecord } from '../../lib/types.js';
import { initStore } from '../../cli/team.js';
import { parseSource } from '../../cli/team/source.js';
import { readStoreEntries, storeStats } from '../../cli/team/store.js';
import { ClickHouseServer, WRITER } from '../helpers/clickhouse.js';
import { tempDirs } from '../helpers/tmp.js';
import { makeRecord, makeRecords } from './helpers/records.js';

let server: ClickHouseServer | undefined;
const skip = !(await import('../helpers/clickhouse.js')).clickhouseBinary() && 'clickhouse-server is not installed';
before(async () => {
  if (!skip) server = await ClickHouseServer.start();
});
after(async () => {
  await server?.stop();
});
const tmp = tempDirs('hw-ch-');

let dbs = 0;
/** A fresh database per test (one server for the file), created as `team init` does. */
async function freshStore(): Promise<{ db: string; source: string }> {
  const db = `t${++dbs}`;
  await initStore(parseSource(server!.source(db, 'default@'), {}));
  return { db, source: server!.source(db) };
}

function audit(home: string, db: string, over: Record<string, unknown> = {}): AuditConfig {
  return AuditConfigSchema.parse({
    sinks: [
      { type: 'file', path: path.join(home, 'audit.jsonl') },
      { type: 'clickhouse', name: 'team', url: server!.url, database: db, user: WRITER.user, password: '${HW_CH_PASSWORD}', batchSize: 50, timeoutMs: 2000, retries: 2, ...over },
    ],
    spool: { dir: path.join(home, 'spool') },
  });
}
const env = { HW_CH_PASSWORD: WRITER.password };

/** Writes records as a hook does (file sink first, then the spool), returning the sink errors. */
async function hookWrites(a: AuditConfig, home: string, recs: AuditRecord[]): Promise<string[]> {
  const errors: string[] = [];
  const sink = openSinks(a, { env, home, onError: (_, e) => errors.push(String(e)) });
  for (const r of recs) await sink.write(r);
  await sink.close();
  return errors;
}

async function shipLogged(a: AuditConfig, home: string, e: Record<string, string> = env, extra: Parameters<typeof ship>[1] extends infer O ? Partial<O> : never = {}) {
  const logs: string[] = [];
  const res = await ship(a, { env: e, home, log: (m) => logs.push(m), retryBaseMs: 20, timeoutMs: 30_000, ...extra });
  return { ...res, logs: logs.join('\n') };
}

const count = async (db: string, final = true): Promise<number> => Number((await server!.query(`SELECT count() FROM ${db}.audit${final ? ' FINAL' : ''}`)).trim());

test('shipped rows carry the same prev and hash as the local file, and a re-sent spool counts once', { skip }, async () => {
  const home = tmp();
  const { db, source } = await freshStore();
  const a = audit(home, db);
  assert.deepEqual(await hookWrites(a, home, makeRecords(120)), []);
  const res = await shipLogged(a, home);
  assert.equal(res.delivered, 120, res.logs);
  assert.equal(res.remaining, 0);
  const local = fs.readFileSync(path.join(home, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditRecord);
  const stored = (await readStoreEntries(parseSource(source, {}), {})).entries;
  assert.equal(stored.length, 120);
  const byId = new Map(stored.map((e) => [e.rec.id, e]));
  for (const [i, rec] of local.entries()) {
    assert.equal(typeof rec.hash, 'string');
    assert.equal(byId.get(rec.id)?.rec.hash, rec.hash, `record ${i}: same hash`);
    assert.equal(byId.get(rec.id)?.rec.prev ?? null, rec.prev ?? null, `record ${i}: same prev`);
  }
  // A forwarder that died before committing sends its batches again: forget the cursor.
  const q = new SpoolQueue(spoolDir(a, env, home), queueName(spooledSinks(a)[0]!), { maxBytes: a.spool.maxBytes });
  fs.rmSync(path.join(q.dir, 'cursor.json'));
  assert.equal((await shipLogged(a, home)).delivered, 120);
  assert.equal(await count(db), 120, 'FINAL: one row per id');
  const stats = await storeStats(parseSource(source, {}), 'decision', {});
  assert.equal(stats.total, 120, 'stats --source counts each record once');
});

test('server down: ship says why, keeps every record, and delivers them once the server is back', { skip }, async () => {
  const home = tmp();
  const { db } = await freshStore();
  const a = audit(home, db);
  await hookWrites(a, home, makeRecords(30));
  await server!.pause();
  try {
    const res = await shipLogged(a, home);
    assert.equal(res.delivered, 0);
    assert.equal(res.remaining, 30);
    assert.match(res.logs, /ECONNREFUSED.*\(after 3 attempts\); 30 records stay in the spool/);
  } finally {
    await server!.resume();
  }
  const res = await shipLogged(a, home);
  assert.equal(res.delivered, 30, res.logs);
  assert.equal(await count(db), 30);
});

test('wrong password: a clear login error at once (no retries), nothing dropped; the right one delivers', { skip }, async () => {
  const home = tmp();
  const { db } = await freshStore();
  const a = audit(home, db);
  await hookWrites(a, home, makeRecords(10));
  const res = await shipLogged(a, home, { HW_CH_PASSWORD: 'not-the-pw-42' });
  assert.equal(res.remaining, 10);
  assert.match(res.logs, /error: team: login refused \(wrong user or password\?\): Wrong password for user writer; 10 records stay in the spool/);
  assert.doesNotMatch(res.logs, /retrying/, 'a refused login is not retried');
  assert.doesNotMatch(res.logs, /not-the-pw-42/, 'the password is never logged');
  const unset = await shipLogged(a, home, {});
  assert.match(unset.logs, /password references \$\{HW_CH_PASSWORD\}, which is not set/);
  assert.equal(unset.remaining, 10);
  assert.equal((await shipLogged(a, home)).delivered, 10);
  assert.equal(await count(db), 10);
});

test('missing table: ship names it and says to run team init; after init everything arrives', { skip }, async () => {
  const home = tmp();
  const db = `t${++dbs}`;
  await server!.query(`CREATE DATABASE ${db}`);
  const a = audit(home, db);
  await hookWrites(a, home, makeRecords(10));
  const res = await shipLogged(a, home);
  assert.equal(res.remaining, 10);
  assert.match(res.logs, new RegExp(`Table ${db}\\.audit doesn't exist\\. \\(run: hookwarden team init\\)`));
  await initStore(parseSource(server!.source(db, 'default@'), {}));
  assert.equal((await shipLogged(a, home)).delivered, 10);
  assert.equal(await count(db), 10);
});

test('the server refuses one row: the others are stored, that one is kept aside and named, then re-sent once fixed', { skip }, async () => {
  const home = tmp();
  const { db } = await freshStore();
  // The store's admin added a check that refuses one kind of row.
  await server!.query(`ALTER TABLE ${db}.audit ADD COLUMN chk UInt8 MATERIALIZED throwIf(tool = 'Refused')`);
  const a = audit(home, db);
  const recs = makeRecords(40);
  recs[17] = makeRecord(17, { tool: 'Refused' });
  await hookWrites(a, home, recs);
  const res = await shipLogged(a, home);
  assert.equal(await count(db), 39, 'every other row is stored');
  const sealedId = recs[17]!.id;
  assert.match(res.logs, new RegExp(`the server refused record ${sealedId}: Value passed to 'throwIf' function is non zero; kept in spool queue clickhouse-team\\.rejected`));
  assert.equal(res.remaining, 1, 'the refused row is not dropped: it counts as remaining');
  assert.deepEqual(res.stranded.map((s) => [s.queue, s.records]), [['clickhouse-team.rejected', 1]]);
  assert.match(res.stranded[0]!.sink ?? '', /refused/);
  await server!.query(`ALTER TABLE ${db}.audit DROP COLUMN chk`);
  const again = await shipLogged(a, home, env, { adopt: { queues: ['clickhouse-team.rejected'] } });
  assert.equal(again.remaining, 0, again.logs);
  assert.equal(await count(db), 40);
  const ids = (await server!.query(`SELECT id FROM ${db}.audit FINAL FORMAT TSV`)).trim().split('\n');
  assert.equal(new Set(ids).size, 40);
});

test('a 1 MB record is stored whole, beside ordinary ones', { skip }, async () => {
  const home = tmp();
  const { db, source } = await freshStore();
  const a = audit(home, db);
  const big = makeRecord(1, { input: { command: `echo ${'x'.repeat(1 << 20)}` } });
  await hookWrites(a, home, [makeRecord(0), big, makeRecord(2)]);
  const res = await shipLogged(a, home);
  assert.equal(res.delivered, 3, res.logs);
  const got = (await readStoreEntries(parseSource(source, {}), {})).entries.find((e) => e.rec.id === big.id);
  assert.ok(got && got.line.length > 1 << 20);
  assert.equal((got.rec.input as { command: string }).command.length, (1 << 20) + 5);
  assert.equal(await count(db), 3);
});

test('an AuditError record (a sink failed) is chained in the file and queued for the store with the same hash', { skip }, async () => {
  const home = tmp();
  const { db } = await freshStore();
  const a = audit(home, db);
  // A second file sink that cannot be written: every record also yields an AuditError record.
  a.sinks!.push({ type: 'file', path: '/dev/null/no/audit.jsonl', fsync: 'never', rotateBytes: 1 << 20 });
  const problems = await emit({ agent: 'codex', event: 'PreToolUse', payload: { session_id: 's', tool_name: 'Bash', tool_input: { command: 'ls' }, hook_event_name: 'PreToolUse' } }, a, { env, home, cwd: home });
  assert.equal(problems.length, 1, problems.join('; '));
  const local = fs.readFileSync(path.join(home, 'audit.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as AuditRecord);
  assert.deepEqual(local.map((r) => r.event), ['PreToolUse', 'AuditError']);
  const res = await shipLogged(a, home);
  assert.equal(res.delivered, 2, res.logs);
  const stored = await server!.query(`SELECT event, hash FROM ${db}.audit FINAL ORDER BY ts_ms, id FORMAT TSV`);
  assert.deepEqual(stored.trim().split('\n').map((l) => l.split('\t')).sort(), local.map((r) => [r.event, r.hash]).sort());
});
