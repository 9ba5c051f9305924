// `npm run bench`: spawn cases in each setup, the start-up breakdown, the daemon's memory over
// 10,000 calls, the in-process figures; writes bench/RESULTS.md and prints it. Options: --runs N,
// --warmups N, --quick, --skip-in-process, --skip-adversarial, --skip-memory, --memory-calls N,
// --setups compiled,registered-node,first,file,sinks,sinks-noforwarder,ca,sinks-ca,inproc,nocache
// (default: all but sinks-ca), --out FILE.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DIST, daemonsUnder, sandbox } from '../test/helpers/hook.js';
import { runAdversarial } from './adversarial.js';
import { runInProcess } from './in-process.js';
import { measureDaemonMemory } from './daemon-memory.js';
import { spawnCases } from './payloads.js';
import { processesWithEnv, spooledRecords, startDaemon, startPeers, stopProcesses, writeSinkConfig } from './peers.js';
import { renderReport, type BenchReport, type SinkFacts } from './report.js';
import { measureCase, startupBreakdown, type CaseResult, type SpawnOptions } from './spawn.js';
import { benchClient, firstCalls, registered } from './client.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    warmups: { type: 'string' },
    quick: { type: 'boolean', default: false },
    'skip-in-process': { type: 'boolean', default: false },
    'skip-adversarial': { type: 'boolean', default: false },
    'skip-memory': { type: 'boolean', default: false },
    'memory-calls': { type: 'string' },
    setups: { type: 'string', default: 'compiled,registered-node,first,file,sinks,sinks-noforwarder,ca,inproc,nocache' },
    out: { type: 'string', default: path.join(import.meta.dirname, 'RESULTS.md') },
  },
});
const quick = values.quick ?? false;
const count = (v: string | undefined, dflt: number, min: number): number => {
  const n = v === undefined ? dflt : Number(v);
  if (!Number.isInteger(n) || n < min || n > 10_000) throw new Error(`expected an integer >= ${min}, got ${v}`);
  return n;
};
// A private copy of the build: a rebuild in the working tree while the benchmark runs (tsup
// cleans dist/ first) must not make cases fail or mix two builds. hooks/ and cli.js keep their
// relative layout, so the hooks still find the forwarder next to them.
const benchDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-bench-'));
const removeBenchDir = (): void => fs.rmSync(benchDir, { recursive: true, force: true });
process.on('exit', removeBenchDir);
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => process.exit(130));
const dist = path.join(benchDir, 'dist');
if (fs.existsSync(DIST)) fs.cpSync(DIST, dist, { recursive: true });
for (const f of ['hooks/pre-tool-use.js', 'hooks/post-tool-use.js', 'hooks/audit-event.js', 'hooks/mvdan-sh.js', 'cli.js']) {
  if (!fs.existsSync(path.join(dist, f))) throw new Error(`dist/${f} is missing: run \`npm run build\` first (npm run bench does)`);
}

// The same build without its V8 code caches (dist/hooks/*.cache): what the caches save.
const distNoCache = path.join(benchDir, 'dist-nocache');
fs.cpSync(dist, distNoCache, { recursive: true });
for (const f of fs.readdirSync(path.join(distNoCache, 'hooks'))) if (f.endsWith('.cache')) fs.rmSync(path.join(distNoCache, 'hooks', f));

const opts: SpawnOptions = {
  dist,
  runs: count(values.runs, quick ? 10 : 40, 1),
  warmups: count(values.warmups, quick ? 1 : 3, 1),
  capMs: quick ? 20_000 : 40_000,
};
const log = (msg: string): void => void process.stderr.write(`bench: ${msg}\n`);

const caCerts = process.env.NODE_EXTRA_CA_CERTS || undefined;

