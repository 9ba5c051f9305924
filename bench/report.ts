// Markdown for bench/RESULTS.md (and stdout): machine, tables, and each target of issue 6 as PASS/FAIL.
import fs from 'node:fs';
import os from 'node:os';
import type { AdversarialResult, AdversarialRow } from './adversarial.js';
import type { MemoryResult } from './daemon-memory.js';
import type { InProcessResult } from './in-process.js';
import type { CaseResult, StartupRow } from './spawn.js';
import type { Growth } from './stats.js';

export interface SinkFacts {
  setup?: string;
  hookRuns: number;
  spooled: number;
  syslogDatagrams: number;
  httpConnections: number;
  forwardersStopped: number;
}

export interface BenchReport {
  date: Date;
  command: string;
  runs: number;
  warmups: number;
  caCerts?: string;
  cases: CaseResult[];
  sinks: SinkFacts[];
  startup: StartupRow[];
  inProcess?: InProcessResult;
  adversarial?: AdversarialResult;
  memory?: MemoryResult;
  /** os.loadavg() at the start: how busy the shared machine was. */
  load?: string;
}

export const TARGETS = { median: 1.5, p95: 2, decisionUs: 20, megabyteMs: 200 } as const;
/** Issue 19: the registered command (sh -c) with the compiled client, against node -e ''. */
export const SPEED = { warmMedian: 0.25, warmP95: 0.5, post1mb: 1, firstWrite: 2.5, firstBash: 4, memoryGrowth: 1.25 } as const;
const WARM_CASES = ['claude-write-allow', 'codex-bash-allow', 'codex-bash-deny', 'codex-patch-20'];

/** Issue 19's targets: the compiled client warm, the first call of a session, the daemon's memory. */
export function speedTargets(r: BenchReport): Target[] {
  const out: Target[] = [];
  const warm = r.cases.filter((c) => c.registered === 'compiled' && !c.firstCall);
  const first = r.cases.filter((c) => c.firstCall);
  const valid = (c: CaseResult | undefined): c is CaseResult => !!c && !c.error;
  for (const id of WARM_CASES) {
    const c = warm.find((x) => x.id === id);
    if (!c) continue;
    out.push({ name: `${c.label}, registered compiled client, warm: median <= ${SPEED.warmMedian}x and p95 <= ${SPEED.warmP95}x node -e ''`,
      measured: valid(c) ? `${ratio(c.ratioMedian)} (${ms(c.hook.median)} ms), p95 ${ratio(c.ratioP95)} (${ms(c.hook.p95)} ms)` : `error: ${(c as CaseResult).error}`,
      ok: valid(c) && c.ratioMedian <= SPEED.warmMedian && c.ratioP95 <= SPEED.warmP95 });
  }
  const post = warm.find((x) => x.id === 'post-1mb');
  if (post) out.push({ name: `${post.label}, registered compiled client: median <= ${SPEED.post1mb}x node -e ''`,
    measured: valid(post) ? `${ratio(post.ratioMedian)} (${ms(post.hook.median)} ms)` : `error: ${(post as CaseResult).error}`, ok: valid(post) && post.ratioMedian <= SPEED.post1mb });
  for (const [id, max] of [['claude-write-allow', SPEED.firstWrite], ['codex-bash-allow', SPEED.firstBash]] as const) {
    const c = first.find((x) => x.id === id);
    if (!c) continue;
    const ready = c.daemonReadyMs ?? [];
    const up = ready.filter(Number.isFinite).sort((a, b) => a - b);
    out.push({ name: `first call of a session, ${c.label}: median <= ${max}x node -e '', and the daemon ready for the second call`,
      measured: valid(c) ? `${ratio(c.ratioMedian)} (${ms(c.hook.median)} ms); daemon listening in ${up.length}/${ready.length} runs, median ${ms(up[up.length >> 1] ?? NaN)} ms after the answer` : `error: ${(c as CaseResult).error}`,
      ok: valid(c) && c.ratioMedian <= max && ready.length > 0 && up.length === ready.length });
  }
  const m = r.memory;
  if (m) {
    const at1k = m.samples.find(([n]) => n >= 1000)?.[1] ?? NaN;
    const later = m.samples.filter(([n]) => n > 1000).map(([, mb]) => mb);
    const peak = Math.max(...later);
    out.push({ name: `daemon memory flat over ${m.calls.toLocaleString('en-US')} calls: every later sample <= ${SPEED.memoryGrowth}x the RSS after 1,000 calls`,
      measured: `${ms(at1k)} MB after 1,000 calls; peak after that ${ms(peak)} MB (${ratio(peak / at1k)}); ${m.failed} failed calls`,
      ok: later.length > 0 && peak <= at1k * SPEED.memoryGrowth && m.failed === 0 });
  }
  return out;
}

