// The team's trail end to end, with the built hooks and CLI and a real clickhouse-server: three
// developers (their own host, user and state folders) make 200 hooked calls each while the server
// is down for a third of the run and a forwarder is killed with SIGKILL; after recovery the store
// holds each record once, the team queries agree with the local files, and the store witnesses a
// cut tail and a rewritten-and-rechained trail that the local chain check cannot see.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sealRecord } from '../../sinks/chain.js';
import type { AuditRecord } from '../../lib/types.js';
import { ClickHouseServer, WRITER, clickhouseBinary } from '../helpers/clickhouse.js';
import { codexPayload, runHook, sandbox } from '../helpers/hook.js';
import { CLI, type Run } from './run.js';
import { TeamInitOutputSchema, VerifyOutputSchema } from '../../cli/support/outputs.js';

const skip = !clickhouseBinary() && 'clickhouse-server is not installed';
let server: ClickHouseServer | undefined;
type Sandbox = ReturnType<typeof sandbox>;
interface Dev { sb: Sandbox; user: string; host: string; env: Record<string, string> }
const devs: Dev[] = [];
const CALLS = 200;

before(async () => {
  if (skip) return;
  server = await ClickHouseServer.start();
});
after(async () => {
  await server?.stop();
  for (const d of devs) d.sb.cleanup();
});

/** The built CLI, without blocking this process (hooks and forwarders run beside it). */
function hw(args: string[], env: Record<string, string>, cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Call i of a developer: a mix of allowed commands, blocked writes to .env and file writes. */
function payload(d: Dev, i: number): string {
  const kind = i % 4;
  const input = kind === 0 ? { command: `echo ${i} > .env` } : kind === 1 ? { command: `ls src/${i}` } : { command: `echo ${i} > src/f${i}.txt` };
  return JSON.stringify(codexPayload(d.sb.project, 'Bash', input, `call_${d.user}_${i}`));
}

async function runCalls(from: number, to: number): Promise<void> {
  const jobs: (() => Promise<void>)[] = [];
  for (let i = from; i < to; i++) {
    for (const d of devs) {
      jobs.push(async () => {
        const r = await runHook('pre-tool-use', payload(d, i), d.env, d.sb.project);
        assert.ok(r.status === 0 || r.status === 2, `hook exit ${r.status}: ${r.stderr}`);
      });
    }
  }
  // A few at a time: the machine has 2 cores.
  const workers = Array.from({ length: 6 }, async () => {
    for (let job = jobs.shift(); job; job = jobs.shift()) await job();
  });
  await Promise.all(workers);
}

const storeCount = async (where = ''): Promise<number> =>
  Number((await server!.query(`SELECT count() FROM team.audit FINAL${where}`)).trim());

/** `hookwarden ship` processes of a developer: their environment names its state folder. */
function forwardersOf(d: Dev): number[] {
  const marker = `XDG_STATE_HOME=${d.sb.env.XDG_STATE_HOME}`;
  return fs.readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number).filter((pid) => {
    try {
      const argv = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return argv.includes('ship') && fs.readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes(marker);
    } catch {
      return false;
    }
  });
}

function localRecords(d: Dev): AuditRecord[] {
  return fs.readFileSync(d.sb.auditFile, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditRecord);
}

