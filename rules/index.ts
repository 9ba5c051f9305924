// The built-in presets. Kept as JSON so they ship and read as data (package.json "files": rules);
// esbuild inlines the imports into each executable, so nothing is read from disk at run time.
// Import attributes keep the files valid JSON for editors and the schema; the cast narrows the
// JSON's widened types (effect: string) to Preset, which test/rules/presets.test.ts checks with
// PresetSchema.
import type { Preset } from '../lib/rules.js';
import secrets from './secrets.json' with { type: 'json' };
import vcs from './vcs.json' with { type: 'json' };
import self from './self.json' with { type: 'json' };
import secretsRead from './secrets-read.json' with { type: 'json' };
import gitDestructive from './git-destructive.json' with { type: 'json' };
import fsDestructive from './fs-destructive.json' with { type: 'json' };
import remoteCode from './remote-code.json' with { type: 'json' };
import databases from './databases.json' with { type: 'json' };
import infrastructure from './infrastructure.json' with { type: 'json' };
import { liveSelfRules, type LiveContext } from './live.js';

export { installOf, type Install, type LiveContext } from './live.js';

export const PRESET_NAMES = ['secrets', 'vcs', 'self', 'secrets-read', 'git-destructive', 'fs-destructive', 'remote-code', 'databases', 'infrastructure'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** In precedence order: the first matching rule is the one reported. */
export const PRESETS: Readonly<Record<PresetName, Preset>> = {
  secrets: secrets as Preset,
  vcs: vcs as Preset,
  self: self as Preset,
  'secrets-read': secretsRead as Preset,
  'git-destructive': gitDestructive as Preset,
  'fs-destructive': fsDestructive as Preset,
  'remote-code': remoteCode as Preset,
  databases: databases as Preset,
  infrastructure: infrastructure as Preset,
};

/**
 * The rules of a preset for one call: its JSON rules, and for `self` the rules that protect this
 * call's live installation (rules/live.ts), which depend on where the guard runs.
 */
export function presetRules(name: PresetName, live: LiveContext): Preset['rules'] {
  const rules = PRESETS[name].rules;
  return name === 'self' ? [...rules, ...liveSelfRules(live)] : rules;
}
