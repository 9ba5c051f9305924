// `hookwarden verify --source clickhouse://…`: each writer's (host, user) chain as the store
// holds it, checked for what the store itself can tell: records whose text no longer matches
// their hash, gaps (a record whose prev is not there), forks (two records after the same one) and
// restarts (a second first record: the local trail was deleted or replaced). Order-free: it
// follows prev -> hash links, not times.
import { recordHash } from '../../lib/canonical.js';
import type { AuditRecord } from '../../lib/types.js';
import type { StoredLink } from './store.js';
import { writerKey } from './witness.js';

export interface ChainFinding {
  host: string;
  user: string;
  id: string;
  ts: string;
  problem: string;
}

export interface ChainReport {
  writers: { host: string; user: string; records: number }[];
  findings: ChainFinding[];
}

export function checkStoredChains(links: StoredLink[]): ChainReport {
  const byWriter = new Map<string, StoredLink[]>();
  for (const l of links) {
    const k = writerKey(l);
    const list = byWriter.get(k);
    if (list) list.push(l);
    else byWriter.set(k, [l]);
  }
  const findings: ChainFinding[] = [];
  const writers: ChainReport['writers'] = [];
  for (const list of byWriter.values()) {
    const { host, user } = list[0]!;
    writers.push({ host, user, records: list.length });
    const report = (l: StoredLink, problem: string): void => {
      findings.push({ host, user, id: l.id, ts: new Date(l.ts_ms).toISOString(), problem });
    };
    const hashes = new Set(list.map((l) => l.hash).filter((h) => h !== ''));
    const after = new Map<string, StoredLink[]>();
    const roots: StoredLink[] = [];
    for (const l of list) {
      if (l.hash === '') {
        report(l, 'record without a chain link (no hash): its file sink failed when it was written');
        continue;
      }
      if (l.record !== undefined) {
        let ok = false;
        try {
          const rec = JSON.parse(l.record) as AuditRecord;
          ok = rec.hash === l.hash && recordHash(rec) === l.hash && rec.id === l.id;
        } catch {
          ok = false;
        }
        if (!ok) report(l, 'record modified in the store (its text does not match its hash)');
      }
      if (l.prev === '' || !hashes.has(l.prev)) roots.push(l);
      else {
        const next = after.get(l.prev);
        if (next) next.push(l);
        else after.set(l.prev, [l]);
      }
    }
    // One start is the chain's beginning (or where shipping began); every later one is a gap or a restart.
    roots.sort((a, b) => a.ts_ms - b.ts_ms);
    for (const r of roots.slice(1)) {
      report(r, r.prev === '' ? 'chain starts again here (prev is null): the local trail was deleted or replaced'
        : `gap: the record before this one (hash ${r.prev.slice(0, 12)}…) is not in the store`);
    }
    for (const [prev, next] of after) {
      if (next.length > 1) for (const n of next.slice(1)) report(n, `fork: ${next.length} records follow the same record (hash ${prev.slice(0, 12)}…)`);
    }
  }
  return { writers, findings };
}
