// audit/emit.ts, the hooks' one way into the trail: the record builder they share with the library,
// the AuditError record that keeps a sink failure in the trail, and the time bound on sink work.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { emit } from '../../audit/emit.js';
import { AuditConfigSchema } from '../../lib/audit-config.js';
import { recordOf } from '../../lib/record.js';
import { evaluate } from '../../lib/index.js';
import { codexPayload, runHookSync, sandbox } from '../helpers/hook.js';
import type { AuditRecord } from '../../lib/types.js';

const sb = sandbox();
after(() => sb.cleanup());
const readRecords = (file: string): AuditRecord[] =>
  fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as AuditRecord) : [];
const TOKEN = `ghp_${'A1b2C3d4E5'.repeat(3)}123456`;

/** The fields of a record that depend on the call, not on when or where it was written. */
const stable = (r: AuditRecord) => {
  const { id: _i, ts: _t, time: _m, pid: _p, prev: _v, hash: _h, ...rest } = r as AuditRecord & Record<string, unknown>;
  return rest;
};

describe('one record builder', () => {
  const userConfig = path.join(sb.env.XDG_CONFIG_HOME!, 'hookwarden', 'config.json');
  fs.mkdirSync(path.dirname(userConfig), { recursive: true });
  fs.writeFileSync(userConfig, JSON.stringify({ audit: { redact: ['(unclosed'] } }));
  const payload = codexPayload(sb.project, 'Bash', { command: `echo ${TOKEN} > .env` }, 'call_badredact');

  it('a bad redaction pattern: evaluate() does not throw, redacts with the built-in patterns and says why', () => {
    const ev = evaluate(payload, { env: sb.env, home: sb.env.HOME });
    assert.equal(ev.verdict.decision, 'deny');
    assert.match(ev.auditProblem ?? '', /^record: /);
    assert.ok(!JSON.stringify(ev.record).includes(TOKEN), 'the token is redacted by the built-in patterns');
  });

  it('the hook writes the same record, and an AuditError record naming the problem', () => {
    const ev = evaluate(payload, { env: sb.env, home: sb.env.HOME });
    const hook = runHookSync('pre-tool-use', JSON.stringify(payload), sb.env, sb.project);
    assert.equal(hook.status, ev.answer.exitCode);
    const records = readRecords(sb.auditFile).filter((r) => r.tool_use_id === 'call_badredact');
    const pre = records.find((r) => r.event === 'PreToolUse');
    assert.ok(pre, 'the call is recorded');
    assert.deepEqual(stable(pre), stable(ev.record));
    const problem = records.find((r) => r.event === 'AuditError');
    assert.match(String(problem?.error), /record: /);
    fs.rmSync(userConfig);
  });

  it('recordOf with a good config returns no problem; with builtinRedaction it ignores user patterns', () => {
    const audit = AuditConfigSchema.parse({ redact: ['secret-[a-z]+'] });
    const input = { agent: 'codex' as const, event: 'PreToolUse', payload: codexPayload(sb.project, 'Bash', { command: 'echo secret-word' }), version: 't' };
    const user = recordOf(input, audit);
    assert.equal(user.problem, undefined);
    assert.ok(!JSON.stringify(user.record.input).includes('secret-word'));
    const builtin = recordOf(input, audit, { builtinRedaction: true });
    assert.ok(JSON.stringify(builtin.record.input).includes('secret-word'));
  });
});

describe('emit', () => {
  const input = (id: string) => ({ agent: 'codex' as const, event: 'PreToolUse', payload: codexPayload(sb.project, 'Bash', { command: 'ls' }, id) });

  it('a sink that fails leaves an AuditError record in the file sink, with the call\'s identity', async () => {
    const state = fs.mkdtempSync(path.join(sb.root, 'st-'));
    const spool = path.join(state, 'spool-is-a-file');
    fs.writeFileSync(spool, 'not a folder');
    const audit = AuditConfigSchema.parse({
      sinks: [{ type: 'file', path: path.join(state, 'audit.jsonl') }, { type: 'http', url: 'http://127.0.0.1:9/x' }],
      spool: { dir: spool },
    });
    const env = { ...sb.env, HOOKWARDEN_CLI: '/nonexistent/cli.js' };
    const problems = await emit(input('call_spoolfail'), audit, { env, home: sb.env.HOME, cwd: sb.project, timeoutMs: 5000 });
    assert.ok(problems.some((p) => /http/.test(p)), problems.join('; '));
    const records = readRecords(path.join(state, 'audit.jsonl'));
    assert.deepEqual(records.map((r) => r.event), ['PreToolUse', 'AuditError']);
    assert.equal(records[1]?.tool_use_id, 'call_spoolfail');
    assert.equal(records[1]?.session_id, records[0]?.session_id);
  });

  it('sink work is bounded: a file locked by someone else is waited for only as long as the call allows, and the problem is returned', async () => {
    const state = fs.mkdtempSync(path.join(sb.root, 'st-'));
    const file = path.join(state, 'audit.jsonl');
    fs.writeFileSync(file, '');
    // proper-lockfile's lock: a folder beside the file, refreshed by a live holder (kept fresh here).
    const lock = `${file}.lock`;
    fs.mkdirSync(lock);
    const keep = setInterval(() => fs.utimesSync(lock, new Date(), new Date()), 200);
    try {
      const audit = AuditConfigSchema.parse({ sinks: [{ type: 'file', path: file }] });
      const problems = await emit(input('call_locked'), audit, { env: sb.env, home: sb.env.HOME, cwd: sb.project, timeoutMs: 400 });
      // The bound given, not the lock's own default wait, is what the write waited for.
      assert.ok(problems.some((p) => /400 ms/.test(p)), problems.join('; '));
      assert.deepEqual(readRecords(file), [], 'nothing half-written while the lock was held');
    } finally {
      clearInterval(keep);
    }
  });
});
