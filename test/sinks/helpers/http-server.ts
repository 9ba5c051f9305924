// A real node:http receiver on 127.0.0.1 for the HTTP sink tests. `behave` decides per request
// (by arrival order) whether to answer at once, late, or with an error status.
import http from 'node:http';
import net from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface Behaviour {
  status?: number;
  /** Answer only after this long (beyond the client's timeout: a "slow" server). */
  delayMs?: number;
  /** Never answer. */
  hang?: boolean;
  headers?: Record<string, string>;
}

export interface Received {
  n: number;
  at: number;
  headers: http.IncomingHttpHeaders;
  /** Decoded body (gunzipped when Content-Encoding is gzip). */
  body: string;
  status: number;
  /** The status actually sent: undefined when the client had gone (slow answer) or we hung. */
  answered?: number;
  key: string;
  ids: string[];
}

/** Record ids carried by a body: NDJSON lines, or OTLP log record bodies. */
export function idsOf(body: string, contentType: string | undefined): string[] {
  if (contentType === 'application/json') {
    const doc = JSON.parse(body) as { resourceLogs: { scopeLogs: { logRecords: { body: { stringValue: string } }[] }[] }[] };
    return doc.resourceLogs.flatMap((r) => r.scopeLogs.flatMap((s) => s.logRecords.map((l) => (JSON.parse(l.body.stringValue) as { id: string }).id)));
  }
  return body.split('\n').filter((l) => l !== '').map((l) => (JSON.parse(l) as { id: string }).id);
}

export async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const { port } = srv.address() as net.AddressInfo;
  await new Promise((resolve) => srv.close(resolve));
  return port;
}

export class Receiver {
  readonly received: Received[] = [];
  inFlight = 0;
  maxInFlight = 0;
  private server?: http.Server;
  private count = 0;
  private waiters: (() => void)[] = [];

  constructor(public behave: (n: number) => Behaviour = () => ({})) {}

  async start(port = 0): Promise<number> {
    const server = http.createServer((req, res) => {
      const n = this.count++;
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const raw = Buffer.concat(chunks);
        const body = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
        const b = this.behave(n);
        const status = b.status ?? 200;
        const rec: Received = {
          n, at: Date.now(), headers: req.headers, body, status,
          key: String(req.headers['idempotency-key'] ?? ''), ids: idsOf(body, req.headers['content-type']),
        };
        this.received.push(rec);
        this.inFlight++;
        this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
        for (const w of this.waiters.splice(0)) w();
        if (b.hang) return;
        setTimeout(() => {
          this.inFlight--;
          if (res.destroyed || req.socket.destroyed) return;
          rec.answered = status;
          res.writeHead(status, b.headers ?? {});
          res.end(status < 300 ? '' : `failure ${status}`);
        }, b.delayMs ?? 0);
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', resolve);
    });
    return (server.address() as net.AddressInfo).port;
  }

  /** Resolves once `pred` holds for what has been received (checked on every request). */
  async until(pred: (r: Received[]) => boolean, timeoutMs = 5000): Promise<void> {
    const end = Date.now() + timeoutMs;
    while (!pred(this.received)) {
      if (Date.now() > end) throw new Error(`receiver: condition not met within ${timeoutMs} ms (${this.received.length} requests)`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
    }
  }

  /** Ids of requests answered 2xx while the client still listened. */
  acknowledged(): string[] {
    return this.received.filter((r) => r.answered !== undefined && r.answered < 300).flatMap((r) => r.ids);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
