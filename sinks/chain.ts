// The hash chain: each record stored in a file carries `prev` (the hash of the record before it,
// null for the first) and its own `hash` over its canonical form (prev included). This layer only
// links records; reading the last hash and appending are the store's business, and the caller
// holds the cross-process lock around the pair so that concurrent writers never fork the chain.
import { recordHash } from '../lib/canonical.js';
import { jsonSafe } from '../lib/record.js';
import type { AuditRecord } from '../lib/types.js';

/** What the chain needs from where records are stored; called with the lock held. */
export interface ChainStore {
  /** Hash of the last complete record, or null when there is none. */
  lastHash(): string | null;
  /** Appends one full line (ending in "\n") holding `record`. */
  append(line: string, record: AuditRecord): void;
}

/** A copy of `rec` linked after `prev`, with its hash; any prev/hash it carried is replaced. */
export function sealRecord(rec: AuditRecord, prev: string | null): AuditRecord {
  const { prev: _prev, hash: _hash, ...rest } = rec;
  const linked: AuditRecord = { ...rest, prev };
  return { ...linked, hash: recordHash(linked) };
}

/** Links `rec` to the store's last record and appends it as one JSON line. */
export function appendChained(store: ChainStore, rec: AuditRecord): AuditRecord {
  const sealed = sealRecord(rec, store.lastHash());
  // jsonSafe: no raw DEL/C1/U+2028 in the file (same value, same hash), so `cat` and line splitters are safe.
  store.append(`${jsonSafe(JSON.stringify(sealed))}\n`, sealed);
  return sealed;
}

/**
 * The chain hash a line carries: a JSON object with a string `hash`. Anything else (a torn
 * half-line, a blank line) is not part of the chain, so the next record links past it.
 */
export function chainHashOf(line: string): string | undefined {
  if (line === '') return undefined;
  try {
    const obj: unknown = JSON.parse(line);
    if (obj !== null && typeof obj === 'object' && !Array.isArray(obj)) {
      const hash = (obj as { hash?: unknown }).hash;
      if (typeof hash === 'string') return hash;
    }
  } catch {
    // torn or corrupt line
  }
  return undefined;
}

/** The last chain hash among `lines` (newest last), or undefined when none carries one. */
export function lastChainHash(lines: readonly string[]): string | undefined {
  for (let i = lines.length - 1; i >= 0; i--) {
    const hash = chainHashOf(lines[i]!);
    if (hash !== undefined) return hash;
  }
  return undefined;
}
