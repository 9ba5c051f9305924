import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { AuditConfigSchema } from '../../../lib/audit-config.js';
import { checkSinks, folderSize, writableDir } from '../../../cli/install/sinks-check.js';
import { tmp } from './helpers.js';

describe('writableDir and folderSize', () => {
  const root = tmp();
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  it('judges the nearest existing ancestor', () => {
    assert.deepEqual(writableDir(path.join(root, 'a', 'b')), { ok: true, at: root });
    fs.writeFileSync(path.join(root, 'file'), '');
    assert.deepEqual(writableDir(path.join(root, 'file', 'x')), { ok: false, at: path.join(root, 'file') });
  });
  it('sums every file below a folder; a missing folder is empty', () => {
    fs.mkdirSync(path.join(root, 'spool', 'http-a'), { recursive: true });
    fs.writeFileSync(path.join(root, 'spool', 'http-a', '1.jsonl'), 'x'.repeat(100));
    fs.writeFileSync(path.join(root, 'spool', 'top'), 'yy');
    assert.deepEqual(folderSize(path.join(root, 'spool')), { files: 2, bytes: 102 });
    assert.deepEqual(folderSize(path.join(root, 'none')), { files: 0, bytes: 0 });
  });
});

describe('checkSinks', () => {
  let server: http.Server;
  let port: number;
  let closedPort: number;
  const root = tmp();
  before(async () => {
    server = http.createServer((_q, s) => s.end()).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    port = (server.address() as AddressInfo).port;
    const probe = http.createServer().listen(0, '127.0.0.1');
    await new Promise((r) => probe.once('listening', r));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise((r) => probe.close(r));
  });
  after(() => {
    server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('default file sink and spool under XDG_STATE_HOME', async () => {
    const env = { XDG_STATE_HOME: path.join(root, 'state') };
    fs.mkdirSync(path.join(root, 'state', 'hookwarden', 'spool', 'q'), { recursive: true });
    fs.writeFileSync(path.join(root, 'state', 'hookwarden', 'spool', 'q', 'seg'), 'abc');
    const r = await checkSinks(AuditConfigSchema.parse({}), env, root);
    assert.deepEqual(r.checks.map((c) => [c.name, c.status]), [['sink', 'ok'], ['spool', 'ok']]);
    assert.match(r.checks[0]?.detail ?? '', /state\/hookwarden\/audit\.jsonl \(directory writable\)/);
    assert.deepEqual(r.spool, { dir: path.join(root, 'state', 'hookwarden', 'spool'), files: 1, bytes: 3, maxBytes: 100 * 1024 * 1024 });
  });

  it('HTTP sinks: a live collector is ok, a closed port is a warning with the fix', async () => {
    const audit = AuditConfigSchema.parse({
      sinks: [{ type: 'http', name: 'up', url: `http://127.0.0.1:${port}/ingest` }, { type: 'http', url: `http://127.0.0.1:${closedPort}/` }],
      spool: { dir: path.join(root, 'spool2'), maxBytes: 65536 },
    });
    const r = await checkSinks(audit, {}, root);
    assert.deepEqual(r.checks.map((c) => c.status), ['ok', 'warn', 'ok']);
    assert.match(r.checks[1]?.detail ?? '', /unreachable \(ECONNREFUSED\); records wait in the spool/);
    assert.equal(r.checks[1]?.fix, 'start the collector, then run: hookwarden ship');
  });

  it('a nearly full spool is a warning', async () => {
    const dir = path.join(root, 'full');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'seg'), Buffer.alloc(60000));
    const r = await checkSinks(AuditConfigSchema.parse({ sinks: [], spool: { dir, maxBytes: 65536 } }), {}, root);
    assert.deepEqual(r.checks.map((c) => [c.name, c.status]), [['spool', 'warn']]);
    assert.match(r.checks[0]?.fix ?? '', /hookwarden ship/);
  });

  it('a file sink in a folder that cannot be created is a warning', async () => {
    fs.writeFileSync(path.join(root, 'blocker'), '');
    const r = await checkSinks(AuditConfigSchema.parse({ sinks: [{ type: 'file', path: path.join(root, 'blocker', 'a.jsonl') }] }), {}, root);
    assert.equal(r.checks[0]?.status, 'warn');
    assert.match(r.checks[0]?.detail ?? '', /is not writable/);
  });
});
