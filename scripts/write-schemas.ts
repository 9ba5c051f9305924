// Writes schema/config.schema.json from the zod schema (`npm run schema`), for editors and `$schema`.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod/mini';
import { ConfigFileSchema } from '../lib/config.js';

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'schema', 'config.schema.json');
// `input`: fields with defaults are optional in the file, as the loader reads them.
const schema = {
  ...z.toJSONSchema(ConfigFileSchema, { io: 'input', unrepresentable: 'any' }),
  title: 'hookwarden config',
  description: 'hookwarden configuration: user ($XDG_CONFIG_HOME/hookwarden/config.json), project (<root>/.hookwarden/config.json) or HOOKWARDEN_CONFIG. {} means the defaults.',
};
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, `${JSON.stringify(schema, null, 2)}\n`);
console.log(`wrote ${path.relative(process.cwd(), out)}`);

// The --json outputs of install/uninstall and doctor.
const { jsonSchemas } = await import('../lib/install/result.js');
for (const [name, s] of Object.entries(jsonSchemas())) {
  writeFileSync(path.join(path.dirname(out), name), `${JSON.stringify(s, null, 2)}\n`);
  console.log(`wrote schema/${name}`);
}
