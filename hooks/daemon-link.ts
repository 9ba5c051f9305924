// The hook's side of the resident daemon (hooks/daemon.ts): where its socket is, asking it, and
// starting it. Every call pays Node's start-up; what the daemon saves is loading and compiling
// the guard and the shell parser (about 26 ms for a Write, 58 ms for a Bash call, `npm run bench`).
//
// Trust: the socket lives in a directory only this user can enter (checked on every call: owned
// by us, no access for group or others, not a symlink), so only this user's processes can answer.
// Those can already rewrite the config and the hooks, so the daemon adds no new way around the
// guard. Anything unexpected (no daemon, a refused or dropped connection, a malformed or late
// answer) falls back to deciding in-process: the daemon can make a hook faster, never laxer.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Answer } from '../lib/answer.js';
import type { Env, HookOrigin } from './run.js';

/**
 * One request: the hook's whole input, so the daemon decides exactly as the hook would, and the
 * hook's deadline (epoch ms), which the daemon keeps as the hook would (hooks/runner.ts).
 */
/** A call as the hook's client sends it to the daemon: the hook, where the call came from (a known cwd), its deadline, its stdin. */
export interface DaemonRequest extends HookOrigin { v: 2; hook: string; cwd: string; deadlineAt: number; deadlineMs: number; text: string }

/**
 * On the wire: the request without its text as one JSON line, then the hook's stdin as it came.
 * The payload (up to megabytes) is neither escaped into a JSON string nor parsed an extra time.
 */
export function encodeRequest({ text, ...head }: DaemonRequest): [string, string] {
  return [`${JSON.stringify(head)}\n`, text];
}

/** The request in `bytes`, or undefined when they are not one. */
export function decodeRequest(bytes: Buffer): (Omit<DaemonRequest, 'text'> & { text: Buffer }) | undefined {
  const nl = bytes.indexOf(0x0a);
  if (nl < 0) return undefined;
  try {
    // The text stays bytes: the worker that runs the call decodes it, not the daemon's one thread.
    const r = { ...JSON.parse(bytes.subarray(0, nl).toString('utf8')), text: bytes.subarray(nl + 1) } as Omit<DaemonRequest, 'text'> & { text: Buffer };
    const envOk = !!r.env && typeof r.env === 'object' && Object.values(r.env).every((v) => typeof v === 'string');
    const timeOk = Number.isFinite(r.deadlineAt) && Number.isFinite(r.deadlineMs) && r.deadlineMs > 0;
    return r.v === 2 && typeof r.hook === 'string' && typeof r.cwd === 'string' && Number.isInteger(r.pid) && envOk && timeOk ? r : undefined;
  } catch {
    return undefined;
  }
}

export interface DaemonLink { dir: string; socket: string }

/** The daemon's first byte on a connection: a worker has taken the call. */
export const ACK = '+';
/** How long a hook waits for that: a tenth of the deadline, 100 ms to 1 s. */
export const ackWaitMs = (deadlineMs: number): number => Math.min(1000, Math.max(100, deadlineMs / 10));

/** A start older than this without a socket is taken as failed, and may be tried again. */
const START_GRACE_MS = 10_000;

/**
 * Folder for the sockets. One per user, whatever the environment of the agent that runs the hook
 * (TMPDIR differs between shells and agents; a daemon per TMPDIR wasted ~60 MB each):
 * 1. $XDG_RUNTIME_DIR/hookwarden when the session sets it (a per-user tmpfs);
 * 2. else /run/user/<uid>/hookwarden when that folder is ours (what XDG_RUNTIME_DIR would be);
 * 3. else /tmp/hookwarden-<uid> (never $TMPDIR);
 * 4. if another account made that folder first (a squatter: it cannot be ours, and a folder we
 *    cannot trust must not turn the daemon off for good), a folder in our own home,
 *    ~/.cache/hookwarden/run (home from the account database, not $HOME). `doctor` reports it.
 */
