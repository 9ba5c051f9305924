// Reading audit records for `tail` and `stats`: the default file and its rotated predecessors,
// filters, `--since` parsing, and "the last N" without holding more than N records in memory.
import fs from 'node:fs';
import path from 'node:path';
import { rotatedFiles } from '../../lib/verify.js';
import { GuardError, type AuditRecord, type Decision } from '../../lib/types.js';

export interface AuditFilter {
  session?: string;
  decision?: Decision;
  /** Exact tool name, or a prefix ending in `*` (`mcp__fs__*`). */
  tool?: string;
  event?: string;
  /** Epoch ms: records at or after this instant. */
  since?: number;
  /** Who and where (the record's `user`, `host`) and the project root: for a team's trail. */
  user?: string;
  host?: string;
  project?: string;
}

/** One record and its line exactly as stored (`tail --json` prints the line, hash intact). */
export interface AuditEntry {
  rec: AuditRecord;
  line: string;
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 } as const;
const DURATION = /^(\d{1,9})([smhdw])$/;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-](\d{2}):(\d{2})))?$/;

/**
 * `--since`: a duration back from `now` (`90s`, `30m`, `1h`, `2d`, `1w`) or an RFC 3339 time
 * (`2026-11-24T10:00:00Z`, `…+02:00`; a bare date is midnight UTC). Returns epoch ms.
 */
export function parseSince(text: string, now: number = Date.now()): number {
  const d = DURATION.exec(text);
  if (d) return now - Number(d[1]) * UNIT_MS[d[2] as keyof typeof UNIT_MS];
  const t = RFC3339.exec(text);
  if (t && validDate(t)) {
    const ms = Date.parse(t[4] === undefined ? `${text}T00:00:00Z` : text.replace(/[t ]/, 'T').replace(/z$/, 'Z'));
    if (Number.isFinite(ms)) return ms;
  }
  throw new GuardError(`--since: expected a duration (30m, 1h, 2d) or an RFC 3339 time (2026-11-24T10:00:00Z), got ${JSON.stringify(text.slice(0, 80))}`, 'usage');
}

function validDate(m: RegExpExecArray): boolean {
  const [y, mo, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || day < 1 || day > new Date(Date.UTC(y, mo, 0)).getUTCDate()) return false;
  if (m[4] === undefined) return true;
  const ok = (v: string | undefined, max: number) => v === undefined || Number(v) <= max;
  return ok(m[4], 23) && ok(m[5], 59) && ok(m[6], 60) && ok(m[9], 23) && ok(m[10], 59);
}

export function recordMatches(rec: AuditRecord, f: AuditFilter): boolean {
  if (f.session !== undefined && rec.session_id !== f.session) return false;
  if (f.decision !== undefined && rec.decision !== f.decision) return false;
  if (f.event !== undefined && rec.event !== f.event) return false;
  if (f.tool !== undefined) {
    const t = rec.tool;
    if (t === undefined || (f.tool.endsWith('*') ? !t.startsWith(f.tool.slice(0, -1)) : t !== f.tool)) return false;
  }
  if (f.since !== undefined && !(Date.parse(rec.ts) >= f.since)) return false;
  if (f.user !== undefined && rec.user !== f.user) return false;
  if (f.host !== undefined && rec.host !== f.host) return false;
  if (f.project !== undefined && rec.project !== f.project) return false;
  return true;
}

/** A line that is a JSON object with the fields every record has; anything else is skipped. */
export function parseRecordLine(line: string): AuditRecord | undefined {
  if (line === '' || line.charCodeAt(0) !== 123 /* { */) return undefined;
  try {
    const v = JSON.parse(line) as unknown;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    const r = v as Partial<AuditRecord>;
    return typeof r.ts === 'string' && typeof r.event === 'string' ? (v as AuditRecord) : undefined;
  } catch {
    return undefined;
  }
}

const CHUNK = 1 << 20;

/**
 * Calls `onLine` for every complete (newline-terminated) line of `fd` from byte `offset`, reading
 * in chunks. Returns the offset just past the last complete line: an unterminated last line is
 * being written or torn, so a follower reads it again once it is complete.
 */
