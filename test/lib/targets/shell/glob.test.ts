import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GuardError, type RawTarget } from '../../../../lib/types.js';
import { runner, show, target, tree, U } from './helpers.js';

const { root, cwd, home } = tree(
  ['proj/.env', 'proj/.env.local', 'proj/.env.example', 'proj/a.pem', 'proj/b.pem', 'proj/.hidden.pem',
    'proj/config/x.yml', 'proj/config/.secret', 'proj/config/sub/k.pem', 'proj/ab[c].txt', 'proj/q\\b1', 'proj/x(y)1', 'home/.ssh/id_rsa', 'home/.ssh/id_ed25519'],
  ['proj/empty', 'proj/dir.d'],
);
const run = runner(cwd, home);
const T = target(cwd);
const rm = (p: string, literal: string, more: { base?: string; unresolved?: boolean; given?: boolean } = {}): RawTarget =>
  T('delete', p, 'rm', { literal, ...more });

describe('globs are expanded against the file system as bash does', () => {
  const cases: [string, RawTarget[]][] = [
    ['rm .en?', [rm('.env', '.en?')]],
    ['rm .env*', [rm('.env', '.env*'), rm('.env.example', '.env*'), rm('.env.local', '.env*')]],
    ['rm -f *.pem', [rm('a.pem', '*.pem'), rm('b.pem', '*.pem')]],
    ['rm .*.pem', [rm('.hidden.pem', '.*.pem')]],
    ['rm [ab].pem', [rm('a.pem', '[ab].pem'), rm('b.pem', '[ab].pem')]],
    ['rm [!a].pem', [rm('b.pem', '[!a].pem')]],
    ['rm config/*', [rm('config/sub', 'config/*'), rm('config/x.yml', 'config/*')]],
    ['rm config/.*', [rm('config/.secret', 'config/.*')]],
    ['rm */*.pem', [rm('*/*.pem', '*/*.pem')]],
    ['rm */*/*.pem', [rm('config/sub/k.pem', '*/*/*.pem')]],
    ['rm -r */', [rm('config/', '*/'), rm('dir.d/', '*/'), rm('empty/', '*/')]],
    ['rm ./.e*e', [rm('./.env.example', './.e*e')]],
    ['rm ~/.ssh/id_*', [rm(`${home}/.ssh/id_ed25519`, '~/.ssh/id_*'), rm(`${home}/.ssh/id_rsa`, '~/.ssh/id_*')]],
    [`rm ${root}/proj/*.pem`, [rm(`${root}/proj/a.pem`, `${root}/proj/*.pem`), rm(`${root}/proj/b.pem`, `${root}/proj/*.pem`)]],
    ['rm **', ['a.pem', 'ab[c].txt', 'b.pem', 'config', 'dir.d', 'empty', 'q\\b1', 'x(y)1'].map((p) => rm(p, '**'))],
    ['rm .env{,.loc*}', [rm('.env', '.env{,.loc*}'), rm('.env.local', '.env{,.loc*}')]],
    ['rm @(a|b).pem', [rm('a.pem', '@(a|b).pem'), rm('b.pem', '@(a|b).pem')]],
    ['cd config && rm *', [rm('sub', '*', { base: `${cwd}/config` }), rm('x.yml', '*', { base: `${cwd}/config` })]],
    ['P="*.pem"; rm $P', [rm('a.pem', '$P'), rm('b.pem', '$P')]],
    ['echo x > *.yml', [T('write', '*.yml', 'redirect >')]],
    ['echo x > config/*.yml', [T('write', 'config/x.yml', 'redirect >', { literal: 'config/*.yml' })]],
    // No match leaves the word as written; quoted or escaped glob characters are literal.
    ['rm nothing*', [rm('nothing*', 'nothing*')]],
    ['rm empty/*', [rm('empty/*', 'empty/*')]],
    ['rm "*.pem"', [rm('*.pem', '"*.pem"')]],
    ['rm \\*.pem', [rm('*.pem', '\\*.pem')]],
    ['rm "."*', [rm('.env', '"."*'), rm('.env.example', '"."*'), rm('.env.local', '"."*'), rm('.hidden.pem', '"."*')]],
    ['rm ab\\[c].txt', [rm('ab[c].txt', 'ab\\[c].txt')]],
    ['rm "q\\b"*', [rm('q\\b1', '"q\\b"*')]],
    ['rm "x(y)"*', [rm('x(y)1', '"x(y)"*')]],
    // D is not in the environment: unknown, or unset (then the word is `/*.pem`, not expanded).
    ['rm $D/*.pem', [rm(`${U}/*.pem`, '$D/*.pem', { unresolved: true, given: true }), rm('/*.pem', '$D/*.pem')]],
    ['cd $D && rm *.pem', [rm('*.pem', '*.pem', { base: U, unresolved: true })]],
  ];
  for (const [cmd, want] of cases) {
    it(cmd, () => {
      const got = run(cmd);
      assert.deepEqual(got, want, show(got));
    });
  }
  it('globs in arguments of other commands are not listed', () => {
    assert.deepEqual(run('ls */*/*/* && echo **'), []);
  });
});

describe('glob expansion is bounded', () => {
  it('more than 10000 matches throws GuardError', () => {
    const many = path.join(root, 'many');
    fs.mkdirSync(many);
    for (let i = 0; i <= 10_000; i++) fs.writeFileSync(path.join(many, `f${i}`), '');
    assert.throws(() => run(`rm ${many}/*`), (e: unknown) => e instanceof GuardError && /more than 10000/.test(e.message));
    assert.equal(run(`rm ${many}/f1`).length, 1);
  });
});
