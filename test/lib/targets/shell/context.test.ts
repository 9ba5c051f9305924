import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { joinPath, Run, Src, trimSlashes, U, type Limits } from '../../../../lib/targets/shell/context.js';
import { Budget, GuardError } from '../../../../lib/types.js';

const limits: Limits = { maxDepth: 8, maxBytes: 100, maxSteps: 10, maxGlob: 3, maxFields: 10, maxExpanded: 20, maxLoopItems: 4, maxWalk: 100 };
const mk = (reads = false, budget = new Budget(10_000)): Run => new Run({ cwd: '/p', home: '/h', reads, budget, limits });

describe('Run', () => {
  it('emits targets once, marks unknown parts, drops device names', () => {
    const r = mk();
    r.emit('write', { text: 'a', literal: 'a' }, '/p', 'x');
    r.emit('write', { text: 'a', literal: 'a' }, '/p', 'x');
    r.emit('write', { text: `${U}/b`, literal: '$D/b' }, '/p', 'x');
    r.emit('write', { text: 'c', literal: 'c' }, `/p/${U}`, 'x');
    r.emit('write', { text: 'd', literal: 'd' }, '/p', 'x', true);
    r.emit('write', { text: '/dev/null', literal: '/dev/null' }, '/p', 'x');
    r.emit('write', { text: '/dev/fd/3', literal: '/dev/fd/3' }, '/p', 'x');
    r.emit('delete', { text: '/dev/null', literal: '/dev/null' }, '/p', 'x');
    r.emit('read', { text: 'e', literal: 'e' }, '/p', 'x');
    assert.deepEqual(r.targets.map((t) => [t.op, t.path, !!t.unresolved]), [
      ['write', 'a', false], ['write', `${U}/b`, true], ['write', 'c', true], ['write', 'd', true], ['delete', '/dev/null', false],
    ]);
  });
  it('reads only when asked', () => {
    const r = mk(true);
    r.emit('read', { text: 'e', literal: 'e' }, '/p', 'cat');
    assert.deepEqual(r.targets, [{ op: 'read', path: 'e', base: '/p', via: 'cat', literal: 'e' }]);
  });
  it('bounds steps, expansion and glob matches with GuardError', () => {
    const r = mk();
    assert.throws(() => { for (let i = 0; i < 11; i++) r.step(); }, GuardError);
    assert.throws(() => mk().grow(21), GuardError);
    assert.throws(() => mk().globMatches(4), GuardError);
  });
  it('honours the budget', () => {
    const r = mk(false, new Budget(0, Date.now() - 10));
    assert.throws(() => r.globMatches(1), (e: unknown) => e instanceof GuardError && e.code === 'budget');
  });
});

describe('paths and source slices', () => {
  it('joinPath', () => {
    assert.equal(joinPath('/p', 'a/../b'), '/p/b');
    assert.equal(joinPath('/p', '/abs/'), '/abs');
    assert.equal(joinPath('/p', `${U}/x`), `${U}/x`);
    assert.equal(joinPath(`${U}/q/`, '../x'), `${U}/q/../x`);
    assert.equal(joinPath('/p', `a/${U}/..`), `/p/a/${U}/..`);
  });
  it('trimSlashes keeps a lone root', () => {
    assert.equal(trimSlashes('a///'), 'a');
    assert.equal(trimSlashes('/'), '/');
    assert.equal(trimSlashes('/'.repeat(100_000)), '/');
  });
  it('Src slices by UTF-8 byte offsets', () => {
    const s = new Src('echo é日 x');
    assert.equal(s.of({ type: 'Word', pos: 5, end: 10 }), 'é日');
    assert.equal(s.of({ type: 'Word', pos: 11, end: 12 }), 'x');
  });
});
