import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { AuditConfigSchema, type AuditConfig } from '../../lib/audit-config.js';
import { openSinks } from '../../sinks/index.js';
import { ship, maybeStartForwarder } from '../../audit/ship.js';
import type { AuditRecord } from '../../lib/types.js';
import { Receiver, freePort } from '../sinks/helpers/http-server.js';
import { makeRecord, makeRecords } from '../sinks/helpers/records.js';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'hw-'));
const repo = path.resolve(import.meta.dirname, '..', '..');

function httpAudit(home: string, port: number, over: Record<string, unknown> = {}, maxBytes?: number): AuditConfig {
  return AuditConfigSchema.parse({
    sinks: [{ type: 'http', name: 'siem', url: `http://127.0.0.1:${port}/ingest`, batchSize: 10, timeoutMs: 300, retries: 6, ...over }],
    spool: { dir: path.join(home, 'spool'), ...(maxBytes ? { maxBytes } : {}) },
  });
}

/** Writes records the way a hook does (openSinks -> spool), collecting sink errors. */
async function hookWrites(audit: AuditConfig, home: string, recs: AuditRecord[]): Promise<string[]> {
  const errors: string[] = [];
  const sink = openSinks(audit, { env: {}, home, onError: (_, e) => errors.push(String(e)) });
  for (const r of recs) await sink.write(r);
  await sink.close();
  return errors;
}

/** The at-least-once contract: every id arrived, ids repeat only inside one retried batch. */
function assertDelivered(rx: Receiver, sent: string[]): void {
  const all = rx.received.flatMap((r) => r.ids);
  assert.deepEqual(new Set(all), new Set(sent), 'every record arrived');
  const ack = rx.acknowledged();
  assert.equal(ack.length, new Set(ack).size, 'no record acknowledged twice');
  assert.deepEqual(new Set(ack), new Set(sent), 'every record acknowledged');
  const keyOf = new Map<string, string>();
  for (const r of rx.received) {
    const [first, last] = [r.ids[0], r.ids.at(-1)];
    assert.equal(r.key, first === last ? first : `${first}..${last}`, 'Idempotency-Key names the batch');
    for (const id of r.ids) {
      const k = keyOf.get(id);
      assert.ok(k === undefined || k === r.key, `record ${id} sent in two different batches`);
      keyOf.set(id, r.key);
    }
  }
}

const quiet = { log: (): void => undefined, retryBaseMs: 20 };

test('endpoint down, then slow, then 500s, then recovered: everything arrives, duplicates only per batch key', async () => {
  const home = tmp();
  const port = await freePort();
  const audit = httpAudit(home, port, { headers: { Authorization: 'Bearer ${HW_TOKEN}' } });
  const env = { HW_TOKEN: 'tok-1' };
  const recs = makeRecords(35);
  assert.deepEqual(await hookWrites(audit, home, recs), []);

  const down = await ship(audit, { env, home, timeoutMs: 1500, ...quiet });
  assert.deepEqual(down, { delivered: 0, remaining: 35, stranded: [] });

  const plan = [{ delayMs: 700 }, { delayMs: 700 }, { status: 500 }, { status: 502 }, { status: 429, headers: { 'retry-after': '0' } }];
  const rx = new Receiver((n) => plan[n] ?? {});
  await rx.start(port);
  try {
    const res = await ship(audit, { env, home, timeoutMs: 10_000, ...quiet });
    assert.deepEqual(res, { delivered: 35, remaining: 0, stranded: [] });
    assertDelivered(rx, recs.map((r) => r.id));
    assert.ok(rx.received.slice(0, 5).every((r) => r.key === rx.received[0]!.key), 'the first batch was retried as one');
    assert.ok(rx.received.every((r) => r.headers.authorization === 'Bearer tok-1'));
    assert.equal(rx.received.length, 5 + 4, '5 failed attempts, then 4 batches of at most 10');
  } finally {
    await rx.stop();
  }
  assert.deepEqual(await ship(audit, { env, home, ...quiet }), { delivered: 0, remaining: 0, stranded: [] });
});

