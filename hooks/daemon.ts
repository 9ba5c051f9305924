// The resident daemon: keeps the hook bundles and the shell parser loaded, so a hook process
// (hooks/client.ts) only starts Node, reads stdin and asks. It runs the very bundles the hooks
// would load, with each request's own environment, working directory and pid, so its answers and
// audit records are the ones the hook would have produced itself.
//
// Started detached by a hook that found none (daemon-link.ts); leaves after HOOKWARDEN_DAEMON_IDLE_MS
// (default 10 minutes) without a request, or as soon as its socket is gone or replaced.
// Usage: node daemon.js SOCKET
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ACK, ackWaitMs, decodeRequest, isPrivateDir } from './daemon-link.js';
import { Pool, runCall } from './runner.js';
import { HOOK_SCRIPTS, failsClosed } from '../lib/hooks-catalog.js';
import { originOf } from '../audit/origin.js';

/** Larger requests are dropped unread; the hook then decides in-process. */
const MAX_REQUEST_BYTES = 256 * 1024 * 1024;
const IDLE_MS = Number(process.env.HOOKWARDEN_DAEMON_IDLE_MS) > 0 ? Number(process.env.HOOKWARDEN_DAEMON_IDLE_MS) : 10 * 60_000;
/** Time kept for the answer to reach the hook over the socket. */
const WIRE_MS = 150;
/**
 * Calls run in worker threads (hooks/runner.ts), never on this thread: it only accepts, hands
 * over and answers, so a heavy call never delays another. Two warm spares answer ordinary calls at
 * once; at most 4 run together (each worker costs ~40 MB with the shell parser); beyond that a call
 * waits for a worker, unacknowledged, and its hook decides itself after a tenth of its deadline. A worker is replaced after 1,000 calls, so whatever a call leaves
 * behind in module caches cannot grow without bound (memory is measured by `npm run bench`).
 */
const POOL = { spare: 2, max: 4, recycleAfter: 1000, recordAfterAnswer: true };
/** When a call not yet answered is acknowledged: far inside the shortest wait for it (100 ms). */
const ACK_DELAY_MS = 10;
/** Workers that did not stop when terminated (stuck in the kernel): past this, the daemon leaves. */
const MAX_STUCK = 3;

