// Process plumbing shared by the hook entries: one answer, written synchronously, then exit.
// Hosts run the tool when a hook exits 1, crashes, prints bad JSON or times out, so every
// path out of a guard hook goes through `respond` with exit 0 or 2.
import fs from 'node:fs';
import { answerError, type Answer } from '../lib/answer.js';
import { describeError } from '../lib/guard.js';
import { readStdin } from '../lib/stdin.js';
import { DEFAULT_MAX_INPUT_BYTES } from '../lib/payload.js';

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

export interface RunOptions {
  /** Guards block on failure; recorders (PostToolUse, other events) never block. */
  failClosed: boolean;
  /** Hard stop: answers before the host's own timeout would make it run the tool anyway. */
  deadlineMs: number;
}

export function runHook(main: () => Promise<Answer>, opts: RunOptions): void {
  const fail = (err: unknown): void => {
    const msg = describeError(err);
    respond(opts.failClosed ? answerError(msg) : { exitCode: 0, stdout: '', stderr: `hookwarden: ${msg}\n` });
  };
  process.on('uncaughtException', fail);
  process.on('unhandledRejection', fail);
  // process.stdout/stderr are never touched: answers go out through fs.writeSync (EPIPE is caught
  // there), and creating those streams cost a hook a few ms at start-up.
  setTimeout(() => fail(new Error(`hook exceeded its ${opts.deadlineMs} ms deadline`)), opts.deadlineMs).unref();
  main().then(respond, fail);
}

/** The hard deadline: the guard's budget (default 10 s) plus time for the audit record. */
export function deadlineFromEnv(env: Record<string, string | undefined>): number {
  const ms = Number(env.HOOKWARDEN_DEADLINE_MS);
  return Number.isFinite(ms) && ms > 0 ? ms : 12_000;
}

/** stdin, bounded; a read failure is returned as an Error so the caller can still record it. */
export async function readPayloadText(env: Record<string, string | undefined>): Promise<string | Error> {
  try {
    return await readStdin(Math.max(DEFAULT_MAX_INPUT_BYTES, Number(env.HOOKWARDEN_MAX_INPUT_BYTES) || 0));
  } catch (err) {
    return err instanceof Error ? err : new Error(String(err));
  }
}

export const diagnostics = (lines: (string | undefined)[]): string =>
  lines.filter(Boolean).map((p) => `hookwarden: ${p}\n`).join('');
