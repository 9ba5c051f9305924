// The forwarder (`hookwarden ship`): delivers everything pending in the spool to its sink, one
// forwarder at a time (a proper-lockfile lock on the spool directory; a second one waits). Hooks
// load this module for `maybeStartForwarder` only, so undici and pino are imported lazily.
import { messageOf } from '../lib/errors.js';
import fs from 'node:fs';
import path from 'node:path';
import { childProcess } from '../sinks/lazy-builtins.js';
import { lockfileModule } from '../sinks/lock.js';
import type { AuditConfig } from '../lib/audit-config.js';
import { clickhouseLabel } from '../sinks/clickhouse.js';
import type { LogFn } from '../sinks/http-deliver.js';
import { httpLabel } from '../sinks/http.js';
import { SpoolQueue, listQueues, queueName, spoolDir, spooledSinks, type SpoolEntry, type SpooledSinkConfig } from '../sinks/spool.js';
import { SyslogTransport, syslogLabel } from '../sinks/syslog.js';
import { VERSION } from '../lib/version.js';
import { adoptQueue, adoptionDestination, labelQueue, strandedQueues, type StrandedQueue } from './ship-stranded.js';

export type { StrandedQueue } from './ship-stranded.js';
import { sleep } from '../lib/sleep.js';

export interface ShipOptions {
  env: Record<string, string | undefined>;
  home: string;
  /** Overall bound: waiting for the lock, retries and requests included. */
  timeoutMs?: number;
  /** Keep polling the spool until `signal` aborts. */
  follow?: boolean;
  /** Diagnostics; default: pino (no transports) on stderr. */
  log?: (msg: string) => void;
  signal?: AbortSignal;
  pollMs?: number;
  /** First HTTP backoff step (default 500 ms). */
  retryBaseMs?: number;
  /**
   * Move the records of these stranded queues (of no configured sink) into a configured sink's
   * queue first, so this run delivers them. `into`: the sink's name or queue; default the only one.
   */
  adopt?: { queues: string[]; into?: string };
}

export interface ShipResult {
  delivered: number;
  /** Records still in the spool, stranded ones included. */
  remaining: number;
  /** Queues of sinks no longer configured (a corrected URL of an unnamed sink, a removed sink). */
  stranded: StrandedQueue[];
}

const LOCK = 'ship.lock';
const STARTING = 'ship.starting';
/** A forwarder refreshes its lock every second; one not refreshed for 4 s was killed. */
const LOCK_STALE_MS = 4000;
const LOCK_UPDATE_MS = 1000;
const START_GRACE_MS = 10_000;
const SYSLOG_BATCH = 100;
const SYSLOG_ATTEMPTS = 3;

/** Where the forwarder delivers one spooled sink's records: the sink's config, its label, its queue. */
interface Destination {
  cfg: SpooledSinkConfig;
  label: string;
  queue: SpoolQueue;
}

function destinations(audit: AuditConfig, root: string, log?: LogFn): Destination[] {
  const seen = new Set<string>();
  const out: Destination[] = [];
  for (const cfg of spooledSinks(audit)) {
    const name = queueName(cfg);
    const label = cfg.name ?? (cfg.type === 'http' ? httpLabel(cfg) : cfg.type === 'clickhouse' ? clickhouseLabel(cfg) : syslogLabel(cfg));
    if (seen.has(name)) {
      log?.('error', `sink ${label} shares spool queue ${name} with an earlier sink; give it its own name`);
      continue;
    }
    seen.add(name);
    out.push({ cfg, label, queue: new SpoolQueue(root, name, { maxBytes: audit.spool.maxBytes, onError: (e) => log?.('error', e.message) }) });
  }
  return out;
}


async function makeLog(opts: ShipOptions): Promise<LogFn> {
  if (opts.log) {
    const sink = opts.log;
    return (level, msg, fields) => sink(`${level}: ${msg}${fields ? ` ${JSON.stringify(fields)}` : ''}`);
  }
  const { pino } = await import('pino');
  const logger = pino({ name: 'hookwarden-ship', base: { pid: process.pid } }, pino.destination({ dest: 2, sync: true }));
  return (level, msg, fields) => logger[level](fields ?? {}, msg);
}

/** Waits (polling) while another forwarder holds the lock; undefined when aborted first. */
async function acquire(root: string, signal: AbortSignal, log: LogFn, onCompromised: (err: Error) => void): Promise<(() => Promise<void>) | undefined> {
  let told = false;
  while (!signal.aborted) {
    try {
      return await lockfileModule().lock(root, {
        lockfilePath: path.join(root, LOCK), realpath: false, stale: LOCK_STALE_MS, update: LOCK_UPDATE_MS, retries: 0, onCompromised,
      });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ELOCKED') throw err;
      if (!told) log('info', 'another forwarder is running; waiting for it to finish');
      told = true;
      await sleep(200, signal);
    }
  }
  return undefined;
}

