// The error catalogue (lib/errors.ts): stable codes in the record, one message helper, one line.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { ERROR_CODES, GuardError, codeOf, describeError, messageOf, oneLine } from '../../lib/errors.js';
import { preToolUse, recordInputOf } from '../../lib/guard.js';
import { recordOf } from '../../lib/record.js';
import { AuditConfigSchema } from '../../lib/audit-config.js';
import { AuditRecordSchema } from '../../lib/record-schema.js';
import { codexPayload, sandbox } from '../helpers/hook.js';

describe('catalogue', () => {
  it('every code has a one-line default message, used when a GuardError has none', () => {
    for (const [code, text] of Object.entries(ERROR_CODES)) {
      assert.equal(oneLine(text), text);
      assert.equal(new GuardError('', code as keyof typeof ERROR_CODES).message, text);
    }
  });

  it('codeOf: a GuardError keeps its code (also one from another bundle, known by name); anything else is internal', () => {
    assert.equal(codeOf(new GuardError('x', 'config')), 'config');
    const foreign = Object.assign(new Error('y'), { name: 'GuardError', code: 'shell' });
    assert.equal(codeOf(foreign), 'shell');
    assert.equal(codeOf(Object.assign(new Error('z'), { name: 'GuardError', code: 'no-such-code' })), 'internal');
    assert.equal(codeOf(new TypeError('t')), 'internal');
    assert.equal(codeOf('a string'), 'internal');
    assert.equal(describeError(new TypeError('a\nb')), 'internal error: a');
  });

  it('every GuardError the core throws names a catalogue code', () => {
    const root = path.resolve(import.meta.dirname, '..', '..');
    const files = fs.readdirSync(path.join(root, 'lib'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const codes = new Set(Object.keys(ERROR_CODES));
    for (const f of files) {
      const text = fs.readFileSync(path.join(root, 'lib', f), 'utf8');
      for (const m of text.matchAll(/new GuardError\([^;]*?,\s*'([a-z_]+)'\)/g)) assert.ok(codes.has(m[1]!), `${f}: code ${m[1]}`);
    }
  });
});

describe('messageOf and oneLine', () => {
  it('messageOf takes the first line of any thrown value', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.string().map((s) => new Error(s))), (v) => {
      const m = messageOf(v);
      assert.ok(!m.includes('\n'));
      assert.ok((v instanceof Error ? v.message : v).startsWith(m));
    }));
  });

  it('oneLine never holds a control character or a line break, and keeps to its length', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), fc.integer({ min: 2, max: 300 }), fc.boolean(), (s, max, escape) => {
      const line = oneLine(s, { max, escape });
      assert.ok(!/[\u0000-\u001f\u007f]/.test(line), JSON.stringify(line));
      assert.ok(line.length <= max);
    }));
  });

  it('escaped control characters stay visible', () => {
    assert.equal(oneLine('a\u0007b', { escape: true }), 'a\\x07b');
    assert.equal(oneLine('a \n\t b'), 'a b');
  });
});

describe('the record carries the code', () => {
  it('a broken project config: error_code config; a valid call: no error_code', () => {
    const sb = sandbox();
    try {
      fs.mkdirSync(path.join(sb.project, '.hookwarden'));
      fs.writeFileSync(path.join(sb.project, '.hookwarden', 'config.json'), '{');
      const genv = { env: sb.env, home: sb.env.HOME };
      const audit = AuditConfigSchema.parse({});
      const bad = recordOf({ ...recordInputOf(preToolUse(JSON.stringify(codexPayload(sb.project, 'Bash', { command: 'ls' })), genv)), version: 't' }, audit).record;
      assert.equal(bad.error_code, 'config');
      assert.equal(AuditRecordSchema.safeParse(bad).success, true);
      const notJson = recordOf({ ...recordInputOf(preToolUse('{', genv)), version: 't' }, audit).record;
      assert.equal(notJson.error_code, 'payload');
      fs.rmSync(path.join(sb.project, '.hookwarden'), { recursive: true });
      const ok = recordOf({ ...recordInputOf(preToolUse(JSON.stringify(codexPayload(sb.project, 'Bash', { command: 'ls' })), genv)), version: 't' }, audit).record;
      assert.equal(ok.error_code, undefined);
    } finally {
      sb.cleanup();
    }
  });
});
