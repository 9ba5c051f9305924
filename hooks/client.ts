// What every hook process runs (dist/hooks/<name>.js calls `main`): read stdin once, let the
// resident daemon answer when one is up, otherwise run the call in a worker thread of this process
// (hooks/runner.ts). Either way this thread only waits and keeps the deadline: it never runs the
// guard itself, so no input can keep it from answering in time.
// This file stays small because it is loaded on every tool call; the guard itself is not in it.
import fs from 'node:fs';
import path from 'node:path';
import { askDaemon, linkFor, startDaemon, type DaemonRequest } from './daemon-link.js';
import { deadlineFromEnv, failureAnswer, readPayloadText, reserveMs, respond, type Hook, type HookOrigin } from './run.js';
import type { Pool, Timing } from './runner.js';
import { loadHook } from './load-hook.js';
import { installFsGuard } from './fs-guard.js';
import type { Answer } from '../lib/answer.js';
import type { AuditConfig } from '../lib/audit-config.js';
import type { ErrorCode } from '../lib/errors.js';

/** The working directory, or undefined when it is gone (the hook then decides without the daemon). */
function workingDir(): string | undefined {
  try {
    return process.cwd();
  } catch {
    return undefined;
  }
}

/** The runner (hooks/runner.js), loaded only when this process decides the call itself. */
function runnerModule(dir: string): typeof import('./runner.js') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a separate file, read only on this path
  return require(path.join(dir, 'runner.js')) as typeof import('./runner.js');
}

/**
 * Runs hook `name` from `dir`. `build` names the daemon that may answer (see daemon-link.ts).
 * Guards (`failClosed`) answer exit 2 on every failure, so the host blocks instead of running the tool.
 */
export function main(dir: string, name: string, failClosed: boolean, build: string): void {
  const env = process.env;
  const deadlineMs = deadlineFromEnv(env);
  // Counted from the process's start: Node's own start-up under load is part of what the host waits for.
  // (process.uptime, not performance.timeOrigin: loading perf_hooks cost every hook process ~0.7 ms.)
  const deadlineAt = Date.now() - process.uptime() * 1000 + deadlineMs;
  const fail = (err: unknown): void => respond(failureAnswer(err, failClosed));
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  // process.stdout/stderr are never touched: answers go out through fs.writeSync (EPIPE is caught
  // there), and creating those streams cost a hook a few ms at start-up.
  // The last resort, should everything else be late: the runner answers well before it.
  setTimeout(() => fail(new Error(`hook exceeded its ${deadlineMs} ms deadline`)), Math.max(0, deadlineAt - Date.now() - 20)).unref();

  // The compiled client (client/hookwarden-client.c) asked the daemon already and got no usable
  // answer: decide here at once, as this client would after its own failed ask.
  const link = process.argv.includes('--hookwarden-daemon-failed') ? undefined : linkFor(dir, build, env);
  const cwd = workingDir();
  // A removed working directory: Node cannot start a worker thread there. This process serves one
  // call; the call's own paths come from its payload, and relative sink paths have nothing to
  // resolve against anyway.
  if (cwd === undefined) {
    try {
      process.chdir('/');
    } catch {
      // The worker reports it, and the guard blocks.
    }
  }
  const origin: HookOrigin = { env, pid: process.pid, cwd };
  // The compiled client decided how this process runs the call (client/hookwarden-client.c first_call).
  const flag = (f: string): string | undefined => process.argv.find((a) => a.startsWith(`${f}=`))?.slice(f.length + 1);
  const given = flag('--hookwarden-given-up');
  if (given !== undefined || process.argv.includes('--hookwarden-inline')) {
    // The client's own deadline: it counts from the client's start, not from this process's.
    const at = Number(flag('--hookwarden-deadline-at'));
    const timing = { deadlineAt: Number.isFinite(at) && at > 0 ? Math.min(at, deadlineAt) : deadlineAt, deadlineMs };
    const startDaemonAfter = (): void => {
      // The client's pipe (descriptor 3) is not the daemon's to keep: a spawned process inherits it.
      try {
        fs.closeSync(CONFIG_FD);
      } catch {
        // not open
      }
      if (link && process.argv.includes('--hookwarden-start-daemon')) startDaemon(dir, link, env);
    };
    const run = given !== undefined ? recordGivenUp(dir, name, failClosed, given, origin, timing) : inline(dir, name, failClosed, origin, timing);
    run.then((answer) => {
      // After the decision, so that the daemon's start (a Node process, then two worker threads
      // loading the guard) does not compete with it for the CPU; it is ready long before the agent's
      // next call, and a call that comes sooner is decided as this one was.
      startDaemonAfter();
      respond(answer);
    }, fail);
    return;
  }
  let pool: Pool | undefined;
  const local = (): Pool => {
    if (!pool) {
      const r = runnerModule(dir);
      pool = new r.Pool(dir, { spare: 0, max: 4, recycleAfter: Infinity });
      pool.fill(1); // starts while stdin is read or the daemon is asked
    }
    return pool;
  };
  // Without a daemon the worker starts at once, while stdin is read. No socket means no daemon
  // (a session's first call, or the compiled client handing the call over): no wait for it either.
  if (!link || !fs.existsSync(link.socket)) local();

  // A missing daemon is started at once, not after this answer: a burst of first calls (parallel
  // tool calls at a session's start) is then mostly answered by it instead of each process loading
  // the guard and the shell parser itself (test/hooks/daemon.test.ts, "a burst of first calls").
  const run = async () => {
    const text = await readPayloadText(env);
    if (link && cwd && typeof text === 'string') {
      const req: DaemonRequest = { v: 2, hook: name, ...origin, cwd, deadlineAt, deadlineMs, text };
      const answer = await askDaemon(link, req, () => startDaemon(dir, link, env));
      if (answer) return answer;
    }
    const p = local();
    const answer = await runnerModule(dir).runCall(p, { hook: name, text, ...origin }, { deadlineAt, deadlineMs }, failClosed);
    // Under the code-cache writer (cli/install/code-cache.ts preloads it and sets this marker): the
    // worker exits by itself first, so the writer sees what the worker loaded, and a writer that
    // failed fails the build. Never in normal use: not keyed on execArgv, since the registered
    // command itself is `node -e '<loader>' …` and exit 1 makes both agents run the tool.
    if ((globalThis as { __hookwardenCacheWriter?: boolean }).__hookwardenCacheWriter === true
      && !(await p.drain(Math.max(0, Math.min(1000, deadlineAt - Date.now() - 100))))) {
      return { ...answer, exitCode: 1 as unknown as 0 };
    }
    return answer;
  };
  run().then(respond, fail);
}

