// Reads the whole hook payload from stdin, refusing more than `maxBytes` without buffering it all.
// Creating `process.stdin` (a net.Socket for a pipe or socket, a ReadStream for a file) cost a hook
// about 4 ms at start-up, so the common cases avoid it:
// - a regular file is read with fs.read;
// - a pipe (Linux) is reopened through /proc/self/fd/0 with O_NONBLOCK and polled.
// Everything else (a socket, as Node's child_process gives, a terminal) goes through process.stdin.
// Never a blocking read on a pipe: a read that blocks in libuv's thread pool keeps process.exit
// from finishing, so a host that never closes stdin would see no answer before its own timeout and
// run the tool. The hook's deadline must end the process whatever stdin does.
import fs from 'node:fs';
import { GuardError } from './types.js';

const CHUNK = 64 * 1024;
const POLL_MS = 2;

export function readStdin(maxBytes: number, source: number | NodeJS.ReadableStream = 0): Promise<string> {
  if (typeof source !== 'number') return readStream(source, maxBytes);
  const fd = nonBlockingFd(source);
  if (fd) return readFd(fd.fd, maxBytes, fd.close);
  return readStream(source === 0 ? process.stdin : fs.createReadStream('', { fd: source, autoClose: false }), maxBytes);
}

/** A descriptor for `fd` whose reads never block, or undefined when there is none to be had. */
function nonBlockingFd(fd: number): { fd: number; close: boolean } | undefined {
  let st: fs.Stats;
  try {
    st = fs.fstatSync(fd);
  } catch {
    return undefined; // closed or unusable: the stream reports the error
  }
  // A file or directory never blocks (a directory fails with EISDIR, as it should).
  if (st.isFile() || st.isDirectory()) return { fd, close: false };
  if (!st.isFIFO() || process.platform !== 'linux') return undefined;
  try {
    return { fd: fs.openSync(`/proc/self/fd/${fd}`, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK), close: true };
  } catch {
    return undefined;
  }
}

/** What is kept of an input over the limit, for the record's identity (lib/payload-identity.ts). */
const EDGE_BYTES = 64 * 1024;
/** Past the limit the input is read on (and dropped) this far, to reach its last bytes. */
const DRAIN_BYTES = 64 * 1024 * 1024;

/**
 * The first and last bytes of an input over the limit: the payload's identity fields lie at its
 * two ends (tool_use_id after a huge tool_response). The middle is dropped as it is read; `tail`
 * is set only when the input ended within DRAIN_BYTES past the limit.
 */
class Edges {
  private head: Buffer[] = [];
  private headSize = 0;
  private tail: Buffer[] = [];
  private tailSize = 0;
  size = 0;

  constructor(private readonly maxBytes: number) {}

  add(buf: Buffer): void {
    this.size += buf.length;
    if (this.headSize < EDGE_BYTES) {
      const part = buf.subarray(0, EDGE_BYTES - this.headSize);
      this.head.push(Buffer.from(part));
      this.headSize += part.length;
    }
    this.tail.push(Buffer.from(buf.subarray(Math.max(0, buf.length - EDGE_BYTES))));
    this.tailSize += Math.min(buf.length, EDGE_BYTES);
    while (this.tail.length > 1 && this.tailSize - (this.tail[0] as Buffer).length >= EDGE_BYTES) this.tailSize -= (this.tail.shift() as Buffer).length;
  }

  /** Still worth reading on (the end may yet come)? */
  get draining(): boolean {
    return this.size <= this.maxBytes + DRAIN_BYTES;
  }

  error(ended: boolean): GuardError {
    const tail = Buffer.concat(this.tail);
    const input = {
      head: Buffer.concat(this.head).toString('utf8'),
      ...(ended ? { tail: tail.subarray(Math.max(0, tail.length - EDGE_BYTES)).toString('utf8') } : {}),
    };
    return Object.assign(tooLarge(this.maxBytes), { input });
  }
}

const tooLarge = (maxBytes: number): GuardError => new GuardError(`hook payload exceeds ${maxBytes} bytes`, 'payload');
const readError = (err: unknown): GuardError => new GuardError(`cannot read hook payload: ${(err as Error).message}`, 'payload');

function readFd(fd: number, maxBytes: number, close: boolean): Promise<string> {
  return new Promise<string>((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    let over: Edges | undefined;
    const next = (): void => {
      const buf = Buffer.allocUnsafe(CHUNK);
      fs.read(fd, buf, 0, CHUNK, null, (err, n) => {
        // An empty non-blocking pipe: poll; the hook's deadline bounds the wait.
        if (err && (err as NodeJS.ErrnoException).code === 'EAGAIN') return void setTimeout(next, POLL_MS);
        if (err) return reject(over ? over.error(false) : readError(err));
        if (n === 0) return over ? reject(over.error(true)) : resolve(Buffer.concat(chunks, size).toString('utf8'));
        size += n;
        if (over) {
          over.add(buf.subarray(0, n));
          return over.draining ? next() : reject(over.error(false));
        }
        chunks.push(buf.subarray(0, n));
        if (size > maxBytes) {
          over = new Edges(maxBytes);
          for (const c of chunks) over.add(c);
          chunks = [];
        }
        next();
      });
    };
    next();
  }).finally(() => {
    if (close) fs.close(fd, () => undefined);
  });
}

function readStream(stream: NodeJS.ReadableStream, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    let over: Edges | undefined;
    const finish = (err: Error | null, text?: string) => {
      if (done) return;
      done = true;
      stream.removeAllListeners('data');
      if (err) {
        stream.resume(); // drain so the writer is not stuck on a full pipe
        reject(err);
      } else resolve(text ?? '');
    };
    stream.on('data', (chunk: Buffer | string) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      size += buf.length;
      if (over) {
        over.add(buf);
        if (!over.draining) finish(over.error(false));
        return;
      }
      chunks.push(buf);
      if (size > maxBytes) {
        over = new Edges(maxBytes);
        for (const c of chunks) over.add(c);
        chunks = [];
      }
    });
    stream.on('end', () => finish(over ? over.error(true) : null, Buffer.concat(chunks).toString('utf8')));
    stream.on('error', (err) => finish(over ? over.error(false) : readError(err)));
  });
}
