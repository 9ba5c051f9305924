import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig, type LoadedConfig } from '../../lib/config.js';
import { DEFAULT_CALL_LIMITS, parseConfigText } from '../../lib/config-file.js';
import { GuardError } from '../../lib/types.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-config-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
let n = 0;

/** A fresh home and project (with .git) per case; cwd is a subdirectory of the project. */
function world(files: { user?: unknown; project?: unknown; env?: unknown } = {}) {
  const dir = path.join(tmp, String(n++));
  const home = path.join(dir, 'home');
  const root = path.join(dir, 'proj');
  const cwd = path.join(root, 'src', 'deep');
  fs.mkdirSync(cwd, { recursive: true });
  fs.mkdirSync(path.join(root, '.git'));
  const put = (file: string, v: unknown) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof v === 'string' ? v : JSON.stringify(v));
    return file;
  };
  const userFile = path.join(home, '.config', 'hookwarden', 'config.json');
  const projectFile = path.join(root, '.hookwarden', 'config.json');
  const envFile = path.join(dir, 'ci.json');
  if (files.user !== undefined) put(userFile, files.user);
  if (files.project !== undefined) put(projectFile, files.project);
  if (files.env !== undefined) put(envFile, files.env);
  const load = (env: Record<string, string | undefined> = {}, platform: NodeJS.Platform = 'linux'): LoadedConfig =>
    loadConfig({ cwd, home, env, platform });
  return { dir, home, root, cwd, userFile, projectFile, envFile, load };
}

const ids = (c: LoadedConfig) => c.rules.map((r) => r.id);
const rule = (id: string, extra: Record<string, unknown> = {}) => ({ id, effect: 'deny', paths: [`${id}/**`], ...extra });
// self.install, self.agents, self.config: the live self rules (rules/live.ts) for this call's root and config files.
const SELF_IDS = ['self', 'self.shell-startup', 'self.process-memory', 'self.install', 'self.agents', 'self.config'];
const BUILTIN_IDS = ['secrets', 'secrets.env-variants', 'vcs', ...SELF_IDS, 'fs.block-device'];
const DESTRUCTIVE_LAYERS = ['git-destructive', 'fs-destructive', 'remote-code', 'databases', 'infrastructure'].map((n) => `builtin:${n}`);

describe('loadConfig: no config at all', () => {
  it('uses the built-in presets with the defaults', () => {
    const w = world();
    const c = w.load();
    assert.equal(c.root, w.root);
    assert.deepEqual(ids(c), BUILTIN_IDS);
    assert.deepEqual(c.layers.map((l) => l.name), ['builtin:secrets', 'builtin:vcs', 'builtin:self', ...DESTRUCTIVE_LAYERS]);
    assert.equal(c.unresolved, 'allow');
    assert.deepEqual(c.limits, DEFAULT_CALL_LIMITS);
    assert.equal(c.reads, false);
    assert.deepEqual(c.warnings, []);
    assert.deepEqual(c.mcp, {});
    assert.equal(c.audit.log, 'all');
    assert.ok(c.rules.every((r) => r.locked));
  });

  it('treats {} as the defaults and records the layer', () => {
    const w = world({ user: {}, project: '{"$schema": "../schema/config.schema.json"}' });
    const c = w.load();
    assert.deepEqual(ids(c), BUILTIN_IDS);
    assert.deepEqual(c.layers.slice(8), [{ name: w.userFile, kind: 'user' }, { name: w.projectFile, kind: 'project' }]);
  });

  it('finds the user config under $XDG_CONFIG_HOME', () => {
    const w = world();
    const xdg = path.join(w.dir, 'xdg');
    fs.mkdirSync(path.join(xdg, 'hookwarden'), { recursive: true });
    fs.writeFileSync(path.join(xdg, 'hookwarden', 'config.json'), JSON.stringify({ rules: [rule('mine')] }));
    assert.deepEqual(ids(w.load({ XDG_CONFIG_HOME: xdg })), [...BUILTIN_IDS, 'mine']);
    assert.deepEqual(ids(w.load()), BUILTIN_IDS);
  });
});

