import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson, recordHash } from '../../lib/canonical.js';
import type { AuditRecord } from '../../lib/types.js';

test('keys sorted recursively, no whitespace, undefined left out like JSON does', () => {
  assert.equal(
    canonicalJson({ b: 1, a: { d: [3, { z: null, y: 'é' }], c: true }, u: undefined, f: () => 1 }),
    '{"a":{"c":true,"d":[3,{"y":"é","z":null}]},"b":1}',
  );
  assert.equal(canonicalJson([undefined, NaN, -0, 1e21, 'a"\n']), '[null,null,0,1e+21,"a\\"\\n"]');
  // UTF-16 code unit order (RFC 8785): "\u00e9" < "\ud83d..." < "\uff41"
  assert.equal(canonicalJson({ '\uff41': 1, '😀': 2, é: 3 }), '{"é":3,"😀":2,"ａ":1}');
});

test('property: equals the JSON of a parsed copy, whatever the key order', () => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => {
      const text = canonicalJson(value);
      assert.equal(canonicalJson(JSON.parse(text)), text);
      assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(value)));
    }),
  );
});

const rec: AuditRecord = {
  v: 1, id: '0196f1c3-7a10-7d72-89b2-5d8bf7f65a54', ts: '2026-11-24T17:27:33.123Z', agent: 'codex', event: 'PreToolUse',
  host: 'h', user: 'u', pid: 1, version: '0.1.0', prev: null,
};

test('recordHash: sha256 hex of the canonical record without hash; prev is covered', () => {
  // Known answer, computed independently: printf '%s' '<canonical>' | sha256sum
  const canonical = '{"agent":"codex","event":"PreToolUse","host":"h","id":"0196f1c3-7a10-7d72-89b2-5d8bf7f65a54","pid":1,"prev":null,"ts":"2026-11-24T17:27:33.123Z","user":"u","v":1,"version":"0.1.0"}';
  assert.equal(canonicalJson(rec), canonical);
  const expected = '6dc32f74b08463d8c8d4aa30519332495190ee75d088ca05a66ceda9ea65bcb3';
  assert.equal(createHash('sha256').update(canonical).digest('hex'), expected);
  assert.equal(recordHash(rec), expected);
  assert.equal(recordHash({ ...rec, hash: 'anything' }), expected);
  assert.notEqual(recordHash({ ...rec, prev: 'a'.repeat(64) }), expected);
  assert.equal(recordHash(JSON.parse(JSON.stringify({ hash: 'x', ...rec })) as AuditRecord), expected);
});
