// Listing commands (`grep -rl`, `rg -l`, `ls`) print names of files that exist: their output is every
// name they could print, listed from the disk, so `grep -rl foo src | xargs sed -i …` writes files
// beneath src rather than a path that may be anything. Compared with the real programs on random
// trees (names with spaces, dots, a protected name): every name the program printed is one the guard
// listed (a superset), and a name that splits into an absolute path is seen as the path it makes.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { shellTargets } from '../../../../lib/targets/shell/index.js';
import { Budget, UNRESOLVED_SEGMENT as U } from '../../../../lib/types.js';
import { show, tree } from './helpers.js';

const { root, home } = tree();
const have = (p: string): boolean => spawnSync('sh', ['-c', `command -v ${p}`]).status === 0;

/** The output the guard models for `cmd` in `cwd` (read back from a write to `"$(cmd)"`). */
function modelled(cmd: string, cwd: string): string[] | undefined {
  // A known prefix keeps the word a path even when the output is empty.
  const ts = shellTargets(`cat < /dev/null > "o/$(${cmd})"`, { cwd, home, env: {}, budget: new Budget(10_000) }).filter((t) => t.via === 'redirect >');
  if (ts.length !== 1 || ts[0]!.path.includes(U)) return undefined;
  return ts[0]!.path.slice(2).split(/[\n\0]/).filter((l) => l !== '');
}

const NAMES = ['a', 'b c', '.h', 'x y', 'd', '.env', 'e.txt'];
const treeArb = fc.array(fc.tuple(fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 3 }), fc.constantFrom('foo\n', 'bar\n')), { minLength: 1, maxLength: 8 });

describe('listing commands compared with the real programs', () => {
  const forms = ['grep -rl foo .', 'grep -rl foo', 'grep -rl foo d', 'grep -lr foo -- a d', 'grep -rL foo .', 'grep -l foo e.txt a', 
    'grep -rl foo --include=*.txt .', 'grep -rl --include=a --include=*.h foo .', 'grep -rl --include=*.{txt,h} foo d',
    'ls', 'ls -a', 'ls -A', 'ls -1 d', 'ls -R', 'ls -aR .', 'ls -d d a', 'ls d a', ...(have('rg') ? ['rg -l foo', 'rg --files', 'rg -l --hidden foo .', 'rg -l0 foo d'] : [])];
  it(`every name printed is one the guard listed (${forms.length} forms on random trees)`, () => {
    fc.assert(fc.property(treeArb, fc.constantFrom(...forms), (files, cmd) => {
      const cwd = fs.mkdtempSync(path.join(root, 'l-'));
      try {
        for (const [segs, text] of files) {
          const p = path.join(cwd, ...segs);
          try {
            fs.mkdirSync(path.dirname(p), { recursive: true });
            fs.writeFileSync(p, text);
          } catch {
            // a name already taken by a folder, or a folder by a file: that tree simply differs
          }
        }
        const real = spawnSync('bash', ['-c', cmd], { cwd, encoding: 'utf8', input: '' });
        const printed = real.stdout.split(/[\n\0]/).filter((l) => l !== '');
        const model = modelled(cmd, cwd);
        assert.ok(model !== undefined, `${cmd}: output not modelled`);
        const missing = printed.filter((l) => !model.includes(l));
        assert.deepEqual(missing, [], `${cmd}: printed ${show(printed)}, modelled ${show(model)}`);
      } finally {
        fs.rmSync(cwd, { recursive: true, force: true });
      }
    }), { numRuns: 200, seed: 21 });
  });
});

describe('NUL-separated names', () => {
  const cwd = path.join(root, 'nul');
  fs.mkdirSync(path.join(cwd, 'src'), { recursive: true });
  fs.writeFileSync(path.join(cwd, 'src', 'a.ts'), 'foo\n');
  fs.writeFileSync(path.join(cwd, 'src', 'b.ts'), 'foo\n');
  const run = (cmd: string) => shellTargets(cmd, { cwd, home, env: {}, budget: new Budget(10_000) });
  it('split by xargs -0: each name', () => {
    assert.deepEqual(run('grep -rlZ foo src | xargs -0 rm').map((t) => t.path).sort(), ['src/a.ts', 'src/b.ts']);
  });
  it('in $( ), where bash joins them (which names depends on what matches): a path holding NUL, which normalization refuses (blocked)', () => {
    const got = run('rm $(grep -rlZ foo src)');
    assert.ok(got.some((t) => t.path.split(U).join('').includes('\0')), show(got));
  });
});

describe('what a listing leaves unknown, and what its names make', () => {
  const cwd = path.join(root, 'fixed');
  fs.mkdirSync(path.join(cwd, 'src', 'a ', 'home', 'u', '.ssh'), { recursive: true });
  fs.writeFileSync(path.join(cwd, 'src', 'a ', 'home', 'u', '.ssh', 'authorized_keys'), 'foo\n');
  fs.writeFileSync(path.join(cwd, 'src', 'x.ts'), 'foo\n');
  const run = (cmd: string) => shellTargets(cmd, { cwd, home, env: {}, budget: new Budget(10_000) });
  it('a folder named "a " splits, unquoted, into an absolute path: seen as that path', () => {
    const got = run('rm $(grep -rl foo src)').filter((t) => t.op === 'delete').map((t) => t.path);
    assert.ok(got.includes('/home/u/.ssh/authorized_keys'), show(got));
  });
  it('not listed: long format, links followed, a name made earlier in the call beneath the root, an unknown root', () => {
    for (const cmd of ['ls -l', 'grep -Rl foo src', 'grep -l foo', 'grep -r foo src', 'touch src/n; grep -rl foo src', 'grep -rl foo "$(cat f)"', 'ln -s ~ src/k; ls src']) {
      const got = run(`rm -f $(${cmd})`).filter((t) => t.op === 'delete');
      assert.ok(got.some((t) => t.path.startsWith(U)), `${cmd}: ${show(got)}`);
    }
  });
});
