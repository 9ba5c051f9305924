// Canonical JSON for the hash chain: object keys sorted (UTF-16 code units, as RFC 8785 JCS does),
// no whitespace, strings and numbers serialized exactly as JSON.stringify does (which is also the
// JCS number form). A record read back with JSON.parse hashes to the same value as the record
// that was written, whatever the key order of the line.
import { createHash } from 'node:crypto';
import type { AuditRecord } from './types.js';

/** Values JSON leaves out of objects (and turns into null in arrays). */
const skipped = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol';

function write(value: unknown, out: string[]): void {
  let v = value;
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    v = (v as { toJSON: () => unknown }).toJSON();
  }
  if (v === null || skipped(v)) {
    out.push('null');
  } else if (typeof v === 'string' || typeof v === 'boolean') {
    out.push(JSON.stringify(v));
  } else if (typeof v === 'number') {
    out.push(Number.isFinite(v) ? JSON.stringify(v) : 'null');
  } else if (typeof v === 'bigint') {
    throw new TypeError('canonicalJson: BigInt is not JSON');
  } else if (Array.isArray(v)) {
    out.push('[');
    v.forEach((item, i) => {
      if (i > 0) out.push(',');
      write(item, out);
    });
    out.push(']');
  } else {
    const obj = v as Record<string, unknown>;
    out.push('{');
    let first = true;
    for (const key of Object.keys(obj).sort()) {
      const item = obj[key];
      if (skipped(item)) continue;
      if (!first) out.push(',');
      first = false;
      out.push(JSON.stringify(key), ':');
      write(item, out);
    }
    out.push('}');
  }
}

export function canonicalJson(value: unknown): string {
  const out: string[] = [];
  write(value, out);
  return out.join('');
}

export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** SHA-256 (hex) over the canonical form of the record without its `hash` (so `prev` is covered). */
export function recordHash(rec: AuditRecord): string {
  const { hash: _hash, ...rest } = rec;
  return sha256Hex(canonicalJson(rest));
}
