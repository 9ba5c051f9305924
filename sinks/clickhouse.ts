// ClickHouse sink, hook side: like the HTTP sink, `write` only appends the record to the sink's
// spool queue; delivery (clickhouse-deliver.ts, undici) runs in the forwarder, never in a hook.
import type { ClickHouseSinkConfig } from '../lib/audit-config.js';
import { spooledSink, type SpoolQueue } from './spool.js';
import type { Sink, SinkErrorHandler } from './types.js';

/** Server, database and table; never the password. */
export function clickhouseLabel(cfg: ClickHouseSinkConfig): string {
  try {
    return `clickhouse ${new URL(cfg.url).origin} ${cfg.database}.${cfg.table}`;
  } catch {
    return 'clickhouse';
  }
}

export function createClickHouseSink(cfg: ClickHouseSinkConfig, opts: { queue: () => SpoolQueue; onError?: SinkErrorHandler }): Sink {
  return spooledSink(cfg.name ?? clickhouseLabel(cfg), opts);
}
