import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RawTarget } from '../../../../lib/types.js';
import { runner, target, tree, U, table as tableOf } from './helpers.js';

const { cwd, home } = tree();
const run = runner(cwd, home);
const T = target(cwd);
const rm = (p: string, literal = p, more: { unresolved?: boolean } = {}): RawTarget => T('delete', p, 'rm', { literal, ...more });
const table = (name: string, cases: [string, RawTarget[]][]): void => tableOf(name, run, cases);

table('parameter expansion forms', [
  // X unknown: its value, or the default (also the only outcome of the "unset" alternative).
  ['rm ${X:-.env}', [rm(U, '${X:-.env}', { unresolved: true }), rm('.env', '${X:-.env}')]],
  ['rm ${X-.env}', [rm(U, '${X-.env}', { unresolved: true }), rm('.env', '${X-.env}')]],
  ['X=$(cat f); rm ${X:-.env}', [rm(U, '${X:-.env}', { unresolved: true }), rm('.env', '${X:-.env}')]],
  ['rm ${X:+.env}', [rm(U, '${X:+.env}', { unresolved: true }), rm('.env', '${X:+.env}')]],
  ['rm x${X:+.env}', [rm(`x${U}`, 'x${X:+.env}', { unresolved: true }), rm('x.env', 'x${X:+.env}'), rm('x', 'x${X:+.env}')]],
  ['X=; rm ${X:-.env}', [rm('.env', '${X:-.env}')]],
  ['X=; rm "${X-.env}"', [rm('', '"${X-.env}"')]],
  ['X=a; rm ${X:-.env}', [rm('a', '${X:-.env}')]],
  ['unset X; rm ${X-.env}', [rm('.env', '${X-.env}')]],
  ['X=; rm ${X:=.env} $X', [rm('.env', '${X:=.env}'), rm('.env', '$X')]],
  ['X=a; rm ${X:+.env}', [rm('.env', '${X:+.env}')]],
  ['X=; rm x${X:+.env}', [rm('x', 'x${X:+.env}')]],
  ['X=abc; rm ${#X}', [rm('3', '${#X}')]],
  ['X=a.env; rm ${X#a}', [rm('.env', '${X#a}')]],
  ['X=a; rm ${X/a/b} ${!X} ${X:0:1}', [rm('b', '${X/a/b}'), rm(U, '${!X}', { unresolved: true }), rm('a', '${X:0:1}')]],
  // ${X[0]} of a scalar is its value, as in bash (arrays.ts).
  ['X=a; rm ${X@Q} ${X[0]}', [rm(U, '${X@Q}', { unresolved: true }), rm('a', '${X[0]}')]],
]);

// Issue 13 (threat model "Open": inherited variables under an operator): the operators whose
// result follows from a known value are computed, on assigned and inherited values alike, and
// on each known alternative of an unknown one. value-ops.property.test.ts compares with bash.
describe('value-changing operators on known values', () => {
  const env = { XDG_CONFIG_HOME: `${home}/.config/`, D: '/srv/a.b/c.d' };
  const cases: [string, string[]][] = [
    ['rm ${HOME%/}/.ssh/k', [`${home}/.ssh/k`]],
    ['rm "${XDG_CONFIG_HOME%/}/hookwarden/config.json"', [`${home}/.config/hookwarden/config.json`]],
    ['rm ${D#*/} ${D##*/} ${D%.*} ${D%%.*}', ['srv/a.b/c.d', 'c.d', '/srv/a.b/c', '/srv/a']],
    ['rm ${D/./_} ${D//./_} ${D/#\/srv/x} ${D/%d/e}', ['/srv/a_b/c.d', '/srv/a_b/c_d', 'srv/x/srv/a.b/c.d', '/srv/a.b/c.e']],
    ['rm ${D^^} ${D,,} ${D^}', ['/SRV/A.B/C.D', '/srv/a.b/c.d', '/srv/a.b/c.d']],
    ['rm ${D:1:3} ${D: -3} ${D:(-3):1} ${D:1:-2}', ['srv', 'c.d', 'c', 'srv/a.b/c']],
    ['n=D; rm ${!n}', ['/srv/a.b/c.d']],
    ['x=.ENV; rm ${x,,}', ['.env']],
    ['x=a/.env; rm ${x#*/}', ['.env']],
    ['x=.envXX; rm ${x%XX} ${x%%X*}', ['.env', '.env']],
    ['x=.eXv; rm ${x/X/n}', ['.env']],
  ];
  for (const [cmd, want] of cases) {
    it(cmd, () => {
      assert.deepEqual(run(cmd, { env }).map((t) => t.path), want);
    });
  }
  it('an unknown value with known alternatives: each alternative through the operator', () => {
    const got = run('if c; then X=a.env; fi; rm ${X#a}', { env });
    assert.deepEqual(got.map((t) => [t.path, t.unresolved ?? false]), [[U, true], ['.env', false]]);
  });
  it('extglob syntax (literal unless shopt -s extglob ran): unknown, its literal reading an alternative', () => {
    assert.deepEqual(run('rm ${D#@(/srv)}', { env }).map((t) => [t.path, t.unresolved ?? false]), [[U, true], ['/srv/a.b/c.d', false]]);
  });
  it('POSIX classes are matched', () => {
    assert.deepEqual(run('rm ${D#/[[:alpha:]]} ${D//[[:punct:]]}', { env }).map((t) => t.path), ['rv/a.b/c.d', 'srvabcd']);
  });
});

table('word splitting and positional parameters', [
  ['F=".env x"; rm $F', [rm('.env', '$F'), rm('x', '$F')]],
  ['F=".env x"; rm "$F"', [rm('.env x', '"$F"')]],
  ['E=; rm $E .env', [rm('.env')]],
  ['IFS=,; F=.env,x; rm $F', [rm('.env', '$F'), rm('x', '$F')]],
  ['set -- .env "a b"; rm "$@"', [rm('.env', '"$@"'), rm('a b', '"$@"')]],
  ['set -- .env "a b"; rm $@', [rm('.env', '$@'), rm('a', '$@'), rm('b', '$@')]],
  ['set -- .env "a b"; rm "$*"', [rm('.env a b', '"$*"')]],
  ['set -- a .env; shift; rm "$1" "$#"', [rm('.env', '"$1"'), rm('1', '"$#"')]],
  ['set --; rm "$@" x', [rm('x')]],
  ['rm "$@"', [rm(U, '"$@"', { unresolved: true })]],
]);

