import os from 'node:os';
import type { Command } from 'commander';
import { runDoctor } from './install/doctor.js';
import { formatDoctor } from './install/format.js';
import { agentsOf, defaultDist } from './install.js';

interface DoctorFlags { agent?: string; json?: boolean; codex?: string }

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('Prove that hookwarden is enforcing: registration, Codex trust, config, sinks, and a live probe')
    .option('--agent <agent>', 'codex, claude or all: check these even if hookwarden is not installed for them (default: the agents it is installed for)')
    .option('--json', 'print one JSON document (schema/doctor.schema.json)')
    .option('--codex <path>', 'codex binary whose app-server reports trust (default: codex on PATH; without one, trust is judged from config.toml with computed hashes)')
    .addHelpText('after', `
Checks: Node version; that this Node takes the hooks' V8 code caches (speed only); every config layer; hookwarden's handlers in each agent's files (user and
the current project); Codex trust of each handler (not untrusted, not modified) and project trust
where the handlers are in a project; the audit sinks and the spool's size. Then a live probe: the
exact registered PreToolUse command is run as the agent runs it (Codex: $SHELL -lc, Claude: sh -c)
with a write to .env in a scratch project (must be blocked) and an ordinary write (must be
allowed), within the registered timeout. The probe's audit records go to a scratch folder.
An agent hookwarden was never installed for is reported, not failed.

Examples:
  hookwarden doctor
  hookwarden doctor --agent codex --json | jq .problems

Exit codes: 0 enforcing, 1 not enforcing (one line per problem says how to fix it), 2 could not check.`)
    .action(async (flags: DoctorFlags) => {
      const result = await runDoctor({
        ...(flags.agent ? { agents: agentsOf(flags.agent) } : {}),
        cwd: process.cwd(),
        env: process.env,
        home: process.env.HOME || os.homedir(),
        distDir: defaultDist(),
        ...(flags.codex ? { codex: flags.codex } : {}),
      });
      process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : formatDoctor(result, process.stdout.isTTY === true));
      process.exitCode = result.exitCode;
    });
}
