// Options shared by `tail` and `stats`: which files, and which records.
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { auditPathOf, defaultAuditPath } from '../../sinks/file.js';
import { loadConfig } from '../../lib/config.js';
import { GuardError, describeError } from '../../lib/types.js';
import { auditFileList, parseSince, type AuditFilter } from './audit-query.js';

/** The filter, plus where to read from. */
export interface AuditFlags extends AuditFilter {
  file?: string;
  /** A team store (clickhouse://…) to read instead of the local files. */
  source?: string;
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
    .option('--file <path>', 'audit file; its rotated predecessors beside it are read too (default: the configured file sink, else $XDG_STATE_HOME/hookwarden/audit.jsonl, else ~/.local/state/hookwarden/audit.jsonl)')
    .option('--since <when>', 'records from this time on: a duration back from now (90s, 30m, 1h, 2d, 1w) or an RFC 3339 time', since)
    .option('--session <id>', 'only this session_id')
    .addOption(new Option('--decision <decision>', 'only this decision').choices(['deny', 'allow', 'ask']))
    .option('--tool <name>', 'only this tool (a trailing * matches any suffix: mcp__fs__*)')
    .option('--event <name>', 'only this hook event (PreToolUse, PostToolUse, SessionStart...)')
    .option('--user <name>', 'only records written by this user (the record\'s user)')
    .option('--host <name>', 'only records written on this host')
    .option('--project <root>', 'only records of this project root')
    .option('--source <url>', 'read a team store instead of the local files: clickhouse://[USER[:PASSWORD]@]HOST:PORT/DATABASE[?table=T]');
}

export function auditFilterOf(f: AuditFlags): AuditFilter {
  return {
    ...(f.session !== undefined ? { session: f.session } : {}),
    ...(f.decision !== undefined ? { decision: f.decision } : {}),
    ...(f.tool !== undefined ? { tool: f.tool } : {}),
    ...(f.event !== undefined ? { event: f.event } : {}),
    ...(f.since !== undefined ? { since: f.since } : {}),
    ...(f.user !== undefined ? { user: f.user } : {}),
    ...(f.host !== undefined ? { host: f.host } : {}),
    ...(f.project !== undefined ? { project: f.project } : {}),
  };
}

export interface AuditPlace {
  env: Record<string, string | undefined>;
  home: string;
  cwd: string;
  platform?: NodeJS.Platform;
}

export const placeOfProcess = (): AuditPlace => ({ env: process.env, home: process.env.HOME || os.homedir(), cwd: process.cwd() });

/**
 * The audit files the hooks write for calls made in `cwd`: every file sink of the loaded config
 * (user layer or HOOKWARDEN_CONFIG: a project cannot configure auditing), paths resolved as the
 * sink resolves them (`~/` from home, a relative path from the working directory), or the default
 * file when no `audit.sinks` is set. As in the hooks (lib/guard.ts userAuditConfig), a project
 * config that does not load leaves the user layer in charge; when that does not load either, the
 * hooks write to the default file, so that one is read, with a warning.
 */
export function configuredAuditFiles(at: AuditPlace): { files: string[]; warning?: string } {
  let sinks;
  const load = (cwd: string) => loadConfig({ cwd, home: at.home, env: at.env, platform: at.platform ?? process.platform }).audit.sinks;
  try {
    sinks = load(at.cwd);
  } catch (err) {
    try {
      sinks = load(at.home);
    } catch {
      return { files: [defaultAuditPath(at.env, at.home)], warning: `${describeError(err)}; reading the default audit file, where hooks write when the config does not load` };
    }
  }
  if (sinks === undefined) return { files: [defaultAuditPath(at.env, at.home)] };
  const files = sinks.flatMap((s) => {
    if (s.type !== 'file') return [];
    if (s.path !== undefined && !s.path.startsWith('~') && !path.isAbsolute(s.path)) return [path.resolve(at.cwd, s.path)];
    return [auditPathOf(s, at.env, at.home)];
  });
  return { files: [...new Set(files)] };
}

/**
 * The audit file to read (named with --file, else the first configured file sink: every file sink
 * holds the same records) and the list with its rotated predecessors.
 */
export function auditFilesOf(f: AuditFlags, at: AuditPlace = placeOfProcess()): { file: string; files: string[] } {
  let file: string | undefined;
  if (f.file !== undefined) file = path.resolve(at.cwd, f.file);
  else {
    const conf = configuredAuditFiles(at);
    if (conf.warning) process.stderr.write(`hookwarden: ${conf.warning}\n`);
    file = conf.files[0];
    if (file === undefined) throw new GuardError('no file sink is configured (audit.sinks); name an audit file with --file', 'usage');
  }
  return { file, files: auditFileList(file, f.since) };
}

/** Notes on stderr: torn or foreign lines, and files that could not be read. */
export function reportSkipped(skipped: number, unreadable: string[]): void {
  if (skipped > 0) process.stderr.write(`hookwarden: skipped ${skipped} line${skipped === 1 ? '' : 's'} that are not audit records (run hookwarden verify)\n`);
  for (const f of unreadable) process.stderr.write(`hookwarden: ${f}: unreadable\n`);
}
