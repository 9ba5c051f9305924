// Hook stdin: size/JSON checks, shape validation (zod/mini: this is on every hook's start-up path)
// and host detection. Shapes: ../shared/docs/agent-hook-protocol.md sections 2, 7, 10, 11.
import { messageOf } from './errors.js';
import { isAbsolute } from 'node:path';
// Namespace import, not `import { z }`: `z` is one object holding all of zod/mini (locales
// included), which defeats tree-shaking; `* as z` bundles ~17 KB instead of ~430 KB (~15 ms of start-up).
import * as z from 'zod/mini';
import { DEFAULT_MAX_INPUT_BYTES, GuardError, type Agent } from './types.js';
import { REJECTED, TAIL_CHARS, identityOf, scanIdentity, type Identity } from './payload-identity.js';

export { DEFAULT_MAX_INPUT_BYTES } from './types.js';
export type { Identity } from './payload-identity.js';

export interface Payload {
  agent: Agent;
  event: string;
  session_id?: string;
  turn_id?: string;
  tool_use_id?: string;
  tool_name?: string;
  tool_input?: Record<string, unknown>;
  tool_response?: unknown;
  cwd: string;
  raw: Record<string, unknown>;
  /**
   * Set on the stand-in for a payload that was rejected as a whole: `raw` then holds only its
   * identity fields (payload-identity.ts), for the record. Never evaluated (guard.ts refuses it).
   */
  rejected?: true;
}

/** A GuardError about the payload, with whatever identity could still be read from it. */
function rejectPayload(message: string, identity: Identity): GuardError {
  return Object.assign(new GuardError(message, 'payload'), { identity });
}

/**
 * The identity fields in the first and (for a text known to be complete: `whole`) last 64 KiB of
 * a text that is not known to be valid JSON. A text JSON.parse refused may be truncated: no tail.
 */
const windowIdentity = (text: string, whole: boolean): Identity =>
  scanIdentity(text.slice(0, TAIL_CHARS), whole ? text.slice(-TAIL_CHARS) : '');

/** Events that carry a tool call; on these `tool_name` and `tool_input` are required. */
const TOOL_EVENTS = new Set(['PreToolUse', 'PostToolUse', 'PermissionRequest']);

// Known fields are typed on every event; anything else the hosts add is tolerated (loose objects).
// Ids may be null (Codex writes null for absent optional strings, e.g. transcript_path).
const id = z.optional(z.nullable(z.string()));
const nonEmpty = z.string().check(z.minLength(1));
const common = {
  hook_event_name: nonEmpty,
  cwd: z.string().check(z.refine((s) => isAbsolute(s), 'expected an absolute path')),
  session_id: id,
  turn_id: id,
  tool_use_id: id,
};
const AnyEvent = z.looseObject({
  ...common,
  tool_name: z.optional(nonEmpty),
  tool_input: z.optional(z.record(z.string(), z.unknown())),
});
const ToolEvent = z.looseObject({
  ...common,
  tool_name: nonEmpty,
  tool_input: z.record(z.string(), z.unknown()),
});

/**
 * Parses and validates one hook stdin. Every problem is a GuardError with a one-line message
 * naming the problem (and the field), so the hook can block with it.
 */
export function parsePayload(
  text: string,
  env: Record<string, string | undefined>,
  opts: { maxBytes?: number; agent?: Agent } = {},
): Payload {
  const max = opts.maxBytes ?? DEFAULT_MAX_INPUT_BYTES;
  // Bytes, not UTF-16 units: the limit is about what the host wrote on the pipe.
  if (Buffer.byteLength(text, 'utf8') > max) throw rejectPayload(`hook payload exceeds ${max} bytes`, windowIdentity(text, true));
  if (text.trim() === '') throw rejectPayload('hook payload is empty', {});

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw rejectPayload(`hook payload is not valid JSON: ${jsonProblem(e)}`, windowIdentity(text, false));
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
    throw rejectPayload(`hook payload must be a JSON object, got ${got}`, {});
  }
  const raw = value as Record<string, unknown>;

  const schema = TOOL_EVENTS.has(raw.hook_event_name as string) ? ToolEvent : AnyEvent;
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.map(String).join('.') || '(root)';
    throw rejectPayload(`invalid hook payload: field ${field}: ${describeIssue(issue, raw)}`, identityOf(raw));
  }
  const d = result.data;
  const payload: Payload = {
    agent: opts.agent ?? detectAgent(raw, env),
    event: d.hook_event_name,
    cwd: d.cwd,
    raw,
  };
  if (typeof d.session_id === 'string') payload.session_id = d.session_id;
  if (typeof d.turn_id === 'string') payload.turn_id = d.turn_id;
  if (typeof d.tool_use_id === 'string') payload.tool_use_id = d.tool_use_id;
  if (d.tool_name !== undefined) payload.tool_name = d.tool_name;
  if (d.tool_input !== undefined) payload.tool_input = raw.tool_input as Record<string, unknown>;
  if ('tool_response' in raw) payload.tool_response = raw.tool_response;
  return payload;
}

