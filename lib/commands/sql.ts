// SQL given to a database client (-c/-e/--command/--execute, an operand, a heredoc or
// here-string, `< file`, a file option naming a file that exists), split into statements by
// dbgate-query-splitter (loaded on first use: only database client calls pay for it) and read
// for statement kinds. Comments and string literals never count: `SELECT 'drop table x'` is a select.
import fs from 'node:fs';
import path from 'node:path';
import { sourceRequire } from '../builtin.js';
import { UNRESOLVED_SEGMENT } from '../types.js';
import type { ParsedArgs } from './argv.js';
import type { SqlKind } from './schema.js';

declare const require: ((id: string) => unknown) | undefined;

/** Where each client takes SQL from. `operands`: which operands are SQL text. */
interface Client { text: string[]; files: string[]; operands: 'none' | 'all' | 'after-first'; dialect: 'postgre' | 'mysql' | 'sqlite' | 'mongo' | 'redis' }
const CLIENTS: Record<string, Client> = {
  psql: { text: ['-c', '--command'], files: ['-f', '--file'], operands: 'none', dialect: 'postgre' },
  mysql: { text: ['-e', '--execute'], files: [], operands: 'none', dialect: 'mysql' },
  mariadb: { text: ['-e', '--execute'], files: [], operands: 'none', dialect: 'mysql' },
  sqlite3: { text: ['-cmd'], files: [], operands: 'after-first', dialect: 'sqlite' },
  'clickhouse-client': { text: ['-q', '--query'], files: ['--queries-file'], operands: 'none', dialect: 'mysql' },
  // `clickhouse client …`: the rule's subcommand chain takes `client` off first.
  clickhouse: { text: ['-q', '--query'], files: ['--queries-file'], operands: 'none', dialect: 'mysql' },
  mongosh: { text: ['--eval'], files: ['-f', '--file'], operands: 'none', dialect: 'mongo' },
  mongo: { text: ['--eval'], files: [], operands: 'none', dialect: 'mongo' },
  'redis-cli': { text: [], files: [], operands: 'all', dialect: 'redis' },
};

/** How many files piped in by `cat` are read. */
const MAX_FED = 4;

/** Longest SQL file read from disk for a decision. */
const MAX_FILE = 1 << 20;

export function isSqlClient(name: string): boolean {
  return Object.hasOwn(CLIENTS, name);
}

export interface SqlInput {
  stdin?: string | null;
  stdinFile?: string;
  /** Files `cat` wrote into a pipe that ends in this client (`cat drop.sql | psql`). */
  fedFiles?: readonly string[];
  cwd: string;
}

/** The kinds of statement the SQL this call runs holds. */
export function sqlKinds(name: string, p: ParsedArgs, input: SqlInput): Set<SqlKind> {
  const c = CLIENTS[name];
  const out = new Set<SqlKind>();
  if (!c) return out;
  const texts: string[] = [];
  for (const [k, v] of p.values) {
    if (c.text.includes(k)) texts.push(v);
    if (c.files.includes(k)) pushFile(texts, v, input.cwd);
  }
  if (c.operands === 'all' && p.operands.length > 0) texts.push(p.operands.join(' '));
  if (c.operands === 'after-first') texts.push(...p.operands.slice(1));
  const hasText = texts.length > 0;
  // Standard input is read when no statement is given on the command line.
  if (!hasText || c.dialect === 'sqlite') {
    if (typeof input.stdin === 'string') texts.push(input.stdin);
    else if (input.stdinFile) pushFile(texts, input.stdinFile, input.cwd);
    else for (const f of (input.fedFiles ?? []).slice(0, MAX_FED)) pushFile(texts, f, input.cwd);
  }
  // Client commands that read another file (`\i f.sql`, `source f.sql`, `.read f.sql`), one level deep.
  for (const t of [...texts]) for (const f of includedFiles(t, c.dialect).slice(0, MAX_FED)) pushFile(texts, f, input.cwd);
  for (const t of texts) {
    const clean = t.split(UNRESOLVED_SEGMENT).join(' ');
    if (c.dialect === 'redis') redisKinds(clean, out);
    else if (c.dialect === 'mongo') mongoKinds(clean, out);
    else for (const s of statements(clean, c.dialect)) statementKind(s, out);
  }
  return out;
}

