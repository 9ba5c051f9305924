import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { judgeProbe, probeSandbox, runAsAgent, type ProbeRun } from '../../../cli/install/probe.js';
import { tmp } from './helpers.js';

const run = (p: Partial<ProbeRun>): ProbeRun => ({ exitCode: 0, stdout: '', stderr: '', ms: 5, timedOut: false, ...p });

describe('judgeProbe', () => {
  const cases: [string, 'blocked' | 'allowed', ProbeRun, boolean, RegExp][] = [
    ['a block', 'blocked', run({ exitCode: 2, stderr: 'hookwarden: blocked write to .env (rule secrets): x\n' }), true, /^blocked in 5 ms: hookwarden: blocked write/],
    ['exit 2 without our line', 'blocked', run({ exitCode: 2, stderr: 'bash: node: command not found\n' }), false, /not blocked \(exit 2, stderr: bash: node/],
    ['exit 1 (both agents run the tool)', 'blocked', run({ exitCode: 1, stderr: 'hookwarden: crashed' }), false, /not blocked \(exit 1/],
    ['allowed by exit 0', 'blocked', run({}), false, /not blocked \(exit 0\)/],
    ['timed out', 'blocked', run({ exitCode: null, timedOut: true }), false, /no answer within the registered timeout of 30s/],
    ['an allow', 'allowed', run({}), true, /^allowed in 5 ms$/],
    ['an allow with audit diagnostics on stderr', 'allowed', run({ stderr: 'hookwarden: audit: sink down\n' }), true, /^allowed/],
    ['a JSON deny on exit 0', 'allowed', run({ stdout: '{"hookSpecificOutput":{"permissionDecision":"deny"}}' }), false, /was not allowed/],
    ['profile noise on stdout', 'allowed', run({ stdout: 'Welcome!\n' }), false, /stdout is not JSON \(Welcome!\)/],
    ['a block of an ordinary write', 'allowed', run({ exitCode: 2, stderr: 'hookwarden: blocked: internal error\n' }), false, /not allowed \(exit 2, stderr: hookwarden: blocked: internal error\)/],
  ];
  for (const [name, kind, r, ok, detail] of cases) {
    it(name, () => {
      const j = judgeProbe(kind, r, 30);
      assert.equal(j.ok, ok);
      assert.match(j.detail, detail);
    });
  }
});

describe('runAsAgent', () => {
  const root = tmp();
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  const env = { PATH: process.env.PATH, SHELL: '/bin/sh', HOME: root, HOOKWARDEN_DAEMON_IDLE_MS: '5000' };

  it('codex: $SHELL -lc with the payload on stdin and cwd set; claude: sh -c', async () => {
    const cmd = 'printf "%s|%s" "$(cat)" "$(pwd)"; echo err >&2; exit 2';
    for (const agent of ['codex', 'claude'] as const) {
      const r = await runAsAgent(agent, cmd, '{"x":1}', { cwd: root, env, timeoutSec: 30 });
      assert.deepEqual([r.exitCode, r.stdout, r.stderr, r.timedOut], [2, `{"x":1}|${root}`, 'err\n', false]);
    }
  });

  it('codex uses $SHELL as a login shell', async () => {
    const shell = path.join(root, 'fake-shell');
    fs.writeFileSync(shell, '#!/bin/sh\nprintf "%s " "$@"\n', { mode: 0o755 });
    const r = await runAsAgent('codex', 'the command', '', { cwd: root, env: { ...env, SHELL: shell }, timeoutSec: 30 });
    assert.equal(r.stdout, '-lc the command ');
  });

  it('kills the whole process group at the registered timeout', async () => {
    const r = await runAsAgent('claude', 'sleep 60 & sleep 60', '', { cwd: root, env, timeoutSec: 1 });
    assert.equal(r.timedOut, true);
    assert.equal(r.exitCode, null);
  });

  it('a missing shell is a failed run, not a crash', async () => {
    const r = await runAsAgent('codex', 'true', '', { cwd: root, env: { ...env, SHELL: path.join(root, 'no-shell') }, timeoutSec: 5 });
    assert.equal(r.exitCode, null);
    assert.match(r.stderr, /ENOENT/);
  });
});

describe('probeSandbox', () => {
  it('points the audit away from the user: scratch XDG_STATE_HOME, user config copied without audit', () => {
    const root = tmp();
    const cfg = path.join(root, 'config.json');
    fs.writeFileSync(cfg, JSON.stringify({ rules: [], audit: { sinks: [{ type: 'file', path: '/var/log/real.jsonl' }] } }));
    const sb = probeSandbox({ XDG_STATE_HOME: path.join(root, 'real-state'), KEEP: '1' }, cfg);
    try {
      assert.equal(sb.env.KEEP, '1');
      assert.notEqual(sb.env.XDG_STATE_HOME, path.join(root, 'real-state'));
      assert.deepEqual(JSON.parse(fs.readFileSync(sb.env.HOOKWARDEN_CONFIG as string, 'utf8')), { rules: [] });
      assert.deepEqual(sb.config, { original: cfg, copy: sb.env.HOOKWARDEN_CONFIG });
      assert.ok(fs.statSync(path.join(sb.project, '.git')).isDirectory());
    } finally {
      sb.cleanup();
    }
    assert.equal(fs.existsSync(sb.project), false);
    const none = probeSandbox({}, path.join(root, 'absent.json'));
    assert.equal(none.env.HOOKWARDEN_CONFIG, undefined);
    none.cleanup();
    fs.rmSync(root, { recursive: true, force: true });
  });
});
