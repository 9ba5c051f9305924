// Writes schema/record.schema.json from the zod schema of the audit record.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordJsonSchema } from '../lib/record-schema.js';

export const RECORD_SCHEMA_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'schema', 'record.schema.json');

export function recordSchemaText(): string {
  return `${JSON.stringify(recordJsonSchema(), null, 2)}\n`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  fs.writeFileSync(RECORD_SCHEMA_PATH, recordSchemaText());
  process.stdout.write(`wrote ${path.relative(process.cwd(), RECORD_SCHEMA_PATH)}\n`);
}
