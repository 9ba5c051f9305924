// The self preset on a live installation (issue 13, finding 4): the guard's own files, known from
// where the hook runs, the agent config files the environment names, every layer's config file and
// the configured audit files are protected by locked rules, through links and parent renames too.
// Real files in temp dirs; the last tests run the built hook and CLI (`npm run build` first).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import type { Verdict } from '../../lib/types.js';
import { installOf, liveSelfRules, literal, type Install } from '../../rules/live.js';
import { DIST, claudePayload, runHookSync, sandbox } from '../helpers/hook.js';
import { bash, world as makeWorld, write, type World } from '../helpers/self-world.js';
import { tempDirs } from '../helpers/tmp.js';

const tmp = tempDirs('hw-self-');

/** A fake install: `<root>/<...pkg>/dist` holding the files a build holds. */
function fakeInstall(root: string, pkg = 'pkg'): { dist: string; install: Install } {
  const dist = path.join(root, pkg, 'dist');
  fs.mkdirSync(path.join(dist, 'hooks'), { recursive: true });
  for (const f of ['pre-tool-use.js', 'pre-tool-use.code.js', 'pre-tool-use.code.cache', 'client.js', 'daemon.js', 'code-cache.js',
    'mvdan-sh.js', 'mvdan-sh.cache']) fs.writeFileSync(path.join(dist, 'hooks', f), '// built\n');
  fs.writeFileSync(path.join(dist, 'cli.js'), '// built\n');
  fs.writeFileSync(path.join(dist, 'package.json'), '{"type":"commonjs"}\n');
  fs.mkdirSync(path.join(root, pkg, 'src'), { recursive: true });
  return { dist, install: { dist } };
}

const world = (): World => makeWorld(fs.realpathSync(tmp()));

function blocked(v: Verdict, rule: string, what: string): void {
  assert.equal(v.decision, 'deny', `${what}: ${v.reason ?? 'allowed'}`);
  assert.equal(v.rule, rule, `${what}: ${v.reason}`);
  assert.equal(v.layer, 'builtin:self', what);
}

