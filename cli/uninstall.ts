import type { Command } from 'commander';
import { addInstallOptions, runInstallCommand, type InstallFlags } from './install.js';

export function registerUninstall(program: Command): void {
  addInstallOptions(program
    .command('uninstall')
    .description('Remove exactly what `hookwarden install` added, with the same flags'))
    .addHelpText('after', `
Removes what \`hookwarden install\` added, as recorded in $XDG_STATE_HOME/hookwarden/install/: a file
still exactly as install left it gets its earlier bytes back; a file changed since loses only
hookwarden's matcher groups and their [hooks.state] trust entries (other tools' hooks, unknown keys
and formatting stay; when another tool's group sat after one of hookwarden's, its trust entry is
renamed to the group's new index so it stays trusted). Files, folders, "hooks" members, event lists
and a project's trust_level go only when install created them; an empty folder install made is
removed (never anything in it). The record lives in your state folder, never in a project, so a
cloned repository cannot make uninstall remove anything of yours. All or nothing, like install.

Examples:
  hookwarden uninstall
  hookwarden uninstall --agent codex --scope project
  hookwarden uninstall --dry-run

Exit codes: 0 removed (or nothing to remove), 2 could not uninstall (nothing changed).`)
    .action((flags: InstallFlags) => runInstallCommand('uninstall', flags));
}
