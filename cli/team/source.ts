// The one parser of a team store's address, shared by `team init`, `tail`, `stats` and `verify`:
//   clickhouse://[USER[:PASSWORD]@]HOST:PORT/DATABASE[?table=T][&secure=1]
// A password left out of the URL (where `ps` and shell history see it) is taken from
// HOOKWARDEN_CLICKHOUSE_PASSWORD.
import { DEFAULT_CLICKHOUSE_TABLE } from '../../lib/audit-config.js';
import { IDENT } from '../../sinks/clickhouse-table.js';
import { GuardError } from '../../lib/types.js';

export interface StoreSource {
  kind: 'clickhouse';
  /** http(s)://host:port of the HTTP interface. */
  url: string;
  database: string;
  table: string;
  user: string;
  password?: string;
  /** Where the password came from, for error messages (never the password itself). */
  passwordFrom?: 'url' | 'env';
  timeoutMs: number;
}

export const PASSWORD_ENV = 'HOOKWARDEN_CLICKHOUSE_PASSWORD';
const FORM = 'clickhouse://[USER[:PASSWORD]@]HOST:PORT/DATABASE[?table=T]';

const bad = (why: string): GuardError => new GuardError(`--source: ${why}; expected ${FORM}`, 'usage');

export function isStoreSource(text: string): boolean {
  return /^clickhouse:\/\//i.test(text);
}

export function parseSource(text: string, env: Record<string, string | undefined>): StoreSource {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw bad('not a URL');
  }
  if (u.protocol !== 'clickhouse:') throw bad(`unknown scheme ${u.protocol}`);
  if (!u.hostname) throw bad('no host');
  if (!u.port) throw bad('no port (the HTTP interface, usually 8123)');
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!IDENT.test(database)) throw bad(database ? `database ${JSON.stringify(database.slice(0, 80))} is not a plain name` : 'no database');
  const table = u.searchParams.get('table') ?? DEFAULT_CLICKHOUSE_TABLE;
  if (!IDENT.test(table)) throw bad(`table ${JSON.stringify(table.slice(0, 80))} is not a plain name`);
  for (const k of u.searchParams.keys()) if (k !== 'table' && k !== 'secure') throw bad(`unknown parameter ${k}`);
  const secure = ['1', 'true'].includes(u.searchParams.get('secure') ?? '');
  const fromUrl = u.password ? decodeURIComponent(u.password) : undefined;
  const fromEnv = env[PASSWORD_ENV] || undefined;
  const password = fromUrl ?? fromEnv;
  return {
    kind: 'clickhouse',
    url: `${secure ? 'https' : 'http'}://${u.host}`,
    database,
    table,
    user: u.username ? decodeURIComponent(u.username) : 'default',
    ...(password !== undefined ? { password, passwordFrom: fromUrl !== undefined ? 'url' as const : 'env' as const } : {}),
    timeoutMs: 15_000,
  };
}

/** The address without the password, for messages. */
export function sourceLabel(s: StoreSource): string {
  return `clickhouse://${s.user}@${new URL(s.url).host}/${s.database}?table=${s.table}`;
}

/**
 * Text with the password of every `scheme://user:password@` URL replaced by `***` (up to the last
 * `@` of the authority, as URL parsers read it): for messages, and for the command line `ps` shows.
 */
export function redactUrlPasswords(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/]*):[^\s/]*@/gi, '$1:***@');
}

/**
 * Other local users read every process's command line (ps, /proc/PID/cmdline): a password given in
 * a URL is overwritten there as soon as the CLI starts (process.title rewrites the argv area; the
 * moments before remain, and so does shell history, hence the warning). Returns the warning, if any.
 */
export function hidePasswordsInArgv(argv: string[]): string | undefined {
  const shown = argv.map(redactUrlPasswords);
  if (shown.every((a, i) => a === argv[i])) return undefined;
  try {
    process.title = shown.join(' ');
  } catch {
    // a platform without a settable title: the warning still says what to do
  }
  // The warning only for a store address: a URL inside a command given to `check` is not ours.
  if (!argv.some((a, i) => a !== shown[i] && /clickhouse:\/\//i.test(a))) return undefined; // also --source=clickhouse://…
  return `a password in a clickhouse:// address on the command line is seen by other local users (ps) and kept in shell history; set ${PASSWORD_ENV} instead`;
}