function pushFile(texts: string[], file: string, cwd: string): void {
  if (file.includes(UNRESOLVED_SEGMENT)) return;
  try {
    const abs = path.resolve(cwd, file);
    // Non-blocking and regular files only: a FIFO or a device must not stall the hook.
    const fd = fs.openSync(abs, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
      if (!fs.fstatSync(fd).isFile()) return;
      const buf = Buffer.alloc(MAX_FILE);
      const n = fs.readSync(fd, buf, 0, MAX_FILE, 0);
      texts.push(buf.subarray(0, n).toString('utf8'));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // absent or unreadable: the client fails too
  }
}

type Splitter = { splitQuery(sql: string, opts: unknown): unknown[]; postgreSplitterOptions: unknown; mysqlSplitterOptions: unknown; sqliteSplitterOptions: unknown };
let splitter: Splitter | undefined;
function load(): Splitter {
  splitter ??= (typeof require === 'function' ? require('dbgate-query-splitter') : sourceRequire(import.meta.url)('dbgate-query-splitter')) as Splitter;
  return splitter;
}

function statements(sql: string, dialect: 'postgre' | 'mysql' | 'sqlite'): string[] {
  const s = load();
  const opts = dialect === 'postgre' ? s.postgreSplitterOptions : dialect === 'mysql' ? s.mysqlSplitterOptions : s.sqliteSplitterOptions;
  return s.splitQuery(sql, opts).map((x) => (typeof x === 'string' ? x : String((x as { text?: string }).text ?? '')));
}

/** The words of one statement outside comments and quoted text, upper case. */
export function words(stmt: string): string[] {
  const out: string[] = [];
  let i = 0;
  const n = stmt.length;
  while (i < n) {
    const c = stmt[i]!;
    if (c === '-' && stmt[i + 1] === '-' || c === '#') {
      const e = stmt.indexOf('\n', i);
      i = e < 0 ? n : e + 1;
    } else if (c === '/' && stmt[i + 1] === '*') {
      const e = stmt.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
    } else if (c === "'" || c === '"' || c === '`') {
      let j = i + 1;
      while (j < n && stmt[j] !== c) j += stmt[j] === '\\' ? 2 : 1;
      // A quoted identifier is still a word (`DROP TABLE "x"`); a string literal is not.
      if (c !== "'") out.push('IDENT');
      i = j + 1;
    } else if (c === '$' && /^\$[A-Za-z_]*\$/.test(stmt.slice(i, i + 64))) {
      const tag = /^\$[A-Za-z_]*\$/.exec(stmt.slice(i, i + 64))![0];
      const e = stmt.indexOf(tag, i + tag.length);
      i = e < 0 ? n : e + tag.length;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$]/.test(stmt[j]!)) j++;
      out.push(stmt.slice(i, j).toUpperCase());
      i = j;
    } else i++;
  }
  return out;
}

/** Lines of the clients' own commands that run a file. */
const INCLUDE: Partial<Record<Client['dialect'], RegExp>> = {
  postgre: /^\s*\\(?:i|ir|include|include_relative)\s+(\S+)/gm,
  mysql: /^\s*(?:source|\\\.)\s+(\S+?);?\s*$/gim,
  sqlite: /^\s*\.read\s+(\S+)/gm,
};

