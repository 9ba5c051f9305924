// The web console's index: a DuckDB database beside the trail, filled incrementally from the audit
// files (byte offset per file; a rotated file is recognized by its device and inode), deletable at
// any time (it is rebuilt from the files). The files stay the source of truth: a timeline reads
// the records back from them. The chain is checked on the way in (lib/verify.ts ChainCheck, the
// code `hookwarden verify` runs), so the integrity badge costs no second pass. Never imported by
// hooks/ or lib/: hooks do not pay for it. The tables, and how rows go in: index-tables.ts.
import fs from 'node:fs';
import { DuckDBInstance, type DuckDBConnection, INTEGER, VARCHAR } from '@duckdb/node-api';
import { appendPairs, appendProblems, appendRows, foldIntoSessions, recreateTables } from './index-tables.js';
import { auditFiles, ChainCheck, type VerifyProblem } from '../../lib/verify.js';
import { MAX_LINE_BYTES, openRegular, readLinesFrom } from './lines.js';
import { ROW_COLUMNS, rowOf, searchTerms, type Row } from './rows.js';
import type { AuditRecord } from '../../lib/types.js';

/** Bump when the tables change: an index of another version is dropped and rebuilt. */
const INDEX_VERSION = '5';
/** Bytes read per file per step, so the server answers requests while a big history is indexed. */
const STEP_BYTES = 16 * 1024 * 1024;

interface FileRow { file_id: number; chain: number; path: string; dev: number; ino: number; off: number; line: number; records: number }
type ChainState = ReturnType<ChainCheck['state']>;

export interface Transient { file: string; problem: string }
export interface NewRecord { rec: AuditRecord; file: string; line: number }

const MODE = ROW_COLUMNS.findIndex(([n]) => n === 'mode');
const FROM_MODE = ROW_COLUMNS.findIndex(([n]) => n === 'from_mode');

export class TrailIndex {
  /** Problems that hold now but are not part of the chain: missing or unreadable files, a torn tail being written. */
  transient: Transient[] = [];
  building = true;
  private files = new Map<number, FileRow>();
  private chainStates = new Map<number, ChainState>();
  private nextFileId = 1;
  /** The last permission_mode of each session, to count mode changes as they are appended. */
  private modes = new Map<string, string>();
  private terms = new Map<string, number>();

  /** Each live file with its rotated predecessors, oldest first; listed again at every update. */
  chains: string[][];

  /**
   * `recordChains`: how many of the chains (the first ones) give records; the others are only
   * verified. The file sinks of one config hold the same records: showing each would count every
   * session twice (tail and stats read the first one for the same reason).
   */
  private constructor(readonly conn: DuckDBConnection, private readonly instance: DuckDBInstance, readonly lives: string[], readonly where: string, private readonly recordChains: number, private readonly linked: boolean) {
    this.chains = lives.map((f) => auditFiles(f));
  }

  /**
   * Opens (or creates) the index at `dbPath` for the audit files `lives` (each a file sink, read
   * with its rotated predecessors). An index that cannot be opened (another
   * console holds it, a damaged file) is deleted and rebuilt, or kept in memory. `linked: false`:
   * the files interleave several writers' chains (a copy of the team store), so only each record's
   * own hash is checked here; the links are the store check's (cli/team/chains.ts).
   */
  static async open(dbPath: string | undefined, lives: string[], recordChains = lives.length, linked = true): Promise<TrailIndex> {
    let instance: DuckDBInstance | undefined;
    let where = dbPath ?? ':memory:';
    if (dbPath) {
      try {
        instance = await DuckDBInstance.create(dbPath);
      } catch {
        try {
          // Another console may hold it: leave that one alone and index in memory.
          instance = await DuckDBInstance.create(':memory:');
          where = ':memory: (the index file is in use)';
        } catch {
          instance = undefined;
        }
      }
    }
    instance ??= await DuckDBInstance.create(':memory:');
    // The index holds what the trail holds (redacted, but private): the owner's alone, like the trail.
    if (dbPath && !where.startsWith(':memory:')) for (const f of [dbPath, `${dbPath}.wal`]) {
      try {
        fs.chmodSync(f, 0o600);
      } catch {
        // no log file yet
      }
    }
    const conn = await instance.connect();
    const idx = new TrailIndex(conn, instance, lives, where, recordChains, linked);
    await idx.setUp();
    return idx;
  }

