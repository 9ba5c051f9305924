// A small client for ClickHouse's HTTP interface (undici; the forwarder and the CLI only, never a
// hook): one statement per POST, credentials in X-ClickHouse-User/Key headers (never in the URL,
// where logs and proxies keep them), and every error answer classified by its ClickHouse code.
import { Pool } from 'undici';

export interface ClickHouseLogin {
  /** http(s)://host:port */
  url: string;
  user: string;
  password?: string;
  timeoutMs: number;
}

/** What to do about an error answer. */
export type FailureKind = 'auth' | 'schema' | 'row' | 'transient' | 'fatal';

export class ClickHouseError extends Error {
  constructor(message: string, readonly kind: FailureKind, readonly code?: number, readonly status?: number) {
    super(message);
  }
}

const AUTH_CODES = new Set([192, 193, 194, 195, 516]);
const SCHEMA_CODES = new Set([16, 47, 60, 81]);
/** The data of some row was refused (parse, type, size, a throwIf or constraint check). */
const ROW_CODES = new Set([6, 26, 27, 32, 38, 41, 53, 69, 70, 72, 117, 131, 395, 469]);
const NET_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN', 'ENETDOWN', 'ENETUNREACH',
  'EHOSTDOWN', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_SOCKET', 'UND_ERR_CLOSED',
]);

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim().slice(0, 300);

/** ClickHouse's answer text, shortened to its message (`Code: 60, e.displayText() = DB::Exception: …`). */
function messageOf(text: string): string {
  const m = /DB::Exception: (.*?)(?:, e\.what\(\) = .*)?$/s.exec(text);
  return oneLine(m ? m[1]! : text);
}

export function classify(status: number, text: string): ClickHouseError {
  const code = Number(/Code: (\d+)/.exec(text)?.[1] ?? NaN);
  const msg = messageOf(text);
  const c = Number.isFinite(code) ? code : undefined;
  if (status === 401 || status === 403 || (c !== undefined && AUTH_CODES.has(c))) {
    return new ClickHouseError(`login refused (wrong user or password?): ${msg}`, 'auth', c, status);
  }
  if (c !== undefined && SCHEMA_CODES.has(c)) return new ClickHouseError(`${msg} (run: hookwarden team init)`, 'schema', c, status);
  if (c !== undefined && ROW_CODES.has(c)) return new ClickHouseError(msg, 'row', c, status);
  if (status >= 500 || status === 408 || status === 429) return new ClickHouseError(`HTTP ${status}: ${msg}`, 'transient', c, status);
  return new ClickHouseError(`HTTP ${status}: ${msg}`, 'fatal', c, status);
}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** `${NAME}` in a password taken from the environment; an unset variable is an error, not a blank. */
export function resolvePassword(password: string | undefined, env: Record<string, string | undefined>): string | undefined {
  if (password === undefined) return undefined;
  return password.replace(ENV_REF, (_, ref: string) => {
    const v = env[ref];
    if (v === undefined || v === '') throw new ClickHouseError(`password references \${${ref}}, which is not set`, 'auth');
    return v;
  });
}

export class ClickHouseClient {
  private readonly pool: Pool;
  private readonly origin: string;
  private readonly headers: Record<string, string>;

  constructor(readonly login: ClickHouseLogin, userAgent = 'hookwarden') {
    const u = new URL(login.url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`ClickHouse url must be http(s)://host:port, got ${u.protocol}`);
    this.origin = u.origin;
    this.headers = { 'x-clickhouse-user': login.user, 'user-agent': userAgent };
    if (login.password) this.headers['x-clickhouse-key'] = login.password;
    this.pool = new Pool(this.origin, {
      connections: 2,
      keepAliveTimeout: 10_000,
      connect: { timeout: login.timeoutMs },
      headersTimeout: login.timeoutMs,
      bodyTimeout: login.timeoutMs,
    });
  }

  /**
   * Runs `sql` (the query in the URL, `body` the data of an INSERT, or the query itself as body
   * when there is no data); resolves to the answer text. Network failures and timeouts become
   * `transient` errors.
   */
  async exec(sql: string, body?: string, signal?: AbortSignal): Promise<string> {
    const path = body === undefined ? '/' : `/?query=${encodeURIComponent(sql)}`;
    try {
      const timeout = AbortSignal.timeout(this.login.timeoutMs * 3);
      const res = await this.pool.request({
        path, method: 'POST', headers: this.headers, body: body ?? sql,
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      const text = await res.body.text();
      if (res.statusCode >= 200 && res.statusCode < 300) return text;
      throw classify(res.statusCode, text);
    } catch (err) {
      if (err instanceof ClickHouseError) throw err;
      const e = err as NodeJS.ErrnoException;
      if (signal?.aborted) throw new ClickHouseError('stopped', 'transient');
      const transient = e.name === 'TimeoutError' || NET_CODES.has(e.code ?? '');
      throw new ClickHouseError(`${this.origin}: ${e.code ? `${e.code}: ` : ''}${oneLine(String(e.message ?? err))}`, transient ? 'transient' : 'fatal');
    }
  }

  /** A SELECT answered as JSONEachRow: one object per row. */
  async rows<T>(sql: string, signal?: AbortSignal): Promise<T[]> {
    const text = await this.exec(`${sql} FORMAT JSONEachRow`, undefined, signal);
    return text.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as T);
  }

  async close(): Promise<void> {
    await this.pool.destroy();
  }
}
