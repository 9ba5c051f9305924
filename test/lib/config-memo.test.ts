// The config memo (lib/config.ts `ConfigMemo`): a daemon worker reuses the config it compiled for
// an earlier call only while every input and every file-system lookup of that compilation still
// holds. Proven differentially: after random changes to the tree between calls (links at rule
// bases, marker folders, config files, a `node` on PATH, variables), a config loaded through the
// memo equals one compiled afresh, and so does the decision on a write through the changed tree.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { loadConfig, newConfigMemo, type ConfigMemo, type LoadedConfig } from '../../lib/config.js';
import { preToolUse } from '../../lib/guard.js';
import { tempDirs } from '../helpers/tmp.js';

const scratch = tempDirs('hw-memo-');

/** What a compiled config decides with, without the lazily built matchers. */
function shape(c: LoadedConfig): unknown {
  const globs = (gs: LoadedConfig['rules'][number]['paths']) => gs.map((g) => [g.glob, g.base, g.self, g.patterns]);
  return {
    root: c.root, roots: c.roots, warnings: c.warnings, unresolved: c.unresolved, unknownCommands: c.unknownCommands,
    limits: c.limits, layers: c.layers, mcp: c.mcp, commands: c.commandRules.map((r) => [r.id, r.layer]),
    rules: c.rules.map((r) => [r.id, r.layer, r.effect, r.locked, [...r.ops], r.views.map((v) => [globs(v.paths), globs(v.except)])]),
  };
}

interface Tree { home: string; proj: string; cwd: string; elsewhere: string; bin: string; env: Record<string, string> }

function tree(): Tree {
  const T = fs.realpathSync(scratch());
  const t: Tree = {
    home: path.join(T, 'home'), proj: path.join(T, 'proj'), cwd: path.join(T, 'proj', 'sub'),
    elsewhere: path.join(T, 'elsewhere'), bin: path.join(T, 'bin'), env: {},
  };
  for (const d of [path.join(t.home, '.config'), t.cwd, path.join(t.proj, '.git'), path.join(t.elsewhere, 'keys'), t.bin]) fs.mkdirSync(d, { recursive: true });
  t.env = { HOME: t.home, PATH: `${t.bin}:/usr/bin:/bin`, XDG_CONFIG_HOME: path.join(t.home, '.config') };
  return t;
}

const load = (t: Tree, memo?: ConfigMemo): LoadedConfig =>
  loadConfig({ cwd: t.cwd, home: t.home, env: t.env, platform: 'linux', install: { dist: path.join(t.proj, 'dist') }, ...(memo ? { memo } : {}) });

function replace(p: string, make: () => void): void {
  fs.rmSync(p, { recursive: true, force: true });
  fs.mkdirSync(path.dirname(p), { recursive: true });
  make();
}

/** Changes a tree can go through between two calls; each touches something a config is built from. */
const STEPS: Record<string, (t: Tree) => void> = {
  sshLink: (t) => replace(path.join(t.home, '.ssh'), () => fs.symlinkSync(path.join(t.elsewhere, 'keys'), path.join(t.home, '.ssh'))),
  // Still a link, to another folder: only the link's target tells.
  sshLinkOther: (t) => replace(path.join(t.home, '.ssh'), () => fs.symlinkSync(t.elsewhere, path.join(t.home, '.ssh'))),
  sshDir: (t) => replace(path.join(t.home, '.ssh'), () => fs.mkdirSync(path.join(t.home, '.ssh'))),
  sshGone: (t) => fs.rmSync(path.join(t.home, '.ssh'), { recursive: true, force: true }),
  configDirLink: (t) => replace(path.join(t.home, '.config', 'hookwarden'), () => fs.symlinkSync(t.elsewhere, path.join(t.home, '.config', 'hookwarden'))),
  userRule: (t) => {
    fs.rmSync(path.join(t.home, '.config', 'hookwarden'), { recursive: true, force: true });
    fs.mkdirSync(path.join(t.home, '.config', 'hookwarden'), { recursive: true });
    fs.writeFileSync(path.join(t.home, '.config', 'hookwarden', 'config.json'), JSON.stringify({ rules: [{ id: 'keys', effect: 'deny', paths: [`${t.elsewhere}/keys/**`], reason: 'keys' }] }));
  },
  userRuleGone: (t) => fs.rmSync(path.join(t.home, '.config', 'hookwarden', 'config.json'), { force: true }),
  projectRule: (t) => {
    fs.mkdirSync(path.join(t.proj, '.hookwarden'), { recursive: true });
    fs.writeFileSync(path.join(t.proj, '.hookwarden', 'config.json'), JSON.stringify({ rules: [{ id: 'deploy', effect: 'deny', paths: ['deploy/**'], reason: 'deploy' }] }));
  },
  projectRuleGone: (t) => fs.rmSync(path.join(t.proj, '.hookwarden'), { recursive: true, force: true }),
  subMarker: (t) => fs.mkdirSync(path.join(t.cwd, '.claude'), { recursive: true }),
  subMarkerGone: (t) => fs.rmSync(path.join(t.cwd, '.claude'), { recursive: true, force: true }),
  deployLink: (t) => replace(path.join(t.proj, 'deploy'), () => fs.symlinkSync(t.elsewhere, path.join(t.proj, 'deploy'))),
  nodeOnPath: (t) => replace(path.join(t.bin, 'node'), () => fs.writeFileSync(path.join(t.bin, 'node'), '')),
  nodeGone: (t) => fs.rmSync(path.join(t.bin, 'node'), { recursive: true, force: true }),
  // Same lstat kind as a file: only whether it is a file tells that the shell runs the next `node` on PATH.
  nodeIsDir: (t) => replace(path.join(t.bin, 'node'), () => fs.mkdirSync(path.join(t.bin, 'node'))),
  codexHome: (t) => void (t.env = { ...t.env, CODEX_HOME: t.elsewhere }),
  codexHomeUnset: (t) => void (t.env = Object.fromEntries(Object.entries(t.env).filter(([k]) => k !== 'CODEX_HOME'))),
  homeLink: (t) => {
    const link = `${t.home}-link`;
    if (!fs.existsSync(link)) fs.symlinkSync(t.home, link);
    t.env = { ...t.env, HOME: link };
  },
};

