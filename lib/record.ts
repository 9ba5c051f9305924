// Builds one audit record (schema v1) from a hook payload and the guard's verdict. Everything that
// comes from the agent passes through the redactor here, before any sink, spool or file sees it.
// `prev` and `hash` are left to the chain layer of the file sink.
import { messageOf as errorMessage, type ErrorCode } from './errors.js';
import os from 'node:os';
import { uuidv7 } from './ids.js';
import { readablePath } from './paths/syntax.js';
import { redactAndFit, stripContents, summarizeResponse } from './record-summary.js';
import { REJECTED, cutIdentity } from './payload-identity.js';
import { compileRedactor, wordInContext } from './redact.js';
import type { AuditConfig } from './audit-config.js';
import type { Agent, AuditRecord, Verdict } from './types.js';

export interface RecordInput {
  agent: Agent;
  event: string;
  /** The raw hook payload (parsed stdin). */
  payload?: Record<string, unknown>;
  verdict?: Verdict;
  error?: string;
  /** The catalogue code of `error`; `internal` when an error comes without one. */
  errorCode?: ErrorCode;
  project?: string;
  version: string;
  now?: Date;
  /** The hook process the record is for (a daemon answers for other processes). Default: this one. */
  pid?: number;
}

/** Events whose `input` is the tool's input; the others record their own fields. */
const TOOL_EVENTS = new Set(['PreToolUse', 'PostToolUse', 'PostToolUseFailure']);
/** Payload fields that have their own place in the record. */
const COMMON = new Set(['session_id', 'turn_id', 'tool_use_id', 'cwd', 'hook_event_name', 'transcript_path', 'agent_id', 'agent_type']);
const MAX_SHORT = 2048; // error and reason text

let identity: { host: string; user: string } | undefined;

function whoAmI(): { host: string; user: string } {
  if (identity) return identity;
  let host = 'unknown';
  let user = '';
  try {
    host = os.hostname() || host;
  } catch {
    // keep 'unknown'
  }
  try {
    user = os.userInfo().username;
  } catch {
    // No passwd entry (containers with an arbitrary uid): the uid. Never $USER or $LOGNAME, which
    // any process can set: the record says which account ran the hook (audit.user overrides it).
  }
  user ||= typeof process.getuid === 'function' ? `uid:${process.getuid()}` : 'unknown';
  return (identity = { host, user });
}

/** An identity field (ids, tool, cwd, paths): verbatim, but bounded like on a rejected payload. */
const ident = (v: unknown): string | undefined => (typeof v === 'string' ? cutIdentity(v) : undefined);

/**
 * A JSON line with the characters JSON allows raw but terminals and line splitters act on (DEL,
 * C1 controls, U+2028/U+2029, bidirectional controls) written as \u escapes: the same JSON value
 * (and so the same chain hash), safe to print. Raw C0 characters never occur in valid JSON.
 */
