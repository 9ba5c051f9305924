import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { spawnSync } from 'node:child_process';
import { AuditConfigSchema, type SyslogSinkConfig } from '../../lib/audit-config.js';
import { SpoolQueue, queueName } from '../../sinks/spool.js';
import { createSyslogSink } from '../../sinks/syslog.js';
import { ship } from '../../audit/ship.js';
import type { AuditRecord } from '../../lib/types.js';
import { freePort } from './helpers/http-server.js';
import { makeRecord, makeRecords } from './helpers/records.js';
import { Rsyslog, type Parsed } from './helpers/rsyslog.js';
import { codexPayload, runHook, sandbox } from '../helpers/hook.js';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'hw-'));
const TLS_DIR = path.join(import.meta.dirname, 'fixtures', 'tls');

function syslogCfg(over: Record<string, unknown>): SyslogSinkConfig {
  return AuditConfigSchema.parse({ sinks: [{ type: 'syslog', ...over }] }).sinks![0] as SyslogSinkConfig;
}

function sinkWithSpool(cfg: SyslogSinkConfig, root: string): { sink: ReturnType<typeof createSyslogSink>; errors: string[]; queue: SpoolQueue } {
  const errors: string[] = [];
  const queue = new SpoolQueue(root, queueName(cfg), { maxBytes: 1 << 20 });
  const sink = createSyslogSink(cfg, { queue: () => queue, onError: (_, e) => errors.push(String(e)) });
  return { sink, errors, queue };
}

/** deny = warning (4), allow = info (6), authpriv = 10; everything else as written. */
function assertParsed(got: Parsed[], recs: AuditRecord[], facility = 10): void {
  for (const rec of recs) {
    const p = got.find((l) => l.msg.includes(rec.id));
    assert.ok(p, `record ${rec.id} missing`);
    assert.equal(p.pri, facility * 8 + (rec.decision === 'deny' ? 4 : 6));
    assert.equal(p.app, 'hookwarden');
    assert.equal(p.procid, String(rec.pid));
    assert.equal(p.msgid, rec.event);
    assert.ok(p.sd.startsWith(`[hookwarden@32473 decision="${rec.decision}" `), p.sd);
    assert.ok(p.sd.includes(`tool="${rec.tool}" session="${rec.session_id}" event="${rec.event}" id="${rec.id}"`), p.sd);
    if (rec.rule) assert.ok(p.sd.includes(' rule="'), p.sd);
    assert.deepEqual(JSON.parse(p.msg), rec, 'MSG is the JSON record, intact');
  }
}

test('rsyslog parses UDP and TCP (octet-counted) messages: PRI, APP-NAME, PROCID, MSGID, SD, MSG', async () => {
  const rs = await new Rsyslog().start();
  try {
    const recs = makeRecords(4, {}).map((r, i) => (i === 3 ? { ...r, rule: 'odd "rule" \\ with ] inside', reason: 'naïve ✓' } : r));
    for (const transport of ['udp', 'tcp'] as const) {
      const cfg = syslogCfg({ transport, port: transport === 'udp' ? rs.udpPort : rs.tcpPort });
      const { sink, errors } = sinkWithSpool(cfg, path.join(tmp(), 'spool'));
      const mine = recs.map((r) => ({ ...r, id: `${r.id}-${transport}` }));
      for (const r of mine) await sink.write(r);
      await sink.close();
      assert.deepEqual(errors, []);
      assertParsed(await rs.waitFor(mine.map((r) => r.id)), mine);
      const odd = (await rs.waitFor([mine[3]!.id]))[0]!;
      assert.ok(odd.sd.includes('rule="odd \\"rule\\" \\\\ with \\] inside"'), odd.sd);
    }
    const local = syslogCfg({ transport: 'tcp', port: rs.tcpPort, facility: 'local3' });
    const rec = makeRecord(0, { decision: 'deny', error: 'config unreadable' });
    await createSyslogSink(local).write(rec);
    assert.equal((await rs.waitFor([rec.id]))[0]!.pri, 19 * 8 + 3, 'local3.err');
  } finally {
    await rs.stop();
  }
});

