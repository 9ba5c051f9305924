import { runner, target, tree, U, table as tableOf } from './helpers.js';
import type { RawTarget } from '../../../../lib/types.js';

const { cwd, home } = tree(['proj/a'], ['proj/src']);
const run = runner(cwd, home);
const T = target(cwd);
const table = (name: string, cases: [string, RawTarget[]][], reads = false): void => tableOf(name, run, cases, { reads });

table('curl writes the file its options name; the URL is not a target', [
  ['curl -o .env https://example.test/x', [T('write', '.env', 'curl')]],
  ['curl -sSLo .env https://example.test/x', [T('write', '.env', 'curl')]],
  ['curl --output=.git/config https://example.test/x', [T('write', '.git/config', 'curl', { literal: '--output=.git/config' })]],
  ['curl -H "Authorization: x" -c cookies.txt https://example.test', [T('write', 'cookies.txt', 'curl')]],
  ['curl -s https://example.test/x', []],
  ['curl -O https://example.test/d/.env', [T('write', '.env', 'curl -O', { literal: 'https://example.test/d/.env' })]],
  ['curl -sO --output-dir .git https://example.test/config?x=1', [T('write', '.git/config', 'curl -O', { literal: '.git' })]],
  ['curl --remote-name-all https://example.test/a https://example.test/b', [T('write', 'a', 'curl -O', { literal: 'https://example.test/a' }), T('write', 'b', 'curl -O', { literal: 'https://example.test/b' })]],
  ['curl -OJ https://example.test/x', [T('write', U, 'curl -O', { literal: 'https://example.test/x', unresolved: true })]],
  ['curl -o - https://example.test/x > .env', [T('write', '.env', 'redirect >')]],
]);

table('wget writes -O / -o / -a', [
  ['wget -O .env https://example.test/x', [T('write', '.env', 'wget')]],
  ['wget -qO .npmrc https://example.test/x', [T('write', '.npmrc', 'wget')]],
  ['wget --output-document .env https://example.test/x', [T('write', '.env', 'wget')]],
  ['wget -q https://example.test/x', [T('write', 'x', 'wget', { literal: 'https://example.test/x' })]],
  ['wget -P ~/.ssh https://example.test/k', [T('write', `${home}/.ssh/k`, 'wget', { literal: '~/.ssh' })]],
  ['wget https://example.test/', [T('write', 'index.html', 'wget', { literal: 'https://example.test/' })]],
  ['wget -r -P out https://example.test/', [T('write', `out/${U}`, 'wget', { literal: 'out', beneath: true, unresolved: true })]],
]);

table('tar -c reads what it archives (with what is beneath); --remove-files deletes it', [
  ['tar --remove-files -cf out.tar .env', [T('write', 'out.tar', 'tar'), T('delete', '.env', 'tar --remove-files', { beneath: true })]],
  ['tar -C ~/.ssh --remove-files -czf /tmp/k.tgz .', [T('write', '/tmp/k.tgz', 'tar'), T('delete', `${home}/.ssh/.`, 'tar --remove-files', { literal: '.', beneath: true })]],
  ['tar -czf /tmp/snap.tgz .', [T('write', '/tmp/snap.tgz', 'tar'), T('read', '.', 'tar', { beneath: true })]],
], true);

table('tar writes the archive only when creating or appending', [
  ['tar -cf .env src', [T('write', '.env', 'tar')]],
  ['tar czf secrets/backup.tgz src', [T('write', 'secrets/backup.tgz', 'tar')]],
  ['tar --create --file=.git/x.tar src', [T('write', '.git/x.tar', 'tar', { literal: '--file=.git/x.tar' })]],
  // Extracting writes names only the archive knows: an unresolved write where it unpacks.
  ['tar -xf backup.tar', [T('write', `./${U}`, 'tar -x', { literal: '-xf', unresolved: true })]],
  ['tar xzf a.tgz -C out', [T('write', `out/${U}`, 'tar -x', { literal: 'out', unresolved: true })]],
  ['unzip -q a.zip -d out', [T('write', `out/${U}`, 'unzip', { literal: 'out', unresolved: true })]],
  ['unzip -l a.zip', []],
]);

table('reads (opt-in): uploads and extracted archives', [
  ['curl -T .env https://example.test/up', [T('read', '.env', 'curl')]],
  ['tar -xf backup.tar', [T('read', 'backup.tar', 'tar'), T('write', `./${U}`, 'tar -x', { literal: '-xf', unresolved: true })]],
], true);