function includedFiles(text: string, dialect: Client['dialect']): string[] {
  const re = INCLUDE[dialect];
  if (!re) return [];
  return [...text.matchAll(re)].map((m) => m[1]!.replace(/^['"]|['"]$/g, '')).filter((f) => !f.includes(UNRESOLVED_SEGMENT));
}

/** Words that say nothing of which rows a WHERE picks (`WHERE true`, `WHERE 1 = 1`: every row). */
const NO_ROW_TEST = new Set(['TRUE', 'NOT', 'FALSE', 'AND', 'OR', 'IS', 'NULL']);
const CLAUSE_END = new Set(['RETURNING', 'ORDER', 'LIMIT', 'OUTPUT']);

/** Whether the statement from `k` has a WHERE that tests something of the rows. */
function filtered(w: string[], k: number): boolean {
  const at = w.indexOf('WHERE', k);
  if (at < 0) return false;
  for (let i = at + 1; i < w.length && !CLAUSE_END.has(w[i]!); i++) if (!NO_ROW_TEST.has(w[i]!)) return true;
  return false;
}

const VERBS = new Set(['DELETE', 'DROP', 'TRUNCATE', 'UPDATE']);

function statementKind(stmt: string, out: Set<SqlKind>): void {
  const w = words(stmt);
  // `DO $$ … EXECUTE 'DROP TABLE t' … $$`, `PREPARE s FROM 'DROP TABLE t'`: code run at once,
  // whose statements may sit in quotes or a procedural body: every verb in it counts.
  if (w[0] === 'DO' || w[0] === 'PREPARE') {
    for (const part of stmt.replace(/\$[A-Za-z_]*\$|['"`]/g, ' ').split(';').slice(0, 256)) {
      const pw = words(part);
      pw.forEach((x, k) => {
        if (VERBS.has(x)) verbKind(pw, k, out);
      });
    }
    return;
  }
  let k = 0;
  // `WITH x AS (...) DELETE FROM t`: the statement's verb is the first of these after the prefix.
  if (w[0] === 'WITH' || w[0] === 'EXPLAIN') {
    if (w[0] === 'EXPLAIN' && !w.includes('ANALYZE')) return; // a plan runs nothing
    k = w.findIndex((x) => VERBS.has(x));
    if (k < 0) return;
  }
  verbKind(w, k, out);
}

function verbKind(w: string[], k: number, out: Set<SqlKind>): void {
  const verb = w[k];
  if (verb === 'TRUNCATE') out.add('truncate');
  else if (verb === 'DROP') {
    let j = k + 1;
    while (w[j] === 'TEMPORARY' || w[j] === 'TEMP') j++;
    if (w[j] === 'DATABASE') out.add('drop-database');
    else if (w[j] === 'SCHEMA') out.add('drop-schema');
    else if (w[j] === 'TABLE') out.add('drop-table');
  } else if (verb === 'DELETE') {
    if (!filtered(w, k)) out.add('delete-without-where');
  } else if (verb === 'UPDATE') {
    if (!filtered(w, k)) out.add('update-without-where');
  }
}

/** mongosh JavaScript: dropping a database or collection, deleting every document. */
function mongoKinds(js: string, out: Set<SqlKind>): void {
  const code = js.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
  if (/\.\s*dropDatabase\s*\(/.test(code)) out.add('drop-database');
  if (/\.\s*drop\s*\(\s*\)/.test(code) || /\.\s*getCollection\s*\([^)]*\)\s*\.\s*drop\s*\(/.test(code)) out.add('drop-table');
  if (/\.\s*(deleteMany|remove)\s*\(\s*(\{\s*\})?\s*\)/.test(code)) out.add('delete-without-where');
  if (/\.\s*(updateMany|update)\s*\(\s*\{\s*\}\s*,/.test(code)) out.add('update-without-where');
}

function redisKinds(text: string, out: Set<SqlKind>): void {
  for (const line of text.split('\n')) {
    const first = line.trim().split(/\s+/)[0]?.toUpperCase();
    if (first === 'FLUSHALL' || first === 'FLUSHDB') out.add('flush');
  }
}