export function scanLines(fd: number, offset: number, onLine: (line: string) => void): number {
  const chunk = Buffer.alloc(CHUNK);
  let pos = offset;
  let consumed = offset;
  let pending: Buffer[] = [];
  for (;;) {
    const n = fs.readSync(fd, chunk, 0, CHUNK, pos);
    if (n === 0) break;
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1 && nl < n; nl = chunk.indexOf(0x0a, start)) {
      pending.push(chunk.subarray(start, nl));
      const line = Buffer.concat(pending).toString('utf8');
      pending = [];
      start = nl + 1;
      consumed = pos + start;
      onLine(line);
    }
    if (start < n) pending.push(Buffer.from(chunk.subarray(start, n)));
    pos += n;
  }
  return consumed;
}

/** The time encoded in a rotated file's name (`audit-2026-11-24T10-00-00-000Z.jsonl`), or NaN. */
export function rotatedAt(file: string): number {
  const m = /-(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z\.[^.]*$/.exec(path.basename(file));
  return m ? Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}.${m[5]}Z`) : NaN;
}

/**
 * The file and its rotated predecessors, oldest first. With `since`, rotated files renamed before
 * it are left out: every record in one was written before its rotation.
 */
export function auditFileList(file: string, since?: number): string[] {
  const rotated = rotatedFiles(file);
  return [...(since === undefined ? rotated : rotated.filter((f) => !(rotatedAt(f) < since))), file];
}

/** The newest file, left open for `--follow`: `offset` is where the next complete line starts. */
export interface OpenAudit {
  file: string;
  fd?: number;
  offset: number;
}

export interface AuditRead {
  entries: AuditEntry[];
  /** Lines that are not records (torn writes, blank lines). */
  skipped: number;
  /** Files that exist but cannot be read. */
  unreadable: string[];
  /** Set with `keepOpen`; the caller closes `fd`. */
  current?: OpenAudit;
}

function openForRead(file: string, unreadable: string[]): number | undefined {
  try {
    const fd = fs.openSync(file, 'r');
    if (fs.fstatSync(fd).isFile()) return fd;
    fs.closeSync(fd);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  }
  unreadable.push(file);
  return undefined;
}

/**
 * Matching records of `files` (oldest first), or only the last `limit` of them. Files are read
 * newest first, so the last N cost only the files that hold them; memory stays O(limit).
 */
export function readAudit(files: string[], opts: { filter: AuditFilter; limit?: number; keepOpen?: boolean }): AuditRead {
  const { filter, limit } = opts;
  const out: AuditRead = { entries: [], skipped: 0, unreadable: [] };
  const perFile: AuditEntry[][] = [];
  let have = 0;
  for (let i = files.length - 1; i >= 0; i--) {
    const file = files[i] as string;
    const keep = opts.keepOpen === true && i === files.length - 1;
    if (!keep && limit !== undefined && have >= limit) break; // the file to follow is opened even for -n 0
    const fd = openForRead(file, out.unreadable);
    if (fd === undefined) {
      if (keep) out.current = { file, offset: 0 };
      continue;
    }
    let got: AuditEntry[] = [];
    let offset = 0;
    try {
      offset = scanLines(fd, 0, (line) => {
        const rec = parseRecordLine(line);
        if (!rec) out.skipped++;
        else if (recordMatches(rec, filter)) {
          got.push({ rec, line });
          if (limit !== undefined && got.length >= 2 * limit + 64) got = got.slice(-limit);
        }
      });
    } catch {
      out.unreadable.push(file);
    } finally {
      if (keep) out.current = { file, fd, offset };
      else fs.closeSync(fd);
    }
    if (limit !== undefined) got = limit === 0 ? [] : got.slice(-limit);
    perFile.unshift(got);
    have += got.length;
  }
  out.entries = perFile.flat();
  if (limit !== undefined) out.entries = limit === 0 ? [] : out.entries.slice(-limit);
  return out;
}

/** Every matching record of `files`, oldest first, without keeping them (for counting). */
export function forEachRecord(files: string[], filter: AuditFilter, fn: (rec: AuditRecord) => void): { skipped: number; unreadable: string[] } {
  const res = { skipped: 0, unreadable: [] as string[] };
  for (const file of files) {
    const fd = openForRead(file, res.unreadable);
    if (fd === undefined) continue;
    try {
      scanLines(fd, 0, (line) => {
        const rec = parseRecordLine(line);
        if (!rec) res.skipped++;
        else if (recordMatches(rec, filter)) fn(rec);
      });
    } catch {
      res.unreadable.push(file);
    } finally {
      fs.closeSync(fd);
    }
  }
  return res;
}