type Deliver = (entries: SpoolEntry[]) => Promise<{ ok: true } | { ok: false; error: string }>;

async function deliverer(t: Destination, opts: ShipOptions, signal: AbortSignal, log: LogFn, closers: (() => Promise<void>)[]): Promise<Deliver> {
  if (t.cfg.type === 'http') {
    const { HttpDelivery } = await import('../sinks/http-deliver.js');
    const d = new HttpDelivery(t.cfg, { env: opts.env, log, signal, retryBaseMs: opts.retryBaseMs, userAgent: `hookwarden/${VERSION}` });
    closers.push(() => d.close());
    return (entries) => d.deliver(entries);
  }
  if (t.cfg.type === 'clickhouse') {
    const { ClickHouseDelivery } = await import('../sinks/clickhouse-deliver.js');
    const d = new ClickHouseDelivery(t.cfg, {
      env: opts.env, log, signal, retryBaseMs: opts.retryBaseMs, userAgent: `hookwarden/${VERSION}`,
      reject: (entries, error) => rejectRows(t, entries, error, log),
    });
    closers.push(() => d.close());
    return (entries) => d.deliver(entries);
  }
  const transport = new SyslogTransport(t.cfg);
  closers.push(async () => transport.close());
  return async (entries) => {
    let error = '';
    for (let attempt = 0; attempt < SYSLOG_ATTEMPTS && !signal.aborted; attempt++) {
      if (attempt > 0) await sleep(200 * 2 ** attempt, signal);
      try {
        await transport.send(entries.map((e) => e.record), t.cfg.timeoutMs * 2);
        return { ok: true };
      } catch (err) {
        error = messageOf(err);
      }
    }
    return { ok: false, error: error || 'stopped before delivery' };
  };
}

/**
 * Rows the server refused (their data, not the connection): kept in a queue of their own,
 * `<queue>.rejected`, which no sink reads. The forwarder reports it as stranded (so `ship` exits 1
 * and names it) until `ship --adopt` sends the rows again once the server takes them.
 */
function rejectRows(t: Destination, entries: SpoolEntry[], error: string, log: LogFn): void {
  const name = `${t.queue.name}.rejected`;
  const q = new SpoolQueue(t.queue.root, name, { maxBytes: Number.MAX_SAFE_INTEGER, onError: (e) => log('error', e.message) });
  for (const e of entries) q.appendLine(e.line, e.record, false);
  labelQueue({ cfg: {}, label: `rows ${t.label} refused: ${error}`.slice(0, 300), queue: q });
  for (const e of entries) log('error', `${t.label}: the server refused record ${e.record.id}: ${error}; kept in spool queue ${name} (hookwarden ship --adopt ${name} sends it again)`);
}

/** Delivers one queue batch by batch; stops at the first batch that cannot be delivered. */
async function drain(t: Destination, deliver: Deliver, signal: AbortSignal, log: LogFn): Promise<number> {
  const size = t.cfg.type === 'syslog' ? SYSLOG_BATCH : t.cfg.batchSize;
  let n = 0;
  while (!signal.aborted) {
    const batch = t.queue.read(size);
    if (!batch) break;
    if (batch.skipped > 0) log('warn', `${t.label}: skipped ${batch.skipped} unreadable (torn) spool lines`, { segment: batch.segment });
    if (batch.entries.length > 0) {
      const res = await deliver(batch.entries);
      if (!res.ok) {
        log('error', `${t.label}: ${res.error}; ${batch.entries.length} records stay in the spool`);
        break;
      }
    }
    t.queue.commit(batch);
    n += batch.entries.length;
  }
  return n;
}

const pendingOf = (ts: Destination[]): number => ts.reduce((sum, t) => sum + t.queue.pending(), 0);

