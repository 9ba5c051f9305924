// doctor's live probe: the exact registered command, run the way the agent runs it (Codex:
// `$SHELL -lc`, Claude Code: `sh -c`; payload on stdin, cwd = payload cwd), with one call that
// must be blocked (a write to .env) and one that must be allowed. It runs in a scratch project
// with XDG_STATE_HOME and the config's audit section pointed away from the user's real audit log.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InstallAgent } from './plan.js';
import type { Probe } from './result.js';

export interface ProbeRun { exitCode: number | null; stdout: string; stderr: string; ms: number; timedOut: boolean }

/** Spawns `command` as `agent` would, kills it at `timeoutSec`. */
export function runAsAgent(agent: InstallAgent, command: string, payload: string, opts: { cwd: string; env: Record<string, string | undefined>; timeoutSec: number }): Promise<ProbeRun> {
  const [shell, args] = agent === 'codex' ? [opts.env.SHELL || '/bin/sh', ['-lc', command]] : ['sh', ['-c', command]];
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(shell, args as string[], { cwd: opts.cwd, env: opts.env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, opts.timeoutSec * 1000);
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.on('error', () => undefined);
    const done = (exitCode: number | null) => {
      clearTimeout(timer);
      resolve({ exitCode, stdout, stderr, ms: Number((process.hrtime.bigint() - t0) / 1_000_000n), timedOut });
    };
    child.on('error', (err) => {
      stderr += err.message;
      done(null);
    });
    child.on('close', (code) => done(code));
    child.stdin.end(payload);
  });
}

export interface Sandbox {
  project: string;
  env: Record<string, string | undefined>;
  /** The user's config file and its audit-free copy, so messages can name the real one. */
  config?: { original: string; copy: string };
  cleanup(): void;
}

/**
 * A scratch project (with .git, so it is its own root) and an environment whose audit goes to a
 * scratch state folder: the user's config file is copied without its `audit` section, so the same
 * rules apply but no sink of the user's receives the probe's records.
 */
export function probeSandbox(env: Record<string, string | undefined>, userConfig: string | undefined): Sandbox {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hookwarden-probe-')));
  const project = path.join(root, 'project');
  fs.mkdirSync(path.join(project, '.git'), { recursive: true });
  const penv: Record<string, string | undefined> = { ...env, XDG_STATE_HOME: path.join(root, 'state') };
  if (userConfig && fs.existsSync(userConfig)) {
    let text = fs.readFileSync(userConfig, 'utf8');
    try {
      const cfg = JSON.parse(text) as Record<string, unknown>;
      delete cfg.audit;
      text = JSON.stringify(cfg);
    } catch {
      // An unparsable config blocks every call; the copy shows exactly that.
    }
    penv.HOOKWARDEN_CONFIG = path.join(root, 'config.json');
    fs.writeFileSync(penv.HOOKWARDEN_CONFIG, text);
  }
  const config = penv.HOOKWARDEN_CONFIG && userConfig ? { original: userConfig, copy: penv.HOOKWARDEN_CONFIG } : undefined;
  return { project, env: penv, ...(config ? { config } : {}), cleanup: () => fs.rmSync(root, { recursive: true, force: true }) };
}

function payloadFor(agent: InstallAgent, project: string, file: string): string {
  if (agent === 'codex') {
    return JSON.stringify({
      session_id: 'hookwarden-doctor-probe', turn_id: 'probe', transcript_path: null, cwd: project, hook_event_name: 'PreToolUse',
      model: 'probe', permission_mode: 'bypassPermissions', tool_name: 'Bash', tool_input: { command: `printf x > ${file}` }, tool_use_id: 'call_probe',
    });
  }
  return JSON.stringify({
    session_id: 'hookwarden-doctor-probe', transcript_path: path.join(project, 'probe.jsonl'), cwd: project, permission_mode: 'default',
    hook_event_name: 'PreToolUse', tool_name: 'Write', tool_input: { file_path: path.join(project, file), content: 'X=1' }, tool_use_id: 'toolu_probe',
  });
}

/** Judges one run against the protocol: a block is exit 2 + one `hookwarden:` stderr line; an allow is exit 0 and no deny. */
export function judgeProbe(kind: 'blocked' | 'allowed', r: ProbeRun, timeoutSec: number): { ok: boolean; detail: string } {
  if (r.timedOut) return { ok: false, detail: `no answer within the registered timeout of ${timeoutSec}s: the agent would run the tool` };
  const firstErr = r.stderr.trim().split('\n')[0] ?? '';
  if (kind === 'blocked') {
    if (r.exitCode === 2 && firstErr.startsWith('hookwarden: ')) return { ok: true, detail: `blocked in ${r.ms} ms: ${firstErr.slice(0, 160)}` };
    return { ok: false, detail: `a write to .env was not blocked (exit ${r.exitCode ?? 'none'}${firstErr ? `, stderr: ${firstErr.slice(0, 160)}` : ''})` };
  }
  let deny = false;
  if (r.stdout.trim()) {
    try {
      const out = JSON.parse(r.stdout) as { hookSpecificOutput?: { permissionDecision?: string }; decision?: string };
      deny = out.hookSpecificOutput?.permissionDecision === 'deny' || out.decision === 'block';
    } catch {
      return { ok: false, detail: `stdout is not JSON (${r.stdout.trim().slice(0, 80)}): a login-shell profile printing output?` };
    }
  }
  if (r.exitCode === 0 && !deny) return { ok: true, detail: `allowed in ${r.ms} ms` };
  return { ok: false, detail: `an ordinary write was not allowed (exit ${r.exitCode ?? 'none'}${firstErr ? `, stderr: ${firstErr.slice(0, 160)}` : ''})` };
}

/** Both probe cases for one registered PreToolUse command. */
export async function probeCommand(agent: InstallAgent, command: string, timeoutSec: number, sb: Sandbox): Promise<Probe[]> {
  const out: Probe[] = [];
  for (const [kind, file] of [['blocked', '.env'], ['allowed', 'notes.txt']] as const) {
    const env = { ...sb.env, CLAUDE_PROJECT_DIR: agent === 'claude' ? sb.project : undefined };
    const r = await runAsAgent(agent, command, payloadFor(agent, sb.project, file), { cwd: sb.project, env, timeoutSec });
    const j = judgeProbe(kind, r, timeoutSec);
    const detail = sb.config ? j.detail.replaceAll(sb.config.copy, sb.config.original) : j.detail;
    out.push({ agent, case: kind, command, exitCode: r.exitCode, ms: r.ms, timeoutSec, ok: j.ok, detail });
  }
  return out;
}
