// HTTP delivery for the forwarder (never loaded by a hook): one undici Pool per sink (keep-alive,
// connect/headers/body timeouts), batches as NDJSON or OTLP/HTTP JSON, optional gzip, and an
// Idempotency-Key naming the batch's record ids. Retries use exponential backoff with jitter and
// honour Retry-After; they stop at the sink's `retries` or when the forwarder is aborted.
// (undici's RetryAgent has no jitter and cannot be bounded by the forwarder's deadline.)
import { messageOf, oneLine } from '../lib/errors.js';
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import { Pool } from 'undici';
import type { HttpSinkConfig } from '../lib/audit-config.js';
import { httpLabel, resolveHeaders } from './http.js';
import { otlpLogs } from './otlp.js';
import type { SpoolEntry } from './spool.js';
import { sleep } from '../lib/sleep.js';

const gzip = promisify(gzipCb);

export type LogFn = (level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>) => void;

export interface DeliveryOptions {
  env: Record<string, string | undefined>;
  log: LogFn;
  /** Aborts waits and requests (the forwarder's deadline or shutdown). */
  signal: AbortSignal;
  /** First backoff step; doubles per attempt up to 30 s. */
  retryBaseMs?: number;
  userAgent?: string;
}

export type DeliveryResult = { ok: true } | { ok: false; error: string };

const RETRY_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ENETDOWN', 'ENETUNREACH',
  'EHOSTDOWN', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'UND_ERR_ABORTED', 'ABORT_ERR',
]);
const MAX_BACKOFF_MS = 30_000;

/** Retry-After as delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | string[] | undefined, now = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (v === undefined || v.trim() === '') return undefined;
  if (/^\d+$/.test(v.trim())) return Number(v.trim()) * 1000;
  const at = Date.parse(v);
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** Exponential backoff with "equal jitter": half fixed, half random, so retries spread out. */
export function backoffMs(attempt: number, baseMs: number, random = Math.random): number {
  const cap = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** attempt);
  return Math.round(cap / 2 + random() * (cap / 2));
}



export function idempotencyKey(entries: SpoolEntry[]): string {
  const first = entries[0]?.record.id ?? '';
  const last = entries.at(-1)?.record.id ?? '';
  return first === last ? first : `${first}..${last}`;
}

export class HttpDelivery {
  private readonly pool: Pool;
  private readonly url: URL;
  readonly label: string;

  constructor(readonly cfg: HttpSinkConfig, private readonly opts: DeliveryOptions) {
    this.url = new URL(cfg.url);
    this.label = cfg.name ?? httpLabel(cfg);
    this.pool = new Pool(this.url.origin, {
      connections: 2,
      keepAliveTimeout: 30_000,
      connect: { timeout: cfg.timeoutMs },
      headersTimeout: cfg.timeoutMs,
      bodyTimeout: cfg.timeoutMs,
    });
  }

  private async request(entries: SpoolEntry[]): Promise<{ body: Buffer; headers: Record<string, string> }> {
    const { cfg, url } = this;
    const headers: Record<string, string> = {
      'content-type': cfg.format === 'otlp' ? 'application/json' : 'application/x-ndjson',
      'idempotency-key': idempotencyKey(entries),
      'user-agent': this.opts.userAgent ?? 'hookwarden',
    };
    if (url.username) {
      const user = decodeURIComponent(url.username);
      const pass = decodeURIComponent(url.password);
      headers.authorization = `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
    }
    for (const [k, v] of Object.entries(resolveHeaders(cfg.headers, this.opts.env))) headers[k.toLowerCase()] = v;
    const text = cfg.format === 'otlp'
      ? JSON.stringify(otlpLogs(entries))
      : `${entries.map((e) => e.line).join('\n')}\n`;
    let body = Buffer.from(text, 'utf8');
    if (cfg.gzip) {
      body = await gzip(body);
      headers['content-encoding'] = 'gzip';
    }
    return { body, headers };
  }

  /** Delivers one batch; gives up after `retries` retries, on a 4xx other than 408/429, or on abort. */
  async deliver(entries: SpoolEntry[]): Promise<DeliveryResult> {
    const { cfg, opts, url } = this;
    let req: { body: Buffer; headers: Record<string, string> };
    try {
      req = await this.request(entries);
    } catch (err) {
      return { ok: false, error: messageOf(err) };
    }
    const key = req.headers['idempotency-key'];
    for (let attempt = 0; ; attempt++) {
      if (opts.signal.aborted) return { ok: false, error: 'stopped before delivery' };
      let error: string;
      let retryable: boolean;
      let wait: number | undefined;
      try {
        // A second timer covers the whole exchange, the upload included.
        const signal = AbortSignal.any([opts.signal, AbortSignal.timeout(cfg.timeoutMs * 2)]);
        const res = await this.pool.request({ path: url.pathname + url.search, method: 'POST', headers: req.headers, body: req.body, signal });
        const answer = oneLine(await res.body.text());
        if (res.statusCode >= 200 && res.statusCode < 300) return { ok: true };
        error = `HTTP ${res.statusCode}${answer ? `: ${answer}` : ''}`;
        retryable = res.statusCode >= 500 || res.statusCode === 429 || res.statusCode === 408;
        wait = retryAfterMs(res.headers['retry-after']);
      } catch (err) {
        if (opts.signal.aborted) return { ok: false, error: 'stopped during delivery' };
        const e = err as NodeJS.ErrnoException;
        error = e.code ? `${e.code}: ${e.message}` : String(e.message ?? err);
        retryable = e.name === 'TimeoutError' || RETRY_CODES.has(e.code ?? '');
      }
      if (!retryable || attempt >= cfg.retries) {
        return { ok: false, error: `${error}${retryable ? ` (after ${attempt + 1} attempts)` : ''}` };
      }
      const delay = wait ?? backoffMs(attempt, opts.retryBaseMs ?? 500);
      opts.log('warn', `${this.label}: ${error}; retrying in ${delay} ms`, { key, attempt: attempt + 1 });
      await sleep(delay, opts.signal);
    }
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
