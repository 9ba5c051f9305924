// lib/regular-file.ts: the one way the guard opens a file a command names (scripts, archives).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { withRegularFile } from '../../lib/regular-file.js';
import { GuardError } from '../../lib/errors.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-regular-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a regular file is handed over with its size; anything else is undefined, never a hang', () => {
  const f = path.join(dir, 'f');
  fs.writeFileSync(f, 'abc');
  assert.equal(withRegularFile(f, (_fd, size) => size), 3);
  const fifo = path.join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  assert.equal(withRegularFile(fifo, () => 'read'), undefined, 'a FIFO is opened non-blocking and refused');
  assert.equal(withRegularFile(dir, () => 'read'), undefined);
  assert.equal(withRegularFile(path.join(dir, 'missing'), () => 'read'), undefined);
  assert.equal(withRegularFile('/dev/zero', () => 'read'), undefined);
});

test('a read failure is undefined, but a spent budget (GuardError) propagates and blocks the call', () => {
  const f = path.join(dir, 'g');
  fs.writeFileSync(f, 'x');
  assert.equal(withRegularFile(f, () => { throw new RangeError('bad offset'); }), undefined);
  assert.throws(() => withRegularFile(f, () => { throw new GuardError('shell command too complex to check', 'budget'); }), /too complex/);
});
