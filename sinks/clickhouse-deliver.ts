// ClickHouse delivery for the forwarder (never loaded by a hook): a spool batch becomes one
// `INSERT … FORMAT JSONEachRow`. Transient failures (server down, 5xx, timeouts) are retried with
// the HTTP sink's backoff and end with the batch left in the spool; a refused login or a missing
// table stops at once (retrying cannot help; the records wait). When ClickHouse refuses the data
// of some row, the batch is split in halves until the refused rows are alone: the others are
// inserted, and the refused ones are handed to `reject` (kept in a spool queue of their own, never
// dropped). Re-sending is harmless: the table keeps one row per record id.
import type { ClickHouseSinkConfig } from '../lib/audit-config.js';
import { clickhouseLabel } from './clickhouse.js';
import { ClickHouseClient, ClickHouseError, resolvePassword } from './clickhouse-client.js';
import { insertSql, clickhouseRow } from './clickhouse-table.js';
import { backoffMs, type DeliveryOptions, type DeliveryResult } from './http-deliver.js';
import type { SpoolEntry } from './spool.js';
import { sleep } from '../lib/sleep.js';

export interface ClickHouseDeliveryOptions extends DeliveryOptions {
  /** Rows ClickHouse refused, one at a time, with its reason: the caller keeps them. */
  reject: (entries: SpoolEntry[], error: string) => void;
}

export class ClickHouseDelivery {
  private client?: ClickHouseClient;
  readonly label: string;
  private readonly sql: string;

  constructor(readonly cfg: ClickHouseSinkConfig, private readonly opts: ClickHouseDeliveryOptions) {
    this.label = cfg.name ?? clickhouseLabel(cfg);
    this.sql = insertSql(cfg.database, cfg.table);
  }

  private connect(): ClickHouseClient {
    return (this.client ??= new ClickHouseClient(
      { url: this.cfg.url, user: this.cfg.user, password: resolvePassword(this.cfg.password, this.opts.env), timeoutMs: this.cfg.timeoutMs },
      this.opts.userAgent,
    ));
  }

  /** One INSERT, retried while the failure is transient. */
  private async insert(entries: SpoolEntry[]): Promise<void> {
    const body = `${entries.map((e) => clickhouseRow(e.record, e.line)).join('\n')}\n`;
    for (let attempt = 0; ; attempt++) {
      if (this.opts.signal.aborted) throw new ClickHouseError('stopped before delivery', 'transient');
      try {
        await this.connect().exec(this.sql, body, this.opts.signal);
        return;
      } catch (err) {
        const e = err instanceof ClickHouseError ? err : new ClickHouseError(String(err), 'fatal');
        if (e.kind !== 'transient' || attempt >= this.cfg.retries || this.opts.signal.aborted) {
          if (e.kind === 'transient' && !this.opts.signal.aborted) e.message += ` (after ${attempt + 1} attempts)`;
          throw e;
        }
        const delay = backoffMs(attempt, this.opts.retryBaseMs ?? 500);
        this.opts.log('warn', `${this.label}: ${e.message}; retrying in ${delay} ms`, { attempt: attempt + 1 });
        await sleep(delay, this.opts.signal);
      }
    }
  }

  /** Inserts `entries`, isolating the rows ClickHouse refuses. */
  private async insertSplitting(entries: SpoolEntry[]): Promise<void> {
    try {
      await this.insert(entries);
    } catch (err) {
      if (!(err instanceof ClickHouseError) || err.kind !== 'row') throw err;
      if (entries.length === 1) {
        this.opts.reject(entries, err.message);
        return;
      }
      const half = Math.ceil(entries.length / 2);
      await this.insertSplitting(entries.slice(0, half));
      await this.insertSplitting(entries.slice(half));
    }
  }

  async deliver(entries: SpoolEntry[]): Promise<DeliveryResult> {
    try {
      await this.insertSplitting(entries);
      return { ok: true };
    } catch (err) {
      return { ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  }

  async close(): Promise<void> {
    await this.client?.close();
  }
}
