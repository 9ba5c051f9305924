// `hookwarden verify --against`: the local audit files compared with the copy a team store (or an
// NDJSON file an HTTP collector received) holds of the same writer (host and user). The store is
// the witness: a record it holds that the local files lack was cut or deleted here; a record
// whose hash differs was rewritten here (even when the whole chain was recomputed, because the
// store kept the old hashes); local records the store lacks are not shipped yet (not a problem,
// but told, with since when).
import fs from 'node:fs';
import { scanLines } from '../support/audit-query.js';

/** A record's identity and chain link, local (with its file and line) or stored. */
export interface Link {
  id: string;
  host: string;
  user: string;
  hash: string;
  prev: string;
  ts_ms: number;
}

export interface LocalLink extends Link {
  file: string;
  line: number;
}

export type WitnessFinding =
  | { kind: 'lost'; host: string; user: string; file: string; line: number; count: number; first: { id: string; ts: string }; last: { id: string; ts: string } }
  | { kind: 'differs'; host: string; user: string; file: string; line: number; id: string; localHash: string; storeHash: string }
  | { kind: 'unshipped'; host: string; user: string; file: string; line: number; count: number; since: string };

const iso = (ms: number): string => (Number.isFinite(ms) ? new Date(ms).toISOString() : '?');

/** The chain links of the local files, in file order (oldest file first), with file and line. */
export function readLocalLinks(files: string[]): { links: LocalLink[]; unreadable: string[] } {
  const links: LocalLink[] = [];
  const unreadable: string[] = [];
  for (const file of files) {
    let fd: number;
    try {
      fd = fs.openSync(file, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') unreadable.push(file);
      continue;
    }
    let line = 0;
    try {
      scanLines(fd, 0, (text) => {
        line++;
        const l = linkOf(text);
        if (l) links.push({ ...l, file, line });
      });
    } catch {
      unreadable.push(file);
    } finally {
      fs.closeSync(fd);
    }
  }
  return { links, unreadable };
}

/** The link fields of one JSON record line; undefined for anything else. */
export function linkOf(text: string): Link | undefined {
  if (text.charCodeAt(0) !== 123) return undefined;
  try {
    const r = JSON.parse(text) as Record<string, unknown>;
    if (typeof r.id !== 'string') return undefined;
    const s = (v: unknown): string => (typeof v === 'string' ? v : '');
    const t = typeof r.time === 'number' ? r.time : Date.parse(s(r.ts));
    return { id: r.id, host: s(r.host), user: s(r.user), hash: s(r.hash), prev: s(r.prev), ts_ms: t };
  } catch {
    return undefined;
  }
}

/** The records of an NDJSON file (what an HTTP endpoint received): the last copy of each id. */
export function readNdjsonLinks(file: string): Link[] {
  const byId = new Map<string, Link>();
  const fd = fs.openSync(file, 'r');
  try {
    scanLines(fd, 0, (text) => {
      const l = linkOf(text);
      if (l) byId.set(l.id, l);
    });
    // A last line without its newline is still a whole record when it parses.
    const size = fs.fstatSync(fd).size;
    if (size > 0) {
      const tail = Buffer.alloc(Math.min(size, 1 << 20));
      fs.readSync(fd, tail, 0, tail.length, size - tail.length);
      const last = tail.toString('utf8').split('\n').at(-1) ?? '';
      const l = last ? linkOf(last) : undefined;
      if (l) byId.set(l.id, l);
    }
  } finally {
    fs.closeSync(fd);
  }
  return [...byId.values()];
}

export const writerKey = (l: { host: string; user: string }): string => `${l.user}@${l.host}`;

/**
 * Compares one writer's local links (file order) with the stored ones. `fallback` is where to
 * point when the local files hold nothing of this writer (all deleted): the current audit file.
 */
export function compareWriter(local: LocalLink[], stored: Link[], who: { host: string; user: string }, fallback: string): WitnessFinding[] {
  const out: WitnessFinding[] = [];
  const localById = new Map(local.map((l) => [l.id, l]));
  const storedIds = new Set(stored.map((s) => s.id));
  // Stored records in their order of writing; runs of them missing here are reported once each,
  // at the local line where they belong (just after the local record that precedes them).
  const ordered = [...stored].sort((a, b) => a.ts_ms - b.ts_ms || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let before: LocalLink | undefined;
  let run: Link[] = [];
  const flush = (): void => {
    if (run.length === 0) return;
    const first = run[0]!;
    const last = run.at(-1)!;
    out.push({
      kind: 'lost', ...who,
      file: before?.file ?? local[0]?.file ?? fallback,
      line: before ? before.line + 1 : 1,
      count: run.length,
      first: { id: first.id, ts: iso(first.ts_ms) },
      last: { id: last.id, ts: iso(last.ts_ms) },
    });
    run = [];
  };
  for (const s of ordered) {
    const l = localById.get(s.id);
    if (!l) {
      run.push(s);
      continue;
    }
    flush();
    before = l;
    if (l.hash !== s.hash) out.push({ kind: 'differs', ...who, file: l.file, line: l.line, id: s.id, localHash: l.hash, storeHash: s.hash });
  }
  flush();
  const unshipped = local.filter((l) => !storedIds.has(l.id));
  if (unshipped.length > 0) {
    const first = unshipped.reduce((a, b) => (b.ts_ms < a.ts_ms ? b : a));
    out.push({ kind: 'unshipped', ...who, file: first.file, line: first.line, count: unshipped.length, since: iso(first.ts_ms) });
  }
  return out;
}

export function describeFinding(f: WitnessFinding): string {
  const who = `${f.user}@${f.host}`;
  if (f.kind === 'lost') {
    return `${f.file}:${f.line}: ${who}: ${f.count} record${f.count === 1 ? '' : 's'} the store holds ${f.count === 1 ? 'is' : 'are'} missing here `
      + `(${f.first.ts} .. ${f.last.ts}, ids ${f.first.id}${f.count > 1 ? ` .. ${f.last.id}` : ''}): the local trail was cut or a file deleted`;
  }
  if (f.kind === 'differs') {
    return `${f.file}:${f.line}: ${who}: record ${f.id} differs from the store's copy (hash ${f.localHash.slice(0, 12)}… here, ${f.storeHash.slice(0, 12)}… in the store): rewritten here`;
  }
  return `${f.file}:${f.line}: ${who}: ${f.count} record${f.count === 1 ? '' : 's'} not shipped yet, since ${f.since} (hookwarden ship delivers them)`;
}
