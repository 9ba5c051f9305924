// Issue 13: a `.hookwarden` FILE (not a folder) above the working directory made every call block
// with ENOTDIR. A file named like the config folder is no config; it never hides a real one.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { loadConfig } from '../../lib/config.js';
import { preToolUse } from '../../lib/guard.js';
import { claudePayload } from '../helpers/hook.js';
import { tempDirs } from '../helpers/tmp.js';

const tmp = tempDirs('hw-notdir-');

function world(): { root: string; repo: string; home: string; env: Record<string, string> } {
  const root = fs.realpathSync(tmp());
  const repo = path.join(root, 'repo');
  const home = path.join(root, 'home');
  fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
  fs.mkdirSync(path.join(repo, 'sub', 'deeper'), { recursive: true });
  fs.mkdirSync(home, { recursive: true });
  return { root, repo, home, env: { HOME: home, XDG_CONFIG_HOME: path.join(root, 'c'), XDG_STATE_HOME: path.join(root, 's') } };
}

const verdict = (w: ReturnType<typeof world>, cwd: string, file: string) =>
  preToolUse(JSON.stringify(claudePayload(cwd, 'Write', { file_path: file, content: 'x' })), { env: w.env, home: w.home, agent: 'claude' }).verdict;

test('a .hookwarden file in a parent folder is no config: calls are judged, not blocked', () => {
  const w = world();
  fs.writeFileSync(path.join(w.root, '.hookwarden'), 'not a folder\n');
  fs.writeFileSync(path.join(w.repo, 'sub', '.hookwarden'), '');
  const cwd = path.join(w.repo, 'sub', 'deeper');
  const v = verdict(w, cwd, path.join(cwd, 'a.txt'));
  assert.equal(v.decision, 'allow', v.reason);
  assert.equal(verdict(w, cwd, path.join(w.repo, '.env')).rule, 'secrets', 'the presets still hold');
});

test('it never hides a real config: the project config above it and the user config still apply', () => {
  const w = world();
  fs.mkdirSync(path.join(w.repo, '.hookwarden'));
  fs.writeFileSync(path.join(w.repo, '.hookwarden', 'config.json'), JSON.stringify({ rules: [{ id: 'repo', effect: 'deny', ops: ['write'], paths: ['deploy/**'] }] }));
  fs.mkdirSync(path.join(w.env.XDG_CONFIG_HOME!, 'hookwarden'), { recursive: true });
  fs.writeFileSync(path.join(w.env.XDG_CONFIG_HOME!, 'hookwarden', 'config.json'), JSON.stringify({ rules: [{ id: 'mine', effect: 'deny', ops: ['write'], paths: ['**/*.lock'] }] }));
  fs.writeFileSync(path.join(w.repo, 'sub', '.hookwarden'), '');
  const cwd = path.join(w.repo, 'sub', 'deeper');
  assert.equal(verdict(w, cwd, path.join(w.repo, 'deploy', 'x')).rule, 'repo');
  assert.equal(verdict(w, cwd, path.join(cwd, 'y.lock')).rule, 'mine');
  const cfg = loadConfig({ cwd, home: w.home, env: w.env, platform: process.platform });
  assert.ok(cfg.layers.some((l) => l.name.endsWith(path.join('repo', '.hookwarden', 'config.json'))));
});

test('the nearest forms: a user config folder that is a file is no config; anything else on the path stays an error', () => {
  const w = world();
  fs.mkdirSync(w.env.XDG_CONFIG_HOME!, { recursive: true });
  fs.writeFileSync(path.join(w.env.XDG_CONFIG_HOME!, 'hookwarden'), '');
  assert.equal(verdict(w, w.repo, path.join(w.repo, 'a.txt')).decision, 'allow');
  // HOOKWARDEN_CONFIG names a file that must exist: a file on its path is still an error that blocks.
  fs.writeFileSync(path.join(w.root, 'plain'), '');
  const v = preToolUse(JSON.stringify(claudePayload(w.repo, 'Write', { file_path: path.join(w.repo, 'a.txt'), content: 'x' })),
    { env: { ...w.env, HOOKWARDEN_CONFIG: path.join(w.root, 'plain', 'config.json') }, home: w.home, agent: 'claude' }).verdict;
  assert.equal(v.decision, 'deny');
  // A link named .hookwarden pointing to a file is still refused (the folder must not be a link).
  fs.symlinkSync(path.join(w.root, 'plain'), path.join(w.repo, 'sub', '.hookwarden'));
  assert.equal(verdict(w, path.join(w.repo, 'sub'), path.join(w.repo, 'sub', 'a.txt')).decision, 'deny');
});
