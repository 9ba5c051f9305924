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
import { loadHook } from './client.js';
import { decodeRequest, isPrivateDir } from './daemon-link.js';
import { failureAnswer, type Hook } from './run.js';

const HOOKS = ['pre-tool-use', 'post-tool-use', 'audit-event'];
/** Larger requests are dropped unread; the hook then decides in-process. */
const MAX_REQUEST_BYTES = 256 * 1024 * 1024;
const IDLE_MS = Number(process.env.HOOKWARDEN_DAEMON_IDLE_MS) > 0 ? Number(process.env.HOOKWARDEN_DAEMON_IDLE_MS) : 10 * 60_000;

export function main(socket: string): void {
  const dir = __dirname;
  const hooks = new Map<string, Hook | undefined>();
  /** A hook that cannot load is left to the hook process, which reports it as it would alone. */
  const hook = (name: string): Hook | undefined => {
    if (!HOOKS.includes(name)) return undefined;
    if (!hooks.has(name)) {
      try {
        hooks.set(name, loadHook(dir, name));
      } catch {
        hooks.set(name, undefined);
      }
    }
    return hooks.get(name);
  };
  hook('pre-tool-use')?.warm?.();
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

  const serve = (conn: net.Socket): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    conn.on('error', () => conn.destroy());
    conn.on('data', (d: Buffer) => {
      size += d.length;
      if (size > MAX_REQUEST_BYTES) conn.destroy();
      else chunks.push(d);
    });
    conn.on('end', () => {
      const req = decodeRequest(Buffer.concat(chunks, size));
      if (!req) return void conn.destroy();
      const h = hook(req.hook);
      if (!h) return void conn.destroy();
      try {
        // A relative audit file path resolves as in the hook: the sinks are opened before the
        // handler's first await. Paths read later (the AuditError record's file sink, syslog TLS
        // files) may see another call's directory if calls overlap; absolute and ~/ paths never do.
        process.chdir(req.cwd);
      } catch {
        return void conn.destroy();
      }
      inFlight++;
      last = Date.now();
      h.handle(req.text, { env: req.env, pid: req.pid })
        .catch((err: unknown) => failureAnswer(err, h.failClosed))
        .then((answer) => conn.end(JSON.stringify(answer)))
        .finally(() => {
          inFlight--;
          last = Date.now();
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
      fs.renameSync(tmp, socket); // atomic: a hook sees the old socket or this one, never none
      ino = fs.statSync(socket).ino;
      fs.rmSync(`${socket}.starting`, { force: true });
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
