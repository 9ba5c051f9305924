// `git ls-files` and `git diff --name-only` print names git holds: the guard reads them from the
// index (versions 2, 3 with intent-to-add entries, 4) and takes every name they could print, so
// `git ls-files | xargs sed -i …` is judged on those names. Compared with the real git on random
// repositories: every name git printed is one the guard listed. What it does not follow is unknown.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { shellTargets } from '../../../../lib/targets/shell/index.js';
import { indexNames } from '../../../../lib/targets/shell/git-listings.js';
import { Budget, UNRESOLVED_SEGMENT as U } from '../../../../lib/types.js';
import { show, tree } from './helpers.js';

const { root, home } = tree();
const ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@b', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@b' };
const git = (cwd: string, ...args: string[]): string => {
  const r = spawnSync('git', args, { cwd, env: ENV, encoding: 'utf8' });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};

/** The output the guard models for `cmd` in `cwd` (read back from a write to `"o/$(cmd)"`). */
function modelled(cmd: string, cwd: string): string[] | undefined {
  const ts = shellTargets(`cat < /dev/null > "o/$(${cmd})"`, { cwd, home, env: {}, budget: new Budget(10_000) }).filter((t) => t.via === 'redirect >');
  if (ts.length !== 1 || ts[0]!.path.includes(U)) return undefined;
  return ts[0]!.path.slice(2).split(/[\n\0]/).filter((l) => l !== '');
}

const NAMES = ['a', 'b c', '.h', 'q"t', 'd', 'é', 'e.txt', 'x\\y'];

describe('git listings compared with the real git', () => {
  const forms = ['git ls-files', 'git ls-files -z', 'git ls-files --full-name', 'git ls-files -o', 'git ls-files -co --exclude-standard', 'git ls-files -m', 'git ls-files -d',
    'git diff --name-only', 'git diff --name-only -z', 'git diff --name-only --relative'];
  it(`every name git printed is one the guard listed (${forms.length} forms, index versions 2 to 4, from a subfolder too)`, () => {
    const entry = fc.tuple(fc.array(fc.constantFrom(...NAMES), { minLength: 1, maxLength: 3 }), fc.constantFrom('add', 'intent', 'untracked', 'change', 'delete'));
    fc.assert(fc.property(fc.array(entry, { minLength: 1, maxLength: 6 }), fc.constantFrom(2, 3, 4), fc.constantFrom(...forms), fc.boolean(), (files, version, cmd, sub) => {
      const cwd = fs.mkdtempSync(path.join(root, 'g-'));
      try {
        git(cwd, 'init', '-q');
        for (const [segs, how] of files) {
          const rel = path.join(...segs);
          try {
            fs.mkdirSync(path.dirname(path.join(cwd, rel)), { recursive: true });
            fs.writeFileSync(path.join(cwd, rel), 'one\n');
          } catch {
            continue; // a name already taken by a folder, or the other way round
          }
          if (how !== 'untracked') git(cwd, 'add', ...(how === 'intent' ? ['-N'] : []), '--', rel);
        }
        git(cwd, 'update-index', '--index-version', String(version));
        for (const [segs, how] of files) {
          const p = path.join(cwd, ...segs);
          if (how === 'change' && fs.existsSync(p) && fs.statSync(p).isFile()) fs.writeFileSync(p, 'two\n');
          if (how === 'delete' && fs.existsSync(p) && fs.statSync(p).isFile()) fs.rmSync(p);
        }
        const at = sub && fs.existsSync(path.join(cwd, 'd')) && fs.statSync(path.join(cwd, 'd')).isDirectory() ? path.join(cwd, 'd') : cwd;
        const real = spawnSync('bash', ['-c', cmd], { cwd: at, env: ENV, encoding: 'utf8' });
        assert.equal(real.status, 0, real.stderr);
        const printed = real.stdout.split(/[\n\0]/).filter((l) => l !== '');
        const model = modelled(cmd, at);
        assert.ok(model !== undefined, `${cmd}: output not modelled`);
        const missing = printed.filter((l) => !model.includes(l));
        assert.deepEqual(missing, [], `${cmd} (index v${version}): printed ${show(printed)}, modelled ${show(model)}`);
      } finally {
        fs.rmSync(cwd, { recursive: true, force: true });
      }
    }), { numRuns: 120, seed: 17 });
  });
});

describe('what a git listing leaves unknown', () => {
  const cwd = path.join(root, 'repo');
  fs.mkdirSync(cwd);
  git(cwd, 'init', '-q');
  fs.writeFileSync(path.join(cwd, 'a.ts'), 'x\n');
  git(cwd, 'add', 'a.ts');
  const unknown = (cmd: string, env: Record<string, string> = {}): boolean =>
    shellTargets(`rm -f $(${cmd})`, { cwd, home, env, budget: new Budget(10_000) }).some((t) => t.op === 'delete' && t.path.startsWith(U));
  it('known: the names of the index, also after git commands that leave them as they are', () => {
    for (const cmd of ['git ls-files | xargs rm -f', 'git status && git ls-files | xargs rm -f']) {
      assert.deepEqual(shellTargets(cmd, { cwd, home, env: {}, budget: new Budget(10_000) }).map((t) => t.path), ['a.ts'], cmd);
    }
  });
  it('unknown: another side than the index, a format that is not names alone, another index, an index the call changed first', () => {
    for (const cmd of ['git diff --cached --name-only', 'git diff HEAD --name-only', 'git ls-files -s', "git ls-files --format='%(path)'", 'git add b; git ls-files', 'git -C . add b; git ls-files',
      'touch b; git ls-files -o']) assert.ok(unknown(cmd), cmd);
    assert.ok(unknown('git ls-files', { GIT_INDEX_FILE: '/tmp/other-index' }), 'GIT_INDEX_FILE');
    assert.ok(unknown('GIT_INDEX_FILE=x git ls-files'), 'GIT_INDEX_FILE prefix');
  });
  it('an index this reader cannot follow is unknown: garbage, a split index', () => {
    const f = path.join(root, 'bad-index');
    fs.writeFileSync(f, 'DIRC\0\0\0\x09\0\0\0\x01');
    assert.equal(indexNames(f), undefined);
    const split = path.join(root, 'split');
    fs.mkdirSync(split);
    git(split, 'init', '-q');
    fs.writeFileSync(path.join(split, 'x'), 'x\n');
    git(split, 'add', 'x');
    git(split, 'update-index', '--split-index');
    assert.equal(indexNames(path.join(split, '.git', 'index')), undefined);
  });
});
