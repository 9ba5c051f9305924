// ClickHouse sink, hook side: like the HTTP sink, `write` only appends the record to the sink's
// spool queue; delivery (clickhouse-deliver.ts, undici) runs in the forwarder, never in a hook.
import type { AuditRecord } from '../lib/types.js';
import type { ClickHouseSinkConfig } from '../lib/audit-config.js';
import type { SpoolQueue } from './spool.js';
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
  const name = cfg.name ?? clickhouseLabel(cfg);
  return {
    name,
    async write(record: AuditRecord): Promise<void> {
      try {
        opts.queue().append(record);
      } catch (err) {
        opts.onError?.(name, new Error(`cannot spool the record: ${err instanceof Error ? err.message : String(err)}`));
      }
    },
    async flush(): Promise<void> {},
    async close(): Promise<void> {},
  };
}
