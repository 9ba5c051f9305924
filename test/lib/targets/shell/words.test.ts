import type { RawTarget } from '../../../../lib/types.js';
import { runner, target, tree, U, table as tableOf } from './helpers.js';

const { cwd, home } = tree();
const run = runner(cwd, home);
const T = target(cwd);
const rm = (p: string, literal = p, more: { unresolved?: boolean } = {}): RawTarget => T('delete', p, 'rm', { literal, ...more });

const table = (name: string, cases: [string, RawTarget[]][]): void => tableOf(name, run, cases);

table('quote removal', [
  ["rm '.e'nv", [rm('.env', "'.e'nv")]],
  ['rm ".env"', [rm('.env', '".env"')]],
  ['rm \\.env', [rm('.env', '\\.env')]],
  ['rm .\\e\\n\\v', [rm('.env', '.\\e\\n\\v')]],
  ['rm "."e\'n\'"v"', [rm('.env', '"."e\'n\'"v"')]],
  ['rm ".e\\nv"', [rm('.e\\nv', '".e\\nv"')]],
  ['rm ".\\$x"', [rm('.$x', '".\\$x"')]],
  ['rm .e\\\nnv', [rm('.env', '.e\\\nnv')]],
  ['rm \\\n.env', [rm('.env')]],
  ['rm $\'.env\'', [rm('.env', "$'.env'")]],
  ["rm $'\\x2eenv'", [rm('.env', "$'\\x2eenv'")]],
  ["rm $'\\056env'", [rm('.env', "$'\\056env'")]],
  ["rm $'\\u002eenv'", [rm('.env', "$'\\u002eenv'")]],
  ["rm $'.e\\x6ev'", [rm('.env', "$'.e\\x6ev'")]],
  ["rm $'a\\tb\\nc'", [rm('a\tb\nc', "$'a\\tb\\nc'")]],
  ["rm $'it\\'s'", [rm("it's", "$'it\\'s'")]],
  ["rm $'.env\\0junk'", [rm('.env', "$'.env\\0junk'")]],
  ['rm $".env"', [rm('.env', '$".env"')]],
  ['rm ""', [rm('', '""')]],
  ['rm é/日本', [rm('é/日本')]],
]);

table('tilde', [
  ['rm ~/.ssh/id_rsa', [rm(`${home}/.ssh/id_rsa`, '~/.ssh/id_rsa')]],
  ['rm ~', [rm(home, '~')]],
  ['rm "~/.ssh/id_rsa"', [rm('~/.ssh/id_rsa', '"~/.ssh/id_rsa"')]],
  ['rm \\~/x', [rm('~/x', '\\~/x')]],
  ['rm ~"/x"', [rm('~/x', '~"/x"')]],
  ['rm ~/"x y"', [rm(`${home}/x y`, '~/"x y"')]],
  ['rm a~/x', [rm('a~/x')]],
  ['rm ~+/x', [rm(`${cwd}/x`, '~+/x')]],
  // A name the user database (here: /etc/passwd) lacks stays as written in bash; another database may know it.
  ['rm ~no-such-user-hw/.ssh/x', [rm(`${U}/.ssh/x`, '~no-such-user-hw/.ssh/x', { unresolved: true }), rm('~no-such-user-hw/.ssh/x')]],
  ['rm ~root/.ssh/x', [rm('/root/.ssh/x', '~root/.ssh/x')]],
  ['X=~/.npmrc; rm $X', [rm(`${home}/.npmrc`, '$X')]],
  ['X=a:~/b; rm "$X"', [rm(`a:${home}/b`, '"$X"')]],
  ['HOME=/elsewhere; rm ~/x', [rm('/elsewhere/x', '~/x')]],
]);

table('variables', [
  ['rm $HOME/.npmrc', [rm(`${home}/.npmrc`, '$HOME/.npmrc')]],
  ['rm ${HOME}/.npmrc', [rm(`${home}/.npmrc`, '${HOME}/.npmrc')]],
  ['rm "$PWD/.env"', [rm(`${cwd}/.env`, '"$PWD/.env"')]],
  ['F=.env; rm $F', [rm('.env', '$F')]],
  ['F=.env rm $F', [rm(U, '$F', { unresolved: true })]],
  ['F=.env && rm "${F}"', [rm('.env', '"${F}"')]],
  ['export F=.env; rm $F', [rm('.env', '$F')]],
  ['local F=.env; rm $F', [rm('.env', '$F')]],
  ['declare -r F=.env; rm $F', [rm('.env', '$F')]],
  ['readonly F=.env; rm $F', [rm('.env', '$F')]],
  ['typeset F=.env; rm $F', [rm('.env', '$F')]],
  ['n=F; export "$n=.env"; rm $F', [rm('.env', '$F')]],
  ['D=.git; F=config; rm $D/$F', [rm('.git/config', '$D/$F')]],
  ['F=.e; F+=nv; rm $F', [rm('.env', '$F')]],
  ['F=.env; unset F; rm "$F"', [rm('', '"$F"')]],
  ['read F; rm $F', [rm(U, '$F', { unresolved: true })]],
  ['F=.env; read F < x; rm $F', [rm(U, '$F', { unresolved: true })]],
  ['printf -v F "%s" .env; rm $F', [rm('.env', '$F')]],
  ['F=$(cat name); rm $F', [rm(U, '$F', { unresolved: true })]],
  ['F=$(echo .env); rm $F', [rm('.env', '$F')]],
  ['F="$(printf %s .env)"; rm $F', [rm('.env', '$F')]],
  // Not in the environment (the tests pass none): unknown, or unset.
  ['rm $D/.env', [rm(`${U}/.env`, '$D/.env', { unresolved: true }), rm('/.env', '$D/.env')]],
  ['rm "$X"/.git/config', [rm(`${U}/.git/config`, '"$X"/.git/config', { unresolved: true }), rm('/.git/config', '"$X"/.git/config')]],
  ['rm ${X}.pem', [rm(`${U}.pem`, '${X}.pem', { unresolved: true }), rm('.pem', '${X}.pem')]],
  ['rm $F', [rm(U, '$F', { unresolved: true })]],
  ['rm $1', [rm(U, '$1', { unresolved: true })]],
  ['rm $$ $RANDOM', [rm(U, '$$', { unresolved: true }), rm(U, '$RANDOM', { unresolved: true })]],
  ['rm "$((1+2))"', [rm(U, '"$((1+2))"', { unresolved: true })]],
  ['rm $(which x)/.env', [rm(`${U}/x/.env`, '$(which x)/.env', { unresolved: true })]],
  ['rm $(command -v x)/.env', [rm(`${U}/.env`, '$(command -v x)/.env', { unresolved: true })]],
]);

