// Shared plumbing of the scripted model servers: a loopback HTTP server that records every request
// (method, url, parsed JSON body) and lets a per-agent handler answer it.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  /** Parsed JSON body, or the raw text when it is not JSON (undefined when empty). */
  body: unknown;
}

export interface ScriptedServer {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export type Handler = (req: RecordedRequest, res: http.ServerResponse) => void;

function decode(buf: Buffer, encoding: string | undefined): string {
  // Agents may compress request bodies; decode what node can so the test can read them.
  if (encoding === 'gzip') return zlib.gunzipSync(buf).toString('utf8');
  if (encoding === 'deflate') return zlib.inflateSync(buf).toString('utf8');
  if (encoding === 'br') return zlib.brotliDecompressSync(buf).toString('utf8');
  if (encoding === 'zstd') {
    const z = zlib as unknown as { zstdDecompressSync?: (b: Buffer) => Buffer };
    if (z.zstdDecompressSync) return z.zstdDecompressSync(buf).toString('utf8');
    throw new Error('zstd request body: this node cannot decode it');
  }
  return buf.toString('utf8');
}

function parse(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export async function startServer(handler: Handler): Promise<ScriptedServer> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: unknown;
      try {
        const enc = req.headers['content-encoding'];
        body = parse(decode(Buffer.concat(chunks), typeof enc === 'string' ? enc : undefined));
      } catch (err) {
        body = `undecodable body: ${String(err)}`;
      }
      const rec: RecordedRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      requests.push(rec);
      try {
        handler(rec, res);
      } catch (err) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(err));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Writes a whole server-sent-event stream and ends the response. */
export function sendEvents(res: http.ServerResponse, events: { event: string; data: unknown }[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const e of events) res.write(`event: ${e.event}\ndata: ${JSON.stringify(e.data)}\n\n`);
  res.end();
}

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
