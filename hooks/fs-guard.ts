// Installed in every decision worker (hooks/worker.ts) before the hook's bundle loads: no file
// operation of a call may block its thread in the kernel. The answering thread preempts a slow call
// by terminating its worker, but V8 can only stop JavaScript: a worker stuck in open(2) on a FIFO or
// read(2) on a terminal cannot be stopped, and Node then cannot exit at all (process.exit joins
// every worker thread), so the host would wait for its own timeout and run the tool.
// So, in the worker only (each worker has its own `fs` module object; the process is untouched):
// - every open by path adds O_NONBLOCK (no effect on regular files; a FIFO without a writer opens
//   at once, and its reads fail with EAGAIN instead of waiting);
// - whole-file reads by path take regular files only, up to MAX_FILE_BYTES (/dev/zero, a FIFO,
//   /dev/stderr as a config file fail at once, naming the file);
// - synchronous child processes get a timeout.
import fs from 'node:fs';
import type childProcess from 'node:child_process';

/** Larger files are refused by whole-file reads: no file a call needs comes near it. */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;

const C = fs.constants;
const FLAGS: Record<string, number> = {
  r: C.O_RDONLY, rs: C.O_RDONLY | C.O_SYNC, sr: C.O_RDONLY | C.O_SYNC,
  'r+': C.O_RDWR, 'rs+': C.O_RDWR | C.O_SYNC, 'sr+': C.O_RDWR | C.O_SYNC,
  w: C.O_TRUNC | C.O_CREAT | C.O_WRONLY, wx: C.O_TRUNC | C.O_CREAT | C.O_WRONLY | C.O_EXCL,
  xw: C.O_TRUNC | C.O_CREAT | C.O_WRONLY | C.O_EXCL,
  'w+': C.O_TRUNC | C.O_CREAT | C.O_RDWR, 'wx+': C.O_TRUNC | C.O_CREAT | C.O_RDWR | C.O_EXCL,
  'xw+': C.O_TRUNC | C.O_CREAT | C.O_RDWR | C.O_EXCL,
  a: C.O_APPEND | C.O_CREAT | C.O_WRONLY, ax: C.O_APPEND | C.O_CREAT | C.O_WRONLY | C.O_EXCL,
  xa: C.O_APPEND | C.O_CREAT | C.O_WRONLY | C.O_EXCL, as: C.O_APPEND | C.O_CREAT | C.O_WRONLY | C.O_SYNC,
  sa: C.O_APPEND | C.O_CREAT | C.O_WRONLY | C.O_SYNC,
  'a+': C.O_APPEND | C.O_CREAT | C.O_RDWR, 'ax+': C.O_APPEND | C.O_CREAT | C.O_RDWR | C.O_EXCL,
  'xa+': C.O_APPEND | C.O_CREAT | C.O_RDWR | C.O_EXCL, 'as+': C.O_APPEND | C.O_CREAT | C.O_RDWR | C.O_SYNC,
  'sa+': C.O_APPEND | C.O_CREAT | C.O_RDWR | C.O_SYNC,
};

/** `flags` (a number or an fs flag string) with O_NONBLOCK added. */
export function nonBlocking(flags: unknown, fallback: string): number | unknown {
  const f = flags === undefined || flags === null ? FLAGS[fallback] : typeof flags === 'number' ? flags : FLAGS[String(flags)];
  return f === undefined ? flags : f | C.O_NONBLOCK;
}

const isFd = (p: unknown): p is number => typeof p === 'number';
const flagOf = (opts: unknown, fallback: string): unknown =>
  opts && typeof opts === 'object' && 'flag' in opts ? (opts as { flag?: unknown }).flag ?? fallback : fallback;

function refuse(file: unknown, why: string): never {
  const err = new Error(`${String(file)}: ${why}`) as NodeJS.ErrnoException;
  err.code = 'EINVAL';
  throw err;
}

/** A descriptor fit for a whole-file read: a regular file of bounded size. */
function checkReadable(fd: number, file: unknown): void {
  const st = fs.fstatSync(fd);
  if (!st.isFile()) refuse(file, 'not a regular file');
  if (st.size > MAX_FILE_BYTES) refuse(file, `larger than ${MAX_FILE_BYTES} bytes`);
}

let installed = false;

