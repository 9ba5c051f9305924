import type { RawTarget } from '../../../../lib/types.js';
import { runner, target, tree, U, table as tableOf } from './helpers.js';

// `dir` and `.ssh` exist as directories in the cwd: copies and moves into them land beneath.
const { cwd, home } = tree(['proj/a', 'proj/b'], ['proj/dir', 'proj/.ssh', 'home/.ssh']);
const run = runner(cwd, home);
const T = target(cwd);

const table = (name: string, cases: [string, RawTarget[]][], reads = false): void => tableOf(name, run, cases, { reads });

table('tee', [
  ['echo x | tee .env', [T('write', '.env', 'tee')]],
  ['echo x | tee -a .env src/a', [T('write', '.env', 'tee'), T('write', 'src/a', 'tee')]],
  ['echo x | tee --append -- -f', [T('write', '-f', 'tee')]],
  ['echo x | tee', []],
]);

table('cp, install, rsync (destination written, sources read)', [
  ['cp .env.example .env', [T('write', '.env', 'cp'), T('read', '.env.example', 'cp')]],
  ['cp -f src.pem ~/.ssh/id_rsa', [T('write', `${home}/.ssh/id_rsa`, 'cp', { literal: '~/.ssh/id_rsa' }), T('read', 'src.pem', 'cp')]],
  ['cp a b dir', [T('write', 'dir/a', 'cp', { literal: 'dir' }), T('write', 'dir/b', 'cp', { literal: 'dir' }), T('read', 'a', 'cp'), T('read', 'b', 'cp')]],
  ['cp x/.env dir', [T('write', 'dir/.env', 'cp', { literal: 'dir' }), T('read', 'x/.env', 'cp')]],
  ['cp key new/', [T('write', 'new/key', 'cp', { literal: 'new/' }), T('read', 'key', 'cp')]],
  ['cp -t .ssh key', [T('write', '.ssh/key', 'cp', { literal: '.ssh' }), T('read', 'key', 'cp')]],
  ['cp --target-directory=.ssh -r key', [T('write', '.ssh/key', 'cp', { literal: '--target-directory=.ssh', beneath: true }), T('read', 'key', 'cp', { beneath: true })]],
  ['cp --target .ssh key', [T('write', '.ssh/key', 'cp', { literal: '.ssh' }), T('read', 'key', 'cp')]],
  ['cp -T a dir', [T('write', 'dir', 'cp'), T('read', 'a', 'cp')]],
  ['cp --parents src/x/.env dir', [T('write', 'dir/src/x/.env', 'cp', { literal: 'dir' }), T('read', 'src/x/.env', 'cp')]],
  ['cp -S .bak -- a -b', [T('write', '-b', 'cp'), T('write', '-b.bak', 'cp backup', { literal: '-b' }), T('read', 'a', 'cp')]],
  ['install -m 600 key ~/.ssh/config', [T('write', `${home}/.ssh/config`, 'install', { literal: '~/.ssh/config' }), T('read', 'key', 'install')]],
  ['install -d -m 700 .git/hooks x', [T('write', '.git/hooks', 'install'), T('write', 'x', 'install')]],
  ['rsync -a src/ backup', [T('write', 'backup', 'rsync', { beneath: true }), T('read', 'src/', 'rsync')]],
  ['rsync -av --exclude .git src dir', [T('write', 'dir/src', 'rsync', { literal: 'dir', beneath: true }), T('read', 'src', 'rsync')]],
  ['rsync -a src/ host:/srv/app', [T('read', 'src/', 'rsync')]],
  ['rsync -a host:/etc/x .env', [T('write', '.env', 'rsync', { beneath: true })]],
  ['rsync --remove-source-files a b', [T('write', 'b', 'rsync', { beneath: true }), T('delete', 'a', 'rsync')]],
  ['rsync --log-file=.env a host:b', [T('write', '.env', 'rsync', { literal: '--log-file=.env' }), T('read', 'a', 'rsync')]],
], true);

table('dd', [
  ['dd if=/dev/zero of=.env bs=1 count=1', [T('write', '.env', 'dd', { literal: 'of=.env' })]],
  ['dd if=.env of=~/out', [T('read', '.env', 'dd', { literal: 'if=.env' }), T('write', `${home}/out`, 'dd', { literal: 'of=~/out' })]],
  ['dd if=/dev/urandom of=/dev/null', []],
], true);

