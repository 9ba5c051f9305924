// Issue 13, the rest of the self preset: `check` decides as the hook does for every live self path
// (the Node executable included); every `node` a portable registration could find on the hook's
// PATH before the real one, and every place its loader would look first, is protected; every agent
// file whose change could switch the hooks off (plugins, `.claude.json`, local settings, project
// Codex config, managed settings) is covered by the locked self rules.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { Verdict } from '../../lib/types.js';
import { loaderShadows, nodesOnPath, type Install } from '../../rules/live.js';
import { DIST, claudePayload, runHookSync, sandbox } from '../helpers/hook.js';
import { bash, world as makeWorld, write, type World } from '../helpers/self-world.js';
import { tempDirs } from '../helpers/tmp.js';

const tmp = tempDirs('hw-self-agents-');

const world = (): World & { env: Record<string, string> } => makeWorld(fs.realpathSync(tmp()));

function blocked(v: Verdict, what: string, rule?: string): void {
  assert.equal(v.decision, 'deny', `${what}: ${v.reason ?? 'allowed'}`);
  if (rule) assert.equal(v.rule, rule, `${what}: ${v.reason}`);
  assert.equal(v.layer, 'builtin:self', what);
}

describe('a node found on the PATH before the real one (portable registration)', () => {
  test('every PATH folder before and at the real node: absolute, relative, empty entries; not the ones after it', () => {
    const w = world();
    const first = path.join(w.root, 'first');
    const real = path.join(w.root, 'real');
    const after = path.join(w.root, 'after');
    for (const d of [first, real, after]) fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(real, 'node'), '');
    fs.writeFileSync(path.join(after, 'node'), '');
    const env = { PATH: [first, 'tools/bin', '', real, after].join(':') };
    const install: Install = { dist: path.join(w.root, 'dist'), node: path.join(real, 'node') };
    for (const p of [path.join(first, 'node'), path.join(w.project, 'tools', 'bin', 'node'), path.join(w.project, 'node'), path.join(real, 'node')]) {
      blocked(write(w, p, { env, install }), p, 'self.install');
    }
    blocked(bash(w, `cp /bin/true ${first}/node && chmod +x ${first}/node`, { env, install }), 'cp to a node before the real one');
    blocked(bash(w, 'ln -s /bin/true node', { env, install }), 'ln in the cwd (an empty PATH entry)');
    assert.equal(write(w, path.join(after, 'node'), { env, install }).decision, 'allow', 'a node after the real one is never run');
    assert.equal(write(w, path.join(first, 'nodejs'), { env, install }).decision, 'allow');
  });

  test('with no node on the PATH at all, every PATH folder is protected', () => {
    assert.deepEqual(nodesOnPath('/nope/a:/nope/b', '/w', undefined), ['/nope/a/node', '/nope/b/node']);
    assert.deepEqual(nodesOnPath(undefined, '/w', '/usr/bin/node'), []);
    assert.deepEqual(nodesOnPath('/nope/a:/usr/x', '/w', '/usr/x/node'), ['/nope/a/node', '/usr/x/node']);
  });

  test("the loader's other places: the relative hooks path under every folder from the call's directory up to the project", () => {
    const w = world();
    const dist = path.join(w.project, 'node_modules', 'hookwarden', 'dist');
    fs.mkdirSync(path.join(dist, 'hooks'), { recursive: true });
    const sub = path.join(w.project, 'packages', 'app');
    fs.mkdirSync(sub, { recursive: true });
    const install: Install = { dist };
    for (const p of [
      path.join(sub, 'node_modules', 'hookwarden', 'dist', 'hooks', 'pre-tool-use.js'),
      path.join(w.project, 'packages', 'node_modules', 'hookwarden', 'dist', 'hooks', 'pre-tool-use.js'),
    ]) blocked(write(w, p, { install, cwd: sub }), p, 'self.install');
    blocked(bash(w, 'ln -s /tmp/evil node_modules', { install, cwd: sub }), 'a link on the way to the shadow');
    blocked(bash(w, 'mkdir -p node_modules/hookwarden && ln -s /tmp/evil node_modules/hookwarden/dist', { install, cwd: sub }), 'a link at the dist folder');
    // From the project root nothing is looked up before the real build.
    assert.deepEqual(loaderShadows(dist, w.project, w.project), []);
    assert.equal(write(w, path.join(w.project, 'node_modules', 'other', 'index.js'), { install }).decision, 'allow');
  });
});

