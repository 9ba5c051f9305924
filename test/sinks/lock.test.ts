import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { LockTimeoutError, withLock } from '../../sinks/lock.js';
import { startWorker } from './spawn-worker.js';
import { tempDirs } from '../helpers/tmp.js';

const tmp = tempDirs();

test('mutual exclusion across processes: no lost update of a shared counter', { timeout: 120_000 }, async () => {
  const file = path.join(tmp(), 'counter');
  fs.writeFileSync(file, '0');
  const workers = Array.from({ length: 8 }, () => startWorker(['counter', file, '20']));
  await Promise.all(workers.map((w) => w.seen('ready')));
  for (const w of workers) w.child.stdin!.end('go\n');
  await Promise.all(workers.map((w) => w.seen('done')));
  assert.equal(fs.readFileSync(file, 'utf8'), '160');
});

test('the lock is released when the critical section throws, and the error comes through', async () => {
  const file = path.join(tmp(), 'f');
  await assert.rejects(withLock(file, () => { throw new Error('boom'); }), /boom/);
  assert.equal(fs.existsSync(`${file}.lock`), false);
  assert.equal(await withLock(file, () => 42, { waitMs: 100 }), 42);
});

test('a live holder makes others wait; past waitMs they get a LockTimeoutError', async () => {
  const file = path.join(tmp(), 'f');
  let release!: () => void;
  const held = withLock(file, () => new Promise<void>((resolve) => (release = resolve)));
  await new Promise((r) => setTimeout(r, 50));
  await assert.rejects(withLock(file, () => 1, { waitMs: 300 }), (err: unknown) => {
    assert.ok(err instanceof LockTimeoutError);
    assert.match(err.message, /could not lock .* within 300 ms/);
    return true;
  });
  const waiter = withLock(file, () => 'second', { waitMs: 5000 });
  release();
  await held;
  assert.equal(await waiter, 'second');
});

test('a holder killed with -9 is taken over once its lock goes stale', { timeout: 30_000 }, async () => {
  const file = path.join(tmp(), 'audit.jsonl');
  const holder = startWorker(['hold-torn', file]);
  await holder.seen('holding');
  holder.child.kill('SIGKILL');
  await holder.exited;
  assert.ok(fs.existsSync(`${file}.lock`));
  // The default wait outlasts the stale period: this gets the lock instead of timing out.
  assert.equal(await withLock(file, () => 'taken over'), 'taken over');
});

test('errors other than contention are not retried (missing directory)', async () => {
  await assert.rejects(withLock(path.join(tmp(), 'no', 'such', 'f'), () => 1), { code: 'ENOENT' });
});

test('the lock is an empty file while held; a lock folder (an earlier version) is respected while fresh and taken over when stale', async () => {
  const file = path.join(tmp(), 'f');
  await withLock(file, () => {
    const st = fs.lstatSync(`${file}.lock`);
    assert.ok(st.isFile(), 'a file, not a folder');
    assert.equal(st.mode & 0o777, 0o600);
  });
  assert.equal(fs.existsSync(`${file}.lock`), false);
  fs.mkdirSync(`${file}.lock`);
  await assert.rejects(withLock(file, () => 1, { waitMs: 200, staleMs: 2000 }), LockTimeoutError);
  const old = new Date(Date.now() - 10_000);
  fs.utimesSync(`${file}.lock`, old, old);
  assert.equal(await withLock(file, () => 'taken over', { waitMs: 2000, staleMs: 2000 }), 'taken over');
  assert.equal(fs.existsSync(`${file}.lock`), false);
});
