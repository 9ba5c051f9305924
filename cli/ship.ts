import os from 'node:os';
import type { Command } from 'commander';
import { loadConfig } from '../lib/config.js';
import { ship } from '../lib/ship.js';

export function registerShip(program: Command): void {
  program
    .command('ship')
    .description('Deliver every spooled record to its HTTP or syslog sink (waits for a forwarder already running rather than racing it)')
    .option('--timeout <seconds>', 'give up after this many seconds', (v) => Number(v))
    .option('--follow', 'keep running and deliver new records as they are spooled')
    .option('--json', 'print {"delivered", "remaining"}')
    .addHelpText('after', `
Examples:
  hookwarden ship                 deliver what is pending, then exit
  hookwarden ship --timeout 30    bound the run
  hookwarden ship --follow        run as a forwarder until interrupted

Exit codes: 0 the spool is empty, 1 records remain after retries or --timeout, 2 could not run.`)
    .action(async (opts: { timeout?: number; follow?: boolean; json?: boolean }) => {
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
      });
      if (opts.json) process.stdout.write(`${JSON.stringify(res)}\n`);
      else process.stdout.write(`delivered ${res.delivered}, remaining ${res.remaining}\n`);
      process.exitCode = res.remaining > 0 ? 1 : 0;
    });
}
