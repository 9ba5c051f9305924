import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { formatInstall } from './install/format.js';
import { runInstall } from './install/install.js';
import { buildClient, pruneClients } from './install/client-build.js';
import type { InstallAgent } from './install/plan.js';
import type { InstallResult } from './install/result.js';

export interface InstallFlags {
  agent: string;
  scope: string;
  project?: string;
  dryRun?: boolean;
  json?: boolean;
  trustProject?: boolean;
  codex?: string;
  dist?: string;
  absolutePaths?: boolean;
}

/** The built CLI is dist/cli.js, so its own folder is the dist holding hooks/*.js. */
export function defaultDist(): string {
  return typeof __filename === 'string' ? path.dirname(__filename) : path.dirname(path.resolve(process.argv[1] ?? '.'));
}

export function agentsOf(agent: string): InstallAgent[] {
  if (agent === 'all') return ['codex', 'claude'];
  if (agent === 'codex' || agent === 'claude') return [agent];
  throw new Error(`--agent must be codex, claude or all, not ${agent}`);
}

export function scopeOf(scope: string): 'user' | 'project' {
  if (scope === 'user' || scope === 'project') return scope;
  throw new Error(`--scope must be user or project, not ${scope}`);
}

export function addInstallOptions(cmd: Command): Command {
  return cmd
    .option('--agent <agent>', 'codex, claude or all', 'all')
    .option('--scope <scope>', 'user ($CODEX_HOME/hooks.json, ~/.claude/settings.json) or project (<project>/.codex/hooks.json, <project>/.claude/settings.json)', 'user')
    .option('--project <dir>', 'project folder for --scope project (default: the project root of the current folder)')
    .option('--trust-project', 'codex, --scope project: also write (uninstall: remove) [projects."<dir>"] trust_level = "trusted"')
    .option('--dry-run', 'print the change as a unified diff per file; write nothing')
    .option('--json', 'print one JSON document (schema/install.schema.json)')
    .option('--codex <path>', 'codex binary whose app-server reports trust keys and hashes (default: codex on PATH)')
    .option('--dist <dir>', 'folder holding hooks/*.js (default: the folder of this CLI)')
    .option('--absolute-paths', 'install --scope project: register this machine\'s absolute paths even though the project\'s hooks file may be shared');
}

export async function runInstallCommand(command: 'install' | 'uninstall', flags: InstallFlags): Promise<void> {
  const env = process.env;
  const home = env.HOME || os.homedir();
  let result: InstallResult;
  try {
    if (flags.trustProject && flags.scope !== 'project') throw new Error('--trust-project needs --scope project');
    result = await runInstall({
      command,
      agents: agentsOf(flags.agent),
      scope: scopeOf(flags.scope),
      dryRun: flags.dryRun === true,
      trustProject: flags.trustProject === true,
      cwd: process.cwd(),
      ...(flags.project ? { project: path.resolve(flags.project) } : {}),
      env,
      home,
      distDir: path.resolve(flags.dist ?? defaultDist()),
      ...(flags.codex ? { codex: flags.codex } : {}),
      ...(flags.absolutePaths ? { absolutePaths: true } : {}),
      // HOOKWARDEN_INSTALL_CLIENT=node: register the Node client even where a compiler is present.
      client: { build: env.HOOKWARDEN_INSTALL_CLIENT === 'node' ? () => ({ reason: 'Node client: asked for (HOOKWARDEN_INSTALL_CLIENT=node)' }) : buildClient, prune: pruneClients },
    });
  } catch (err) {
    if (!flags.json) throw err;
    // --json promises one document whatever happens; the error is in it, and the exit status says 2.
    process.stdout.write(`${JSON.stringify(failedResult(command, flags, (err as Error).message), null, 2)}\n`);
    process.exitCode = 2;
    return;
  }
  process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : formatInstall(result, process.stdout.isTTY === true, home));
  process.exitCode = 0;
}

/** The document of a run that failed: nothing was changed (the run put back whatever it had written). */
export function failedResult(command: 'install' | 'uninstall', flags: InstallFlags, error: string): InstallResult {
  let agents: InstallAgent[] = [];
  try {
    agents = agentsOf(flags.agent);
  } catch {
    // A bad --agent is the error itself.
  }
  return {
    command, dryRun: flags.dryRun === true, scope: flags.scope === 'project' ? 'project' : 'user', agents, changed: false,
    files: [], handlers: [], trust: null, projectTrust: null, backups: [], warnings: [], error: error.split('\n')[0] ?? error,
  };
}

export function registerInstall(program: Command): void {
  addInstallOptions(program
    .command('install')
    .description('Register hookwarden with Codex and Claude Code, and trust it in Codex (no prompts)'))
    .addHelpText('after', `
Codex: hookwarden's matcher groups are appended to hooks.json (after every existing group: Codex trust
keys are positional), then [hooks.state."<key>"] trusted_hash = "…" goes into the user
$CODEX_HOME/config.toml. Keys and hashes come from \`codex app-server\` (hooks/list) when a codex
binary is found, else they are computed; the output says which. Claude Code: settings.json.
hookwarden recognizes its own handlers by the command naming hooks/pre-tool-use.js,
hooks/post-tool-use.js or hooks/audit-event.js; running install again repairs them in place.

All or nothing: every file of every agent is planned and checked before the first write; when a
write fails, the files already written are put back (exit 2; with --json the document's "error"
says why). Copies of changed files and a record of what install added go to
$XDG_STATE_HOME/hookwarden/install/ (default ~/.local/state), so uninstall removes exactly that.

--scope project: the project's hooks file is usually committed, so the commands name the hooks
relative to the project (hookwarden installed in it, e.g. node_modules/hookwarden) and run \`node\`
from PATH. A hookwarden outside the project is refused (use --scope user, or --absolute-paths).
When the hooks' V8 code caches (dist/hooks/*.cache) were built for another Node, they are rewritten
for the Node the hooks are registered with (speed only; a warning says so).

Examples:
  hookwarden install                                  both agents, user scope
  hookwarden install --agent codex --dry-run          show the diff, write nothing
  npx hookwarden install --scope project --trust-project   in a project that depends on hookwarden
  hookwarden install --json | jq .trust

Exit codes: 0 installed (or already installed), 2 could not install (nothing changed).`)
    .action((flags: InstallFlags) => runInstallCommand('install', flags));
}
