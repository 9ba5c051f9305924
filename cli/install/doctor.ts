// `hookwarden doctor`: would hookwarden actually block for every agent it is installed for?
// Node, config layers, registration, Codex trust (and project trust), sinks and spool, then a
// live probe of the exact registered commands. Exit 0 enforcing, 1 not enforcing, 2 could not check.
import path from 'node:path';
import { loadConfig, type LoadedConfig } from '../../lib/config.js';
import { findProjectRoot } from '../../lib/paths.js';
import { xdgDir } from '../../lib/rules.js';
import { AuditConfigSchema } from '../../lib/audit-config.js';
import { findCodex, listHooks, type HooksList } from './app-server.js';
import { codexFiles, codexHome } from './codex-hooks.js';
import { computedEntries, eventSnake, mergeAppServer, realPathOf, type TrustEntry } from './codex-trust.js';
import { readIfExists } from './files.js';
import { isGuardHandler } from '../../lib/hooks-catalog.js';
import { anchoredCommand, type InstallAgent } from './plan.js';
import { probeCommand, probeSandbox } from './probe.js';
import { fixFor, locate, mk, registrationChecks, type Located } from './registration.js';
import type { AgentState, Check, DoctorResult, Probe } from './result.js';
import { checkSinks } from './sinks-check.js';
import { codeCacheCheck } from './code-cache.js';
import { socketDirReport } from '../../hooks/daemon-link.js';
import { parseToml, tomlValueAt } from './toml-edit.js';

export interface DoctorOptions {
  /** `--agent`: check these even when hookwarden is not installed for them. */
  agents?: InstallAgent[];
  cwd: string;
  env: Record<string, string | undefined>;
  home: string;
  codex?: string;
  timeoutMs?: number;
  /** The built dist/ whose code caches are checked; without it, not checked. */
  distDir?: string;
}

const ALL: InstallAgent[] = ['codex', 'claude'];

function configCheck(o: DoctorOptions): { checks: Check[]; config?: LoadedConfig } {
  try {
    const config = loadConfig({ cwd: o.cwd, home: o.home, env: o.env, platform: process.platform });
    const files = config.layers.filter((l) => l.kind !== 'builtin').map((l) => l.name);
    const checks = [mk(null, 'config', 'ok', `${config.layers.length} layers valid (${config.layers.map((l) => l.name).join(', ')})${files.length ? '' : '; no config file, defaults'}`)];
    for (const w of config.warnings) checks.push(mk(null, 'config', 'warn', w, 'see: hookwarden validate'));
    return { checks, config };
  } catch (err) {
    return { checks: [mk(null, 'config', 'fail', `${(err as Error).message} (every tool call is blocked)`, 'fix the file; see: hookwarden validate')] };
  }
}

