import type { RawTarget } from '../../../../lib/types.js';
import { runner, target, tree, U, table as tableOf } from './helpers.js';

const { cwd, home } = tree();
const run = runner(cwd, home);
const T = target(cwd);
const rm = (p: string, more: { base?: string; literal?: string; unresolved?: boolean } = {}): RawTarget => T('delete', p, 'rm', more);
const table = (name: string, cases: [string, RawTarget[]][]): void => tableOf(name, run, cases);

table('commands are recognized by basename', [
  ['/bin/rm .env', [rm('.env')]],
  ['/usr/local/bin/tee .env', [T('write', '.env', 'tee')]],
  ['./node_modules/.bin/rm .env', [rm('.env')]],
  ['"rm" .env', [rm('.env')]],
  ['\\rm .env', [rm('.env')]],
  ["r'm' .env", [rm('.env')]],
  ['R=rm; $R .env', [rm('.env')]],
  ['rm.sh .env', [T('write', '.env', 'rm.sh (unknown command)', { unknownCommand: 'rm.sh' })]],
]);

table('assignments', [
  ['X=.env', []],
  ['X=$(rm .env)', [rm('.env')]],
  ['X=.env Y=$X; rm $Y', [rm('.env', { literal: '$Y' })]],
  ['X=.env rm $X', [rm(U, { literal: '$X', unresolved: true })]],
  ['X=a; X=.env true; rm $X', [rm('a', { literal: '$X' })]],
  ['X=.env Y=$X bash -c "rm \\$Y"', [rm('.env', { literal: '$Y' })]],
  ['arr=(a b); rm $arr', [rm('a', { literal: '$arr' })]],
  ['arr=(a b); rm "${arr[@]}"', [rm('a', { literal: '"${arr[@]}"' }), rm('b', { literal: '"${arr[@]}"' })]],
  ['arr=([3]=a); rm "${arr[@]}"', [rm(U, { literal: '"${arr[@]}"', unresolved: true })]],
  ['arr[0]=$(rm .env)', [rm('.env')]],
  ['declare -a arr=( $(rm .env) )', [rm('.env')]],
  ['export X; rm $X', [rm(U, { literal: '$X', unresolved: true })]],
]);

table('unknown command names', [
  ['$CMD .env -f', [T('write', '.env', 'unknown command', { unresolved: true })]],
  ['$CMD', [T('write', U, 'unknown command', { literal: '$CMD', unresolved: true })]],
  ['$(echo rm) .env', [rm('.env')]],
  ['$(get-cmd) .env > out', [T('write', 'out', 'redirect >'), T('write', '.env', 'unknown command', { unresolved: true })]],
  ['sudo $CMD x', [T('write', 'x', 'unknown command', { unresolved: true })]],
]);
