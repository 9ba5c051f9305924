import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GuardError, type RawTarget } from '../../../../lib/types.js';
import { runner, target, tree, table as tableOf } from './helpers.js';

const { cwd, home } = tree();
const run = runner(cwd, home);
const T = target(cwd);
const rm = (p: string, literal = p, more: { unresolved?: boolean } = {}): RawTarget => T('delete', p, 'rm', { literal, ...more });
const table = (name: string, cases: [string, RawTarget[]][]): void => tableOf(name, run, cases);

table('brace expansion', [
  ['rm .env{,.local}', [rm('.env', '.env{,.local}'), rm('.env.local', '.env{,.local}')]],
  ['rm {a,b}{1,2}', ['a1', 'a2', 'b1', 'b2'].map((p) => rm(p, '{a,b}{1,2}'))],
  ['rm x{1..3}', ['x1', 'x2', 'x3'].map((p) => rm(p, 'x{1..3}'))],
  ['rm {08..10}', ['08', '09', '10'].map((p) => rm(p, '{08..10}'))],
  ['rm {c..a}', ['c', 'b', 'a'].map((p) => rm(p, '{c..a}'))],
  ['rm {1..7..3}', ['1', '4', '7'].map((p) => rm(p, '{1..7..3}'))],
  ['rm {a,{b,c}d}', ['a', 'bd', 'cd'].map((p) => rm(p, '{a,{b,c}d}'))],
  ['rm {.env,"x y"}', [rm('.env', '{.env,"x y"}'), rm('x y', '{.env,"x y"}')]],
  ['rm {x}', [rm('{x}')]],
  ['rm {}', [rm('{}')]],
  ['rm {a,b', [rm('{a,b')]],
  ['rm "{a,b}"', [rm('{a,b}', '"{a,b}"')]],
  ['rm \\{a,b}', [rm('{a,b}', '\\{a,b}')]],
  ['rm {a..1}', [rm('{a..1}')]],
  ['X={a,b}; rm $X', [rm('{a,b}', '$X')]],
]);

describe('brace expansion is bounded', () => {
  it('too many words throws GuardError', () => {
    assert.throws(() => run(`echo ${'{a,b}'.repeat(20)}`), GuardError);
    assert.throws(() => run('echo {1..1000000}'), GuardError);
  });
  it('deeply nested braces throw GuardError', () => {
    assert.throws(() => run(`echo ${'{'.repeat(5000)}`), GuardError);
  });
});