describe('the installed guard itself', () => {
  test('a Write to the hook entry, its bundle, code caches, the shell parser, the daemon, the client is blocked', () => {
    const w = world();
    const { dist, install } = fakeInstall(w.root);
    for (const f of ['hooks/pre-tool-use.js', 'hooks/pre-tool-use.code.js', 'hooks/pre-tool-use.code.cache', 'hooks/mvdan-sh.js',
      'hooks/mvdan-sh.cache', 'hooks/daemon.js', 'hooks/client.js', 'hooks/code-cache.js', 'cli.js', 'package.json', 'hooks/new.js']) {
      blocked(write(w, path.join(dist, f), { install }), 'self.install', f);
    }
    // Without the install (a library caller that gives none) nothing names these files.
    assert.equal(write(w, path.join(dist, 'hooks', 'pre-tool-use.js')).decision, 'allow');
  });

  test('removing, moving, chmod-ing the build or renaming its parent is blocked; the package beside it is not', () => {
    const w = world();
    const { dist, install } = fakeInstall(w.root);
    const pkg = path.dirname(dist);
    for (const cmd of [`rm -rf ${dist}`, `mv ${dist} ${dist}.old`, `mv ${pkg} ${pkg}.old`, `rm -rf ${pkg}`,
      `chmod -x ${dist}/hooks/pre-tool-use.js`, `cp /dev/null ${dist}/hooks/pre-tool-use.code.js`, `ln -sf /bin/true ${dist}/hooks/client.js`]) {
      blocked(bash(w, cmd, { install }), 'self.install', cmd);
    }
    assert.equal(write(w, path.join(pkg, 'src', 'app.ts'), { install }).decision, 'allow');
    // Installed as a plugin, the package folder is the plugin root: its hooks file and manifests register the guard.
    for (const f of ['hooks.json', '.claude-plugin/plugin.json', '.codex-plugin/plugin.json']) {
      blocked(write(w, path.join(pkg, f), { install }), 'self.install', f);
    }
    assert.equal(write(w, path.join(w.project, 'src', 'app.ts'), { install }).decision, 'allow');
  });

  test('through a link to the build, and with the build reached through a linked folder', () => {
    const w = world();
    const { dist, install } = fakeInstall(w.root);
    fs.symlinkSync(path.join(dist, 'hooks'), path.join(w.project, 'h'));
    blocked(write(w, path.join(w.project, 'h', 'pre-tool-use.js'), { install }), 'self.install', 'via a link in the project');
    // The hook knows its folder by a path through a link: the real files are protected as well.
    fs.symlinkSync(w.root, path.join(w.home, 'via'));
    const linked = { dist: path.join(w.home, 'via', 'pkg', 'dist') };
    blocked(write(w, path.join(dist, 'hooks', 'pre-tool-use.js'), { install: linked }), 'self.install', 'real path');
    blocked(write(w, path.join(linked.dist, 'hooks', 'daemon.js'), { install: linked }), 'self.install', 'linked path');
  });

  test('a build folder whose name holds glob characters is still matched', () => {
    const w = world();
    const { dist, install } = fakeInstall(w.root, 'we[ir]d {dir} (x)*?!');
    blocked(write(w, path.join(dist, 'hooks', 'pre-tool-use.js'), { install }), 'self.install', dist);
    assert.equal(write(w, path.join(w.root, 'weXirX {dir} (x)*?!', 'dist', 'x'), { install }).decision, 'allow');
  });

  test('the Node the hooks run on, the npm links to the executables, the forwarder', () => {
    const w = world();
    const prefix = path.join(w.root, 'prefix');
    const { install } = fakeInstall(path.join(prefix, 'lib', 'node_modules'), 'hookwarden');
    const node = path.join(w.home, '.nvm', 'versions', 'node', 'v20', 'bin', 'node');
    const o = { install: { ...install, node } };
    blocked(write(w, node, o), 'self.install', 'node');
    blocked(write(w, path.join(prefix, 'bin', 'hookwarden-pre-tool-use'), o), 'self.install', 'global bin link');
    blocked(write(w, path.join(w.project, 'node_modules', '.bin', 'hookwarden'), o), 'self', 'local bin link');
    assert.equal(write(w, path.join(prefix, 'bin', 'other'), o).decision, 'allow');
    // The forwarder the hooks start, when the environment names another one.
    blocked(write(w, path.join(w.root, 'fwd.js'), { ...o, env: { HOOKWARDEN_CLI: path.join(w.root, 'fwd.js') } }), 'self.install', 'HOOKWARDEN_CLI');
  });

  test('the daemon socket folders', () => {
    const w = world();
    const run = path.join(w.root, 'run');
    const env = { XDG_RUNTIME_DIR: run, TMPDIR: path.join(w.root, 'tmp') };
    blocked(bash(w, `rm -f ${run}/hookwarden/abc.sock`, { env }), 'self.install', 'runtime dir');
    blocked(bash(w, `rm -rf ${w.root}/tmp/hookwarden-1000`, { env }), 'self.install', 'tmp dir');
    blocked(bash(w, 'rm -rf /tmp/hookwarden-1000/x.sock', { env }), 'self.install', '/tmp');
    blocked(bash(w, 'mv /tmp/hookwarden-user /tmp/x', { env }), 'self.install', 'no uid');
    // The installer's probe works in scratch folders of a similar name: those are not the sockets.
    assert.equal(bash(w, 'printf x > /tmp/hookwarden-probe-abc/notes.txt', { env }).decision, 'allow');
  });

  test('installOf takes the build folder from the hooks folder', () => {
    assert.deepEqual(installOf('/opt/hw/dist/hooks', '/usr/bin/node'), { dist: '/opt/hw/dist', node: '/usr/bin/node' });
    assert.deepEqual(installOf('/home/u/copied-hooks'), { dist: '/home/u/copied-hooks' });
    assert.equal(installOf(undefined), undefined);
    assert.equal(installOf('relative/hooks'), undefined);
  });
});

