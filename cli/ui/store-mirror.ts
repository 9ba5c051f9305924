// `hookwarden ui --source clickhouse://…`: the web console over the team store. The console's
// index reads files, so the store's records are copied, as the very lines the writers' files
// hold, into one private file that grows as the store receives records (the live view and the
// index follow it like a local trail). That file interleaves every writer's chain: the console's
// integrity view shows the store's own check instead (each (host, user) chain's gaps, forks,
// restarts and modified records, as `verify --source` reports them).
import fs from 'node:fs';
import path from 'node:path';
import { sqlString } from '../../sinks/clickhouse-table.js';
import { checkStoredChains, type ChainReport } from '../team/chains.js';
import { sourceLabel, type StoreSource } from '../team/source.js';
import { openStore, storeLinks, tableOf } from '../team/store.js';
import type { ClickHouseClient } from '../../sinks/clickhouse-client.js';
import type { IntegrityReport } from './server.js';
import { MAX_LINE_BYTES } from './lines.js';

/** Keys (id, time, size) per request. */
const PAGE = 20_000;
/** Records per request: at most this many ids (ClickHouse caps a query's text at 256 KiB)... */
const IDS_PER_QUERY = 2_000;
/** ...and about this many bytes of records in memory at a time. */
const CHUNK_BYTES = 32 * 1024 * 1024;
/** A row longer than any record the index takes is cut to one byte over (lines.ts MAX_LINE_BYTES). */
const MAX_ROW_BYTES = MAX_LINE_BYTES + 1;
/**
 * `received` has seconds only: a row may land in the second of the last read after that read.
 * Each read starts this many seconds before the newest row seen; rows seen before are skipped.
 */
const OVERLAP_S = 2;
/** The store's chain check reads every record: at most this often while records keep coming. */
const CHECK_EVERY_MS = 10_000;
/** And this often when none came (rows changed in place, by ALTER … UPDATE, add none). */
const RECHECK_MS = 60_000;

export class StoreMirror {
  readonly file: string;
  private readonly db: ClickHouseClient;
  private readonly seen = new Set<string>();
  /** The newest `received` (epoch seconds) seen. */
  private high = 0;
  private checked?: { at: number; report: IntegrityReport; dirty: boolean };
  private checking?: Promise<IntegrityReport>;
  /** The last pull's failure (server down, login refused), shown in the integrity view. */
  lastError?: string;

  constructor(readonly src: StoreSource, dir: string) {
    this.file = path.join(dir, 'store.jsonl');
    fs.writeFileSync(this.file, '', { mode: 0o600, flag: 'wx' });
    this.db = openStore(src);
  }

