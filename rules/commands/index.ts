// Command knowledge as data (rules/commands/*.json, shape in lib/targets/shell/command-spec.ts):
// inlined into each executable by esbuild like the presets, so nothing is read at run time.
// Code handlers (lib/targets/shell/commands.ts and the modules beside it) take precedence over
// an entry of the same name. test/targets/shell/command-data.test.ts validates every file.
import type { CommandSpec } from '../../lib/targets/shell/command-spec.js';
import archivers from './archivers.json' with { type: 'json' };
import coreutils from './coreutils.json' with { type: 'json' };
import crypto from './crypto.json' with { type: 'json' };
import devTools from './dev-tools.json' with { type: 'json' };
import editors from './editors.json' with { type: 'json' };
import findutils from './findutils-diffutils-util-linux.json' with { type: 'json' };
import network from './network.json' with { type: 'json' };
import packageManagers from './package-managers.json' with { type: 'json' };
import builtins from './shell-builtins.json' with { type: 'json' };

/** Each file by name, for the schema test. */
export const COMMAND_FILES: Readonly<Record<string, { commands: Record<string, unknown> }>> = {
  'archivers.json': archivers,
  'coreutils.json': coreutils,
  'crypto.json': crypto,
  'dev-tools.json': devTools,
  'editors.json': editors,
  'findutils-diffutils-util-linux.json': findutils,
  'network.json': network,
  'package-managers.json': packageManagers,
  'shell-builtins.json': builtins,
};

/** Every command by name (names are unique across the files: the test checks it). */
export const COMMAND_SPECS: Readonly<Record<string, CommandSpec>> = Object.assign(
  Object.create(null) as Record<string, CommandSpec>,
  ...Object.values(COMMAND_FILES).map((f) => f.commands as Record<string, CommandSpec>),
);
