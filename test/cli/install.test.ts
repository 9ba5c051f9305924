// `hookwarden install` / `uninstall` through the built CLI, against temporary CODEX_HOME and HOME
// folders that already hold other tools' hooks and a hand-written config.toml with comments.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { listHooks } from '../../cli/install/app-server.js';
import { loader } from '../../cli/install/plan.js';
import type { HookScript } from '../../lib/hooks-catalog.js';
import { InstallResultSchema, type InstallResult } from '../../cli/install/result.js';
import { codexBin, DIST, REPO } from './install/helpers.js';
import { backupsIn, cli, handConfig, json, makeEnv, OTHER_HOOKS, OTHER_SETTINGS, seedOtherTools, type Env } from './install-fixtures.js';

// The guard's command fails closed at the shell level too (a missing Node or bundle blocks).
const cmd = (script: HookScript) => `"${process.execPath}" -e '${loader(script)}' "${path.join(DIST, 'hooks', `${script}.js`)}"${script === 'pre-tool-use' ? ' || exit 2' : ''}`;
const STATUS = 'hookwarden: checking protected paths';

/** A hookwarden group as the 4-space file renders it, starting at `ind`. The oracle for exact comparison. */
function group(ind: string, script: HookScript, timeout: number, matcher?: string): string {
  const i = (n: number) => ind + '    '.repeat(n);
  return [
    '{',
    ...(matcher ? [`${i(1)}"matcher": ${JSON.stringify(matcher)},`] : []),
    `${i(1)}"hooks": [`,
    `${i(2)}{`,
    `${i(3)}"type": "command",`,
    `${i(3)}"command": ${JSON.stringify(cmd(script))},`,
    `${i(3)}"timeout": ${timeout}${matcher ? ',' : ''}`,
    ...(matcher ? [`${i(3)}"statusMessage": ${JSON.stringify(STATUS)}`] : []),
    `${i(2)}}`,
    `${i(1)}]`,
    `${ind}}`,
  ].join('\n');
}
const I12 = ' '.repeat(12);
const newEvent = (event: string, script: HookScript, timeout: number) => `        ${JSON.stringify(event)}: [\n${I12}${group(I12, script, timeout)}\n        ]`;

const EXPECTED_HOOKS = `{
    "description": "team hooks",
    "hooks": {
        "PreToolUse": [
            {
                "matcher": "Bash",
                "hooks": [
                    { "type": "command", "command": "other-tool check", "timeout": 5 }
                ]
            },
            ${group(I12, 'pre-tool-use', 30, '*')}
        ],
        "Stop": [
            {
                "hooks": [
                    { "type": "command", "command": "notify-send done" }
                ]
            },
            ${group(I12, 'audit-event', 10)}
        ],
${[
    newEvent('PostToolUse', 'post-tool-use', 30), newEvent('SessionStart', 'audit-event', 10), newEvent('UserPromptSubmit', 'audit-event', 10),
    newEvent('PermissionRequest', 'audit-event', 10), newEvent('SessionEnd', 'audit-event', 3),
  ].join(',\n')}
    }
}
`;

const OUR_KEYS = ['pre_tool_use:1:0', 'stop:1:0', 'post_tool_use:0:0', 'session_start:0:0', 'user_prompt_submit:0:0', 'permission_request:0:0', 'session_end:0:0'];