  private async setUp(): Promise<void> {
    await this.conn.run('CREATE TABLE IF NOT EXISTS meta (k VARCHAR PRIMARY KEY, v VARCHAR)');
    const v = (await this.conn.runAndReadAll("SELECT v FROM meta WHERE k = 'version'")).getRows()[0]?.[0];
    if (v !== INDEX_VERSION) await this.reset();
    await this.load();
  }

  /** Drops everything: the next update reads every file from its start. */
  async reset(): Promise<void> {
    await recreateTables(this.conn);
    this.modes.clear();
    this.terms.clear();
    await this.conn.run("INSERT OR REPLACE INTO meta VALUES ('version', ?)", [INDEX_VERSION]);
    this.files.clear();
    this.chainStates.clear();
    this.nextFileId = 1;
  }

  private async load(): Promise<void> {
    for (const r of (await this.conn.runAndReadAll('SELECT id, term FROM terms')).getRows()) this.terms.set(String(r[1]), Number(r[0]));
    for (const r of (await this.conn.runAndReadAll('SELECT session, mode FROM sessions WHERE mode IS NOT NULL')).getRows()) this.modes.set(String(r[0]), String(r[1]));
    const files = (await this.conn.runAndReadAll('SELECT file_id, chain, path, dev, ino, off, line, records FROM files')).getRowObjectsJS();
    for (const f of files) this.files.set(Number(f.file_id), f as unknown as FileRow);
    this.nextFileId = Math.max(0, ...this.files.keys()) + 1;
    const keys = new Map(this.lives.map((f, i) => [f, i]));
    const chains = (await this.conn.runAndReadAll('SELECT chain, key, state FROM chains')).getRowObjectsJS();
    // Chains are numbered by their live file; a chain no longer listed keeps its rows, unused.
    const renumber = new Map<number, number>();
    for (const c of chains) {
      const now = keys.get(String(c.key));
      if (now === undefined) continue;
      renumber.set(Number(c.chain), now);
      this.chainStates.set(now, JSON.parse(String(c.state)) as ChainState);
    }
    if ([...renumber].some(([a, b]) => a !== b) || chains.length !== renumber.size) await this.reset();
  }

  /** A known file that now has another name in the list (rotation renamed it). */
  private renamedInto(f: FileRow, listed: Set<string>): boolean {
    for (const p of listed) {
      try {
        const st = fs.statSync(p);
        if (st.dev === f.dev && st.ino === f.ino) return true;
      } catch {
        // gone between listing and stat
      }
    }
    return false;
  }

  /** Every indexed file (the index holds only files of the listed chains). */
  fileIds(): number[] {
    return [...this.files.keys()];
  }

  pathOf(fileId: number): string | undefined {
    return this.files.get(fileId)?.path;
  }

  /** Lines of the file that are records, intact or not (as `verify` counts them). */
  recordsIn(fileId: number): number {
    return this.files.get(fileId)?.records ?? 0;
  }

  /**
   * Reads what was appended since the last update, from every file of every chain, and returns the
   * new records (at most `keep` of them, the newest). Yields to the event loop between steps.
   */
  async update(keep = 200): Promise<{ added: number; fresh: NewRecord[] }> {
    const transient: Transient[] = [];
    const fresh: NewRecord[] = [];
    let added = 0;
    this.chains = this.lives.map((f) => auditFiles(f));
    // Anything but appends and renames (a rotated file deleted, files of a chain no longer
    // listed) means the index no longer says what the files say: rebuild it from them.
    const listed = new Set(this.chains.flat());
    if ([...this.files.values()].some((f) => !listed.has(f.path) && !this.renamedInto(f, listed))) {
      await this.reset();
    }
    for (let c = 0; c < this.chains.length; c++) {
      const chainFiles = this.chains[c] as string[];
      for (let i = 0; i < chainFiles.length; i++) {
        const file = chainFiles[i] as string;
        const live = i === chainFiles.length - 1;
        const opened = openRegular(file);
        if ('error' in opened) {
          transient.push({ file, problem: opened.error });
          continue;
        }
        try {
          const { fd, stat } = opened;
          let known = [...this.files.values()].find((f) => f.chain === c && f.dev === stat.dev && f.ino === stat.ino);
          if (known && stat.size < known.off) {
            // Truncated or replaced in place: what was indexed is no longer what the file says.
            await this.reset();
            return this.update(keep);
          }
          if (!known) {
            known = { file_id: this.nextFileId++, chain: c, path: file, dev: stat.dev, ino: stat.ino, off: 0, line: 0, records: 0 };
            this.files.set(known.file_id, known);
            await this.conn.run('INSERT INTO files VALUES (?, ?, ?, ?, ?, 0, 0, 0)', [known.file_id, c, file, stat.dev, stat.ino]);
          } else if (known.path !== file) {
            known.path = file; // rotated: same inode, new name
            await this.conn.run('UPDATE files SET path = ? WHERE file_id = ?', [file, known.file_id]);
          }
          while (known.off < stat.size) {
            const before = known.off;
            const n = await this.ingest(fd, known, c, !live, fresh, keep);
            added += n;
            if (known.off === before) break;
            await new Promise((r) => setImmediate(r));
          }
          if (live && known.off < stat.size) {
            const problem = stat.size - known.off > MAX_LINE_BYTES ? 'line too long to be a record (not indexed)' : 'torn record (incomplete line)';
            transient.push({ file, problem: `line ${known.line + 1}: ${problem}` });
          }
        } finally {
          fs.closeSync(opened.fd);
        }
      }
    }
    this.transient = transient;
    // After a big read, write the log into the database file: the next start opens it quickly.
    if (added > 100_000) await this.conn.run('CHECKPOINT');
    this.building = false;
    return { added, fresh };
  }