test('retries exhausted: the batch stays in the spool and a later run delivers it', async () => {
  const home = tmp();
  const rx = new Receiver(() => ({ status: 503 }));
  const port = await rx.start();
  try {
    const audit = httpAudit(home, port, { retries: 2, format: 'otlp', gzip: true });
    const recs = makeRecords(12);
    await hookWrites(audit, home, recs);
    const logs: string[] = [];
    assert.deepEqual(await ship(audit, { env: {}, home, log: (m) => logs.push(m), retryBaseMs: 10 }), { delivered: 0, remaining: 12, stranded: [] });
    assert.equal(rx.received.length, 3, 'one attempt plus two retries');
    assert.ok(logs.some((l) => /HTTP 503.*10 records stay in the spool/.test(l)), logs.join('\n'));
    rx.behave = () => ({});
    assert.deepEqual(await ship(audit, { env: {}, home, ...quiet }), { delivered: 12, remaining: 0, stranded: [] });
    assertDelivered(rx, recs.map((r) => r.id));
    assert.equal(rx.received.at(-1)!.headers['content-encoding'], 'gzip');
  } finally {
    await rx.stop();
  }
});

test('a full spool drops the oldest records and the SpoolDrop record is shipped with the count', async () => {
  const home = tmp();
  const rx = new Receiver();
  const port = await rx.start();
  try {
    const audit = httpAudit(home, port, { batchSize: 100 }, 65536);
    const total = 300;
    const errors = await hookWrites(audit, home, makeRecords(total).map((r) => ({ ...r, reason: 'p'.repeat(500) })));
    assert.ok(errors.length > 0 && errors.every((e) => e.includes('spool full')), errors.join('\n'));
    const res = await ship(audit, { env: {}, home, ...quiet });
    assert.equal(res.remaining, 0);
    const got = rx.received.flatMap((r) => r.body.trim().split('\n').map((l) => JSON.parse(l) as AuditRecord));
    const drops = got.filter((r) => r.event === 'SpoolDrop');
    assert.ok(drops.length > 0);
    const dropped = drops.reduce((n, r) => n + (r.response as { dropped: number }).dropped, 0);
    assert.equal(got.length - drops.length + dropped, total, 'delivered + dropped = written');
  } finally {
    await rx.stop();
  }
});

