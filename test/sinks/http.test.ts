import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AuditConfigSchema, type HttpSinkConfig } from '../../lib/audit-config.js';
import { createHttpSink, httpLabel, resolveHeaders } from '../../sinks/http.js';
import { SpoolQueue, queueName, spoolDir } from '../../sinks/spool.js';
import { Receiver } from './helpers/http-server.js';
import { makeRecords } from './helpers/records.js';

const tmp = (): string => fs.mkdtempSync(path.join(os.tmpdir(), 'hw-'));

test('${ENV} references in header values come from the environment; unset ones are an error', () => {
  const env = { SIEM_TOKEN: 's3cr3t', TENANT: 'blue' };
  assert.deepEqual(resolveHeaders({ Authorization: 'Bearer ${SIEM_TOKEN}', 'X-Tenant': '${TENANT}-${TENANT}', 'X-Plain': 'a$b{c}' }, env), {
    Authorization: 'Bearer s3cr3t', 'X-Tenant': 'blue-blue', 'X-Plain': 'a$b{c}',
  });
  assert.throws(() => resolveHeaders({ Authorization: 'Bearer ${MISSING}' }, env), /header Authorization references \$\{MISSING\}, which is not set/);
  assert.throws(() => resolveHeaders({ A: '${EMPTY}' }, { EMPTY: '' }), /not set/);
});

test('labels never show a query string (it may hold a secret)', () => {
  const cfg = AuditConfigSchema.parse({ sinks: [{ type: 'http', url: 'https://logs.example:8443/in?token=abc' }] }).sinks![0] as HttpSinkConfig;
  assert.equal(httpLabel(cfg), 'http https://logs.example:8443/in');
});

test('write() only spools: nothing reaches the network from the hook path', async () => {
  const rx = new Receiver();
  const port = await rx.start();
  try {
    const home = tmp();
    const audit = AuditConfigSchema.parse({ sinks: [{ type: 'http', name: 'siem', url: `http://127.0.0.1:${port}/in` }], spool: { dir: path.join(home, 'spool') } });
    const cfg = audit.sinks![0] as HttpSinkConfig;
    const root = spoolDir(audit, {}, home);
    let made = 0;
    const sink = createHttpSink(cfg, { queue: () => (made++, new SpoolQueue(root, queueName(cfg), { maxBytes: audit.spool.maxBytes })) });
    const recs = makeRecords(5);
    for (const r of recs) await sink.write(r);
    await sink.close();
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(rx.received.length, 0);
    const q = new SpoolQueue(root, 'http-siem', { maxBytes: audit.spool.maxBytes });
    assert.deepEqual(q.read(10)?.entries.map((e) => e.record.id), recs.map((r) => r.id));
    assert.equal(sink.name, 'siem');
    assert.ok(made >= 1);
  } finally {
    await rx.stop();
  }
});

test('a spool that cannot be written is reported through onError, never thrown', async () => {
  const dir = tmp();
  const blocker = path.join(dir, 'file');
  fs.writeFileSync(blocker, '');
  const cfg = AuditConfigSchema.parse({ sinks: [{ type: 'http', url: 'http://127.0.0.1:9/' }] }).sinks![0] as HttpSinkConfig;
  const errors: [string, unknown][] = [];
  const sink = createHttpSink(cfg, {
    queue: () => new SpoolQueue(path.join(blocker, 'spool'), 'http-x', { maxBytes: 1 << 20 }),
    onError: (name, err) => errors.push([name, err]),
  });
  await sink.write(makeRecords(1)[0]!);
  assert.equal(errors.length, 1);
  assert.match(String(errors[0]![1]), /cannot spool the record: ENOTDIR/);
});

/** Static imports of a module, transitively (type-only imports excluded). */
function staticImports(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  const src = fs.readFileSync(file, 'utf8');
  for (const m of src.matchAll(/^import\s+(?!type\b)[^'"]*?from\s+'([^']+)'|^import\s+'([^']+)'/gm)) {
    const spec = (m[1] ?? m[2]) as string;
    if (!spec.startsWith('.')) {
      seen.add(spec);
      continue;
    }
    staticImports(path.resolve(path.dirname(file), spec.replace(/\.js$/, '.ts')), seen);
  }
  return seen;
}

test('undici and pino stay off the hook start-up path (sinks/index.ts and audit/ship.ts import them lazily)', () => {
  const root = path.resolve(import.meta.dirname, '..', '..');
  for (const entry of ['sinks/http.ts', 'sinks/syslog.ts', 'sinks/spool.ts', 'audit/ship.ts']) {
    const deps = [...staticImports(path.join(root, entry))];
    assert.ok(!deps.some((d) => d === 'undici' || d.startsWith('undici/')), `${entry} pulls in undici`);
    assert.ok(!deps.includes('pino'), `${entry} pulls in pino`);
    assert.ok(!deps.some((d) => d.endsWith('http-deliver.ts')), `${entry} pulls in http-deliver`);
  }
  assert.ok(staticImports(path.join(root, 'sinks/http-deliver.ts')).has('undici'), 'the check can see an undici import');
});
