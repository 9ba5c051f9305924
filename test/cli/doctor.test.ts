// `hookwarden doctor` through the built CLI: fails (exit 1) on an untrusted, a modified and a
// missing hook, passes (exit 0) after install; the live probe runs the registered commands.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { DoctorResultSchema, type DoctorResult } from '../../cli/install/result.js';
import { removeTable } from '../../cli/install/toml-edit.js';
import { cli, json, makeEnv, ok, seedOtherTools, type Env } from './install-fixtures.js';
import { HOOK_SCRIPTS } from '../../lib/hooks-catalog.js';

function doctor(e: Env, args: string[] = []): DoctorResult {
  const r = cli(e, ['doctor', '--json', ...args]);
  const out = json<DoctorResult>(r);
  DoctorResultSchema.parse(out);
  assert.equal(r.status, out.exitCode, r.stdout);
  return out;
}

for (const withPath of [true, false]) {
  describe(`doctor (${withPath ? 'codex app-server on PATH' : 'no codex: computed hashes'})`, () => {
    let e: Env;
    let files: { hooks: string; config: string; settings: string };
    let hooksText: string;
    let configText: string;
    before(() => {
      e = makeEnv({ withPath });
      files = seedOtherTools(e);
      fs.rmSync(files.settings);
      ok(cli(e, ['install', '--agent', 'codex', '--codex', path.join(e.root, 'no-codex')]));
      hooksText = fs.readFileSync(files.hooks, 'utf8');
      configText = fs.readFileSync(files.config, 'utf8');
    });
    after(() => e.cleanup());

    it('exits 0 right after install --agent codex; claude is reported, not failed', () => {
      const r = doctor(e);
      assert.equal(r.exitCode, 0, r.problems.join('\n'));
      assert.equal(r.status, 'enforcing');
      assert.deepEqual(r.problems, []);
      assert.deepEqual(r.agents.map((a) => [a.agent, a.installed]), [['codex', true], ['claude', false]]);
      assert.equal(r.agents[0]?.trustSource, withPath ? 'app-server' : 'computed');
      assert.ok(r.agents[0]?.handlers.every((h) => h.trust === 'trusted'));
      assert.ok(r.checks.some((c) => c.agent === 'claude' && c.status === 'skip'));
      assert.deepEqual(r.probes.map((p) => [p.agent, p.case, p.ok, p.exitCode]), [['codex', 'blocked', true, 2], ['codex', 'allowed', true, 0]]);
      assert.equal(r.probes[0]?.timeoutSec, 30);
    });

    it('does not write the probe into the user\'s audit log', () => {
      assert.equal(fs.existsSync(path.join(e.env.XDG_STATE_HOME as string, 'hookwarden', 'audit.jsonl')), false);
    });

    it('exit 1 on an untrusted hook, with the fix', () => {
      const key = `${files.hooks}:pre_tool_use:1:0`;
      fs.writeFileSync(files.config, removeTable(configText, ['hooks', 'state', key], files.config));
      const r = doctor(e);
      fs.writeFileSync(files.config, configText);
      assert.equal(r.exitCode, 1);
      assert.deepEqual(r.problems, ['codex: handler pre_tool_use:1:0 is untrusted; run: hookwarden install --agent codex']);
    });

    it('exit 1 on a modified hook, with the fix', () => {
      fs.writeFileSync(files.hooks, hooksText.replace('"timeout": 10', '"timeout": 11'));
      const r = doctor(e);
      fs.writeFileSync(files.hooks, hooksText);
      assert.equal(r.exitCode, 1);
      assert.deepEqual(r.problems, ['codex: handler stop:1:0 is modified; run: hookwarden install --agent codex']);
    });

    it('exit 1 on a missing hook, with the fix', () => {
      const doc = JSON.parse(hooksText) as { hooks: { PreToolUse: unknown[] } };
      doc.hooks.PreToolUse.pop();
      fs.writeFileSync(files.hooks, JSON.stringify(doc, null, 4));
      const r = doctor(e);
      fs.writeFileSync(files.hooks, hooksText);
      assert.equal(r.exitCode, 1);
      assert.deepEqual(r.problems, [`codex: PreToolUse handler missing from ${files.hooks}; run: hookwarden install --agent codex`]);
      assert.deepEqual(r.probes, [], 'no guard to probe');
    });

    if (withPath) {
      it('exit 1 when Codex cannot parse the hooks file (an unknown top-level key)', () => {
        fs.writeFileSync(files.hooks, hooksText.replace('"description": "team hooks",', '"description": "team hooks", "x-team": 1,'));
        const r = doctor(e);
        fs.writeFileSync(files.hooks, hooksText);
        assert.equal(r.exitCode, 1);
        assert.equal(r.problems.length, 1, r.problems.join('\n'));
        assert.match(r.problems[0] as string, /^codex: codex app-server: failed to parse hooks config .*unknown field `x-team`.*; fix .*hooks\.json so Codex can load it$/);
      });
    }

    it('exit 1 when the registered guard does not block (the probe catches a broken hook file)', () => {
      const broken = path.join(e.root, 'broken-dist');
      fs.mkdirSync(path.join(broken, 'hooks'), { recursive: true });
      for (const s of HOOK_SCRIPTS) fs.writeFileSync(path.join(broken, 'hooks', `${s}.js`), 'process.exit(0)\n');
      ok(cli(e, ['install', '--agent', 'codex', '--dist', broken]));
      const r = doctor(e);
      assert.equal(r.exitCode, 1);
      assert.equal(r.problems.length, 1, r.problems.join('\n'));
      assert.match(r.problems[0] as string, /^codex: PreToolUse probe \(blocked\) in .*hooks\.json: a write to \.env was not blocked \(exit 0\); run: hookwarden install --agent codex$/);
      ok(cli(e, ['install', '--agent', 'codex']));
      assert.equal(doctor(e).exitCode, 0);
    });

    it('--agent claude when hookwarden is not installed for it: exit 1 with the fix', () => {
      const r = doctor(e, ['--agent', 'claude']);
      assert.equal(r.exitCode, 1);
      assert.match(r.problems.join('\n'), /^claude: no hookwarden handlers in .*settings\.json.*; run: hookwarden install --agent claude$/m);
    });

    it('human output: aligned, no colour when not a terminal, one line per problem', () => {
      const r = cli(e, ['doctor']);
      assert.equal(r.status, 0);
      assert.doesNotMatch(r.stdout, /\x1b\[/);
      assert.match(r.stdout, /^OK {4}codex {3}trust {9}7 handlers trusted/m);
      assert.match(r.stdout, /hookwarden is enforcing\n$/);
    });
  });
}

describe('doctor with nothing installed, and with a broken config', () => {
  let e: Env;
  before(() => {
    e = makeEnv();
  });
  after(() => e.cleanup());

  it('exit 1: hookwarden is not installed for any agent', () => {
    const r = doctor(e);
    assert.equal(r.exitCode, 1);
    assert.deepEqual(r.problems, ['hookwarden is not installed for any agent; run: hookwarden install']);
  });

  it('exit 1 with the config file named when a config layer is invalid; the probe shows every call blocked', () => {
    ok(cli(e, ['install', '--agent', 'claude']));
    const file = path.join(e.env.XDG_CONFIG_HOME as string, 'hookwarden', 'config.json');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{"rules": 1}');
    const r = doctor(e);
    fs.rmSync(file);
    assert.equal(r.exitCode, 1);
    assert.ok(r.problems.some((p) => p.startsWith(`${file}: field rules:`)), r.problems.join('\n'));
    assert.ok(r.problems.some((p) => p.startsWith('claude: PreToolUse probe (allowed)')), r.problems.join('\n'));
    assert.equal(doctor(e).exitCode, 0);
  });
});
