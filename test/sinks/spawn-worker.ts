// Starts test/sinks/append-worker.ts in a child process and follows what it prints.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');

export interface Worker {
  child: ChildProcess;
  /** Resolves when the worker has printed `line` `times` times in all (rejects if it exits first). */
  seen(line: string, times?: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

export function startWorker(args: string[]): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'append-worker.ts'), ...args], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const counts = new Map<string, number>();
  const waiters: { line: string; times: number; resolve: () => void; reject: (e: Error) => void }[] = [];
  let err = '';
  let buf = '';
  let done = false;
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on('exit', (code, signal) => {
      done = true;
      for (const w of waiters.splice(0)) w.reject(new Error(`worker exited (${code ?? signal}) before "${w.line}": ${err}`));
      resolve({ code, signal });
    });
  });
  const check = (): void => {
    for (let i = waiters.length - 1; i >= 0; i--) {
      const w = waiters[i]!;
      if ((counts.get(w.line) ?? 0) >= w.times) {
        waiters.splice(i, 1);
        w.resolve();
      }
    }
  };
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) !== -1) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      counts.set(line, (counts.get(line) ?? 0) + 1);
    }
    check();
  });
  return {
    child,
    exited,
    stderr: () => err,
    seen(line, times = 1) {
      return new Promise<void>((resolve, reject) => {
        waiters.push({ line, times, resolve, reject });
        check();
        if (done && waiters.some((w) => w.resolve === resolve)) reject(new Error(`worker already exited before "${line}": ${err}`));
      });
    },
  };
}
