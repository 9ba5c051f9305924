// A real rsyslogd for the syslog sink tests: its own config in a temp dir, UDP and TCP inputs on
// loopback ports of its own, an imuxsock datagram socket of its own, and an omfile action whose
// template writes the fields rsyslog parsed. Stopped by the pid from its pidfile.
import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';

/** What rsyslog parsed out of one message. */
export interface Parsed {
  pri: number;
  app: string;
  procid: string;
  msgid: string;
  host: string;
  sd: string;
  msg: string;
}

/** rsyslogd from PATH or the usual sbin directories (PATH of a non-root shell may lack them). */
export function findRsyslogd(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/sbin', '/usr/local/sbin'];
  return dirs.map((d) => path.join(d, 'rsyslogd')).find((p) => fs.existsSync(p));
}

async function freeUdpPort(): Promise<number> {
  const s = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const { port } = s.address();
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}

async function freeTcpPort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class Rsyslog {
  private child?: ChildProcess;
  private stderr = '';
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-rsyslog-'));
  readonly out = path.join(this.dir, 'out.log');
  readonly socket = path.join(this.dir, 'log.sock');
  udpPort = 0;
  tcpPort = 0;

  /** `tcpPort`: listen on a port chosen beforehand (a receiver that comes up late). */
  async start(opts: { tcpPort?: number } = {}): Promise<this> {
    const bin = findRsyslogd();
    if (!bin) throw new Error('rsyslogd is not installed (apt-get install -y rsyslog); the syslog tests need a real one');
    this.udpPort = await freeUdpPort();
    this.tcpPort = opts.tcpPort ?? (await freeTcpPort());
    const work = path.join(this.dir, 'work');
    fs.mkdirSync(work);
    const conf = path.join(this.dir, 'rsyslog.conf');
    fs.writeFileSync(conf, [
      `global(workDirectory="${work}" maxMessageSize="64k" net.enableDNS="off")`,
      'module(load="imudp")',
      'module(load="imtcp")',
      'module(load="imuxsock" SysSock.Use="off")',
      'template(name="fields" type="string" string="%PRI%|%APP-NAME%|%PROCID%|%MSGID%|%HOSTNAME%|%STRUCTURED-DATA%|%msg%\\n")',
      `input(type="imudp" address="127.0.0.1" port="${this.udpPort}")`,
      `input(type="imtcp" address="127.0.0.1" port="${this.tcpPort}")`,
      // The regular parser chain (not imuxsock's legacy one) so RFC 5424 is parsed.
      `input(type="imuxsock" Socket="${this.socket}" UseSpecialParser="off" ParseHostname="on" RateLimit.Interval="0")`,
      `action(type="omfile" file="${this.out}" template="fields")`,
      '',
    ].join('\n'));
    const child = spawn(bin, ['-n', '-f', conf, '-i', path.join(this.dir, 'rsyslogd.pid')], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr!.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.child = child;
    await this.ready();
    return this;
  }

  /** TCP accepts, the socket exists, and a UDP probe has come out the other end. */
  private async ready(): Promise<void> {
    const end = Date.now() + 8000;
    const fail = (what: string): Error => new Error(`rsyslogd not ready (${what}): ${this.stderr.trim()}`);
    for (;;) {
      if (this.child?.exitCode !== null) throw fail('exited');
      if (Date.now() > end) throw fail('timeout');
      const up = await new Promise<boolean>((resolve) => {
        const c = net.connect(this.tcpPort, '127.0.0.1', () => {
          c.destroy();
          resolve(true);
        });
        c.on('error', () => resolve(false));
      });
      if (up && fs.existsSync(this.socket)) break;
      await sleep(50);
    }
    const probe = dgram.createSocket('udp4');
    try {
      while (!this.lines().some((l) => l.msgid === 'probe')) {
        if (Date.now() > end) throw fail('udp probe');
        probe.send('<14>1 - - - - probe - -', this.udpPort, '127.0.0.1');
        await sleep(50);
      }
    } finally {
      probe.close();
    }
  }

  lines(): Parsed[] {
    if (!fs.existsSync(this.out)) return [];
    // Only complete lines: rsyslog may flush a long message in pieces, and a reader must not see half of one.
    const text = fs.readFileSync(this.out, 'utf8');
    return text.slice(0, text.lastIndexOf('\n') + 1).split('\n').filter((l) => l !== '').map((l) => {
      const parts = l.split('|');
      const [pri, app, procid, msgid, host, sd] = parts;
      return { pri: Number(pri), app: app!, procid: procid!, msgid: msgid!, host: host!, sd: sd!, msg: parts.slice(6).join('|') };
    });
  }

  /** Messages carrying one of `ids` (probes excluded), once all of them have arrived. */
  async waitFor(ids: string[], timeoutMs = 5000): Promise<Parsed[]> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const got = this.lines().filter((l) => ids.some((id) => l.msg.includes(id)));
      if (ids.every((id) => got.some((l) => l.msg.includes(id)))) return got;
      if (Date.now() > end) throw new Error(`rsyslog received ${got.length} of ${ids.length} messages`);
      await sleep(50);
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const pidFile = path.join(this.dir, 'rsyslogd.pid');
    const pid = fs.existsSync(pidFile) ? Number(fs.readFileSync(pidFile, 'utf8').trim()) : child.pid;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // Only ever the daemon we started (with -n the pidfile names our child).
    child.kill('SIGTERM');
    if (pid !== child.pid) throw new Error(`rsyslogd pidfile names ${pid}, not our child ${child.pid}`);
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    await exited;
    clearTimeout(timer);
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
