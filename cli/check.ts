import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { preToolUse } from '../lib/guard.js';
import { askGit } from '../hooks/git-query.js';
import { takeGrantFile } from '../hooks/grant-take.js';
import type { Agent } from '../lib/types.js';
import { installOf } from '../rules/index.js';
import type { CheckOutput } from './support/outputs.js';

export interface CheckOptions { payload?: string; command?: string; write?: string; patch?: string; cwd?: string; agent?: Agent; json?: boolean }

const INPUTS = ['payload', 'command', 'write', 'patch'] as const;

/**
 * `check` judges exactly one call: a second input (or the same flag twice) would be silently
 * dropped and the answer would be about something else than the user asked. One-line usage errors.
 */
export function checkInputs(opts: CheckOptions): void {
  const given = INPUTS.filter((k) => opts[k] !== undefined);
  if (given.length === 0) throw new Error('one of --payload, --command, --write or --patch is required');
  if (given.length > 1) throw new Error(`${given.map((k) => `--${k}`).join(' and ')} cannot be used together: check judges one call, give one of --payload, --command, --write or --patch`);
  if (opts.payload !== undefined && opts.cwd !== undefined) throw new Error('--cwd cannot be used with --payload: the payload names its own cwd');
}

/** commander keeps the last of a repeated option silently; a repeated input is a usage error. */
const once = (flag: string) => (value: string, previous: string | undefined): string => {
  if (previous !== undefined) throw new InvalidArgumentError(`${flag} given twice: check judges one call`);
  return value;
};

/** Builds a real-shaped PreToolUse payload from the flags, so `check` runs exactly the hook's code path. */
function payloadFrom(opts: CheckOptions): string {
  if (opts.payload !== undefined) return fs.readFileSync(opts.payload === '-' ? 0 : opts.payload, 'utf8');
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  const agent = opts.agent ?? 'codex';
  const [tool, input] = opts.command !== undefined
    ? ['Bash', { command: opts.command }]
    : opts.patch !== undefined
      ? ['apply_patch', { command: fs.readFileSync(opts.patch === '-' ? 0 : opts.patch, 'utf8') }]
      : opts.write !== undefined
        ? (agent === 'claude' ? ['Write', { file_path: path.resolve(cwd, opts.write), content: '' }] : ['apply_patch', { command: `*** Begin Patch\n*** Add File: ${opts.write}\n+\n*** End Patch\n` }])
        : (() => { throw new Error('one of --payload, --command, --write or --patch is required'); })();
  const common = { session_id: 'hookwarden-check', cwd, hook_event_name: 'PreToolUse', tool_name: tool, tool_input: input };
  return JSON.stringify(agent === 'codex'
    ? { ...common, turn_id: 'check', model: 'check', tool_use_id: 'call_check' }
    : { ...common, tool_use_id: 'toolu_check' });
}

/**
 * The decision `check` prints (its --json document): the PreToolUse hook's own code path on a
 * payload built from the flags. The web console's rule tester calls this too.
 */
export function judge(opts: CheckOptions, env: Record<string, string | undefined>): CheckOutput {
  // dist/cli.js sits beside dist/hooks: `check` judges this install's own files as the hooks do,
  // the Node executable included (the hooks run on the Node that runs this command).
  const install = installOf(typeof __dirname === 'string' ? path.join(__dirname, 'hooks') : undefined, process.execPath);
  const out = preToolUse(payloadFrom(opts), { env, home: env.HOME ?? os.homedir(), agent: opts.agent, git: askGit, install, takeGrant: takeGrantFile });
  const v = out.verdict;
  const targets = v.targets.map((t) => ({
    op: t.op, path: t.path, via: t.via, ...(t.unresolved ? { unresolved: true } : {}), ...(t.literal !== undefined ? { literal: t.literal } : {}),
    ...(t.unknownCommand !== undefined ? { unknownCommand: t.unknownCommand } : {}),
  }));
  const unknown = [...new Set(v.targets.flatMap((t) => (t.unknownCommand === undefined ? [] : [t.unknownCommand])))];
  return {
    decision: v.decision, targets, rule: v.rule ?? null, layer: v.layer ?? null, reason: v.reason ?? null,
    ...(unknown.length > 0 ? { unknownCommands: unknown } : {}), ...(v.command ? { command: v.command } : {}), ...(out.error ? { error: out.error } : {}),
  };
}

export function registerCheck(program: Command): void {
  program
    .command('check')
    .description('Explain the decision the PreToolUse hook would take, without an agent')
    .option('--payload <file>', 'a hook payload (JSON) from a file, or - for stdin', once('--payload'))
    .option('--command <shell>', 'a shell command, as the Bash tool would run it', once('--command'))
    .option('--write <path>', 'a file write', once('--write'))
    .option('--patch <file>', 'a Codex apply_patch text from a file, or - for stdin', once('--patch'))
    .option('--cwd <dir>', 'the working directory of the call (default: the current one; not with --payload)', once('--cwd'))
    .option('--agent <agent>', 'codex or claude (default codex, or detected from --payload)', once('--agent'))
    .option('--json', 'print {"decision", "targets", "rule", "layer", "reason"}')
    .addHelpText('after', `
Examples:
  hookwarden check --command 'echo hi > .env'
  hookwarden check --command 'sh -c "rm \\$1" _ .git/config' --cwd ~/src/app --json
  hookwarden check --write ~/.ssh/config --agent claude
  hookwarden check --payload captured-payload.json

Give exactly one of --payload, --command, --write or --patch: check judges one call.

Exit codes: 0 allowed, 1 blocked (deny, or ask), 2 could not check (also: a usage error).`)
    .action((opts: CheckOptions) => {
      checkInputs(opts);
      if (opts.agent && opts.agent !== 'codex' && opts.agent !== 'claude') throw new Error(`--agent must be codex or claude, not ${opts.agent}`);
      const result = judge(opts, process.env);
      const { decision, targets, rule, layer, reason, command, unknownCommands: unknown = [] } = result;
      const v = { decision, rule, layer, reason, command };
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(result)}\n`);
      } else {
        process.stdout.write(`decision: ${v.decision}\n`);
        if (v.rule) process.stdout.write(`rule:     ${v.rule} (${v.layer ?? 'unknown layer'})\n`);
        if (v.reason) process.stdout.write(`reason:   ${v.reason}\n`);
        if (v.command) process.stdout.write(`command:  ${JSON.stringify(v.command.argv)}${v.command.preset ? ` (preset ${v.command.preset})` : ''}${v.command.container ? ' inside a container' : ''}\n`);
        // How each target was found is its [via]; a command the guard did not know is named here.
        for (const u of unknown) process.stdout.write(`unknown:  ${u} (its protected operands count as written)\n`);
        for (const t of targets) {
          const written = t.unresolved && t.literal !== undefined ? ` from ${JSON.stringify(t.literal)}` : '';
          process.stdout.write(`target:   ${t.op.padEnd(9)} ${t.path.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}${t.unresolved ? ` (unresolved${written})` : ''}  [${t.via}]\n`);
        }
      }
      process.exitCode = v.decision === 'allow' ? 0 : 1;
    });
}
