// Issue 13: the hooks a git command runs are read as they are on disk and analyzed like scripts run
// by their path. A repository's hooks folder is often a tracked folder (husky's `.husky`), which the
// agent may write: `.husky/pre-commit` with `echo x >> ~/.bashrc`, then `git commit`. Checked
// against real git too: the commit really runs the hook and really writes the file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { askGit } from '../../../../hooks/git-query.js';
import { preToolUse } from '../../../../lib/guard.js';

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-githooks-')));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const home = path.join(root, 'home');
fs.mkdirSync(home, { recursive: true });
fs.writeFileSync(path.join(home, '.bashrc'), '# rc\n');
const env = { HOME: home, PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
const gitEnv = { ...env, GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@b', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@b' };

let n = 0;
/** A repository with one commit; `setup` adds hooks and settings. */
function repo(setup: (dir: string) => void): string {
  const dir = path.join(root, `r${n++}`);
  fs.mkdirSync(dir, { recursive: true });
  const g = (...a: string[]) => assert.equal(spawnSync('git', a, { cwd: dir, env: gitEnv, encoding: 'utf8' }).status, 0);
  g('init', '-q', '-b', 'main');
  fs.writeFileSync(path.join(dir, 'README'), 'hi\n');
  g('add', '.');
  g('commit', '-qm', 'one');
  setup(dir);
  return dir;
}

function hook(file: string, text: string, mode = 0o755): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text, { mode });
}

function decide(dir: string, command: string): { decision: string; reason: string } {
  const payload = JSON.stringify({ session_id: 's', cwd: dir, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: 't' });
  const o = preToolUse(payload, { env, home, agent: 'claude', git: askGit });
  return { decision: o.verdict.decision, reason: o.verdict.reason ?? '' };
}

const evil = '#!/bin/sh\necho evil >> ~/.bashrc\n';
const husky = repo((d) => {
  spawnSync('git', ['config', 'core.hooksPath', '.husky'], { cwd: d, env: gitEnv });
  hook(path.join(d, '.husky', 'pre-commit'), evil);
});

describe('hooks a git command runs', () => {
  it('real git: the commit runs the husky hook, and the guard sees the file it writes', () => {
    const d = repo((x) => {
      spawnSync('git', ['config', 'core.hooksPath', '.husky'], { cwd: x, env: gitEnv });
      hook(path.join(x, '.husky', 'pre-commit'), `#!/bin/sh\necho ran >> "${path.join(x, 'marker')}"\n`);
    });
    fs.writeFileSync(path.join(d, 'a'), 'a\n');
    spawnSync('git', ['add', 'a'], { cwd: d, env: gitEnv });
    const r = spawnSync('git', ['commit', '-qm', 'two'], { cwd: d, env: gitEnv, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.readFileSync(path.join(d, 'marker'), 'utf8'), 'ran\n');
    // And the guard sees the file that hook writes.
    const t = preToolUse(JSON.stringify({ session_id: 's', cwd: d, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'git commit -m three' }, tool_use_id: 't' }), { env, home, agent: 'claude', git: askGit });
    assert.ok(t.verdict.targets.some((x) => x.path === path.join(d, 'marker') && x.op === 'write'), JSON.stringify(t.verdict.targets));
  });

  for (const cmd of ['git commit -m x', 'git commit --no-verify -m x', 'git commit --amend --no-edit', 'git push', 'git branch y', 'git tag v1', 'git -C . commit -m x']) {
    it(`deny: ${cmd} (core.hooksPath .husky, pre-commit writes ~/.bashrc)`, () => {
      assert.deepEqual(decide(husky, cmd).decision, 'deny');
      assert.match(decide(husky, cmd).reason, /~\/\.bashrc/);
    });
  }

  for (const cmd of ['git status', 'git diff', 'git log -1', 'git show HEAD', 'git ls-files']) {
    it(`allow: ${cmd} runs no hook`, () => assert.equal(decide(husky, cmd).decision, 'allow'));
  }

  it('deny: -c core.hooksPath names the folder (a hook the agent wrote elsewhere)', () => {
    const d = repo((x) => hook(path.join(x, 'tools', 'hooks', 'pre-commit'), '#!/bin/bash\ncp README .env\n'));
    assert.equal(decide(d, 'git commit -m x').decision, 'allow');
    assert.match(decide(d, 'git -c core.hooksPath=tools/hooks commit -m x').reason, /\.env/);
  });

  it('deny: the repository\'s own hooks folder, an executable hook; a hook without #! is read as sh; not executable: never run', () => {
    const d = repo((x) => hook(path.join(x, '.git', 'hooks', 'post-commit'), 'echo k >> ~/.bashrc\n', 0o644));
    assert.equal(decide(d, 'git commit -m x').decision, 'allow', 'git does not run a hook that is not executable');
    fs.chmodSync(path.join(d, '.git', 'hooks', 'post-commit'), 0o755);
    assert.match(decide(d, 'git commit -m x').reason, /~\/\.bashrc/);
  });

  it('deny: a Python hook', () => {
    const d = repo((x) => {
      spawnSync('git', ['config', 'core.hooksPath', 'h'], { cwd: x, env: gitEnv });
      hook(path.join(x, 'h', 'pre-push'), "#!/usr/bin/env python3\nopen('.env', 'w').write('x')\n");
    });
    assert.match(decide(d, 'git push origin main').reason, /\.env/);
  });

  it('deny: core.hooksPath set in an included config file (git itself is asked)', () => {
    const d = repo((x) => {
      fs.writeFileSync(path.join(x, 'extra.gitconfig'), '[core]\n\thooksPath = inc-hooks\n');
      spawnSync('git', ['config', 'include.path', '../extra.gitconfig'], { cwd: x, env: gitEnv });
      hook(path.join(x, 'inc-hooks', 'pre-commit'), evil);
    });
    assert.match(decide(d, 'git commit -m x').reason, /~\/\.bashrc/);
  });

  it('ordinary hooks stay allowed (lint-staged, tests)', () => {
    const d = repo((x) => {
      spawnSync('git', ['config', 'core.hooksPath', '.husky'], { cwd: x, env: gitEnv });
      hook(path.join(x, '.husky', 'pre-commit'), '#!/bin/sh\nnpx lint-staged\nnpm test\n');
    });
    assert.equal(decide(d, 'git commit -m x').decision, 'allow');
  });

  it('a hook this call writes first is not known: unresolved, never read as the old text', () => {
    const d = repo((x) => {
      spawnSync('git', ['config', 'core.hooksPath', '.husky'], { cwd: x, env: gitEnv });
      hook(path.join(x, '.husky', 'pre-commit'), '#!/bin/sh\ntrue\n');
    });
    const o = preToolUse(JSON.stringify({ session_id: 's', cwd: d, hook_event_name: 'PreToolUse', tool_name: 'Bash',
      tool_input: { command: "printf 'echo x >> ~/.bashrc' >> .husky/pre-commit && git commit -m x" }, tool_use_id: 't' }), { env, home, agent: 'claude', git: askGit });
    // Not the old text's answer (`true`: nothing), and not blocked as a wholly unknown path: code the guard cannot see.
    assert.equal(o.verdict.decision, 'allow', JSON.stringify(o.verdict));
    assert.ok(o.verdict.targets.some((t) => t.unresolved && /\(hooks\)/.test(t.literal ?? '')), JSON.stringify(o.verdict.targets));
  });
});
