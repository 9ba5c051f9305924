// The hooks' one way into the audit trail: build the redacted record in the core, hand it to the
// configured sinks, bounded in time. A sink problem never changes a decision; it is returned
// for stderr and, where the file sink still works, recorded as an AuditError record.
import os from 'node:os';
import path from 'node:path';
import { AuditConfigSchema, type AuditConfig } from './config.js';
import { DEFAULT_FILE_SINK, openSinks } from './index.js';
import { createFileSink } from './file.js';
import { maybeStartForwarder } from '../lib/ship.js';
import { buildRecord, type RecordInput } from '../lib/record.js';
import { compileRedactor } from '../lib/redact.js';
import { VERSION } from '../lib/version.js';
import { uuidv7 } from '../lib/ids.js';
import { recordInputOf, type PreToolUseOutcome } from '../lib/guard.js';
import type { AuditRecord } from '../lib/types.js';

export interface EmitOptions {
  env: Record<string, string | undefined>;
  home?: string;
  /** Upper bound for all sink work of one hook run. */
  timeoutMs?: number;
  /** The hook process recorded (the daemon passes its client's). */
  pid?: number;
}

let defaults: AuditConfig | undefined;
export function defaultAudit(): AuditConfig {
  return (defaults ??= AuditConfigSchema.parse({}));
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

const message = (err: unknown): string => (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';

/** Builds and writes one record; returns the problems met (empty when all sinks took it). */
export async function emit(input: Omit<RecordInput, 'version'>, audit: AuditConfig, opts: EmitOptions): Promise<string[]> {
  const home = opts.home ?? opts.env.HOME ?? os.homedir();
  // A writer killed while holding the file lock costs the others up to ~2 s before takeover.
  const timeoutMs = opts.timeoutMs ?? 5000;
  const problems: string[] = [];
  let record: AuditRecord;
  try {
    record = buildRecord({ ...input, version: VERSION, pid: opts.pid }, audit, compileRedactor(audit.redact));
  } catch (err) {
    // A bad redaction pattern must not cost the record: fall back to the built-in patterns.
    problems.push(`record: ${message(err)}`);
    record = buildRecord({ ...input, version: VERSION, pid: opts.pid }, audit, compileRedactor([]));
  }
  const sink = openSinks(audit, { env: opts.env, home, onError: (name, err) => problems.push(`${name}: ${message(err)}`) });
  try {
    await withTimeout(sink.write(record).then(() => sink.close()), timeoutMs, 'audit sinks');
  } catch (err) {
    problems.push(message(err));
  }
  if (problems.length > 0) await recordProblems(record, problems, audit, opts.env, home);
  try {
    maybeStartForwarder({ audit, env: opts.env, home, cliPath: cliPath(opts.env) });
  } catch (err) {
    problems.push(`forwarder: ${message(err)}`);
  }
  return problems;
}

/** The built CLI sits next to the hooks folder (`dist/cli.js`); tests may name it explicitly. */
function cliPath(env: EmitOptions['env']): string {
  if (env.HOOKWARDEN_CLI) return env.HOOKWARDEN_CLI;
  return typeof __dirname === 'string' ? path.join(__dirname, '..', 'cli.js') : '';
}

/** Sink failures go into the file sink (when configured and working) so they are not lost. */
async function recordProblems(rec: AuditRecord, problems: string[], audit: AuditConfig, env: EmitOptions['env'], home: string): Promise<void> {
  const fileCfg = (audit.sinks ?? [DEFAULT_FILE_SINK]).find((s) => s.type === 'file');
  if (!fileCfg || fileCfg.type !== 'file') return;
  const errRecord: AuditRecord = {
    ...rec, id: uuidv7(), event: 'AuditError', error: problems.join('; '), decision: undefined, prev: undefined, hash: undefined,
  };
  try {
    const sink = createFileSink(fileCfg, { env, home });
    await withTimeout(sink.write(errRecord).then(() => sink.close()), 3000, 'file sink');
  } catch {
    // The file sink itself is down: stderr is all that is left.
  }
}

export function auditPreToolUse(outcome: PreToolUseOutcome, opts: EmitOptions): Promise<string[]> {
  const audit = outcome.config?.audit ?? defaultAudit();
  if (audit.log === 'deny' && outcome.verdict.decision === 'allow' && !outcome.error) return Promise.resolve([]);
  return emit(
    recordInputOf(outcome),
    audit,
    opts,
  );
}
