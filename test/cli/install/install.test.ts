// runInstall against real files: trust entries of other tools' hooks follow their groups when
// hookwarden's groups leave (Codex trust keys are positional), and what install refuses.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { listHooks } from '../../../cli/install/app-server.js';
import { computeHash } from '../../../cli/install/codex-trust.js';
import { runInstall, type InstallOptions } from '../../../cli/install/install.js';
import { planFor } from '../../../cli/install/plan.js';
import { codexBin, fakeDist, tmp } from './helpers.js';

const OTHER = { matcher: 'Bash', hooks: [{ type: 'command', command: 'other-tool check', timeout: 5 }] };
const OTHER_HASH = computeHash('PreToolUse', 'Bash', OTHER.hooks[0] as Record<string, unknown>);

describe('trust entries follow groups that move', () => {
  let root: string;
  let home: string;
  let dist: string;
  let opts: InstallOptions;
  let hooks: string;
  let config: string;
  before(() => {
    root = tmp();
    home = path.join(root, 'home');
    dist = fakeDist(root);
    fs.mkdirSync(path.join(home, '.codex'), { recursive: true });
    hooks = path.join(home, '.codex', 'hooks.json');
    config = path.join(home, '.codex', 'config.toml');
    opts = {
      command: 'install', agents: ['codex'], scope: 'user', dryRun: false, trustProject: false, cwd: root,
      env: { HOME: home, PATH: process.env.PATH }, home, distDir: dist, codex: codexBin(),
    };
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  const status = async (key: string) => (await listHooks({ codex: codexBin(), codexHome: path.join(home, '.codex'), cwd: root, env: process.env }))
    .hooks.find((h) => h.key === `${hooks}:${key}`)?.trustStatus;

  it('install drops a duplicate hookwarden group and renames the trust of the group behind it', async () => {
    const old = planFor('codex', { distDir: path.join(root, 'old-dist') })[0]?.group;
    fs.writeFileSync(hooks, JSON.stringify({ hooks: { PreToolUse: [old, old, OTHER] } }, null, 2));
    fs.writeFileSync(config, `# mine\n[hooks.state."${hooks}:pre_tool_use:2:0"]\ntrusted_hash = "${OTHER_HASH}"\n`);
    const r = await runInstall(opts);
    assert.deepEqual(r.warnings, []);
    const doc = JSON.parse(fs.readFileSync(hooks, 'utf8')) as { hooks: { PreToolUse: unknown[] } };
    assert.deepEqual(doc.hooks.PreToolUse[1], OTHER);
    assert.equal(doc.hooks.PreToolUse.length, 2);
    assert.match(fs.readFileSync(config, 'utf8'), new RegExp(`^# mine\\n\\[hooks\\.state\\."${hooks.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:pre_tool_use:1:0"\\]\\ntrusted_hash = "${OTHER_HASH}"\\n`));
    assert.equal(await status('pre_tool_use:1:0'), 'trusted');
    assert.equal(await status('pre_tool_use:0:0'), 'trusted');
  });

  it('uninstall renames the trust of another tool\'s group that sat behind hookwarden\'s', async () => {
    fs.writeFileSync(hooks, JSON.stringify({ hooks: { PreToolUse: [OTHER, OTHER] } }, null, 2));
    fs.writeFileSync(config, `[hooks.state."${hooks}:pre_tool_use:0:0"]\ntrusted_hash = "${OTHER_HASH}"\n`);
    await runInstall(opts);
    // A third tool appends after hookwarden and gets trusted there.
    const doc = JSON.parse(fs.readFileSync(hooks, 'utf8')) as { hooks: { PreToolUse: unknown[] } };
    doc.hooks.PreToolUse.push(OTHER);
    fs.writeFileSync(hooks, JSON.stringify(doc, null, 2));
    fs.appendFileSync(config, `\n[hooks.state."${hooks}:pre_tool_use:3:0"] # third tool\ntrusted_hash = "${OTHER_HASH}"\n`);
    assert.equal(await status('pre_tool_use:3:0'), 'trusted');
    const r = await runInstall({ ...opts, command: 'uninstall' });
    assert.equal(r.handlers.length, 7);
    const after = JSON.parse(fs.readFileSync(hooks, 'utf8')) as { hooks: Record<string, unknown[]> };
    assert.deepEqual(after.hooks, { PreToolUse: [OTHER, OTHER, OTHER] });
    assert.equal(fs.readFileSync(config, 'utf8'), `[hooks.state."${hooks}:pre_tool_use:0:0"]\ntrusted_hash = "${OTHER_HASH}"\n\n[hooks.state."${hooks}:pre_tool_use:2:0"] # third tool\ntrusted_hash = "${OTHER_HASH}"\n`);
    assert.equal(await status('pre_tool_use:2:0'), 'trusted');
    assert.equal(await status('pre_tool_use:1:0'), 'untrusted', 'never trusted, still not');
  });

  it('refuses a config.toml it cannot edit before touching hooks.json', async () => {
    fs.writeFileSync(hooks, '{"hooks": {}}\n');
    fs.writeFileSync(config, `hooks = { state = { "x" = { trusted_hash = "y" } } }\n`);
    await assert.rejects(runInstall(opts), /config\.toml: adding \[hooks\.state\.[^\]]+\] would make the file invalid .* form hookwarden does not edit/);
    assert.equal(fs.readFileSync(hooks, 'utf8'), '{"hooks": {}}\n');
  });

  it('refuses invalid JSON and names the file', async () => {
    fs.writeFileSync(hooks, '{"hooks": ');
    fs.writeFileSync(config, '');
    await assert.rejects(runInstall(opts), new RegExp(`${hooks.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: invalid JSON`));
  });

  it('writes through a symlinked hooks.json; trust keys name the link, as Codex does', async () => {
    const realFile = path.join(root, 'dotfiles', 'codex-hooks.json');
    fs.mkdirSync(path.dirname(realFile), { recursive: true });
    fs.writeFileSync(realFile, '{}\n', { mode: 0o600 });
    fs.rmSync(hooks);
    fs.symlinkSync(realFile, hooks);
    fs.writeFileSync(config, '');
    const r = await runInstall(opts);
    assert.ok(fs.lstatSync(hooks).isSymbolicLink(), 'the link stays a link');
    assert.equal(fs.statSync(realFile).mode & 0o777, 0o600, 'mode kept');
    assert.ok(r.handlers.every((h) => h.key?.startsWith(`${hooks}:`)), JSON.stringify(r.handlers.map((h) => h.key)));
    assert.equal(r.trust?.source, 'app-server');
    assert.equal(fs.readFileSync(r.backups[0] as string, 'utf8'), '{}\n');
  });
});

describe('Claude and the secrets-read preset', () => {
  it('registers the all-tools PreToolUse matcher (Read included) when the user config switches secrets-read on', async () => {
    const root = tmp();
    const home = path.join(root, 'home');
    const cfg = path.join(root, 'xdg', 'hookwarden', 'config.json');
    fs.mkdirSync(path.dirname(cfg), { recursive: true });
    fs.writeFileSync(cfg, JSON.stringify({ presets: { 'secrets-read': true } }));
    const r = await runInstall({
      command: 'install', agents: ['claude'], scope: 'user', dryRun: false, trustProject: false, cwd: root,
      env: { HOME: home, XDG_CONFIG_HOME: path.join(root, 'xdg') }, home, distDir: fakeDist(root),
    });
    assert.equal(r.handlers[0]?.matcher, '*');
    assert.equal(r.files[0]?.path, path.join(home, '.claude', 'settings.json'));
    fs.rmSync(root, { recursive: true, force: true });
  });
});
