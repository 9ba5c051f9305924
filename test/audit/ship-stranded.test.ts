// Spooled records of a sink that is no longer configured (issue 13: a corrected URL left them
// stranded while `ship` said "remaining 0"). Real HTTP receivers on 127.0.0.1, real spool files,
// and the built CLI with a real config file in a temp HOME.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditConfigSchema, type AuditConfig } from '../../lib/audit-config.js';
import { openSinks } from '../../sinks/index.js';
import { queueName } from '../../sinks/spool.js';
import { ship } from '../../audit/ship.js';
import { ShipOutputSchema } from '../../cli/support/outputs.js';
import type { AuditRecord } from '../../lib/types.js';
import { Receiver, freePort } from '../sinks/helpers/http-server.js';
import { makeRecords } from '../sinks/helpers/records.js';
import { execFile } from 'node:child_process';
import { CLI, hw, json } from '../cli/run.js';

const tmp = (): string => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-strand-')));
/** The CLI run without blocking this process (its event loop serves the receiver). */
const hwAsync = (args: string[], o: { cwd: string; env: Record<string, string> }): Promise<{ status: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { cwd: o.cwd, env: o.env, encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
const quiet = { log: (): void => undefined, retryBaseMs: 10 };

function audit(home: string, sinks: Record<string, unknown>[]): AuditConfig {
  return AuditConfigSchema.parse({ sinks: sinks.map((s) => ({ type: 'http', timeoutMs: 300, retries: 0, ...s })), spool: { dir: path.join(home, 'spool') } });
}

async function hookWrites(a: AuditConfig, home: string, recs: AuditRecord[]): Promise<void> {
  const sink = openSinks(a, { env: {}, home, onError: (_, e) => assert.fail(String(e)) });
  for (const r of recs) await sink.write(r);
  await sink.close();
}

test('an unnamed sink whose URL is corrected: the old queue is reported as stranded, then adopted and delivered', async () => {
  const home = tmp();
  const dead = await freePort(); // nothing listens: the typo'd URL
  const rx = new Receiver();
  const port = await rx.start();
  try {
    const wrong = audit(home, [{ url: `http://127.0.0.1:${dead}/ingest` }]);
    const early = makeRecords(5);
    await hookWrites(wrong, home, early);
    assert.deepEqual(await ship(wrong, { env: {}, home, timeoutMs: 2000, ...quiet }), { delivered: 0, remaining: 5, stranded: [] });

    const fixed = audit(home, [{ url: `http://127.0.0.1:${port}/ingest` }]);
    const late = makeRecords(2, { session_id: 'late' });
    await hookWrites(fixed, home, late);
    const oldQueue = queueName(wrong.sinks![0] as never);
    const res = await ship(fixed, { env: {}, home, timeoutMs: 5000, ...quiet });
    assert.deepEqual(res, {
      delivered: 2, remaining: 5,
      stranded: [{ queue: oldQueue, records: 5, sink: `http http://127.0.0.1:${dead}/ingest` }],
    });

    // Delivered only when asked: the user confirms the corrected sink takes the old records.
    const adopted = await ship(fixed, { env: {}, home, timeoutMs: 5000, adopt: { queues: [oldQueue] }, ...quiet });
    assert.deepEqual(adopted, { delivered: 5, remaining: 0, stranded: [] });
    assert.deepEqual(new Set(rx.received.flatMap((r) => r.ids)), new Set([...early, ...late].map((r) => r.id)));
    assert.ok(!fs.existsSync(path.join(home, 'spool', oldQueue)), 'the adopted queue is gone');
  } finally {
    await rx.stop();
  }
});

test('a named sink whose URL is corrected keeps its queue: the waiting records go to the new URL', async () => {
  const home = tmp();
  const dead = await freePort();
  const rx = new Receiver();
  const port = await rx.start();
  try {
    const wrong = audit(home, [{ name: 'siem', url: `http://127.0.0.1:${dead}/ingest` }]);
    const recs = makeRecords(4);
    await hookWrites(wrong, home, recs);
    assert.equal((await ship(wrong, { env: {}, home, timeoutMs: 2000, ...quiet })).remaining, 4);
    const fixed = audit(home, [{ name: 'siem', url: `http://127.0.0.1:${port}/ingest` }]);
    assert.deepEqual(await ship(fixed, { env: {}, home, timeoutMs: 5000, ...quiet }), { delivered: 4, remaining: 0, stranded: [] });
    assert.deepEqual(rx.received.flatMap((r) => r.ids).sort(), recs.map((r) => r.id).sort());
  } finally {
    await rx.stop();
  }
});

test('a sink removed from the config: its records are still counted as remaining', async () => {
  const home = tmp();
  const was = audit(home, [{ url: `http://127.0.0.1:${await freePort()}/x` }]);
  await hookWrites(was, home, makeRecords(3));
  const none = AuditConfigSchema.parse({ sinks: [{ type: 'file' }], spool: { dir: path.join(home, 'spool') } });
  const res = await ship(none, { env: {}, home, ...quiet });
  assert.equal(res.remaining, 3);
  assert.equal(res.stranded[0]?.records, 3);
  await assert.rejects(ship(none, { env: {}, home, adopt: { queues: [res.stranded[0]!.queue] }, ...quiet }), /no HTTP or syslog sink is configured/);
});

test('hookwarden ship (built CLI, real config): the stranded count and a one-line hint; --json; --adopt delivers', async () => {
  const root = tmp();
  const home = path.join(root, 'home');
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_STATE_HOME: path.join(root, 'state'), XDG_CONFIG_HOME: path.join(root, 'config') };
  const configFile = path.join(root, 'config', 'hookwarden', 'config.json');
  fs.mkdirSync(path.dirname(configFile), { recursive: true });
  fs.mkdirSync(home);
  const dead = await freePort();
  const rx = new Receiver();
  const port = await rx.start();
  const sinkAt = (p: number) => ({ type: 'http', url: `http://127.0.0.1:${p}/ingest`, timeoutMs: 300, retries: 0 });
  try {
    fs.writeFileSync(configFile, JSON.stringify({ audit: { sinks: [sinkAt(dead)] } }));
    const wrong = AuditConfigSchema.parse({ sinks: [sinkAt(dead)] });
    const stateEnv = { XDG_STATE_HOME: env.XDG_STATE_HOME };
    const sink = openSinks(wrong, { env: stateEnv, home, onError: (_, e) => assert.fail(String(e)) });
    for (const r of makeRecords(3)) await sink.write(r);
    await sink.close();
    assert.equal(hw(['ship', '--timeout', '2'], { cwd: root, env }).status, 1);

    fs.writeFileSync(configFile, JSON.stringify({ audit: { sinks: [sinkAt(port)] } }));
    const r = hw(['ship', '--timeout', '5'], { cwd: root, env });
    assert.equal(r.status, 1, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines[0], 'delivered 0, remaining 3 (3 stranded)');
    const queue = queueName(wrong.sinks![0] as never);
    assert.equal(lines[1], `stranded: 3 records in spool queue ${queue} (http http://127.0.0.1:${dead}/ingest), a sink no longer configured: hookwarden ship --adopt ${queue} delivers them to the configured sink`);
    assert.equal(lines.length, 2);

    const j = ShipOutputSchema.parse(json(hw(['ship', '--json', '--timeout', '5'], { cwd: root, env })));
    assert.deepEqual(j.stranded, [{ queue, records: 3, sink: `http http://127.0.0.1:${dead}/ingest` }]);
    assert.equal(j.remaining, 3);

    const adopted = await hwAsync(['ship', '--json', '--adopt', queue, '--timeout', '5'], { cwd: root, env });
    assert.equal(adopted.status, 0, adopted.stderr);
    assert.deepEqual(json(adopted), { delivered: 3, remaining: 0, stranded: [] });
    assert.equal(rx.received.flatMap((x) => x.ids).length, 3);
  } finally {
    await rx.stop();
  }
});