table('mv (both sides)', [
  ['mv .env .env.bak', [T('move-from', '.env', 'mv'), T('move-to', '.env.bak', 'mv', { beneath: true })]],
  ['mv a b dir', [T('move-from', 'a', 'mv'), T('move-to', 'dir/a', 'mv', { literal: 'dir', beneath: true }), T('move-from', 'b', 'mv'), T('move-to', 'dir/b', 'mv', { literal: 'dir', beneath: true })]],
  ['mv -t .ssh key', [T('move-from', 'key', 'mv'), T('move-to', '.ssh/key', 'mv', { literal: '.ssh', beneath: true })]],
  ['mv -f -- -x y', [T('move-from', '-x', 'mv'), T('move-to', 'y', 'mv', { beneath: true })]],
  ['mv -T a dir', [T('move-from', 'a', 'mv'), T('move-to', 'dir', 'mv', { beneath: true })]],
  ['mv config old-config', [T('move-from', 'config', 'mv'), T('move-to', 'old-config', 'mv', { beneath: true })]],
  ['mv onlyone', []],
]);

table('ln (the link name is written, not its target)', [
  ['ln -s /etc/passwd .env', [T('write', '.env', 'ln', { beneath: true })]],
  ['ln -sf ~/.env', [T('write', '.env', 'ln', { literal: '~/.env', beneath: true })]],
  ['ln -s target dir', [T('write', 'dir/target', 'ln', { literal: 'dir', beneath: true })]],
  ['ln -s a b dir', [T('write', 'dir/a', 'ln', { literal: 'dir', beneath: true }), T('write', 'dir/b', 'ln', { literal: 'dir', beneath: true })]],
  ['ln -t .ssh -s ../key', [T('write', '.ssh/key', 'ln', { literal: '.ssh', beneath: true })]],
  ['ln -sT x dir', [T('write', 'dir', 'ln', { beneath: true })]],
]);

table('deletes', [
  ['rm .env', [T('delete', '.env', 'rm')]],
  ['rm -rf config node_modules', [T('delete', 'config', 'rm'), T('delete', 'node_modules', 'rm')]],
  ['/bin/rm -f -- .env -rf', [T('delete', '.env', 'rm'), T('delete', '-rf', 'rm')]],
  ['rm -r -f --interactive=never .git', [T('delete', '.git', 'rm')]],
  ['rmdir .git/refs', [T('delete', '.git/refs', 'rmdir')]],
  ['rmdir -p a/b/c/', [T('delete', 'a/b/c/', 'rmdir'), T('delete', 'a/b', 'rmdir', { literal: 'a/b/c/' }), T('delete', 'a', 'rmdir', { literal: 'a/b/c/' })]],
  ['unlink .env', [T('delete', '.env', 'unlink')]],
  ['shred -u -n 3 -s 10 .env', [T('delete', '.env', 'shred')]],
]);

table('writes with option values skipped', [
  ['truncate -s 0 .env', [T('write', '.env', 'truncate')]],
  ['truncate --size=0 -r ref .env', [T('write', '.env', 'truncate')]],
  ['touch -d yesterday -t 202401010000 .env', [T('write', '.env', 'touch')]],
  ['touch -r ref .env', [T('write', '.env', 'touch')]],
  ['mkdir -p -m 700 .git/hooks', [T('write', '.git/hooks', 'mkdir')]],
  ['mkdir --mode=700 a b', [T('write', 'a', 'mkdir'), T('write', 'b', 'mkdir')]],
  ['chmod 600 .env', [T('write', '.env', 'chmod')]],
  ['chmod -R u+x,go-w bin .env', [T('write', 'bin', 'chmod'), T('write', '.env', 'chmod')]],
  ['chmod -w .env', [T('write', '.env', 'chmod')]],
  ['chmod --reference=a .env', [T('write', '.env', 'chmod')]],
  ['chown -R root:root .env', [T('write', '.env', 'chown')]],
  ['chown --reference=a .env', [T('write', '.env', 'chown')]],
  ['chgrp staff .env', [T('write', '.env', 'chgrp')]],
  ['sudoedit .env', [T('write', '.env', 'sudoedit')]],
]);

