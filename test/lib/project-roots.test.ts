// Issue 13, finding 6: a marker folder made inside a repository (committed `sub/.claude/`, or the
// agent's own `git init sub`) never takes a path out of reach of a rule that covers it from the
// repository's top.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../lib/config.js';
import { decide } from '../../lib/decide.js';
import { findProjectRoots, normalizeTarget } from '../../lib/paths.js';
import { Budget, type Verdict } from '../../lib/types.js';
import { tempDirs } from '../helpers/tmp.js';

const temp = tempDirs('hw-roots-');

/** A repository with deploy/ and sub/, a home whose user config locks `deploy/**`. */
function repo(userRules: unknown[] = [{ id: 'deploy', effect: 'deny', paths: ['deploy/**'], locked: true }]) {
  const dir = fs.realpathSync(temp());
  const top = path.join(dir, 'repo');
  const home = path.join(dir, 'home');
  for (const d of ['deploy', 'sub/src', 'tmp']) fs.mkdirSync(path.join(top, d), { recursive: true });
  assert.equal(spawnSync('git', ['init', '-q', top]).status, 0);
  fs.mkdirSync(path.join(home, '.config', 'hookwarden'), { recursive: true });
  fs.writeFileSync(path.join(home, '.config', 'hookwarden', 'config.json'), JSON.stringify({ rules: userRules }));
  const write = (cwd: string, p: string, env: Record<string, string> = {}): Verdict => {
    const c = loadConfig({ cwd, home, env, platform: 'linux' });
    const t = normalizeTarget({ op: 'write', path: p, base: cwd, via: 'redirect >' }, { home, platform: 'linux' });
    return decide([t], 'Bash', c, { root: c.root, home, platform: 'linux', budget: new Budget(10_000) });
  };
  return { dir, top, home, sub: path.join(top, 'sub'), write };
}

describe('a marker folder inside a repository does not move protections', () => {
  const markers: [string, (sub: string) => void][] = [
    ['a committed sub/.claude/', (sub) => fs.mkdirSync(path.join(sub, '.claude'))],
    ['a committed sub/.codex/', (sub) => fs.mkdirSync(path.join(sub, '.codex'))],
    ['sub/.hookwarden/ holding an empty config', (sub) => {
      fs.mkdirSync(path.join(sub, '.hookwarden'));
      fs.writeFileSync(path.join(sub, '.hookwarden', 'config.json'), '{}');
    }],
    ['`git init sub` (a nested repository made by the agent)', (sub) => assert.equal(spawnSync('git', ['init', '-q', sub]).status, 0)],
    ['sub/.git as a file (a submodule or linked worktree)', (sub) => fs.writeFileSync(path.join(sub, '.git'), 'gitdir: ../.git/modules/sub\n')],
    ['every marker at once, one level deeper too', (sub) => {
      for (const m of ['.claude', '.codex', '.git']) fs.mkdirSync(path.join(sub, m));
      for (const m of ['.claude', '.git']) fs.mkdirSync(path.join(sub, 'src', m));
    }],
  ];
  for (const [what, make] of markers) {
    it(`${what}: \`echo x > ../deploy/app.yaml\` from sub/ stays blocked by the user's deploy/**`, () => {
      const r = repo();
      make(r.sub);
      const v = r.write(r.sub, '../deploy/app.yaml');
      assert.deepEqual([v.decision, v.rule], ['deny', 'deploy']);
      assert.equal(r.write(path.join(r.sub, 'src'), '../../deploy/app.yaml').decision, 'deny');
      assert.equal(r.write(r.top, 'deploy/app.yaml').decision, 'deny');
      assert.equal(r.write(r.sub, '../notes.txt').decision, 'allow');
    });
  }

  it('the root is the top of the git work tree, not the nearest .claude; every marker is a candidate', () => {
    const r = repo();
    fs.mkdirSync(path.join(r.sub, '.claude'));
    assert.deepEqual(findProjectRoots(path.join(r.sub, 'src'), r.home), { root: r.top, candidates: [r.sub, r.top] });
  });

  it('a nested repository is its own root, and the enclosing one stays a candidate', () => {
    const r = repo();
    assert.equal(spawnSync('git', ['init', '-q', r.sub]).status, 0);
    assert.deepEqual(findProjectRoots(r.sub, r.home), { root: r.sub, candidates: [r.sub, r.top] });
  });

  it('the root is physical: a cwd reached through a link finds the repository it is in', () => {
    const r = repo();
    const link = path.join(r.dir, 'shortcut');
    fs.symlinkSync(r.sub, link);
    assert.equal(findProjectRoots(link, r.home).root, r.top);
    assert.equal(r.write(link, '../deploy/app.yaml').decision, 'deny');
  });

  it('outside any repository: cwd is the root and relative rules are anchored there', () => {
    const r = repo();
    const out = path.join(r.dir, 'loose', 'dir');
    fs.mkdirSync(out, { recursive: true });
    assert.equal(findProjectRoots(out, r.home).root, out);
    assert.equal(r.write(out, 'deploy/x').decision, 'deny');
    assert.equal(r.write(out, '../deploy/x').decision, 'allow');
  });

  it('an allow rule is anchored at the root only: a marker folder cannot widen it', () => {
    const r = repo([{ id: 'tmp-ok', effect: 'allow', paths: ['tmp/**'] }]);
    fs.mkdirSync(path.join(r.sub, '.claude'));
    const env = {};
    const c = loadConfig({ cwd: r.sub, home: r.home, env, platform: 'linux' });
    const rule = c.rules.find((x) => x.id === 'tmp-ok');
    assert.deepEqual(rule?.views.map((v) => v.paths.map((g) => g.base)), [[path.join(r.top, 'tmp')]]);
  });
});