/**
 * What can still be said about the caller of a rejected hook input: from the error parsePayload
 * threw (its `identity`), or from what the stdin reader kept of an oversized input (its `input`:
 * first and last bytes; see lib/stdin.ts). Duck-typed: the reader runs in another bundle.
 */
export function rejectedIdentity(err: unknown): Identity {
  if (err === null || typeof err !== 'object') return {};
  const { identity, input } = err as { identity?: unknown; input?: { head?: unknown; tail?: unknown } };
  if (identity !== null && typeof identity === 'object') return identityOf(identity);
  if (input && typeof input.head === 'string') {
    // `tail` is there only when the input was read to its end (lib/stdin.ts).
    return scanIdentity(input.head.slice(0, TAIL_CHARS), typeof input.tail === 'string' ? input.tail.slice(-TAIL_CHARS) : '');
  }
  return {};
}

/**
 * The stand-in for a rejected payload (undefined when nothing identifying was read): carries its
 * identity to the record, is marked `rejected`, and is never evaluated.
 */
export function rejectedPayload(identity: Identity, agent: Agent, event = 'unknown'): Payload | undefined {
  if (Object.keys(identity).length === 0) return undefined;
  const raw: Record<string | symbol, unknown> = { ...identity, [REJECTED]: true };
  const p: Payload = { agent, event: identity.hook_event_name ?? event, cwd: identity.cwd ?? '', raw: raw as Record<string, unknown>, rejected: true };
  if (identity.session_id !== undefined) p.session_id = identity.session_id;
  if (identity.turn_id !== undefined) p.turn_id = identity.turn_id;
  if (identity.tool_use_id !== undefined) p.tool_use_id = identity.tool_use_id;
  if (identity.tool_name !== undefined) p.tool_name = identity.tool_name;
  return p;
}

/** The stand-in of a payload that parsed but is refused as a whole (over the configured size limit). */
export function standInFor(p: Payload): Payload | undefined {
  return rejectedPayload(identityOf(p.raw), p.agent, p.event);
}

type Issue = { code: string; path: PropertyKey[]; message: string; expected?: string; origin?: string };

function describeIssue(issue: Issue | undefined, raw: Record<string, unknown>): string {
  if (!issue) return 'invalid';
  const top = issue.path[0];
  if (issue.path.length === 1 && typeof top === 'string' && raw[top] === undefined) return 'missing';
  if (issue.code === 'invalid_type') return `expected ${issue.expected === 'record' ? 'object' : issue.expected}`;
  if (issue.code === 'too_small' && issue.origin === 'string') return 'expected a non-empty string';
  return issue.message;
}

/**
 * V8's JSON errors quote a snippet of the input; the input may hold secrets and this message
 * reaches the model and the audit log, so keep only the kind of error and its position.
 */
function jsonProblem(e: unknown): string {
  const msg = messageOf(e);
  const cut = msg.replace(/,? *(\.\.\.)?"[^]*$/, '').replace(/\s+/g, ' ').trim();
  return (cut || 'syntax error').slice(0, 120);
}

function isSet(v: string | undefined): boolean {
  return v !== undefined && v !== '';
}

/**
 * Which host wrote the payload. Order, most trustworthy first:
 *  1. `turn_id`: written by Codex itself on every tool event, never by Claude Code. It comes
 *     before the environment because environment variables are inherited: Codex started from
 *     Claude Code's Bash tool still sees CLAUDECODE=1, and answering Codex the Claude way
 *     (`ask`) would let the tool run.
 *  2. Claude Code's environment (CLAUDE_PROJECT_DIR, CLAUDECODE, CLAUDE_CODE_SESSION_ID).
 *  3. Other payload keys: `toolu_` ids are Claude's; `model` and `call_`/`exec-` ids are Codex's.
 *  4. Default codex: wrongly treating Claude as Codex only turns an `ask` into a block, while
 *     wrongly treating Codex as Claude sends an `ask` that Codex rejects and then runs the tool.
 * (parsePayload's `opts.agent`, the `--agent` override, comes before all of these.)
 */
export function detectAgent(raw: Record<string, unknown>, env: Record<string, string | undefined>): Agent {
  if (typeof raw.turn_id === 'string') return 'codex';
  if (isSet(env.CLAUDE_PROJECT_DIR) || isSet(env.CLAUDECODE) || isSet(env.CLAUDE_CODE_SESSION_ID)) return 'claude';
  const useId = typeof raw.tool_use_id === 'string' ? raw.tool_use_id : '';
  if (useId.startsWith('toolu_')) return 'claude';
  if ('model' in raw || useId.startsWith('call_') || useId.startsWith('exec-')) return 'codex';
  return 'codex';
}
