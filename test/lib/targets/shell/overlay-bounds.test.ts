// Issue 13: overlay lookups are memoized and bounded; past the bound a name is unknown (the
// operand unresolved), never a slow answer; the call's budget is checked while looking up.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { Overlay } from '../../../../lib/targets/shell/overlay.js';
import { Budget, GuardError } from '../../../../lib/types.js';

/** An existing folder: lookups go on below it (the names themselves exist only in the overlay). */
const W = fs.realpathSync(os.tmpdir());

/** Every name mirrors every other (`cp -a x y` for all pairs): the width multiplies with the depth. */
function tangled(ov: Overlay, names: string[]): void {
  let by = 0;
  for (const x of names) for (const y of names) if (x !== y) ov.mirror(`${W}/hw-${y}`, `${W}/hw-${x}`, by++);
  ov.link(`${W}/hw-a/k`, '/home/u/.ssh', by++);
}

/** cp -a hw-a hw-y; cp -a hw-y hw-z; with a link to ~/.ssh inside hw-a. */
function chain(ov: Overlay): void {
  ov.dir(`${W}/hw-a`, 0);
  ov.link(`${W}/hw-a/k`, '/home/u/.ssh', 1);
  ov.mirror(`${W}/hw-y`, `${W}/hw-a`, 2);
  ov.mirror(`${W}/hw-z`, `${W}/hw-y`, 3);
}

describe('overlay lookups are bounded', () => {
  const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
  it('memoized lookups still lead through a link copied along a chain', () => {
    const ov = new Overlay('/home/u');
    chain(ov);
    const got = ov.physical(`${W}/hw-z/k/authorized_keys`, true).map((r) => r.path);
    assert.ok(got.includes('/home/u/.ssh/authorized_keys'), JSON.stringify(got));
  });
  it('past the lookup bound every answer is unknown (fails closed), not wrong', () => {
    const ov = new Overlay('/home/u', undefined, 50);
    tangled(ov, names);
    const got = ov.physical(`${W}/hw-b/x/y/z/authorized_keys`, true);
    assert.ok(got.some((r) => r.unknown), JSON.stringify(got));
    assert.ok(ov.physical(`${W}/hw-c/other`, true).every((r) => r.unknown));
  });
  it('an expired budget stops the lookups with a GuardError', () => {
    // A clock that has run past the deadline: the check inside the lookups must notice it.
    let t = 0;
    const budget = new Budget(10, 0, () => (t += 100));
    const ov = new Overlay('/home/u', budget);
    chain(ov);
    assert.throws(() => {
      for (let i = 0; i < 20_000; i++) ov.physical(`${W}/hw-z/p${i}/q`, true);
    }, GuardError);
  });
});
