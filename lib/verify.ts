// Chain verification over audit files, oldest first, and the naming of rotated files (shared with
// the file sink that makes them). Each record's hash must match its content, and its prev the hash
// of the record before it, across file boundaries. A torn line is reported and skipped: the writer
// that came next linked past it, so the chain resumes after it with no further problem.
import fs from 'node:fs';
import path from 'node:path';
import { recordHash } from './canonical.js';
import type { AuditRecord } from './types.js';

export interface VerifyProblem {
  file: string;
  line: number;
  problem: string;
}

export interface VerifyResult {
  problems: VerifyProblem[];
  /** Lines that are records (JSON objects with a hash), intact or not. */
  records: number;
  unreadable: string[];
}

const STAMP = /^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/;
const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function nameParts(file: string): { dir: string; stem: string; ext: string } {
  const ext = path.extname(file) || '.jsonl';
  return { dir: path.dirname(file), stem: path.basename(file, path.extname(file)), ext };
}

/** `2026-11-24T10-00-00-000Z`: UTC, millisecond precision, sortable as text, no `:` in file names. */
export function rotationStamp(d: Date): string {
  return d.toISOString().replace(/:/g, '-').replace('.', '-');
}

function stampTime(stamp: string): number {
  return Date.parse(`${stamp.slice(0, 13)}:${stamp.slice(14, 16)}:${stamp.slice(17, 19)}.${stamp.slice(20)}`);
}

/** Rotated predecessors of `file` (`audit-<stamp>.jsonl` beside `audit.jsonl`), oldest first. */
export function rotatedFiles(file: string): string[] {
  const { dir, stem, ext } = nameParts(file);
  const re = new RegExp(`^${escapeRe(stem)}-(.+)${escapeRe(ext)}$`);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((n) => STAMP.test(re.exec(n)?.[1] ?? ''))
    .sort()
    .map((n) => path.join(dir, n));
}

/** A fresh rotated name, later than every existing one even if the clock went back. */
export function rotatedPath(file: string, now: Date): string {
  const { dir, stem, ext } = nameParts(file);
  const newest = rotatedFiles(file).at(-1);
  let t = now.getTime();
  if (newest) t = Math.max(t, stampTime(path.basename(newest).slice(stem.length + 1, -ext.length || undefined)) + 1);
  for (;; t++) {
    const candidate = path.join(dir, `${stem}-${rotationStamp(new Date(t))}${ext}`);
    if (!fs.existsSync(candidate)) return candidate;
  }
}

/** The default file and its rotated predecessors, oldest first. */
export function auditFiles(file: string): string[] {
  return [...rotatedFiles(file), file];
}

/** Lines of a file, read in chunks (files can be large); the last one may lack its newline. */
function* readLines(fd: number): Generator<{ text: string; terminated: boolean }> {
  const chunk = Buffer.alloc(1 << 20);
  let pending: Buffer[] = [];
  for (;;) {
    const n = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (n === 0) break;
    let start = 0;
    for (let nl = chunk.indexOf(0x0a, start); nl !== -1 && nl < n; nl = chunk.indexOf(0x0a, start)) {
      pending.push(chunk.subarray(start, nl));
      yield { text: Buffer.concat(pending).toString('utf8'), terminated: true };
      pending = [];
      start = nl + 1;
    }
    if (start < n) pending.push(Buffer.from(chunk.subarray(start, n)));
  }
  if (pending.length > 0) yield { text: Buffer.concat(pending).toString('utf8'), terminated: false };
}

type Parsed = { kind: 'record'; rec: AuditRecord & { hash: string } } | { kind: 'bad'; problem: string };

function parseLine(text: string): Parsed {
  if (text === '') return { kind: 'bad', problem: 'blank line' };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { kind: 'bad', problem: 'torn record (invalid JSON)' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { kind: 'bad', problem: 'not a JSON object' };
  const rec = value as AuditRecord;
  if (typeof rec.hash !== 'string') return { kind: 'bad', problem: 'not an audit record (no hash)' };
  return { kind: 'record', rec: rec as AuditRecord & { hash: string } };
}

function hashMatches(rec: AuditRecord): boolean {
  try {
    return recordHash(rec) === rec.hash;
  } catch {
    return false; // not hashable (absurdly deep nesting): certainly not what was written
  }
}

/**
 * The chain walk one line at a time, for readers that go through the files incrementally (the web
 * console's index) and for `verifyFiles`: both report exactly the same problems.
 */
export class ChainCheck {
  private last: { hash: string; file: string; line: number } | undefined;
  /** A line that could not be checked (too long to read) broke the chain: the next link is unknown. */
  private unknown = false;
  records = 0;

  constructor(private readonly report: (p: VerifyProblem) => void) {}

  /** One line of `file` (1-based `line`); `terminated`: it ended with a newline. */
  line(file: string, line: number, text: string, terminated: boolean): AuditRecord | undefined {
    const parsed = parseLine(text);
    if (!terminated) this.report({ file, line, problem: 'torn record (incomplete line)' });
    if (parsed.kind === 'bad') {
      if (terminated) this.report({ file, line, problem: parsed.problem });
      return undefined;
    }
    // A line that holds a whole record is part of the chain even without its newline:
    // the writer that came next linked to it (sinks/chain.ts reads the tail the same way).
    const { rec } = parsed;
    this.records++;
    const prev = rec.prev ?? null;
    const last = this.last;
    if (!this.unknown && prev !== (last?.hash ?? null)) {
      const where = last === undefined ? 'no earlier record' : last.file === file ? `line ${last.line}` : `${last.file}:${last.line}`;
      this.report({ file, line, problem: last === undefined ? `record missing or reordered (prev is set, but there is ${where})` : `record missing or reordered (prev does not match ${where})` });
    }
    if (!hashMatches(rec)) this.report({ file, line, problem: 'record modified (hash mismatch)' });
    // Even a modified record passes its stored hash on: the next record links to it, so one
    // edit is one problem, while a rewritten hash still breaks the following link.
    this.last = { hash: rec.hash, file, line };
    this.unknown = false;
    return rec;
  }

  /** A line skipped unread (over a reader's size limit), reported by the caller. */
  skip(): void {
    this.unknown = true;
  }

  /** What to persist to go on later: the last record's hash and place. */
  state(): { last?: { hash: string; file: string; line: number }; unknown: boolean; records: number } {
    return { ...(this.last ? { last: { ...this.last } } : {}), unknown: this.unknown, records: this.records };
  }

  static resume(report: (p: VerifyProblem) => void, s: ReturnType<ChainCheck['state']>): ChainCheck {
    const c = new ChainCheck(report);
    c.last = s.last;
    c.unknown = s.unknown;
    c.records = s.records;
    return c;
  }
}

export function verifyFiles(files: string[]): VerifyResult {
  const problems: VerifyProblem[] = [];
  const unreadable: string[] = [];
  const chain = new ChainCheck((p) => problems.push(p));

  for (const file of files) {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
      if (!fs.fstatSync(fd).isFile()) {
        fs.closeSync(fd);
        unreadable.push(file);
        continue;
      }
    } catch {
      unreadable.push(file);
      continue;
    }
    let line = 0;
    try {
      for (const { text, terminated } of readLines(fd)) chain.line(file, ++line, text, terminated);
    } catch {
      unreadable.push(file);
    } finally {
      fs.closeSync(fd);
    }
  }
  return { problems, records: chain.records, unreadable };
}