// `daemon: false` runs every call in-process (HOOKWARDEN_DAEMON=off): what a session's first call
// costs, and every call where the daemon is switched off.
interface Setup {
  id: string; name: string; sinks: boolean; ca: boolean; forwarder: boolean; daemon: boolean; noCache?: boolean;
  /** Run as the agent runs the registered command (sh -c), with this client. */
  registered?: 'compiled' | 'node';
  /** Every run is a session's first call: no daemon before it (it starts one). */
  firstCall?: boolean;
}
const client = benchClient(benchDir);
const ALL_SETUPS: Setup[] = [
  // Issue 19: the registered command with the compiled client, the daemon up (every call of a session but its first).
  { id: 'compiled', name: 'registered command (sh -c), compiled client', sinks: false, ca: false, forwarder: true, daemon: true, registered: 'compiled' },
  { id: 'registered-node', name: 'registered command (sh -c), Node client', sinks: false, ca: false, forwarder: true, daemon: true, registered: 'node' },
  { id: 'first', name: 'first call of a session (sh -c, compiled client, no daemon yet)', sinks: false, ca: false, forwarder: true, daemon: true, registered: 'compiled', firstCall: true },
  { id: 'file', name: 'file sink', sinks: false, ca: false, forwarder: true, daemon: true },
  { id: 'sinks', name: 'file + HTTP + syslog sinks', sinks: true, ca: false, forwarder: true, daemon: true },
  // The hook path alone: no `hookwarden ship` started, so no forwarder competes for the CPU.
  { id: 'sinks-noforwarder', name: 'file + HTTP + syslog sinks, no forwarder start', sinks: true, ca: false, forwarder: false, daemon: true },
  { id: 'ca', name: 'file sink, NODE_EXTRA_CA_CERTS set', sinks: false, ca: true, forwarder: true, daemon: true },
  { id: 'sinks-ca', name: 'file + HTTP + syslog sinks, NODE_EXTRA_CA_CERTS set', sinks: true, ca: true, forwarder: true, daemon: true },
  { id: 'inproc', name: 'file sink, no daemon', sinks: false, ca: false, forwarder: true, daemon: false },
  { id: 'nocache', name: 'file sink, no daemon, no code cache', sinks: false, ca: false, forwarder: true, daemon: false, noCache: true },
];
const wanted = (values.setups as string).split(',').map((x) => x.trim()).filter(Boolean);
for (const id of wanted) {
  if (!ALL_SETUPS.some((s) => s.id === id)) throw new Error(`unknown setup ${id} (known: ${ALL_SETUPS.map((s) => s.id).join(', ')})`);
}
// The NODE_EXTRA_CA_CERTS setups only exist where the variable is set.
const setups = ALL_SETUPS.filter((s) => wanted.includes(s.id) && (!s.ca || caCerts) && (s.registered !== 'compiled' || client.path));
if (!client.path) log(`no compiled client (${client.error}): its setups are skipped`);

