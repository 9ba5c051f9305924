import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uuidv7, uuidv7Time } from '../../lib/ids.js';

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('UUIDv7 layout: version 7, RFC 9562 variant, the given millisecond in the first 48 bits', () => {
  const ms = Date.UTC(2026, 10, 24, 17, 27, 33, 123);
  const id = uuidv7(ms);
  assert.match(id, V7);
  assert.equal(uuidv7Time(id), ms);
  assert.equal(uuidv7Time('not-a-uuid'), undefined);
});

test('strictly increasing as text within a process, also within one millisecond and when the clock goes back', () => {
  const ms = Date.UTC(2030, 0, 1);
  const ids = [
    ...Array.from({ length: 5000 }, () => uuidv7(ms)), // one millisecond: more ids than the counter holds
    uuidv7(ms - 60_000), // clock stepped back
    uuidv7(ms + 10_000),
  ];
  for (let i = 1; i < ids.length; i++) assert.ok(ids[i - 1]! < ids[i]!, `${ids[i - 1]} < ${ids[i]}`);
  assert.equal(new Set(ids).size, ids.length);
  for (const id of ids) assert.match(id, V7);
});

test('ids of later milliseconds sort after earlier ones', () => {
  const a = uuidv7(Date.UTC(2031, 0, 1, 0, 0, 0, 1));
  const b = uuidv7(Date.UTC(2031, 0, 1, 0, 0, 0, 2));
  assert.ok(a < b);
});