test('a record longer than a datagram (a long script\'s targets) reaches rsyslog shortened, as one parsable message', async () => {
  const rs = await new Rsyslog().start();
  try {
    const targets = Array.from({ length: 4000 }, (_, i) => ({ op: 'write' as const, path: `/home/dev/project/src/m${i}/file-${i}.ts` }));
    for (const transport of ['udp', 'tcp'] as const) {
      const rec = makeRecord(0, { id: `big-${transport}`, decision: 'deny', rule: 'protect-env', targets });
      assert.ok(JSON.stringify(rec).length > 150_000);
      const cfg = syslogCfg({ transport, port: transport === 'udp' ? rs.udpPort : rs.tcpPort });
      const { sink, errors } = sinkWithSpool(cfg, path.join(tmp(), 'spool'));
      await sink.write(rec);
      await sink.close();
      assert.deepEqual(errors, [], 'no EMSGSIZE: the message fits one datagram');
      const got = (await rs.waitFor([rec.id]))[0]!;
      assert.ok(Buffer.byteLength(got.msg) <= 65000, `${transport}: ${Buffer.byteLength(got.msg)} bytes`);
      const body = JSON.parse(got.msg) as AuditRecord;
      assert.equal(body.decision, 'deny');
      assert.ok((body.targets?.length ?? 0) > 100 && body.targets!.length < 4000, `${transport}: ${body.targets?.length} targets`);
      assert.deepEqual(body.targets, targets.slice(0, body.targets!.length));
      assert.match(body.msg ?? '', /cut to 65000 bytes: targets \(\d+ of 4000 kept\)/);
    }
  } finally {
    await rs.stop();
  }
});

test('a TCP receiver that is down: records go to the spool within the budget; ship delivers them once it is up', async () => {
  const root = path.join(tmp(), 'spool');
  const port = await freePort();
  const audit = AuditConfigSchema.parse({ sinks: [{ type: 'syslog', name: 'central', transport: 'tcp', port, timeoutMs: 500 }], spool: { dir: root } });
  const cfg = audit.sinks![0] as SyslogSinkConfig;
  const { sink, errors, queue } = sinkWithSpool(cfg, root);
  const recs = makeRecords(6);
  for (const r of recs) await sink.write(r);
  await sink.close();
  assert.equal(errors.length, 1, 'reported once; later records queue up behind it');
  assert.match(errors[0]!, /ECONNREFUSED.*record spooled/);
  assert.equal(queue.pending(), 6);
  const down = await ship(audit, { env: {}, home: tmp(), timeoutMs: 2000, log: () => undefined });
  assert.deepEqual(down, { delivered: 0, remaining: 6, stranded: [] });

  const rs = await new Rsyslog().start({ tcpPort: port });
  try {
    const res = await ship(audit, { env: {}, home: tmp(), timeoutMs: 5000, log: () => undefined });
    assert.deepEqual(res, { delivered: 6, remaining: 0, stranded: [] });
    assertParsed(await rs.waitFor(recs.map((r) => r.id)), recs);
    // With the spool drained, the next hook sends directly again.
    const next = makeRecord(7);
    const again = sinkWithSpool(cfg, root);
    await again.sink.write(next);
    assert.deepEqual(again.errors, []);
    assert.equal(again.queue.pending(), 0);
    await rs.waitFor([next.id]);
  } finally {
    await rs.stop();
  }
});

