// `hookwarden`: one commander program; each subcommand lives in its own file under cli/.
import { messageOf } from '../lib/errors.js';
import { Command } from 'commander';
import { VERSION } from '../lib/version.js';
import { registerVerify } from './verify.js';
import { registerShip } from './ship.js';
import { registerCheck } from './check.js';
import { registerInstall } from './install.js';
import { registerUninstall } from './uninstall.js';
import { registerDoctor } from './doctor.js';
import { registerValidate } from './validate.js';
import { registerTail } from './tail.js';
import { registerStats } from './stats.js';
import { registerSchema } from './schema.js';
import { registerTeam } from './team.js';
import { registerUi } from './ui.js';
import { registerAllow } from './allow.js';
import { registerRules } from './rules.js';
import { hidePasswordsInArgv, redactUrlPasswords } from './team/source.js';

const program = new Command('hookwarden')
  .description('Fail-closed write guard and tamper-evident audit trail for Codex CLI and Claude Code')
  .version(VERSION)
  .showHelpAfterError()
  .addHelpText('after', `
Examples:
  hookwarden check --command 'echo hi > .env'        explain a decision without an agent
  hookwarden verify                                  check the default audit log's hash chain
  hookwarden ship --timeout 30                       deliver spooled records to HTTP, syslog and ClickHouse sinks
  hookwarden ui                                      browse sessions, blocks and escalations in a web console

Exit codes: 0 success, 1 the answer is "no" (blocked, tampered, records left), 2 could not check.`);

// Before the subcommands exist: commander copies the override into each one as it is created.
// Usage errors exit 2 ("could not check") everywhere in hookwarden, not commander's 1.
program.exitOverride((err) => {
  process.exit(err.exitCode === 0 ? 0 : 2);
});

registerCheck(program);
registerVerify(program);
registerShip(program);
registerInstall(program);
registerUninstall(program);
registerDoctor(program);
registerValidate(program);
registerTail(program);
registerStats(program);
registerSchema(program);
registerTeam(program);
registerUi(program);
registerAllow(program);
registerRules(program);

// A reader that stops early (`hookwarden tail | head`) closes the pipe: that ends the output, not
// with a stack trace.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

const argvWarning = hidePasswordsInArgv(process.argv);
if (argvWarning) process.stderr.write(`hookwarden: ${argvWarning}\n`);

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`hookwarden: ${redactUrlPasswords(messageOf(err))}\n`);
  process.exit(2);
});
