// install is all or nothing and says so in --json; uninstall removes exactly what install added;
// project-scope registrations are portable or refused. Through the built CLI, on real files.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { InstallResultSchema, type InstallResult } from '../../cli/install/result.js';
import { REPO } from './install/helpers.js';
import { tree } from './install/roundtrip.property.test.js';
import { CLI, cli, json, makeEnv, OTHER_HOOKS, OTHER_SETTINGS, seedOtherTools, type Env } from './install-fixtures.js';

/** The agents' trees (the state folder, hookwarden's own, left out). */
const agentTree = (e: Env) => Object.fromEntries(Object.entries(tree(e.root)).filter(([k]) => !k.startsWith('state')));

const NOBODY = 65534;
const asNobody = process.getuid?.() === 0 && spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim() === String(NOBODY);

describe('install is all or nothing', () => {
  let e: Env;
  before(() => {
    e = makeEnv({ withPath: false });
  });
  after(() => e.cleanup());

  it('a settings.json it cannot read stops the run before the first write; --json still prints one document with the error', () => {
    seedOtherTools(e);
    fs.writeFileSync(path.join(e.home, '.claude', 'settings.json'), '{ "model": "opus", }\n');
    const snap = agentTree(e);
    const r = cli(e, ['install', '--json']);
    assert.equal(r.status, 2);
    const doc = InstallResultSchema.parse(json<InstallResult>(r));
    assert.match(doc.error ?? '', /settings\.json: invalid JSON: .*; nothing was changed$/);
    assert.deepEqual([doc.changed, doc.files, doc.agents], [false, [], ['codex', 'claude']]);
    assert.deepEqual(agentTree(e), snap, 'codex files untouched although codex comes first');
    assert.equal(fs.readFileSync(path.join(e.codexHome, 'hooks.json'), 'utf8'), OTHER_HOOKS);
  });

  it('a usage error with --json is a document too; without --json one line on stderr', () => {
    const r = cli(e, ['install', '--agent', 'vim', '--json']);
    assert.equal(r.status, 2);
    assert.match(InstallResultSchema.parse(json<InstallResult>(r)).error ?? '', /--agent must be codex, claude or all, not vim/);
    const plain = cli(e, ['uninstall', '--agent', 'vim']);
    assert.deepEqual([plain.status, plain.stdout, plain.stderr], [2, '', 'hookwarden: --agent must be codex, claude or all, not vim\n']);
  });

  it('a write that fails half-way (Claude\'s folder not writable) puts back the Codex files already written', { skip: !asNobody && 'needs root to run the CLI as nobody' }, () => {
    const u = makeEnv({ withPath: false });
    try {
      const files = seedOtherTools(u);
      // Everything the user's, but ~/.claude belongs to root: the CLI, run as nobody, cannot write there.
      spawnSync('chown', ['-R', `${NOBODY}:${NOBODY}`, u.root]);
      spawnSync('chown', ['-R', '0:0', path.dirname(files.settings)]);
      const snap = agentTree(u);
      const r = spawnSync(process.execPath, [CLI, 'install', '--json'], { cwd: u.project, env: u.env, encoding: 'utf8', uid: NOBODY, gid: NOBODY });
      assert.equal(r.status, 2, r.stderr);
      const doc = InstallResultSchema.parse(JSON.parse(r.stdout));
      assert.match(doc.error ?? '', /settings\.json: cannot write: EACCES; nothing was changed$/);
      assert.deepEqual(agentTree(u), snap, 'hooks.json and config.toml restored byte for byte, no temp file left');
      assert.equal(fs.readFileSync(files.settings, 'utf8'), OTHER_SETTINGS);
      assert.equal(fs.existsSync(path.join(u.root, 'state', 'hookwarden', 'install', 'manifest.json')), false, 'nothing recorded');
    } finally {
      u.cleanup();
    }
  });
});