  /** One step of one file: lines from its offset, at most STEP_BYTES, appended to the tables. */
  private async ingest(fd: number, f: FileRow, chain: number, final: boolean, fresh: NewRecord[], keep: number): Promise<number> {
    const problems: { file_id: number; line: number; problem: string }[] = [];
    const report = (p: VerifyProblem): void => void problems.push({ file_id: f.file_id, line: p.line, problem: p.problem });
    const check = ChainCheck.resume(report, this.chainStates.get(chain) ?? { unknown: false, records: 0 });
    const rows: Row[] = [];
    const postings = new Map<string, Set<number>>();
    const newTerms: [number, string][] = [];
    let line = f.line;
    const off = readLinesFrom(fd, f.off, final, (l) => {
      line++;
      if (l.tooLong) {
        report({ file: f.path, line, problem: `line too long to be a record (${l.len} bytes; not indexed)` });
        check.skip();
        return;
      }
      if (!this.linked) check.skip(); // no link to the line before: another writer's record may be there
      const rec = check.line(f.path, line, l.text, l.terminated);
      if (rec) f.records++;
      if (!rec || chain >= this.recordChains) return;
      const row = rowOf(rec, f.file_id, line, l.off, l.len);
      const mode = row[MODE];
      if (typeof mode === 'string' && typeof rec.session_id === 'string') {
        const before = this.modes.get(rec.session_id);
        if (before !== undefined && before !== mode) row[FROM_MODE] = before;
        this.modes.set(rec.session_id, mode);
      }
      rows.push(row);
      if (typeof rec.session_id === 'string') {
        let used = postings.get(rec.session_id);
        if (!used) postings.set(rec.session_id, (used = new Set()));
        for (const term of searchTerms(rec)) {
          let id = this.terms.get(term);
          if (id === undefined) {
            this.terms.set(term, (id = this.terms.size + 1));
            newTerms.push([id, term]);
          }
          used.add(id);
        }
      }
      fresh.push({ rec, file: f.path, line });
      if (fresh.length > 2 * keep) fresh.splice(0, fresh.length - keep);
    }, STEP_BYTES);
    if (fresh.length > keep) fresh.splice(0, fresh.length - keep);
    await appendRows(this.conn, rows);
    await foldIntoSessions(this.conn, rows);
    await appendPairs(this.conn, 'terms', newTerms, [INTEGER, VARCHAR]);
    await appendPairs(this.conn, 'postings', [...postings].flatMap(([session, ids]) => [...ids].map((id): [string, number] => [session, id])), [VARCHAR, INTEGER]);
    if (problems.length > 0) await appendProblems(this.conn, problems);
    f.off = off;
    f.line = line;
    const state = check.state();
    this.chainStates.set(chain, state);
    await this.conn.run('UPDATE files SET off = ?, line = ?, records = ? WHERE file_id = ?', [off, line, f.records, f.file_id]);
    await this.conn.run('DELETE FROM chains WHERE chain = ?', [chain]);
    await this.conn.run('INSERT INTO chains VALUES (?, ?, ?)', [chain, this.lives[chain] ?? '', JSON.stringify(state)]);
    return rows.length;
  }

  close(): void {
    try {
      this.conn.closeSync();
      this.instance.closeSync();
    } catch {
      // closing at exit: nothing left to save
    }
  }
}
