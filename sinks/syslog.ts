// Syslog sink: RFC 5424 over UDP (fire and forget), TCP (RFC 6587 octet counting), TLS (RFC 5425)
// or a unix socket. Stream deliveries end with a half-close and count as delivered only once the
// receiver closes its side: it has then read everything we sent. What cannot be delivered within
// the sink's time budget goes to the spool for `hookwarden ship`.
import { messageOf } from '../lib/errors.js';
import type dgramTypes from 'node:dgram';
import fs from 'node:fs';
import type net from 'node:net';
import os from 'node:os';
import type tls from 'node:tls';
import { childProcess, dgram, net as netModule, tls as tlsModule } from './lazy-builtins.js';
import type { AuditRecord } from '../lib/types.js';
import type { SyslogSinkConfig } from '../lib/audit-config.js';
import type { SpoolQueue } from './spool.js';
import type { Sink, SinkErrorHandler } from './types.js';
import { APP_NAME, SD_ID, UDP_MAX_BYTES, fitSyslog, octetFrame, syslogParts, syslogPort } from './syslog-format.js';

export function syslogLabel(cfg: SyslogSinkConfig): string {
  return cfg.transport === 'unix'
    ? `syslog unix ${cfg.path}`
    : `syslog ${cfg.transport} ${cfg.host}:${syslogPort(cfg)}`;
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? os.homedir() + p.slice(1) : p;
}

/** Writes frames, half-closes, and waits for the receiver to close: proof it read them all. */
function streamExchange(sock: net.Socket, ready: 'connect' | 'secureConnect', frames: Buffer[], timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (err?: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      if (err) reject(err);
      else resolve();
    };
    const timer = setTimeout(() => finish(new Error(`no confirmation within ${timeoutMs} ms`)), timeoutMs);
    sock.once(ready, () => {
      for (const f of frames) sock.write(f);
      sock.end();
    });
    sock.on('error', (err) => finish(err));
    sock.on('data', () => undefined); // A syslog receiver sends nothing; keep the stream flowing.
    sock.on('end', () => finish());
    sock.on('close', () => finish(new Error('connection closed before the receiver confirmed')));
  });
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/**
 * Node has no unix datagram sockets, and /dev/log is a datagram socket almost everywhere
 * (journald, rsyslog imuxsock): util-linux `logger` sends the same RFC 5424 fields there
 * (its own clock and host name for TIMESTAMP and HOSTNAME).
 */
