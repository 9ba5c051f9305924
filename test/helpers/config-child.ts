// Loads configs (and decides one target each, when asked) in a child process, so that a test of
// an input that could hang the loader fails at a timeout instead of hanging the test run.
// Usage from a test: `await loadInChild(jobs)`; run as a script it reads the jobs from argv[2].
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Job {
  cwd: string;
  home: string;
  env?: Record<string, string>;
  /** Decide a write to this absolute path with the loaded config (rule matching included). */
  write?: string;
}
export interface JobResult {
  ok: boolean;
  /** The failure was a GuardError (a one-line block reason). */
  guard?: boolean;
  message?: string;
  decision?: string;
  rules?: number;
}
export interface ChildRun {
  /** The child did not finish before the timeout and was killed. */
  timedOut: boolean;
  results: JobResult[];
  stderr: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * Runs the jobs in one child whose stdin is a pipe kept open until it exits (so a config that
 * names /proc/self/fd/0 meets a reader that never gets EOF). Kills it after `timeoutMs`.
 */
export function loadInChild(jobs: Job[], timeoutMs = 60_000): Promise<ChildRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'config-child.ts'), JSON.stringify(jobs)], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let timedOut = false;
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdin.on('error', () => {}); // the child may exit without reading it
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', () => {
      clearTimeout(timer);
      let results: JobResult[] = [];
      try {
        results = JSON.parse(out) as JobResult[];
      } catch {
        results = [];
      }
      resolve({ timedOut, results, stderr: err });
    });
  });
}

async function main(): Promise<void> {
  const { loadConfig } = await import('../../lib/config.js');
  const { decide } = await import('../../lib/decide.js');
  const { normalizeTarget } = await import('../../lib/paths.js');
  const { Budget, GuardError } = await import('../../lib/types.js');
  const jobs = JSON.parse(process.argv[2] ?? '[]') as Job[];
  const results: JobResult[] = [];
  for (const job of jobs) {
    try {
      const budget = new Budget(10_000);
      const c = loadConfig({ cwd: job.cwd, home: job.home, env: job.env ?? {}, platform: process.platform, budget });
      const r: JobResult = { ok: true, rules: c.rules.length };
      if (job.write) {
        const t = normalizeTarget({ op: 'write', path: job.write, base: job.cwd, via: 'Write' }, { home: job.home, platform: process.platform });
        r.decision = decide([t], 'Write', c, { root: c.root, home: job.home, platform: process.platform, budget }).decision;
      }
      results.push(r);
    } catch (e) {
      results.push({ ok: false, guard: e instanceof GuardError, message: e instanceof Error ? e.message : String(e) });
    }
  }
  process.stdout.write(JSON.stringify(results));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().then(
    () => process.exit(0),
    (e: unknown) => {
      process.stderr.write(String(e));
      process.exit(1);
    },
  );
}
