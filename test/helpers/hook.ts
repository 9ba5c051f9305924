// Spawns a built hook exactly as an agent does: payload on stdin, then stdin closed.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const DIST = path.resolve(import.meta.dirname, '..', '..', 'dist');
export const hookPath = (name: string): string => path.join(DIST, 'hooks', `${name}.js`);

export interface HookResult { status: number | null; stdout: string; stderr: string }

/** A sandbox: project with .git, and state/config dirs so nothing touches the real home. */
export function sandbox(): { root: string; project: string; env: Record<string, string>; auditFile: string; cleanup(): void } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-hook-')));
  const project = path.join(root, 'project');
  fs.mkdirSync(path.join(project, '.git'), { recursive: true });
  fs.mkdirSync(path.join(project, 'src'), { recursive: true });
  fs.mkdirSync(path.join(root, 'home'), { recursive: true });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: path.join(root, 'home'),
    XDG_STATE_HOME: path.join(root, 'state'),
    XDG_CONFIG_HOME: path.join(root, 'config'),
    // Hooks answer through the daemon by default; the tests' daemons leave soon after the last call.
    HOOKWARDEN_DAEMON_IDLE_MS: '5000',
  };
  return {
    root, project, env,
    auditFile: path.join(root, 'state', 'hookwarden', 'audit.jsonl'),
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

export function runHookSync(name: string, input: string | Buffer, env: Record<string, string>, cwd?: string): HookResult {
  const r = spawnSync(process.execPath, [hookPath(name)], { input, env, cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function runHook(name: string, input: string, env: Record<string, string>, cwd?: string): Promise<HookResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [hookPath(name)], { env, cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

export function codexPayload(cwd: string, tool: string, input: Record<string, unknown>, id = 'call_t1'): Record<string, unknown> {
  return {
    session_id: '01a20e99-3e5f-7a10-8f8a-5383ed36a44d', turn_id: '01a20e99-3e72-7051-a559-fe432a2c27a3',
    transcript_path: null, cwd, hook_event_name: 'PreToolUse', model: 'gpt-5.5', permission_mode: 'bypassPermissions',
    tool_name: tool, tool_input: input, tool_use_id: id,
  };
}

export function claudePayload(cwd: string, tool: string, input: Record<string, unknown>, id = 'toolu_01T1'): Record<string, unknown> {
  return {
    session_id: 'abc123', transcript_path: '/nonexistent/t.jsonl', cwd, permission_mode: 'default',
    hook_event_name: 'PreToolUse', tool_name: tool, tool_input: input, tool_use_id: id,
  };
}

export function readAudit(file: string): Record<string, unknown>[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** Daemons (hooks/daemon.js) whose socket lies under `dir`: their command line names it. */
export function daemonsUnder(dir: string): number[] {
  if (process.platform !== 'linux') return [];
  const pids: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const argv = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0');
      if (argv.some((a) => a.endsWith('daemon.js')) && argv.some((a) => a.startsWith(dir + path.sep))) pids.push(Number(name));
    } catch {
      // Gone already, or not ours to read.
    }
  }
  return pids;
}