describe('agent config files named by the environment', () => {
  test('CODEX_HOME that is not a folder named .codex', () => {
    const w = world();
    const codexHome = path.join(w.root, 'codexhome');
    const env = { CODEX_HOME: codexHome };
    for (const f of ['hooks.json', 'config.toml', 'requirements.toml', 'plugins/p/hooks.json']) {
      blocked(write(w, path.join(codexHome, f), { env }), 'self.agents', f);
    }
    blocked(bash(w, `sed -i '/trusted_hash/d' ${codexHome}/config.toml`, { env }), 'self.agents', 'sed -i');
    assert.equal(write(w, path.join(codexHome, 'hooks.json')).decision, 'allow', 'without CODEX_HOME it is an ordinary folder');
  });

  test('CLAUDE_CONFIG_DIR settings', () => {
    const w = world();
    const dir = path.join(w.root, 'claudecfg');
    for (const f of ['settings.json', 'settings.local.json']) {
      blocked(write(w, path.join(dir, f), { env: { CLAUDE_CONFIG_DIR: dir } }), 'self.agents', f);
    }
  });

  test('a .claude/settings.json reached through a link is still the project settings', () => {
    const w = world();
    const elsewhere = path.join(w.root, 'elsewhere');
    fs.mkdirSync(elsewhere);
    fs.symlinkSync(elsewhere, path.join(w.project, '.claude'));
    blocked(write(w, path.join(w.project, '.claude', 'settings.json')), 'self', '.claude -> elsewhere');
    fs.writeFileSync(path.join(elsewhere, 'settings.json'), '{}');
    fs.symlinkSync(path.join(w.project, '.claude', 'settings.json'), path.join(w.project, 's.json'));
    blocked(write(w, path.join(w.project, 's.json')), 'self.agents', 'link to the settings');
  });

  test("the login shell's start-up files (Codex runs hooks through $SHELL -lc), ZDOTDIR too", () => {
    const w = world();
    for (const f of ['.bashrc', '.profile', '.bash_profile', '.zshenv']) blocked(write(w, path.join(w.home, f)), 'self.shell-startup', f);
    blocked(bash(w, 'echo exit 0 >> ~/.profile'), 'self.shell-startup', '>> ~/.profile');
    blocked(write(w, path.join(w.root, 'zd', '.zshenv'), { env: { ZDOTDIR: path.join(w.root, 'zd') } }), 'self.agents', 'ZDOTDIR');
  });
});

describe('config of every layer and the audit state', () => {
  test('the file named by HOOKWARDEN_CONFIG', () => {
    const w = world();
    const cfg = path.join(w.root, 'elsewhere', 'hw.json');
    fs.mkdirSync(path.dirname(cfg));
    fs.writeFileSync(cfg, '{}');
    blocked(write(w, cfg, { env: { HOOKWARDEN_CONFIG: cfg } }), 'self.config', 'HOOKWARDEN_CONFIG');
    blocked(bash(w, `echo '{"presets":{"self":false}}' > ${cfg}`, { env: { HOOKWARDEN_CONFIG: cfg } }), 'self.config', 'redirect');
    blocked(bash(w, `mv ${path.dirname(cfg)} /tmp/gone-${process.pid}`, { env: { HOOKWARDEN_CONFIG: cfg } }), 'self.config', 'parent rename');
  });

  test('configured audit file (with its lock and rotations) and spool folder', () => {
    const w = world();
    const logs = path.join(w.root, 'logs');
    const spool = path.join(w.root, 'spool');
    fs.mkdirSync(path.join(w.env.XDG_CONFIG_HOME, 'hookwarden'), { recursive: true });
    fs.writeFileSync(path.join(w.env.XDG_CONFIG_HOME, 'hookwarden', 'config.json'), JSON.stringify({
      audit: { sinks: [{ type: 'file', path: path.join(logs, 'audit.jsonl') }], spool: { dir: spool } },
    }));
    for (const f of ['audit.jsonl', 'audit.jsonl.lock', 'audit.jsonl.lock/x', 'audit-20261206T101010.123Z.jsonl']) {
      blocked(write(w, path.join(logs, f)), 'self.audit', f);
    }
    blocked(write(w, path.join(spool, 'http-x', '0000000000000001.jsonl')), 'self.audit', 'spool');
    fs.mkdirSync(logs);
    fs.writeFileSync(path.join(logs, 'audit.jsonl'), '');
    blocked(bash(w, `rm -rf ${logs}`), 'self.audit', 'rm -rf the log folder');
    assert.equal(write(w, path.join(logs, 'other.txt')).decision, 'allow');
  });

  test('a project config cannot name audit files (nor protect them); a user rule cannot replace a live rule', () => {
    const w = world();
    fs.mkdirSync(path.join(w.project, '.hookwarden'));
    fs.writeFileSync(path.join(w.project, '.hookwarden', 'config.json'), JSON.stringify({
      audit: { sinks: [{ type: 'file', path: path.join(w.project, 'src', 'app.ts') }] },
    }));
    assert.equal(write(w, path.join(w.project, 'src', 'app.ts')).decision, 'allow');
    const w2 = world();
    const { dist, install } = fakeInstall(w2.root);
    fs.mkdirSync(path.join(w2.env.XDG_CONFIG_HOME, 'hookwarden'), { recursive: true });
    fs.writeFileSync(path.join(w2.env.XDG_CONFIG_HOME, 'hookwarden', 'config.json'), JSON.stringify({
      rules: [{ id: 'self.install', effect: 'allow', paths: ['/**'] }],
    }));
    blocked(write(w2, path.join(dist, 'hooks', 'pre-tool-use.js'), { install }), 'self.install', 'locked');
  });
});

