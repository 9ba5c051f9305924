// The audit record (schema v1) in zod/mini: the source of schema/record.schema.json
// (scripts/write-record-schema.ts) and a check that built records match the AuditRecord type.
// Not loaded by the hooks.
import { ERROR_CODES, type ErrorCode } from './errors.js';
import { z } from 'zod/mini';
import type { AuditRecord } from './types.js';

const text = (description: string) => z.string().check(z.describe(description));
const opt = <T extends z.core.SomeType>(s: T) => z.optional(s);
const hex64 = (description: string) => z.string().check(z.regex(/^[0-9a-f]{64}$/), z.describe(description));

export const AuditTargetSchema = z.object({
  op: z.enum(['write', 'delete', 'move-from', 'move-to', 'read']),
  path: z.string(),
  unresolved: opt(z.boolean()),
});

export const AuditRecordSchema = z
  .object({
    v: z.literal(1).check(z.describe('Schema version.')),
    id: text('Unique and time-sortable: a UUIDv7 (RFC 9562).'),
    ts: z.iso.datetime({ precision: 3 }).check(z.describe('RFC 3339 UTC timestamp, milliseconds.')),
    time: opt(z.number().check(z.int(), z.describe('Same instant as ts, epoch ms (for pino-pretty).'))),
    level: opt(z.number().check(z.int(), z.describe('30 info, 40 deny, 50 error (pino levels).'))),
    msg: opt(text('One-line summary (for pino-pretty).')),
    agent: z.enum(['codex', 'claude']),
    event: text('The payload hook_event_name verbatim (PreToolUse, PostToolUse, ...).'),
    session_id: opt(text('Copied verbatim from the payload (identity fields longer than 4096 characters are cut and end in …), also when the payload as a whole was rejected.')),
    turn_id: opt(text('Copied verbatim from the payload (Codex).')),
    tool_use_id: opt(text('Copied verbatim from the payload: shared by the Pre and Post records of one call.')),
    tool: opt(text('The payload tool_name.')),
    cwd: opt(text('The payload cwd.')),
    transcript_path: opt(text('The payload transcript_path: the host\'s transcript of the session.')),
    agent_id: opt(text('The payload agent_id: set when a subagent made the call.')),
    agent_type: opt(text('The payload agent_type (subagent).')),
    project: opt(text('Project root the config was loaded for.')),
    targets: opt(z.array(AuditTargetSchema).check(z.describe('Paths the call writes, deletes or moves.'))),
    decision: opt(z.enum(['allow', 'deny', 'ask'])),
    rule: opt(text('Id of the deciding rule.')),
    layer: opt(text('Config layer of the deciding rule.')),
    reason: opt(text('Why (redacted).')),
    unresolved: opt(z.boolean().check(z.describe('Some target could not be resolved statically.'))),
    command: opt(z.object({
      argv: z.array(z.string()),
      preset: opt(z.string()),
      container: opt(z.boolean()),
    }).check(z.describe('The command a command rule decided on, its arguments redacted, and the rule\'s preset.'))),
    grant: opt(z.object({ id: z.string(), by: z.string() }).check(z.describe('The one-time grant (hookwarden allow --once) that let the call through, and who gave it.'))),
    input: opt(z.unknown().check(z.describe('Redacted, truncated tool input (or the event fields); carried file contents as {bytes, sha256}.'))),
    response: opt(z.unknown().check(z.describe('PostToolUse: {bytes, sha256, text?, stderr?, exit?, fields?, truncated?} of the tool response, redacted.'))),
    error: opt(text('What went wrong in the hook (redacted).')),
    error_code: opt(z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]).check(z.describe('The code of `error` in the error catalogue (lib/errors.ts).'))),
    host: z.string(),
    user: z.string(),
    pid: z.number().check(z.int()),
    version: text('hookwarden version.'),
    prev: opt(z.nullable(hex64('SHA-256 of the previous record in the same file; null for the first.'))),
    hash: opt(hex64('SHA-256 over the canonical JSON (keys sorted, no whitespace) of this record without hash.')),
  })
  .check(z.describe('One hookwarden audit record (one JSON line).'));

// Fails to compile when the schema and the AuditRecord type drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _inSync: Same<Required<z.infer<typeof AuditRecordSchema>>, Required<AuditRecord>> = true;
void _inSync;

export function recordJsonSchema(): Record<string, unknown> {
  return {
    title: 'hookwarden audit record v1',
    ...z.toJSONSchema(AuditRecordSchema, { target: 'draft-2020-12', io: 'output' }),
  };
}