export function socketDir(env: Env, where: SocketPlaces = defaultPlaces()): string {
  const run = env.XDG_RUNTIME_DIR;
  if (run && path.isAbsolute(run)) return path.join(run, 'hookwarden');
  if (where.uid === undefined) return path.join(os.tmpdir(), 'hookwarden-user');
  if (isPrivateDir(where.runUser)) return path.join(where.runUser, 'hookwarden');
  return squatted(where.tmp) ? path.join(where.home, '.cache', 'hookwarden', 'run') : where.tmp;
}

/** Where socketDir looks (tests and doctor pass their own). */
export interface SocketPlaces { uid: number | undefined; runUser: string; tmp: string; home: string }

export function defaultPlaces(): SocketPlaces {
  const uid = process.getuid?.();
  return { uid, runUser: `/run/user/${uid}`, tmp: `/tmp/hookwarden-${uid}`, home: accountHome() };
}

/** Whether `dir` exists but is not a folder we own and alone can enter (made by someone else). */
export function squatted(dir: string): boolean {
  try {
    fs.lstatSync(dir);
  } catch {
    return false;
  }
  return !isPrivateDir(dir);
}

/** The home of the account running us, from the account database (falls back to $HOME). */
function accountHome(): string {
  try {
    return os.userInfo().homedir;
  } catch {
    return os.homedir();
  }
}

/** FNV-1a: a short, stable tag for the install folder (two installs never share a daemon). */
function tag(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/**
 * The socket of the daemon for these hooks: named by the build (a rebuilt or upgraded install
 * never talks to a daemon running older code) and by the install folder. Undefined when the
 * daemon is switched off (HOOKWARDEN_DAEMON=off) or the path is too long for a Unix socket.
 */
export function linkFor(hooksDir: string, build: string, env: Env): DaemonLink | undefined {
  if (env.HOOKWARDEN_DAEMON === 'off' || process.platform === 'win32' || !build) return undefined;
  const dir = socketDir(env);
  const socket = path.join(dir, `${build.slice(0, 16)}-${tag(hooksDir)}.sock`);
  return Buffer.byteLength(socket) < 100 ? { dir, socket } : undefined;
}

/** A folder only this user can use: ours, a real directory, closed to group and others. */
export function isPrivateDir(dir: string): boolean {
  try {
    const st = fs.lstatSync(dir);
    const uid = process.getuid?.();
    return st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

const isAnswer = (a: unknown): a is Answer => {
  const x = a as Answer;
  return !!x && (x.exitCode === 0 || x.exitCode === 2) && typeof x.stdout === 'string' && typeof x.stderr === 'string';
};

/**
 * Asks the daemon. Resolves to its answer, or undefined when the hook must decide itself; starts
 * the daemon when there is none. `waitMs` bounds the wait so the fallback still has time.
 */
export function askDaemon(link: DaemonLink, req: DaemonRequest, start: () => void): Promise<Answer | undefined> {
  if (!isPrivateDir(link.dir)) {
    if (!fs.existsSync(link.dir)) start();
    return Promise.resolve(undefined);
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let done = false;
    let acked = false;
    const finish = (a: Answer | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve(a);
    };
    // The daemon acknowledges a call a worker has taken (after 10 ms unless answered); one that does not
    // (stopped, overloaded, at its worker limit) costs the hook this short wait, then the hook
    // decides itself. An acknowledged call is answered by the daemon before the deadline.
    let connected = false;
    let timer = setTimeout(() => {
      // Not even connected by now: a socket left by a killed daemon refuses at once, but on a loaded
      // machine this timer can run before the refusal is seen, and the refusal is then dropped with
      // the socket. A daemon that is alive makes the one started here leave at once (daemon.ts).
      if (!connected) start();
      finish(undefined);
    }, ackWaitMs(req.deadlineMs));
    // Loaded here, not at the top: a call the compiled client hands over decides without asking (2-3 ms of loading).
    const sock = process.getBuiltinModule('node:net').connect(link.socket);
    sock.on('connect', () => {
      connected = true;
    });
    sock.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') start();
      finish(undefined);
    });
    sock.on('data', (d: Buffer) => {
      if (!acked) {
        acked = true;
        clearTimeout(timer);
        timer = setTimeout(() => finish(undefined), Math.max(0, req.deadlineAt - Date.now() - 60));
      }
      chunks.push(d);
    });
    sock.on('end', () => {
      try {
        const text = Buffer.concat(chunks).toString('utf8');
        const a: unknown = JSON.parse(text.startsWith(ACK) ? text.slice(ACK.length) : text);
        finish(isAnswer(a) ? a : undefined);
      } catch {
        finish(undefined);
      }
    });
    sock.on('close', () => finish(undefined));
    const [head, text] = encodeRequest(req);
    sock.write(head);
    sock.end(text);
  });
}