describe('loadConfig: layers and locked rules', () => {
  it('adds user and project rules after the presets, with their layer', () => {
    const w = world({ user: { rules: [rule('u')] }, project: { rules: [rule('p')] } });
    const c = w.load();
    assert.deepEqual(ids(c), [...BUILTIN_IDS, 'u', 'p']);
    assert.equal(c.rules.find((r) => r.id === 'u')?.layer, w.userFile);
    assert.equal(c.rules.find((r) => r.id === 'p')?.layer, w.projectFile);
  });

  it('lets a project replace an unlocked user rule, in place', () => {
    const w = world({ user: { rules: [rule('u'), rule('v')] }, project: { rules: [rule('u', { effect: 'ask' })] } });
    const c = w.load();
    assert.deepEqual(ids(c), [...BUILTIN_IDS, 'u', 'v']);
    const u = c.rules.find((r) => r.id === 'u');
    assert.equal(u?.effect, 'ask');
    assert.equal(u?.layer, w.projectFile);
    assert.deepEqual(c.warnings, []);
  });

  const weakenings: [string, { user?: unknown; project: unknown }, RegExp, (c: LoadedConfig) => void][] = [
    ['replace a built-in rule', { project: { rules: [rule('secrets', { effect: 'allow', paths: ['nothing'] })] } },
      /rule "secrets" is locked by builtin:secrets; ignored/,
      (c) => assert.deepEqual(c.rules.find((r) => r.id === 'secrets')?.source.paths.includes('**/.env'), true)],
    ['replace a locked user rule', { user: { rules: [rule('u', { locked: true })] }, project: { rules: [rule('u', { paths: ['x'] })] } },
      /rule "u" is locked by .*config\.json; ignored/,
      (c) => assert.deepEqual(c.rules.find((r) => r.id === 'u')?.source.paths, ['u/**'])],
    ['switch a preset off', { project: { presets: { vcs: false, self: false } } },
      /presets\.vcs: a project config cannot switch a preset off; ignored/,
      (c) => assert.deepEqual(ids(c), BUILTIN_IDS)],
    ['relax unresolved', { user: { unresolved: 'deny' }, project: { unresolved: 'allow' } },
      /unresolved "allow" cannot relax "deny" set by .*; ignored/, (c) => assert.equal(c.unresolved, 'deny')],
    ['relax unresolved from deny to ask', { user: { unresolved: 'deny' }, project: { unresolved: 'ask' } },
      /unresolved "ask" cannot relax "deny" set by .*; ignored/, (c) => assert.equal(c.unresolved, 'deny')],
    ['relax unresolved from ask to allow', { user: { unresolved: 'ask' }, project: { unresolved: 'allow' } },
      /unresolved "allow" cannot relax "ask" set by .*; ignored/, (c) => assert.equal(c.unresolved, 'ask')],
    ['configure auditing', { project: { audit: { sinks: [{ type: 'file', path: '/dev/null' }] } } },
      /audit: only the user config may configure auditing; ignored/, (c) => assert.equal(c.audit.sinks, undefined)],
    ['loosen a limit', { project: { limits: { walkEntries: 1, budgetMs: 600000 } } },
      /limits\.walkEntries: a project config can only tighten limits; ignored/,
      (c) => assert.deepEqual(c.limits, DEFAULT_CALL_LIMITS)],
    ['hide MCP writes', { user: { mcp: { tools: { mcp__a__b: { writes: ['out'] } } } }, project: { mcp: { tools: { mcp__a__b: { ignore: true, reads: ['out'] } } } } },
      /mcp\.tools\.mcp__a__b: a project config can only add "writes"/,
      (c) => assert.deepEqual(c.mcp, { mcp__a__b: { writes: ['out'] } })],
  ];
  for (const [what, files, warning, check] of weakenings) {
    it(`ignores a project config that tries to ${what}, with a warning`, () => {
      const w = world(files);
      const c = w.load();
      check(c);
      assert.ok(c.warnings.some((x) => x.startsWith(`${w.projectFile}: `) && warning.test(x)), c.warnings.join('\n'));
    });
  }

  it('ignores a user rule with the id of a locked built-in rule, with a warning', () => {
    const w = world({ user: { rules: [rule('vcs', { effect: 'allow' })] } });
    const c = w.load();
    assert.equal(c.rules.find((r) => r.id === 'vcs')?.effect, 'deny');
    assert.match(c.warnings[0] ?? '', /rule "vcs" is locked by builtin:vcs; ignored/);
  });

  it('honours a project config that tightens', () => {
    const w = world({
      project: { unresolved: 'deny', presets: { 'secrets-read': true }, limits: { walkEntries: 50000, budgetMs: 2000 },
        mcp: { tools: { mcp__a__b: { writes: ['out'] } } } },
    });
    const c = w.load();
    assert.equal(c.unresolved, 'deny');
    assert.equal(c.unresolvedLayer, w.projectFile);
    assert.ok(ids(c).includes('secrets-read'));
    assert.equal(c.reads, true);
    assert.equal(c.limits.walkEntries, 50000);
    assert.equal(c.limits.budgetMs, 2000);
    assert.deepEqual(c.mcp, { mcp__a__b: { writes: ['out'] } });
    assert.deepEqual(c.warnings, []);
  });

  it('accepts unresolved "ask" in any layer, and lets a project tighten allow < ask < deny', () => {
    assert.equal(world({ user: { unresolved: 'ask' } }).load().unresolved, 'ask');
    const up = world({ project: { unresolved: 'ask' } }).load();
    assert.deepEqual([up.unresolved, up.warnings], ['ask', []]);
    const deny = world({ user: { unresolved: 'ask' }, project: { unresolved: 'deny' } }).load();
    assert.deepEqual([deny.unresolved, deny.warnings], ['deny', []]);
  });

  it('lets the user switch presets off and on, and configure everything', () => {
    const w = world({
      user: { presets: { vcs: false, 'secrets-read': true }, unresolved: 'deny', limits: { walkEntries: 5, budgetMs: 60000 },
        audit: { log: 'deny' }, mcp: { tools: { 'mcp__srv__*': { ignore: true } } } },
    });
    const c = w.load();
    assert.deepEqual(ids(c), ['secrets', 'secrets.env-variants', ...SELF_IDS, 'secrets-read', 'secrets-read.env-variants', 'fs.block-device']);
    assert.ok(!c.layers.some((l) => l.name === 'builtin:vcs'));
    assert.equal(c.reads, true);
    assert.equal(c.unresolved, 'deny');
    assert.equal(c.limits.walkEntries, 5);
    assert.equal(c.limits.budgetMs, 60000);
    assert.equal(c.audit.log, 'deny');
    assert.equal(c.audit.maxInputBytes, 8192); // defaults applied
    assert.deepEqual(c.mcp, { 'mcp__srv__*': { ignore: true } });
  });

  it('frees the ids of a switched-off preset for user rules', () => {
    const w = world({ user: { presets: { vcs: false }, rules: [rule('vcs', { paths: ['.git/hooks/**'] })] } });
    const c = w.load();
    assert.deepEqual(c.rules.find((r) => r.id === 'vcs')?.source.paths, ['.git/hooks/**']);
    assert.deepEqual(c.warnings, []);
  });
});

