// `hookwarden rules [--json]`: the effective rules of every layer for the current directory.
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { loadConfig } from '../lib/config.js';
import { installOf } from '../rules/index.js';

export function registerRules(program: Command): void {
  program
    .command('rules')
    .description('List the effective path and command rules of every layer (presets, user, project)')
    .option('--cwd <dir>', 'judge as for a call in this directory (default: the current one)')
    .option('--json', 'print {"layers", "paths", "commands", "warnings"}')
    .action((opts: { cwd?: string; json?: boolean }) => {
      const install = installOf(typeof __dirname === 'string' ? path.join(__dirname, 'hooks') : undefined);
      const cfg = loadConfig({ cwd: path.resolve(opts.cwd ?? process.cwd()), home: process.env.HOME ?? os.homedir(), env: process.env, platform: process.platform, install });
      const paths = cfg.rules.map((r) => ({ id: r.id, effect: r.effect, layer: r.layer, locked: r.locked, ops: [...r.ops], paths: r.source.paths, ...(r.source.except ? { except: r.source.except } : {}), reason: r.reason }));
      const commands = cfg.commandRules.map((r) => ({
        id: r.id, effect: r.effect, layer: r.layer, locked: r.locked, command: r.source.command,
        ...(r.source.subcommand ? { subcommand: r.source.subcommand } : {}), ...(r.source.when ? { when: r.source.when } : {}), reason: r.reason,
      }));
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ layers: cfg.layers, paths, commands, warnings: cfg.warnings })}\n`);
        return;
      }
      process.stdout.write(`layers: ${cfg.layers.map((l) => l.name).join(', ')}\n\npath rules:\n`);
      for (const r of paths) process.stdout.write(`  ${r.effect.padEnd(5)} ${r.id}${r.locked ? ' (locked)' : ''} [${r.layer}] ${r.ops.join(',')}: ${r.paths.join(' ')}\n`);
      process.stdout.write('\ncommand rules:\n');
      for (const r of commands) {
        const sub = (r.subcommand ?? []).map((s) => (typeof s === 'string' ? s : s.join('|'))).join(' ');
        process.stdout.write(`  ${r.effect.padEnd(5)} ${r.id}${r.locked ? ' (locked)' : ''} [${r.layer}] ${r.command.join('|')}${sub ? ` ${sub}` : ''}${r.when ? ` when ${JSON.stringify(r.when)}` : ''}\n`);
      }
      for (const w of cfg.warnings) process.stderr.write(`hookwarden: ${w}\n`);
    });
}