describe('config memo', () => {
  it('reuses the compiled rules while nothing changed, and compiles again after a change', () => {
    const t = tree();
    const memo = newConfigMemo();
    const a = load(t, memo);
    const b = load(t, memo);
    assert.equal(b.rules, a.rules, 'the second call reuses the first call\'s rules');
    STEPS.sshLink!(t);
    const c = load(t, memo);
    assert.notEqual(c.rules, a.rules);
    assert.deepEqual(shape(c), shape(load(t)));
  });

  it('a rule base that became a link between two calls covers where the link points', () => {
    const t = tree();
    const memo = newConfigMemo();
    const write = (file: string) => preToolUse(JSON.stringify({
      session_id: 's', transcript_path: null, cwd: t.cwd, hook_event_name: 'PreToolUse', tool_name: 'Write', tool_input: { file_path: file, content: 'k' },
    }), { env: t.env, home: t.home, platform: 'linux', install: { dist: path.join(t.proj, 'dist') }, configMemo: memo }).verdict.decision;
    const key = path.join(t.elsewhere, 'keys', 'authorized_keys');
    assert.equal(write(key), 'allow');
    STEPS.sshLink!(t);
    assert.equal(write(key), 'deny', 'ssh reads ~/.ssh/authorized_keys through the link');
    STEPS.sshDir!(t);
    assert.equal(write(key), 'allow');
  });

  it('after any sequence of changes a memo hit equals a fresh compilation, and so do its decisions', () => {
    const names = Object.keys(STEPS);
    fc.assert(fc.property(fc.array(fc.constantFrom(...names), { minLength: 1, maxLength: 8 }), (steps) => {
      const t = tree();
      const memo = newConfigMemo();
      load(t, memo);
      for (const s of steps) {
        STEPS[s]!(t);
        const viaMemo = load(t, memo);
        assert.deepEqual(shape(viaMemo), shape(load(t)), `after ${steps.join(', ')}`);
        // A second look through the memo (a hit when nothing changed) holds too.
        assert.deepEqual(shape(load(t, memo)), shape(viaMemo));
        for (const file of [path.join(t.elsewhere, 'keys', 'authorized_keys'), path.join(t.proj, 'deploy', 'app.yaml'), path.join(t.elsewhere, 'config.json'), path.join(t.bin, 'node')]) {
          const payload = JSON.stringify({ session_id: 's', transcript_path: null, cwd: t.cwd, hook_event_name: 'PreToolUse', tool_name: 'Write', tool_input: { file_path: file, content: 'x' } });
          const genv = { env: t.env, home: t.env.HOME!, platform: 'linux' as const, install: { dist: path.join(t.proj, 'dist') } };
          const [m, f] = [preToolUse(payload, { ...genv, configMemo: memo }).verdict, preToolUse(payload, genv).verdict];
          assert.deepEqual([m.decision, m.rule], [f.decision, f.rule], `${file} after ${steps.join(', ')}`);
        }
      }
    }), { numRuns: 40 });
  });
});
