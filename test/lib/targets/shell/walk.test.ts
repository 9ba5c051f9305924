import type { RawTarget } from '../../../../lib/types.js';
import { runner, target, tree, U, table as tableOf } from './helpers.js';

const { cwd, home } = tree([], ['proj/sub/deep', 'other']);
const run = runner(cwd, home);
const T = target(cwd);
const rm = (p: string, more: { base?: string; literal?: string; unresolved?: boolean } = {}): RawTarget => T('delete', p, 'rm', more);
const sub = `${cwd}/sub`;

const table = (name: string, cases: [string, RawTarget[]][]): void => tableOf(name, run, cases);

table('lists and pipelines are seen through', [
  ['true; rm .env', [rm('.env')]],
  ['true && rm .env', [rm('.env')]],
  ['false || rm .env', [rm('.env')]],
  ['echo x | rm .env', [rm('.env')]],
  ['echo x |& tee .env', [T('write', '.env', 'tee')]],
  ['rm .env &', [rm('.env')]],
  ['! rm .env', [rm('.env')]],
  ['(rm .env)', [rm('.env')]],
  ['{ rm .env; }', [rm('.env')]],
  ['echo $(rm .env)', [rm('.env')]],
  ['echo "$(rm .env)"', [rm('.env')]],
  ['echo `rm .env`', [rm('.env')]],
  ['diff <(rm .env) x', [rm('.env')]],
  ['tee >(rm .env) < /dev/null', [rm('.env')]],
  ['X=$(rm .env)', [rm('.env')]],
  // The substitution's output, not known, is evaluated as arithmetic: it may hold code (arith.ts).
  ['echo $((1 + $(rm .env)))', [rm('.env'), T('write', U, 'a value not known, evaluated as arithmetic', { literal: '$(rm .env)', unresolved: true })]],
  ['[[ -n $(rm .env) ]]', [rm('.env')]],
  ['(( $(rm .env) ))', [rm('.env'), T('write', U, 'a value not known, evaluated as arithmetic', { literal: '$(rm .env)', unresolved: true })]],
  ['echo ${X:-$(rm .env)}', [rm('.env')]],
  ['coproc rm .env', [rm('.env')]],
  ['time rm .env', [rm('.env')]],
]);

table('every branch and body is analyzed', [
  ['if test -f x; then rm .env; fi', [rm('.env')]],
  ['if a; then :; elif b; then rm a; else rm b; fi', [rm('a'), rm('b')]],
  ['if $(rm .env); then :; fi', [rm('.env'), T('write', U, 'unknown command', { literal: '$(rm .env)', unresolved: true })]],
  ['while read l; do rm .env; done < list', [rm('.env')]],
  ['until false; do rm .env; done', [rm('.env')]],
  ['for ((i=0; i<3; i++)); do rm .env; done', [rm('.env')]],
  ['case $x in a) rm a;; b|c) rm b;; *) rm c;; esac', [rm('a'), rm('b'), rm('c')]],
  ['f() { rm .env; }', [rm('.env')]],
  ['function f { rm "$1"; }', [rm(U, { literal: '"$1"', unresolved: true })]],
  ['select x in a b; do rm "$x"; done', [rm('a', { literal: '"$x"' }), rm('b', { literal: '"$x"' })]],
]);

table('for loops see each item', [
  ['for f in .env .env.local; do rm "$f"; done', [rm('.env', { literal: '"$f"' }), rm('.env.local', { literal: '"$f"' })]],
  ['for f in a b; do for g in c; do rm "$f$g"; done; done', [rm('ac', { literal: '"$f$g"' }), rm('bc', { literal: '"$f$g"' })]],
  ['for f in $LIST; do rm "$f"; done', [rm(U, { literal: '"$f"', unresolved: true })]],
  ['set -- x y; for f; do rm "$f"; done', [rm('x', { literal: '"$f"' }), rm('y', { literal: '"$f"' })]],
  ['for f; do rm "$f"; done', [rm(U, { literal: '"$f"', unresolved: true })]],
  [`for f in ${Array.from({ length: 70 }, (_, i) => `f${i}`).join(' ')}; do rm "$f"; done`, [rm(U, { literal: '"$f"', unresolved: true })]],
]);

table('after a branch, only what every path agrees on is known', [
  // One of two known places: each is checked.
  ['if a; then cd sub; fi; rm x', [rm('x', { base: sub }), rm('x', { base: cwd })]],
  ['true && cd sub; rm x', [rm('x', { base: sub }), rm('x', { base: cwd })]],
  // A cd into a folder that does not exist may fail and leave the shell where it was.
  ['cd nowhere; rm x', [rm('x', { base: `${cwd}/nowhere` }), rm('x', { base: cwd })]],
  ['cd nowhere && rm x', [rm('x', { base: `${cwd}/nowhere` })]],
  // From a cwd in doubt, a second cd may fail as well: the shell may still be where it started.
  ['cd nowhere; cd nowhere; rm x', [rm('x', { base: `${cwd}/nowhere/nowhere` }), rm('x', { base: `${cwd}/nowhere` }), rm('x', { base: cwd })]],
  // mkdir may fail (out may be a file), and then so does the cd.
  ['mkdir -p out; cd out; rm x', [T('write', 'out', 'mkdir'), rm('x', { base: `${cwd}/out` }), rm('x', { base: cwd })]],
  // bash folds `nowhere/..` only when nowhere is a folder: this cd fails.
  ['cd sub/nowhere/..; rm x', [rm('x', { base: sub }), rm('x', { base: cwd })]],
  ['cd sub/nowhere/.. && rm x', [rm('x', { base: sub })]],
  ['mkdir -p out && cd out && rm x', [T('write', 'out', 'mkdir'), rm('x', { base: `${cwd}/out` })]],
  ['cd sub && cd .. && rm x', [rm('x', { base: cwd })]],
  ['if a; then cd sub; else cd sub; fi; rm x', [rm('x', { base: sub })]],
  // Disagreeing branches: unknown, and each known value is still an alternative.
  ['if a; then X=1; else X=2; fi; rm "$X"', [rm(U, { literal: '"$X"', unresolved: true }), rm('1', { literal: '"$X"' }), rm('2', { literal: '"$X"' })]],
  ['X=.env; if a; then :; fi; rm "$X"', [rm('.env', { literal: '"$X"' })]],
  ['X=.env; while a; do X=b; done; rm "$X"', [rm(U, { literal: '"$X"', unresolved: true }), rm('b', { literal: '"$X"' }), rm('.env', { literal: '"$X"' })]],
  ['X=a; (X=b); rm "$X"', [rm('a', { literal: '"$X"' })]],
]);
