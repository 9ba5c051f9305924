// doctor: can the audit sinks take records, and how much waits in the spool. A sink that is down
// does not stop the guard (HTTP and syslog records wait in the spool), so these are warnings.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { AuditConfig, SinkConfig } from '../../lib/audit-config.js';
import { auditPathOf } from '../../sinks/file.js';
import { spoolDir } from '../../sinks/spool.js';
import type { Check } from './result.js';

/** The nearest existing ancestor of `dir` is writable (the sink creates the rest). */
export function writableDir(dir: string): { ok: boolean; at: string } {
  let at = path.resolve(dir);
  for (;;) {
    try {
      const st = fs.statSync(at);
      if (!st.isDirectory()) return { ok: false, at };
      fs.accessSync(at, fs.constants.W_OK | fs.constants.X_OK);
      return { ok: true, at };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') return { ok: false, at };
      const parent = path.dirname(at);
      if (parent === at) return { ok: false, at };
      at = parent;
    }
  }
}

function connects(host: string, port: number, timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const sock = net.connect({ host, port });
    const end = (err?: string) => {
      sock.destroy();
      resolve(err);
    };
    sock.setTimeout(timeoutMs, () => end(`no connection within ${timeoutMs} ms`));
    sock.on('connect', () => end());
    sock.on('error', (e: NodeJS.ErrnoException) => end(e.code ?? e.message));
  });
}

const check = (name: string, status: Check['status'], detail: string, fix: string | null = null): Check => ({ agent: null, name, status, detail, fix });

async function sinkCheck(s: SinkConfig, env: Record<string, string | undefined>, home: string, timeoutMs: number): Promise<Check> {
  const label = `sink ${s.type}${s.name ? ` ${s.name}` : ''}`;
  if (s.type === 'file') {
    const file = auditPathOf(s, env, home);
    const w = writableDir(path.dirname(file));
    return w.ok
      ? check('sink', 'ok', `${label}: ${file} (directory writable)`)
      : check('sink', 'warn', `${label}: ${path.dirname(file)} is not writable (checked ${w.at}); records are lost`, `make ${w.at} writable or set audit.sinks[].path`);
  }
  if (s.type === 'http' || s.type === 'clickhouse') {
    const u = new URL(s.url);
    const port = Number(u.port) || (u.protocol === 'https:' ? 443 : s.type === 'clickhouse' ? 8123 : 80);
    const err = await connects(u.hostname.replace(/^\[|\]$/g, ''), port, timeoutMs);
    return err
      ? check('sink', 'warn', `${label}: ${u.host} unreachable (${err}); records wait in the spool`, s.type === 'clickhouse' ? 'start the ClickHouse server, then run: hookwarden ship' : 'start the collector, then run: hookwarden ship')
      : check('sink', 'ok', `${label}: ${u.host} accepts connections`);
  }
  if (s.transport === 'unix') {
    const isSock = (() => {
      try {
        return fs.statSync(s.path).isSocket();
      } catch {
        return false;
      }
    })();
    return isSock ? check('sink', 'ok', `${label}: ${s.path} is a socket`) : check('sink', 'warn', `${label}: ${s.path} is not a socket; records wait in the spool`, 'start the syslog daemon, then run: hookwarden ship');
  }
  if (s.transport === 'udp') return check('sink', 'ok', `${label}: udp ${s.host}:${s.port ?? 514} (UDP cannot be checked)`);
  const port = s.port ?? (s.transport === 'tls' ? 6514 : 514);
  const err = await connects(s.host, port, timeoutMs);
  return err
    ? check('sink', 'warn', `${label}: ${s.host}:${port} unreachable (${err}); records wait in the spool`, 'start the syslog daemon, then run: hookwarden ship')
    : check('sink', 'ok', `${label}: ${s.host}:${port} accepts connections`);
}

/** Bytes and files under a folder (0 when it does not exist). */
export function folderSize(dir: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  const walk = (d: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) {
        files++;
        bytes += fs.statSync(p).size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

export interface SinkReport { checks: Check[]; spool: { dir: string; files: number; bytes: number; maxBytes: number } }

export async function checkSinks(audit: AuditConfig, env: Record<string, string | undefined>, home: string, timeoutMs = 2000): Promise<SinkReport> {
  const sinks: SinkConfig[] = audit.sinks ?? [{ type: 'file', fsync: 'deny', rotateBytes: 10 * 1024 * 1024 }];
  const checks = await Promise.all(sinks.map((s) => sinkCheck(s, env, home, timeoutMs)));
  const dir = spoolDir(audit, env, home);
  const size = folderSize(dir);
  const maxBytes = audit.spool.maxBytes;
  const full = size.bytes >= 0.8 * maxBytes;
  checks.push(check('spool', full ? 'warn' : 'ok', `${dir}: ${size.files} files, ${size.bytes} bytes of ${maxBytes}`, full ? 'run: hookwarden ship (records are dropped when the spool is full)' : null));
  return { checks, spool: { dir, ...size, maxBytes } };
}
