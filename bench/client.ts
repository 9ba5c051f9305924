// The registered command as the agents run it (`sh -c '<command>'`), with the compiled client
// (client/hookwarden-client.c, built here as install builds it) or the Node client, and the
// first call of a session: no daemon yet, so the client hands the call to the Node hook, which
// decides in-process and starts the daemon; the next call must find it ready.
import fs from 'node:fs';
import path from 'node:path';
import { compileClient, configHeader, findCompiler } from '../cli/install/client-build.js';
import { hookCommand } from '../cli/install/plan.js';
import type { HookScript } from '../lib/hooks-catalog.js';
import { daemonsUnder } from '../test/helpers/hook.js';
import { stopProcesses } from './peers.js';

const SOURCE = path.resolve(import.meta.dirname, '..', 'client', 'hookwarden-client.c');

/** The compiled client in `dir`, or an error line (no compiler, a failed build). */
export function benchClient(dir: string): { path?: string; error?: string } {
  const cc = findCompiler(process.env);
  if (!cc) return { error: 'no C compiler (cc) on PATH' };
  const out = path.join(dir, 'hookwarden-client-bench');
  const error = compileClient(cc, SOURCE, configHeader(process.execPath), out);
  return error ? { error } : { path: out };
}

/** `sh -c '<the command install registers>'` for `dist`, with the compiled client when given. */
export function registered(dist: string, client: string | undefined): (hook: string) => [string, string[]] {
  return (hook) => ['/bin/sh', ['-c', hookCommand({ distDir: dist, nodePath: process.execPath, ...(client ? { client } : {}) }, hook as HookScript)]];
}

/**
 * A session's first call, every run: before it, no daemon and no socket folder; after it, how
 * long until the daemon it started listens (`ready`, ms after the answer; NaN when it never did).
 */
export function firstCalls(runDir: string): { beforeRun: () => Promise<void>; afterRun: () => Promise<void>; ready: number[] } {
  const ready: number[] = [];
  const sockDir = path.join(runDir, 'hookwarden');
  const listening = (): boolean => fs.existsSync(sockDir) && fs.readdirSync(sockDir).some((f) => f.endsWith('.sock'));
  return {
    ready,
    beforeRun: async () => {
      await stopProcesses(daemonsUnder(runDir));
      fs.rmSync(sockDir, { recursive: true, force: true });
    },
    afterRun: async () => {
      const t0 = Date.now();
      while (!listening() && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 2));
      ready.push(listening() ? Date.now() - t0 : NaN);
      // Listening is not done: its workers go on loading the guard for ~100 ms on both cores. Left
      // running, that load fell on the `node -e ''` run next to it (27 ms became 40) and flattered
      // the ratio; the hook's own run always starts with no daemon. So both sides run on a quiet machine.
      await stopProcesses(daemonsUnder(runDir));
    },
  };
}
