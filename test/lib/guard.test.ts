// lib/guard.ts wires PreToolUse: payload -> config -> targets -> decision, with every failure a deny
// that keeps what the record needs (agent, identity, the user's audit config).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { preToolUse, recordInputOf, userAuditConfig, type GuardEnv } from '../../lib/guard.js';
import { claudePayload, codexPayload, sandbox } from '../helpers/hook.js';

const sb = sandbox();
after(() => sb.cleanup());
const genv: GuardEnv = { env: sb.env, home: sb.env.HOME, platform: 'linux' };
const run = (p: unknown, g: GuardEnv = genv) => preToolUse(JSON.stringify(p), g);

describe('preToolUse', () => {
  it('decides a valid call: a protected write is denied with its rule, an ordinary one allowed', () => {
    const deny = run(claudePayload(sb.project, 'Write', { file_path: path.join(sb.project, '.env'), content: 'x' }));
    assert.equal(deny.verdict.decision, 'deny');
    assert.equal(deny.verdict.rule, 'secrets');
    assert.equal(deny.agent, 'claude');
    assert.equal(deny.error, undefined);
    const allow = run(codexPayload(sb.project, 'Bash', { command: 'echo hi > src/out.txt' }));
    assert.equal(allow.verdict.decision, 'allow');
    assert.equal(allow.agent, 'codex');
    assert.equal(allow.config?.root, sb.project);
  });

  it('text that is not JSON is a deny with an error, and the agent still comes from the environment', () => {
    const o = preToolUse('{not json', { ...genv, env: { ...sb.env, CLAUDE_PROJECT_DIR: sb.project } });
    assert.equal(o.verdict.decision, 'deny');
    assert.ok(o.error && !o.error.includes('\n'), 'one line');
    assert.equal(o.agent, 'claude');
  });

  it('a payload without tool_input is denied, and keeps its session and call ids for the record', () => {
    const p = codexPayload(sb.project, 'Bash', {}, 'call_noinput') as Record<string, unknown>;
    delete p.tool_input;
    const o = run(p);
    assert.equal(o.verdict.decision, 'deny');
    const input = recordInputOf(o);
    assert.equal(input.payload?.tool_use_id, 'call_noinput');
    assert.equal(input.payload?.session_id, p.session_id);
  });

  it('a broken project config blocks the call, names the file, and the record still goes to the user\'s trail', () => {
    const project = fs.mkdtempSync(path.join(sb.root, 'proj-'));
    fs.mkdirSync(path.join(project, '.git'));
    fs.mkdirSync(path.join(project, '.hookwarden'));
    fs.writeFileSync(path.join(project, '.hookwarden', 'config.json'), '{"rules": [');
    const o = run(codexPayload(project, 'Bash', { command: 'ls' }));
    assert.equal(o.verdict.decision, 'deny');
    assert.match(o.error ?? '', /\.hookwarden[/\\]config\.json/);
    assert.deepEqual(o.config?.audit, userAuditConfig(genv)?.audit);
  });

  it('a payload over the configured input limit is refused as a whole: identity only, no input', () => {
    const userConfig = path.join(sb.env.XDG_CONFIG_HOME!, 'hookwarden', 'config.json');
    fs.mkdirSync(path.dirname(userConfig), { recursive: true });
    fs.writeFileSync(userConfig, JSON.stringify({ limits: { maxInputBytes: 4096 } }));
    try {
      const o = run(codexPayload(sb.project, 'Bash', { command: `echo ${'x'.repeat(8000)}` }, 'call_big'));
      assert.equal(o.verdict.decision, 'deny');
      assert.match(o.error ?? '', /exceeds 4096 bytes/);
      assert.equal(recordInputOf(o).payload?.tool_use_id, 'call_big');
      assert.equal((recordInputOf(o).payload as Record<string, unknown>).tool_input, undefined);
    } finally {
      fs.rmSync(userConfig);
    }
  });
});