/** Codex trust of hookwarden's handlers: app-server's verdict when a codex answers, else config.toml against computed hashes. */
async function codexTrust(loc: Located[], o: DoctorOptions, project: string): Promise<{ checks: Check[]; entries: TrustEntry[]; source: 'app-server' | 'computed' }> {
  const checks: Check[] = [];
  const config = codexFiles({ scope: 'user', project, env: o.env, home: o.home }).config;
  let doc: Record<string, unknown>;
  let text: string | undefined;
  try {
    text = readIfExists(config);
  } catch (err) {
    return { checks: [mk('codex', 'trust', 'error', (err as Error).message)], entries: [], source: 'computed' };
  }
  try {
    doc = parseToml(text ?? '', config);
  } catch (err) {
    return { checks: [mk('codex', 'trust', 'fail', (err as Error).message, `fix ${config}, then ${fixFor('codex', 'user')}`)], entries: [], source: 'computed' };
  }
  let listed: HooksList | undefined;
  const codex = findCodex(o.env, o.codex);
  if (codex) {
    try {
      listed = await listHooks({ codex, codexHome: codexHome(o.env, o.home), cwd: project, env: o.env, timeoutMs: o.timeoutMs });
    } catch (err) {
      checks.push(mk('codex', 'trust', 'warn', `${(err as Error).message}; trust judged from config.toml with computed hashes`));
    }
  }
  const entries: TrustEntry[] = [];
  for (const l of loc.filter((x) => x.own.length)) {
    const computed = computedEntries(l.keyPath, l.own, doc);
    entries.push(...(listed ? mergeAppServer(computed, listed.hooks, doc, true) : computed));
    for (const msg of [...(listed?.errors ?? []), ...(listed?.warnings ?? [])].filter((m) => m.includes(l.keyPath) || m.includes(l.real) || m.includes(l.file))) {
      checks.push(mk('codex', 'trust', msg.startsWith('clamping') ? 'warn' : 'fail', `codex app-server: ${msg}`, `fix ${l.file} so Codex can load it`));
    }
    if (l.scope === 'project') {
      const trusted = tomlValueAt(doc, ['projects', project, 'trust_level']) === 'trusted';
      checks.push(trusted
        ? mk('codex', 'project-trust', 'ok', `${project} is trusted`)
        : mk('codex', 'project-trust', 'fail', `project ${project} is not trusted, so Codex does not load ${l.file}`, fixFor('codex', 'project', ' --trust-project')));
    }
  }
  const source = listed ? 'app-server' : 'computed';
  for (const e of entries) {
    if (e.status === 'trusted') continue;
    const scope = loc.find((l) => e.key.startsWith(`${l.keyPath}:`))?.scope ?? 'user';
    const label = e.key.slice(e.key.indexOf(`:${eventSnake(e.handler.event)}:`) + 1);
    checks.push(mk('codex', 'trust', 'fail', `handler ${label} is ${e.status ?? 'untrusted'}`, fixFor('codex', scope)));
  }
  const trusted = entries.filter((e) => e.status === 'trusted').length;
  if (entries.length && trusted === entries.length) checks.push(mk('codex', 'trust', 'ok', `${trusted} handlers trusted (${source === 'app-server' ? 'codex app-server hooks/list' : 'config.toml, computed hashes'})`));
  return { checks, entries, source };
}

async function probes(agent: InstallAgent, loc: Located[], o: DoctorOptions): Promise<{ checks: Check[]; probes: Probe[] }> {
  const pre = loc.flatMap((l) => l.own.filter((h) => isGuardHandler(h.event, h.script)).map((h) => ({ h, l })));
  const seen = new Set<string>();
  const checks: Check[] = [];
  const out: Probe[] = [];
  const userConfig = o.env.HOOKWARDEN_CONFIG ? path.resolve(o.cwd, o.env.HOOKWARDEN_CONFIG) : path.join(xdgDir('XDG_CONFIG_HOME', o.home, o.env), 'hookwarden', 'config.json');
  for (const { h, l } of pre) {
    const command = String(h.raw.command);
    if (seen.has(command)) continue;
    seen.add(command);
    const timeout = typeof h.raw.timeout === 'number' ? h.raw.timeout : 600;
    let sb;
    try {
      sb = probeSandbox(o.env, userConfig);
    } catch (err) {
      checks.push(mk(agent, 'probe', 'error', `cannot set up the probe: ${(err as Error).message}`));
      continue;
    }
    try {
      const runs = await probeCommand(agent, anchoredCommand(command, path.dirname(path.dirname(l.file))), timeout, sb);
      out.push(...runs);
      for (const r of runs) {
        // A guard that blocks everything is a config or environment problem, not a registration one.
        const fix = r.case === 'blocked' ? fixFor(agent, l.scope) : `see: hookwarden check --command 'printf x > notes.txt'`;
        checks.push(r.ok ? mk(agent, 'probe', 'ok', `${r.case}: ${r.detail}`) : mk(agent, 'probe', 'fail', `PreToolUse probe (${r.case}) in ${l.file}: ${r.detail}`, fix));
      }
    } finally {
      sb.cleanup();
    }
  }
  return { checks, probes: out };
}

