// The console's questions to the index: sessions (filtered), a session's records, escalations,
// integrity, charts, and the values the filters offer. Every value goes in as a parameter.
import fs from 'node:fs';
import path from 'node:path';
import type { DuckDBValue } from '@duckdb/node-api';
import type { TrailIndex } from './index-db.js';
import { openRegular } from './lines.js';
import { termsOf } from './rows.js';

export interface SessionFilter {
  agent?: string;
  project?: string;
  decision?: string;
  rule?: string;
  /** Exact, or a prefix ending in `*` (mcp__fs__*), as `tail --tool`. */
  tool?: string;
  /** Epoch ms, inclusive. */
  from?: number;
  to?: number;
  /**
   * Words found in the session: its id, project, tools, rules, reasons, targets, the start of
   * inputs. Each word of the query must be part of a word of the session.
   */
  q?: string;
}

const FILTER_KEYS = ['agent', 'project', 'decision', 'rule', 'tool', 'from', 'to', 'q'] as const;

/** The filter of a query string; unknown keys and empty values are ignored. */
export function sessionFilterOf(params: URLSearchParams): SessionFilter {
  const f: SessionFilter = {};
  for (const k of FILTER_KEYS) {
    const v = params.get(k);
    if (v === null || v === '') continue;
    if (k === 'from' || k === 'to') {
      const n = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
      if (Number.isFinite(n)) f[k] = n;
    } else f[k] = v.slice(0, 500);
  }
  return f;
}

function conditions(f: SessionFilter, withText = true): { where: string; params: DuckDBValue[] } {
  const c: string[] = ['true'];
  const p: DuckDBValue[] = [];
  if (withText) {
    const t = textCondition(f);
    c.push(t.where);
    p.push(...t.params);
  }
  if (f.agent) (c.push('agent = ?'), p.push(f.agent));
  if (f.project) (c.push('contains(project, ?)'), p.push(f.project));
  if (f.decision) (c.push('decision = ?'), p.push(f.decision));
  if (f.rule) (c.push('rule = ?'), p.push(f.rule));
  if (f.tool) {
    if (f.tool.endsWith('*')) (c.push('starts_with(tool, ?)'), p.push(f.tool.slice(0, -1)));
    else (c.push('tool = ?'), p.push(f.tool));
  }
  if (f.from !== undefined) (c.push('t >= ?'), p.push(f.from));
  if (f.to !== undefined) (c.push('t <= ?'), p.push(f.to));
  return { where: c.join(' AND '), params: p };
}

/** Text: sessions using every word given (each a part of some word of the session). */
function textCondition(f: SessionFilter): { where: string; params: DuckDBValue[] } {
  const words = termsOf(f.q ?? '').slice(0, 8);
  return {
    where: ['true', ...words.map(() => 'session IN (SELECT session FROM postings WHERE term IN (SELECT id FROM terms WHERE contains(term, ?)))')].join(' AND '),
    params: words,
  };
}

const recordFilters = (f: SessionFilter): boolean => Object.keys(f).length > 0;

async function rows(idx: TrailIndex, sql: string, params: DuckDBValue[] = []): Promise<Record<string, unknown>[]> {
  return (await idx.conn.runAndReadAll(sql, params)).getRowObjectsJson() as Record<string, unknown>[];
}

/**
 * One row per session, newest first (the sessions table the index keeps). With filters: the
 * sessions having at least one record that matches them all, with the counts of the whole session.
 */
export async function sessions(idx: TrailIndex, f: SessionFilter, limit = 500): Promise<Record<string, unknown>[]> {
  const text = textCondition(f);
  const { q: _q, ...rest } = f;
  const { where, params } = conditions(rest, false);
  const cols = 'session, agent, project, first, last, calls, blocks, asks, errors, escalations, records';
  const sql = recordFilters(rest)
    ? `SELECT ${cols} FROM sessions WHERE ${text.where} AND session IN (SELECT DISTINCT session FROM records WHERE ${where} AND session IS NOT NULL) ORDER BY last DESC LIMIT ${limit}`
    : `SELECT ${cols} FROM sessions WHERE ${text.where} ORDER BY last DESC LIMIT ${limit}`;
  return rows(idx, sql, [...text.params, ...params]);
}

/** The records of one session in order, read back from the audit files (the index has only their place). */
export async function sessionRecords(idx: TrailIndex, session: string, limit = 5000): Promise<{ records: unknown[]; missing: number }> {
  const places = await rows(idx, `SELECT file_id, line, off, len, id FROM records WHERE session = ? ORDER BY t, file_id, line LIMIT ${limit}`, [session]);
  const records: unknown[] = [];
  let missing = 0;
  const open = new Map<number, number | null>();
  try {
    for (const p of places) {
      const fid = Number(p.file_id);
      if (!open.has(fid)) {
        const file = idx.pathOf(fid);
        const o = file ? openRegular(file) : { error: 'gone' };
        open.set(fid, 'fd' in o ? o.fd : null);
      }
      const fd = open.get(fid);
      const rec = fd == null ? undefined : readAt(fd, Number(p.off), Number(p.len));
      // The file changed under the index (rewritten, rotated away): say so rather than show another record.
      if (!rec || (rec as { id?: unknown }).id !== p.id) missing++;
      else records.push({ ...(rec as object), _file: idx.pathOf(fid), _line: Number(p.line) });
    }
  } finally {
    for (const fd of open.values()) if (fd != null) fs.closeSync(fd);
  }
  return { records, missing };
}