test('3 developers x 200 calls, server down for a third, a forwarder killed: 600 records once each; stats and verify agree', { skip, timeout: 900_000 }, async (t) => {
  const admin = sandbox();
  try {
    const init = await hw(['team', 'init', '--json', '--writer', WRITER.user, '--source', server!.source('team', 'default@')], admin.env, admin.root);
    assert.equal(init.status, 0, init.stderr);
    assert.ok(TeamInitOutputSchema.safeParse(JSON.parse(init.stdout)).success, init.stdout);
    // Idempotent: a second init changes nothing and says the same.
    const again = await hw(['team', 'init', '--json', '--writer', WRITER.user, '--source', server!.source('team', 'default@')], admin.env, admin.root);
    assert.equal(again.status, 0, again.stderr);
    assert.equal(again.stdout, init.stdout);
    const config = (JSON.parse(init.stdout) as { config: { audit: Record<string, unknown> & { sinks: Record<string, unknown>[] } } }).config;
    // Small batches and few retries: a forwarder meets the outage quickly and the kill lands mid-delivery.
    config.audit.sinks[1] = { ...config.audit.sinks[1], name: 'team', batchSize: 20, retries: 1, timeoutMs: 1000 };
    for (const [i, who] of [['alice', 'dev-a'], ['bob', 'dev-b'], ['carol', 'dev-c']].entries()) {
      const sb = sandbox();
      const env = { ...sb.env, HOOKWARDEN_CLICKHOUSE_PASSWORD: WRITER.password, HOOKWARDEN_CLI: CLI };
      fs.mkdirSync(path.join(sb.env.XDG_CONFIG_HOME!, 'hookwarden'), { recursive: true });
      fs.writeFileSync(path.join(sb.env.XDG_CONFIG_HOME!, 'hookwarden', 'config.json'), JSON.stringify({ audit: { ...config.audit, user: who![0], host: who![1] } }));
      devs.push({ sb, user: who![0]!, host: who![1]!, env });
      assert.equal(devs[i]!.user, who![0]);
    }
  } finally {
    admin.cleanup();
  }

  await runCalls(0, 70);
  await server!.pause();
  await runCalls(70, 140);
  await server!.resume();
  // alice's forwarders (hers and any her hooks started) killed with SIGKILL once they are part-way
  // through her backlog of the outage.
  const alice = devs[0]!;
  const baseline = await storeCount(" WHERE `user` = 'alice'");
  const fwd = spawn(process.execPath, [CLI, 'ship', '--follow'], { env: alice.env, cwd: alice.sb.root, stdio: 'ignore' });
  const calls = runCalls(140, CALLS);
  let progress = baseline;
  for (let i = 0; i < 600 && (progress = await storeCount(" WHERE `user` = 'alice'")) < baseline + 20; i++) await sleep(25);
  const killed = forwardersOf(alice);
  for (const pid of killed) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // It finished on its own meanwhile.
    }
  }
  fwd.kill('SIGKILL');
  t.diagnostic(`alice: ${baseline} records stored before the outage ended, ${progress} when ${killed.length} forwarder(s) were killed`);
  assert.ok(killed.length >= 1 && progress < 200, 'a forwarder was killed while it had records left to deliver');
  await calls;

  // Recovery: one `ship` per developer (it waits out a forwarder still running, or a stale lock).
  for (const d of devs) {
    const r = await hw(['ship', '--timeout', '60'], d.env, d.sb.root);
    assert.equal(r.status, 0, `${d.user}: ${r.stdout}${r.stderr}`);
  }
  // Every call's record once; beside them, any AuditError record a loaded machine made a hook write
  // (a sink that took too long), which is in the local file and shipped too.
  assert.equal(await storeCount(" WHERE event = 'PreToolUse'"), 3 * CALLS, 'exactly 600 call records (FINAL: one row per id)');
  const localTotal = devs.reduce((n, d) => n + localRecords(d).length, 0);
  assert.equal(await storeCount(), localTotal, 'every local record, once');
  assert.equal(Number((await server!.query('SELECT uniqExact(id) FROM team.audit')).trim()), localTotal);
  const errors = devs.flatMap((d) => localRecords(d).filter((r) => r.event === 'AuditError').map((r) => r.error));
  if (errors.length > 0) t.diagnostic(`AuditError records (sink problems on this machine): ${errors.length}, e.g. ${errors[0]}`);

  const source = server!.source('team');
  const remote = await hw(['stats', '--json', '--by', 'user', '--source', source], alice.env, alice.sb.root);
  assert.equal(remote.status, 0, remote.stderr);
  const groups = (JSON.parse(remote.stdout) as { groups: { key: string; count: number; deny: number }[] }).groups;
  for (const d of devs) {
    const local = await hw(['stats', '--json', '--by', 'user'], d.env, d.sb.root);
    const mine = (JSON.parse(local.stdout) as { groups: { key: string; count: number; deny: number }[] }).groups;
    assert.deepEqual(mine, [groups.find((g) => g.key === d.user)], `${d.user}: stats --source matches the local file`);
    const calls = await hw(['stats', '--json', '--by', 'user', '--event', 'PreToolUse', '--source', source, '--user', d.user], d.env, d.sb.root);
    const g = (JSON.parse(calls.stdout) as { groups: { key: string; count: number; deny: number }[] }).groups;
    assert.deepEqual(g.map((x) => [x.key, x.count, x.deny]), [[d.user, CALLS, CALLS / 4]]);
    const v = await hw(['verify', '--against', source], d.env, d.sb.root);
    assert.equal(v.status, 0, `${d.user}: ${v.stdout}${v.stderr}`);
    const n = localRecords(d).length;
    assert.match(v.stdout, new RegExp(`^agree: ${n} local records of ${d.user}@${d.host}; the store holds ${n}`, 'm'));
  }
  // The same filters as locally: alice's blocked calls.
  const denied = await hw(['tail', '--json', '-n', '1000', '--user', 'alice', '--decision', 'deny', '--source', source], alice.env, alice.sb.root);
  const lines = denied.stdout.trim().split('\n');
  assert.equal(lines.length, CALLS / 4);
  const localDenied = fs.readFileSync(alice.sb.auditFile, 'utf8').split('\n').filter((l) => l.includes('"decision":"deny"'));
  // Same lines; the store orders by time, the file by the chain (a call's time is taken before its lock).
  assert.deepEqual([...lines].sort(), [...localDenied].sort(), 'tail --source --json prints the very lines of the local file');
  const chains = await hw(['verify', '--source', source], alice.env, alice.sb.root);
  assert.equal(chains.status, 0, chains.stdout);
  assert.match(chains.stdout, new RegExp(`^intact: ${localTotal} records of 3 writer\\(s\\)`, 'm'));
});