export async function runDoctor(o: DoctorOptions): Promise<DoctorResult> {
  const checks: Check[] = [];
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  const node = { version: process.versions.node, ok: major > 20 || (major === 20 && minor >= 16) };
  checks.push(node.ok ? mk(null, 'node', 'ok', `Node ${node.version}`) : mk(null, 'node', 'fail', `Node ${node.version}; hookwarden needs Node >= 20.16`, 'install Node 20.16 or later'));
  if (o.distDir) checks.push(codeCacheCheck(o.distDir));
  // The daemon's socket folder: a squatted /tmp/hookwarden-<uid> is reported (the daemon moves).
  const daemon = socketDirReport(o.env);
  checks.push(mk(null, 'daemon', daemon.status, daemon.detail, daemon.status === 'ok' ? undefined : 'find out who made the folder; the daemon keeps working from the folder named'));
  const cfg = configCheck(o);
  checks.push(...cfg.checks);

  const project = realPathOf(findProjectRoot(o.cwd, o.home));
  const agents: AgentState[] = [];
  const allProbes: Probe[] = [];
  for (const agent of ALL) {
    const loc = locate(agent, { project, env: o.env, home: o.home });
    const installed = loc.some((l) => l.own.length > 0);
    const requested = o.agents?.includes(agent) === true;
    const broken = loc.some((l) => l.error);
    if (!installed && !requested && !broken) {
      checks.push(mk(agent, 'registration', 'skip', `hookwarden is not installed for ${agent}`));
      agents.push({ agent, installed: false, files: [], handlers: [], trustSource: null });
      continue;
    }
    if (o.agents && !requested) {
      checks.push(mk(agent, 'registration', 'skip', `not checked (--agent ${o.agents.join(',')})`));
      agents.push({ agent, installed, files: loc.filter((l) => l.own.length).map((l) => l.file), handlers: [], trustSource: null });
      continue;
    }
    if (!installed && !broken) checks.push(mk(agent, 'registration', 'fail', `no hookwarden handlers in ${loc.map((l) => l.file).join(', ')}`, fixFor(agent, 'user')));
    checks.push(...registrationChecks(loc));
    let trust: Awaited<ReturnType<typeof codexTrust>> | undefined;
    if (agent === 'codex' && installed) {
      trust = await codexTrust(loc, o, project);
      checks.push(...trust.checks);
    }
    const p = await probes(agent, loc, o);
    checks.push(...p.checks);
    allProbes.push(...p.probes);
    agents.push({
      agent, installed, files: loc.filter((l) => l.own.length).map((l) => l.file),
      handlers: loc.flatMap((l) => l.own.map((h) => {
        const e = trust?.entries.find((x) => x.handler === h);
        return { event: h.event, file: l.file, command: String(h.raw.command), key: e?.key ?? null, trust: e?.status ?? null };
      })),
      trustSource: trust?.source ?? null,
    });
  }
  if (!agents.some((a) => a.installed) && !o.agents) {
    checks.push(mk(null, 'registration', 'fail', 'hookwarden is not installed for any agent', 'run: hookwarden install'));
  }

  const sinks = await checkSinks(cfg.config?.audit ?? AuditConfigSchema.parse({}), o.env, o.home);
  checks.push(...sinks.checks);
  const exitCode = checks.some((c) => c.status === 'fail') ? 1 : checks.some((c) => c.status === 'error') ? 2 : 0;
  return {
    status: exitCode === 0 ? 'enforcing' : exitCode === 1 ? 'not-enforcing' : 'unknown',
    exitCode,
    node,
    agents,
    checks,
    spool: sinks.spool,
    probes: allProbes,
    problems: checks.filter((c) => c.status === 'fail' || c.status === 'error').map((c) => `${c.agent ? `${c.agent}: ` : ''}${c.detail}${c.fix ? `; ${c.fix}` : ''}`),
  };
}