test('a receiver that accepts but never confirms costs at most the budget, and the record is spooled', async () => {
  const sockets: net.Socket[] = [];
  const srv = net.createServer({ allowHalfOpen: true }, (s) => sockets.push(s.on('data', () => undefined)));
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  try {
    const cfg = syslogCfg({ transport: 'tcp', port: (srv.address() as net.AddressInfo).port, timeoutMs: 300 });
    const { sink, errors, queue } = sinkWithSpool(cfg, path.join(tmp(), 'spool'));
    const started = Date.now();
    await sink.write(makeRecord(1));
    assert.ok(Date.now() - started < 300 + 1000, 'bounded by timeoutMs');
    assert.match(errors[0] ?? '', /no confirmation within 300 ms; record spooled/);
    assert.equal(queue.pending(), 1);
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => srv.close(resolve));
  }
});

test('unix datagram socket (rsyslog imuxsock on a socket of its own), sent through util-linux logger', async (t) => {
  if (spawnSync('logger', ['--version']).error) {
    t.skip('util-linux logger is not installed: node cannot write to unix datagram sockets without it');
    return;
  }
  const rs = await new Rsyslog().start();
  try {
    const cfg = syslogCfg({ transport: 'unix', path: rs.socket });
    const { sink, errors } = sinkWithSpool(cfg, path.join(tmp(), 'spool'));
    const recs = makeRecords(2).map((r, i) => (i === 0 ? { ...r, rule: 'quote " and ] and \\' } : r));
    for (const r of recs) await sink.write(r);
    await sink.close();
    assert.deepEqual(errors, []);
    const got = await rs.waitFor(recs.map((r) => r.id));
    for (const rec of recs) {
      const p = got.find((l) => l.msg.includes(rec.id))!;
      assert.equal(p.pri, 10 * 8 + (rec.decision === 'deny' ? 4 : 6));
      assert.equal(p.app, 'hookwarden');
      assert.equal(p.procid, String(rec.pid));
      assert.equal(p.msgid, 'PreToolUse');
      assert.ok(p.sd.startsWith(`[hookwarden@32473 decision="${rec.decision}"`), p.sd);
      assert.deepEqual(JSON.parse(p.msg), rec);
    }
    assert.ok(got[0]!.sd.includes('rule="quote \\" and \\] and \\\\"'), got[0]!.sd);
  } finally {
    await rs.stop();
  }
});

test('unix stream socket: newline-terminated RFC 5424 messages; a missing socket spools', async () => {
  const dir = tmp();
  const sockPath = path.join(dir, 'log.sock');
  let data = '';
  const srv = net.createServer((s) => s.on('data', (d) => (data += d.toString())).on('end', () => s.end()));
  await new Promise<void>((resolve) => srv.listen(sockPath, resolve));
  try {
    const { sink, errors } = sinkWithSpool(syslogCfg({ transport: 'unix', path: sockPath }), path.join(dir, 'spool'));
    const rec = makeRecord(0);
    await sink.write(rec);
    assert.deepEqual(errors, []);
    assert.match(data, /^<84>1 \S+ \S+ hookwarden \d+ PreToolUse \[hookwarden@32473 decision="deny" .*\] \{.*\}\n$/);
  } finally {
    await new Promise((resolve) => srv.close(resolve));
  }
  const gone = sinkWithSpool(syslogCfg({ transport: 'unix', path: path.join(dir, 'absent.sock') }), path.join(dir, 'spool2'));
  await gone.sink.write(makeRecord(1));
  assert.match(gone.errors[0] ?? '', /ENOENT.*record spooled/);
  assert.equal(gone.queue.pending(), 1);
  // Neither the receiver nor the spool: reported, never thrown.
  const file = path.join(dir, 'not-a-dir');
  fs.writeFileSync(file, '');
  const cfg = syslogCfg({ transport: 'unix', path: path.join(dir, 'absent.sock') });
  const errors: string[] = [];
  const worst = createSyslogSink(cfg, { queue: () => new SpoolQueue(file, queueName(cfg), { maxBytes: 1 << 20 }), onError: (_, e) => errors.push(String(e)) });
  await worst.write(makeRecord(2));
  assert.match(errors[0] ?? '', /ENOENT.*spooling failed too: ENOTDIR/);
});

