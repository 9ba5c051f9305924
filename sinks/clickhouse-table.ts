// The team store's table in ClickHouse: its DDL (ClickHouse 18.16 and later: MergeTree family,
// DateTime, String; no DateTime64, no JSON type) and the row each audit record becomes. Pure: the
// forwarder and `hookwarden team` share it.
import type { AuditRecord } from '../lib/types.js';

/** Names ClickHouse takes unquoted and we interpolate: checked before any SQL is built. */
export const IDENT = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export function checkIdent(what: string, name: string): string {
  if (!IDENT.test(name)) throw new Error(`${what} ${JSON.stringify(name.slice(0, 80))} is not a plain name (letters, digits, _)`);
  return name;
}

/** A ClickHouse string literal: backslash and quote escaped (ClickHouse reads C-style escapes). */
export function sqlString(s: string): string {
  return `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * The columns queries filter on, then the whole record as its JSON line (exactly the line of the
 * spool, so `tail --json` prints what the local file holds and the hash can be checked again).
 * `ts_ms` keeps millisecond order (DateTime has seconds only in 18.16).
 */
export const COLUMNS = [
  ['time', 'DateTime'], ['ts_ms', 'UInt64'], ['id', 'String'], ['host', 'String'], ['user', 'String'],
  ['agent', 'String'], ['session', 'String'], ['event', 'String'], ['tool', 'String'], ['decision', 'String'],
  ['rule', 'String'], ['project', 'String'], ['prev', 'String'], ['hash', 'String'], ['record', 'String'],
] as const;

/**
 * Idempotent on `id`: ReplacingMergeTree keeps one row per sorting key, and (host, user, id) is one
 * key per id (a record's host and user are part of it). Until a merge runs, duplicates of a re-sent
 * batch can coexist: every query reads with FINAL. Partitions by month of the record's own time,
 * so copies of one record always land in the same partition (merges never cross partitions).
 */
export function createTableSql(db: string, table: string): string {
  const cols = COLUMNS.map(([n, t]) => `\`${n}\` ${t}`).join(', ');
  return `CREATE TABLE IF NOT EXISTS ${checkIdent('database', db)}.${checkIdent('table', table)} (${cols}, \`received\` DateTime DEFAULT now()) `
    + 'ENGINE = ReplacingMergeTree() PARTITION BY toYYYYMM(time) ORDER BY (host, `user`, id)';
}

export function insertSql(db: string, table: string): string {
  return `INSERT INTO ${checkIdent('database', db)}.${checkIdent('table', table)} (${COLUMNS.map(([n]) => `\`${n}\``).join(', ')}) FORMAT JSONEachRow`;
}

const s = (v: unknown): string => (typeof v === 'string' ? v : '');

/** The JSONEachRow line of one record; `line` is its JSON text as spooled. */
export function clickhouseRow(rec: AuditRecord, line: string): string {
  const ms = typeof rec.time === 'number' && Number.isFinite(rec.time) ? rec.time : Date.parse(rec.ts);
  const t = Number.isFinite(ms) && ms > 0 ? Math.floor(ms) : 0;
  return JSON.stringify({
    time: Math.floor(t / 1000),
    ts_ms: t,
    id: s(rec.id),
    host: s(rec.host),
    user: s(rec.user),
    agent: s(rec.agent),
    session: s(rec.session_id),
    event: s(rec.event),
    tool: s(rec.tool),
    decision: s(rec.decision),
    rule: s(rec.rule),
    project: s(rec.project),
    prev: s(rec.prev),
    hash: s(rec.hash),
    record: line,
  });
}
