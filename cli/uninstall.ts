import type { Command } from 'commander';
import { addInstallOptions, runInstallCommand, type InstallFlags } from './install.js';

export function registerUninstall(program: Command): void {
  addInstallOptions(program
    .command('uninstall')
    .description('Remove exactly what `hookwarden install` added, with the same flags'))
    .addHelpText('after', `
Removes hookwarden's matcher groups (other tools' hooks, unknown keys and formatting stay as they
were) and their [hooks.state] trust entries from config.toml. When another tool's group sat after
one of hookwarden's, its trust entry is renamed to the group's new index so it stays trusted.
A file that held nothing but hookwarden's entries is removed. --trust-project also removes the
project's trust_level. Every existing file is backed up before it changes.

Examples:
  hookwarden uninstall
  hookwarden uninstall --agent codex --scope project --trust-project
  hookwarden uninstall --dry-run

Exit codes: 0 removed (or nothing to remove), 2 could not uninstall.`)
    .action((flags: InstallFlags) => runInstallCommand('uninstall', flags));
}
