// Runs the built CLI (`npm run build` first) in a sandbox: its own HOME, XDG dirs and project.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DIST } from '../helpers/hook.js';

export const CLI = path.join(DIST, 'cli.js');

export interface Run { status: number | null; stdout: string; stderr: string }

export function hw(args: string[], o: { cwd: string; env: Record<string, string>; input?: string }): Run {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: o.cwd, env: o.env, encoding: 'utf8', input: o.input, timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The one JSON document a --json run printed. */
export function json<T>(r: Run): T {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`no JSON document on stdout (exit ${r.status}): ${r.stderr.trim() || r.stdout.slice(0, 200)}`);
  }
}

/** A long-running CLI (`tail --follow`) whose output can be awaited. */
export class Running {
  readonly child: ChildProcessWithoutNullStreams;
  stdout = '';
  stderr = '';
  private readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[], o: { cwd: string; env: Record<string, string> }) {
    this.child = spawn(process.execPath, [CLI, ...args], { cwd: o.cwd, env: o.env });
    this.child.stdout.on('data', (d: Buffer) => (this.stdout += d.toString('utf8')));
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString('utf8')));
    this.exited = new Promise((resolve) => this.child.on('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Waits until stdout satisfies `ok`, at most `ms`; fails with what was printed. */
  async waitFor(ok: (stdout: string) => boolean, ms = 15_000): Promise<void> {
    for (const end = Date.now() + ms; !ok(this.stdout);) {
      if (Date.now() > end || this.child.exitCode !== null) {
        this.child.kill('SIGKILL');
        throw new Error(`timed out or exited (${this.child.exitCode}); stdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      }
      await sleep(20);
    }
  }

  /** Sends `signal` and waits for the exit (killed hard after 10 s). */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    this.child.kill(signal);
    const hard = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    const res = await this.exited;
    clearTimeout(hard);
    return res;
  }
}
