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
  ['X=a.env; rm ${X#a}', [rm(U, '${X#a}', { unresolved: true })]],
  ['X=a; rm ${X/a/b} ${!X} ${X:0:1}', [rm(U, '${X/a/b}', { unresolved: true }), rm(U, '${!X}', { unresolved: true }), rm(U, '${X:0:1}', { unresolved: true })]],
]);

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

