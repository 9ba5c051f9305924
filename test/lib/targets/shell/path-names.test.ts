// dirname and basename print a known folder or name (`cd "$(dirname "$0")"` in a script, `rm -f
// "$(dirname "$tmp")/x"`), compared with the real coreutils on random names; a scripted `cd` to
// its own folder is then known instead of somewhere unknown.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runner, show, tree, U } from './helpers.js';

const { cwd, home } = tree(['proj/tools/build.sh']);
const run = runner(cwd, home);
const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

describe('dirname and basename compared with the real programs', () => {
  it('random names and options: the same output', () => {
    const name = fc.stringMatching(/^[ab/.x]{0,8}$/);
    const form = fc.constantFrom((n: string) => `dirname -- ${quote(n)}`, (n: string) => `basename -- ${quote(n)}`, (n: string) => `basename ${quote(n)} .x`,
      (n: string) => `basename -s b -- ${quote(n)}`, (n: string) => `basename -a -- ${quote(n)} a/b`, (n: string) => `dirname -- ${quote(n)} x/y`);
    fc.assert(fc.property(name, form, (n, f) => {
      const cmd = f(n);
      const real = spawnSync('bash', ['-c', cmd], { cwd, encoding: 'utf8' });
      if (real.status !== 0) return;
      const lines = real.stdout.split('\n').slice(0, -1);
      // Observed through a later command: `touch` of each printed line.
      const got = run(`touch $(${cmd})`).filter((t) => t.op === 'write').map((t) => path.posix.resolve(t.base, t.path));
      const want = lines.filter((l) => l !== '').map((l) => path.posix.resolve(cwd, l));
      assert.deepEqual([...new Set(got)].sort(), [...new Set(want)].sort(), `${cmd}: ${show(got)}`);
    }), { numRuns: 300, seed: 5 });
  });
  it('a script that goes to its own folder writes there', () => {
    fs.writeFileSync(path.join(cwd, 'tools', 'build.sh'), 'cd "$(dirname "$0")" && rm -rf out\n');
    const got = run('bash tools/build.sh').filter((t) => t.op === 'delete');
    assert.deepEqual(got.map((t) => path.posix.join(t.base, t.path)), [path.join(cwd, 'tools', 'out')], show(got));
  });
  it('the folder of a partly unknown name is known when its last part is', () => {
    const got = run('f="$(cat list)/x.txt"; rm -rf "$(dirname "$f")/y"').filter((t) => t.op === 'delete');
    assert.deepEqual(got.map((t) => t.path), [`${U}/y`], show(got));
    assert.deepEqual(run('rm -rf "$(dirname "$(cat list)")"').map((t) => t.path), [U]);
  });
});
