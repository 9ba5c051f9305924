// A minimal client of `codex app-server` (JSON-RPC 2.0, one JSON object per line on stdio):
// initialize -> initialized -> hooks/list. Codex's own answer is the authoritative trust key and
// hash of every handler (protocol doc §1.3); the process is bounded by a timeout and killed after.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import * as z from 'zod/mini';
import { VERSION } from '../../lib/version.js';

const HookEntrySchema = z.object({
  key: z.string(),
  eventName: z.string(),
  command: z.nullable(z.optional(z.string())),
  matcher: z.nullable(z.optional(z.string())),
  timeoutSec: z.optional(z.number()),
  sourcePath: z.optional(z.string()),
  source: z.optional(z.string()),
  enabled: z.optional(z.boolean()),
  currentHash: z.string(),
  trustStatus: z.string(),
});
export type AppServerHook = z.infer<typeof HookEntrySchema>;

const ListResultSchema = z.object({
  data: z.array(z.object({
    cwd: z.optional(z.string()),
    hooks: z.array(HookEntrySchema),
    warnings: z.optional(z.array(z.unknown())),
    errors: z.optional(z.array(z.unknown())),
  })),
});

export interface HooksList {
  hooks: AppServerHook[];
  warnings: string[];
  errors: string[];
}

/** `--codex <path>`, else the first executable `codex` on PATH. */
export function findCodex(env: Record<string, string | undefined>, explicit?: string): string | undefined {
  if (explicit) return path.resolve(explicit);
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, 'codex');
    try {
      fs.accessSync(file, fs.constants.X_OK);
      if (fs.statSync(file).isFile()) return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface ListOptions {
  codex: string;
  codexHome: string;
  cwd: string;
  env: Record<string, string | undefined>;
  timeoutMs?: number;
}

/** Runs `codex app-server` once and returns what `hooks/list` reports for `cwd`. Rejects with a one-line reason. */
export function listHooks(opts: ListOptions): Promise<HooksList> {
  return new Promise((resolve, reject) => {
    const env = { ...opts.env, CODEX_HOME: opts.codexHome };
    // Its own process group: the npm `codex` is a Node wrapper around the native binary, and
    // both must be gone (not still writing into CODEX_HOME) before the answer is used.
    const child = spawn(opts.codex, ['app-server'], { cwd: opts.cwd, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    let settled = false;
    let exited = false;
    let buf = '';
    let stderr = '';
    const done = (err: Error | undefined, value?: HooksList): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.stdin.destroy();
      const finish = () => (err ? reject(err) : resolve(value as HooksList));
      if (exited || child.pid === undefined) return finish();
      child.once('exit', finish);
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => done(new Error(`codex app-server did not answer hooks/list within ${opts.timeoutMs ?? 20_000} ms`)), opts.timeoutMs ?? 20_000);
    const send = (msg: object): void => {
      child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', ...msg })}\n`);
    };
    child.on('error', (err) => done(new Error(`cannot run ${opts.codex}: ${err.message}`)));
    child.stdin.on('error', () => undefined);
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    child.on('exit', (code, signal) => {
      exited = true;
      const last = stderr.trim().split('\n').at(-1)?.replace(/\x1b\[[0-9;]*m/g, '') ?? '';
      done(new Error(`codex app-server exited (${signal ?? code}) before answering${last ? `: ${last}` : ''}`));
    });
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let nl = buf.indexOf('\n'); nl >= 0; nl = buf.indexOf('\n')) {
        const line = buf.slice(0, nl).trim();
        buf = buf.slice(nl + 1);
        if (line) onMessage(line);
      }
    });
    const onMessage = (line: string): void => {
      let msg: { id?: unknown; result?: unknown; error?: { message?: string } };
      try {
        msg = JSON.parse(line) as typeof msg;
      } catch {
        return; // not a JSON-RPC line (a log line); ignore
      }
      if (msg.error && (msg.id === 1 || msg.id === 2)) {
        done(new Error(`codex app-server: ${msg.id === 1 ? 'initialize' : 'hooks/list'} failed: ${msg.error.message ?? 'error'}`));
      } else if (msg.id === 1) {
        send({ method: 'initialized' });
        send({ id: 2, method: 'hooks/list', params: { cwds: [opts.cwd] } });
      } else if (msg.id === 2) {
        const parsed = ListResultSchema.safeParse(msg.result);
        if (!parsed.success) return done(new Error('codex app-server: hooks/list answer has an unexpected shape'));
        const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
        done(undefined, {
          hooks: parsed.data.data.flatMap((d) => d.hooks),
          warnings: parsed.data.data.flatMap((d) => (d.warnings ?? []).map(text)),
          errors: parsed.data.data.flatMap((d) => (d.errors ?? []).map(text)),
        });
      }
    };
    send({ id: 1, method: 'initialize', params: { clientInfo: { name: 'hookwarden', version: VERSION } } });
  });
}
