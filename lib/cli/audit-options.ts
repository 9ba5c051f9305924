// Options shared by `tail` and `stats`: which files, and which records.
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { defaultAuditPath } from '../../sinks/file.js';
import { GuardError } from '../types.js';
import { auditFileList, parseSince, type AuditFilter } from './audit-query.js';

export interface AuditFlags {
  file?: string;
  session?: string;
  decision?: 'allow' | 'deny' | 'ask';
  tool?: string;
  event?: string;
  since?: number;
}

function since(v: string): number {
  try {
    return parseSince(v);
  } catch (err) {
    throw new InvalidArgumentError(err instanceof GuardError ? err.message.replace(/^--since: /, '') : String(err));
  }
}

export function addAuditOptions(cmd: Command): Command {
  return cmd
    .option('--file <path>', 'audit file; its rotated predecessors beside it are read too (default: $XDG_STATE_HOME/hookwarden/audit.jsonl, else ~/.local/state/hookwarden/audit.jsonl)')
    .option('--since <when>', 'records from this time on: a duration back from now (90s, 30m, 1h, 2d, 1w) or an RFC 3339 time', since)
    .option('--session <id>', 'only this session_id')
    .addOption(new Option('--decision <decision>', 'only this decision').choices(['deny', 'allow', 'ask']))
    .option('--tool <name>', 'only this tool (a trailing * matches any suffix: mcp__fs__*)')
    .option('--event <name>', 'only this hook event (PreToolUse, PostToolUse, SessionStart...)');
}

export function filterOf(f: AuditFlags): AuditFilter {
  return {
    ...(f.session !== undefined ? { session: f.session } : {}),
    ...(f.decision !== undefined ? { decision: f.decision } : {}),
    ...(f.tool !== undefined ? { tool: f.tool } : {}),
    ...(f.event !== undefined ? { event: f.event } : {}),
    ...(f.since !== undefined ? { since: f.since } : {}),
  };
}

/** The audit file to read (named, or the default one) and the list with its rotated predecessors. */
export function auditFilesOf(f: AuditFlags): { file: string; files: string[] } {
  const file = f.file !== undefined ? path.resolve(f.file) : defaultAuditPath(process.env, process.env.HOME || os.homedir());
  return { file, files: auditFileList(file, f.since) };
}

/** Notes on stderr: torn or foreign lines, and files that could not be read. */
export function reportSkipped(skipped: number, unreadable: string[]): void {
  if (skipped > 0) process.stderr.write(`hookwarden: skipped ${skipped} line${skipped === 1 ? '' : 's'} that are not audit records (run hookwarden verify)\n`);
  for (const f of unreadable) process.stderr.write(`hookwarden: ${f}: unreadable\n`);
}