describe('liveSelfRules', () => {
  test('nothing to add without an install or variables; every rule locked deny on write, delete, move', () => {
    const base = { home: '/h', env: {}, cwd: '/p', root: '/p', platform: 'linux' as const, configFiles: [], layers: [] };
    const none = liveSelfRules(base).filter((r) => r.id !== 'self.install');
    assert.deepEqual(none.map((r) => [r.id, r.paths]), [
      ['self.agents', ['/p/.claude/settings.json', '/p/.claude/settings.local.json', '/p/.codex/**', '/h/.claude/settings.json',
        '/h/.claude/settings.local.json', '/h/.codex/**']],
      ['self.config', ['/p/.hookwarden/**']],
    ]);
    const all = liveSelfRules({ ...base, install: { dist: '/opt/hw/dist', node: '/usr/bin/node' },
      env: { CODEX_HOME: '/c', CLAUDE_CONFIG_DIR: '/d' }, configFiles: ['/h/.config/hookwarden/config.json'] });
    assert.deepEqual(all.map((r) => r.id), ['self.install', 'self.agents', 'self.config']);
    for (const r of all) assert.deepEqual([r.effect, r.ops, r.locked], ['deny', ['write', 'delete', 'move'], true]);
  });

  test('literal makes glob characters single-character wildcards', () => {
    assert.equal(literal('/a/[b]{c}(d)*?!+@\\e', 'linux'), '/a/?b??c??d???????e');
  });
});

describe('the built hook and CLI know where they are installed', () => {
  test('a Claude Write to the running hook bundle is blocked by the hook itself', () => {
    const s = sandbox();
    try {
      // Through the daemon (the default) and in the hook process itself.
      for (const env of [s.env, { ...s.env, HOOKWARDEN_DAEMON: 'off' }]) {
        for (const f of ['pre-tool-use.js', 'pre-tool-use.code.js', 'mvdan-sh.js', 'daemon.js']) {
          const payload = JSON.stringify(claudePayload(s.project, 'Write', { file_path: path.join(DIST, 'hooks', f), content: '' }));
          const r = runHookSync('pre-tool-use', payload, env, s.project);
          assert.equal(r.status, 2, `${f}: ${r.stderr}`);
          assert.match(r.stderr, /rule self\.install/, f);
        }
      }
      const rm = JSON.stringify(claudePayload(s.project, 'Bash', { command: `rm -rf ${DIST}` }));
      assert.equal(runHookSync('pre-tool-use', rm, s.env, s.project).status, 2);
    } finally {
      s.cleanup();
    }
  });

  test('hookwarden check judges its own install the same way', () => {
    const s = sandbox();
    try {
      const r = spawnSync(process.execPath, [path.join(DIST, 'cli.js'), 'check', '--agent', 'claude', '--json', '--write', path.join(DIST, 'hooks', 'client.js')],
        { cwd: s.project, env: s.env, encoding: 'utf8' });
      assert.equal(r.status, 1, r.stderr);
      assert.equal((JSON.parse(r.stdout) as { rule: string }).rule, 'self.install');
    } finally {
      s.cleanup();
    }
  });
});