/**
 * Starts the daemon, detached, unless one was started in the last few seconds (a marker file
 * created exclusively, so a burst of first calls starts one daemon, not one each).
 */
export function startDaemon(hooksDir: string, link: DaemonLink, env: Env): void {
  const marker = `${link.socket}.starting`;
  try {
    fs.mkdirSync(link.dir, { recursive: true, mode: 0o700 });
    if (!isPrivateDir(link.dir)) return;
    try {
      fs.writeFileSync(marker, String(process.pid), { flag: 'wx', mode: 0o600 });
    } catch {
      if (Date.now() - fs.statSync(marker).mtimeMs < START_GRACE_MS) return;
      fs.writeFileSync(marker, String(process.pid), { mode: 0o600 });
    }
    const daemonEnv: Env = {};
    // The daemon needs nothing from this environment: each request carries its own.
    if (env.HOOKWARDEN_DAEMON_IDLE_MS) daemonEnv.HOOKWARDEN_DAEMON_IDLE_MS = env.HOOKWARDEN_DAEMON_IDLE_MS;
    // glibc gives every thread that allocates its own malloc arena and keeps them: with worker
    // threads replaced over time, the daemon's resident size would creep up (npm run bench).
    daemonEnv.MALLOC_ARENA_MAX = '2';
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only on this rare path
    const { spawn } = require('node:child_process') as typeof import('node:child_process');
    spawn(process.execPath, [path.join(hooksDir, 'daemon.js'), link.socket], {
      detached: true, stdio: 'ignore', env: daemonEnv as NodeJS.ProcessEnv, cwd: '/',
    }).unref();
  } catch {
    // No daemon: this call and the next decide in-process, as without one.
  }
}

/** What `hookwarden doctor` says about the socket folder: where it is, and a squatted default. */
export function socketDirReport(env: Env, where: SocketPlaces = defaultPlaces()): { status: 'ok' | 'warn'; detail: string } {
  if (env.HOOKWARDEN_DAEMON === 'off') return { status: 'ok', detail: 'daemon switched off (HOOKWARDEN_DAEMON=off): every call is decided in its hook process' };
  const dir = socketDir(env, where);
  const run = env.XDG_RUNTIME_DIR;
  if ((!run || !path.isAbsolute(run)) && where.uid !== undefined && !isPrivateDir(where.runUser) && squatted(where.tmp)) {
    let owner = '';
    try {
      owner = `owned by uid ${fs.lstatSync(where.tmp).uid}, mode ${(fs.lstatSync(where.tmp).mode & 0o777).toString(8)}`;
    } catch {
      // gone meanwhile
    }
    return {
      status: 'warn',
      detail: `${where.tmp} is not a private folder of this account (${owner}): another local account may have made it; the daemon uses ${dir} instead`,
    };
  }
  if (fs.existsSync(dir) && !isPrivateDir(dir)) {
    return { status: 'warn', detail: `${dir} is open to other accounts: the daemon is not used (every call is decided in its hook process)` };
  }
  return { status: 'ok', detail: `daemon socket folder ${dir}` };
}
