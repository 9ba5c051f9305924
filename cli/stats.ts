import { Option, type Command } from 'commander';
import { addAuditOptions, auditFilesOf, auditFilterOf, reportSkipped, type AuditFlags } from './support/audit-options.js';
import { formatStats } from './support/audit-format.js';
import { auditStats, STATS_BY, type StatsBy } from './support/stats.js';
import { exitTwoOnUsageError } from './support/usage.js';
import { parseSource } from './team/source.js';
import { storeStats } from './team/store.js';

interface StatsFlags extends AuditFlags { by: StatsBy; json?: boolean }

export function registerStats(program: Command): void {
  const cmd = exitTwoOnUsageError(program.command('stats'))
    .description('Count audit records by decision, rule, tool, session, event, agent, user, host or project')
    .addOption(new Option('--by <field>', 'the field to group by').choices(STATS_BY).default('decision'))
    .option('--json', 'print {"by", "total", "groups": [{key, count, deny, allow, ask}]} (schema/stats.schema.json)');
  addAuditOptions(cmd).addHelpText('after', `
Groups are sorted by count, largest first; "-" (null in --json) holds the records without the
field (events that decide nothing have no decision, rule or tool).

Examples:
  hookwarden stats
  hookwarden stats --by rule --since 7d
  hookwarden stats --by tool --decision deny --json
  hookwarden stats --source clickhouse://reader@db.internal:8123/hookwarden --by user --since 7d

Exit codes: 0 success (also when there are no records), 2 a file could not be read or bad arguments.`)
    .action(async (flags: StatsFlags) => {
      if (flags.source !== undefined) {
        const result = await storeStats(parseSource(flags.source, process.env), flags.by, auditFilterOf(flags));
        process.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : formatStats(result, process.stdout.isTTY === true));
        return;
      }
      const { files } = auditFilesOf(flags);
      const { skipped, unreadable, ...result } = auditStats(files, flags.by, auditFilterOf(flags));
      process.stdout.write(flags.json ? `${JSON.stringify(result)}\n` : formatStats(result, process.stdout.isTTY === true));
      reportSkipped(skipped, unreadable);
      process.exitCode = unreadable.length > 0 ? 2 : 0;
    });
}
