// The hooks are declared once (lib/hooks-catalog.ts): what install registers with each agent, what
// it recognizes as its own, how a hook that cannot load answers, and the plugin's hooks.json all
// follow that one list. Each expectation is derived from the catalog AND pinned to today's list, so
// a hook dropped from the catalog (or an installer that stops following it) fails here.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { HOOK_EVENTS, HOOK_SCRIPTS, HOOK_SPECS, failsClosed, hookForEvent, isGuardHandler, soleEvent, timeoutOf } from '../../../lib/hooks-catalog.js';
import { runInstall, type InstallOptions } from '../../../cli/install/install.js';
import { claudeSettingsFile } from '../../../cli/install/claude-settings.js';
import { hookCommand, ownScript } from '../../../cli/install/plan.js';
import { codexBin, fakeDist, tmp } from './helpers.js';

const KNOWN_EVENTS = ['PreToolUse', 'PostToolUse', 'SessionStart', 'UserPromptSubmit', 'PermissionRequest', 'Stop', 'SessionEnd'];
const KNOWN_SCRIPTS = ['pre-tool-use', 'post-tool-use', 'audit-event'];

interface Handler { command: string; timeout: number; statusMessage?: string }
type Doc = { hooks: Record<string, { matcher?: string; hooks: Handler[] }[]> };

/** event -> [script, matcher, timeout, statusMessage] of every handler in a written hooks document. */
function registered(doc: Doc): Record<string, [string | undefined, string | undefined, number, string | undefined][]> {
  return Object.fromEntries(Object.entries(doc.hooks).map(([event, groups]) => [event,
    groups.flatMap((g) => g.hooks.map((h) => [ownScript(h.command), g.matcher, h.timeout, h.statusMessage] as [string | undefined, string | undefined, number, string | undefined]))]));
}

/** What the catalog says `agent` must find registered. */
function expected(agent: 'codex' | 'claude') {
  return Object.fromEntries(HOOK_SPECS.flatMap((s) => s.events.map((e) => [e, [[s.script, s.matcher, timeoutOf(s, agent, e), s.statusMessage]]])));
}

describe('the hooks catalog', () => {
  it('holds today\'s hooks and events (a pinned list, so the derived checks below can fail)', () => {
    assert.deepEqual([...HOOK_SCRIPTS], KNOWN_SCRIPTS);
    assert.deepEqual([...HOOK_EVENTS], KNOWN_EVENTS);
    assert.deepEqual(HOOK_SCRIPTS.filter(failsClosed), ['pre-tool-use']);
    assert.equal(hookForEvent('Notification'), undefined);
  });

  it('what the runner records for a call it gave up on, and which handlers doctor probes, follow the entries', () => {
    // A hook with one event records it when the payload cannot say; one with several says unknown.
    assert.deepEqual(HOOK_SCRIPTS.map(soleEvent), ['PreToolUse', 'PostToolUse', 'unknown']);
    assert.deepEqual(HOOK_EVENTS.flatMap((e) => HOOK_SCRIPTS.filter((s) => isGuardHandler(e, s)).map((s) => `${e}:${s}`)), ['PreToolUse:pre-tool-use']);
  });
});

