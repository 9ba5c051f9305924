// A real clickhouse-server (the Debian package, 18.16 here) for one test file: loopback only, a
// temporary data folder, free ports, a generated config, users `default` (no password) and
// `writer` (password `s3cret`); stopped and removed with `stop()`. It can be stopped and started
// again on the same ports and data (the "server down for part of the run" tests).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const WRITER = { user: 'writer', password: 's3cret' };

/** The server binary: on PATH, else where Debian puts it (/usr/sbin is not on every PATH). */
export function clickhouseBinary(): string | undefined {
  for (const dir of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/bin']) {
    if (!dir) continue;
    const p = path.join(dir, 'clickhouse-server');
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      // next
    }
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

function configXml(dir: string, ports: { http: number; tcp: number; inter: number }): string {
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/log/server.log</log><errorlog>${dir}/log/error.log</errorlog><size>10M</size><count>1</count></logger>
  <http_port>${ports.http}</http_port>
  <tcp_port>${ports.tcp}</tcp_port>
  <interserver_http_port>${ports.inter}</interserver_http_port>
  <interserver_http_host>127.0.0.1</interserver_http_host>
  <listen_host>127.0.0.1</listen_host>
  <max_connections>256</max_connections>
  <keep_alive_timeout>30</keep_alive_timeout>
  <max_concurrent_queries>64</max_concurrent_queries>
  <uncompressed_cache_size>8589934592</uncompressed_cache_size>
  <mark_cache_size>268435456</mark_cache_size>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mlock_executable>false</mlock_executable>
  <builtin_dictionaries_reload_interval>3600</builtin_dictionaries_reload_interval>
  <max_session_timeout>3600</max_session_timeout>
  <default_session_timeout>60</default_session_timeout>
</yandex>
`;
}

const USERS = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>2000000000</max_memory_usage></default></profiles>
  <users>
    <default><password></password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></default>
    <${WRITER.user}><password>${WRITER.password}</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></${WRITER.user}>
  </users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;

export class ClickHouseServer {
  private child?: ChildProcess;
  private exited?: Promise<void>;
  readonly dir: string;
  ports!: { http: number; tcp: number; inter: number };

  private constructor(readonly bin: string) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-ch-'));
  }

  /** Starts a server; undefined when no clickhouse-server is installed (the caller skips). */
  static async start(): Promise<ClickHouseServer | undefined> {
    const bin = clickhouseBinary();
    if (!bin) return undefined;
    const s = new ClickHouseServer(bin);
    s.ports = { http: await freePort(), tcp: await freePort(), inter: await freePort() };
    for (const d of ['data', 'tmp', 'user_files', 'format_schemas', 'log']) fs.mkdirSync(path.join(s.dir, d), { recursive: true });
    fs.writeFileSync(path.join(s.dir, 'config.xml'), configXml(s.dir, s.ports));
    fs.writeFileSync(path.join(s.dir, 'users.xml'), USERS);
    await s.resume();
    return s;
  }

  get url(): string {
    return `http://127.0.0.1:${this.ports.http}`;
  }

  /** `clickhouse://USER:PASSWORD@127.0.0.1:PORT/DB` for the writer account. */
  source(db: string, auth = `${WRITER.user}:${WRITER.password}@`): string {
    return `clickhouse://${auth}127.0.0.1:${this.ports.http}/${db}`;
  }

  /** (Re)starts the server on the same ports and data; resolves once it answers /ping. */
  async resume(): Promise<void> {
    if (this.child) return;
    const child = spawn(this.bin, [`--config-file=${path.join(this.dir, 'config.xml')}`], {
      cwd: this.dir, stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    let gone = false;
    void this.exited.then(() => {
      gone = true;
    });
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (gone) {
        this.child = undefined;
        throw new Error(`clickhouse-server exited at start: ${stderr}\n${this.log()}`);
      }
      try {
        const res = await fetch(`${this.url}/ping`);
        if (res.ok) return;
      } catch {
        // not up yet
      }
      if (Date.now() > deadline) throw new Error(`clickhouse-server did not answer in 60 s: ${stderr}\n${this.log()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private log(): string {
    try {
      return fs.readFileSync(path.join(this.dir, 'log', 'error.log'), 'utf8').slice(-3000);
    } catch {
      return '';
    }
  }

  /**
   * Stops the server, keeping its data for `resume`. SIGKILL: 18.16 takes 15 s to stop on SIGTERM
   * while clients keep connections open, and a crash is the harder case anyway (an acknowledged
   * INSERT is already in its part files, so nothing acknowledged is lost).
   */
  async pause(): Promise<void> {
    const child = this.child;
    if (!child) return;
    child.kill('SIGKILL');
    await this.exited;
    this.child = undefined;
  }

  /** Stops the server and removes its folder. */
  async stop(): Promise<void> {
    await this.pause();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }

  /** CPU seconds (user + system) the server process has used so far (for the benchmark). */
  cpuSeconds(): number {
    try {
      const f = fs.readFileSync(`/proc/${this.child?.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      return (Number(f[11]) + Number(f[12])) / 100;
    } catch {
      return NaN;
    }
  }

  /** Runs one SQL statement as `default`; returns the answer text (throws on an error answer). */
  async query(sql: string): Promise<string> {
    const res = await fetch(`${this.url}/?user=default`, { method: 'POST', body: sql });
    const text = await res.text();
    if (!res.ok) throw new Error(`ClickHouse ${res.status}: ${text.slice(0, 500)}`);
    return text;
  }
}
