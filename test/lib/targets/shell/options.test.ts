import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Arg } from '../../../../lib/targets/shell/context.js';
import { has, parseOpts, values, type OptSpec } from '../../../../lib/targets/shell/options.js';

const args = (...t: string[]): Arg[] => t.map((text) => ({ text, literal: text }));
const texts = (a: Arg[]): string[] => a.map((x) => x.text);

describe('parseOpts', () => {
  const spec: OptSpec = { arg: 'tS', optArg: 'i', long: ['target-directory', 'suffix'], flags: ['no-target-directory', 'force'] };
  it('combined short flags and attached or separate values', () => {
    const p = parseOpts(args('-rf', '-tDIR', '-S', '.bak', 'a', 'b'), spec);
    assert.deepEqual(p.opts.map((o) => [o.name, o.value?.text]), [['r', undefined], ['f', undefined], ['t', 'DIR'], ['S', '.bak']]);
    assert.deepEqual(texts(p.operands), ['a', 'b']);
  });
  it('options after operands (GNU order) and -- ends them', () => {
    const p = parseOpts(args('a', '-f', '--', '-b', '--force'), spec);
    assert.deepEqual(texts(p.operands), ['a', '-b', '--force']);
    assert.ok(has(p, 'f'));
  });
  it('long options with = or a separate value, and unique prefixes', () => {
    const p = parseOpts(args('--target-directory=X', '--suffix', 'S', '--target', 'Y', '--no-t', 'z'), spec);
    assert.deepEqual(texts(values(p, 'target-directory')), ['X', 'Y']);
    assert.deepEqual(texts(values(p, 'suffix')), ['S']);
    assert.ok(has(p, 'no-target-directory'));
    assert.deepEqual(texts(p.operands), ['z']);
  });
  it('optional attached values take the rest of the cluster only', () => {
    const p = parseOpts(args('-i.bak', '-ni', 'x'), { optArg: 'i' });
    assert.deepEqual(p.opts.map((o) => [o.name, o.value?.text]), [['i', '.bak'], ['n', undefined], ['i', '']]);
    assert.deepEqual(texts(p.operands), ['x']);
  });
  it('posix mode stops at the first operand', () => {
    const p = parseOpts(args('-u', 'root', 'rm', '-rf', 'x'), { posix: true, arg: 'u' });
    assert.deepEqual(texts(p.operands), ['rm', '-rf', 'x']);
    assert.equal(p.end, 2);
  });
  it('a lone dash is an operand; a value missing at the end is absent', () => {
    const p = parseOpts(args('-', '-t'), spec);
    assert.deepEqual(texts(p.operands), ['-']);
    assert.deepEqual(p.opts, [{ name: 't' }]);
  });
});
