// A path only partly known (issue 13, red team of 2026-12-07): the unknown part of a word sits inside
// a name or before known names (`$XDG_CONFIG_HOME/hook$(cat f)/config.json`,
// `$XDG_CONFIG_HOME/$(cat f)/config.json`, `.en$(cat f)`), with `f` written by an earlier call. Those
// were allowed as unresolved; they switched the guard off. Now the unknown part is tried as every name
// a protected path has there (the rules' literal names, the folder's entries). Real files, real bash.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { bash, world as makeWorld, type World } from '../helpers/self-world.js';
import { tempDirs } from '../helpers/tmp.js';

const tmp = tempDirs('hw-unres-');

function world(): World {
  const w = makeWorld(fs.realpathSync(tmp()));
  fs.mkdirSync(path.join(w.env.XDG_CONFIG_HOME, 'hookwarden'), { recursive: true });
  fs.mkdirSync(path.join(w.home, '.ssh'), { recursive: true });
  fs.mkdirSync(path.join(w.project, '.git', 'hooks'), { recursive: true });
  fs.writeFileSync(path.join(w.project, '.env'), 'SECRET=1\n');
  fs.writeFileSync(path.join(w.project, 'server.pem'), 'PEM\n');
  return w;
}

/** Run the command for real in the world (cwd the project), with `f` holding `name`. */
function run(w: World, cmd: string, name: string): void {
  fs.writeFileSync(path.join(w.project, 'f'), name);
  const r = spawnSync('bash', ['-c', cmd], { cwd: w.project, env: { ...process.env, ...w.env }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
}

describe('an unknown part inside a name or before known names may stand for a protected path', () => {
  const cases: [cmd: string, name: string, rule: string, changes: (w: World) => string][] = [
    [`echo '{"presets":{"self":false}}' > $XDG_CONFIG_HOME/hook$(cat f)/config.json`, 'warden', 'self',
      (w) => path.join(w.env.XDG_CONFIG_HOME, 'hookwarden', 'config.json')],
    [`echo '{}' > "$XDG_CONFIG_HOME/$(cat f)/config.json"`, 'hookwarden', 'self', (w) => path.join(w.env.XDG_CONFIG_HOME, 'hookwarden', 'config.json')],
    ['echo k >> ~/.ss$(cat f)/authorized_keys', 'h', 'secrets', (w) => path.join(w.home, '.ssh', 'authorized_keys')],
    ['echo X=1 > .en$(cat f)', 'v', 'secrets', (w) => path.join(w.project, '.env')],
    ['echo x > "$(cat f)".env', '', 'secrets', (w) => path.join(w.project, '.env')],
    ['printf "#!/bin/sh\\n" > .gi`cat f`/hooks/pre-commit', 't', 'vcs', (w) => path.join(w.project, '.git', 'hooks', 'pre-commit')],
    ['cp f server$(cat f)', '.pem', 'secrets', (w) => path.join(w.project, 'server.pem')],
    ['F=$(cat f); echo x > "conf/../.en${F}"', 'v', 'secrets', (w) => path.join(w.project, '.env')],
  ];
  for (const [cmd, name, rule, changes] of cases) {
    it(`${cmd} (f holds ${JSON.stringify(name)})`, () => {
      const w = world();
      fs.mkdirSync(path.join(w.project, 'conf'));
      const v = bash(w, cmd);
      assert.equal(v.decision, 'deny', `${cmd}: ${v.reason ?? 'allowed'}`);
      assert.equal(v.rule, rule, `${cmd}: ${v.reason}`);
      assert.doesNotMatch(v.reason ?? '', /hookwarden\/config|\.env\b.*instead/, 'the reason names the target as written');
      // Reality: the same command really changes the protected file.
      const file = changes(w);
      const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
      run(w, cmd, name);
      assert.notEqual(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined, before, `${cmd} did not change ${file}`);
    });
  }

  // A word that is wholly unknown (`tee "$(cat f)"`) may be any path: test/lib/unknown-targets.test.ts.
  it('what stays as before: an unknown name at the end of an unprotected folder, unknown names that no protected path has', () => {
    const w = world();
    for (const cmd of ['echo x > out-$(date +%s).log', 'echo x > "$(mktemp)"', 'mkdir -p build/$(git rev-parse HEAD) && cp f build/$(git rev-parse HEAD)/f',
      'echo x > logs/$(date +%F)/run.txt', 'echo x > "report-$(cat f).txt"', 'echo x > ~/notes-$(date +%s).md',
      // A word that starts with an unknown part is not placed under the cwd (it may be any folder): the cwd's .git is no candidate.
      'echo x > $OUT/result.txt', 'cp f "$DIR/sub/file"', 'echo x > "$(mktemp -d)/a/b"']) {
      const v = bash(w, cmd);
      assert.equal(v.decision, 'allow', `${cmd}: ${v.reason}`);
    }
  });

  it('under a protected folder nothing changes: still blocked whatever the name', () => {
    const w = world();
    for (const cmd of ['echo k > ~/.ssh/$(cat f)', 'echo x > .git/hooks/$(cat f)']) assert.equal(bash(w, cmd).decision, 'deny', cmd);
  });

  it('many unknown names in one path: bounded, and a protected folder reached early still blocks', () => {
    const w = world();
    // 600 folders whose names fit the first unknown part, each holding 4 that fit the second.
    for (let i = 0; i < 600; i++) for (let j = 0; j < 4; j++) fs.mkdirSync(path.join(w.project, `n${i}`, `n${j}`), { recursive: true });
    const v = bash(w, `echo x > "$XDG_CONFIG_HOME/$(cat f)/$(cat g)/$(cat h)/config.json"`);
    assert.equal(v.decision, 'deny', v.reason);
    const many = bash(w, 'echo x > "n$(cat a)/n$(cat b)/n$(cat c)/out.txt"');
    assert.equal(many.decision, 'allow', many.reason);
  });
});