describe('loadConfig: HOOKWARDEN_CONFIG', () => {
  it('is read in place of the user and project files, with user authority', () => {
    const w = world({ user: { rules: [rule('u')] }, project: { rules: [rule('p')] }, env: { presets: { secrets: false }, rules: [rule('e')] } });
    const c = w.load({ HOOKWARDEN_CONFIG: w.envFile });
    assert.deepEqual(ids(c), ['vcs', ...SELF_IDS, 'fs.block-device', 'e']);
    assert.deepEqual(c.layers.at(-1), { name: w.envFile, kind: 'env' });
    assert.deepEqual(c.warnings, []);
  });

  it('must be absolute: a relative name would resolve inside the repository and give its file user authority', () => {
    const w = world();
    fs.writeFileSync(path.join(w.cwd, 'hw.json'), JSON.stringify({ presets: { secrets: false, vcs: false, self: false } }));
    for (const name of ['hw.json', './hw.json', '../deep/hw.json', '~/hw.json']) {
      assert.throws(() => w.load({ HOOKWARDEN_CONFIG: name }),
        (e: unknown) => e instanceof GuardError && e.message === `HOOKWARDEN_CONFIG ${JSON.stringify(name)} is not an absolute path`);
    }
  });

  it('must exist', () => {
    const w = world();
    const missing = path.join(w.dir, 'missing.json');
    assert.throws(() => w.load({ HOOKWARDEN_CONFIG: missing }),
      (e: unknown) => e instanceof GuardError && e.message === `${missing}: cannot read config: ENOENT`);
  });
});

