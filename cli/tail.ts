import fs from 'node:fs';
import os from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { GuardError } from '../lib/types.js';
import { followAudit } from './support/audit-follow.js';
import { addAuditOptions, auditFilesOf, auditFilterOf, reportSkipped, type AuditFlags } from './support/audit-options.js';
import { RowPrinter, jsonSafe } from './support/audit-format.js';
import { readAudit, type AuditEntry } from './support/audit-query.js';
import { exitTwoOnUsageError } from './support/usage.js';
import { parseSource } from './team/source.js';
import { readStoreEntries } from './team/store.js';

interface TailFlags extends AuditFlags { follow?: boolean; lines?: number; json?: boolean }

function count(v: string): number {
  if (!/^\d{1,9}$/.test(v)) throw new InvalidArgumentError('expected a whole number');
  return Number(v);
}

export function registerTail(program: Command): void {
  const cmd = exitTwoOnUsageError(program.command('tail'))
    .description('Print audit records, oldest first: the last 20, or all since --since; --follow keeps printing new ones')
    .option('-f, --follow', 'keep printing records as they are appended, across rotations, until interrupted')
    .option('-n, --lines <n>', 'print the last n matching records (default 20; with --since: all of them)', count)
    .option('--json', 'print the records as stored, one JSON line each (schema/tail.schema.json); characters a terminal acts on are \\u-escaped');
  addAuditOptions(cmd).addHelpText('after', `
Columns: ts, agent, event, tool, decision, rule, and the reason of a block or the first target.
Lines that are not records (a torn write) are skipped and counted on stderr.

Examples:
  hookwarden tail
  hookwarden tail --decision deny --since 1h
  hookwarden tail --follow --session 01a20e99-5c2b-7490-b467-68e81c82a5a1
  hookwarden tail --tool 'mcp__*' -n 100 --json | jq .targets
  hookwarden tail --source clickhouse://reader@db.internal:8123/hookwarden --user alice --decision deny

Exit codes: 0 success (also when there are no records), 2 a file could not be read or bad arguments.`)
    .action(async (flags: TailFlags) => {
      const filter = auditFilterOf(flags);
      if (flags.source !== undefined) {
        // The team store: the same filters and output, read from ClickHouse (no --follow there).
        if (flags.follow) throw new GuardError('--follow reads local files; it does not work with --source', 'usage');
        const src = parseSource(flags.source, process.env);
        const read = await readStoreEntries(src, filter, flags.lines ?? (flags.since !== undefined ? undefined : 20));
        const out = (s: string): void => void process.stdout.write(s);
        if (flags.json) for (const e of read.entries) out(`${jsonSafe(e.line)}\n`);
        else if (read.entries.length > 0) new RowPrinter(out, process.stdout.isTTY === true, process.env.HOME || os.homedir()).start(read.entries.map((e) => e.rec));
        reportSkipped(read.skipped, []);
        return;
      }
      const { file, files } = auditFilesOf(flags);
      if (flags.file !== undefined && !flags.follow && !files.some((f) => fs.existsSync(f))) throw new Error(`${file}: no such audit file`);
      const limit = flags.lines ?? (flags.since !== undefined ? undefined : 20);
      const read = readAudit(files, { filter, ...(limit !== undefined ? { limit } : {}), keepOpen: flags.follow === true });
      const ac = new AbortController();
      // A reader that went away (`| head`) ends the output quietly (and the follow).
      process.stdout.on('error', () => ac.abort());
      const out = (s: string): void => void process.stdout.write(s);
      const printer = new RowPrinter(out, process.stdout.isTTY === true, process.env.HOME || os.homedir());
      const show = flags.json ? (e: AuditEntry) => out(`${jsonSafe(e.line)}\n`) : (e: AuditEntry) => printer.add(e.rec);
      if (flags.json) read.entries.forEach(show);
      else if (read.entries.length > 0 || flags.follow) printer.start(read.entries.map((e) => e.rec));
      let skipped = read.skipped;
      if (flags.follow && read.current) {
        for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => ac.abort());
        skipped += (await followAudit(read.current, { filter, onEntry: show, signal: ac.signal })).skipped;
      } else if (read.current?.fd !== undefined) fs.closeSync(read.current.fd);
      reportSkipped(skipped, read.unreadable);
      process.exitCode = read.unreadable.length > 0 ? 2 : 0;
    });
}
