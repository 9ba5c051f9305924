import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuditConfigSchema, type HttpSinkConfig } from '../../lib/audit-config.js';
import { HttpDelivery, backoffMs, idempotencyKey, retryAfterMs, type LogFn } from '../../sinks/http-deliver.js';
import type { SpoolEntry } from '../../sinks/spool.js';
import { Receiver, freePort, type Behaviour } from './helpers/http-server.js';
import { makeRecords } from './helpers/records.js';

const entries = (n: number): SpoolEntry[] => makeRecords(n).map((record) => ({ record, line: JSON.stringify(record) }));
const sinkCfg = (over: Record<string, unknown>): HttpSinkConfig =>
  AuditConfigSchema.parse({ sinks: [{ type: 'http', ...over }] }).sinks![0] as HttpSinkConfig;

async function withReceiver(behave: (n: number) => Behaviour, fn: (rx: Receiver, port: number) => Promise<void>): Promise<void> {
  const rx = new Receiver(behave);
  const port = await rx.start();
  try {
    await fn(rx, port);
  } finally {
    await rx.stop();
  }
}

function delivery(cfg: HttpSinkConfig, env: Record<string, string> = {}, signal = new AbortController().signal): { d: HttpDelivery; logs: string[] } {
  const logs: string[] = [];
  const log: LogFn = (level, msg) => logs.push(`${level} ${msg}`);
  return { d: new HttpDelivery(cfg, { env, log, signal, retryBaseMs: 10, userAgent: 'hookwarden/test' }), logs };
}

test('NDJSON batch: spooled lines verbatim, Idempotency-Key first..last id, ${ENV} headers, basic auth from the URL', async () => {
  await withReceiver(() => ({}), async (rx, port) => {
    const cfg = sinkCfg({ url: `http://ingest:pw%21@127.0.0.1:${port}/v1/audit?src=hw`, headers: { 'X-Api-Key': '${HW_KEY}' } });
    const { d } = delivery(cfg, { HW_KEY: 'k-123' });
    const batch = entries(4);
    assert.deepEqual(await d.deliver(batch), { ok: true });
    await d.close();
    const [r] = rx.received;
    assert.equal(rx.received.length, 1);
    assert.equal(r!.headers['content-type'], 'application/x-ndjson');
    assert.equal(r!.headers['x-api-key'], 'k-123');
    assert.equal(r!.headers['user-agent'], 'hookwarden/test');
    assert.equal(r!.headers.authorization, `Basic ${Buffer.from('ingest:pw!').toString('base64')}`);
    assert.equal(r!.key, `${batch[0]!.record.id}..${batch[3]!.record.id}`);
    assert.equal(r!.body, `${batch.map((e) => e.line).join('\n')}\n`);
  });
  const one = entries(1);
  assert.equal(idempotencyKey(one), one[0]!.record.id, 'a single record: its id alone');
});

test('OTLP + gzip: the receiver gunzips a valid LogsData document', async () => {
  await withReceiver(() => ({}), async (rx, port) => {
    const { d } = delivery(sinkCfg({ url: `http://127.0.0.1:${port}/v1/logs`, format: 'otlp', gzip: true }));
    const batch = entries(3);
    assert.deepEqual(await d.deliver(batch), { ok: true });
    await d.close();
    const r = rx.received[0]!;
    assert.equal(r.headers['content-encoding'], 'gzip');
    assert.equal(r.headers['content-type'], 'application/json');
    assert.deepEqual(r.ids, batch.map((e) => e.record.id));
    const doc = JSON.parse(r.body) as { resourceLogs: { scopeLogs: { logRecords: { severityText: string; timeUnixNano: string }[] }[] }[] };
    const lrs = doc.resourceLogs[0]!.scopeLogs[0]!.logRecords;
    assert.deepEqual(lrs.map((l) => l.severityText), batch.map((e) => (e.record.decision === 'deny' ? 'WARN' : 'INFO')));
    assert.ok(lrs.every((l) => /^\d{19}$/.test(l.timeUnixNano)));
  });
});

