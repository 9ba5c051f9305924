// `tail`, `stats` and `verify` read the file sink the config names (issue 13: they read the
// default file, so `verify` exited 2 and `tail` printed nothing). Real config files in a temp
// HOME; records written by the real hook (which resolves the sink itself) and by the file sink.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { codexPayload, runHookSync, sandbox } from '../helpers/hook.js';
import { series, writeAudit } from './support/audit-fixtures.js';
import { hw, json } from './run.js';

const writeConfig = (file: string, audit: unknown): void => {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify({ audit }));
};
const ids = (stdout: string): string[] => stdout.split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { tool_use_id?: string }).tool_use_id ?? '');

for (const [kind, sinkPath] of [['a ~/ path', '~/audit/trail.jsonl'], ['an absolute path', 'ABS'], ['a relative path', 'logs/rel.jsonl']] as const) {
  describe(`a file sink at ${kind} in the user config`, () => {
    const sb = sandbox();
    after(() => sb.cleanup());
    const configured = sinkPath === 'ABS' ? path.join(sb.root, 'abs', 'trail.jsonl') : sinkPath;
    // Where the hook writes: ~ from HOME, a relative path from the call's directory (the project).
    const file = sinkPath === 'ABS' ? configured : sinkPath.startsWith('~/') ? path.join(sb.env.HOME!, sinkPath.slice(2)) : path.join(sb.project, sinkPath);
    before(() => {
      writeConfig(path.join(sb.env.XDG_CONFIG_HOME!, 'hookwarden', 'config.json'), { sinks: [{ type: 'file', path: configured }] });
      for (const [cmd, id] of [['echo x > .env', 'call_deny'], ['echo x > src/a.ts', 'call_allow']] as const) {
        runHookSync('pre-tool-use', JSON.stringify(codexPayload(sb.project, 'Bash', { command: cmd }, id)), sb.env, sb.project);
      }
      assert.ok(fs.existsSync(file), `the hook wrote ${file}`);
      assert.ok(!fs.existsSync(sb.auditFile), 'and not the default file');
    });
    const run = (args: string[]) => hw(args, { cwd: sb.project, env: sb.env });

    it('tail prints its records', () => {
      const r = run(['tail', '--json']);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(ids(r.stdout), ['call_deny', 'call_allow']);
    });
    it('stats counts them', () => {
      const r = run(['stats', '--json']);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(json<{ total: number }>(r).total, 2);
    });
    it('verify checks its chain', () => {
      const r = run(['verify', '--json']);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.deepEqual(json<{ ok: boolean; records: number }>(r), { ok: true, records: 2, problems: [], unreadable: [] });
    });
    it('--file still overrides (the default file does not exist: nothing to read)', () => {
      const r = run(['tail', '--file', sb.auditFile]);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /no such audit file/);
    });
  });
}

describe('HOOKWARDEN_CONFIG, rotated files, several sinks, a broken config', () => {
  const sb = sandbox();
  after(() => sb.cleanup());
  const named = path.join(sb.root, 'named-config.json');
  const one = path.join(sb.root, 'one', 'a.jsonl');
  const two = path.join(sb.root, 'two', 'b.jsonl');
  const env = { ...sb.env, HOOKWARDEN_CONFIG: named };
  before(async () => {
    writeConfig(named, { sinks: [{ type: 'file', path: one, rotateBytes: 4096 }, { type: 'http', url: 'http://127.0.0.1:9/x' }, { type: 'file', path: two }] });
    // The user config names another file: HOOKWARDEN_CONFIG replaces it, as for the hooks.
    writeConfig(path.join(sb.env.XDG_CONFIG_HOME!, 'hookwarden', 'config.json'), { sinks: [{ type: 'file', path: path.join(sb.root, 'user.jsonl') }] });
    await writeAudit(one, series(40, new Date('2026-11-24T10:00:00Z')), 4096);
    await writeAudit(two, series(3, new Date('2026-11-24T10:00:00Z')));
  });
  const run = (args: string[], e = env) => hw(args, { cwd: sb.project, env: e });

  it('tail and stats read the first file sink with its rotated files', () => {
    assert.ok(fs.readdirSync(path.dirname(one)).length > 2, 'rotated');
    assert.equal(json<{ total: number }>(run(['stats', '--json'])).total, 40);
    assert.equal(run(['tail', '--json', '-n', '100']).stdout.split('\n').filter(Boolean).length, 40);
  });
  it('verify checks every file sink, each as its own chain', () => {
    const r = run(['verify', '--json']);
    assert.equal(r.status, 0, r.stdout);
    assert.equal(json<{ records: number }>(r).records, 43);
    fs.appendFileSync(two, '{"torn":');
    const bad = run(['verify']);
    assert.equal(bad.status, 1);
    assert.match(bad.stdout, new RegExp(`${two.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4: torn`));
  });
  it('a config that does not load: the default file (where the hooks then write), with a warning', () => {
    fs.writeFileSync(named, '{"audit": ');
    const r = run(['tail']);
    assert.equal(r.status, 0);
    assert.match(r.stderr, /named-config\.json.*reading the default audit file/);
  });
  it('no file sink configured: tail says so and exits 2', () => {
    writeConfig(named, { sinks: [{ type: 'http', url: 'http://127.0.0.1:9/x' }] });
    const r = run(['tail']);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no file sink is configured/);
  });
});

describe('run from inside a repository whose project config does not load', () => {
  const sb = sandbox();
  after(() => sb.cleanup());
  const file = path.join(sb.root, 'user-trail.jsonl');
  before(() => {
    writeConfig(path.join(sb.env.XDG_CONFIG_HOME!, 'hookwarden', 'config.json'), { sinks: [{ type: 'file', path: file }] });
    fs.mkdirSync(path.join(sb.project, '.hookwarden'));
    fs.writeFileSync(path.join(sb.project, '.hookwarden', 'config.json'), '{"rules": [');
    runHookSync('pre-tool-use', JSON.stringify(codexPayload(sb.project, 'Bash', { command: 'ls' }, 'call_here')), sb.env, sb.project);
  });
  it('tail reads the user sink, where the hooks wrote the blocked call', () => {
    const r = hw(['tail', '--json'], { cwd: sb.project, env: sb.env });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(ids(r.stdout), ['call_here']);
  });
});