describe('agent files that can switch the hooks off', () => {
  test('Claude: plugins (hooks.json, marketplaces, installed list), .claude.json, local settings at both levels, project settings, managed settings', () => {
    const w = world();
    const files = [
      '~/.claude/plugins/cache/m/p/1.0.0/hooks/hooks.json',
      '~/.claude/plugins/installed_plugins.json',
      '~/.claude/plugins/known_marketplaces.json',
      '~/.claude/plugins/marketplaces/m/.claude-plugin/marketplace.json',
      '~/.claude.json',
      '~/.claude.json.backup',
      '~/.claude/backups/.claude.json.backup.1',
      '~/.claude/settings.json',
      '~/.claude/settings.local.json',
      './.claude/settings.json',
      './.claude/settings.local.json',
      '/etc/claude-code/managed-settings.json',
      '/Library/Application Support/ClaudeCode/managed-settings.json',
    ];
    for (const f of files) {
      const abs = f.startsWith('~/') ? path.join(w.home, f.slice(2)) : path.resolve(w.project, f);
      blocked(write(w, abs), f);
      blocked(bash(w, `rm -rf ${JSON.stringify(abs)}`), `rm ${f}`);
    }
    blocked(bash(w, `rm -rf ${w.home}/.claude/plugins`), 'rm the plugins folder');
    blocked(bash(w, `echo '{"disableAllHooks":true}' > .claude/settings.local.json`), 'disableAllHooks');
    // Other files under ~/.claude stay writable (memory, commands).
    assert.equal(write(w, path.join(w.home, '.claude', 'CLAUDE.md')).decision, 'allow');
  });

  test('Claude with CLAUDE_CONFIG_DIR: its plugins, .claude.json and backups too', () => {
    const w = world();
    const dir = path.join(w.root, 'claude-cfg');
    const env = { CLAUDE_CONFIG_DIR: dir };
    for (const f of ['plugins/cache/m/p/hooks/hooks.json', 'plugins/installed_plugins.json', '.claude.json', 'settings.local.json', 'backups/.claude.json.backup.2']) {
      blocked(write(w, path.join(dir, f), { env }), f, 'self.agents');
    }
  });

  test('Codex: project .codex/config.toml and hooks.json, CODEX_HOME files, system config', () => {
    const w = world();
    const codexHome = path.join(w.root, 'codex-home');
    const env = { CODEX_HOME: codexHome };
    for (const f of [path.join(w.project, '.codex', 'config.toml'), path.join(w.project, '.codex', 'hooks.json'), path.join(w.project, 'sub', '.codex', 'hooks.json'),
      path.join(codexHome, 'config.toml'), path.join(codexHome, 'hooks.json'), path.join(codexHome, 'plugins', 'x', 'hooks', 'hooks.json'),
      '/etc/codex/requirements.toml', '/etc/codex/config.toml']) {
      blocked(write(w, f, { env }), f);
    }
  });
});

describe('check decides as the hook for every live self path', () => {
  test('the Node executable, the build, PATH nodes, CODEX_HOME and CLAUDE_CONFIG_DIR files, the config and audit files', () => {
    const s = sandbox();
    try {
      const codexHome = path.join(s.root, 'codex-home');
      const claudeDir = path.join(s.root, 'claude-cfg');
      const early = path.join(s.root, 'early-bin');
      fs.mkdirSync(early, { recursive: true });
      const env = { ...s.env, CODEX_HOME: codexHome, CLAUDE_CONFIG_DIR: claudeDir, PATH: `${early}:${path.dirname(process.execPath)}:${s.env.PATH}`, HOOKWARDEN_DAEMON: 'off' };
      const paths = [
        process.execPath,
        path.join(early, 'node'),
        path.join(DIST, 'hooks', 'pre-tool-use.js'),
        path.join(DIST, 'hooks', 'pre-tool-use.code.cache'),
        path.join(DIST, 'cli.js'),
        path.join(codexHome, 'config.toml'),
        path.join(codexHome, 'hooks.json'),
        path.join(claudeDir, 'settings.json'),
        path.join(claudeDir, 'plugins', 'installed_plugins.json'),
        path.join(s.env.HOME!, '.claude.json'),
        path.join(s.env.XDG_CONFIG_HOME!, 'hookwarden', 'config.json'),
        s.auditFile,
        path.join(s.project, '.hookwarden', 'config.json'),
        path.join(s.project, 'src', 'app.ts'),
      ];
      for (const p of paths) {
        const hook = runHookSync('pre-tool-use', JSON.stringify(claudePayload(s.project, 'Write', { file_path: p, content: '' })), env, s.project);
        const hookBlocks = hook.status === 2 || /"deny"/.test(hook.stdout);
        const check = spawnSync(process.execPath, [path.join(DIST, 'cli.js'), 'check', '--agent', 'claude', '--json', '--write', p], { cwd: s.project, env, encoding: 'utf8' });
        assert.ok(check.status === 0 || check.status === 1, `${p}: check failed: ${check.stderr}`);
        const verdict = JSON.parse(check.stdout) as { decision: string; rule: string | null };
        assert.equal(verdict.decision !== 'allow', hookBlocks, `${p}: check ${verdict.decision}, hook ${hook.status} ${hook.stderr.trim()}`);
        if (hookBlocks) assert.match(hook.stderr + hook.stdout, new RegExp(`rule ${String(verdict.rule).replace('.', '\\.')}`), p);
        if (p !== paths[paths.length - 1]) assert.ok(hookBlocks, `${p} is a live self path`);
      }
    } finally {
      s.cleanup();
    }
  });
});
