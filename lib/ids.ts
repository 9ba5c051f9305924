// Record ids: UUIDv7 (RFC 9562). Chosen over ULID because it is a standard UUID (any UUID column,
// OTLP attribute or idempotency-key header takes it as is, and Codex's own session ids have the same
// shape), while sorting as well: the first 48 bits are the Unix time in ms, so the hex text sorts
// by time. Within one process ids are strictly increasing (a 12-bit counter in rand_a, RFC 9562
// section 6.2 method 1); across processes, ids of the same millisecond differ by 74 random bits.
import { randomFillSync } from 'node:crypto';

let lastMs = -1;
let counter = 0;
const bytes = Buffer.alloc(16);

export function uuidv7(nowMs: number = Date.now()): string {
  randomFillSync(bytes, 6);
  let ms = Math.max(0, Math.floor(nowMs));
  if (ms > lastMs) {
    lastMs = ms;
    // Random start in the lower half leaves room to count within the same millisecond.
    counter = bytes.readUInt16BE(6) & 0x7ff;
  } else {
    // Same millisecond, or the clock went back: keep counting from the last id.
    ms = lastMs;
    counter++;
    if (counter > 0xfff) {
      lastMs++;
      ms = lastMs;
      counter = 0;
    }
  }
  bytes.writeUIntBE(ms, 0, 6);
  bytes[6] = 0x70 | (counter >> 8);
  bytes[7] = counter & 0xff;
  bytes[8] = 0x80 | (bytes[8]! & 0x3f);
  const h = bytes.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Epoch ms encoded in a UUIDv7, or undefined for anything else. */
export function uuidv7Time(id: string): number | undefined {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id)) return undefined;
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
