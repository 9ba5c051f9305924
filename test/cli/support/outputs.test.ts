import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import {
  CheckOutputSchema, outputJsonSchemas, ShipOutputSchema, StatsOutputSchema, ValidateOutputSchema, VerifyOutputSchema,
} from '../../../cli/support/outputs.js';
import { SCHEMA_NAMES, schemaText } from '../../../cli/support/schemas.js';

const SCHEMA_DIR = path.resolve(import.meta.dirname, '..', '..', '..', 'schema');

describe('committed JSON Schemas of the --json outputs', () => {
  for (const [name, schema] of Object.entries(outputJsonSchemas())) {
    it(`schema/${name} is generated from the zod schema (npm run schema)`, () => {
      assert.equal(fs.readFileSync(path.join(SCHEMA_DIR, name), 'utf8'), `${JSON.stringify(schema, null, 2)}\n`);
    });
  }
});

describe('schemaText: what `hookwarden schema <name>` prints', () => {
  for (const name of SCHEMA_NAMES) {
    it(`${name}: byte for byte schema/${name}.schema.json`, () => {
      assert.equal(schemaText(name), fs.readFileSync(path.join(SCHEMA_DIR, `${name}.schema.json`), 'utf8'));
    });
  }
  it('names every committed schema file', () => {
    const files = fs.readdirSync(SCHEMA_DIR).filter((f) => f.endsWith('.schema.json')).map((f) => f.slice(0, -'.schema.json'.length));
    assert.deepEqual([...files].sort(), [...SCHEMA_NAMES].sort());
  });
  it('tail describes one record line', () => {
    const tail = JSON.parse(schemaText('tail')) as { title: string; properties: object };
    const record = JSON.parse(schemaText('record')) as { properties: object };
    assert.equal(tail.title, 'hookwarden tail --json');
    assert.deepEqual(tail.properties, record.properties);
  });
});

describe('the output schemas are strict', () => {
  it('check', () => {
    const doc = { decision: 'deny', targets: [{ op: 'write', path: '/p/.env', via: 'redirect >' }], rule: 'secrets', layer: 'builtin:secrets', reason: 'r' };
    CheckOutputSchema.parse(doc);
    CheckOutputSchema.parse({ ...doc, targets: [{ op: 'write', path: '/p/$X', via: 'redirect >', unresolved: true }], error: 'e' });
    assert.throws(() => CheckOutputSchema.parse({ ...doc, decision: 'block' }));
    assert.throws(() => CheckOutputSchema.parse({ ...doc, extra: 1 }));
    assert.throws(() => CheckOutputSchema.parse({ ...doc, rule: undefined }));
  });
  it('verify, ship, stats, validate', () => {
    VerifyOutputSchema.parse({ ok: false, records: 3, problems: [{ file: 'a', line: 2, problem: 'record modified (hash mismatch)' }], unreadable: [] });
    assert.throws(() => VerifyOutputSchema.parse({ ok: true, records: -1, problems: [], unreadable: [] }));
    ShipOutputSchema.parse({ delivered: 0, remaining: 0, stranded: [] });
    assert.throws(() => ShipOutputSchema.parse({ delivered: 0.5, remaining: 0, stranded: [] }));
    StatsOutputSchema.parse({ by: 'rule', total: 1, groups: [{ key: null, count: 1, deny: 0, allow: 1, ask: 0 }] });
    assert.throws(() => StatsOutputSchema.parse({ by: 'color', total: 0, groups: [] }));
    const v = { ok: true, exitCode: 0, files: [{ file: 'f', layer: 'user', present: false, ok: true, problems: [] }] };
    ValidateOutputSchema.parse(v);
    assert.throws(() => ValidateOutputSchema.parse({ ...v, exitCode: 3 }));
    assert.throws(() => ValidateOutputSchema.parse({ ...v, files: [{ ...v.files[0], problems: [{ severity: 'info', message: 'm' }] }] }));
  });
});
