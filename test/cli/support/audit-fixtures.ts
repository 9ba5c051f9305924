// Real-shaped audit records (built by lib/record.ts) appended through the real file sink (chain,
// lock, rotation), for the tail/stats tests.
import { buildRecord } from '../../../lib/record.js';
import { compileRedactor } from '../../../lib/redact.js';
import type { Agent, AuditRecord, Decision, Op } from '../../../lib/types.js';
import { appendRecord, appendRecordLocked, ensureAuditDir } from '../../../sinks/file.js';

export interface Spec {
  at: Date;
  event?: string;
  tool?: string;
  decision?: Decision;
  rule?: string;
  session?: string;
  agent?: Agent;
  path?: string;
  op?: Op;
  reason?: string;
}

const redact = compileRedactor([]);

export function makeRecord(s: Spec): AuditRecord {
  const event = s.event ?? 'PreToolUse';
  const tool = s.tool ?? (event.endsWith('ToolUse') ? 'Bash' : undefined);
  const target = s.path ?? '/p/src/a.ts';
  const verdict = s.decision === undefined ? undefined : {
    decision: s.decision,
    ...(s.rule ? { rule: s.rule, layer: `builtin:${s.rule}` } : {}),
    ...(s.reason ? { reason: s.reason } : {}),
    targets: [{ op: s.op ?? 'write', path: target, via: 'redirect >' }],
    unresolved: false,
  };
  return buildRecord({
    agent: s.agent ?? 'codex',
    event,
    payload: {
      session_id: s.session ?? 'sess-1', cwd: '/p', hook_event_name: event,
      ...(tool ? { tool_name: tool, tool_input: { command: `echo hi > ${target}` }, tool_use_id: `call_${s.at.getTime()}` } : {}),
    },
    ...(verdict ? { verdict } : {}),
    version: '0.1.0',
    now: s.at,
  }, { maxInputBytes: 8192, maxResponseBytes: 8192 }, redact);
}

export const SINK = { fsync: 'never' as const, rotateBytes: 10 * 1024 * 1024 };

/** Appends the records through the locked, chained file sink; returns them as stored. */
export async function writeAudit(file: string, specs: Spec[], rotateBytes = SINK.rotateBytes): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  for (const s of specs) out.push(await appendRecord(file, makeRecord(s), { ...SINK, rotateBytes }));
  return out;
}

/** The same, synchronously (no lock wait): a burst that can rotate several times between two polls. */
export function writeAuditSync(file: string, specs: Spec[], rotateBytes = SINK.rotateBytes): AuditRecord[] {
  ensureAuditDir(file);
  return specs.map((s) => appendRecordLocked(file, makeRecord(s), { ...SINK, rotateBytes }));
}

/** `n` records a minute apart from `start`, cycling through decisions and tools. */
export function series(n: number, start: Date, over: Partial<Spec> = {}): Spec[] {
  const decisions: Decision[] = ['allow', 'deny', 'allow', 'ask'];
  const tools = ['Bash', 'apply_patch', 'Write'];
  return Array.from({ length: n }, (_, i) => ({
    at: new Date(start.getTime() + i * 60_000),
    decision: decisions[i % 4] as Decision,
    tool: tools[i % 3] as string,
    ...(decisions[i % 4] !== 'allow' ? { rule: 'secrets', reason: `blocked write to .env (rule secrets) #${i}` } : {}),
    path: `/p/f${i}`,
    ...over,
  }));
}
