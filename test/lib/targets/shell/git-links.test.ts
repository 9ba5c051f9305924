// Issue 13: files git writes (checkout, switch, reset --hard, stash pop) may be symbolic links in
// the tree it writes; git itself is asked what each link says (cat-file), and later operands of the
// same command resolve through it. A link git writes is judged, not taken for a plain folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { askGit } from '../../../../hooks/git-query.js';
import { preToolUse } from '../../../../lib/guard.js';

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-gitlinks-')));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const home = path.join(root, 'home');
const proj = path.join(root, 'proj');
fs.mkdirSync(`${home}/.ssh`, { recursive: true });
fs.mkdirSync(`${proj}/lnk`, { recursive: true });
fs.writeFileSync(`${home}/.ssh/authorized_keys`, 'k\n');
fs.writeFileSync(`${proj}/lnk/a`, 'a\n');
fs.writeFileSync(`${proj}/README`, 'hi\n');
const env = { HOME: home, PATH: process.env.PATH, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
const gitEnv = { ...env, GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@b', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@b' };
const g = (...a: string[]): void => {
  const r = spawnSync('git', a, { cwd: proj, env: gitEnv, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
};
g('init', '-q', '-b', 'main');
g('add', '.');
g('commit', '-qm', 'plain folder');
// A hostile branch: `lnk` becomes a link to the home's .ssh.
g('checkout', '-qb', 'evil');
g('rm', '-rq', 'lnk');
fs.symlinkSync(`${home}/.ssh`, `${proj}/lnk`);
g('add', 'lnk');
g('commit', '-qm', 'link');
g('checkout', '-q', 'main');

function decide(command: string): string {
  const payload = JSON.stringify({ session_id: 's', cwd: proj, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: 't' });
  const o = preToolUse(payload, { env, home, agent: 'claude', git: askGit });
  return `${o.verdict.decision} ${o.verdict.reason ?? ''}`;
}

describe('a symbolic link git writes leads later operands through it', () => {
  for (const cmd of ['git checkout evil && echo k >> lnk/authorized_keys', 'git switch evil; cp README lnk/authorized_keys',
    'git reset --hard evil && echo k >> lnk/authorized_keys', 'git checkout -f evil && cd lnk && echo k >> authorized_keys']) {
    it(`deny: ${cmd}`, () => {
      assert.match(decide(cmd), /^deny blocked write to ~\/\.ssh\/authorized_keys/);
    });
  }
  it('allow: files git writes that are not links stay plain (git checkout evil && echo k >> README)', () => {
    assert.match(decide('git checkout evil && echo k >> README'), /^allow/);
  });
});
