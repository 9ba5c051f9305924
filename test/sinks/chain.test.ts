import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { appendChained, chainHashOf, lastChainHash, sealRecord, type ChainStore } from '../../sinks/chain.js';
import { recordHash } from '../../lib/canonical.js';
import type { AuditRecord } from '../../lib/types.js';

const base: AuditRecord = {
  v: 1, id: '01a20e99-3e5f-7a10-8f8a-5383ed36a44d', ts: '2026-11-24T17:27:33.123Z', agent: 'codex', event: 'PreToolUse',
  host: 'h', user: 'u', pid: 7, version: 'test',
};

/** An in-memory store: the chain layer's contract without a file. */
function memoryStore(): ChainStore & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    lastHash: () => lastChainHash(lines.map((l) => l.replace(/\n$/, ''))) ?? null,
    append: (line) => void lines.push(line),
  };
}

test('sealRecord: sets prev and hash, replaces stale ones, leaves its input alone', () => {
  const input = { ...base, prev: 'stale', hash: 'stale' };
  const sealed = sealRecord(input, null);
  assert.equal(sealed.prev, null);
  assert.equal(sealed.hash, recordHash(sealed));
  assert.equal(input.hash, 'stale');
  const next = sealRecord(base, sealed.hash!);
  assert.equal(next.prev, sealed.hash);
  assert.notEqual(next.hash, sealed.hash);
});

test('appendChained: one JSON line per record, each linked to the one before', () => {
  const store = memoryStore();
  const a = appendChained(store, base);
  const b = appendChained(store, { ...base, event: 'PostToolUse' });
  assert.equal(store.lines.length, 2);
  assert.ok(store.lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n')));
  assert.equal(a.prev, null);
  assert.equal(b.prev, a.hash);
  assert.deepEqual(JSON.parse(store.lines[1]!), b);
});

test('lastChainHash skips torn, blank and non-record lines', () => {
  const good = JSON.stringify(sealRecord(base, null));
  const hash = (JSON.parse(good) as AuditRecord).hash;
  assert.equal(lastChainHash([good, '', '{"v":1,"id":"x"', '[1]', '{"hash":5}']), hash);
  assert.equal(lastChainHash(['garbage']), undefined);
  assert.equal(chainHashOf(' {"hash":"abc"} '), 'abc');
  assert.equal(chainHashOf('null'), undefined);
});

test('property: a sealed record read back from its JSON line has the hash it carries', () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.string(), fc.option(fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }), { nil: null }), (input, reason, prev) => {
      const sealed = sealRecord({ ...base, input, reason }, prev);
      const back = JSON.parse(JSON.stringify(sealed)) as AuditRecord;
      assert.equal(recordHash(back), back.hash);
      assert.equal(back.prev, prev);
    }),
  );
});