describe('config errors name the file, the rule and the field', () => {
  const F = '/cfg/config.json';
  const cases: [string, string][] = [
    ['{', `${F}: invalid JSON: `],
    ['[]', `${F}: expected object, got array`],
    ['{"rulez": []}', `${F}: unknown field "rulez"`],
    ['{"rules": {}}', `${F}: field rules: expected array, got object`],
    [JSON.stringify({ rules: [rule('a'), rule('b'), { ...rule('x'), effect: 'block' }] }),
      `${F}: rules[2] (id "x"): field effect: expected one of deny|allow|ask`],
    [JSON.stringify({ rules: [{ id: 'x', paths: ['a'] }] }), `${F}: rules[0] (id "x"): field effect: missing, expected one of deny|allow|ask`],
    [JSON.stringify({ rules: [{ id: 'x', effect: 'deny' }] }), `${F}: rules[0] (id "x"): field paths: missing`],
    [JSON.stringify({ rules: [rule('x', { paths: [] })] }), `${F}: rules[0] (id "x"): field paths: must not be empty`],
    [JSON.stringify({ rules: [rule('x', { paths: ['ok', '../up'] })] }),
      `${F}: rules[0] (id "x"): field paths[1]: "." and ".." segments are not supported`],
    [JSON.stringify({ rules: [rule('x', { except: ['$TMPDIR/x'] })] }),
      `${F}: rules[0] (id "x"): field except[0]: unknown variable $TMPDIR (only $HOME, $XDG_CONFIG_HOME, $XDG_STATE_HOME)`],
    [JSON.stringify({ rules: [{ effect: 'deny', paths: ['a'] }] }), `${F}: rules[0]: field id: missing`],
    [JSON.stringify({ rules: [rule('has space')] }), `${F}: rules[0] (id "has space"): field id: must be non-empty and use only A-Z a-z 0-9 . _ -`],
    [JSON.stringify({ rules: [rule('x', { ops: ['write', 'chmod'] })] }),
      `${F}: rules[0] (id "x"): field ops[1]: expected one of write|delete|move|move-from|move-to|read`],
    [JSON.stringify({ rules: [rule('x', { tools: ['Bash', 'a b'] })] }),
      `${F}: rules[0] (id "x"): field tools[1]: must be a tool name, optionally ending in "*"`],
    [JSON.stringify({ rules: [rule('x', { locked: 'yes' })] }), `${F}: rules[0] (id "x"): field locked: expected boolean, got string`],
    [JSON.stringify({ rules: [rule('x', { efect: 'deny' })] }), `${F}: rules[0] (id "x"): unknown field "efect"`],
    [JSON.stringify({ rules: [rule('x'), rule('y'), rule('x')] }), `${F}: rules[2] (id "x"): field id: duplicate of rules[0]`],
    ['{"unresolved": "maybe"}', `${F}: field unresolved: expected one of allow|ask|deny`],
    ['{"presets": {"secret": false}}', `${F}: field presets: unknown field "secret"`],
    ['{"presets": {"vcs": "off"}}', `${F}: field presets.vcs: matches no allowed form`],
    ['{"limits": {"budgetMs": 10}}', `${F}: field limits.budgetMs: must be >= 100`],
    ['{"limits": {"maxDepth": 1000}}', `${F}: field limits.maxDepth: must be <= 64`],
    ['{"limits": {"walkEntries": 1.5}}', `${F}: field limits.walkEntries: expected int, got number`],
    ['{"mcp": {"tools": {"mcp__a__b": {"write": ["x"]}}}}', `${F}: field mcp.tools.mcp__a__b: unknown field "write"`],
    ['{"audit": {"sinks": [{"type": "ftp"}]}}', `${F}: field audit.sinks[0].type: expected one of file|http|syslog|clickhouse`],
    ['{"audit": {"sinks": [{}]}}', `${F}: field audit.sinks[0].type: missing, expected one of file|http|syslog|clickhouse`],
    ['{"audit": {"sinks": [{"type": "http", "url": "not a url"}]}}', `${F}: field audit.sinks[0].url: invalid url`],
  ];
  for (const [text, message] of cases) {
    it(message, () => {
      assert.throws(() => parseConfigText(text, F), (e: unknown) => {
        assert.ok(e instanceof GuardError);
        assert.equal(e.code, 'config');
        assert.ok(!e.message.includes('\n'));
        if (message.endsWith(': ')) assert.ok(e.message.startsWith(message), e.message);
        else assert.equal(e.message, message);
        return true;
      });
    });
  }

  it('comes from loadConfig for the user and project files too', () => {
    for (const layer of ['user', 'project'] as const) {
      const w = world({ [layer]: { rules: [{ id: 'x', effect: 'nope', paths: ['a'] }] } });
      const file = layer === 'user' ? w.userFile : w.projectFile;
      assert.throws(() => w.load(), { name: 'GuardError', message: `${file}: rules[0] (id "x"): field effect: expected one of deny|allow|ask` });
    }
  });

  it('reports an unreadable file', () => {
    const w = world();
    fs.mkdirSync(w.projectFile, { recursive: true }); // a directory where the file should be
    assert.throws(() => w.load(), { name: 'GuardError', message: `${w.projectFile}: cannot read config: not a regular file (a directory)` });
  });

  it('accepts a byte-order mark', () => {
    assert.deepEqual(parseConfigText('\ufeff{}', F), {});
  });
});
