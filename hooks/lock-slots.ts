// Which lock files a decision worker holds, in memory it shares with the side that may terminate
// it (hooks/runner.ts). A worker takes the audit file's lock for every record; telling the other
// side by message cost two thread wake-ups per record (about 0.3 ms of a 4 ms warm call, measured
// with a CPU profile of the daemon). Written here, the answering thread reads it only when it
// terminates the worker or takes it back: no message, no wake-up.
//
// Layout: SLOTS slots of [state, byte length, path bytes...]. The worker writes the path, then sets
// the state with Atomics.store (sequentially consistent), so a reader that sees state 1 sees the path.

/** Locks one worker may hold at once here (a record's file lock, a spool's); more go by message. */
const SLOTS = 8;
/** Longest path kept here (bytes); a longer one goes by message. */
const PATH_BYTES = 4096;
const HEAD = 8;
const SLOT_BYTES = HEAD + PATH_BYTES;

export function newLockSlots(): SharedArrayBuffer {
  return new SharedArrayBuffer(SLOTS * SLOT_BYTES);
}

/** The worker's side: marks a lock held or released; false when it does not fit (send a message then). */
export class LockSlotWriter {
  private readonly state: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly slotOf = new Map<string, number>();

  constructor(buf: SharedArrayBuffer) {
    this.state = new Int32Array(buf);
    this.bytes = new Uint8Array(buf);
  }

  held(dir: string): boolean {
    const path = Buffer.from(dir);
    if (path.length > PATH_BYTES || this.slotOf.has(dir)) return false;
    for (let i = 0; i < SLOTS; i++) {
      const at = (i * SLOT_BYTES) / 4;
      if (Atomics.load(this.state, at) !== 0) continue;
      this.bytes.set(path, i * SLOT_BYTES + HEAD);
      Atomics.store(this.state, at + 1, path.length);
      Atomics.store(this.state, at, 1);
      this.slotOf.set(dir, i);
      return true;
    }
    return false;
  }

  released(dir: string): boolean {
    const i = this.slotOf.get(dir);
    if (i === undefined) return false;
    this.slotOf.delete(dir);
    Atomics.store(this.state, (i * SLOT_BYTES) / 4, 0);
    return true;
  }
}

/** The answering side: the lock paths marked held now. */
export function heldLocks(buf: SharedArrayBuffer): string[] {
  const state = new Int32Array(buf);
  const out: string[] = [];
  for (let i = 0; i < SLOTS; i++) {
    const at = (i * SLOT_BYTES) / 4;
    if (Atomics.load(state, at) !== 1) continue;
    const len = Math.min(PATH_BYTES, Atomics.load(state, at + 1));
    out.push(Buffer.from(buf, i * SLOT_BYTES + HEAD, len).toString());
  }
  return out;
}
