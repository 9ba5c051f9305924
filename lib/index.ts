// The pure core as a typed library, for agent runtimes and SDKs that run tools in-process:
// the same decision and the same audit record as the hooks, without spawning a process.
import os from 'node:os';
import { answerPreToolUse, type Answer } from './answer.js';
import { loadConfig, type LoadedConfig } from './config.js';
import { preToolUse, recordInputOf, type GuardEnv } from './guard.js';
import { AuditConfigSchema } from './audit-config.js';
import { recordOf } from './record.js';
import { VERSION } from './version.js';
import type { AuditRecord, Verdict } from './types.js';

/**
 * The hook's own options (GuardEnv, lib/guard.ts), every one optional here, plus a config loaded
 * once. An option added to GuardEnv is an option of `evaluate` without another line.
 */
export interface EvaluateOptions extends Partial<GuardEnv> {
  /** Environment the hook would inherit (HOME, XDG_*, HOOKWARDEN_CONFIG...). Default: process.env. */
  env?: Record<string, string | undefined>;
  /** A config loaded once with `loadConfig` and reused for many calls (otherwise loaded per call). */
  config?: LoadedConfig;
}

export interface Evaluation {
  verdict: Verdict;
  /** What the hook would answer: exit code, stdout, stderr. */
  answer: Answer;
  /** The redacted record the hook would write (without `prev`/`hash`: the file sink's chain adds them). */
  record: AuditRecord;
  /** Set when the call is blocked because something failed (payload, config, parser, budget). */
  error?: string;
  /** Set when the record could not be built as configured (a bad `audit.redact` pattern): it was redacted with the built-in patterns. */
  auditProblem?: string;
}

/**
 * Decides one PreToolUse payload (an object or its JSON text) exactly as `pre-tool-use.js` does.
 * Never throws: every failure is a deny with `error` set, as in the hook.
 */
export function evaluate(payload: unknown, opts: EvaluateOptions = {}): Evaluation {
  const { config, ...given } = opts;
  const genv: GuardEnv = { ...given, env: opts.env ?? process.env, home: opts.home ?? opts.env?.HOME ?? os.homedir() };
  const text = typeof payload === 'string' ? payload : JSON.stringify(payload ?? null) ?? '';
  const outcome = preToolUse(text, genv, config);
  const audit = outcome.config?.audit ?? AuditConfigSchema.parse({});
  // The same builder as the hooks: a bad redaction pattern falls back to the built-in ones, never throws.
  const { record, problem } = recordOf({ ...recordInputOf(outcome), version: VERSION }, audit);
  const error = outcome.error ?? undefined;
  return { verdict: outcome.verdict, answer: answerPreToolUse(outcome.agent, outcome.verdict), record, ...(error ? { error } : {}), ...(problem ? { auditProblem: problem } : {}) };
}

export { loadConfig, VERSION };
export { verifyFiles, auditFiles } from './verify.js';
export type { LoadedConfig, Answer };
export type { Agent, AuditRecord, Decision, Op, Target, Verdict } from './types.js';
