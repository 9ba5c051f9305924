// Reading the team store (ClickHouse): records for `tail`, counts for `stats`, chain links for
// `verify`. Every read uses FINAL, so a batch the forwarder sent twice counts once. The filters
// are the local ones (cli/support/audit-query.ts), pushed into SQL, and the records that come back
// are checked with the same `recordMatches` as local records.
import { ClickHouseClient } from '../../sinks/clickhouse-client.js';
import { sqlString } from '../../sinks/clickhouse-table.js';
import { parseRecordLine, recordMatches, type AuditEntry, type AuditFilter } from '../support/audit-query.js';
import type { StatsBy, StatsGroup, StatsResult } from '../support/stats.js';
import type { StoreSource } from './source.js';

export function openStore(src: StoreSource): ClickHouseClient {
  return new ClickHouseClient({ url: src.url, user: src.user, password: src.password, timeoutMs: src.timeoutMs });
}

export const tableOf = (src: StoreSource): string => `${src.database}.${src.table}`;

/** The filter as SQL conditions on the table's columns. */
export function whereOf(f: AuditFilter): string {
  const c: string[] = [];
  const eq = (col: string, v: string | undefined): void => {
    if (v !== undefined) c.push(`\`${col}\` = ${sqlString(v)}`);
  };
  eq('session', f.session);
  eq('decision', f.decision);
  eq('event', f.event);
  eq('user', f.user);
  eq('host', f.host);
  eq('project', f.project);
  if (f.tool !== undefined) {
    if (f.tool.endsWith('*')) {
      const p = f.tool.slice(0, -1);
      // substring, not startsWith: ClickHouse 18.16 has no startsWith.
      c.push(`tool != '' AND substring(tool, 1, ${Buffer.byteLength(p)}) = ${sqlString(p)}`);
    } else eq('tool', f.tool);
  }
  if (f.since !== undefined) c.push(`ts_ms >= ${Math.max(0, Math.floor(f.since))}`);
  return c.length > 0 ? ` WHERE ${c.join(' AND ')}` : '';
}

/** Matching records, oldest first; with `limit`, the newest `limit` of them. */
export async function readStoreEntries(src: StoreSource, filter: AuditFilter, limit?: number): Promise<{ entries: AuditEntry[]; skipped: number }> {
  const db = openStore(src);
  try {
    const order = limit !== undefined ? `ORDER BY ts_ms DESC, id DESC LIMIT ${Math.floor(limit)}` : 'ORDER BY ts_ms, id';
    const rows = await db.rows<{ record: string }>(`SELECT record FROM ${tableOf(src)} FINAL${whereOf(filter)} ${order}`);
    if (limit !== undefined) rows.reverse();
    const entries: AuditEntry[] = [];
    let skipped = 0;
    for (const r of rows) {
      const rec = parseRecordLine(r.record);
      if (!rec) skipped++;
      else if (recordMatches(rec, filter)) entries.push({ rec, line: r.record });
    }
    return { entries, skipped };
  } finally {
    await db.close();
  }
}

const COLUMN: Record<StatsBy, string> = {
  decision: 'decision', rule: 'rule', tool: 'tool', session: 'session', event: 'event', agent: 'agent', user: '`user`', host: 'host', project: 'project',
};

/** `stats` over the store, counted by the server; same shape and order as the local counts. */
export async function storeStats(src: StoreSource, by: StatsBy, filter: AuditFilter): Promise<StatsResult> {
  const db = openStore(src);
  try {
    const col = COLUMN[by];
    const rows = await db.rows<{ key: string; n: string; deny: string; allow: string; ask: string }>(
      `SELECT ${col} AS key, count() AS n, countIf(decision = 'deny') AS deny, countIf(decision = 'allow') AS allow, countIf(decision = 'ask') AS ask `
      + `FROM ${tableOf(src)} FINAL${whereOf(filter)} GROUP BY key`,
    );
    const groups: StatsGroup[] = rows.map((r) => ({ key: r.key === '' ? null : r.key, count: Number(r.n), deny: Number(r.deny), allow: Number(r.allow), ask: Number(r.ask) }));
    groups.sort((a, b) => b.count - a.count || (a.key === null ? 1 : b.key === null ? -1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    return { by, total: groups.reduce((n, g) => n + g.count, 0), groups };
  } finally {
    await db.close();
  }
}

/** One record's place in its writer's chain, as the store holds it. */
export interface StoredLink {
  id: string;
  host: string;
  user: string;
  prev: string;
  hash: string;
  ts_ms: number;
  record?: string;
}

/** The chain links of one writer (or of every writer), with the record text when asked. */
export async function storeLinks(src: StoreSource, who?: { host: string; user: string }, withRecord = false): Promise<StoredLink[]> {
  const db = openStore(src);
  try {
    const where = who ? whereOf({ host: who.host, user: who.user }) : '';
    const rows = await db.rows<Omit<StoredLink, 'ts_ms'> & { ts_ms: string }>(
      `SELECT id, host, \`user\`, prev, hash, ts_ms${withRecord ? ', record' : ''} FROM ${tableOf(src)} FINAL${where} ORDER BY host, \`user\`, ts_ms, id`,
    );
    return rows.map((r) => ({ ...r, ts_ms: Number(r.ts_ms) }));
  } finally {
    await db.close();
  }
}
