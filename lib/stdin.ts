// Reads the whole hook payload from stdin, refusing more than `maxBytes` without buffering it all.
// Hooks read file descriptor 0 with fs.read: creating `process.stdin` (a net.Socket for a pipe, a
// ReadStream for a file) cost a hook about 4 ms at start-up. The read is asynchronous, so the
// hook's deadline timer still fires if the host never closes stdin.
import fs from 'node:fs';
import { GuardError } from './types.js';

const CHUNK = 64 * 1024;

export function readStdin(maxBytes: number, source: number | NodeJS.ReadableStream = 0): Promise<string> {
  return typeof source === 'number' ? readFd(source, maxBytes) : readStream(source, maxBytes);
}

const tooLarge = (maxBytes: number): GuardError => new GuardError(`hook payload exceeds ${maxBytes} bytes`, 'payload');
const readError = (err: unknown): GuardError => new GuardError(`cannot read hook payload: ${(err as Error).message}`, 'payload');

function readFd(fd: number, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const next = (): void => {
      const buf = Buffer.allocUnsafe(CHUNK);
      fs.read(fd, buf, 0, CHUNK, null, (err, n) => {
        // A non-blocking pipe with nothing in it yet: poll; the hook's deadline bounds the wait.
        if (err && (err as NodeJS.ErrnoException).code === 'EAGAIN') return void setTimeout(next, 2);
        if (err) return reject(readError(err));
        if (n === 0) return resolve(Buffer.concat(chunks, size).toString('utf8'));
        size += n;
        if (size > maxBytes) return reject(tooLarge(maxBytes));
        chunks.push(buf.subarray(0, n));
        next();
      });
    };
    next();
  });
}

function readStream(stream: NodeJS.ReadableStream, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
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
      if (size > maxBytes) return finish(tooLarge(maxBytes));
      chunks.push(buf);
    });
    stream.on('end', () => finish(null, Buffer.concat(chunks).toString('utf8')));
    stream.on('error', (err) => finish(readError(err)));
  });
}
