// Loopback peers for the sink configuration: an HTTP endpoint that accepts connections and never
// answers (the worst a collector can do to a sender that waits), and a UDP syslog port that only
// counts datagrams. The hook must not notice either: HTTP goes to the spool, UDP is fire-and-forget.
import { spawnSync } from 'node:child_process';
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

export interface Peers {
  httpPort: number;
  syslogPort: number;
  /** TCP connections the silent HTTP endpoint accepted (from forwarders, never from hooks). */
  httpConnections(): number;
  syslogDatagrams(): number;
  close(): Promise<void>;
}

export async function startPeers(): Promise<Peers> {
  const sockets = new Set<net.Socket>();
  let connections = 0;
  const http = net.createServer((sock) => {
    connections++;
    sockets.add(sock);
    sock.on('data', () => undefined);
    sock.on('error', () => undefined);
    sock.on('close', () => sockets.delete(sock));
  });
  await new Promise<void>((resolve, reject) => http.once('error', reject).listen(0, '127.0.0.1', resolve));
  let datagrams = 0;
  const udp = dgram.createSocket('udp4', () => void datagrams++);
  await new Promise<void>((resolve, reject) => udp.once('error', reject).bind(0, '127.0.0.1', resolve));
  return {
    httpPort: (http.address() as net.AddressInfo).port,
    syslogPort: udp.address().port,
    httpConnections: () => connections,
    syslogDatagrams: () => datagrams,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      await new Promise<void>((resolve) => udp.close(() => resolve()));
    },
  };
}

/** A HOOKWARDEN_CONFIG file naming the file sink plus an HTTP and a UDP syslog sink on the peers. */
export function writeSinkConfig(dir: string, peers: Peers): string {
  const file = path.join(dir, 'bench-sinks.json');
  const config = {
    audit: {
      sinks: [
        { type: 'file' },
        { type: 'http', name: 'bench-http', url: `http://127.0.0.1:${peers.httpPort}/ingest` },
        { type: 'syslog', name: 'bench-syslog', transport: 'udp', host: '127.0.0.1', port: peers.syslogPort },
      ],
    },
  };
  fs.writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** Lines (records) in every spool segment under `dir`. */
export function spooledRecords(dir: string): number {
  let n = 0;
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && e.name.endsWith('.jsonl')) n += fs.readFileSync(p, 'utf8').split('\n').filter(Boolean).length;
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return n;
}

/**
 * Processes (forwarders the hooks started, detached) whose environment names `marker`, e.g. the
 * sandbox's XDG_STATE_HOME: only what this benchmark started carries it.
 */
export function processesWithEnv(marker: string): number[] {
  if (process.platform !== 'linux') return [];
  const pids: number[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (fs.readFileSync(`/proc/${name}/environ`, 'latin1').split('\0').includes(marker)) pids.push(Number(name));
    } catch {
      // Gone already, or not ours to read.
    }
  }
  return pids;
}

/** Stops the given processes: TERM, then KILL for those still there after a second. */
export async function stopProcesses(pids: number[]): Promise<void> {
  const alive = (pid: number): boolean => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 20 && pids.some(alive); i++) await new Promise((r) => setTimeout(r, 50));
  for (const pid of pids) if (alive(pid)) process.kill(pid, 'SIGKILL');
}

/**
 * Starts the daemon of the build in `dist` the way a session does (its first call starts it) and
 * waits until it listens in `runDir`.
 */
export async function startDaemon(dist: string, env: Record<string, string>, cwd: string, runDir: string): Promise<void> {
  const payload = { session_id: 's', transcript_path: null, cwd, hook_event_name: 'PreToolUse', tool_name: 'Read', tool_input: { file_path: path.join(cwd, 'x') } };
  spawnSync(process.execPath, [path.join(dist, 'hooks', 'pre-tool-use.js')], { input: JSON.stringify(payload), env, cwd });
  const sockets = path.join(runDir, 'hookwarden');
  for (let i = 0; i < 500; i++) {
    if (fs.existsSync(sockets) && fs.readdirSync(sockets).some((f) => f.endsWith('.sock'))) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`the daemon did not start (no socket in ${sockets})`);
}
