// `npm run schema`: writes every schema/<name>.schema.json from the zod schemas, through the same
// code `hookwarden schema <name>` prints with, so the committed files and the CLI cannot drift.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SCHEMA_NAMES, schemaText } from '../cli/support/schemas.js';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'schema');
mkdirSync(dir, { recursive: true });
for (const name of SCHEMA_NAMES) {
  writeFileSync(path.join(dir, `${name}.schema.json`), schemaText(name));
  console.log(`wrote schema/${name}.schema.json`);
}