/**
 * The compiled client's call no daemon answers (client/hookwarden-client.c `first_call`): decided
 * here on the main thread, without the ~25 ms a worker thread costs to start. The client is this
 * process's parent and keeps the deadline from outside: at its cutoff it kills this process and has
 * the call recorded as given up on (`recordGivenUp`). What the client needs for that record (the
 * audit sinks of the call's config) is reported on descriptor 3, which the client made a pipe.
 */
async function inline(dir: string, name: string, failClosed: boolean, origin: HookOrigin, timing: Timing): Promise<Answer> {
  const text = await readPayloadText(origin.env);
  // As in a worker (hooks/worker.ts): no file the decision opens can block this thread in the kernel.
  installFsGuard();
  let hook: Hook;
  try {
    hook = loadHook(dir, name);
  } catch (err) {
    // As the runner reports a bundle a worker cannot load: said as such, and the guard blocks.
    return { exitCode: failClosed ? 2 : 0, stdout: '', stderr: `hookwarden: ${(err as Error).message}\n` };
  }
  return hook.handle(text, {
    ...origin,
    doneBy: timing.deadlineAt - reserveMs(timing.deadlineMs) - 50,
    onConfig: (audit, root) => {
      try {
        fs.writeSync(CONFIG_FD, `${JSON.stringify({ audit, root })}\n`);
      } catch {
        // A full or closed pipe: the record of a call given up on goes to the default trail.
      }
    },
  });
}

/** Where `inline` reports the call's config to the client, and where `recordGivenUp` reads it. */
const CONFIG_FD = 3;

/**
 * The compiled client gave up on a call decided in a child (`why`: `deadline`, or the child died:
 * `signal`, `exit`): it is recorded with its identity, in the audit trail the child reported, and a
 * guard blocks. As hooks/runner.ts does for a worker it gave up on.
 */
async function recordGivenUp(dir: string, name: string, failClosed: boolean, why: string, origin: HookOrigin, timing: Timing): Promise<Answer> {
  const text = await readPayloadText(origin.env);
  let reported: { audit?: AuditConfig; root?: string } = {};
  try {
    const buf = Buffer.alloc(1 << 20);
    const line = buf.subarray(0, fs.readSync(CONFIG_FD, buf, 0, buf.length, null)).toString('utf8').split('\n')[0] ?? '';
    const r = JSON.parse(line) as { audit?: AuditConfig; root?: unknown };
    reported = { ...(r.audit && typeof r.audit === 'object' ? { audit: r.audit } : {}), ...(typeof r.root === 'string' ? { root: r.root } : {}) };
  } catch {
    // Nothing reported (the child died before its config loaded): the default audit trail.
  }
  const [error, code]: [string, ErrorCode] = why === 'deadline'
    ? [`deadline: the call was not decided within its ${timing.deadlineMs} ms deadline`, 'deadline']
    : [`worker failed: the hook process ${why === 'signal' ? 'was killed by a signal' : 'exited without an answer'}`, 'worker'];
  return runnerModule(dir).answerGivenUp(dir, { hook: name, text, ...origin }, { error, code, ...reported }, timing, failClosed);
}