const ms = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const us = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');
const ratio = (x: number): string => (Number.isFinite(x) ? `${x.toFixed(2)}x` : 'n/a');
const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');
const kb = (b: number): string => (b >= 1024 * 1024 ? `${(b / 1024 / 1024).toFixed(1)} MB` : `${Math.round(b / 1024)} KB`);

export function machine(): string[] {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (m?.[1]) cpu = m[1].trim();
  } catch {
    // Not Linux: os.cpus() it is.
  }
  return [
    `- CPU: ${cpu}, ${os.cpus().length} cores (available parallelism ${os.availableParallelism()})`,
    `- Memory: ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB; OS: ${os.type()} ${os.release()} (${process.arch})`,
    `- Node ${process.version}`,
  ];
}

function table(head: string[], rows: string[][]): string[] {
  return [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

function growthLine(name: string, g: Growth): string {
  const steps = g.perDoubling.map((f) => f.toFixed(2)).join(', ');
  return `- ${name}: growth per doubling ${steps}; exponent (upper half) ${g.exponent.toFixed(2)}: ${g.linear ? 'linear' : `**NON-LINEAR** (${g.flag})`}`;
}

interface Target { name: string; measured: string; ok: boolean }

/**
 * The wall-time targets over one group of setups: the default (the daemon answers) or in-process
 * (a session's first call, or the daemon switched off).
 */
function wallTime(cases: CaseResult[], which: string): Target[] {
  const valid = cases.filter((c) => !c.error);
  const broken = cases.length - valid.length;
  const worst = (f: (c: CaseResult) => number): CaseResult | undefined =>
    valid.reduce<CaseResult | undefined>((w, c) => (!w || f(c) > f(w) ? c : w), undefined);
  const wm = worst((c) => c.ratioMedian);
  const wp = worst((c) => c.ratioP95);
  const brokenNote = broken ? ` (${broken} case(s) failed and count as FAIL)` : '';
  const out: Target[] = [
    { name: `median hook wall time <= ${TARGETS.median}x node -e '' (every case, every setup; ${which})`,
      measured: wm ? `worst ${ratio(wm.ratioMedian)}: ${wm.label}, ${wm.setup}${brokenNote}` : `no valid case${brokenNote}`,
      ok: broken === 0 && !!wm && valid.every((c) => c.ratioMedian <= TARGETS.median) },
    { name: `p95 hook wall time <= ${TARGETS.p95}x node -e '' (${which})`,
      measured: wp ? `worst ${ratio(wp.ratioP95)}: ${wp.label}, ${wp.setup}${brokenNote}` : `no valid case${brokenNote}`,
      ok: broken === 0 && !!wp && valid.every((c) => c.ratioP95 <= TARGETS.p95) },
  ];
  return cases.length ? out : [];
}

function targets(r: BenchReport): Target[] {
  const out: Target[] = [
    ...wallTime(r.cases.filter((c) => !c.inProcess), 'the default: the daemon answers'),
    ...wallTime(r.cases.filter((c) => c.inProcess), 'in-process: a session\'s first call, or HOOKWARDEN_DAEMON=off'),
  ];
  const adv = r.adversarial;
  if (adv) {
    const slowest = adv.rows.reduce<AdversarialRow | undefined>((w, x) => (!w || x.maxMs > w.maxMs ? x : w), undefined);
    const bad = adv.rows.filter((x) => !x.ok);
    out.push({ name: `no input makes the hook exceed its budget (${adv.budgetMs / 1000} s; adversarial inputs)`,
      measured: `${adv.rows.length} inputs; slowest ${slowest ? `${ms(slowest.maxMs)} ms: ${slowest.label}` : 'n/a'}`
        + (bad.length ? `; over budget or off-protocol: ${bad.map((x) => x.label).join(', ')}` : ''),
      ok: adv.rows.length > 0 && bad.length === 0 });
  }
  const ip = r.inProcess;
  if (ip) {
    const typical = ip.mix.find((m) => m.rules === 0);
    out.push({ name: `in-process decision median <= ${TARGETS.decisionUs} µs (typical mix, default rules)`,
      measured: typical ? `${us(typical.medianUs)} µs` : 'n/a', ok: !!typical && typical.medianUs <= TARGETS.decisionUs });
    out.push({ name: `1 MB of shell text decided in < ${TARGETS.megabyteMs} ms (every shape)`,
      measured: ip.megabyte.map((m) => `${m.label}: ${m.error ? `error: ${m.error}` : `${ms(m.decideMs)} ms (parse alone ${ms(m.parseMs)} ms)`}`).join('; '),
      ok: ip.megabyte.length > 0 && ip.megabyte.every((m) => !m.error && m.decideMs < TARGETS.megabyteMs) });
    const gs: [string, Growth][] = [['decision vs length', ip.sizeGrowth.decide], ['parse vs length', ip.sizeGrowth.parse], ['decision vs rules', ip.ruleGrowth]];
    out.push({ name: 'linear growth (command length 1 KB..1 MB, rules 10..500)',
      measured: gs.map(([n, g]) => `${n}: exponent ${g.exponent.toFixed(2)}${g.linear ? '' : ' NON-LINEAR'}`).join('; '),
      ok: gs.every(([, g]) => g.linear) && !ip.sizes.some((s) => s.error) });
  }
  return out;
}

export function renderReport(r: BenchReport): string {
  const L: string[] = [];
  L.push('# hookwarden benchmark results', '');
  L.push(`Written by \`${r.command}\` on ${r.date.toISOString()}; ${r.runs} runs per case after ${r.warmups} warm-up(s).`, '');
  L.push(...machine());
  L.push(r.caCerts
    ? `- \`NODE_EXTRA_CA_CERTS\` is set here (${r.caCerts}): Node parses those certificates at every start, so the cases run both without it (the main figures) and with it.`
    : '- `NODE_EXTRA_CA_CERTS` is not set here.');
  const speed = speedTargets(r);
  if (speed.length) {
    L.push('', '## Targets (issue 19: the compiled client, the first call, daemon memory)', '');
    L.push('The machine is shared: other jobs ran alongside (see the load average below), so the ratios against `node -e \'\'` of the same run are what counts, not the absolute times.', '');
    L.push(`- load average at the start: ${r.load ?? 'n/a'}`, '');
    L.push(...table(['target', 'measured', 'result'], speed.map((t) => [t.name, t.measured, verdict(t.ok)])));
  }
  L.push('', '## Targets (issue 6)', '');
  L.push(...table(['target', 'measured', 'result'], targets(r).map((t) => [t.name, t.measured, verdict(t.ok)])));

  L.push('', '## Hook wall time (fresh process per call)', '');
  L.push('Each run spawns the built hook with the payload on stdin, alternating with `node -e \'\'` (same environment, empty stdin). '
    + 'Default file sink (fsync on deny records) in a sandbox `XDG_STATE_HOME`. In the default setups the daemon '
    + '(`hooks/daemon.js`) is already running, as for every call of a session but its first; the hook process still starts Node, '
    + 'reads stdin and writes the answer, and the daemon decides and writes the audit record before it answers. '
    + 'The "no daemon" setups decide in-process, as the first call does. Times in ms.', '');
  const head = ['case', 'setup', 'hook median', 'hook p95', "node -e '' median", "node -e '' p95", 'ratio median', 'ratio p95', 'result'];
  L.push(...table(head, r.cases.map((c) => [
    c.label, c.setup, ms(c.hook.median), ms(c.hook.p95), ms(c.base.median), ms(c.base.p95), ratio(c.ratioMedian), ratio(c.ratioP95),
    c.error ? `FAIL: ${c.error}` : `${verdict(c.ratioMedian <= TARGETS.median && c.ratioP95 <= TARGETS.p95)}`
      + `${c.recordsPerRun === 1 ? '' : `; ${c.recordsPerRun.toFixed(2)} audit records per run`}${c.note ? `; ${c.note}` : ''}`,
  ])));
  for (const s of r.sinks) {
    L.push('', `${s.setup} (loopback HTTP endpoint that accepts and never answers; UDP syslog port that only counts): `
      + `${s.hookRuns} hook runs spooled ${s.spooled} records for HTTP and sent ${s.syslogDatagrams} syslog datagrams (UDP: fire-and-forget, never spooled); `
      + `the HTTP endpoint saw ${s.httpConnections} connection(s), all from forwarders the hooks started (\`hookwarden ship\`, detached); `
      + `${s.forwardersStopped} forwarder(s) still running at the end were stopped by the benchmark.`);
  }

  if (r.adversarial) {
    const a = r.adversarial;
    L.push('', '## Adversarial inputs (the budget target)', '');
    L.push(`Inputs built to cost the most the limits allow, through the built guard as a fresh process. PASS: the answer follows the protocol (exit 0, or exit 2 with one line on stderr) within the default budget of ${a.budgetMs / 1000} s (the host's registered timeout is ${a.hostTimeoutS} s). Times in ms.`, '');
    L.push(...table(['input', 'payload', 'median', 'max', 'answer', 'result'], a.rows.map((x) => [
      x.label, kb(x.bytes), ms(x.medianMs), ms(x.maxMs), x.exit === 0 ? 'allowed' : `exit ${x.exit}: ${x.answer.replace(/\|/g, '\\|')}`, verdict(x.ok),
    ])));
  }

  if (r.memory) {
    const m = r.memory;
    const after1k = m.samples.find(([n]) => n >= 1000)?.[1] ?? NaN;
    const last = m.samples.at(-1)![1];
    const peak = Math.max(...m.samples.map(([, mb]) => mb));
    L.push('', '## Daemon memory', '');
    L.push(`Resident size of the daemon (its worker threads included) over ${m.calls.toLocaleString('en-US')} calls sent to its socket, 4 at a time `
      + `(Bash and Write, allowed and blocked; ${m.failed} failed). After 1,000 calls: ${ms(after1k)} MB; at the end: ${ms(last)} MB; peak ${ms(peak)} MB. `
      + 'Workers are replaced after 1,000 calls each, so nothing a call leaves behind accumulates.', '');
    L.push(...table(['calls', 'RSS MB'], m.samples.map(([n, mb]) => [n.toLocaleString('en-US'), ms(mb)])));
  }

  L.push('', '## Start-up breakdown', '');
  L.push("Median wall time of bare Node doing part of what a hook does, and the cost over `node -e ''` (ms, no `NODE_EXTRA_CA_CERTS`).", '');
  L.push(...table(['what', 'median', 'p95', "over node -e ''"], r.startup.map((s) => [s.label, ms(s.ms.median), ms(s.ms.p95), ms(s.overBase)])));

  const ip = r.inProcess;
  if (ip) {
    L.push('', '## In-process decisions (`evaluatePayload`, sources through tsx)', '');
    L.push(`First shell decision in a fresh process (loads the parser): ${ms(ip.firstShellMs)} ms. `
      + `loadConfig: ${ip.loadConfigMs.map((l) => `${ms(l.ms)} ms with ${l.rules ? `${l.rules} extra rules` : 'the default presets'}`).join(', ')}.`, '');
    L.push(...table(['calls', 'rules', 'decisions', 'median µs', 'p95 µs', 'decisions/s'], ip.mix.map((m) => [
      m.label, m.rules ? `defaults + ${m.rules}` : 'defaults', String(m.decisions), us(m.medianUs), us(m.p95Us), Math.round(m.perSecond).toLocaleString('en-US'),
    ])));
    L.push('', '### Command length (ordinary commands, one per line; default rules)', '');
    L.push(...table(['size', 'parse ms', 'parse MB/s', 'decision ms', 'targets'], ip.sizes.map((s) => [
      kb(s.bytes), ms(s.parseMs), (s.bytes / 1024 / 1024 / (s.parseMs / 1000)).toFixed(2), s.error ? `error: ${s.error}` : ms(s.decideMs), String(s.targets),
    ])));
    L.push('', growthLine('decision', ip.sizeGrowth.decide), growthLine('parse', ip.sizeGrowth.parse));
    L.push('', ...table(['1 MB shape', 'parse ms', 'decision ms', 'targets'], ip.megabyte.map((m) => [
      m.label, ms(m.parseMs), m.error ? `error: ${m.error}` : ms(m.decideMs), String(m.targets),
    ])));
    L.push('', '### Rule count (a 20-file apply_patch and a Write; generated rules that never match, so all are tried)', '');
    L.push(...table(['extra rules', 'mean µs per decision'], ip.ruleRows.map((x) => [String(x.rules), us(x.usPerDecision)])));
    L.push('', growthLine('decision', ip.ruleGrowth));
  }
  L.push('', '## Reproduce', '', '```sh', 'npm run bench                # full run (a few minutes)', 'npm run bench -- --quick     # fewer runs, for a quick look',
    'npm run bench -- --runs 100 # more runs per case', '```', '');
  return L.join('\n');
}
