// The lock files a decision worker holds, shared with the side that terminates it (hooks/lock-slots.ts):
// what the worker marks is what that side reads, also after the worker was stopped mid-loop.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import fc from 'fast-check';
import { LockSlotWriter, heldLocks, newLockSlots } from '../../hooks/lock-slots.js';

describe('lock slots', () => {
  it('a lock marked held is read back until it is released', () => {
    const buf = newLockSlots();
    const w = new LockSlotWriter(buf);
    assert.equal(w.held('/s/audit.jsonl.lock'), true);
    assert.equal(w.held('/s/spool/x.lock'), true);
    assert.deepEqual(heldLocks(buf).sort(), ['/s/audit.jsonl.lock', '/s/spool/x.lock']);
    assert.equal(w.released('/s/audit.jsonl.lock'), true);
    assert.deepEqual(heldLocks(buf), ['/s/spool/x.lock']);
    // A slot freed is used again, and the shorter path does not keep the old one's tail.
    assert.equal(w.held('/a.lock'), true);
    assert.deepEqual(heldLocks(buf).sort(), ['/a.lock', '/s/spool/x.lock']);
  });

  it('what does not fit is refused, so the worker reports it by message instead', () => {
    const buf = newLockSlots();
    const w = new LockSlotWriter(buf);
    for (let i = 0; i < 8; i++) assert.equal(w.held(`/l${i}.lock`), true);
    assert.equal(w.held('/ninth.lock'), false, 'a ninth lock at once');
    assert.equal(w.held('/l0.lock'), false, 'the same lock twice');
    assert.equal(w.held(`/${'x'.repeat(5000)}.lock`), false, 'a path longer than a slot');
    assert.equal(w.released('/ninth.lock'), false, 'released what was reported by message');
    assert.equal(heldLocks(buf).length, 8);
  });

  it('any sequence of holds and releases reads back as the set of locks held (paths with any characters)', () => {
    const dir = fc.string({ minLength: 1, maxLength: 40, unit: 'binary' }).map((s) => `/d/${s}.lock`);
    fc.assert(fc.property(fc.array(fc.tuple(fc.boolean(), dir), { maxLength: 40 }), (steps) => {
      const buf = newLockSlots();
      const w = new LockSlotWriter(buf);
      const byMessage = new Set<string>();
      const held = new Set<string>();
      for (const [hold, d] of steps) {
        if (hold) {
          if (held.has(d)) continue; // a lock is taken once at a time (sinks/lock.ts)
          held.add(d);
          if (!w.held(d)) byMessage.add(d);
        } else if (held.delete(d)) {
          if (!w.released(d)) assert.ok(byMessage.delete(d));
        }
      }
      assert.deepEqual([...heldLocks(buf), ...byMessage].sort(), [...held].sort());
    }));
  });

  it('the other thread reads what a worker marked after terminating it mid-loop', async () => {
    const slots = newLockSlots();
    // The fixture is TypeScript: the worker registers tsx before it loads it.
    const fixture = new URL('./fixtures/lock-holder.ts', import.meta.url).href;
    const worker = new Worker(`import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(fixture)}); });`, {
      eval: true,
      workerData: { slots, hold: ['/s/audit.jsonl.lock', '/s/other.lock'], release: ['/s/other.lock'] },
    });
    const fits = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    assert.deepEqual(fits, [true, true]);
    await worker.terminate();
    assert.deepEqual(heldLocks(slots), ['/s/audit.jsonl.lock']);
  });
});
