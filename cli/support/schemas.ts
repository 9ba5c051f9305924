// `hookwarden schema <name>`: every committed JSON Schema, generated from the bundled zod schemas
// (the CLI is one bundled file: schema/ is not beside it at run time).
import { z } from 'zod/mini';
import { ConfigFileSchema } from '../../lib/config-file.js';
import { installJsonSchemas as installSchemas } from '../install/result.js';
import { recordJsonSchema } from '../../lib/record-schema.js';
import { commandsJsonSchema } from '../../lib/targets/shell/command-spec.js';
import { outputJsonSchemas as outputSchemas } from './outputs.js';

export const SCHEMA_NAMES = ['config', 'record', 'install', 'doctor', 'check', 'verify', 'validate', 'tail', 'stats', 'ship', 'ui', 'team-init', 'commands'] as const;
export type SchemaName = (typeof SCHEMA_NAMES)[number];

/** Exactly what scripts/write-schemas.ts writes to schema/config.schema.json. */
export function configJsonSchema(): object {
  return {
    ...z.toJSONSchema(ConfigFileSchema, { io: 'input', unrepresentable: 'any' }),
    title: 'hookwarden config',
    description: 'hookwarden configuration: user ($XDG_CONFIG_HOME/hookwarden/config.json), project (<root>/.hookwarden/config.json) or HOOKWARDEN_CONFIG. {} means the defaults.',
  };
}

function schemaOf(name: SchemaName): object {
  if (name === 'config') return configJsonSchema();
  if (name === 'record') return recordJsonSchema();
  if (name === 'commands') return commandsJsonSchema();
  const file = `${name}.schema.json`;
  const all: Record<string, object> = { ...installSchemas(), ...outputSchemas() };
  const s = all[file];
  if (!s) throw new Error(`no schema ${name}`);
  return s;
}

/** The text of schema/<name>.schema.json, byte for byte. */
export function schemaText(name: SchemaName): string {
  return `${JSON.stringify(schemaOf(name), null, 2)}\n`;
}
