// What the web console's index keeps of one audit record: the columns its views filter, group and
// sort by, and where the line is (file, byte offset, length) so a timeline reads the record itself
// back from the file. The files stay the source of truth; the index never holds the full input.
import type { AuditRecord } from '../../lib/types.js';

export const ROW_COLUMNS = [
  ['file_id', 'INTEGER'], ['line', 'INTEGER'], ['off', 'DOUBLE'], ['len', 'INTEGER'],
  ['id', 'VARCHAR'], ['t', 'DOUBLE'], ['agent', 'VARCHAR'], ['event', 'VARCHAR'], ['session', 'VARCHAR'],
  ['tool_use_id', 'VARCHAR'], ['tool', 'VARCHAR'], ['project', 'VARCHAR'], ['decision', 'VARCHAR'],
  ['rule', 'VARCHAR'], ['layer', 'VARCHAR'], ['reason', 'VARCHAR'], ['error', 'VARCHAR'], ['mode', 'VARCHAR'],
  ['escalation', 'VARCHAR'], ['targets', 'VARCHAR'],
  // The session's permission_mode before this record, when this record states another one
  // (set by the index, which knows the session's earlier records).
  ['from_mode', 'VARCHAR'],
] as const;

export type Row = (string | number | null)[];

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);
/** Text search covers the summary fields and the start of the (redacted) input. */
const SEARCH_INPUT_CHARS = 600;

function obj(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/**
 * The permission mode a record states. Only events that are not tool calls keep the payload's
 * own fields in `input` (SessionStart, UserPromptSubmit, PermissionRequest, Stop); PreToolUse and
 * PostToolUse record the tool input alone, so a mode change shows between those events.
 */
export function modeOf(rec: AuditRecord): string | null {
  return str(obj(rec.input)?.permission_mode);
}

/**
 * Why a record is an escalation: the agent asked the user for a permission (PermissionRequest), or
 * a Codex call asked to run outside its sandbox (`sandbox_permissions: "require_escalated"`, or the
 * older `with_escalated_permissions: true`), in the tool input or in a PermissionRequest's
 * tool_input. Mode changes are found across records (queries.ts).
 */
export function escalationOf(rec: AuditRecord): string | null {
  if (rec.event === 'PermissionRequest') return 'permission-request';
  const input = obj(rec.input);
  for (const o of [input, obj(input?.tool_input)]) {
    if (!o) continue;
    const sp = o.sandbox_permissions;
    if ((typeof sp === 'string' && /escalat/i.test(sp)) || o.with_escalated_permissions === true) return 'sandbox-escalation';
  }
  return null;
}

const targetsOf = (rec: AuditRecord): string | null =>
  (Array.isArray(rec.targets) ? rec.targets.map((t) => (obj(t) && typeof t.path === 'string' ? t.path : '')).join('\n') : null);

/** Splits text into the words text search finds: paths and ids stay whole, punctuation of code separates. */
export function termsOf(text: string): string[] {
  return text.toLowerCase().split(/[\s"'`,;()=<>|&{}[\]]+/).filter((w) => w.length >= 2 && w.length <= 256);
}

/** The words of a record that text search looks in: summary fields and the start of the (redacted) input. */
export function searchTerms(rec: AuditRecord): string[] {
  let input = '';
  if (rec.input !== undefined) {
    try {
      input = JSON.stringify(rec.input).slice(0, SEARCH_INPUT_CHARS);
    } catch {
      input = '';
    }
  }
  return termsOf([rec.session_id, rec.tool, rec.rule, rec.reason, rec.error, rec.cwd, rec.project, targetsOf(rec), input]
    .filter((s) => typeof s === 'string' && s !== '').join('\n'));
}

export function rowOf(rec: AuditRecord, fileId: number, line: number, off: number, len: number): Row {
  const targets = targetsOf(rec);
  const t = Date.parse(rec.ts);
  return [
    fileId, line, off, len, str(rec.id), Number.isFinite(t) ? t : null, str(rec.agent), str(rec.event), str(rec.session_id),
    str(rec.tool_use_id), str(rec.tool), str(rec.project) ?? str(rec.cwd), str(rec.decision), str(rec.rule), str(rec.layer),
    str(rec.reason), str(rec.error), modeOf(rec), escalationOf(rec), targets, null,
  ];
}