describe('install into homes that hold other tools\' hooks', () => {
  let e: Env;
  let files: { hooks: string; config: string; settings: string };
  let first: InstallResult;
  let installed: Record<string, string>;
  before(() => {
    e = makeEnv();
    files = seedOtherTools(e);
    first = json<InstallResult>(cli(e, ['install', '--json']));
    installed = Object.fromEntries(Object.values(files).map((f) => [f, fs.readFileSync(f, 'utf8')]));
  });
  after(() => e.cleanup());

  it('reports what it did in a document valid against the install schema', () => {
    InstallResultSchema.parse(first);
    assert.equal(first.changed, true);
    assert.deepEqual(first.files.map((f) => [path.basename(f.path), f.action]), [['hooks.json', 'updated'], ['config.toml', 'updated'], ['settings.json', 'updated']]);
    assert.equal(first.trust?.source, 'app-server');
    assert.equal(first.trust?.codex, codexBin());
    assert.equal(first.handlers.length, 14);
  });

  it('hooks.json: hookwarden\'s groups after the other tool\'s, every other byte kept', () => {
    assert.equal(installed[files.hooks], EXPECTED_HOOKS);
  });

  it('config.toml: comments and the other tool\'s trust kept, one trust table per handler appended', async () => {
    const listed = await listHooks({ codex: codexBin(), codexHome: e.codexHome, cwd: e.project, env: e.env });
    const hash = (k: string) => listed.hooks.find((h) => h.key === `${files.hooks}:${k}`)?.currentHash;
    const tables = OUR_KEYS.map((k) => `\n[hooks.state."${files.hooks}:${k}"]\ntrusted_hash = "${hash(k)}"\n`).join('');
    assert.equal(installed[files.config], handConfig(files.hooks) + tables);
    for (const k of [...OUR_KEYS, 'pre_tool_use:0:0']) {
      assert.equal(listed.hooks.find((h) => h.key === `${files.hooks}:${k}`)?.trustStatus, 'trusted', k);
    }
    assert.equal(listed.hooks.find((h) => h.key === `${files.hooks}:stop:0:0`)?.trustStatus, 'untrusted', 'the other tool\'s untrusted hook stays untrusted');
  });

  it('settings.json: Claude\'s other hooks and keys kept, hookwarden appended', () => {
    const doc = JSON.parse(installed[files.settings] as string) as Record<string, Record<string, unknown[]>>;
    assert.deepEqual(Object.keys(doc), ['model', 'permissions', 'hooks', 'statusLine']);
    assert.equal(doc.hooks?.PostToolUse?.length, 2);
    assert.deepEqual(doc.hooks?.PostToolUse?.[0], { matcher: 'Write', hooks: [{ type: 'command', command: 'prettier --write' }] });
    assert.equal((doc.hooks?.PreToolUse?.[0] as { matcher: string }).matcher, '*');
    assert.ok((installed[files.settings] as string).startsWith('{\n  "model": "opus",\n  "permissions": {\n    "allow": ["Bash(npm test)"]\n  },\n  "hooks": {\n    "PostToolUse": [\n      { "matcher": "Write", "hooks": [{ "type": "command", "command": "prettier --write" }] },\n'));
  });

  it('backs every changed file up first', () => {
    assert.deepEqual(first.backups.map((b) => fs.readFileSync(b, 'utf8')), [OTHER_HOOKS, handConfig(files.hooks), OTHER_SETTINGS]);
    for (const b of first.backups) assert.match(path.basename(b), /^(hooks\.json|config\.toml|settings\.json)\.hookwarden-backup-\d{8}T\d{9}Z$/);
  });

  it('a second install changes nothing: same bytes, no new backup', () => {
    const count = backupsIn(e.codexHome).length + backupsIn(path.dirname(files.settings)).length;
    const second = json<InstallResult>(cli(e, ['install', '--json']));
    assert.equal(second.changed, false);
    assert.deepEqual(second.files.map((f) => f.action), ['unchanged', 'unchanged', 'unchanged']);
    assert.deepEqual(second.backups, []);
    for (const [f, text] of Object.entries(installed)) assert.equal(fs.readFileSync(f, 'utf8'), text, f);
    assert.equal(backupsIn(e.codexHome).length + backupsIn(path.dirname(files.settings)).length, count);
  });

  it('install repairs and re-trusts an edited hookwarden handler', () => {
    const edited = (installed[files.hooks] as string).replace('"timeout": 30,\n                        "statusMessage"', '"timeout": 5,\n                        "statusMessage"');
    assert.notEqual(edited, installed[files.hooks]);
    fs.writeFileSync(files.hooks, edited);
    const r = json<InstallResult>(cli(e, ['install', '--agent', 'codex', '--json']));
    assert.deepEqual(r.files.map((f) => f.action), ['updated', 'unchanged']);
    assert.equal(fs.readFileSync(files.hooks, 'utf8'), installed[files.hooks]);
    assert.equal(fs.readFileSync(files.config, 'utf8'), installed[files.config]);
  });

  it('uninstall with the same flags restores the original bytes of every file', () => {
    const r = json<InstallResult>(cli(e, ['uninstall', '--json']));
    InstallResultSchema.parse(r);
    assert.equal(r.handlers.length, 14);
    assert.equal(fs.readFileSync(files.hooks, 'utf8'), OTHER_HOOKS);
    assert.equal(fs.readFileSync(files.config, 'utf8'), handConfig(files.hooks));
    assert.equal(fs.readFileSync(files.settings, 'utf8'), OTHER_SETTINGS);
    const again = json<InstallResult>(cli(e, ['uninstall', '--json']));
    assert.equal(again.changed, false);
  });
});