  /** Appends the records the store received since the last pull; returns how many. */
  async pull(): Promise<number> {
    let added = 0;
    const highBefore = this.high;
    let changed = false;
    try {
      let from = Math.max(0, this.high - OVERLAP_S);
      let after = '';
      for (;;) {
        // Keys first (cheap columns), then the records of the new ones in bounded chunks: a page of
        // whole records would be read, sorted and held whatever their size.
        const keys = await this.db.rows<{ id: string; r: string; n: string }>(
          `SELECT id, toUInt32(received) AS r, length(record) AS n FROM ${tableOf(this.src)} `
          + `WHERE received > toDateTime(${from}) OR (received = toDateTime(${from}) AND id > ${sqlString(after)}) ORDER BY received, id LIMIT ${PAGE}`,
        );
        const fresh: { id: string; n: number }[] = [];
        const inPage = new Set<string>();
        for (const k of keys) {
          // A batch the forwarder sent twice is two rows until the table merges them: one record.
          if (!this.seen.has(k.id) && !inPage.has(k.id)) {
            inPage.add(k.id);
            fresh.push({ id: k.id, n: Math.min(Number(k.n), MAX_ROW_BYTES) });
          }
          // A row received after the last pull, even a copy of a known record (re-sent, or
          // changed in the store), may change what the store's chain check says.
          if (Number(k.r) > highBefore) changed = true;
          this.high = Math.max(this.high, Number(k.r));
        }
        for (let i = 0; i < fresh.length;) {
          const chunk: string[] = [];
          for (let bytes = 0; i < fresh.length && chunk.length < IDS_PER_QUERY && (chunk.length === 0 || bytes + fresh[i]!.n <= CHUNK_BYTES); i++) {
            bytes += fresh[i]!.n;
            chunk.push(fresh[i]!.id);
          }
          const got = new Map<string, string>();
          // A row over the size of a record is cut: the index reports it as a line too long.
          for (const row of await this.db.rows<{ id: string; record: string }>(
            `SELECT id, substring(record, 1, ${MAX_ROW_BYTES}) AS record FROM ${tableOf(this.src)} WHERE id IN (${chunk.map(sqlString).join(', ')})`,
          )) if (!got.has(row.id)) got.set(row.id, row.record);
          // A record is one line; a row holding line breaks (not hookwarden's) stays one line.
          const lines: string[] = [];
          for (const id of chunk) {
            const record = got.get(id);
            if (record === undefined) continue; // gone meanwhile: looked for again while in the overlap
            this.seen.add(id);
            lines.push(record.replace(/[\r\n]+/g, ' '));
          }
          if (lines.length > 0) fs.appendFileSync(this.file, `${lines.join('\n')}\n`);
          added += lines.length;
        }
        const last = keys.at(-1);
        if (keys.length < PAGE || !last) break;
        from = Number(last.r);
        after = last.id;
      }
      this.lastError = undefined;
    } catch (err) {
      this.lastError = err instanceof Error ? err.message : String(err);
    }
    if ((added > 0 || changed) && this.checked) this.checked.dirty = true;
    return added;
  }

  /** The integrity view: the store's chain check, recomputed when records came (at most every 10 s). */
  async integrity(): Promise<IntegrityReport> {
    const c = this.checked;
    const age = c ? Date.now() - c.at : Infinity;
    if (c && (c.dirty ? age < CHECK_EVERY_MS : age < RECHECK_MS) && !this.lastError) return c.report;
    this.checking ??= (async () => {
      try {
        const report = storeIntegrity(this.src, checkStoredChains(await storeLinks(this.src, undefined, true)));
        this.checked = { at: Date.now(), report, dirty: false };
        return withError(report, this.src, this.lastError);
      } catch (err) {
        return withError(c?.report ?? { ok: true, files: [], summary: 'intact' }, this.src, err instanceof Error ? err.message : String(err));
      } finally {
        this.checking = undefined;
      }
    })();
    return this.checking;
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

const writerName = (w: { host: string; user: string }): string => `${w.user || '?'}@${w.host || '?'}`;

/** The store's chain check as the integrity view's report: one entry per writer. */
export function storeIntegrity(src: StoreSource, r: ChainReport): IntegrityReport {
  const files = r.writers.map((w) => ({
    file: `${writerName(w)} in ${sourceLabel(src)}`,
    records: w.records,
    problems: r.findings.filter((f) => f.host === w.host && f.user === w.user).slice(0, 100)
      .map((f) => ({ line: 0, problem: `${f.ts} record ${f.id}: ${f.problem}` })),
    more: Math.max(0, r.findings.filter((f) => f.host === w.host && f.user === w.user).length - 100),
  }));
  const first = r.findings[0];
  const summary = first ? `${first.problem} (${writerName(first)})${r.findings.length > 1 ? ` and ${r.findings.length - 1} more` : ''}` : 'intact';
  return { ok: r.findings.length === 0, files, summary };
}

function withError(report: IntegrityReport, src: StoreSource, error: string | undefined): IntegrityReport {
  if (!error) return report;
  const problem = `cannot read the store: ${error}`;
  return { ok: false, files: [{ file: sourceLabel(src), records: 0, problems: [{ line: 0, problem }], more: 0 }, ...report.files], summary: problem };
}
