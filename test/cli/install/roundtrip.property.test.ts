// install then uninstall is the identity on the file tree: every file and folder under HOME,
// CODEX_HOME and the project exactly as before (bytes, modes, the same set of entries), for both
// agents, both scopes and any order of uninstalls, over random pre-existing states (files absent,
// empty, with unrelated settings, other tools' hooks, an empty "hooks" or event list, trust
// entries, TOML comments, JSON comments that make the file unreadable). An install that fails
// must leave the tree as it was too. Was: uninstall removed a trust_level the user had, left an
// empty ~/.claude, backups and an emptied .codex, and deleted a pre-existing empty "hooks": {}.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { runInstall, type InstallOptions } from '../../../cli/install/install.js';
import { tmp } from './helpers.js';
import { HOOK_SCRIPTS } from '../../../lib/hooks-catalog.js';

type Agent = 'codex' | 'claude';
type Scope = 'user' | 'project';
interface Installation { agent: Agent; scope: Scope; trust: boolean }

/** Every entry under `dir`: folders, files with mode and bytes, links with their target. */
export function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const ent of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, ent.name);
      const rel = path.relative(dir, p);
      const st = fs.lstatSync(p);
      const mode = (st.mode & 0o7777).toString(8);
      if (ent.isSymbolicLink()) out[rel] = `link ${fs.readlinkSync(p)}`;
      else if (ent.isDirectory()) {
        out[`${rel}/`] = `dir ${mode}`;
        walk(p);
      } else out[rel] = `file ${mode} ${fs.readFileSync(p, 'latin1')}`;
    }
  };
  walk(dir);
  return out;
}

const OTHER_GROUP = '{ "matcher": "Bash", "hooks": [{ "type": "command", "command": "other-tool check", "timeout": 5 }] }';

/** Pre-existing hooks.json / settings.json texts. `undefined`: the file is absent. */
const jsonState = fc.constantFrom<string | undefined>(
  undefined, '', '{}', '{}\n', '{\n  "hooks": {}\n}\n', '{"hooks":{}}', '{\n  "model": "opus"\n}\n',
  `{\n  "hooks": {\n    "PreToolUse": [\n      ${OTHER_GROUP}\n    ]\n  }\n}\n`,
  `{\n    "description": "team",\n    "hooks": {\n        "Stop": [],\n        "PostToolUse": [${OTHER_GROUP}]\n    }\n}`,
  '{\r\n  "env": { "A": "1" },\r\n  "hooks": { "SessionStart": [] }\r\n}\r\n',
  '{\n  // a comment: not JSON, so install must refuse and change nothing\n  "model": "opus"\n}\n',
);

/** Pre-existing config.toml texts; `P` stands for the project's real path. */
const tomlState = fc.constantFrom<string | undefined>(
  undefined, '', '# just a comment\n', 'model = "gpt-5.5"', 'model = "gpt-5.5"\n',
  '# mine\nmodel = "gpt-5.5"  # pinned\n\n[features]\nhooks = true\n',
  '[projects."P"]\ntrust_level = "trusted"\n',
  '[projects."P"]\nnote = "kept"\n',
  '[hooks.state."/elsewhere/hooks.json:pre_tool_use:0:0"]\ntrusted_hash = "sha256:00"\n',
);

const dirState = fc.constantFrom<'absent' | 'empty' | 'file'>('absent', 'empty', 'file');

const installation = fc.record({ agent: fc.constantFrom<Agent>('codex', 'claude'), scope: fc.constantFrom<Scope>('user', 'project'), trust: fc.boolean() });

