// Builds the configured sink set: one fan-out Sink that writes every record to every sink.
// With no `audit.sinks` the set is the default file sink alone.
import type { AuditRecord } from '../lib/types.js';
import type { AuditConfig, FileSinkConfig, SinkConfig } from '../lib/audit-config.js';
import { createFileSink } from './file.js';
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

function openOne(cfg: SinkConfig, audit: AuditConfig, opts: OpenSinksOptions): Sink {
  if (cfg.type === 'file') return createFileSink(cfg, { env: opts.env, home: opts.home, onError: opts.onError, ...(opts.lockWaitMs ? { lock: { waitMs: opts.lockWaitMs } } : {}) });
  // The spool queue is only touched when a record actually needs it.
  let queue: SpoolQueue | undefined;
  const name = cfg.name ?? (cfg.type === 'http' ? httpLabel(cfg) : syslogLabel(cfg));
  const spool = (): SpoolQueue => (queue ??= new SpoolQueue(spoolDir(audit, opts.env, opts.home), queueName(cfg), {
    maxBytes: audit.spool.maxBytes,
    onError: (err) => opts.onError(name, err),
  }));
  if (cfg.type === 'http') return createHttpSink(cfg, { queue: spool, onError: opts.onError });
  return createSyslogSink(cfg, { queue: spool, onError: opts.onError });
}

/** Runs `fn` on every sink; a sink that throws anyway is reported, never propagated. */
async function each(sinks: Sink[], onError: SinkErrorHandler, fn: (s: Sink) => Promise<void>): Promise<void> {
  await Promise.all(sinks.map(async (s) => {
    try {
      await fn(s);
    } catch (err) {
      onError(s.name, err);
    }
  }));
}

export function openSinks(audit: AuditConfig, opts: OpenSinksOptions): Sink {
  const sinks: Sink[] = [];
  for (const cfg of audit.sinks ?? [DEFAULT_FILE_SINK]) {
    try {
      sinks.push(openOne(cfg, audit, opts));
    } catch (err) {
      opts.onError(cfg.name ?? cfg.type, err);
    }
  }
  return {
    name: sinks.map((s) => s.name).join(', '),
    write: (record: AuditRecord) => each(sinks, opts.onError, (s) => s.write(record)),
    flush: () => each(sinks, opts.onError, (s) => s.flush()),
    close: () => each(sinks, opts.onError, (s) => s.close()),
  };
}
