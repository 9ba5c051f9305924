import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Scope, UNSET } from '../../../../lib/targets/shell/scope.js';
import { UNRESOLVED_SEGMENT as U } from '../../../../lib/types.js';

describe('Scope', () => {
  it('trusts only HOME, PWD and what the command assigns', () => {
    const s = Scope.root('/p', '/h');
    assert.equal(s.get('HOME'), '/h');
    assert.equal(s.get('PWD'), '/p');
    assert.equal(s.get('PATH'), U);
    s.set('X', 'v');
    assert.equal(s.get('X'), 'v');
  });
  it('a child sees its parent; its own changes stay in it', () => {
    const s = Scope.root('/p', '/h');
    s.set('X', 'a');
    const c = s.child();
    c.set('X', 'b');
    c.cwd = '/q';
    assert.equal(c.get('X'), 'b');
    assert.equal(s.get('X'), 'a');
    assert.equal(s.cwd, '/p');
  });
  it('merge keeps what all branches agree on and forgets the rest', () => {
    const s = Scope.root('/p', '/h');
    s.set('K', 'same');
    const a = s.child();
    const b = s.child();
    a.set('X', '1');
    b.set('X', '2');
    a.set('Y', 'y');
    b.set('Y', 'y');
    a.cwd = '/q';
    b.cwd = '/q';
    s.merge([a, b], false);
    assert.equal(s.get('X'), U);
    assert.equal(s.get('Y'), 'y');
    assert.equal(s.get('K'), 'same');
    assert.equal(s.cwd, '/q');
  });
  it('when no branch may have run, the old state is one of the alternatives', () => {
    const s = Scope.root('/p', '/h');
    const a = s.child();
    a.set('Y', 'y');
    a.cwd = '/q';
    a.positional = ['x', '1'];
    s.merge([a], true);
    assert.equal(s.get('Y'), U);
    // Unknown, but each known state stays an alternative: Y is 'y' or unset, the cwd /q or /p.
    assert.deepEqual(s.alts('Y'), ['y', '']);
    assert.ok(s.cwd.startsWith(U));
    assert.equal(s.positional, null);
  });
  it('unset is a known, empty state', () => {
    const s = Scope.root('/p', '/h');
    s.set('X', UNSET);
    assert.equal(s.get('X'), UNSET);
  });
});
