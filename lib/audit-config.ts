// Schema of the `audit` section of a config file (zod/mini: this is on the hook's start-up path).
import * as z from 'zod/mini';

const name = z.optional(z.string().check(z.minLength(1)));

export const FileSinkSchema = z.strictObject({
  type: z.literal('file'),
  name,
  /** Default: $XDG_STATE_HOME/hookwarden/audit.jsonl, else ~/.local/state/hookwarden/audit.jsonl. */
  path: z.optional(z.string().check(z.minLength(1))),
  /** When to fsync after an append. */
  fsync: z._default(z.enum(['always', 'deny', 'never']), 'deny'),
  /** Rotate when the file would grow past this many bytes. */
  rotateBytes: z._default(z.number().check(z.int(), z.gte(4096)), 10 * 1024 * 1024),
});

export const HttpSinkSchema = z.strictObject({
  type: z.literal('http'),
  name,
  url: z.url(),
  /** Values may reference the environment as ${NAME}; secrets never need to be written in plain text. */
  headers: z._default(z.record(z.string(), z.string()), {}),
  format: z._default(z.enum(['ndjson', 'otlp']), 'ndjson'),
  gzip: z._default(z.boolean(), false),
  batchSize: z._default(z.number().check(z.int(), z.gte(1), z.lte(10000)), 100),
  timeoutMs: z._default(z.number().check(z.int(), z.gte(100)), 5000),
  retries: z._default(z.number().check(z.int(), z.gte(0), z.lte(100)), 5),
});

/**
 * A path the syslog sink opens (its unix socket, its TLS files): absolute or `~/`. The user config
 * applies in every repository, and a relative path would be looked up inside each call's one, where
 * a cloned repository can commit the CA file the sink then trusts, or a link to another socket.
 */
const placedPath = z.string().check(z.refine((p) => p.startsWith('/') || p === '~' || p.startsWith('~/'), 'must be an absolute path or start with ~/ (a relative one would be looked up inside each call\'s repository)'));

export const SyslogSinkSchema = z.strictObject({
  type: z.literal('syslog'),
  name,
  transport: z._default(z.enum(['udp', 'tcp', 'tls', 'unix']), 'udp'),
  host: z._default(z.string(), '127.0.0.1'),
  port: z.optional(z.number().check(z.int(), z.gte(1), z.lte(65535))),
  /** unix transport: socket path. */
  path: z._default(placedPath, '/dev/log'),
  facility: z._default(
    z.enum(['kern', 'user', 'mail', 'daemon', 'auth', 'syslog', 'lpr', 'news', 'uucp', 'cron', 'authpriv', 'ftp',
      'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7']),
    'authpriv',
  ),
  /** tls transport: PEM file paths. */
  ca: z.optional(placedPath),
  cert: z.optional(placedPath),
  key: z.optional(placedPath),
  rejectUnauthorized: z._default(z.boolean(), true),
  timeoutMs: z._default(z.number().check(z.int(), z.gte(10)), 1000),
  /** Longest message sent; a longer record is shortened to fit (UDP: at most one datagram). */
  maxMessageBytes: z._default(z.number().check(z.int(), z.gte(2048), z.lte(16 * 1024 * 1024)), 65000),
});

/** The table `hookwarden team init` creates when none is named. */
export const DEFAULT_CLICKHOUSE_TABLE = 'audit';

export const ClickHouseSinkSchema = z.strictObject({
  type: z.literal('clickhouse'),
  name,
  /** The server's HTTP interface: http(s)://host:8123. */
  url: z.url(),
  database: z._default(z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/)), 'hookwarden'),
  table: z._default(z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/)), DEFAULT_CLICKHOUSE_TABLE),
  user: z._default(z.string().check(z.minLength(1)), 'default'),
  /** May reference the environment as ${NAME} (the whole value or part of it): never written in plain text. */
  password: z.optional(z.string()),
  batchSize: z._default(z.number().check(z.int(), z.gte(1), z.lte(100000)), 5000),
  timeoutMs: z._default(z.number().check(z.int(), z.gte(100)), 10000),
  retries: z._default(z.number().check(z.int(), z.gte(0), z.lte(100)), 5),
});

export const SinkConfigSchema = z.discriminatedUnion('type', [FileSinkSchema, HttpSinkSchema, SyslogSinkSchema, ClickHouseSinkSchema]);

export const AuditConfigSchema = z.strictObject({
  /** Which PreToolUse decisions are recorded. */
  log: z._default(z.enum(['all', 'deny']), 'all'),
  /** When given, the complete list of sinks (the default file sink is only implied when absent). */
  sinks: z.optional(z.array(SinkConfigSchema)),
  /** Extra secret patterns (JavaScript regular expressions) redacted from every field. */
  redact: z._default(z.array(z.string()), []),
  /** Truncation limits (bytes of JSON text) for `input` and `response`. */
  maxInputBytes: z._default(z.number().check(z.int(), z.gte(256)), 8192),
  maxResponseBytes: z._default(z.number().check(z.int(), z.gte(256)), 8192),
  spool: z._default(
    z.strictObject({
      dir: z.optional(z.string()),
      maxBytes: z._default(z.number().check(z.int(), z.gte(65536)), 100 * 1024 * 1024),
    }),
    { maxBytes: 100 * 1024 * 1024 },
  ),
  /**
   * Who wrote the records: by default the account (os.userInfo) and the machine's host name, never
   * an environment variable. Set these where the account is not the person (CI runners, shared
   * boxes, containers). User config only, like all of `audit`: a cloned repository cannot.
   */
  user: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  host: z.optional(z.string().check(z.minLength(1), z.maxLength(256))),
  /** PostToolUse: tell the model when a protected path was written anyway (decision "block"). */
  postCheck: z._default(z.boolean(), false),
});

/**
 * `under`, never read from a file: set by resolveAuditPaths when the path was given relative, the
 * call's directory it was resolved against (sinks/file.ts refuses a link in the folders below it).
 */
export type FileSinkConfig = z.infer<typeof FileSinkSchema> & { under?: string };
export type HttpSinkConfig = z.infer<typeof HttpSinkSchema>;
export type SyslogSinkConfig = z.infer<typeof SyslogSinkSchema>;
export type ClickHouseSinkConfig = z.infer<typeof ClickHouseSinkSchema>;
export type SinkConfig = z.infer<typeof SinkConfigSchema>;
export type AuditConfig = z.infer<typeof AuditConfigSchema>;

/**
 * The audit section with every relative path made absolute against `cwd`, the directory of the
 * call the config was loaded for (the hook's own working directory). Done once, before any sink
 * opens: the daemon serves many calls in one process and never changes its working directory, so a
 * relative path must not be resolved later against whatever the process happens to be in.
 * `~/` paths are left for the sinks (they expand them against the call's home).
 */
export function resolveAuditPaths(audit: AuditConfig, cwd: string | undefined): AuditConfig {
  if (!cwd || !audit.sinks) return audit;
  const abs = (p: string | undefined): string | undefined =>
    p === undefined || p === '~' || p.startsWith('~/') || p.startsWith('/') ? p : `${cwd.replace(/\/+$/, '')}/${p}`;
  return {
    ...audit,
    sinks: audit.sinks.map((s) => {
      if (s.type === 'file') {
        const p = abs(s.path);
        return p === s.path || p === undefined ? s : { ...s, path: p, under: cwd };
      }
      // The syslog sink's paths are absolute or `~/` (placedPath): nothing to resolve.
      return s;
    }),
  };
}
