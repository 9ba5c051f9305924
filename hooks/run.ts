// Process plumbing shared by the hook client and the daemon: one answer, written synchronously,
// then exit. Hosts run the tool when a hook exits 1, crashes, prints bad JSON or times out, so
// every path out of a guard hook goes through `respond` with exit 0 or 2.
// Kept light: the client loads this on every call before it knows whether a daemon answers.
import fs from 'node:fs';
import { answerError, type Answer } from '../lib/answer.js';
import { readStdin } from '../lib/stdin.js';
import { DEFAULT_MAX_INPUT_BYTES, describeError } from '../lib/types.js';
import type { AuditConfig } from '../lib/audit-config.js';
import type { CallOrigin } from '../audit/origin.js';

export type Env = Record<string, string | undefined>;

/**
 * The hook process a call came from (its environment, pid and working directory; relative sink
 * paths resolve against the cwd, never process.cwd(): a worker's is the daemon's). Copied from hop
 * to hop with `originOf` (audit/origin.ts).
 */
export interface HookOrigin extends CallOrigin {
  pid: number;
}

/** What a hook's handler gets besides its stdin: where the call came from, and the answering side's hooks. */
export interface HookContext extends HookOrigin {
  /** Epoch ms by which the call must be done, record included (the worker is stopped then). */
  doneBy?: number;
  /** Called with the audit problems once the record was written (or not): a record lost to time is written again by the answering side. */
  onAudit?: (problems: string[]) => void;
  /** Called once the call's config is loaded: the side that answers needs its audit section if it must give up. */
  onConfig?: (audit: AuditConfig, root: string | undefined) => void;
}

/** A hook body (hooks/pre-tool-use.ts and the others): stdin text in, the answer out. */
export interface Hook {
  handle(text: string | Error, ctx: HookContext): Promise<Answer>;
  /** Loads what a later call would load on demand (each worker calls it once). */
  warm?(): void;
}

let answered = false;

function writeAll(fd: number, text: string): void {
  const buf = Buffer.from(text);
  let off = 0;
  for (let tries = 0; off < buf.length && tries < 1000; tries++) {
    try {
      off += fs.writeSync(fd, buf, off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') return;
    }
  }
}

export function respond(answer: Answer): never {
  if (!answered) {
    answered = true;
    if (answer.stdout) writeAll(1, answer.stdout);
    if (answer.stderr) writeAll(2, answer.stderr);
  }
  process.exit(answer.exitCode);
}

/** The answer when a hook fails: the guard blocks with the reason, a recorder reports and lets go. */
export function failureAnswer(err: unknown, failClosed: boolean): Answer {
  const msg = describeError(err);
  return failClosed ? answerError(msg) : { exitCode: 0, stdout: '', stderr: `hookwarden: ${msg}\n` };
}

/**
 * The hard deadline, counted from the hook process's start: by then the answer is out, whatever
 * the input. Default 12 s: the guard's budget (10 s) plus time for the audit record.
 */
export function deadlineFromEnv(env: Env): number {
  const ms = Number(env.HOOKWARDEN_DEADLINE_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : 12_000;
}

/**
 * Time kept back from the decision for recording a call given up on: a third, 300 ms to 5 s
 * (on a machine with far more busy threads than cores, the answering thread may get 2% of a core;
 * a quarter lost 3 of 32 records when 32 worst-case calls fell back to their own processes at once,
 * each loading the recorder and waiting its turn for the audit file). The compiled client keeps the
 * same reserve (client/hookwarden-client.c reserve_ms).
 */
export const reserveMs = (deadlineMs: number): number => Math.min(5000, Math.max(300, deadlineMs / 3));

/**
 * Most stdin a hook reads. The config's `limits.maxInputBytes` (default 10 MiB) is only known
 * after the payload is parsed (its cwd picks the project config), so the hook reads up to this
 * fixed cap and the guard applies the configured limit afterwards: a limit up to 64 MiB holds
 * as configured; beyond that HOOKWARDEN_MAX_INPUT_BYTES in the hook's environment raises the cap.
 */
export const MAX_STDIN_BYTES = 64 * 1024 * 1024;

/** stdin, bounded; a read failure is returned as an Error so the caller can still record it. */
export async function readPayloadText(env: Env): Promise<string | Error> {
  try {
    return await readStdin(Math.max(MAX_STDIN_BYTES, DEFAULT_MAX_INPUT_BYTES, Number(env.HOOKWARDEN_MAX_INPUT_BYTES) || 0));
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

export const diagnostics = (lines: (string | undefined)[]): string =>
  lines.filter(Boolean).map((p) => `hookwarden: ${p}\n`).join('');

/** The sinks' time for this call: what is left before `doneBy` (default: emit's own bound). */
export const sinkTime = (ctx: HookContext): number | undefined => (ctx.doneBy ? Math.max(50, ctx.doneBy - Date.now()) : undefined);