describe('install then uninstall leaves the tree exactly as it was', () => {
  let root: string;
  before(() => {
    root = tmp('hw-roundtrip-');
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  let n = 0;
  it('over random pre-existing states, installations and uninstall orders', async () => {
    await fc.assert(fc.asyncProperty(
      fc.record({
        claudeUser: jsonState, claudeProject: jsonState, codexUser: jsonState, codexProject: jsonState, config: tomlState,
        claudeDir: dirState, codexDir: dirState, projectCodexDir: dirState,
        // The user's settings.json is a link into a dotfiles folder: written through, the link kept.
        linkClaude: fc.boolean(),
        installs: fc.uniqueArray(installation, { minLength: 1, maxLength: 4, selector: (i) => `${i.agent}:${i.scope}` }),
        order: fc.func(fc.integer()),
        twice: fc.boolean(),
      }),
      async (s) => {
        const base = path.join(root, `case-${n++}`);
        const home = path.join(base, 'home');
        const project = path.join(base, 'work', 'app');
        const state = path.join(base, 'state');
        const dist = path.join(project, 'node_modules', 'hookwarden', 'dist');
        fs.mkdirSync(path.join(dist, 'hooks'), { recursive: true });
        for (const h of HOOK_SCRIPTS) fs.writeFileSync(path.join(dist, 'hooks', `${h}.js`), '');
        fs.mkdirSync(path.join(project, '.git'), { recursive: true });
        fs.mkdirSync(home, { recursive: true });
        const place = (dir: string, how: 'absent' | 'empty' | 'file', file: string, text: string | undefined) => {
          if (text !== undefined || how !== 'absent') fs.mkdirSync(dir, { recursive: true });
          if (text !== undefined) fs.writeFileSync(path.join(dir, file), text);
          else if (how === 'file') fs.writeFileSync(path.join(dir, 'unrelated.txt'), 'x');
        };
        if (s.linkClaude && s.claudeUser !== undefined) {
          fs.mkdirSync(path.join(home, 'dotfiles'), { recursive: true });
          fs.writeFileSync(path.join(home, 'dotfiles', 'claude.json'), s.claudeUser);
          fs.mkdirSync(path.join(home, '.claude'), { recursive: true });
          fs.symlinkSync(path.join(home, 'dotfiles', 'claude.json'), path.join(home, '.claude', 'settings.json'));
        } else place(path.join(home, '.claude'), s.claudeDir, 'settings.json', s.claudeUser);
        place(path.join(project, '.claude'), 'absent', 'settings.json', s.claudeProject);
        place(path.join(home, '.codex'), s.codexDir, 'hooks.json', s.codexUser);
        place(path.join(project, '.codex'), s.projectCodexDir, 'hooks.json', s.codexProject);
        if (s.config !== undefined) {
          fs.mkdirSync(path.join(home, '.codex'), { recursive: true });
          fs.writeFileSync(path.join(home, '.codex', 'config.toml'), s.config.replaceAll('"P"', JSON.stringify(project)));
        }
        const before = tree(base);
        const opts = (command: 'install' | 'uninstall', i: Installation): InstallOptions => ({
          command, agents: [i.agent], scope: i.scope, dryRun: false, trustProject: i.scope === 'project' && i.trust, cwd: project,
          env: { HOME: home, PATH: '', XDG_STATE_HOME: state, XDG_CONFIG_HOME: path.join(base, 'config') }, home, distDir: dist,
        });
        const done: Installation[] = [];
        for (const i of s.installs) {
          const runs = s.twice ? 2 : 1;
          for (let k = 0; k < runs; k++) {
            const snap = tree(base);
            // A dry run writes nothing at all, not even in the state folder.
            await runInstall({ ...opts('install', i), dryRun: true }).catch(() => undefined);
            assert.deepEqual(tree(base), snap, 'a dry run wrote something');
            try {
              await runInstall(opts('install', i));
              if (k === 0) done.push(i);
            } catch (err) {
              assert.match((err as Error).message, /invalid JSON|nothing was changed/);
              assert.deepEqual(tree(base), snap, `a failed install changed files: ${(err as Error).message}`);
            }
          }
        }
        const order = [...done].sort((a, b) => s.order(`${a.agent}:${a.scope}`) - s.order(`${b.agent}:${b.scope}`));
        for (const i of order) {
          const snap = tree(base);
          await runInstall({ ...opts('uninstall', i), dryRun: true });
          assert.deepEqual(tree(base), snap, 'a dry-run uninstall wrote something');
          await runInstall(opts('uninstall', i));
        }
        const dump = (t: Record<string, string>) => Object.entries(t).filter(([k]) => !k.startsWith('state')).sort();
        assert.deepEqual(dump(tree(base)), dump(before));
        assert.equal(fs.existsSync(path.join(state, 'hookwarden', 'install', 'manifest.json')), false, 'the manifest goes with the last installation');
        fs.rmSync(base, { recursive: true, force: true });
      },
    ), { numRuns: 120 });
  });
});
