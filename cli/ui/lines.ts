// Reading an audit file from a byte offset, line by line, with bounded memory: a line longer than
// MAX_LINE_BYTES (no record hookwarden writes comes near it: input and response are cut at a few KB)
// is counted, not held, so a hostile 50 MB or 5 GB line costs a scan, not the console's memory.
import fs from 'node:fs';

export const MAX_LINE_BYTES = 4 * 1024 * 1024;
const CHUNK = 1 << 20;

export interface Line {
  text: string;
  /** Byte offset of the line's first byte, and its length without the newline. */
  off: number;
  len: number;
  terminated: boolean;
  /** Over MAX_LINE_BYTES: `text` is empty. */
  tooLong: boolean;
}

/**
 * Calls `onLine` for each line of `fd` from `offset`. An unterminated last line is passed on only
 * when `final` (a rotated file will not grow; the live file's last line may be mid-write). Returns
 * the offset just past the last line passed on. `budget` bounds the bytes read in one call.
 */
export function readLinesFrom(fd: number, offset: number, final: boolean, onLine: (l: Line) => void, budget = Infinity): number {
  const chunk = Buffer.alloc(CHUNK);
  let pos = offset;
  let lineStart = offset;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let read = 0;
  for (;;) {
    if (read >= budget && pending.length === 0 && pendingBytes === 0) break;
    const n = fs.readSync(fd, chunk, 0, CHUNK, pos);
    if (n === 0) break;
    read += n;
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl !== -1 && nl < n; nl = chunk.indexOf(0x0a, start)) {
      const len = pendingBytes + (nl - start);
      const tooLong = len > MAX_LINE_BYTES;
      if (!tooLong) pending.push(chunk.subarray(start, nl));
      const text = tooLong ? '' : pending.length === 1 ? (pending[0] as Buffer).toString('utf8') : Buffer.concat(pending).toString('utf8');
      onLine({ text, off: lineStart, len, terminated: true, tooLong });
      pending = [];
      pendingBytes = 0;
      start = nl + 1;
      lineStart = pos + start;
    }
    if (start < n) {
      const rest = n - start;
      if (pendingBytes + rest <= MAX_LINE_BYTES) pending.push(Buffer.from(chunk.subarray(start, n)));
      else pending = [];
      pendingBytes += rest;
    }
    pos += n;
  }
  if (final && pendingBytes > 0) {
    const tooLong = pendingBytes > MAX_LINE_BYTES;
    onLine({ text: tooLong ? '' : Buffer.concat(pending).toString('utf8'), off: lineStart, len: pendingBytes, terminated: false, tooLong });
    return lineStart + pendingBytes;
  }
  return lineStart;
}

/** Opens a regular file for reading without ever blocking on a FIFO or device put in its place. */
export function openRegular(file: string): { fd: number; stat: fs.Stats } | { error: string } {
  let fd: number;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { error: code === 'ENOENT' ? 'missing (no such file)' : `unreadable (${code ?? 'error'})` };
  }
  const stat = fs.fstatSync(fd);
  if (!stat.isFile()) {
    fs.closeSync(fd);
    return { error: 'unreadable (not a regular file)' };
  }
  return { fd, stat };
}
