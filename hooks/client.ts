// What every hook process runs (dist/hooks/<name>.js calls `main`): read stdin once, let the
// resident daemon answer when one is up, otherwise load this hook's bundle and decide in-process.
// This file stays small because it is loaded on every tool call; the guard itself is not in it.
import path from 'node:path';
import { askDaemon, linkFor, startDaemon, type DaemonRequest } from './daemon-link.js';
import { deadlineFromEnv, failureAnswer, readPayloadText, respond, type Hook } from './run.js';

/** Loads `<name>.code.js` with its V8 code cache. A failure is reported with the file's name. */
export function loadHook(dir: string, name: string): Hook {
  const file = path.join(dir, `${name}.code.js`);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a separate file, read only on this path
    const cc = require(path.join(dir, 'code-cache.js')) as typeof import('./code-cache.js');
    return cc.requireCached(file, require) as Hook;
  } catch (err) {
    throw new LoadError(`cannot load ${path.basename(file)}: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}`);
  }
}

/** The working directory, or undefined when it is gone (the hook then decides without the daemon). */
function workingDir(): string | undefined {
  try {
    return process.cwd();
  } catch {
    return undefined;
  }
}

/** A hook that cannot load reports it as such (not as a decision), and the guard still blocks. */
class LoadError extends Error {}

/**
 * Runs hook `name` from `dir`. `build` names the daemon that may answer (see daemon-link.ts).
 * Guards (`failClosed`) answer exit 2 on every failure, so the host blocks instead of running the tool.
 */
export function main(dir: string, name: string, failClosed: boolean, build: string): void {
  const env = process.env;
  const deadlineMs = deadlineFromEnv(env);
  const started = Date.now();
  const fail = (err: unknown): void => {
    if (err instanceof LoadError) {
      respond({ exitCode: failClosed ? 2 : 0, stdout: '', stderr: `hookwarden: ${err.message}\n` });
    }
    respond(failureAnswer(err, failClosed));
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  // process.stdout/stderr are never touched: answers go out through fs.writeSync (EPIPE is caught
  // there), and creating those streams cost a hook a few ms at start-up.
  setTimeout(() => fail(new Error(`hook exceeded its ${deadlineMs} ms deadline`)), deadlineMs).unref();

  const run = async () => {
    const text = await readPayloadText(env);
    const link = typeof text === 'string' ? linkFor(dir, build, env) : undefined;
    const cwd = workingDir();
    if (link && cwd && typeof text === 'string') {
      const req: DaemonRequest = { v: 1, hook: name, env, cwd, pid: process.pid, text };
      // Half the deadline at most, so deciding in-process after a silent daemon still fits.
      const waitMs = deadlineMs / 2 - (Date.now() - started);
      const answer = await askDaemon(link, req, waitMs, () => startDaemon(dir, link, env));
      if (answer) return answer;
    }
    return loadHook(dir, name).handle(text, { env, pid: process.pid });
  };
  run().then(respond, fail);
}
