// Issue 13 (threat model "Open": `..` after a link, cd through CDPATH / cdable_vars, inherited
// variables under an operator): paths resolve as the kernel and bash resolve them. Each case was
// allowed before; overlay.property.test.ts runs the same kinds of steps for real in bash.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Decision } from '../../../../lib/types.js';
import { guardFixture } from './guard-fixture.js';

const fx = guardFixture('hw-phys-');

function table(name: string, cases: [string, Decision][], env = fx.ENV): void {
  describe(name, () => {
    for (const [cmd, want] of cases) {
      it(`${want}: ${cmd}`, () => {
        const o = fx.bash(cmd, env);
        assert.equal(o.verdict.decision, want, `${o.verdict.reason ?? ''} ${JSON.stringify(o.verdict.targets)}`);
        if (want === 'deny') assert.match(o.verdict.reason ?? '', /^blocked (write|delete|move)/);
      });
    }
  });
}

table('`..` after a symbolic link is the parent of its target (links of the same command)', [
  ['ln -s ~/.config c && echo x > c/../.ssh/authorized_keys', 'deny'],
  ['ln -s ~/.config c; cp README c/../.ssh/authorized_keys', 'deny'],
  ['mkdir -p q && ln -s ~/.config q/c && echo x >> q/c/../.ssh/authorized_keys', 'deny'],
  ['ln -s ~/.config/hookwarden c && echo x > c/./../hookwarden/config.json', 'deny'],
  ['ln -s ~/.config c && ln -s c/../.ssh k2 && echo x >> k2/authorized_keys', 'deny'],
  ['ln -s ~/.config c && mv c d && echo x >> d/../.ssh/authorized_keys', 'deny'],
  // Textually `proj/.ssh`: the kernel's answer is the home's.
  ['ln -s ~/.config c && rm -f c/../.ssh/authorized_keys', 'deny'],
  ['ln -s sub c && echo x > c/../README2', 'allow'],
]);

table('`..` after a link already on disk', [
  ['echo x > cfg/../.ssh/authorized_keys', 'deny'],
  ['echo x > keys/../.config/hookwarden/config.json', 'deny'],
  ['echo x > sub/../cfg/../.ssh/authorized_keys', 'deny'],
]);

describe('file tools: `..` after a link', () => {
  for (const tool of ['Write', 'Edit']) {
    it(`${tool} cfg/../.ssh/authorized_keys is blocked`, () => {
      const input = tool === 'Write' ? { file_path: `${fx.proj}/cfg/../.ssh/authorized_keys`, content: 'k' }
        : { file_path: `${fx.proj}/cfg/../.ssh/authorized_keys`, old_string: 'a', new_string: 'b' };
      assert.equal(fx.call(tool, input).verdict.decision, 'deny');
    });
  }
});

table('cd: logical by default, physical with -P / set -P, and the logical path falling back', [
  ['cd -P keys/.. && echo k >> .ssh/authorized_keys', 'deny'],
  ['set -P; cd keys/.. && echo k >> .ssh/authorized_keys', 'deny'],
  ['set -o physical; cd keys/.. && echo k >> .ssh/authorized_keys', 'deny'],
  // `proj/.ssh` does not exist: bash falls back to the path as written, through the link.
  ['cd keys/../.ssh && echo k >> authorized_keys', 'deny'],
  ['pushd keys/../.ssh && echo k >> authorized_keys', 'deny'],
  ['cd -P keys && cd .. && echo k >> .ssh/authorized_keys', 'deny'],
  ['ln -s ~/.config c; cd -P c/..; echo k >> .ssh/authorized_keys', 'deny'],
  // Logical: `keys/..` is the project itself.
  ['cd keys/.. && echo k >> .env', 'deny'],
  ['cd keys/.. && echo k >> notes.txt', 'allow'],
  ['cd -L keys/.. && echo k >> notes.txt', 'allow'],
  ['cd keys && cd .. && echo k >> notes.txt', 'allow'],
]);

table('cd through CDPATH and cdable_vars', [
  ['CDPATH=~ cd .ssh && echo k >> authorized_keys', 'deny'],
  ['CDPATH=~; cd .ssh && echo k >> authorized_keys', 'deny'],
  ['export CDPATH=/nonexistent:~; cd .ssh; echo k >> authorized_keys', 'deny'],
  ['CDPATH=~/.config cd hookwarden && echo x > config.json', 'deny'],
  ['shopt -s cdable_vars; d=~/.ssh; cd d && echo k >> authorized_keys', 'deny'],
  ['shopt -s cdable_vars; d=~/.ssh; pushd d && echo k >> authorized_keys', 'deny'],
  // `./x` and `../x` never use CDPATH.
  ['CDPATH=~ cd ./sub && echo k >> notes.txt', 'allow'],
  ['CDPATH=~; cd sub && echo k >> notes.txt', 'allow'],
]);

table('CDPATH from the hook environment', [
  ['cd .ssh && echo k >> authorized_keys', 'deny'],
  ['cd sub && echo k >> notes.txt', 'allow'],
], { ...fx.ENV, CDPATH: `:${fx.home}` });

table('pushd, popd, dirs', [
  ['pushd ~/.ssh && pushd /tmp && popd && echo k >> authorized_keys', 'deny'],
  // -n puts it under the top without going there; popd then drops the top and goes to it.
  ['pushd -n ~/.ssh && popd && echo k >> authorized_keys', 'deny'],
  ['pushd -n ~/.ssh && echo k >> authorized_keys', 'allow'],
  ['pushd ~/.ssh; dirs -c; popd; echo k >> authorized_keys', 'deny'],
]);

table('operators on inherited and assigned variables', [
  ['echo k >> ${HOME%/}/.ssh/authorized_keys', 'deny'],
  ['echo k >> "${HOME%%+(/)}/.ssh/authorized_keys"', 'deny'],
  [`echo '{}' > \${XDG_CONFIG_HOME%/}/hookwarden/config.json`, 'deny'],
  [`echo '{}' > \${XDG_CONFIG_HOME:-$HOME/.config}/hookwarden/config.json`, 'deny'],
  ['echo k >> ${HOME/x/x}/.ssh/authorized_keys', 'deny'],
  ['d=/x/.ssh; echo k >> ~/${d#/x/}/authorized_keys', 'deny'],
  ['n=HOME; echo k >> ${!n}/.ssh/authorized_keys', 'deny'],
  ['e=.ENV; echo k >> ${e,,}', 'deny'],
  ['e=XX.env; echo k >> ${e:2}', 'deny'],
  ['e=.env.bak; echo k >> ${e%.bak}', 'deny'],
  ['e=.env; echo k >> ${e%.env}notes.txt', 'allow'],
  // Patterns the matcher does not compute (extglob, off unless `shopt -s extglob`): the literal
  // reading is an alternative.
  ['echo k >> ${HOME%%@(/)}/.ssh/authorized_keys', 'deny'],
  ['echo k >> ~root/.ssh/authorized_keys', 'deny'],
]);