describe('project configs of enclosing roots', () => {
  it('the top project config still applies from a nested repository made inside it', () => {
    const r = repo([]);
    fs.mkdirSync(path.join(r.top, '.hookwarden'));
    fs.writeFileSync(path.join(r.top, '.hookwarden', 'config.json'), JSON.stringify({
      unresolved: 'deny', rules: [{ id: 'deploy', effect: 'deny', paths: ['deploy/**'] }],
    }));
    assert.equal(spawnSync('git', ['init', '-q', r.sub]).status, 0);
    const v = r.write(r.sub, '../deploy/app.yaml');
    assert.deepEqual([v.decision, v.rule, v.layer], ['deny', 'deploy', path.join(r.top, '.hookwarden', 'config.json')]);
    // Its relative globs stay relative to its own folder: sub/deploy is not the top's deploy.
    assert.equal(r.write(r.sub, 'deploy/app.yaml').decision, 'allow');
    assert.equal(loadConfig({ cwd: r.sub, home: r.home, env: {}, platform: 'linux' }).unresolved, 'deny');
  });

  it('a project config owned by another local user (planted in a shared folder above the repository) is ignored, with a warning', { skip: process.getuid?.() !== 0 && 'giving a file to another user needs root' }, () => {
    const r = repo([]);
    const planted = path.join(r.dir, '.hookwarden', 'config.json');
    fs.mkdirSync(path.dirname(planted));
    fs.writeFileSync(planted, '{"rules": "not even valid"}');
    fs.chownSync(planted, 4242, 4242);
    const c = loadConfig({ cwd: r.sub, home: r.home, env: {}, platform: 'linux' });
    assert.ok(c.roots.includes(r.dir));
    assert.ok(c.warnings.includes(`${planted}: owned by another user (uid 4242); ignored`), c.warnings.join('\n'));
    fs.chownSync(planted, process.getuid?.() ?? 0, 0);
    assert.throws(() => loadConfig({ cwd: r.sub, home: r.home, env: {}, platform: 'linux' }), /field rules: expected array/);
  });

  it('an inner project config cannot replace or relax the enclosing one', () => {
    const r = repo([]);
    const outer = path.join(r.top, '.hookwarden', 'config.json');
    const inner = path.join(r.sub, '.hookwarden', 'config.json');
    fs.mkdirSync(path.dirname(outer));
    fs.writeFileSync(outer, JSON.stringify({ unresolved: 'ask', rules: [{ id: 'deploy', effect: 'deny', paths: ['deploy/**'] }] }));
    fs.mkdirSync(path.dirname(inner));
    fs.writeFileSync(inner, JSON.stringify({ unresolved: 'allow', rules: [{ id: 'deploy', effect: 'allow', paths: ['x'] }] }));
    const c = loadConfig({ cwd: r.sub, home: r.home, env: {}, platform: 'linux' });
    assert.equal(c.unresolved, 'ask');
    assert.equal(c.rules.find((x) => x.id === 'deploy')?.layer, outer);
    assert.ok(c.warnings.some((w) => w.startsWith(`${inner}: rule "deploy" is set by ${outer}; ignored`)), c.warnings.join('\n'));
    assert.ok(c.warnings.some((w) => w.startsWith(`${inner}: unresolved "allow" cannot relax "ask"`)), c.warnings.join('\n'));
    assert.equal(r.write(r.sub, '../deploy/a').decision, 'deny');
  });
});
