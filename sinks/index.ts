// Builds the configured sink set: one fan-out Sink that writes every record to every sink.
// With no `audit.sinks` the set is the default file sink alone. The file sinks write first: the
// first one links the record into its hash chain, and the spooled sinks get that sealed copy (the
// same prev and hash as the local line), so a team store holds a witness of each local chain.
import type { AuditRecord } from '../lib/types.js';
import type { AuditConfig, FileSinkConfig, SinkConfig } from '../lib/audit-config.js';
import { createClickHouseSink, clickhouseLabel } from './clickhouse.js';
import { createFileSink, type FileSink } from './file.js';
import { createHttpSink, httpLabel } from './http.js';
import { SpoolQueue, queueName, spoolDir } from './spool.js';
import { createSyslogSink, syslogLabel } from './syslog.js';
import type { Sink, SinkErrorHandler } from './types.js';

export const DEFAULT_FILE_SINK: FileSinkConfig = { type: 'file', fsync: 'deny', rotateBytes: 10 * 1024 * 1024 };

export interface OpenSinksOptions {
  env: Record<string, string | undefined>;
  home: string;
  onError: SinkErrorHandler;
  /** How long the file sink may wait for its lock (a hook passes what is left of its time). */
  lockWaitMs?: number;
}

function openOne(cfg: SinkConfig, audit: AuditConfig, opts: OpenSinksOptions): Sink | FileSink {
  if (cfg.type === 'file') return createFileSink(cfg, { env: opts.env, home: opts.home, onError: opts.onError, ...(opts.lockWaitMs ? { lock: { waitMs: opts.lockWaitMs } } : {}) });
  // The spool queue is only touched when a record actually needs it.
  let queue: SpoolQueue | undefined;
  const name = cfg.name ?? (cfg.type === 'http' ? httpLabel(cfg) : cfg.type === 'clickhouse' ? clickhouseLabel(cfg) : syslogLabel(cfg));
  const spool = (): SpoolQueue => (queue ??= new SpoolQueue(spoolDir(audit, opts.env, opts.home), queueName(cfg), {
    maxBytes: audit.spool.maxBytes,
    onError: (err) => opts.onError(name, err),
  }));
  if (cfg.type === 'http') return createHttpSink(cfg, { queue: spool, onError: opts.onError });
  if (cfg.type === 'clickhouse') return createClickHouseSink(cfg, { queue: spool, onError: opts.onError });
  return createSyslogSink(cfg, { queue: spool, onError: opts.onError });
}

/** Runs `fn` on every sink; a sink that throws anyway is reported, never propagated. */
async function each<S extends Sink>(sinks: S[], onError: (s: S) => SinkErrorHandler, fn: (s: S) => Promise<void>): Promise<void> {
  await Promise.all(sinks.map(async (s) => {
    try {
      await fn(s);
    } catch (err) {
      onError(s)(s.name, err);
    }
  }));
}

/** The sinks as one, and how many of them have taken every record so far without a failure. */
export interface SinkSet extends Sink {
  /** Sinks that reported no failure (a hook lets a call through only when one took its record). */
  taken(): number;
}

export function openSinks(audit: AuditConfig, opts: OpenSinksOptions): SinkSet {
  const sinks: Sink[] = [];
  const files: FileSink[] = [];
  const others: Sink[] = [];
  // Sinks report a failed write through onError and resolve (the Sink contract): each gets its own
  // handler so that a failure is counted against the sink that had it.
  const failed = new Set<Sink>();
  for (const cfg of audit.sinks ?? [DEFAULT_FILE_SINK]) {
    const box: { sink?: Sink } = {};
    try {
      const s = openOne(cfg, audit, { ...opts, onError: (name, err) => {
        if (box.sink) failed.add(box.sink);
        opts.onError(name, err);
      } });
      box.sink = s;
      sinks.push(s);
      (cfg.type === 'file' ? files : others).push(s as FileSink);
    } catch (err) {
      opts.onError(cfg.name ?? cfg.type, err);
    }
  }
  const onError = (s: Sink): SinkErrorHandler => (name, err) => {
    failed.add(s);
    opts.onError(name, err);
  };
  const write = async (record: AuditRecord): Promise<void> => {
    const sealed: (AuditRecord | undefined)[] = [];
    await each(files, onError, async (s) => {
      const r = await s.writeSealed(record);
      sealed[files.indexOf(s)] = r;
      if (r === undefined) failed.add(s);
    });
    // The first file sink that took the record names its chain; when none did, the record goes
    // out unlinked (the store's chain check reports it) rather than not at all.
    const witnessed = sealed.find((r) => r !== undefined) ?? record;
    await each(others, onError, (s) => s.write(witnessed));
  };
  return {
    name: sinks.map((s) => s.name).join(', '),
    write,
    flush: () => each(sinks, onError, (s) => s.flush()),
    close: () => each(sinks, onError, (s) => s.close()),
    taken: () => sinks.filter((s) => !failed.has(s)).length,
  };
}