export async function ship(audit: AuditConfig, opts: ShipOptions): Promise<ShipResult> {
  const root = spoolDir(audit, opts.env, opts.home);
  if (spooledSinks(audit).length === 0) {
    if (opts.adopt?.queues.length) throw new Error('--adopt: no HTTP or syslog sink is configured');
    // Nothing to deliver to, but records spooled for a sink since removed are still reported.
    const stranded = strandedQueues(root, new Set(), audit.spool.maxBytes);
    return { delivered: 0, remaining: stranded.reduce((n, q) => n + q.records, 0), stranded };
  }
  const log = await makeLog(opts);
  fs.mkdirSync(root, { recursive: true, mode: 0o700 });
  const ctl = new AbortController();
  const stop = (): void => ctl.abort();
  opts.signal?.addEventListener('abort', stop, { once: true });
  if (opts.signal?.aborted) stop();
  const timer = opts.timeoutMs !== undefined ? setTimeout(stop, opts.timeoutMs) : undefined;
  const queues = destinations(audit, root, log);
  const closers: (() => Promise<void>)[] = [];
  try {
    const release = await acquire(root, ctl.signal, log, (err) => {
      log('error', `forwarder lock lost (${err.message}); stopping`);
      stop();
    });
    const known = new Set(queues.map((t) => t.queue.name));
    const result = (delivered: number): ShipResult => {
      const stranded = strandedQueues(root, known, audit.spool.maxBytes);
      return { delivered, remaining: pendingOf(queues) + stranded.reduce((n, q) => n + q.records, 0), stranded };
    };
    if (!release) return result(0);
    let delivered = 0;
    try {
      fs.rmSync(path.join(root, STARTING), { force: true });
      for (const t of queues) labelQueue(t);
      for (const q of opts.adopt?.queues ?? []) {
        if (known.has(q)) throw new Error(`--adopt: spool queue ${q} belongs to a configured sink already`);
        if (!listQueues(root).includes(q)) throw new Error(`--adopt: no spool queue ${q}`);
        adoptQueue(root, q, adoptionDestination(queues, opts.adopt?.into), audit.spool.maxBytes, log);
      }
      for (const s of strandedQueues(root, known, audit.spool.maxBytes)) {
        log('warn', `spool queue ${s.queue}${s.sink ? ` (${s.sink})` : ''} holds ${s.records} records of no configured sink; left in place`);
      }
      const deliver = new Map<Destination, Deliver>();
      do {
        for (const t of queues) {
          if (ctl.signal.aborted) break;
          t.queue.retireDelivered();
          if (!t.queue.hasPending()) continue;
          if (!deliver.has(t)) deliver.set(t, await deliverer(t, opts, ctl.signal, log, closers));
          delivered += await drain(t, deliver.get(t) as Deliver, ctl.signal, log);
        }
        if (opts.follow) await sleep(opts.pollMs ?? 1000, ctl.signal);
      } while (opts.follow && !ctl.signal.aborted);
    } finally {
      await Promise.allSettled(closers.map((c) => c()));
      await release().catch(() => undefined);
    }
    const res = result(delivered);
    log('info', `delivered ${delivered}, remaining ${res.remaining}`);
    return res;
  } finally {
    clearTimeout(timer);
    opts.signal?.removeEventListener('abort', stop);
  }
}

export interface StartOptions {
  audit: AuditConfig;
  env: Record<string, string | undefined>;
  home: string;
  /** The built CLI (`dist/cli.js`); nothing starts when it does not exist. */
  cliPath: string;
}

/** One start per grace period even when many hooks finish at once (O_EXCL marker file). */
function claimStart(root: string): boolean {
  const marker = path.join(root, STARTING);
  for (let i = 0; i < 2; i++) {
    try {
      fs.closeSync(fs.openSync(marker, 'wx', 0o600));
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = Date.now() - (fs.statSync(marker, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age < START_GRACE_MS) return false;
      fs.rmSync(marker, { force: true }); // A start that never took the lock.
    }
  }
  return false;
}

/** The detached forwarder's stderr (pino lines); the previous log is kept once past 1 MiB. */
function openShipLog(root: string): number {
  const file = path.join(root, 'ship.log');
  if ((fs.statSync(file, { throwIfNoEntry: false })?.size ?? 0) > 1 << 20) fs.renameSync(file, `${file}.1`);
  return fs.openSync(file, 'a', 0o600);
}

/**
 * Called by a hook after writing: when the spool holds records and no forwarder holds the lock,
 * starts `node <cliPath> ship` detached, so the hook itself never waits on the network.
 * Synchronous and cheap: a few stats, plus one spawn when there is work.
 */
export function maybeStartForwarder(opts: StartOptions): boolean {
  if (!opts.cliPath || !fs.existsSync(opts.cliPath)) return false;
  const root = spoolDir(opts.audit, opts.env, opts.home);
  if (!destinations(opts.audit, root).some((t) => t.queue.hasPending())) return false;
  if (lockfileModule().checkSync(root, { lockfilePath: path.join(root, LOCK), realpath: false, stale: LOCK_STALE_MS })) return false;
  if (!claimStart(root)) return false;
  const logFd = openShipLog(root);
  try {
    const child = childProcess().spawn(process.execPath, [opts.cliPath, 'ship'], {
      detached: true,
      stdio: ['ignore', 'ignore', logFd],
      env: opts.env as NodeJS.ProcessEnv,
    });
    child.on('error', () => fs.rmSync(path.join(root, STARTING), { force: true }));
    child.unref();
  } finally {
    fs.closeSync(logFd);
  }
  return true;
}