test('a cut tail and a rewritten-and-rechained trail: verify passes locally, verify --against names host, user, file and line', { skip, timeout: 60_000 }, async () => {
  assert.equal(devs.length, 3, 'runs after the 600-call test');
  const [alice, bob, carol] = devs as [Dev, Dev, Dev];
  const source = server!.source('team');
  // alice: the last 5 records cut off.
  const aliceLines = fs.readFileSync(alice.sb.auditFile, 'utf8').split('\n').filter(Boolean);
  fs.writeFileSync(alice.sb.auditFile, `${aliceLines.slice(0, -5).join('\n')}\n`);
  // bob: record 50 (a blocked call) turned into an allowed one, and the chain recomputed from there.
  const recs = localRecords(bob);
  const at = recs.findIndex((r, i) => i >= 49 && r.decision === 'deny');
  recs[at] = { ...recs[at]!, decision: 'allow', reason: undefined, rule: undefined, level: 30 };
  let prev = recs[at - 1]!.hash ?? null;
  for (let i = at; i < recs.length; i++) {
    recs[i] = sealRecord(recs[i]!, prev);
    prev = recs[i]!.hash!;
  }
  fs.writeFileSync(bob.sb.auditFile, recs.map((r) => `${JSON.stringify(r)}\n`).join(''));

  for (const d of [alice, bob]) {
    const local = await hw(['verify'], d.env, d.sb.root);
    assert.equal(local.status, 0, `the local chain alone cannot tell (${d.user}): ${local.stdout}`);
  }
  const a = await hw(['verify', '--against', source], alice.env, alice.sb.root);
  assert.equal(a.status, 1, a.stdout + a.stderr);
  const cutAt = aliceLines.length - 4;
  assert.ok(a.stdout.includes(`${alice.sb.auditFile}:${cutAt}: alice@dev-a: 5 records the store holds are missing here`), a.stdout);
  const b = await hw(['verify', '--against', source, '--json'], bob.env, bob.sb.root);
  assert.equal(b.status, 1, b.stdout + b.stderr);
  VerifyOutputSchema.parse(JSON.parse(b.stdout));
  const findings = (JSON.parse(b.stdout) as { findings: { kind: string; host: string; user: string; file: string; line: number }[] }).findings;
  assert.equal(findings.length, recs.length - at, 'the rewritten record and every rechained one after it');
  assert.deepEqual(findings[0], { ...findings[0], kind: 'differs', host: 'dev-b', user: 'bob', file: bob.sb.auditFile, line: at + 1 });
  const bText = await hw(['verify', '--against', source], bob.env, bob.sb.root);
  assert.ok(bText.stdout.includes(`${bob.sb.auditFile}:${at + 1}: bob@dev-b: record ${recs[at]!.id} differs from the store's copy`), bText.stdout);
  const c = await hw(['verify', '--against', source], carol.env, carol.sb.root);
  assert.equal(c.status, 0, c.stdout);

  // The same witness from an NDJSON file an HTTP collector received (here: exported from the store).
  const exported = await hw(['tail', '--json', '-n', '100000', '--user', 'alice', '--source', source], alice.env, alice.sb.root);
  const ndjson = path.join(alice.sb.root, 'received.ndjson');
  fs.writeFileSync(ndjson, exported.stdout);
  const f = await hw(['verify', '--against', ndjson], alice.env, alice.sb.root);
  assert.equal(f.status, 1, f.stdout);
  assert.ok(f.stdout.includes(`${alice.sb.auditFile}:${cutAt}: alice@dev-a: 5 records the store holds are missing here`), f.stdout);

  // The store itself is untouched: its chains are intact whatever the local files now say.
  const chains = await hw(['verify', '--json', '--source', source], carol.env, carol.sb.root);
  assert.equal(chains.status, 0, chains.stdout);
  const stored = Number((await server!.query('SELECT count() FROM team.audit FINAL')).trim());
  const perWriter = (await server!.query('SELECT host, `user`, count() FROM team.audit FINAL GROUP BY host, `user` ORDER BY `user` FORMAT TSV'))
    .trim().split('\n').map((l) => l.split('\t')).map(([host, user, n]) => ({ host, user, records: Number(n) }));
  const doc = VerifyOutputSchema.parse(JSON.parse(chains.stdout));
  assert.deepEqual({ ...doc, writers: [...doc.writers!].sort((x, y) => (x.user < y.user ? -1 : 1)) }, {
    ok: true, records: stored, problems: [], unreadable: [], findings: [], writers: perWriter,
  });

  // carol deletes her trail: the store names every record lost, at line 1 of the file the hooks write.
  const carolCount = localRecords(carol).length;
  fs.rmSync(carol.sb.auditFile);
  const gone = await hw(['verify', '--against', source], carol.env, carol.sb.root);
  assert.equal(gone.status, 1, gone.stdout + gone.stderr);
  assert.ok(gone.stdout.includes(`${carol.sb.auditFile}:1: carol@dev-c: ${carolCount} records the store holds are missing here`), gone.stdout);

  // Unreachable store: could not check.
  const down = await hw(['verify', '--against', 'clickhouse://writer@127.0.0.1:1/team'], carol.env, carol.sb.root);
  assert.equal(down.status, 2, down.stdout + down.stderr);
  assert.match(down.stderr, /ECONNREFUSED/);
});

test('a project config cannot set who wrote the records; the account does, not $USER', { skip, timeout: 30_000 }, async () => {
  const sb = sandbox();
  try {
    fs.mkdirSync(path.join(sb.project, '.hookwarden'));
    fs.writeFileSync(path.join(sb.project, '.hookwarden', 'config.json'), JSON.stringify({ audit: { user: 'mallory', host: 'elsewhere' } }));
    const r = await runHook('pre-tool-use', JSON.stringify(codexPayload(sb.project, 'Bash', { command: 'ls' })), { ...sb.env, USER: 'mallory', LOGNAME: 'mallory' }, sb.project);
    assert.equal(r.status, 0, r.stderr);
    const rec = JSON.parse(fs.readFileSync(sb.auditFile, 'utf8').trim().split('\n').at(-1)!) as AuditRecord;
    const os = await import('node:os');
    assert.equal(rec.user, os.userInfo().username);
    assert.equal(rec.host, os.hostname());
  } finally {
    sb.cleanup();
  }
});
