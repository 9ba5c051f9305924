import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { AuditRecordSchema } from '../../lib/record-schema.js';
import { buildRecord } from '../../lib/record.js';
import { compileRedactor } from '../../lib/redact.js';
import { sealRecord } from '../../sinks/chain.js';
import { RECORD_SCHEMA_PATH, recordSchemaText } from '../../scripts/write-record-schema.js';

test('schema/record.schema.json is generated from the zod schema (run scripts/write-record-schema.ts)', () => {
  assert.equal(fs.readFileSync(RECORD_SCHEMA_PATH, 'utf8'), recordSchemaText());
});

test('built and sealed records match the schema; a wrong field does not', () => {
  const rec = buildRecord(
    {
      agent: 'claude', event: 'PreToolUse', version: '0.1.0',
      payload: { session_id: 's', cwd: '/p', hook_event_name: 'PreToolUse', tool_name: 'Write', tool_input: { file_path: '/p/.env', content: 'x' }, tool_use_id: 'toolu_1' },
      verdict: { decision: 'deny', rule: 'env', reason: 'protected path: .env', targets: [{ op: 'write', path: '/p/.env', via: 'Write' }], unresolved: false },
    },
    { maxInputBytes: 8192, maxResponseBytes: 8192 },
    compileRedactor([]),
  );
  const sealed = sealRecord(rec, null);
  assert.equal(AuditRecordSchema.safeParse(rec).success, true);
  assert.equal(AuditRecordSchema.safeParse(sealed).success, true);
  assert.equal(AuditRecordSchema.safeParse({ ...sealed, hash: 'abc' }).success, false);
  assert.equal(AuditRecordSchema.safeParse({ ...sealed, ts: '2026-11-24 17:27' }).success, false);
  assert.equal(AuditRecordSchema.safeParse({ ...sealed, agent: 'other' }).success, false);
});
