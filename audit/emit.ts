// The hooks' one way into the audit trail: build the redacted record in the core, hand it to the
// configured sinks, bounded in time. A sink problem never changes a decision; it is returned
// for stderr and, where the file sink still works, recorded as an AuditError record.
import { messageOf, type ErrorCode } from '../lib/errors.js';
import os from 'node:os';
import path from 'node:path';
import type { CallOrigin } from './origin.js';
import { AuditConfigSchema, resolveAuditPaths, type AuditConfig } from '../lib/audit-config.js';
import { DEFAULT_FILE_SINK, openSinks } from '../sinks/index.js';
import { createFileSink } from '../sinks/file.js';
import { SpoolQueue, queueName, spoolDir, spooledSinks } from '../sinks/spool.js';
import { maybeStartForwarder } from './ship.js';
import { recordOf, type RecordInput } from '../lib/record.js';
import { VERSION } from '../lib/version.js';
import { uuidv7 } from '../lib/ids.js';
import { fallbackAgent, recordInputOf, type PreToolUseOutcome } from '../lib/guard.js';
import { detectAgent } from '../lib/payload.js';
import type { AuditRecord } from '../lib/types.js';

export interface EmitOptions extends CallOrigin {
  home?: string;
  /** Upper bound for all sink work of one hook run. */
  timeoutMs?: number;
  /** Built-in redaction only (bounded time): for records built on the thread that must answer. */
  builtinRedaction?: boolean;
}

/**
 * The problem `emit` adds when no sink took the record: PreToolUse then blocks a call it would
 * let through (a call the trail does not hold must not run: an agent can fill the disk).
 */
export const UNRECORDED = 'no sink took the record';

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


/** Builds and writes one record; returns the problems met (empty when all sinks took it). */
export async function emit(input: Omit<RecordInput, 'version'>, given: AuditConfig, opts: EmitOptions): Promise<string[]> {
  const audit = resolveAuditPaths(given, opts.cwd);
  const home = opts.home ?? opts.env.HOME ?? os.homedir();
  // A writer killed while holding the file lock costs the others up to ~2 s before takeover.
  const timeoutMs = opts.timeoutMs ?? 5000;
  const problems: string[] = [];
  const { record, problem } = recordOf({ ...input, version: VERSION, pid: opts.pid }, audit, { builtinRedaction: opts.builtinRedaction });
  if (problem) problems.push(problem);
  const sink = openSinks(audit, { env: opts.env, home, lockWaitMs: timeoutMs, onError: (name, err) => problems.push(`${name}: ${messageOf(err)}`) });
  let done = false;
  try {
    await withTimeout(sink.write(record).then(() => sink.close()).then(() => {
      done = true;
    }), timeoutMs, 'audit sinks');
  } catch (err) {
    problems.push(messageOf(err));
  }
  // No sink holds the record (a full disk, a folder that cannot be made, sinks past their time).
  // (A config with no sinks at all asks for no record.)
  if ((audit.sinks ?? [DEFAULT_FILE_SINK]).length > 0 && (!done || sink.taken() === 0)) problems.push(UNRECORDED);
  if (problems.length > 0) await recordProblems(record, problems, audit, opts.env, home);
  try {
    maybeStartForwarder({ audit, env: opts.env, home, cliPath: cliPath(opts.env) });
  } catch (err) {
    problems.push(`forwarder: ${messageOf(err)}`);
  }
  return problems;
}

/** The built CLI sits next to the hooks folder (`dist/cli.js`); tests may name it explicitly. */
function cliPath(env: EmitOptions['env']): string {
  if (env.HOOKWARDEN_CLI) return env.HOOKWARDEN_CLI;
  return typeof __dirname === 'string' ? path.join(__dirname, '..', 'cli.js') : '';
}

/**
 * Sink failures go into the file sink (when configured and working) so they are not lost; the
 * sealed error record is also queued for the HTTP and ClickHouse sinks (spool only, no network
 * here), so a team store's copy of the chain has no hole where it was.
 */
