import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { readStdin } from '../../lib/stdin.js';
import { GuardError } from '../../lib/types.js';

test('reads the whole stream as UTF-8, across chunk boundaries', async () => {
  const euro = Buffer.from('{"a":"€"}');
  const s = Readable.from([euro.subarray(0, 7), euro.subarray(7)]);
  assert.equal(await readStdin(1024, s), '{"a":"€"}');
});

test('refuses more than the limit with a GuardError naming the limit', async () => {
  const s = Readable.from([Buffer.alloc(600, 'a'), Buffer.alloc(600, 'b')]);
  await assert.rejects(readStdin(1000, s), (err: unknown) => err instanceof GuardError && err.message === 'hook payload exceeds 1000 bytes');
});

test('exactly at the limit is accepted', async () => {
  assert.equal((await readStdin(4, Readable.from([Buffer.from('abcd')]))).length, 4);
});

test('a stream error becomes a GuardError', async () => {
  const s = new PassThrough();
  const p = readStdin(100, s);
  s.destroy(new Error('EIO'));
  await assert.rejects(p, (err: unknown) => err instanceof GuardError && /cannot read hook payload: EIO/.test(err.message));
});

test('empty input resolves to the empty string (the payload parser rejects it)', async () => {
  assert.equal(await readStdin(10, Readable.from([])), '');
});
