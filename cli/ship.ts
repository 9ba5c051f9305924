import os from 'node:os';
import type { Command } from 'commander';
import { loadConfig } from '../lib/config.js';
import { ship } from '../audit/ship.js';
import { printable } from './support/audit-format.js';
import type { ShipOutput } from './support/outputs.js';

export function registerShip(program: Command): void {
  program
    .command('ship')
    .description('Deliver every spooled record to its HTTP, syslog or ClickHouse sink (waits for a forwarder already running rather than racing it)')
    .option('--timeout <seconds>', 'give up after this many seconds', (v) => Number(v))
    .option('--follow', 'keep running and deliver new records as they are spooled')
    .option('--adopt <queue...>', 'first move the records of these stranded spool queues into a configured sink\'s queue, then deliver them')
    .option('--into <sink>', 'with --adopt: the configured sink (its name or queue) that takes them; default the only HTTP/syslog/ClickHouse sink')
    .option('--json', 'print {"delivered", "remaining", "stranded": [{queue, records, sink?}]}')
    .addHelpText('after', `
A spool queue belongs to a sink by its name (http-<name>), or, for a sink without a name, by where
it delivers (a hash of the URL). So a named sink whose URL is corrected keeps its queue, and the
records wait for the new URL; an unnamed sink whose URL changes is a new destination, and its old
queue is reported as stranded (counted in "remaining") until --adopt moves it, or the old URL is back.

Examples:
  hookwarden ship                 deliver what is pending, then exit
  hookwarden ship --timeout 30    bound the run
  hookwarden ship --follow        run as a forwarder until interrupted
  hookwarden ship --adopt http-3f2a9c1b0d4e    deliver a stranded queue to the configured sink

Exit codes: 0 the spool is empty, 1 records remain after retries or --timeout (stranded ones too), 2 could not run.`)
    .action(async (opts: { timeout?: number; follow?: boolean; json?: boolean; adopt?: string[]; into?: string }) => {
      const home = process.env.HOME ?? os.homedir();
      const config = loadConfig({ cwd: process.cwd(), home, env: process.env, platform: process.platform });
      const ac = new AbortController();
      if (opts.follow) for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => ac.abort());
      const res = await ship(config.audit, {
        env: process.env,
        home,
        timeoutMs: opts.timeout !== undefined && Number.isFinite(opts.timeout) ? opts.timeout * 1000 : undefined,
        follow: opts.follow,
        signal: ac.signal,
        ...(opts.adopt ? { adopt: { queues: opts.adopt, ...(opts.into !== undefined ? { into: opts.into } : {}) } } : {}),
      });
      const doc: ShipOutput = res; // what --json prints is what schema/ship.schema.json describes
      if (opts.json) process.stdout.write(`${JSON.stringify(doc)}\n`);
      else {
        const stranded = res.stranded.reduce((n, q) => n + q.records, 0);
        process.stdout.write(`delivered ${res.delivered}, remaining ${res.remaining}${stranded > 0 ? ` (${stranded} stranded)` : ''}\n`);
        for (const q of res.stranded) {
          const where = q.sink ? ` (${printable(q.sink)})` : '';
          process.stdout.write(`stranded: ${q.records} records in spool queue ${q.queue}${where}, a sink no longer configured: hookwarden ship --adopt ${q.queue} delivers them to the configured sink\n`);
        }
      }
      process.exitCode = res.remaining > 0 ? 1 : 0;
    });
}