export function jsonSafe(line: string): string {
  return line.replace(/[\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * A command's words, each redacted in the context a secret rule needs: the program and the two
 * words before it (`mysql … -pSECRET`, `redis-cli -a KEY`). A word whose context changes under
 * redaction in a way that cannot be told apart is withheld whole.
 */
function redactArgv(argv: readonly string[], redact: (v: unknown) => unknown): string[] {
  return argv.map((w, k) => {
    if (k === 0) return String(redact(w));
    const prefix = `${[argv[0]!, ...argv.slice(Math.max(1, k - 2), k)].join(' ')} `;
    const before = String(redact(prefix));
    return wordInContext(w, before, String(redact(prefix + w)));
  });
}

function short(text: string | undefined, redact: (v: unknown) => unknown): string | undefined {
  if (text === undefined) return undefined;
  // The unresolved placeholder (NUL-delimited) reads `<unresolved>`, as in targets.
  const r = readablePath(String(redact(text)));
  return r.length > MAX_SHORT ? `${r.slice(0, MAX_SHORT)}…` : r;
}

function eventInput(event: string, payload: Record<string, unknown>, tool: string | undefined): unknown {
  if (TOOL_EVENTS.has(event) && 'tool_input' in payload) return stripContents(tool, payload.tool_input);
  // SessionStart (source, model...), UserPromptSubmit (prompt), PermissionRequest (tool_name,
  // tool_input), Stop (last_assistant_message), SessionEnd (reason) and any newer event alike.
  const fields = Object.entries(payload).filter(([k, v]) => !COMMON.has(k) && v !== undefined);
  if (fields.length === 0) return undefined;
  const out = Object.fromEntries(fields);
  if ('tool_input' in out) out.tool_input = stripContents(tool, out.tool_input);
  return out;
}

function levelOf(decision: string | undefined, error: string | undefined): number {
  if (error !== undefined) return 50;
  return decision === 'deny' ? 40 : 30;
}

function messageOf(event: string, tool?: string, decision?: string, rule?: string, error?: string): string {
  let msg = event;
  if (tool) msg += ` ${tool}`;
  if (decision) msg += ` ${decision}`;
  if (rule) msg += ` (${rule})`;
  if (error !== undefined) msg += ': error';
  return msg;
}

/** Drops undefined fields so that the record, its JSON line and its canonical form agree. */
function compact<T extends object>(obj: T): T {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The one way every caller (the hooks through audit/emit.ts, the daemon, the library's `evaluate`)
 * turns a call into its record. A bad user redaction pattern must not cost the record or throw:
 * the record is then redacted with the built-in patterns only, and the problem is returned so the
 * caller can report it (the hooks write it as an AuditError record).
 */
export function recordOf(
  input: RecordInput,
  audit: Pick<AuditConfig, 'maxInputBytes' | 'maxResponseBytes' | 'redact'>,
  opts: { builtinRedaction?: boolean } = {},
): { record: AuditRecord; problem?: string } {
  try {
    return { record: buildRecord(input, audit, compileRedactor(opts.builtinRedaction ? [] : audit.redact)) };
  } catch (err) {
    const problem = `record: ${errorMessage(err)}`;
    return { record: buildRecord(input, audit, compileRedactor([])), problem };
  }
}

export function buildRecord(
  input: RecordInput,
  audit: Pick<AuditConfig, 'maxInputBytes' | 'maxResponseBytes'> & Partial<Pick<AuditConfig, 'user' | 'host'>>,
  redact: (v: unknown) => unknown,
): AuditRecord {
  const now = input.now ?? new Date();
  const payload = input.payload ?? {};
  const event = ident(payload.hook_event_name) ?? input.event;
  const tool = ident(payload.tool_name);
  // The stand-in of a rejected payload holds identity fields only: there is no input to record.
  const rejected = (payload as { [REJECTED]?: boolean })[REJECTED] === true;
  const verdict = input.verdict;
  const error = short(input.error, redact);
  const decision = verdict?.decision;

  const rawInput = rejected ? undefined : eventInput(event, payload, tool);
  const recInput = rawInput === undefined ? undefined : redactAndFit(rawInput, redact, audit.maxInputBytes);
  const response =
    !rejected && 'tool_response' in payload && payload.tool_response !== undefined
      ? redactAndFit(summarizeResponse(tool, payload.tool_response), redact, audit.maxResponseBytes)
      : undefined;
  // An operand of a command the guard does not know is a target only in case it names a protected
  // path; otherwise it is any word (`vault login TOKEN`: the token), which the record must not
  // carry as a path. It stays in the record only when it decided the call.
  const decided = verdict?.target;
  const targets = verdict?.targets
    .filter((t) => t.unknownCommand === undefined || (decided !== undefined && t.path === decided.path && t.op === decided.op))
    .map((t) => compact({ op: t.op, path: String(redact(readablePath(t.path))), unresolved: t.unresolved ? true : undefined }));
  // The user config may name the person and machine where the account does not (CI, shared boxes).
  const me = whoAmI();
  const host = audit.host ?? me.host;
  const user = audit.user ?? me.user;

  return compact<AuditRecord>({
    v: 1,
    id: uuidv7(now.getTime()),
    ts: now.toISOString(),
    time: now.getTime(),
    level: levelOf(decision, error),
    msg: messageOf(event, tool, decision, verdict?.rule, error),
    agent: input.agent,
    event,
    session_id: ident(payload.session_id),
    turn_id: ident(payload.turn_id),
    tool_use_id: ident(payload.tool_use_id),
    tool,
    cwd: ident(payload.cwd),
    transcript_path: ident(payload.transcript_path),
    agent_id: ident(payload.agent_id),
    agent_type: ident(payload.agent_type),
    project: input.project,
    decision,
    rule: verdict?.rule,
    layer: verdict?.layer,
    reason: short(verdict?.reason, redact),
    unresolved: verdict?.unresolved ? true : undefined,
    command: verdict?.command ? compact({ ...verdict.command, argv: redactArgv(verdict.command.argv, redact) }) : undefined,
    grant: verdict?.grant,
    targets: targets && targets.length > 0 ? targets : undefined,
    input: recInput,
    response,
    error,
    error_code: error === undefined ? undefined : (input.errorCode ?? 'internal'),
    host,
    user,
    pid: input.pid ?? process.pid,
    version: input.version,
  });
}