function childShip(audit: AuditConfig, home: string): { child: ChildProcess; result: Promise<string> } {
  const shipTs = new URL('../../audit/ship.ts', import.meta.url).href;
  const code = `
    const { ship } = await import(${JSON.stringify(shipTs)});
    const res = await ship(JSON.parse(process.env.HW_AUDIT), { env: process.env, home: process.env.HW_HOME, log: () => {}, retryBaseMs: 20 });
    process.stdout.write(JSON.stringify(res));
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: repo, env: { ...process.env, HW_AUDIT: JSON.stringify(audit), HW_HOME: home }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  return { child, result: new Promise((resolve) => child.on('close', () => resolve(out))) };
}

test('kill -9 of a forwarder mid-delivery: a new ship delivers the rest (at-least-once)', async () => {
  const home = tmp();
  const rx = new Receiver((n) => (n === 2 ? { hang: true } : {}));
  const port = await rx.start();
  try {
    const audit = httpAudit(home, port, { timeoutMs: 20_000 });
    const recs = makeRecords(45);
    await hookWrites(audit, home, recs);
    const { child, result } = childShip(audit, home);
    await rx.until((r) => r.length === 3, 15_000);
    child.kill('SIGKILL');
    await result;
    rx.behave = () => ({});
    const logs: string[] = [];
    // The killed forwarder's lock goes stale within seconds; the new one waits, then takes over.
    const res = await ship(audit, { env: {}, home, timeoutMs: 15_000, log: (m) => logs.push(m), retryBaseMs: 20 });
    assert.deepEqual(res, { delivered: 25, remaining: 0, stranded: [] });
    assertDelivered(rx, recs.map((r) => r.id));
    const hung = rx.received[2]!;
    assert.equal(rx.received.filter((r) => r.key === hung.key).length, 2, 'the interrupted batch is sent again, same key');
  } finally {
    await rx.stop();
  }
});

test('two forwarders at once: the second waits for the first, nothing is delivered twice', async () => {
  const home = tmp();
  const rx = new Receiver(() => ({ delayMs: 80 }));
  const port = await rx.start();
  try {
    const audit = httpAudit(home, port, { batchSize: 5 });
    const recs = makeRecords(40);
    await hookWrites(audit, home, recs);
    const first = childShip(audit, home);
    await rx.until((r) => r.length >= 1, 15_000);
    const logs: string[] = [];
    const second = await ship(audit, { env: {}, home, timeoutMs: 15_000, log: (m) => logs.push(m), retryBaseMs: 20 });
    const firstRes = JSON.parse(await first.result) as { delivered: number; remaining: number };
    assert.ok(logs.some((l) => l.includes('another forwarder is running; waiting')), logs.join('\n'));
    assert.equal(firstRes.delivered + second.delivered, 40);
    assert.equal(second.remaining, 0);
    assert.equal(rx.maxInFlight, 1, 'never two deliveries at the same time');
    const ids = rx.received.flatMap((r) => r.ids);
    assert.equal(ids.length, 40, 'no retries happened, so no record may arrive twice');
    assertDelivered(rx, recs.map((r) => r.id));
  } finally {
    await rx.stop();
  }
});

test('--follow keeps delivering what hooks spool until aborted; a forwarder with a timeout gives up waiting', async () => {
  const home = tmp();
  const rx = new Receiver();
  const port = await rx.start();
  try {
    const audit = httpAudit(home, port);
    const ac = new AbortController();
    const running = ship(audit, { env: {}, home, follow: true, pollMs: 50, signal: ac.signal, ...quiet });
    const recs = makeRecords(7);
    await hookWrites(audit, home, recs.slice(0, 3));
    await rx.until((r) => r.flatMap((x) => x.ids).length === 3);
    await hookWrites(audit, home, recs.slice(3));
    await rx.until((r) => r.flatMap((x) => x.ids).length === 7);
    // Meanwhile a second forwarder waits for the lock, and gives up at its timeout.
    await hookWrites(audit, home, [makeRecord(99)]);
    rx.behave = () => ({ hang: true });
    await rx.until((r) => r.flatMap((x) => x.ids).length === 8);
    const waiting = await ship(audit, { env: {}, home, timeoutMs: 300, ...quiet });
    assert.deepEqual(waiting, { delivered: 0, remaining: 1, stranded: [] });
    ac.abort();
    const res = await running;
    assert.equal(res.delivered, 7);
    assert.equal(res.remaining, 1);
  } finally {
    await rx.stop();
  }
});

test('maybeStartForwarder: starts `node <cli> ship` detached once, only when records wait and no forwarder runs', async () => {
  const home = tmp();
  const rx = new Receiver();
  const port = await rx.start();
  try {
    const audit = httpAudit(home, port);
    const marker = path.join(home, 'started');
    const cli = path.join(home, 'cli.mjs');
    fs.writeFileSync(cli, `import fs from 'node:fs';\nfs.appendFileSync(${JSON.stringify(marker)}, JSON.stringify(process.argv.slice(2)) + '\\n');\n`);
    const opts = { audit, env: { ...process.env }, home, cliPath: cli };
    assert.equal(maybeStartForwarder(opts), false, 'spool empty');
    await hookWrites(audit, home, makeRecords(2));
    assert.equal(maybeStartForwarder({ ...opts, cliPath: path.join(home, 'missing.js') }), false, 'no CLI');
    assert.equal(maybeStartForwarder(opts), true);
    assert.equal(maybeStartForwarder(opts), false, 'one start at a time');
    // The file exists once the child opens it, a moment before its line is written: wait for the line.
    const written = (): boolean => fs.existsSync(marker) && fs.readFileSync(marker, 'utf8').endsWith('\n');
    for (let i = 0; i < 100 && !written(); i++) await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(fs.readFileSync(marker, 'utf8').trim().split('\n').map((l) => JSON.parse(l)), [['ship']]);
    // A running forwarder (it removes the start marker) also means: do not start another.
    const ac = new AbortController();
    const running = ship(audit, { env: {}, home, follow: true, pollMs: 50, signal: ac.signal, ...quiet });
    await rx.until((r) => r.length === 1);
    await hookWrites(audit, home, makeRecords(1));
    rx.behave = () => ({ hang: true });
    assert.equal(maybeStartForwarder(opts), false, 'a forwarder holds the lock');
    ac.abort();
    await running;
  } finally {
    await rx.stop();
  }
});