async function runSetup(s: Setup): Promise<{ cases: CaseResult[]; sinks?: SinkFacts }> {
  const sb = sandbox();
  const peers = s.sinks ? await startPeers() : undefined;
  const runDir = fs.mkdtempSync(path.join(benchDir, 'run-'));
  try {
    for (const f of ['app.ts', 'index.ts']) fs.writeFileSync(path.join(sb.project, 'src', f), 'export {};\n');
    const env: Record<string, string> = { ...sb.env, ...(s.ca && caCerts ? { NODE_EXTRA_CA_CERTS: caCerts } : {}) };
    if (peers) env.HOOKWARDEN_CONFIG = writeSinkConfig(sb.root, peers);
    // The hooks start the forwarder found next to them (dist/cli.js) unless HOOKWARDEN_CLI names
    // another file: naming one that does not exist keeps it from starting.
    if (!s.forwarder) env.HOOKWARDEN_CLI = path.join(sb.root, 'no-forwarder');
    if (s.daemon) {
      // The setup's own daemon, in its own socket folder, started before measuring: the steady
      // state of a session (its first call is the in-process figure).
      env.XDG_RUNTIME_DIR = runDir;
      if (!s.firstCall) await startDaemon(s.noCache ? distNoCache : dist, env, sb.project, runDir);
    } else env.HOOKWARDEN_DAEMON = 'off';
    const cases: CaseResult[] = [];
    for (const c of spawnCases(sb.project)) {
      // The first call's targets name a Write and a Bash call; the rest are for the warm setups.
      if (s.firstCall && !['claude-write-allow', 'codex-bash-allow', 'codex-bash-deny'].includes(c.id)) continue;
      log(`${s.name}: ${c.label}`);
      const first = s.firstCall ? firstCalls(runDir) : undefined;
      const caseOpts: SpawnOptions = {
        ...(s.noCache ? { ...opts, dist: distNoCache } : opts),
        ...(s.registered ? { hookCommand: registered(dist, s.registered === 'compiled' ? client.path : undefined) } : {}),
        ...(first ? { beforeRun: first.beforeRun, afterRun: first.afterRun, runs: Math.min(opts.runs, 20) } : {}),
      };
      const r = await measureCase(c, s.name, env, sb.project, sb.auditFile, caseOpts);
      if (first) r.daemonReadyMs = first.ready;
      if (s.registered) r.registered = s.registered;
      if (s.firstCall) r.firstCall = true;
      if (r.error) log(`  FAILED: ${r.error}`);
      else log(`  hook ${r.hook.median.toFixed(1)} ms, node -e '' ${r.base.median.toFixed(1)} ms (${r.ratioMedian.toFixed(2)}x)`);
      cases.push(r);
    }
    if (!peers) return { cases };
    await new Promise((resolve) => setTimeout(resolve, 300)); // last datagrams, last forwarder start
    const forwarders = processesWithEnv(`XDG_STATE_HOME=${sb.env.XDG_STATE_HOME}`);
    await stopProcesses(forwarders);
    // The call that started the daemon wrote a record too.
    const hookRuns = cases.reduce((n, c) => n + (c.error ? 0 : c.hook.n + opts.warmups), 0) + (s.daemon ? 1 : 0);
    return {
      cases,
      sinks: {
        hookRuns,
        spooled: spooledRecords(path.join(sb.env.XDG_STATE_HOME as string, 'hookwarden', 'spool')),
        syslogDatagrams: peers.syslogDatagrams(),
        httpConnections: peers.httpConnections(),
        forwardersStopped: forwarders.length,
      },
    };
  } finally {
    // Forwarders may still be starting when a case fails: never leave one behind.
    await stopProcesses(processesWithEnv(`XDG_STATE_HOME=${sb.env.XDG_STATE_HOME}`));
    await stopProcesses(daemonsUnder(runDir));
    await peers?.close();
    sb.cleanup();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  const report: BenchReport = {
    date: new Date(), command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    runs: opts.runs, warmups: opts.warmups, cases: [], sinks: [], startup: [], ...(caCerts ? { caCerts } : {}),
    load: os.loadavg().map((x) => x.toFixed(1)).join(', '),
  };
  for (const s of setups) {
    const r = await runSetup(s);
    for (const c of r.cases) c.inProcess = !s.daemon || s.firstCall === true;
    report.cases.push(...r.cases);
    if (r.sinks) report.sinks.push({ setup: s.name, ...r.sinks });
  }

  log('start-up breakdown');
  const sb = sandbox();
  try {
    // The copy the hooks load, shipped beside them with its code cache.
    const parserPath = path.join(dist, 'hooks', 'mvdan-sh.js');
    report.startup = startupBreakdown(dist, sb.env, sb.project, Math.min(opts.runs, quick ? 5 : 20), parserPath);
  } finally {
    sb.cleanup();
  }

  if (!values['skip-adversarial']) {
    const adv = sandbox();
    try {
      // In-process: the worst case, the call that starts a session (or a daemon switched off).
      report.adversarial = runAdversarial(path.join(dist, 'hooks', 'pre-tool-use.js'), { ...adv.env, HOOKWARDEN_DAEMON: 'off' }, adv.project, quick ? 1 : 3, log);
    } finally {
      adv.cleanup();
    }
  }

  if (!values['skip-memory']) {
    const m = sandbox();
    const runDir = fs.mkdtempSync(path.join(benchDir, 'run-'));
    try {
      for (const f of ['app.ts', 'index.ts']) fs.writeFileSync(path.join(m.project, 'src', f), 'export {};\n');
      report.memory = await measureDaemonMemory(dist, m.env, m.project, runDir, count(values['memory-calls'], quick ? 2000 : 10_000, 100), log);
    } finally {
      await stopProcesses(daemonsUnder(runDir));
      m.cleanup();
    }
  }

  if (!values['skip-in-process']) {
    report.inProcess = runInProcess({ mixSeconds: quick ? 0.4 : 2, reps: quick ? 1 : 3 }, log);
  }

  const md = renderReport(report);
  fs.writeFileSync(values.out as string, md);
  process.stdout.write(md);
  log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s; wrote ${path.relative(process.cwd(), values.out as string)}`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