async function recordProblems(rec: AuditRecord, problems: string[], audit: AuditConfig, env: EmitOptions['env'], home: string): Promise<void> {
  const fileCfg = (audit.sinks ?? [DEFAULT_FILE_SINK]).find((s) => s.type === 'file');
  if (!fileCfg || fileCfg.type !== 'file') return;
  const errRecord: AuditRecord = {
    ...rec, id: uuidv7(), event: 'AuditError', error: problems.join('; '), error_code: problems.every((p) => p.startsWith('record: ')) ? 'record' : 'sink',
    decision: undefined, prev: undefined, hash: undefined,
  };
  try {
    const sink = createFileSink(fileCfg, { env, home });
    const sealed = await withTimeout(sink.writeSealed(errRecord).finally(() => sink.close()), 3000, 'file sink');
    if (!sealed) return;
    for (const s of spooledSinks(audit)) {
      if (s.type === 'syslog') continue; // syslog spools only what it failed to send
      try {
        new SpoolQueue(spoolDir(audit, env, home), queueName(s), { maxBytes: audit.spool.maxBytes }).append(sealed);
      } catch {
        // The spool is what failed: the file holds the record.
      }
    }
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

/** What the answering side knows of a call it had to give up on (see hooks/runner.ts). */
export interface FailedCall {
  /** The hook's stdin as it came. */
  text: string;
  event: string;
  /** One line: why there is no decision (`deadline: ...`, `worker failed: ...`). */
  error: string;
  /** Its code in the catalogue (lib/errors.ts). */
  code: ErrorCode;
  /** The call's audit config and project root, when its worker got as far as loading them. */
  audit?: AuditConfig;
  project?: string;
  /** Guards record a deny: the call was blocked. */
  blocked: boolean;
}

/** Payload fields that identify a call; taken even when the payload as a whole is unusable. */
const IDENTITY = ['session_id', 'turn_id', 'tool_use_id', 'tool_name', 'hook_event_name', 'cwd', 'transcript_path', 'permission_mode', 'model'];
const MAX_ID_CHARS = 512;

/** How much of each end of a payload is read for its identity: constant work whatever its size or depth. */
const SCAN_CHARS = 64 * 1024;

/**
 * The identifying top-level fields of a payload, read from its first and last 64 KiB only (the
 * hosts put the ids around the tool input): a call given up on may be a 60 MB or 200,000-deep
 * payload, and parsing it again on the answering thread is what must not happen.
 */
export function identityOf(text: string): Record<string, unknown> {
  let fields: Record<string, unknown>;
  try {
    fields = { ...headFields(text.slice(0, SCAN_CHARS)), ...tailFields(text, Math.max(0, text.length - SCAN_CHARS)) };
  } catch {
    return {};
  }
  const out: Record<string, unknown> = {};
  for (const k of IDENTITY) {
    const v = fields[k];
    if (typeof v === 'string') out[k] = v.length > MAX_ID_CHARS ? `${v.slice(0, MAX_ID_CHARS)}…` : v;
    else if (v === null) out[k] = null;
  }
  return out;
}

const unquote = (inner: string): string => JSON.parse(`"${inner}"`) as string;

/** String (and null) fields at the top level of the object `head` starts, as far as `head` goes. */
function headFields(head: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let depth = 0;
  let key: string | undefined;
  // A string the cut at SCAN_CHARS left open runs to the end (`\\?$`): without that alternative the
  // scan failed there and started again at every quote inside it, `\"` included, so a command of
  // quotes made this quadratic (about a second for the 64 KiB, on the thread that must answer).
  const re = /"((?:[^"\\]|\\.)*)(?:(")(\s*:)?|\\?$)|[{[]|[}\]]|\bnull\b/g;
  for (let m = re.exec(head); m; m = re.exec(head)) {
    const t = m[0];
    if (t.startsWith('"') && m[2] === undefined) break; // the open string: nothing after it
    if (t === '{' || t === '[') {
      key = undefined; // a nested value: not an identity field
      depth++;
    } else if (t === '}' || t === ']') depth--;
    else if (depth !== 1) key = undefined;
    else if (m[3]) key = unquote(m[1]!);
    else if (key !== undefined) {
      out[key] = t === 'null' ? null : unquote(m[1]!);
      key = undefined;
    }
  }
  return out;
}

/**
 * The simple fields (strings, null, numbers, booleans) that end the top-level object of `text`,
 * read backwards from its closing brace until a nested value or `from`. Exact: a field is taken
 * only when everything after it is simple fields and the closing brace.
 */
function tailFields(text: string, from: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  let i = text.length - 1;
  const ws = (): void => {
    while (i >= from && /\s/.test(text[i]!)) i--;
  };
  /** The string whose closing quote is at i; leaves i before its opening quote. */
  const str = (): string | undefined => {
    if (text[i] !== '"') return undefined;
    for (let j = i - 1; j >= from; j--) {
      if (text[j] !== '"') continue;
      let bs = 0;
      while (j - 1 - bs >= from && text[j - 1 - bs] === '\\') bs++;
      if (bs % 2 === 1) continue;
      const inner = text.slice(j + 1, i);
      i = j - 1;
      return unquote(inner);
    }
    return undefined;
  };
  ws();
  if (text[i] !== '}') return out;
  i--;
  for (;;) {
    ws();
    let value: unknown;
    if (text[i] === '"') {
      value = str();
      if (value === undefined) return out;
    } else {
      const m = /(?:null|true|false|-?[0-9][0-9.eE+-]*)$/.exec(text.slice(Math.max(from, i - 40), i + 1));
      if (!m) return out;
      value = m[0] === 'null' ? null : undefined;
      i -= m[0].length;
    }
    ws();
    if (text[i] !== ':') return out;
    i--;
    ws();
    const key = str();
    if (key === undefined) return out;
    if (value !== undefined || !(key in out)) out[key] = value;
    ws();
    if (text[i] === ',') {
      i--;
      continue;
    }
    return out;
  }
}

/**
 * The record of a call that got no decision in time (or whose worker died): its identity, the
 * block, and why. No tool input: whatever made the call slow must not run again here.
 */
export function recordFailure(f: FailedCall, opts: EmitOptions): Promise<string[]> {
  const payload = identityOf(f.text);
  const agent = Object.keys(payload).length > 0 ? detectAgent(payload, opts.env) : fallbackAgent({ env: opts.env });
  const verdict = f.blocked ? { decision: 'deny' as const, reason: f.error, targets: [], unresolved: false } : undefined;
  return emit(
    { agent, event: typeof payload.hook_event_name === 'string' ? payload.hook_event_name : f.event, payload, verdict, error: f.error, errorCode: f.code, project: f.project },
    f.audit ?? defaultAudit(),
    { ...opts, timeoutMs: opts.timeoutMs ?? 1500, builtinRedaction: true },
  );
}