describe('uninstall removes exactly what install added (the cases the issue found)', () => {
  let e: Env;
  before(() => {
    e = makeEnv(); // codex on PATH: keys and hashes from app-server, asked in a scratch home
    fs.mkdirSync(path.join(e.project, 'node_modules'));
    fs.symlinkSync(REPO, path.join(e.project, 'node_modules', 'hookwarden'));
  });
  after(() => e.cleanup());

  const roundTrip = (args: string[], uninstallArgs = args) => {
    const snap = agentTree(e);
    const i = json<InstallResult>(cli(e, ['install', ...args, '--json']));
    assert.equal(i.error, null);
    assert.equal(i.changed, true);
    const u = json<InstallResult>(cli(e, ['uninstall', ...uninstallArgs, '--json']));
    assert.equal(u.error, null);
    assert.deepEqual(agentTree(e), snap);
  };

  it('a trust_level the user had before stays (also with uninstall --trust-project)', () => {
    fs.mkdirSync(e.codexHome, { recursive: true });
    fs.writeFileSync(path.join(e.codexHome, 'config.toml'), `# mine\n[projects.${JSON.stringify(e.project)}]\ntrust_level = "trusted"\n`);
    roundTrip(['--agent', 'codex', '--scope', 'project', '--trust-project']);
    fs.rmSync(path.join(e.codexHome, 'config.toml'));
  });

  it('no ~/.claude, no .codex, no backup file is left behind where there was none', () => {
    fs.rmSync(e.codexHome, { recursive: true, force: true });
    roundTrip(['--agent', 'claude']);
    assert.equal(fs.existsSync(path.join(e.home, '.claude')), false);
    roundTrip(['--agent', 'all', '--scope', 'project', '--trust-project']);
    assert.equal(fs.existsSync(path.join(e.project, '.codex')), false);
    assert.equal(fs.existsSync(path.join(e.project, '.claude')), false);
    roundTrip(['--agent', 'codex']);
    assert.equal(fs.existsSync(e.codexHome), false);
  });

  it('a pre-existing empty "hooks": {} stays', () => {
    fs.mkdirSync(path.join(e.home, '.claude'), { recursive: true });
    fs.writeFileSync(path.join(e.home, '.claude', 'settings.json'), '{\n  "hooks": {}\n}\n');
    roundTrip(['--agent', 'claude']);
    assert.equal(fs.readFileSync(path.join(e.home, '.claude', 'settings.json'), 'utf8'), '{\n  "hooks": {}\n}\n');
  });

  it('a file changed after install loses only hookwarden\'s entries; what install created goes, what was there stays', () => {
    const settings = path.join(e.home, '.claude', 'settings.json');
    fs.writeFileSync(settings, '{\n  "hooks": {}\n}\n');
    cli(e, ['install', '--agent', 'claude']);
    const doc = JSON.parse(fs.readFileSync(settings, 'utf8')) as Record<string, unknown>;
    fs.writeFileSync(settings, JSON.stringify({ ...doc, model: 'opus' }, null, 2));
    cli(e, ['uninstall', '--agent', 'claude']);
    assert.deepEqual(JSON.parse(fs.readFileSync(settings, 'utf8')), { hooks: {}, model: 'opus' });
  });

  it('uninstall without an install record (an older install) removes hookwarden\'s entries, never another tool\'s or the user\'s trust', () => {
    const config = path.join(e.codexHome, 'config.toml');
    fs.mkdirSync(e.codexHome, { recursive: true });
    fs.writeFileSync(config, `[projects.${JSON.stringify(e.project)}]\ntrust_level = "trusted"\n`);
    cli(e, ['install', '--agent', 'codex', '--scope', 'project']);
    fs.rmSync(path.join(e.root, 'state', 'hookwarden', 'install'), { recursive: true });
    const r = json<InstallResult>(cli(e, ['uninstall', '--agent', 'codex', '--scope', 'project', '--trust-project', '--json']));
    assert.equal(r.handlers.length, 7);
    assert.ok(r.warnings.some((w) => /left \[projects\..*trust_level.*did not write it/.test(w)), r.warnings.join('\n'));
    assert.equal(fs.readFileSync(config, 'utf8'), `[projects.${JSON.stringify(e.project)}]\ntrust_level = "trusted"\n`);
  });
});

describe('project scope: portable or refused', () => {
  let e: Env;
  before(() => {
    e = makeEnv({ withPath: false });
  });
  after(() => e.cleanup());

  it('a hookwarden outside the project is refused with the reason and the way out; nothing written', () => {
    const snap = agentTree(e);
    const r = cli(e, ['install', '--scope', 'project']);
    assert.equal(r.status, 2);
    assert.equal(r.stderr.split('\n').length, 2, 'one line');
    assert.match(r.stderr, /--scope project: .* is outside the project .*usually committed.*absolute paths; .*npm install --save-dev hookwarden.*--scope user.*--absolute-paths/);
    assert.deepEqual(agentTree(e), snap);
  });

  it('--absolute-paths registers this machine\'s paths when asked', () => {
    const r = json<InstallResult>(cli(e, ['install', '--agent', 'claude', '--scope', 'project', '--absolute-paths', '--json']));
    assert.ok(r.handlers.every((h) => h.command.includes(REPO)));
    cli(e, ['uninstall', '--agent', 'claude', '--scope', 'project']);
  });

  it('hookwarden in node_modules: committed files hold no path of this machine, and the hooks run from a teammate\'s clone elsewhere', () => {
    fs.mkdirSync(path.join(e.project, 'node_modules'));
    fs.symlinkSync(REPO, path.join(e.project, 'node_modules', 'hookwarden'));
    const r = json<InstallResult>(cli(e, ['install', '--scope', 'project', '--trust-project', '--json']));
    assert.equal(r.error, null);
    const committed = [path.join(e.project, '.claude', 'settings.json'), path.join(e.project, '.codex', 'hooks.json')];
    for (const f of committed) {
      const text = fs.readFileSync(f, 'utf8');
      for (const local of [e.root, REPO, process.execPath]) assert.ok(!text.includes(local), `${f} names ${local}`);
    }
    // The teammate: the same committed files in another folder, with hookwarden installed there.
    const mate = path.join(e.root, 'teammate', 'app');
    fs.mkdirSync(path.join(mate, 'src'), { recursive: true });
    fs.mkdirSync(path.join(mate, '.git'));
    fs.cpSync(path.join(e.project, '.claude'), path.join(mate, '.claude'), { recursive: true });
    fs.mkdirSync(path.join(mate, 'node_modules'));
    fs.symlinkSync(REPO, path.join(mate, 'node_modules', 'hookwarden'));
    const settings = JSON.parse(fs.readFileSync(path.join(mate, '.claude', 'settings.json'), 'utf8')) as { hooks: Record<string, { hooks: { command: string }[] }[]> };
    const guard = settings.hooks.PreToolUse?.[0]?.hooks[0]?.command as string;
    const payload = JSON.stringify({ session_id: 's', transcript_path: path.join(mate, 't.jsonl'), cwd: path.join(mate, 'src'), permission_mode: 'default', hook_event_name: 'PreToolUse', tool_name: 'Write', tool_input: { file_path: path.join(mate, '.env'), content: 'X=1' }, tool_use_id: 'toolu_1' });
    const env = { ...e.env, CLAUDE_PROJECT_DIR: mate };
    const blocked = spawnSync('sh', ['-c', guard], { cwd: path.join(mate, 'src'), env, input: payload, encoding: 'utf8' });
    assert.equal(blocked.status, 2, blocked.stderr);
    assert.match(blocked.stderr, /^hookwarden: blocked write to \.env/);
    // Without hookwarden in the clone: blocked with one readable line, not a stack trace.
    fs.rmSync(path.join(mate, 'node_modules'), { recursive: true });
    const missing = spawnSync('sh', ['-c', guard], { cwd: mate, env, input: payload, encoding: 'utf8' });
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /^hookwarden: cannot load the guard \(MODULE_NOT_FOUND: [^\n]*node_modules\/hookwarden\/dist\/hooks\/pre-tool-use\.js\)\n$/);
  });

  it('a cloned repository whose .claude or .codex links out of it cannot make install or uninstall touch the user\'s files', () => {
    const repo = path.join(e.root, 'cloned');
    fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
    fs.mkdirSync(path.join(repo, 'node_modules'));
    fs.symlinkSync(REPO, path.join(repo, 'node_modules', 'hookwarden'));
    cli(e, ['install', '--agent', 'claude']); // the user's own registration, in ~/.claude/settings.json
    fs.symlinkSync(path.join(e.home, '.claude'), path.join(repo, '.claude'));
    fs.mkdirSync(e.codexHome, { recursive: true });
    fs.symlinkSync(e.codexHome, path.join(repo, '.codex'));
    const snap = agentTree(e);
    for (const [cmd, agent] of [['uninstall', 'claude'], ['install', 'claude'], ['uninstall', 'codex'], ['install', 'codex']]) {
      const r = cli(e, [cmd as string, '--agent', agent as string, '--scope', 'project'], repo);
      assert.equal(r.status, 2, `${cmd} ${agent}: ${r.stdout}`);
      assert.match(r.stderr, /leads out of the project .*links are not followed out of it; nothing was changed\n$/);
    }
    assert.deepEqual(agentTree(e), snap);
    cli(e, ['uninstall', '--agent', 'claude']);
    fs.rmSync(repo, { recursive: true });
  });

  it('doctor finds the portable registration and probes it', () => {
    const r = cli(e, ['doctor', '--agent', 'claude', '--json']);
    const doc = JSON.parse(r.stdout) as { checks: { name: string; status: string; detail: string }[] };
    const mine = doc.checks.filter((c) => (c.name === 'registration' || c.name === 'probe') && c.status !== 'skip');
    assert.ok(mine.length > 0);
    assert.deepEqual(mine.filter((c) => c.status !== 'ok'), [], JSON.stringify(mine, null, 1));
  });
});
