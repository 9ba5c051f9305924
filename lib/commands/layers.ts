// Command rules through the config layers, as path rules go (config.ts): the enabled presets'
// rules first, then each config file's `commands` in layer order; a higher layer replaces an
// unlocked rule of a lower one by id; a nested project cannot undo an enclosing project's rule.
// A preset the user layer set to "ask" has its deny rules ask instead.
import { GuardError, type Effect } from '../types.js';
import { compileCommandRule, indexCommandRules, type CommandIndex, type CompiledCommandRule } from './match.js';
import type { CommandRule } from './schema.js';

export type PresetMode = boolean | 'ask';

interface Slot { rule: CommandRule; layer: string; kind: 'builtin' | 'user' | 'project' | 'env'; effect: Effect }

export interface CommandLayers {
  index: CommandIndex;
  rules: CompiledCommandRule[];
}

export function loadCommandRules(
  presets: { name: string; mode: PresetMode; commands: readonly CommandRule[] }[],
  files: { file: string; kind: 'user' | 'project' | 'env'; commands?: readonly CommandRule[] }[],
  warnings: string[],
): CommandLayers {
  const slots: Slot[] = [];
  const at = new Map<string, number>();
  const put = (s: Slot): void => {
    at.set(s.rule.id, slots.length);
    slots.push(s);
  };
  for (const p of presets) {
    if (!p.mode) continue;
    for (const rule of p.commands) put({ rule, layer: `builtin:${p.name}`, kind: 'builtin', effect: p.mode === 'ask' && rule.effect === 'deny' ? 'ask' : rule.effect });
  }
  for (const { file, kind, commands } of files) {
    const ids = new Map<string, number>();
    (commands ?? []).forEach((rule, i) => {
      const first = ids.get(rule.id);
      if (first !== undefined) throw new GuardError(`${file}: commands[${i}] (id ${JSON.stringify(rule.id)}): field id: duplicate of commands[${first}]`, 'config');
      ids.set(rule.id, i);
      const k = at.get(rule.id);
      const lower = k === undefined ? undefined : slots[k];
      if (k === undefined || !lower) put({ rule, layer: file, kind, effect: rule.effect });
      else if (lower.rule.locked) warnings.push(`${file}: command rule ${JSON.stringify(rule.id)} is locked by ${lower.layer}; ignored`);
      else if (kind === 'project' && lower.kind === 'project') warnings.push(`${file}: command rule ${JSON.stringify(rule.id)} is set by ${lower.layer}; ignored`);
      else slots[k] = { rule, layer: file, kind, effect: rule.effect };
    });
  }
  const rules = slots.map((s) => compileCommandRule(s.rule, s.layer, s.effect));
  return { index: indexCommandRules(rules), rules };
}
