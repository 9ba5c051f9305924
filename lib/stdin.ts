// Reads the whole hook payload from stdin, refusing more than `maxBytes` without buffering it all.
import { GuardError } from './types.js';

export function readStdin(maxBytes: number, stream: NodeJS.ReadableStream = process.stdin): Promise<string> {
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
      if (size > maxBytes) return finish(new GuardError(`hook payload exceeds ${maxBytes} bytes`, 'payload'));
      chunks.push(buf);
    });
    stream.on('end', () => finish(null, Buffer.concat(chunks).toString('utf8')));
    stream.on('error', (err) => finish(new GuardError(`cannot read hook payload: ${(err as Error).message}`, 'payload')));
  });
}
