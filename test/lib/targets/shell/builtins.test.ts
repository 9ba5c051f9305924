import type { RawTarget } from '../../../../lib/types.js';
import { runner, target, tree, U, table as tableOf } from './helpers.js';

const { root, cwd, home } = tree([], ['proj/sub/deep', 'other']);
const run = runner(cwd, home);
const T = target(cwd);
const rm = (p: string, more: { base?: string; literal?: string; unresolved?: boolean } = {}): RawTarget => T('delete', p, 'rm', more);
const sub = `${cwd}/sub`;
const table = (name: string, cases: [string, RawTarget[]][]): void => tableOf(name, run, cases);

table('cd is tracked', [
  ['cd sub && rm x', [rm('x', { base: sub })]],
  ['cd sub; rm x', [rm('x', { base: sub })]],
  ['cd sub/deep && cd .. && rm x', [rm('x', { base: sub })]],
  [`cd ${root}/other && rm x`, [rm('x', { base: `${root}/other` })]],
  ['cd && rm x', [rm('x', { base: home })]],
  ['cd ~ && rm x', [rm('x', { base: home })]],
  ['cd ~/sub && rm x', [rm('x', { base: `${home}/sub` })]],
  ['cd "$HOME" && rm x', [rm('x', { base: home })]],
  ['cd -P -- sub && rm x', [rm('x', { base: sub })]],
  ['cd - && rm x', [rm('x', { base: U, unresolved: true })]],
  ['cd sub && cd - && rm x', [rm('x', { base: cwd })]],
  ['cd $UNKNOWN && rm x', [rm('x', { base: U, unresolved: true })]],
  ['cd "$D/sub" && rm x', [rm('x', { base: `${U}/sub`, unresolved: true })]],
  ['cd sub/$D && rm x', [rm('x', { base: `${sub}/${U}`, unresolved: true })]],
  ['cd $D && rm /abs/x', [rm('/abs/x', { base: U, unresolved: true })]],
  ['(cd sub && rm x); rm y', [rm('x', { base: sub }), rm('y')]],
  ['cd sub | true; rm y', [rm('y')]],
  ['cd sub & rm y', [rm('y')]],
  ['echo $(cd sub); rm y', [rm('y')]],
  ['bash -c "cd sub"; rm y', [rm('y')]],
  ['{ cd sub; }; rm y', [rm('y', { base: sub })]],
  ['pushd sub && rm x && popd && rm y', [rm('x', { base: sub }), rm('y')]],
  ['pushd sub; pushd deep; rm x; popd; rm y', [rm('x', { base: `${sub}/deep` }), rm('y', { base: sub })]],
  ['popd; rm y', [rm('y')]],
  ['pushd +1; rm y', [rm('y', { base: U, unresolved: true })]],
  ['cd sub; rm "$PWD/x" "$OLDPWD/y"', [rm(`${sub}/x`, { base: sub, literal: '"$PWD/x"' }), rm(`${cwd}/y`, { base: sub, literal: '"$OLDPWD/y"' })]],
  ['echo x > "$PWD/out"', [T('write', `${cwd}/out`, 'redirect >', { literal: '"$PWD/out"' })]],
  ['echo x > "${PWD}/out"', [T('write', `${cwd}/out`, 'redirect >', { literal: '"${PWD}/out"' })]],
  ['echo x > "$(pwd)/out"', [T('write', `${cwd}/out`, 'redirect >', { literal: '"$(pwd)/out"' })]],
]);


table('builtins that set variables and parameters', [
  ['set -- .env; rm "$1"', [rm('.env', { literal: '"$1"' })]],
  ['set -e -o pipefail -- a .env; rm "$2"', [rm('.env', { literal: '"$2"' })]],
  ['set -e; rm "$1"', [rm(U, { literal: '"$1"', unresolved: true })]],
  ['set -- a .env; shift; rm "$1"', [rm('.env', { literal: '"$1"' })]],
  ['set -- a b .env; shift 2; rm "$@"', [rm('.env', { literal: '"$@"' })]],
  ['F=.env; unset F; rm x$F', [rm('x', { literal: 'x$F' })]],
  ['F=.env; unset -f F; rm $F', [rm('.env', { literal: '$F' })]],
  ['F=.env; read -r -p "?" F; rm $F', [rm(U, { literal: '$F', unresolved: true })]],
  ['read; rm "$REPLY"', [rm(U, { literal: '"$REPLY"', unresolved: true })]],
  ['F=.env; mapfile -t F < x; rm $F', [rm(U, { literal: '$F', unresolved: true })]],
  ['printf -v F "%s%s" .e nv; rm $F', [rm('.env', { literal: '$F' })]],
  ['builtin export F=.env; rm $F', [rm('.env', { literal: '$F' })]],
]);

table('literal output of echo, printf, cat and pwd feeds pipes', [
  ['echo -n "rm .env" | sh', [rm('.env')]],
  ['echo -e "rm\\t.env" | sh', [rm('.env')]],
  ["printf '%s %s\\n' rm .env | sh", [rm('.env')]],
  ['cat <<EOF | sh\nrm .env\nEOF', [rm('.env')]],
  ['cat - <<< "rm .env" | sh', [rm('.env')]],
  ['cd sub && pwd | xargs -I{} rm {}/x', [rm(`${sub}/x`, { base: sub, literal: '{}/x' })]],
  ['echo "rm .env" > /dev/null | sh', []],
  // A missing file: cat fails and sh reads nothing; a file's text is read (semantics.test.ts).
  ['cat file | sh', []],
  ['cat $F | sh', [T('write', U, 'sh stdin', { literal: 'sh', unresolved: true })]],
  ['true | sh', []],
  ['{ echo "rm a"; echo "rm b"; } | sh', [rm('a'), rm('b')]],
  ['(echo "rm a") | sh', [rm('a')]],
  ['echo "rm a" && echo "rm b" | sh', [rm('b')]],
]);

table('aliases defined in the command apply to later lines', [
  ['alias r=rm\nr .env', [rm('.env', { literal: "'.env'" })]],
  ["alias r='rm -f'; r 'a b'", [rm('a b', { literal: "'a b'" })]],
  ['alias go="cd sub"\ngo; rm x', [rm('x', { base: sub })]],
  ['alias r=r\nr .env', [T('write', '.env', 'r (unknown command)', { literal: "'.env'", unknownCommand: 'r' })]],
  ['alias a=b b=a\na x', [T('write', 'x', 'a (unknown command)', { literal: "'x'", unknownCommand: 'a' })]],
  ['alias r=rm\n"r" .env', [T('write', '.env', 'r (unknown command)', { unknownCommand: 'r' })]],
  ['alias', []],
]);
