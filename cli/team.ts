// `hookwarden team init`: creates the team store (database and table, idempotently) and prints the
// sink to put in each developer's user config.
import type { Command } from 'commander';
import { createTableSql, COLUMNS } from '../sinks/clickhouse-table.js';
import { exitTwoOnUsageError } from './support/usage.js';
import { PASSWORD_ENV, parseSource, sourceLabel, type StoreSource } from './team/source.js';
import { openStore } from './team/store.js';
import type { TeamInitOutput } from './support/outputs.js';

/** The user-config snippet for developers; the password stays an environment reference. */
export function developerConfig(src: StoreSource, writer?: string): object {
  return {
    audit: {
      sinks: [
        { type: 'file' },
        {
          type: 'clickhouse',
          url: src.url,
          database: src.database,
          table: src.table,
          user: writer ?? src.user,
          password: `\${${PASSWORD_ENV}}`,
        },
      ],
    },
  };
}

/** Creates the database and table when missing, then checks that the table has every column. */
export async function initStore(src: StoreSource): Promise<{ missing: string[] }> {
  const db = openStore(src);
  try {
    await db.exec(`CREATE DATABASE IF NOT EXISTS ${src.database}`);
    await db.exec(createTableSql(src.database, src.table));
    const cols = await db.rows<{ name: string }>(`SELECT name FROM system.columns WHERE database = '${src.database}' AND table = '${src.table}'`);
    const have = new Set(cols.map((c) => c.name));
    return { missing: COLUMNS.map(([n]) => n).filter((n) => !have.has(n)) };
  } finally {
    await db.close();
  }
}

export function registerTeam(program: Command): void {
  const team = program.command('team').description('The team store: every developer\'s audit records in one ClickHouse table');
  exitTwoOnUsageError(team.command('init'))
    .description('Create the team store\'s database and table (idempotent) and print the config for each developer')
    .requiredOption('--source <url>', 'clickhouse://[USER[:PASSWORD]@]HOST:PORT/DATABASE[?table=T] (an account that may create tables)')
    .option('--writer <user>', 'the ClickHouse account developers insert with (default: the one in --source)')
    .option('--json', 'print {"store", "config"} (schema/team-init.schema.json)')
    .addHelpText('after', `
The password may be left out of the URL and set in ${PASSWORD_ENV} instead.
ClickHouse 18.16 and later (MergeTree family, DateTime, String over the HTTP interface).

Examples:
  hookwarden team init --source clickhouse://admin@db.internal:8123/hookwarden
  hookwarden team init --source clickhouse://admin@db.internal:8123/audit?table=trail --writer hookwarden

Exit codes: 0 ready, 2 could not create or check.`)
    .action(async (opts: { source: string; writer?: string; json?: boolean }) => {
      const src = parseSource(opts.source, process.env);
      const { missing } = await initStore(src);
      if (missing.length > 0) throw new Error(`${sourceLabel(src)}: the table exists without the columns ${missing.join(', ')}; name another table (?table=T)`);
      const config = developerConfig(src, opts.writer);
      if (opts.json) {
        const doc: TeamInitOutput = { store: sourceLabel(src), config: config as TeamInitOutput['config'] };
        process.stdout.write(`${JSON.stringify(doc)}\n`);
        return;
      }
      process.stdout.write(`ready: ${sourceLabel(src)}\n\nPut this in each developer's user config ($XDG_CONFIG_HOME/hookwarden/config.json, keeping their other settings),\nand set ${PASSWORD_ENV} in their environment:\n\n${JSON.stringify(config, null, 2)}\n`);
    });
}
