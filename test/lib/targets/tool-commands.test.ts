// Red team, round 4: a command in the arguments of a tool the guard does not know. An MCP server that
// runs commands (`execute_command {"command": "…"}`) is common; the argument walk took no string with
// blanks for a path, so `{"command": "echo x > .env"}` and `{"cmd": ["sh", "-c", "…"]}` were allowed
// (the built hook answered exit 0). A command there is now judged as a shell call's command: targets
// and command rules, in the folder the tool's own `cwd`/`workdir` argument names.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { preToolUse } from '../../../lib/guard.js';
import { claudePayload, runHookSync, sandbox } from '../../helpers/hook.js';
import { tempDirs } from '../../helpers/tmp.js';
import { toolWorld, type ToolWorld } from '../../helpers/tool-world.js';

const tmp = tempDirs('hw-tool-commands-');

const world = (config?: unknown): ToolWorld => toolWorld(fs.realpathSync(tmp()), config);

const verdict = (w: ReturnType<typeof world>, tool: string, input: Record<string, unknown>) =>
  preToolUse(JSON.stringify(claudePayload(w.project, tool, input)), { env: w.env, home: w.home }).verdict;

describe('a command in the arguments of a tool the guard does not know', () => {
  test('is judged like a shell call: protected writes and destructive commands block', () => {
    const w = world();
    for (const [tool, input, reason] of [
      ['mcp__desktop__execute_command', { command: 'echo x > .env', timeout_ms: 1000 }, /\.env \(rule secrets\)/],
      ['mcp__shell__run', { command: 'cat k.pub >> ~/.ssh/authorized_keys' }, /authorized_keys \(rule secrets\)/],
      ['mcp__x__run', { cmd: ['sh', '-c', 'echo x > .env'] }, /\.env/],
      ['mcp__x__run', { argv: ['tee', '-a', '.git/config'] }, /\.git\/config \(rule vcs\)/],
      ['mcp__ci__steps', { commands: ['npm test', 'echo x > .env'] }, /\.env/],
      ['mcp__x__tasks', { steps: [{ script: 'printf x >> ~/.bashrc' }] }, /\.bashrc \(rule self/],
      ['mcp__x__run', { command: 'echo x > .env', cwd: 'sub' }, /sub\/\.env/],
      ['FrobTool', { commandLine: 'git push --force origin main' }, /git\.push-force/],
      ['mcp__x__run', { command: `${'$('.repeat(12)}echo x > .env${')'.repeat(12)}` }, /nested too deeply/],
      // Not shell the guard can read (an open quote): its path-like words are written.
      ['mcp__db__query', { command: "SELECT * FROM .env WHERE a = 'x" }, /\.env/],
    ] as const) {
      const v = verdict(w, tool, input);
      assert.equal(v.decision, 'deny', `${tool} ${JSON.stringify(input)}: ${v.decision}`);
      assert.match(v.reason ?? '', reason, `${tool} ${JSON.stringify(input)}`);
    }
  });

  test('ordinary commands, and text that only shares the key, are allowed', () => {
    const w = world();
    for (const [tool, input] of [
      ['mcp__shell__run', { command: 'npm test', cwd: '.' }],
      ['mcp__shell__run', { command: 'cat .env | wc -l' }],
      ['mcp__redis__exec', { command: 'SET session abc' }],
      ['mcp__db__query', { command: "SELECT * FROM users WHERE name = 'x" }],
      ['mcp__x__run', { cmd: ['ls', '-la', 'src'] }],
    ] as const) {
      const v = verdict(w, tool, input);
      assert.equal(v.decision, 'allow', `${tool} ${JSON.stringify(input)}: ${v.reason}`);
    }
  });

  test('a tool the user config ignores or marks read-only is left to that config', () => {
    const w = world({ mcp: { tools: { 'mcp__shell__*': { ignore: true }, mcp__notes__get: { readOnly: true } } } });
    assert.equal(verdict(w, 'mcp__shell__run', { command: 'echo x > .env' }).decision, 'allow');
    assert.equal(verdict(w, 'mcp__notes__get', { command: 'echo x > .env' }).decision, 'allow');
    assert.equal(verdict(w, 'mcp__other__run', { command: 'echo x > .env' }).decision, 'deny');
  });

  test('a project config cannot switch it off (it may only add written fields)', () => {
    const w = world();
    fs.mkdirSync(path.join(w.project, '.hookwarden'));
    fs.writeFileSync(path.join(w.project, '.hookwarden', 'config.json'), JSON.stringify({ mcp: { tools: { mcp__shell__run: { ignore: true, readOnly: true } } } }));
    assert.equal(verdict(w, 'mcp__shell__run', { command: 'echo x > .env' }).decision, 'deny');
  });
});

describe('the built hook', () => {
  for (const daemon of ['off', 'on']) {
    test(`blocks an MCP command that writes .env (daemon ${daemon})`, () => {
      const sb = sandbox();
      try {
        const r = runHookSync('pre-tool-use', JSON.stringify(claudePayload(sb.project, 'mcp__desktop__execute_command', { command: 'echo x > .env' })), { ...sb.env, HOOKWARDEN_DAEMON: daemon }, sb.project);
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, /^hookwarden: blocked write to \.env \(rule secrets\)[^\n]*\n$/);
      } finally {
        sb.cleanup();
      }
    });
  }
});