/** Patches this thread's `fs` (call once, in a worker). */
export function installFsGuard(): void {
  if (installed) return;
  installed = true;
  const f = fs as unknown as Record<string, (...a: unknown[]) => unknown>;
  const openSync = fs.openSync;
  const open = fs.open;
  const readFileSync = fs.readFileSync;
  const writeFileSync = fs.writeFileSync;
  const appendFileSync = fs.appendFileSync;
  const readFile = fs.readFile;

  f.openSync = (p: unknown, flags?: unknown, mode?: unknown) =>
    isFd(p) ? openSync(p as never, flags as never, mode as never) : openSync(p as never, nonBlocking(flags, 'r') as never, mode as never);
  f.open = (p: unknown, ...rest: unknown[]) => {
    const cb = rest.pop();
    const [flags, mode] = rest;
    return open(p as never, nonBlocking(flags, 'r') as never, (mode ?? 0o666) as never, cb as never);
  };
  f.readFileSync = (p: unknown, opts?: unknown) => {
    if (isFd(p)) return readFileSync(p, opts as never);
    const fd = openSync(p as never, nonBlocking(flagOf(opts, 'r'), 'r') as never);
    try {
      checkReadable(fd, p);
      return readFileSync(fd, opts as never);
    } finally {
      fs.closeSync(fd);
    }
  };
  const writeBy = (orig: typeof writeFileSync, fallback: string) => (p: unknown, data: unknown, opts?: unknown) => {
    if (isFd(p)) return orig(p, data as never, opts as never);
    const mode = opts && typeof opts === 'object' && 'mode' in opts ? (opts as { mode?: number }).mode : undefined;
    const fd = openSync(p as never, nonBlocking(flagOf(opts, fallback), fallback) as never, mode ?? 0o666);
    try {
      const o = typeof opts === 'object' && opts ? { ...(opts as object), flag: undefined } : opts;
      return orig(fd, data as never, o as never);
    } finally {
      fs.closeSync(fd);
    }
  };
  f.writeFileSync = writeBy(writeFileSync, 'w');
  f.appendFileSync = writeBy(appendFileSync as typeof writeFileSync, 'a');
  f.copyFileSync = (src: unknown, dest: unknown, mode?: unknown) => {
    if (typeof mode === 'number' && mode & C.COPYFILE_EXCL && fs.existsSync(dest as string)) refuse(dest, 'exists');
    f.writeFileSync!(dest, f.readFileSync!(src));
  };
  f.readFile = (p: unknown, ...rest: unknown[]) => {
    const cb = rest.pop() as (err: unknown, data?: unknown) => void;
    const opts = rest[0];
    if (isFd(p)) return readFile(p, opts as never, cb as never);
    open(p as never, nonBlocking(flagOf(opts, 'r'), 'r') as never, (err, fd) => {
      if (err) return cb(err);
      try {
        checkReadable(fd, p);
      } catch (e) {
        fs.close(fd, () => cb(e));
        return;
      }
      readFile(fd, opts as never, (e2: unknown, data: unknown) => fs.close(fd, () => cb(e2, data)));
    });
  };
  const p = fs.promises as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>;
  const pOpen = fs.promises.open;
  p.open = (file: unknown, flags?: unknown, mode?: unknown) => pOpen(file as never, nonBlocking(flags, 'r') as never, mode as never);
  p.readFile = async (file: unknown, opts?: unknown) => {
    const h = await pOpen(file as never, nonBlocking(flagOf(opts, 'r'), 'r') as never);
    try {
      checkReadable(h.fd, file);
      return await h.readFile(opts as never);
    } finally {
      await h.close();
    }
  };
}

/** Gives this thread's synchronous child processes a timeout: a worker waiting on one cannot be stopped. */
export function guardChildProcess(cp: typeof childProcess): void {
  {
    const c = cp as unknown as Record<string, (...a: unknown[]) => unknown>;
    for (const name of ['spawnSync', 'execSync', 'execFileSync'] as const) {
      const orig = c[name]!;
      c[name] = (...args: unknown[]) => {
        const last = args[args.length - 1];
        const opts = last && typeof last === 'object' && !Array.isArray(last) ? args.pop() as Record<string, unknown> : {};
        const timeout = typeof opts.timeout === 'number' && opts.timeout > 0 ? Math.min(opts.timeout, 10_000) : 10_000;
        return orig(...args, { ...opts, timeout, killSignal: 'SIGKILL' });
      };
    }
  }
}