function readAt(fd: number, off: number, len: number): unknown {
  const buf = Buffer.alloc(len);
  if (fs.readSync(fd, buf, 0, len, off) !== len) return undefined;
  try {
    return JSON.parse(buf.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Every PermissionRequest, every Codex call asking for escalated sandbox permissions, and every
 * change of permission_mode within a session (from the previous record that stated a mode).
 */
export async function escalations(idx: TrailIndex, limit = 1000): Promise<Record<string, unknown>[]> {
  const cols = 'file_id, line, t, session, agent, project, event, tool, decision, rule, reason, targets';
  return rows(idx, `
    SELECT * FROM (
      SELECT ${cols}, escalation AS kind, NULL AS from_mode, mode AS to_mode FROM records WHERE escalation IS NOT NULL
      UNION ALL
      SELECT ${cols}, 'mode-change' AS kind, from_mode, mode AS to_mode FROM records WHERE from_mode IS NOT NULL
    ) ORDER BY t DESC, file_id DESC, line DESC LIMIT ${limit}`);
}

export interface FileIntegrity { file: string; records: number; problems: { line: number; problem: string }[]; more: number }

/** The verify result of every audit file: chain problems found while indexing, and what holds now. */
export async function integrity(idx: TrailIndex): Promise<{ ok: boolean; files: FileIntegrity[]; summary: string }> {
  const ids = idx.fileIds();
  const probs = await rows(idx, `SELECT file_id, line, problem, row_number() OVER (PARTITION BY file_id ORDER BY line) AS k, count(*) OVER (PARTITION BY file_id) AS total
    FROM problems QUALIFY k <= 100 ORDER BY file_id, line`);
  const files: FileIntegrity[] = [];
  const byFile = new Map<string, FileIntegrity>();
  const entry = (file: string): FileIntegrity => {
    let e = byFile.get(file);
    if (!e) byFile.set(file, (e = { file, records: 0, problems: [], more: 0 }));
    return e;
  };
  for (const chain of idx.chains) for (const f of chain) files.push(entry(f));
  for (const id of ids) {
    const e = entry(idx.pathOf(id) ?? '?');
    e.records += idx.recordsIn(id);
  }
  for (const p of probs) {
    const e = entry(idx.pathOf(Number(p.file_id)) ?? '?');
    e.problems.push({ line: Number(p.line), problem: String(p.problem) });
    e.more = Math.max(0, Number(p.total) - 100);
  }
  for (const t of idx.transient) {
    const m = /^line (\d+): (.*)$/.exec(t.problem);
    entry(t.file).problems.push(m ? { line: Number(m[1]), problem: m[2] as string } : { line: 0, problem: t.problem });
  }
  const listed = [...byFile.values()];
  const first = listed.find((f) => f.problems.length > 0);
  const total = listed.reduce((n, f) => n + f.problems.length + f.more, 0);
  const p = first?.problems[0];
  const summary = !first || !p ? 'intact' : `${p.problem} (${path.basename(first.file)}${p.line > 0 ? `:${p.line}` : ''})${total > 1 ? ` and ${total - 1} more` : ''}`;
  return { ok: total === 0, files: listed, summary };
}

const BUCKETS = [60_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000, 604_800_000];

/** Calls and blocks over time (at most ~80 buckets), and blocks by rule, tool and project. */
export async function charts(idx: TrailIndex, f: SessionFilter): Promise<Record<string, unknown>> {
  const { where, params } = conditions(f);
  const range = (await rows(idx, `SELECT min(t) AS a, max(t) AS b FROM records WHERE ${where}`, params))[0] ?? {};
  const span = Number(range.b ?? 0) - Number(range.a ?? 0);
  const bucket = BUCKETS.find((b) => span / b <= 80) ?? 2_592_000_000;
  const series = await rows(idx, `SELECT floor(t / ${bucket}) * ${bucket} AS at_ms, count(*) FILTER (WHERE event = 'PreToolUse') AS calls,
    count(*) FILTER (WHERE decision = 'deny') AS blocks FROM records WHERE ${where} AND t IS NOT NULL GROUP BY at_ms ORDER BY at_ms`, params);
  // One scan for the three breakdowns.
  const blocks = await rows(idx, `SELECT rule, tool, project, grouping(rule, tool, project) AS g, count(*) AS n FROM records
    WHERE ${where} AND decision = 'deny' GROUP BY GROUPING SETS ((rule), (tool), (project))`, params);
  const top = (col: 'rule' | 'tool' | 'project', g: number) => blocks.filter((r) => Number(r.g) === g)
    .map((r) => ({ key: r[col] === null ? '-' : String(r[col]), n: Number(r.n) }))
    .sort((a, b) => b.n - a.n || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).slice(0, 10);
  return { bucket, series, byRule: top('rule', 3), byTool: top('tool', 5), byProject: top('project', 6) };
}

/** The values the filters offer (most frequent first). */
export async function facets(idx: TrailIndex): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const col of ['agent', 'rule', 'tool', 'project']) {
    out[col] = (await rows(idx, `SELECT ${col} AS v, count(*) AS n FROM records WHERE ${col} IS NOT NULL GROUP BY v ORDER BY n DESC LIMIT 50`))
      .map((r) => String(r.v));
  }
  return out;
}
