// `npm run bench:agents`: the latency hookwarden adds per tool call inside the real agents (the
// pinned Codex CLI and Claude Code of test/e2e, offline against the scripted models there).
// hookwarden is installed as a user installs it (the compiled client where a compiler is present);
// each session makes N allowed tool calls. The baseline is the same registration with the
// registered program replaced by a copy of /bin/true (same command line, so Codex's hook trust
// still holds): a hook that does nothing. Sessions alternate between the two, so machine noise hits
// both; added latency per call = (median session with hookwarden - median with `true`) / N.
// Options: --sessions N (per variant, default 7), --calls N (default 10), --agents codex,claude.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hookwarden, makeSandbox, runClaude, runCodex, writeCodexConfig, type AgentRun, type Sandbox } from '../test/e2e/agents.js';
import { startClaudeModel } from '../test/e2e/claude-model.js';
import { startCodexModel } from '../test/e2e/codex-model.js';
import { daemonsUnder } from '../test/helpers/hook.js';
import { stopProcesses } from './peers.js';
import { summarize } from './stats.js';

const { values } = parseArgs({ options: {
  sessions: { type: 'string', default: '7' }, calls: { type: 'string', default: '10' }, agents: { type: 'string', default: 'codex,claude' },
} });
const SESSIONS = Number(values.sessions);
const CALLS = Number(values.calls);
const log = (m: string): void => void process.stderr.write(`bench:agents: ${m}\n`);

/** The program the guard's registration runs: the compiled client, or Node for the Node client. */
function registeredProgram(sb: Sandbox, agent: 'codex' | 'claude'): string {
  const file = agent === 'claude' ? path.join(sb.home, '.claude', 'settings.json') : path.join(sb.codexHome, 'hooks.json');
  const doc = JSON.parse(fs.readFileSync(file, 'utf8')) as { hooks: Record<string, { hooks: { command: string }[] }[]> };
  const cmd = doc.hooks.PreToolUse!.at(-1)!.hooks[0]!.command;
  return /^"([^"]+)"/.exec(cmd)![1]!;
}

async function measure(agent: 'codex' | 'claude'): Promise<{ agent: string; client: string; hook: number[]; base: number[]; perCallMs: number }> {
  const sb = makeSandbox(`bench-${agent}`);
  sb.env.HOOKWARDEN_DAEMON_IDLE_MS = '600000';
  const steps = Array.from({ length: CALLS }, (_, i) => i);
  const model = agent === 'codex'
    ? await startCodexModel([...steps.map((i) => ({ kind: 'exec' as const, cmd: `echo ${i} > src/f${i}.txt` })), { kind: 'message', text: 'done' }])
    : await startClaudeModel([...steps.map((i) => ({ kind: 'tool' as const, name: 'Write', input: { file_path: path.join(sb.project, 'src', `f${i}.txt`), content: `${i}\n` } })), { kind: 'message', text: 'done' }]);
  try {
    if (agent === 'codex') writeCodexConfig(sb, (model as { baseUrl: string }).baseUrl);
    const inst = await hookwarden(sb, 'install', '--agent', agent);
    if (inst.status !== 0) throw new Error(`install failed: ${inst.stderr}`);
    const program = registeredProgram(sb, agent);
    const client = program === process.execPath ? 'Node client' : 'compiled client';
    const saved = `${program}.bench-saved`;
    const run = (): Promise<AgentRun> => (agent === 'codex' ? runCodex(sb, 'go') : runClaude(sb, model.origin, 'go', { allowedTools: 'Write' }));
    const session = async (variant: 'hook' | 'base'): Promise<number> => {
      if (variant === 'base') {
        fs.renameSync(program, saved);
        fs.copyFileSync('/bin/true', program);
      }
      try {
        const r = await run();
        if (r.status !== 0) throw new Error(`${agent} exited ${r.status}: ${r.stderr.slice(-400)}`);
        const written = steps.filter((i) => fs.existsSync(path.join(sb.project, 'src', `f${i}.txt`))).length;
        if (written !== CALLS) throw new Error(`${agent} made ${written} of ${CALLS} calls`);
        return r.ms;
      } finally {
        for (const i of steps) fs.rmSync(path.join(sb.project, 'src', `f${i}.txt`), { force: true });
        if (variant === 'base') fs.renameSync(saved, program);
      }
    };
    if (program === process.execPath) throw new Error('the Node client is registered: nothing to swap for true');
    await session('hook'); // starts the daemon, warms the agent's own caches
    await session('base');
    const hook: number[] = [];
    const base: number[] = [];
    for (let i = 0; i < SESSIONS; i++) {
      for (const v of (i % 2 ? ['base', 'hook'] : ['hook', 'base']) as ('hook' | 'base')[]) (v === 'hook' ? hook : base).push(await session(v));
      log(`${agent}: session ${i + 1}/${SESSIONS}: hookwarden ${hook.at(-1)} ms, true ${base.at(-1)} ms`);
    }
    const perCallMs = (summarize(hook).median - summarize(base).median) / CALLS;
    return { agent, client, hook, base, perCallMs };
  } finally {
    await stopProcesses(daemonsUnder(path.join(sb.root, 'run')));
    await model.close();
    sb.cleanup();
  }
}

async function main(): Promise<void> {
  const rows = [];
  for (const a of (values.agents as string).split(',') as ('codex' | 'claude')[]) rows.push(await measure(a));
  const lines = [
    `## Inside the real agents (npm run bench:agents; ${SESSIONS} sessions per variant, ${CALLS} allowed tool calls each)`, '',
    '| agent | client | session median with hookwarden | with a hook running `true` | added per tool call | target <= 15 ms |', '|---|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.agent} | ${r.client} | ${summarize(r.hook).median.toFixed(0)} ms | ${summarize(r.base).median.toFixed(0)} ms | ${r.perCallMs.toFixed(1)} ms | ${r.perCallMs <= 15 ? 'PASS' : 'FAIL'} |`),
    '',
  ];
  process.stdout.write(lines.join('\n'));
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:agents: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