test('5xx and 429 are retried with the same Idempotency-Key; Retry-After is honoured', async () => {
  const plan: Behaviour[] = [{ status: 500 }, { status: 429, headers: { 'retry-after': '1' } }, { status: 503, headers: { 'retry-after': '0' } }, {}];
  await withReceiver((n) => plan[n] ?? {}, async (rx, port) => {
    const { d, logs } = delivery(sinkCfg({ url: `http://127.0.0.1:${port}/`, retries: 3 }));
    assert.deepEqual(await d.deliver(entries(2)), { ok: true });
    await d.close();
    assert.deepEqual(rx.received.map((r) => r.status), [500, 429, 503, 200]);
    assert.equal(new Set(rx.received.map((r) => r.key)).size, 1);
    assert.ok(rx.received[2]!.at - rx.received[1]!.at >= 900, 'waited for Retry-After: 1');
    assert.equal(logs.filter((l) => l.startsWith('warn')).length, 3);
  });
});

test('a slow answer (beyond timeoutMs) counts as a failure and is retried', async () => {
  await withReceiver((n) => (n === 0 ? { delayMs: 600 } : {}), async (rx, port) => {
    const { d, logs } = delivery(sinkCfg({ url: `http://127.0.0.1:${port}/`, timeoutMs: 150, retries: 2 }));
    assert.deepEqual(await d.deliver(entries(2)), { ok: true });
    await d.close();
    assert.equal(rx.received.length, 2);
    assert.equal(rx.received[0]!.key, rx.received[1]!.key);
    assert.match(logs[0] ?? '', /TIMEOUT|timeout/i);
  });
});

test('4xx other than 408/429 is not retried; the batch stays for later', async () => {
  await withReceiver(() => ({ status: 400 }), async (rx, port) => {
    const { d } = delivery(sinkCfg({ url: `http://127.0.0.1:${port}/`, retries: 5 }));
    const res = await d.deliver(entries(1));
    await d.close();
    assert.equal(res.ok, false);
    assert.match((res as { error: string }).error, /^HTTP 400: failure 400$/);
    assert.equal(rx.received.length, 1);
  });
});

test('a refused connection gives up after `retries`; an unset header variable fails before any request', async () => {
  const port = await freePort();
  const { d } = delivery(sinkCfg({ url: `http://127.0.0.1:${port}/`, retries: 2 }));
  const res = await d.deliver(entries(1));
  assert.equal(res.ok, false);
  assert.match((res as { error: string }).error, /ECONNREFUSED.*\(after 3 attempts\)/);
  const { d: d2 } = delivery(sinkCfg({ url: `http://127.0.0.1:${port}/`, headers: { Authorization: 'Bearer ${NOPE}' } }));
  assert.deepEqual(await d2.deliver(entries(1)), { ok: false, error: 'header Authorization references ${NOPE}, which is not set' });
  await Promise.all([d.close(), d2.close()]);
});

test('an abort stops the retry loop at once', async () => {
  await withReceiver(() => ({ status: 503, headers: { 'retry-after': '30' } }), async (rx, port) => {
    const ac = new AbortController();
    const { d } = delivery(sinkCfg({ url: `http://127.0.0.1:${port}/`, retries: 10 }), {}, ac.signal);
    const pending = d.deliver(entries(1));
    await rx.until((r) => r.length === 1);
    ac.abort();
    const res = await pending;
    await d.close();
    assert.equal(res.ok, false);
    assert.equal(rx.received.length, 1);
  });
});

test('Retry-After parsing and backoff growth', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  assert.equal(retryAfterMs('7', now), 7000);
  assert.equal(retryAfterMs('Wed, 01 Jan 2025 00:00:30 GMT', now), 30_000);
  assert.equal(retryAfterMs('Tue, 31 Dec 2024 00:00:00 GMT', now), 0);
  assert.equal(retryAfterMs('soon', now), undefined);
  assert.equal(retryAfterMs(undefined, now), undefined);
  const lo = (a: number): number => backoffMs(a, 100, () => 0);
  const hi = (a: number): number => backoffMs(a, 100, () => 1);
  assert.deepEqual([0, 1, 2, 3].map(lo), [50, 100, 200, 400]);
  assert.deepEqual([0, 1, 2, 3].map(hi), [100, 200, 400, 800]);
  assert.equal(hi(20), 30_000, 'capped at 30 s');
});