/** A TLS syslog receiver (RFC 5425) that requires our client certificate and keeps the frames. */
async function tlsReceiver(): Promise<{ port: number; frames: string[]; peers: string[]; close(): Promise<unknown> }> {
  const read = (f: string): Buffer => fs.readFileSync(path.join(TLS_DIR, f));
  const frames: string[] = [];
  const peers: string[] = [];
  const srv = tls.createServer({ key: read('server.key'), cert: read('server.pem'), ca: read('ca.pem'), requestCert: true, rejectUnauthorized: true }, (s) => {
    peers.push(String(s.getPeerCertificate().subject?.CN));
    let buf = '';
    s.on('data', (d) => {
      buf += d.toString();
      for (let m = /^(\d+) /.exec(buf); m && buf.length >= m[0].length + Number(m[1]); m = /^(\d+) /.exec(buf)) {
        const len = Number(m[1]);
        frames.push(Buffer.from(buf.slice(m[0].length)).subarray(0, len).toString());
        buf = Buffer.from(buf.slice(m[0].length)).subarray(len).toString();
      }
    });
    s.on('end', () => s.end());
  });
  srv.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  return { port: (srv.address() as net.AddressInfo).port, frames, peers, close: () => new Promise((resolve) => srv.close(resolve)) };
}

test('TLS (RFC 5425): verified server, client certificate, octet-counted frames; an unknown CA is refused', async () => {
  const { port, frames, peers, close } = await tlsReceiver();
  try {
    const base = { transport: 'tls', port, cert: path.join(TLS_DIR, 'client.pem'), key: path.join(TLS_DIR, 'client.key') };
    const good = sinkWithSpool(syslogCfg({ ...base, ca: path.join(TLS_DIR, 'ca.pem') }), path.join(tmp(), 'spool'));
    const recs = makeRecords(2);
    for (const r of recs) await good.sink.write(r);
    assert.deepEqual(good.errors, []);
    assert.equal(frames.length, 2);
    frames.forEach((f, i) => assert.ok(f.endsWith(` ${JSON.stringify(recs[i])}`), f.slice(0, 100)));
    assert.deepEqual(peers, ['hookwarden client', 'hookwarden client']);

    const bad = sinkWithSpool(syslogCfg({ ...base, ca: path.join(TLS_DIR, 'other-ca.pem') }), path.join(tmp(), 'spool'));
    await bad.sink.write(makeRecord(5));
    assert.match(bad.errors[0] ?? '', /certificate.*record spooled/i);
    assert.equal(bad.queue.pending(), 1);
    assert.equal(frames.length, 2);
  } finally {
    await close();
  }
});

test('TLS from the built hook: the record reaches the receiver (the hook bundle runs without dynamic import)', async () => {
  const { port, frames, close } = await tlsReceiver();
  const sb = sandbox();
  try {
    const cfg = path.join(sb.root, 'config.json');
    fs.writeFileSync(cfg, JSON.stringify({ audit: { sinks: [{ type: 'syslog', transport: 'tls', host: '127.0.0.1', port,
      ca: path.join(TLS_DIR, 'ca.pem'), cert: path.join(TLS_DIR, 'client.pem'), key: path.join(TLS_DIR, 'client.key'), timeoutMs: 5000 }] } }));
    const env = { ...sb.env, HOOKWARDEN_CONFIG: cfg, HOOKWARDEN_CLI: path.join(sb.root, 'no-forwarder') };
    const r = await runHook('pre-tool-use', JSON.stringify(codexPayload(sb.project, 'Bash', { command: 'echo hi > out.txt' })), env, sb.project);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    assert.equal(frames.length, 1);
    assert.match(frames[0] ?? '', /"event":"PreToolUse"/);
  } finally {
    sb.cleanup();
    await close();
  }
});
