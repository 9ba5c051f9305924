// Issue 13: a user rule relative to the project (`deploy/**`) applies to a target by the target's
// own project too, when the call's directory is elsewhere (cwd /tmp, a Write to /repo/deploy/x).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { preToolUse } from '../../lib/guard.js';
import { claudePayload } from '../helpers/hook.js';
import { tempDirs } from '../helpers/tmp.js';

const tmp = tempDirs('hw-target-roots-');

function world(rules: unknown[]): { root: string; repo: string; outside: string; env: Record<string, string>; home: string } {
  const root = fs.realpathSync(tmp());
  const repo = path.join(root, 'repo');
  const outside = path.join(root, 'elsewhere');
  const home = path.join(root, 'home');
  for (const d of [path.join(repo, '.git'), path.join(repo, 'deploy'), path.join(repo, 'sub', 'deploy'), outside, home]) fs.mkdirSync(d, { recursive: true });
  const env = { HOME: home, XDG_CONFIG_HOME: path.join(root, 'c'), XDG_STATE_HOME: path.join(root, 's') };
  fs.mkdirSync(path.join(env.XDG_CONFIG_HOME, 'hookwarden'), { recursive: true });
  fs.writeFileSync(path.join(env.XDG_CONFIG_HOME, 'hookwarden', 'config.json'), JSON.stringify({ rules }));
  return { root, repo, outside, env, home };
}

const DEPLOY = { id: 'deploy', effect: 'deny', ops: ['write', 'delete', 'move'], paths: ['deploy/**'], locked: true };

function verdict(w: ReturnType<typeof world>, cwd: string, tool: string, input: Record<string, unknown>) {
  return preToolUse(JSON.stringify(claudePayload(cwd, tool, input)), { env: w.env, home: w.home, agent: 'claude' }).verdict;
}

test('a relative user rule applies to a target in another project than the call directory', () => {
  const w = world([DEPLOY]);
  const target = path.join(w.repo, 'deploy', 'app.yaml');
  for (const [tool, input] of [
    ['Write', { file_path: target, content: 'x' }],
    ['Bash', { command: `echo x > ${target}` }],
    ['Bash', { command: `rm -rf ${path.join(w.repo, 'deploy')}` }],
    ['Bash', { command: `cd ${w.repo} && echo x > deploy/app.yaml` }],
    ['Bash', { command: `mv ${path.join(w.repo, 'deploy')} ${path.join(w.outside, 'd')}` }],
  ] as const) {
    const v = verdict(w, w.outside, tool, input);
    assert.equal(v.decision, 'deny', `${JSON.stringify(input)}: ${v.reason ?? 'allowed'}`);
    assert.equal(v.rule, 'deploy');
  }
  // The same from inside the project, as before.
  assert.equal(verdict(w, w.repo, 'Write', { file_path: target, content: 'x' }).decision, 'deny');
});

test('the nearest forms: through a link to the project, from the home, a nested repository of its own', () => {
  const w = world([DEPLOY]);
  fs.symlinkSync(w.repo, path.join(w.outside, 'link'));
  assert.equal(verdict(w, w.outside, 'Write', { file_path: path.join(w.outside, 'link', 'deploy', 'app.yaml'), content: 'x' }).decision, 'deny');
  assert.equal(verdict(w, w.home, 'Bash', { command: `printf x >> ${path.join(w.repo, 'deploy', 'new.yaml')}` }).decision, 'deny');
  // A nested repository is a project of its own: its deploy/ is covered by its own root.
  fs.mkdirSync(path.join(w.repo, 'sub', '.git'));
  assert.equal(verdict(w, w.outside, 'Write', { file_path: path.join(w.repo, 'sub', 'deploy', 'x.yaml'), content: 'x' }).decision, 'deny');
});

test('a folder with no project marker is no project: the rule does not follow targets there', () => {
  const w = world([DEPLOY]);
  fs.mkdirSync(path.join(w.outside, 'deploy'), { recursive: true });
  assert.equal(verdict(w, w.repo, 'Write', { file_path: path.join(w.outside, 'deploy', 'app.yaml'), content: 'x' }).decision, 'allow');
  assert.equal(verdict(w, w.outside, 'Write', { file_path: path.join(w.repo, 'src', 'app.ts'), content: 'x' }).decision, 'allow');
});

test("a project config's relative rules stay relative to its own folder; an allow rule does not follow targets", () => {
  const w = world([{ id: 'ok', effect: 'allow', ops: ['write'], paths: ['notes/**'] }]);
  fs.mkdirSync(path.join(w.repo, '.hookwarden'), { recursive: true });
  fs.writeFileSync(path.join(w.repo, '.hookwarden', 'config.json'), JSON.stringify({ rules: [{ id: 'repo-deploy', effect: 'deny', ops: ['write'], paths: ['deploy/**'] }] }));
  // From inside, the project's own rule applies.
  assert.equal(verdict(w, w.repo, 'Write', { file_path: path.join(w.repo, 'deploy', 'x'), content: 'x' }).rule, 'repo-deploy');
  const other = path.join(w.root, 'other');
  fs.mkdirSync(path.join(other, '.git'), { recursive: true });
  assert.equal(verdict(w, w.repo, 'Write', { file_path: path.join(other, 'deploy', 'x'), content: 'x' }).decision, 'allow', 'the repo config does not reach another project');
});
