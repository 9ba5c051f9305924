import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { LOCK_LINK_TEXT, LockTimeoutError, withLock } from '../../sinks/lock.js';
import { startWorker } from './spawn-worker.js';
import { present, tempDirs } from '../helpers/tmp.js';

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
  assert.equal(present(`${file}.lock`), false);
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
  assert.ok(present(`${file}.lock`));
  // The default wait outlasts the stale period: this gets the lock instead of timing out.
  assert.equal(await withLock(file, () => 'taken over'), 'taken over');
});

test('errors other than contention are not retried (missing directory)', async () => {
  await assert.rejects(withLock(path.join(tmp(), 'no', 'such', 'f'), () => 1), { code: 'ENOENT' });
});

test('the lock is a link leading nowhere while held; an empty file or a folder (earlier versions) is respected while fresh and taken over when stale', async () => {
  const file = path.join(tmp(), 'f');
  await withLock(file, () => {
    const st = fs.lstatSync(`${file}.lock`);
    assert.ok(st.isSymbolicLink(), 'a link, not a file or a folder');
    assert.equal(fs.readlinkSync(`${file}.lock`), LOCK_LINK_TEXT);
  });
  assert.equal(present(`${file}.lock`), false);
  for (const make of [(p: string) => fs.mkdirSync(p), (p: string) => fs.writeFileSync(p, '', { mode: 0o600 })]) {
    make(`${file}.lock`);
    await assert.rejects(withLock(file, () => 1, { waitMs: 200, staleMs: 2000 }), LockTimeoutError);
    const old = new Date(Date.now() - 10_000);
    fs.utimesSync(`${file}.lock`, old, old);
    assert.equal(await withLock(file, () => 'taken over', { waitMs: 2000, staleMs: 2000 }), 'taken over');
    assert.equal(present(`${file}.lock`), false);
  }
});

test("staleness is the link's own time, never its target's: a link to a fresh file goes stale, a link made now to an old file does not", async () => {
  const dir = tmp();
  const file = path.join(dir, 'f');
  // A stale link of a dead holder whose name happens to lead to a file touched just now.
  fs.writeFileSync(path.join(dir, 'fresh'), '');
  fs.symlinkSync('fresh', `${file}.lock`);
  const old = new Date(Date.now() - 10_000);
  fs.lutimesSync(`${file}.lock`, old, old);
  assert.equal(await withLock(file, () => 'taken over', { waitMs: 2000, staleMs: 2000 }), 'taken over');
  assert.ok(present(path.join(dir, 'fresh')), 'the target is left alone');
  // A live holder's link (made now) leading to an old file is held.
  fs.writeFileSync(path.join(dir, 'old'), '');
  fs.utimesSync(path.join(dir, 'old'), old, old);
  fs.symlinkSync('old', `${file}.lock`);
  await assert.rejects(withLock(file, () => 1, { waitMs: 200, staleMs: 2000 }), LockTimeoutError);
  assert.ok(present(path.join(dir, 'old')));
});