describe('install registers exactly the catalog', () => {
  let root: string;
  let home: string;
  let dist: string;
  let opts: InstallOptions;
  before(() => {
    root = tmp();
    home = path.join(root, 'home');
    dist = fakeDist(root);
    fs.mkdirSync(path.join(home, '.codex'), { recursive: true });
    opts = {
      command: 'install', agents: ['codex', 'claude'], scope: 'user', dryRun: false, trustProject: false, cwd: root,
      env: { HOME: home, PATH: process.env.PATH }, home, distDir: dist, codex: codexBin(), nodePath: '/usr/bin/node',
    };
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('every event of every hook, once each, with the catalog\'s script, matcher, timeout and status message', async () => {
    const r = await runInstall(opts);
    assert.deepEqual(r.warnings, []);
    const files = { codex: path.join(home, '.codex', 'hooks.json'), claude: claudeSettingsFile({ scope: 'user', project: root, home }) };
    for (const agent of ['codex', 'claude'] as const) {
      const got = registered(JSON.parse(fs.readFileSync(files[agent], 'utf8')) as Doc);
      assert.deepEqual(Object.keys(got), KNOWN_EVENTS, agent);
      assert.deepEqual(got, expected(agent), agent);
    }
    // The one per-agent exception the catalog declares, seen in the written files.
    const codexEnd = (JSON.parse(fs.readFileSync(files.codex, 'utf8')) as Doc).hooks.SessionEnd?.[0]?.hooks[0]?.timeout;
    const claudeEnd = (JSON.parse(fs.readFileSync(files.claude, 'utf8')) as Doc).hooks.SessionEnd?.[0]?.hooks[0]?.timeout;
    assert.deepEqual([codexEnd, claudeEnd], [3, 10]);
  });
});

describe('what the installer recognizes and how a hook that cannot load answers', () => {
  it('a command naming a catalog hook is hookwarden\'s; one naming another dist file is not', () => {
    for (const s of HOOK_SCRIPTS) assert.equal(ownScript(`node "/x/dist/hooks/${s}.js"`), s);
    for (const other of ['client', 'daemon', 'worker', 'runner', 'recorder', 'code-cache', 'pre-tool-use.code', 'pre_tool_use']) {
      assert.equal(ownScript(`node "/x/dist/hooks/${other}.js"`), undefined, other);
    }
  });

  it('the guard blocks (exit 2, one line) when its entry is missing; a recorder reports and lets go (exit 1)', () => {
    const root = tmp();
    try {
      for (const s of HOOK_SCRIPTS) {
        const cmd = hookCommand({ distDir: path.join(root, 'nowhere'), nodePath: process.execPath }, s);
        assert.equal(cmd.endsWith(' || exit 2'), failsClosed(s), s);
        const r = spawnSync('sh', ['-c', cmd], { input: '{}', encoding: 'utf8' });
        assert.equal(r.status, failsClosed(s) ? 2 : 1, s);
        assert.match(r.stderr, new RegExp(`^hookwarden: cannot load the ${failsClosed(s) ? 'guard' : 'recorder'} \\(MODULE_NOT_FOUND: [^\\n]*\\)\\n$`), s);
        assert.equal(r.stdout, '');
      }
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('the compiled client (client/hookwarden-client.c) knows exactly the catalog\'s hooks, and treats only the guard as one', () => {
    const c = fs.readFileSync(new URL('../../../client/hookwarden-client.c', import.meta.url), 'utf8');
    const known = [...c.matchAll(/strcmp\(base, "([a-z-]+)\.js"\) == 0\) hook = "([a-z-]+)"/g)].map((m) => { assert.equal(m[1], m[2]); return m[1]; });
    assert.deepEqual(known, [...HOOK_SCRIPTS]);
    const guards = [...c.matchAll(/guard = strcmp\(hook, "([a-z-]+)"\) == 0;/g)].map((m) => m[1]);
    assert.deepEqual(guards, HOOK_SCRIPTS.filter(failsClosed));
  });

  it('the plugin form (hooks.json, read by both agents) registers exactly the catalog: each event runs its hook, with a timeout both accept', () => {
    const doc = JSON.parse(fs.readFileSync(new URL('../../../hooks.json', import.meta.url), 'utf8')) as Doc;
    const got = registered(doc);
    assert.deepEqual(Object.keys(got).sort(), [...KNOWN_EVENTS].sort());
    for (const [event, handlers] of Object.entries(got)) {
      const spec = hookForEvent(event)!;
      const timeout = Math.min(timeoutOf(spec, 'claude', event), timeoutOf(spec, 'codex', event));
      assert.deepEqual(handlers, [[spec.script, spec.matcher, timeout, spec.statusMessage]], event);
    }
  });
});