export function main(socket: string): void {
  const dir = __dirname;
  let ino = -1;
  let inFlight = 0;
  let last = Date.now();

  const ours = (): boolean => {
    try {
      return fs.statSync(socket).ino === ino;
    } catch {
      return false;
    }
  };
  const leave = (code: number): never => {
    if (ours()) fs.rmSync(socket, { force: true });
    process.exit(code);
  };
  process.on('uncaughtException', () => leave(1));
  process.on('unhandledRejection', () => leave(1));

  // Read once: workers started later (spares, replacements) run the code this daemon started with.
  const files = new Map<string, Uint8Array>();
  for (const name of [...HOOK_SCRIPTS.map((h) => `${h}.code.js`), 'mvdan-sh.js']) {
    for (const f of [path.join(dir, name), path.join(dir, name.replace(/\.js$/, '.cache'))]) {
      try {
        files.set(f, fs.readFileSync(f));
      } catch {
        // A missing file fails where it is needed, as in the hook process.
      }
    }
  }
  const pool = new Pool(dir, {
    ...POOL,
    // process.exit would wait for those threads for ever: nobody can reach us once the socket is gone.
    onStuck: (n) => {
      if (n < MAX_STUCK) return;
      if (ours()) fs.rmSync(socket, { force: true });
      process.kill(process.pid, 'SIGKILL');
    },
  }, true, files);

  const serve = (conn: net.Socket): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    conn.on('error', () => conn.destroy());
    conn.on('close', () => {
      const i = waiting.findIndex((w) => w.conn === conn);
      if (i >= 0) waiting.splice(i, 1);
    });
    conn.on('data', (d: Buffer) => {
      size += d.length;
      if (size > MAX_REQUEST_BYTES) conn.destroy();
      else chunks.push(d);
    });
    conn.on('end', () => {
      const req = decodeRequest(Buffer.concat(chunks, size));
      chunks.length = 0;
      if (!req || !(HOOK_SCRIPTS as readonly string[]).includes(req.hook)) return void conn.destroy();
      waiting.push({ req, conn, since: Date.now() });
      dispatch();
    });
  };

  type Request = NonNullable<ReturnType<typeof decodeRequest>>;
  /**
   * Calls waiting for a free worker, unacknowledged: their hooks wait at most a tenth of their
   * deadline for the acknowledgement (daemon-link.ts) and then decide themselves, so a call is
   * never held up behind busy workers by more than that.
   */
  const waiting: { req: Request; conn: net.Socket; since: number }[] = [];
  const dispatch = (): void => {
    while (waiting.length > 0 && (pool.size < POOL.max || pool.hasIdle())) {
      const { req, conn, since } = waiting.shift()!;
      // Its hook has given up on us and decides itself: running it here too would record it twice.
      if (conn.destroyed || Date.now() - since >= ackWaitMs(req.deadlineMs) - 20) {
        conn.destroy();
        continue;
      }
      start(req, conn);
    }
  };
  const start = (req: Request, conn: net.Socket): void => {
    // The acknowledgement tells a hook that waits for it (a tenth of its deadline, at least 100 ms)
    // that a worker has the call. An ordinary call is answered before it would go out: the answer
    // says as much, and the hook is spared a wake-up for one byte (on a virtual machine an idle CPU
    // is slow to wake: timed by hand, not by `npm run bench`, a warm call took up to 1 ms longer).
    const ack = setTimeout(() => conn.write(ACK), ACK_DELAY_MS);
    inFlight++;
    last = Date.now();
    const timing = { deadlineAt: req.deadlineAt - WIRE_MS, deadlineMs: req.deadlineMs };
    // Each call carries its own env, cwd (sink paths resolve against it) and pid; nothing of it
    // is set on this process.
    runCall(pool, { hook: req.hook, text: req.text, ...originOf(req) }, timing, failsClosed(req.hook))
      .then((answer) => {
        clearTimeout(ack);
        conn.end(JSON.stringify(answer));
      })
      .finally(() => {
        inFlight--;
        last = Date.now();
        setImmediate(() => {
          dispatch();
          pool.fill();
        });
      });
  };

  // Half-open: the hook ends its side once the request is sent, and still reads the answer.
  const server = net.createServer({ allowHalfOpen: true }, serve);
  const tmp = `${socket}.${process.pid}.tmp`;
  server.on('error', () => leave(1));
  const listen = (): void => {
    fs.rmSync(tmp, { force: true });
    server.listen(tmp, bound);
  };
  const bound = (): void => {
    try {
      if (!isPrivateDir(path.dirname(socket))) throw new Error('socket folder is not private');
      fs.chmodSync(tmp, 0o600);
      // The start marker goes first: a daemon killed between the two steps must not leave a marker
      // that keeps the next hook from starting another for the grace period (a second daemon
      // started meanwhile is harmless: the later socket wins and the other leaves).
      fs.rmSync(`${socket}.starting`, { force: true });
      fs.renameSync(tmp, socket); // atomic: a hook sees the old socket or this one, never none
      ino = fs.statSync(socket).ino;
      pool.fill(); // after the socket is up: the spares' start-up does not delay the first answer
    } catch {
      fs.rmSync(tmp, { force: true });
      process.exit(1);
    }
  };
  // Two hooks may start a daemon at once (each saw none): the later one leaves the first in place.
  const probe = net.connect(socket);
  probe.on('connect', () => {
    probe.destroy();
    fs.rmSync(`${socket}.starting`, { force: true });
    process.exit(0);
  });
  probe.on('error', listen);
  setInterval(() => {
    if (ino === -1 || inFlight > 0) return;
    if (!ours()) process.exit(0); // replaced by a newer daemon, or removed: nobody can reach us
    if (Date.now() - last >= IDLE_MS) leave(0);
  }, Math.min(IDLE_MS, 30_000)).unref();
  // The interval alone does not keep the process alive; the listening server does.
}

if (typeof require !== 'undefined' && require.main === module) main(process.argv[2] ?? '');
