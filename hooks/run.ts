// Process plumbing shared by the hook client and the daemon: one answer, written synchronously,
// then exit. Hosts run the tool when a hook exits 1, crashes, prints bad JSON or times out, so
// every path out of a guard hook goes through `respond` with exit 0 or 2.
// Kept light: the client loads this on every call before it knows whether a daemon answers.
import fs from 'node:fs';
import { answerError, type Answer } from '../lib/answer.js';
import { readStdin } from '../lib/stdin.js';
import { DEFAULT_MAX_INPUT_BYTES, describeError } from '../lib/types.js';

export type Env = Record<string, string | undefined>;

/** What a hook's handler gets besides its stdin: the environment and pid of the hook process. */
export interface HookContext { env: Env; pid: number }

/** A hook body (hooks/pre-tool-use.ts and the others): stdin text in, the answer out. */
export interface Hook {
  /** Guards block on failure; recorders (PostToolUse, other events) never block. */
  failClosed: boolean;
  handle(text: string | Error, ctx: HookContext): Promise<Answer>;
  /** Loads what a later call would load on demand (the daemon calls it once). */
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

/** The hard deadline: the guard's budget (default 10 s) plus time for the audit record. */
export function deadlineFromEnv(env: Env): number {
  const ms = Number(env.HOOKWARDEN_DEADLINE_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : 12_000;
}

/** stdin, bounded; a read failure is returned as an Error so the caller can still record it. */
export async function readPayloadText(env: Env): Promise<string | Error> {
  try {
    return await readStdin(Math.max(DEFAULT_MAX_INPUT_BYTES, Number(env.HOOKWARDEN_MAX_INPUT_BYTES) || 0));
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

export const diagnostics = (lines: (string | undefined)[]): string =>
  lines.filter(Boolean).map((p) => `hookwarden: ${p}\n`).join('');
