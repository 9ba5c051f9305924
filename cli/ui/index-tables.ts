// The web console index's tables (cli/ui/index-db.ts fills them incrementally from the audit
// files): what they hold, and how rows go in (DuckDB appenders, in chunks; the per-session summary
// folded in as rows are appended, so the sessions view never groups a million records).
import { DuckDBDataChunk, type DuckDBAppender, type DuckDBConnection, type DuckDBType, type DuckDBValue, DOUBLE, INTEGER, VARCHAR } from '@duckdb/node-api';
import { ROW_COLUMNS, type Row } from './rows.js';

const CHUNK_ROWS = 2048;
const TYPE: Record<string, DuckDBType> = { INTEGER, DOUBLE, VARCHAR };
const SESSION_COLUMNS = [
  ['session', 'VARCHAR'], ['agent', 'VARCHAR'], ['project', 'VARCHAR'], ['first', 'DOUBLE'], ['last', 'DOUBLE'], ['calls', 'INTEGER'],
  ['blocks', 'INTEGER'], ['asks', 'INTEGER'], ['errors', 'INTEGER'], ['escalations', 'INTEGER'], ['records', 'INTEGER'], ['mode', 'VARCHAR'],
] as const;

/** Drops every table of the index and creates it empty (the meta table, with the version, stays). */
export async function recreateTables(conn: DuckDBConnection): Promise<void> {
  for (const t of ['records', 'files', 'chains', 'problems', 'sessions', 'terms', 'postings']) await conn.run(`DROP TABLE IF EXISTS ${t}`);
  await conn.run(`CREATE TABLE records (${ROW_COLUMNS.map(([n, ty]) => `${n} ${ty}`).join(', ')})`);
  await conn.run('CREATE TABLE files (file_id INTEGER, chain INTEGER, path VARCHAR, dev DOUBLE, ino DOUBLE, off DOUBLE, line INTEGER, records INTEGER)');
  await conn.run('CREATE TABLE chains (chain INTEGER, key VARCHAR, state VARCHAR)');
  await conn.run('CREATE TABLE problems (file_id INTEGER, line INTEGER, problem VARCHAR)');
  // One row per session, kept up to date on every append: the sessions view reads it instead of
  // grouping a million records. `mode` is the last permission_mode stated (for mode changes).
  await conn.run(`CREATE TABLE sessions (${SESSION_COLUMNS.map(([n, ty]) => `${n} ${ty}`).join(', ')}, PRIMARY KEY (session))`);
  // Text search: every distinct word once (terms), and which sessions use it (postings). A
  // search scans the short list of words, not the text of a million records.
  await conn.run('CREATE TABLE terms (id INTEGER, term VARCHAR)');
  await conn.run('CREATE TABLE postings (session VARCHAR, term INTEGER)');
}

/** Index rows (rows.ts) appended to `records`. */
export async function appendRows(conn: DuckDBConnection, rows: Row[]): Promise<void> {
  if (rows.length === 0) return;
  appendChunked(await conn.createAppender('records'), ROW_COLUMNS.map(([, t]) => TYPE[t] as DuckDBType), rows);
}

/** `rows` (one value per column, in column order) appended in chunks of CHUNK_ROWS; the appender is closed. */
function appendChunked(appender: DuckDBAppender, types: DuckDBType[], rows: readonly (readonly unknown[])[]): void {
  for (let start = 0; start < rows.length; start += CHUNK_ROWS) {
    const part = rows.slice(start, start + CHUNK_ROWS);
    const chunk = DuckDBDataChunk.create(types, part.length);
    chunk.setColumns(types.map((_, col) => part.map((r) => (r[col] ?? null) as DuckDBValue)));
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
}

/** Folds appended rows into the sessions table (counts added, first/last widened). */
export async function foldIntoSessions(conn: DuckDBConnection, rows: Row[]): Promise<void> {
  const col = Object.fromEntries(ROW_COLUMNS.map(([n], i) => [n, i])) as Record<(typeof ROW_COLUMNS)[number][0], number>;
  const agg = new Map<string, Row>();
  for (const r of rows) {
    const session = r[col.session];
    if (typeof session !== 'string') continue;
    let a = agg.get(session);
    const t = r[col.t] as number | null;
    if (!a) agg.set(session, (a = [session, r[col.agent] ?? null, r[col.project] ?? null, t, t, 0, 0, 0, 0, 0, 0, null]));
    a[1] ??= r[col.agent] ?? null;
    a[2] ??= r[col.project] ?? null;
    if (t !== null) {
      a[3] = a[3] === null ? t : Math.min(a[3] as number, t);
      a[4] = a[4] === null ? t : Math.max(a[4] as number, t);
    }
    const inc = (i: number, yes: boolean): void => { if (yes) a[i] = (a[i] as number) + 1; };
    inc(5, r[col.event] === 'PreToolUse');
    inc(6, r[col.decision] === 'deny');
    inc(7, r[col.decision] === 'ask');
    inc(8, r[col.error] !== null);
    inc(9, r[col.escalation] !== null);
    inc(10, true);
    inc(9, r[col.from_mode] !== null);
    const mode = r[col.mode];
    if (typeof mode === 'string') a[11] = mode;
  }
  if (agg.size === 0) return;
  await conn.run('CREATE TEMP TABLE IF NOT EXISTS session_batch AS SELECT * FROM sessions LIMIT 0');
  appendChunked(await conn.createAppender('session_batch', 'main', 'temp'), SESSION_COLUMNS.map(([, t]) => TYPE[t] as DuckDBType), [...agg.values()]);
  const sum = ['calls', 'blocks', 'asks', 'errors', 'escalations', 'records'].map((c) => `${c} = sessions.${c} + excluded.${c}`).join(', ');
  await conn.run(`INSERT INTO sessions SELECT * FROM temp.session_batch ON CONFLICT (session) DO UPDATE SET
    agent = coalesce(sessions.agent, excluded.agent), project = coalesce(sessions.project, excluded.project),
    first = least(coalesce(sessions.first, excluded.first), coalesce(excluded.first, sessions.first)),
    last = greatest(coalesce(sessions.last, excluded.last), coalesce(excluded.last, sessions.last)),
    mode = coalesce(excluded.mode, sessions.mode), ${sum}`);
  await conn.run('DELETE FROM temp.session_batch');
}

/** Two-column rows (terms, postings) appended in chunks. */
export async function appendPairs(conn: DuckDBConnection, table: string, pairs: [string | number, string | number][], types: DuckDBType[]): Promise<void> {
  if (pairs.length === 0) return;
  const appender = await conn.createAppender(table);
  for (let start = 0; start < pairs.length; start += CHUNK_ROWS) {
    const part = pairs.slice(start, start + CHUNK_ROWS);
    const chunk = DuckDBDataChunk.create(types, part.length);
    chunk.setColumns([part.map((p) => p[0]), part.map((p) => p[1])]);
    appender.appendDataChunk(chunk);
  }
  appender.closeSync();
}

/** Chain problems found on the way in. */
export async function appendProblems(conn: DuckDBConnection, problems: { file_id: number; line: number; problem: string }[]): Promise<void> {
  const appender = await conn.createAppender('problems');
  for (const p of problems) {
    appender.appendInteger(p.file_id);
    appender.appendInteger(p.line);
    appender.appendVarchar(p.problem);
    appender.endRow();
  }
  appender.closeSync();
}
