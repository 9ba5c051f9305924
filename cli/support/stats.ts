// `hookwarden stats`: record counts over the audit files, grouped by one field.
import type { AuditRecord } from '../../lib/types.js';
import { forEachRecord, type AuditFilter } from './audit-query.js';

export const STATS_BY = ['decision', 'rule', 'tool', 'session', 'event', 'agent', 'user', 'host', 'project'] as const;
export type StatsBy = (typeof STATS_BY)[number];

export interface StatsGroup {
  /** The field's value; null for records without it (an event that decides nothing has no decision). */
  key: string | null;
  count: number;
  deny: number;
  allow: number;
  ask: number;
}

export interface StatsResult {
  by: StatsBy;
  total: number;
  groups: StatsGroup[];
}

const FIELD: Record<StatsBy, (r: AuditRecord) => unknown> = {
  decision: (r) => r.decision,
  rule: (r) => r.rule,
  tool: (r) => r.tool,
  session: (r) => r.session_id,
  event: (r) => r.event,
  agent: (r) => r.agent,
  user: (r) => r.user,
  host: (r) => r.host,
  project: (r) => r.project,
};

/** Counts records into groups; the largest group first, ties by key (null last). */
export class StatsCounter {
  private readonly groups = new Map<string | null, StatsGroup>();
  private total = 0;

  constructor(readonly by: StatsBy) {}

  add(rec: AuditRecord): void {
    const v = FIELD[this.by](rec);
    const key = typeof v === 'string' ? v : null;
    let g = this.groups.get(key);
    if (!g) this.groups.set(key, (g = { key, count: 0, deny: 0, allow: 0, ask: 0 }));
    g.count++;
    if (rec.decision === 'deny' || rec.decision === 'allow' || rec.decision === 'ask') g[rec.decision]++;
    this.total++;
  }

  result(): StatsResult {
    const groups = [...this.groups.values()].sort((a, b) => b.count - a.count
      || (a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { by: this.by, total: this.total, groups };
  }
}

export function auditStats(files: string[], by: StatsBy, filter: AuditFilter): StatsResult & { skipped: number; unreadable: string[] } {
  const counter = new StatsCounter(by);
  const res = forEachRecord(files, filter, (rec) => counter.add(rec));
  return { ...counter.result(), ...res };
}
