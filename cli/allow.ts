// `hookwarden allow --once <record id | command>`: a person lets one blocked command through once.
import type { Command } from 'commander';
import { placeOfProcess } from './support/audit-options.js';
import { agentMarker, fromRecord, isRecordId, writeGrant } from './allow/grant.js';

interface AllowOptions { once?: boolean; session?: string; minutes?: string; file?: string; json?: boolean }

export function registerAllow(program: Command): void {
  program
    .command('allow')
    .description('Grant a one-time exception to a command rule (a person, not the agent)')
    .argument('<record-or-command>', 'the id of the audit record of the blocked call, or the exact shell command')
    .option('--once', 'required: the grant serves the next matching call, once')
    .option('--session <id>', 'only in this agent session (from a record: its session)')
    .option('--minutes <n>', 'how long the grant waits for its call (default 5, at most 60)')
    .option('--file <audit.jsonl>', 'the audit file holding the record (default: the configured ones)')
    .option('--json', 'print the grant as JSON')
    .addHelpText('after', `
Examples:
  hookwarden allow --once 0193a4c2-7b1e-7c3d-9f00-123456789abc
  hookwarden allow --once 'git push --force origin my-branch' --session 5f1c...

The grant is written to hookwarden's state folder, which the agent cannot write; the call it lets
through is recorded with the grant's id and who gave it. Run by an agent it is blocked.`)
    .action((target: string, opts: AllowOptions) => {
      if (!opts.once) throw new Error('--once is required: grants are one-time exceptions');
      const marker = agentMarker(process.env);
      if (marker) throw new Error(`refusing to grant from inside an agent's shell (${marker} is set): grants are for a person`);
      const minutes = opts.minutes === undefined ? 5 : Number(opts.minutes);
      if (!Number.isFinite(minutes) || minutes <= 0 || minutes > 60) throw new Error('--minutes must be a number from 1 to 60');
      const at = placeOfProcess();
      const src = isRecordId(target) ? { ...fromRecord(target, at, opts.file), record: target } : { command: target };
      const g = writeGrant(at, { ...src, ...(opts.session ? { session: opts.session } : {}), ttlMs: minutes * 60_000 });
      if (opts.json) process.stdout.write(`${JSON.stringify(g)}\n`);
      else {
        process.stdout.write(`granted ${g.id} (by ${g.by}) until ${new Date(g.expires).toISOString()}${g.session ? ` in session ${g.session}` : ''}:\n  ${g.command}\n`);
      }
    });
}
