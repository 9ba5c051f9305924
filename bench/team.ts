// `npm run bench:team`: the team store's figures, against a real clickhouse-server on 127.0.0.1.
// 1. Records per second from the spool to the store (`ship`, default batch size), 50,000 records.
// 2. The hook's own wall time with the file sink alone and with a ClickHouse sink added (the hook
//    only appends to the spool; the forwarder it starts runs detached), alternated run by run.
// Options: --records N (default 50000), --runs N (default 40). Prints a Markdown table.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { AuditConfigSchema } from '../lib/audit-config.js';
import { sealRecord } from '../sinks/chain.js';
import { SpoolQueue, queueName, spoolDir, spooledSinks } from '../sinks/spool.js';
import { ship } from '../audit/ship.js';
import { initStore } from '../cli/team.js';
import { parseSource } from '../cli/team/source.js';
import { ClickHouseServer, WRITER } from '../test/helpers/clickhouse.js';
import { codexPayload, hookPath, sandbox } from '../test/helpers/hook.js';
import { makeRecord } from '../test/sinks/helpers/records.js';
import { summarize } from './stats.js';

const { values } = parseArgs({ options: { records: { type: 'string', default: '50000' }, runs: { type: 'string', default: '40' } } });
const N = Number(values.records);
const RUNS = Number(values.runs);

const server = await ClickHouseServer.start();
if (!server) throw new Error('clickhouse-server is not installed (apt-get install clickhouse-server)');
try {
  await initStore(parseSource(server.source('bench', 'default@'), {}));
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-bench-team-'));
  const audit = AuditConfigSchema.parse({
    sinks: [{ type: 'clickhouse', name: 'bench', url: server.url, database: 'bench', user: WRITER.user, password: WRITER.password }],
    spool: { dir: path.join(home, 'spool'), maxBytes: 1 << 30 },
  });
  const q = new SpoolQueue(spoolDir(audit, {}, home), queueName(spooledSinks(audit)[0]!), { maxBytes: audit.spool.maxBytes });
  let prev: string | null = null;
  for (let i = 0; i < N; i++) {
    const rec = sealRecord(makeRecord(i, { user: `dev${i % 20}` }), prev);
    prev = rec.hash!;
    q.append(rec);
  }
  const serverCpu0 = server.cpuSeconds();
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const res = await ship(audit, { env: {}, home, log: () => undefined });
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  const shipCpu = (cpu.user + cpu.system) / 1e6;
  const serverCpu = server.cpuSeconds() - serverCpu0;
  const stored = Number((await server.query('SELECT count() FROM bench.audit FINAL')).trim());
  if (res.delivered !== N || stored !== N) throw new Error(`delivered ${res.delivered}, stored ${stored}, expected ${N}`);
  fs.rmSync(home, { recursive: true, force: true });

  // The hook's time: file sink alone vs file + ClickHouse sink (server up, forwarder started by the hooks).
  const sb = sandbox();
  const cfgDir = path.join(sb.env.XDG_CONFIG_HOME!, 'hookwarden');
  fs.mkdirSync(cfgDir, { recursive: true });
  const withCh = path.join(sb.root, 'ch.json');
  const fileOnly = path.join(sb.root, 'file.json');
  fs.writeFileSync(fileOnly, JSON.stringify({ audit: { sinks: [{ type: 'file' }] } }));
  fs.writeFileSync(withCh, JSON.stringify({ audit: { sinks: [{ type: 'file' }, { type: 'clickhouse', url: server.url, database: 'bench', user: WRITER.user, password: WRITER.password }] } }));
  const input = JSON.stringify(codexPayload(sb.project, 'Bash', { command: 'echo hi > src/out.txt' }));
  const once = (config: string): number => {
    const t = process.hrtime.bigint();
    const r = spawnSync(process.execPath, [hookPath('pre-tool-use')], { input, env: { ...sb.env, HOOKWARDEN_CONFIG: config }, cwd: sb.project });
    if (r.status !== 0) throw new Error(`hook exit ${r.status}: ${r.stderr}`);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  for (let i = 0; i < 3; i++) {
    once(fileOnly);
    once(withCh);
  }
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    a.push(once(fileOnly));
    b.push(once(withCh));
  }
  const sa = summarize(a);
  const sbs = summarize(b);
  sb.cleanup();
  const load = os.loadavg()[0]!.toFixed(1);
  process.stdout.write(`## Team store (ClickHouse ${(await server.query('SELECT version()')).trim()}), load average ${load}

| what | value |
| --- | --- |
| spool -> store, ${N} records, batch ${audit.sinks![0]!.type === 'clickhouse' ? audit.sinks![0]!.batchSize : ''}, wall time | ${(N / secs).toFixed(0)} records/s (${secs.toFixed(2)} s) |
| CPU time: forwarder / server | ${shipCpu.toFixed(2)} s / ${serverCpu.toFixed(2)} s, so ${(N / (shipCpu + serverCpu)).toFixed(0)} records per CPU second of both together |
| hook wall time, file sink (median / p95) | ${sa.median.toFixed(1)} / ${sa.p95.toFixed(1)} ms |
| hook wall time, file + ClickHouse sink (median / p95) | ${sbs.median.toFixed(1)} / ${sbs.p95.toFixed(1)} ms |
`);
} finally {
  await server.stop();
}
