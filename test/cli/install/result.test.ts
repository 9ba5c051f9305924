import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DoctorResultSchema, InstallResultSchema, installJsonSchemas } from '../../../cli/install/result.js';
import { REPO } from './helpers.js';

describe('committed JSON Schemas', () => {
  for (const [name, schema] of Object.entries(installJsonSchemas())) {
    it(`schema/${name} is generated from the zod schema`, () => {
      const committed = JSON.parse(fs.readFileSync(path.join(REPO, 'schema', name), 'utf8')) as unknown;
      assert.deepEqual(committed, JSON.parse(JSON.stringify(schema)));
    });
  }
});

describe('the zod schemas are strict, like the JSON Schemas (additionalProperties: false)', () => {
  const install = {
    command: 'install', dryRun: false, scope: 'user', agents: ['codex'], changed: false, files: [], handlers: [], trust: null, error: null,
    projectTrust: null, backups: [], warnings: [],
  };
  it('accepts a minimal install result and rejects an extra or a wrong field', () => {
    InstallResultSchema.parse(install);
    assert.throws(() => InstallResultSchema.parse({ ...install, extra: 1 }));
    assert.throws(() => InstallResultSchema.parse({ ...install, scope: 'system' }));
  });
  it('doctor exit codes are 0, 1 or 2', () => {
    const doctor = { status: 'enforcing', exitCode: 0, node: { version: '20.0.0', ok: true }, agents: [], checks: [], spool: null, probes: [], problems: [] };
    DoctorResultSchema.parse(doctor);
    assert.throws(() => DoctorResultSchema.parse({ ...doctor, exitCode: 3 }));
  });
});
