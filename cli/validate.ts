import os from 'node:os';
import type { Command } from 'commander';
import { formatValidate, validateConfigs } from './support/validate.js';
import { exitTwoOnUsageError } from './support/usage.js';

export function registerValidate(program: Command): void {
  exitTwoOnUsageError(program.command('validate'))
    .description('Lint config files: schema, rules that can never match, duplicate ids, and what a project config may not change')
    .argument('[files...]', 'config files (default: the user config, or HOOKWARDEN_CONFIG, and the project config of the current directory)')
    .option('--strict', 'warnings are problems too (exit 1)')
    .option('--json', 'print {"ok", "exitCode", "files": [{file, layer, present, ok, problems: [{severity, rule?, field?, message}]}]} (schema/validate.schema.json)')
    .addHelpText('after', `
Errors (exit 1): invalid JSON; anything the schema refuses (unknown keys, invalid globs, wrong
types: the message the hooks would block with); duplicate rule ids; a rule that can never match
(every "tools" entry lacks targets of its ops, such as "Read" on a write rule or "Glob", which has
no file targets; every "paths" glob is "/" or lies inside an "except" glob like "dir/**");
invalid audit.redact patterns; two spooled sinks sharing a queue.
Warnings (exit 0 unless --strict): one such dead tool or glob among live ones; a backslash in a
glob; mcp.tools keys that match no tool; an empty audit.sinks; and what the layering ignores: a
project config replacing a locked rule, switching a preset off, relaxing "unresolved" or limits,
setting "audit" or MCP "reads"/"ignore" (also a user config replacing a locked built-in rule).
{} is a valid config: the defaults. A default layer that does not exist is reported as absent.

Examples:
  hookwarden validate
  hookwarden validate .hookwarden/config.json --json | jq '.files[].problems'
  hookwarden validate --strict ~/.config/hookwarden/config.json

Exit codes: 0 valid, 1 problems, 2 a file could not be read.`)
    .action((files: string[], opts: { strict?: boolean; json?: boolean }) => {
      const home = process.env.HOME || os.homedir();
      const result = validateConfigs({ files, cwd: process.cwd(), home, env: process.env, platform: process.platform, strict: opts.strict === true });
      process.stdout.write(opts.json ? `${JSON.stringify(result)}\n` : formatValidate(result, process.stdout.isTTY === true, home));
      process.exitCode = result.exitCode;
    });
}
