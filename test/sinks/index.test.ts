import { test } from 'node:test';
import assert from 'node:assert/strict';
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditConfigSchema } from '../../lib/audit-config.js';
import { openSinks } from '../../sinks/index.js';
import { SpoolQueue } from '../../sinks/spool.js';
import { freePort } from './helpers/http-server.js';
import { makeRecords } from './helpers/records.js';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'hw-'));
const lines = (file: string): { id: string }[] => fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));

test('no audit.sinks: the default file sink under $XDG_STATE_HOME, and nothing else', async () => {
  const home = tmp();
  const state = path.join(home, 'state');
  const errors: unknown[] = [];
  const sink = openSinks(AuditConfigSchema.parse({}), { env: { XDG_STATE_HOME: state }, home, onError: (_, e) => errors.push(e) });
  const recs = makeRecords(3);
  for (const r of recs) await sink.write(r);
  await sink.close();
  assert.deepEqual(errors, []);
  assert.deepEqual(lines(path.join(state, 'hookwarden', 'audit.jsonl')).map((r) => r.id), recs.map((r) => r.id));
  assert.equal(fs.existsSync(path.join(state, 'hookwarden', 'spool')), false, 'no spool without network sinks');
});

test('fan-out: file, HTTP (spooled), UDP syslog and a TCP syslog that is down, each on its own', async () => {
  const home = tmp();
  const udp = dgram.createSocket('udp4');
  const got: string[] = [];
  udp.on('message', (m) => got.push(m.toString()));
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  const downPort = await freePort();
  const audit = AuditConfigSchema.parse({
    sinks: [
      { type: 'file', path: path.join(home, 'audit.jsonl') },
      { type: 'http', name: 'siem', url: 'http://127.0.0.1:9/in' },
      { type: 'syslog', name: 'udp', transport: 'udp', port: udp.address().port },
      { type: 'syslog', name: 'central', transport: 'tcp', port: downPort, timeoutMs: 300 },
    ],
    spool: { dir: path.join(home, 'spool') },
  });
  const errors: [string, string][] = [];
  const sink = openSinks(audit, { env: {}, home, onError: (name, e) => errors.push([name, String(e)]) });
  const recs = makeRecords(2);
  try {
    for (const r of recs) await sink.write(r);
    await sink.close();
    assert.deepEqual(lines(path.join(home, 'audit.jsonl')).map((r) => r.id), recs.map((r) => r.id));
    const spool = (q: string): string[] => {
      const b = new SpoolQueue(path.join(home, 'spool'), q, { maxBytes: audit.spool.maxBytes }).read(10);
      return b?.entries.map((e) => e.record.id) ?? [];
    };
    assert.deepEqual(spool('http-siem'), recs.map((r) => r.id));
    assert.deepEqual(spool('syslog-central'), recs.map((r) => r.id), 'undeliverable syslog records wait in the spool');
    // The first failure is reported; the second record goes straight to the spool behind it.
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.equal(errors[0]![0], 'central');
    assert.match(errors[0]![1], /ECONNREFUSED.*record spooled for hookwarden ship/);
    for (let i = 0; i < 50 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(got.length, 2);
    assert.ok(got.every((m, i) => m.includes(recs[i]!.id)));
  } finally {
    udp.close();
  }
});