function loggerSend(cfg: SyslogSinkConfig, record: AuditRecord, timeoutMs: number): Promise<void> {
  const p = syslogParts(record, cfg.facility);
  const args = [
    '--socket', cfg.path, '--socket-errors=on', '--rfc5424=notq', '--tag', APP_NAME,
    '--priority', `${cfg.facility}.${p.severity}`, '--msgid', p.msgid,
    '--size', String(Buffer.byteLength(p.msg) + 4096), '--sd-id', SD_ID,
    ...(/^\d+$/.test(p.procid) ? [`--id=${p.procid}`] : []),
    ...p.params.flatMap((param) => ['--sd-param', param]),
    '--', p.msg,
  ];
  return new Promise((resolve, reject) => {
    const child = childProcess().spawn('logger', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`unix datagram socket ${cfg.path} needs util-linux logger: ${err.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`logger to ${cfg.path}: ${stderr.trim().split('\n')[0] || (signal ? `killed after ${timeoutMs} ms` : `exit ${code}`)}`));
    });
  });
}

/** One destination. `send` resolves once the records are delivered, rejects otherwise. */
export class SyslogTransport {
  private udp?: dgramTypes.Socket;
  private unixDgram = false;

  constructor(readonly cfg: SyslogSinkConfig) {}

  async send(all: AuditRecord[], timeoutMs = this.cfg.timeoutMs): Promise<void> {
    if (all.length === 0) return;
    const { cfg } = this;
    const max = cfg.transport === 'udp' ? Math.min(cfg.maxMessageBytes, UDP_MAX_BYTES[this.udpFamily()]) : cfg.maxMessageBytes;
    const fitted = all.map((r) => fitSyslog(r, cfg.facility, max));
    const records = fitted.map((f) => f.record);
    const msgs = fitted.map((f) => f.message);
    const port = syslogPort(cfg);
    switch (cfg.transport) {
      case 'udp':
        return withTimeout(this.sendUdp(msgs, port), timeoutMs, syslogLabel(cfg));
      case 'tcp':
        return streamExchange(netModule().connect({ host: cfg.host, port }), 'connect', msgs.map(octetFrame), timeoutMs);
      case 'tls':
        return streamExchange(await this.tlsConnect(port), 'secureConnect', msgs.map(octetFrame), timeoutMs);
      case 'unix':
        return this.sendUnix(records, msgs, timeoutMs);
    }
  }

  private async sendUdp(msgs: string[], port: number): Promise<void> {
    const sock = (this.udp ??= this.openUdp());
    for (const msg of msgs) {
      await new Promise<void>((resolve, reject) => sock.send(msg, port, this.cfg.host, (err) => (err ? reject(err) : resolve())));
    }
  }

  private udpFamily(): 'udp4' | 'udp6' {
    return netModule().isIPv6(this.cfg.host) ? 'udp6' : 'udp4';
  }

  private openUdp(): dgramTypes.Socket {
    const sock = dgram().createSocket(this.udpFamily());
    sock.on('error', () => undefined); // Reported through the send callback.
    sock.unref();
    return sock;
  }

  private async tlsConnect(port: number): Promise<tls.TLSSocket> {
    // Loaded on first use: TLS costs start-up time that UDP and TCP hooks should not pay. Not a
    // dynamic import(): the hooks run their bundle through vm.Script, which has no import() hook.
    const { connect } = tlsModule();
    const { cfg } = this;
    const read = (p: string | undefined): Buffer | undefined => (p ? fs.readFileSync(expandHome(p)) : undefined);
    return connect({
      host: cfg.host,
      port,
      servername: netModule().isIP(cfg.host) ? undefined : cfg.host,
      ca: read(cfg.ca),
      cert: read(cfg.cert),
      key: read(cfg.key),
      rejectUnauthorized: cfg.rejectUnauthorized,
    });
  }

  private async sendUnix(records: AuditRecord[], msgs: string[], timeoutMs: number): Promise<void> {
    if (!this.unixDgram) {
      try {
        // Stream sockets (syslog-ng unix-stream) take newline-terminated messages.
        const frames = msgs.map((m) => Buffer.from(`${m}\n`));
        return await streamExchange(netModule().connect({ path: this.cfg.path }), 'connect', frames, timeoutMs);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EPROTOTYPE') throw err;
        this.unixDgram = true;
      }
    }
    const deadline = Date.now() + timeoutMs;
    for (const r of records) await loggerSend(this.cfg, r, Math.max(10, deadline - Date.now()));
  }

  close(): void {
    this.udp?.close();
    this.udp = undefined;
  }
}

export interface SyslogSinkOptions {
  /** The sink's spool queue (made on first use); UDP never spools. */
  queue?: () => SpoolQueue;
  onError?: SinkErrorHandler;
}


export function createSyslogSink(cfg: SyslogSinkConfig, opts: SyslogSinkOptions = {}): Sink {
  const name = cfg.name ?? syslogLabel(cfg);
  const transport = new SyslogTransport(cfg);
  const report = (err: unknown): void => opts.onError?.(name, err);
  return {
    name,
    async write(record: AuditRecord): Promise<void> {
      if (cfg.transport === 'udp' || !opts.queue) {
        await transport.send([record]).catch(report);
        return;
      }
      const queue = opts.queue();
      try {
        // With records already waiting, go through the spool too: keeps order, and a receiver that
        // is down costs one hook its budget instead of every hook.
        if (queue.hasPending()) return queue.append(record);
      } catch {
        // The spool is unusable: a direct send is all that is left.
      }
      try {
        await transport.send([record]);
      } catch (err) {
        try {
          queue.append(record);
          report(new Error(`${messageOf(err)}; record spooled for hookwarden ship`));
        } catch (spoolErr) {
          report(new Error(`${messageOf(err)}; spooling failed too: ${messageOf(spoolErr)}`));
        }
      }
    },
    async flush(): Promise<void> {},
    async close(): Promise<void> {
      transport.close();
    },
  };
}