table('sed -i and perl -i', [
  ['sed -i s/a/b/ .env', [T('write', '.env', 'sed -i')]],
  ['sed -i.bak -e s/a/b/ .env x', [T('write', '.env', 'sed -i'), T('write', 'x', 'sed -i'), T('write', '.env.bak', 'sed -i backup', { literal: '.env' }), T('write', 'x.bak', 'sed -i backup', { literal: 'x' })]],
  ['sed --in-place -f script.sed .env', [T('write', '.env', 'sed -i')]],
  ['sed --in-place=.orig "s/a/b/" .env', [T('write', '.env', 'sed -i'), T('write', '.env.orig', 'sed -i backup', { literal: '.env' })]],
  // A `*` in the suffix is the file's name as given, from the working directory (GNU sed, perl).
  ["sed -i'bak/*.old' s/a/b/ d/f", [T('write', 'd/f', 'sed -i'), T('write', 'bak/d/f.old', 'sed -i backup', { literal: 'd/f' })]],
  ["perl -pi'/h/.bash*' -e1 rc", [T('write', 'rc', 'perl -i'), T('write', '/h/.bashrc', 'perl -i backup', { literal: 'rc' })]],
  ['sed -ni -E "s/a/b/p" .env', [T('write', '.env', 'sed -i')]],
  ['sed -e s/a/b/ -i -- .env', [T('write', '.env', 'sed -i')]],
  ['sed s/a/b/ .env', []],
  ['sed -n p .env', []],
  ['perl -pi -e "s/a/b/" .env', [T('write', '.env', 'perl -i')]],
  ['perl -i.bak -pe "s/a/b/" .env x', [T('write', '.env', 'perl -i'), T('write', '.env.bak', 'perl -i backup', { literal: '.env' }), T('write', 'x', 'perl -i'), T('write', 'x.bak', 'perl -i backup', { literal: 'x' })]],
  ['perl -p -i -e "s/a/b/" -- .env', [T('write', '.env', 'perl -i')]],
  ['perl -i -p script.pl .env', [T('write', '.env', 'perl -i')]],
  ['perl -lne "print" .env', []],
]);

table('reads (only when asked)', [
  ['truncate -r ref .env', [T('read', 'ref', 'truncate'), T('write', '.env', 'truncate')]],
  ['touch --reference=ref .env', [T('read', 'ref', 'touch', { literal: '--reference=ref' }), T('write', '.env', 'touch')]],
  ['cat .env', [T('read', '.env', 'cat')]],
  ['cat -n .env - a', [T('read', '.env', 'cat'), T('read', 'a', 'cat')]],
  ['less +G .env', [T('read', '+G', 'less'), T('read', '.env', 'less')]],
  ['head -n 5 .env', [T('read', '.env', 'head')]],
  ['tail -f -n 20 log .env', [T('read', 'log', 'tail'), T('read', '.env', 'tail')]],
  ['grep KEY .env', [T('read', '.env', 'grep')]],
  ['grep -r -e KEY -e TOKEN .env config', [T('read', '.env', 'grep'), T('read', 'config', 'grep')]],
  ['egrep -i "a|b" .env', [T('read', '.env', 'egrep')]],
  ['rg -g "*.ts" KEY .env', [T('read', '.env', 'rg')]],
  ['source .env', [T('read', '.env', 'source')]],
  ['. ./.env arg', [T('read', './.env', '.')]],
  ['sed -n p .env', [T('read', '.env', 'sed')]],
  ['more .env', [T('read', '.env', 'more')]],
], true);

table('commands known to touch no file (or only to read)', [
  ['git commit -m "fix .env parsing"', []],
  ['grep KEY .env', []],
  ['npm test', []],
  ['echo .env', []],
  ['ls -la .env ~/.ssh', []],
  // Interpreter code is read (lib/targets/interp): its own tests are in test/lib/targets/interp.
  ['python3 -c "open(\'.env\',\'w\')"', [T('write', '.env', 'python3 code')]],
  ['find . -name .env -delete', []],
  ['wc -l .env', []],
  ['diff .env .env.example', []],
  ['jq .a package.json', []],
]);

table('commands the guard does not know: operands and option values may be written', [
  ['frob .env', [T('write', '.env', 'frob (unknown command)', { unknownCommand: 'frob' })]],
  ['frob -v --out=.git/config -- -x', [
    T('write', '.git/config', 'frob (unknown command)', { literal: '--out=.git/config', unknownCommand: 'frob' }),
    T('write', '-x', 'frob (unknown command)', { unknownCommand: 'frob' })]],
  ['frob -o./k.pem', [T('write', './k.pem', 'frob (unknown command)', { literal: '-o./k.pem', unknownCommand: 'frob' })]],
  ['frob -q', []],
  ['./tool.sh ~/.ssh/id_rsa', [T('write', `${home}/.ssh/id_rsa`, 'tool.sh (unknown command)', { literal: '~/.ssh/id_rsa', unknownCommand: 'tool.sh' })]],
]);

// A name whose folder alone is unknown (`$(which rm)`, `${PREFIX}/bin/rm`) is also analyzed as that command.
table('a command name that cannot be resolved', [
  ['$CMD .env', [T('write', '.env', 'unknown command', { unresolved: true })]],
  ['"$(which rm)" -f x', [T('write', 'x', 'unknown command', { unresolved: true }), T('delete', 'x', 'rm')]],
  ['$EDITOR', [T('write', U, 'unknown command', { literal: '$EDITOR', unresolved: true })]],
  ['${PREFIX}/bin/rm .env', [T('write', '.env', 'unknown command', { unresolved: true }), T('delete', '.env', 'rm')]],
]);