describe('--dry-run', () => {
  let e: Env;
  before(() => {
    e = makeEnv();
    seedOtherTools(e);
  });
  after(() => e.cleanup());

  it('prints a unified diff per file and writes nothing', () => {
    const before = [OTHER_HOOKS, OTHER_SETTINGS];
    const r = cli(e, ['install', '--dry-run']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^--- ${e.codexHome}/hooks\\.json\\n\\+\\+\\+ ${e.codexHome}/hooks\\.json\\n@@ `, 'm'));
    assert.match(r.stdout, /^\+\[hooks\.state\."[^"]+:pre_tool_use:1:0"\]$/m);
    assert.match(r.stdout, /^\+trusted_hash = "sha256:[0-9a-f]{64}"$/m);
    assert.match(r.stdout, /would be updated/);
    assert.deepEqual([fs.readFileSync(path.join(e.codexHome, 'hooks.json'), 'utf8'), fs.readFileSync(path.join(e.home, '.claude', 'settings.json'), 'utf8')], before);
    assert.deepEqual(backupsIn(e.codexHome), []);
  });

  it('--json carries the diffs and says the hashes were computed', () => {
    const r = json<InstallResult>(cli(e, ['install', '--dry-run', '--json', '--agent', 'codex']));
    InstallResultSchema.parse(r);
    assert.equal(r.dryRun, true);
    assert.equal(r.trust?.source, 'computed');
    assert.match(r.trust?.reason ?? '', /dry run/);
    assert.ok(r.files.every((f) => f.diff?.startsWith('--- ')));
    assert.equal(fs.readFileSync(path.join(e.codexHome, 'hooks.json'), 'utf8'), OTHER_HOOKS);
  });
});

describe('CODEX_HOME outside HOME, nothing there yet, no codex on PATH', () => {
  let e: Env;
  before(() => {
    e = makeEnv({ codexHomeOutside: true, withPath: false });
  });
  after(() => e.cleanup());

  it('creates hooks.json and config.toml; the computed hashes are the ones codex app-server reports', async () => {
    const r = json<InstallResult>(cli(e, ['install', '--agent', 'codex', '--json']));
    InstallResultSchema.parse(r);
    assert.deepEqual(r.files.map((f) => [f.path, f.action, f.backup]), [
      [path.join(e.codexHome, 'hooks.json'), 'created', null], [path.join(e.codexHome, 'config.toml'), 'created', null],
    ]);
    assert.equal(r.trust?.source, 'computed');
    assert.match(r.trust?.reason ?? '', /no codex binary on PATH/);
    assert.equal(fs.existsSync(path.join(e.home, '.codex')), false, 'nothing under HOME');
    const listed = await listHooks({ codex: codexBin(), codexHome: e.codexHome, cwd: e.project, env: e.env });
    assert.equal(listed.hooks.length, 7);
    for (const h of r.handlers) {
      const l = listed.hooks.find((x) => x.key === h.key);
      assert.equal(l?.currentHash, h.hash, h.key ?? '');
      assert.equal(l?.trustStatus, 'trusted');
    }
  });

  it('uninstall removes the files it created', () => {
    const r = json<InstallResult>(cli(e, ['uninstall', '--agent', 'codex', '--json']));
    assert.deepEqual(r.files.map((f) => f.action), ['deleted', 'deleted']);
    assert.equal(fs.existsSync(path.join(e.codexHome, 'hooks.json')), false);
    assert.equal(fs.existsSync(path.join(e.codexHome, 'config.toml')), false);
  });
});

describe('--scope project --trust-project', () => {
  let e: Env;
  let config: string;
  before(() => {
    e = makeEnv();
    config = path.join(e.codexHome, 'config.toml');
    fs.mkdirSync(e.codexHome, { recursive: true });
    fs.writeFileSync(config, '# mine\nmodel = "gpt-5.5"\n');
    // hookwarden as the project's dependency (linked, as `npm install <folder>` does).
    fs.mkdirSync(path.join(e.project, 'node_modules'));
    fs.symlinkSync(REPO, path.join(e.project, 'node_modules', 'hookwarden'));
  });
  after(() => e.cleanup());

  it('without --trust-project: installs, reports the project as untrusted', () => {
    const r = json<InstallResult>(cli(e, ['install', '--agent', 'codex', '--scope', 'project', '--json']));
    assert.equal(r.files[0]?.path, path.join(e.project, '.codex', 'hooks.json'));
    const hooks = fs.readFileSync(path.join(e.project, '.codex', 'hooks.json'), 'utf8');
    assert.ok(!hooks.includes(e.root) && !hooks.includes(REPO) && !hooks.includes(process.execPath), 'no absolute path of this machine in the project');
    assert.match(hooks, /"node -e '[^']+' \\"node_modules\/hookwarden\/dist\/hooks\/pre-tool-use\.js\\" \|\| exit 2"/);
    assert.deepEqual(r.projectTrust, { path: e.project, configFile: config, trusted: false, written: false });
    assert.equal(r.trust?.source, 'app-server');
    assert.ok(r.warnings.some((w) => w.includes('--trust-project')));
  });

  it('with --trust-project: Codex lists the project hooks as trusted; uninstall restores config.toml', async () => {
    const r = json<InstallResult>(cli(e, ['install', '--agent', 'codex', '--scope', 'project', '--trust-project', '--json']));
    assert.deepEqual(r.projectTrust, { path: e.project, configFile: config, trusted: true, written: true });
    const listed = await listHooks({ codex: codexBin(), codexHome: e.codexHome, cwd: e.project, env: e.env });
    const ours = listed.hooks.filter((h) => h.key.startsWith(`${path.join(e.project, '.codex', 'hooks.json')}:`));
    assert.equal(ours.length, 7);
    assert.ok(ours.every((h) => h.trustStatus === 'trusted'));
    const u = json<InstallResult>(cli(e, ['uninstall', '--agent', 'codex', '--scope', 'project', '--json']));
    assert.equal(u.projectTrust?.trusted, false);
    assert.equal(fs.readFileSync(config, 'utf8'), '# mine\nmodel = "gpt-5.5"\n');
    assert.equal(fs.existsSync(path.join(e.project, '.codex', 'hooks.json')), false);
  });
});

describe('usage', () => {
  let e: Env;
  before(() => {
    e = makeEnv();
  });
  after(() => e.cleanup());
  for (const c of ['install', 'uninstall', 'doctor']) {
    it(`${c} --help has examples and exit codes`, () => {
      const r = cli(e, [c, '--help']);
      assert.equal(r.status, 0);
      assert.match(r.stdout, /Examples:\n {2}hookwarden /);
      assert.match(r.stdout, /Exit codes: 0 /);
    });
  }
  it('bad flags exit 2 with a one-line reason; a missing dist is refused', () => {
    const bad = cli(e, ['install', '--agent', 'vim']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--agent must be codex, claude or all, not vim/);
    const noDist = cli(e, ['install', '--dist', path.join(e.root, 'nowhere')]);
    assert.equal(noDist.status, 2);
    assert.match(noDist.stderr, /pre-tool-use\.js not found: build hookwarden/);
    assert.equal(cli(e, ['install', '--trust-project']).status, 2);
  });
});
