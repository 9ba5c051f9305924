// Records of rejected calls keep their identity (issue 13, finding 11): whatever makes a payload
// fail (no tool_input, a wrong type, a 15 MB response, invalid UTF-8, an array, a truncated JSON),
// the hooks still block or record it, and the record carries the session, call and tool ids
// that can be read, in the configured audit file, so `tail --session` and Pre/Post pairing find it.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { claudePayload, codexPayload, readAudit, runHookSync, sandbox } from '../helpers/hook.js';
import { hw } from '../cli/run.js';

const sb = sandbox();
after(() => sb.cleanup());
const P = sb.project;
// A configured file sink (not the default file): the rejected calls must land there too.
const AUDIT = path.join(sb.root, 'logs', 'trail.jsonl');
before(() => {
  fs.mkdirSync(path.join(sb.env.XDG_CONFIG_HOME!, 'hookwarden'), { recursive: true });
  fs.writeFileSync(path.join(sb.env.XDG_CONFIG_HOME!, 'hookwarden', 'config.json'), JSON.stringify({ audit: { sinks: [{ type: 'file', path: AUDIT }] } }));
});

const SESSION = '01a20e99-3e5f-7a10-8f8a-5383ed36a44d';
const lastRecord = (): Record<string, unknown> => readAudit(AUDIT).at(-1) ?? {};
/** `text` with its `@@` replaced by raw bytes (invalid UTF-8). */
const withBytes = (text: string, bytes: number[]): Buffer => {
  const [a, b] = text.split('@@') as [string, string];
  return Buffer.concat([Buffer.from(a), Buffer.from(bytes), Buffer.from(b)]);
};

describe('PreToolUse: a rejected payload is blocked and recorded with its identity', () => {
  const pre = codexPayload(P, 'Bash', { command: 'ls' }, 'call_rej');
  const { tool_input: _ti, ...noInput } = pre;
  const cases: [string, string | Buffer, RegExp][] = [
    ['no tool_input', JSON.stringify(noInput), /tool_input: missing/],
    ['tool_input of the wrong type', JSON.stringify({ ...pre, tool_input: 'rm .env' }), /tool_input/],
    ['cwd relative', JSON.stringify({ ...pre, cwd: 'project' }), /cwd/],
    ['invalid UTF-8 beside a wrong type', withBytes(JSON.stringify({ ...pre, tool_input: { note: '@@', command: 5 } }), [0xff, 0xfe, 0xc3]), /command/],
    ['truncated JSON', JSON.stringify(pre).slice(0, JSON.stringify(pre).indexOf('"tool_input"') + 20), /not valid JSON/],
    ['over the 10 MiB read limit', JSON.stringify({ ...pre, tool_input: { command: `echo ${'x'.repeat(11 * 1024 * 1024)}` } }), /exceeds/],
  ];
  for (const [name, input, reason] of cases) {
    it(name, () => {
      const r = runHookSync('pre-tool-use', input, sb.env, P);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, reason);
      const rec = lastRecord();
      assert.equal(rec.event, 'PreToolUse');
      assert.equal(rec.decision, 'deny');
      assert.equal(rec.session_id, SESSION, JSON.stringify(rec));
      assert.equal(rec.turn_id, pre.turn_id);
      assert.equal(rec.tool, 'Bash');
      assert.match(String(rec.error), reason);
      assert.doesNotMatch(r.stderr, /internal error/);
      // (A valid payload whose command is not a string is rejected later, with its input recorded.)
      if (!name.startsWith('invalid UTF-8')) assert.equal(rec.input, undefined, 'nothing of a rejected input is recorded');
      if (name !== 'truncated JSON') assert.equal(rec.tool_use_id, 'call_rej');
    });
  }
  it('an identity field of the wrong type: the event still says PreToolUse, the others are kept', () => {
    assert.equal(runHookSync('pre-tool-use', JSON.stringify({ ...pre, hook_event_name: 5 }), sb.env, P).status, 2);
    const rec = lastRecord();
    assert.deepEqual([rec.event, rec.session_id, rec.tool_use_id, rec.tool], ['PreToolUse', SESSION, 'call_rej', 'Bash']);
  });
  it('a JSON array: blocked and recorded, nothing to identify', () => {
    const r = runHookSync('pre-tool-use', JSON.stringify([pre]), sb.env, P);
    assert.equal(r.status, 2);
    const rec = lastRecord();
    assert.match(String(rec.error), /got array/);
    assert.equal(rec.session_id, undefined);
  });
  it('a Claude payload with duplicate keys: the last one, as the valid path (JSON.parse) takes it', () => {
    const text = JSON.stringify(claudePayload(P, 'Write', { file_path: `${P}/a` }, 'toolu_dup')).replace('{', '{"session_id":"first",');
    const r = runHookSync('pre-tool-use', text, { ...sb.env, CLAUDE_PROJECT_DIR: P }, P);
    assert.equal(r.status, 0, r.stderr); // content missing is not required for Write? it is allowed as a path-only write
    assert.equal(lastRecord().session_id, 'abc123');
    const rejected = text.replace('"tool_input":{', '"tool_input":7,"x":{');
    assert.equal(runHookSync('pre-tool-use', rejected, { ...sb.env, CLAUDE_PROJECT_DIR: P }, P).status, 2);
    assert.deepEqual([lastRecord().session_id, lastRecord().tool_use_id, lastRecord().agent], ['abc123', 'toolu_dup', 'claude']);
  });
});

describe('PostToolUse and other events: a rejected payload is recorded with its identity', () => {
  it('PostToolUse with a 15 MB response: tool_use_id read from the end, pairing with its PreToolUse', () => {
    const post: Record<string, unknown> = { ...codexPayload(P, 'Bash', { command: 'cat big' }, 'call_big'), hook_event_name: 'PostToolUse' };
    const { tool_use_id: id, ...rest } = post;
    const text = JSON.stringify({ ...rest, tool_response: 'y'.repeat(15 * 1024 * 1024), tool_use_id: id });
    const r = runHookSync('post-tool-use', text, sb.env, P);
    assert.equal(r.status, 0);
    assert.equal(r.stdout, '');
    const rec = lastRecord();
    assert.deepEqual([rec.event, rec.session_id, rec.tool_use_id, rec.tool], ['PostToolUse', SESSION, 'call_big', 'Bash'], JSON.stringify(rec));
    // Not "internal error": the stdin reader's GuardError comes from the client's bundle.
    assert.equal(rec.error, 'hook payload exceeds 10485760 bytes');
    assert.equal(rec.response, undefined);
  });
  it('PostToolUse without tool_input', () => {
    const { tool_input: _t, ...post }: Record<string, unknown> = { ...codexPayload(P, 'Bash', {}, 'call_p2'), hook_event_name: 'PostToolUse', tool_response: 'ok' };
    assert.equal(runHookSync('post-tool-use', JSON.stringify(post), sb.env, P).status, 0);
    const rec = lastRecord();
    assert.deepEqual([rec.event, rec.session_id, rec.tool_use_id, rec.tool, rec.response], ['PostToolUse', SESSION, 'call_p2', 'Bash', undefined]);
  });
  it('a SessionStart with a relative cwd (audit-event)', () => {
    const start = { session_id: 'sess-x', transcript_path: '/t/r.jsonl', cwd: 'rel', hook_event_name: 'SessionStart', source: 'startup', agent_id: 'sub-1' };
    assert.equal(runHookSync('audit-event', JSON.stringify(start), sb.env, P).status, 0);
    const rec = lastRecord();
    assert.deepEqual([rec.event, rec.session_id, rec.transcript_path, rec.cwd, rec.agent_id], ['SessionStart', 'sess-x', '/t/r.jsonl', 'rel', 'sub-1']);
    assert.equal(rec.project, undefined, 'no project is claimed for a call without an absolute cwd');
  });
  it('tail --session finds every record of the session, rejected ones included', () => {
    const r = hw(['tail', '--json', '-n', '100', '--session', SESSION], { cwd: P, env: sb.env });
    assert.equal(r.status, 0, r.stderr);
    const recs = r.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(recs.length >= 9, `${recs.length} records`);
    assert.ok(recs.some((x) => x.tool_use_id === 'call_big' && x.event === 'PostToolUse'));
  });
});

describe('a project config that does not load cannot divert the records from the user sinks', () => {
  it('PreToolUse (blocked) and PostToolUse in a repository with a broken .hookwarden/config.json', () => {
    const repo = path.join(sb.root, 'hostile');
    fs.mkdirSync(path.join(repo, '.git'), { recursive: true });
    fs.mkdirSync(path.join(repo, '.hookwarden'));
    fs.writeFileSync(path.join(repo, '.hookwarden', 'config.json'), '{"rules": [');
    const pre = codexPayload(repo, 'Bash', { command: 'ls' }, 'call_hostile');
    const r = runHookSync('pre-tool-use', JSON.stringify(pre), sb.env, repo);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /config\.json/);
    const rec = lastRecord();
    assert.deepEqual([rec.tool_use_id, rec.decision, rec.project], ['call_hostile', 'deny', undefined]);
    assert.equal(runHookSync('post-tool-use', JSON.stringify({ ...pre, hook_event_name: 'PostToolUse', tool_response: 'x' }), sb.env, repo).status, 0);
    assert.deepEqual([lastRecord().tool_use_id, lastRecord().event], ['call_hostile', 'PostToolUse']);
    assert.ok(!fs.existsSync(sb.auditFile), 'nothing went to the default file');
  });
});

describe('with audit.postCheck on', () => {
  it('a rejected PostToolUse payload reports its one problem once, and blocks nothing', () => {
    const cfg = path.join(sb.env.XDG_CONFIG_HOME!, 'hookwarden', 'config.json');
    const before = fs.readFileSync(cfg, 'utf8');
    fs.writeFileSync(cfg, JSON.stringify({ audit: { postCheck: true, sinks: [{ type: 'file', path: AUDIT }] } }));
    try {
      const { tool_input: _t, ...post }: Record<string, unknown> = { ...codexPayload(P, 'Bash', {}, 'call_pc'), hook_event_name: 'PostToolUse', tool_response: 'ok' };
      const r = runHookSync('post-tool-use', JSON.stringify(post), sb.env, P);
      assert.deepEqual([r.status, r.stdout], [0, '']);
      assert.equal(r.stderr, 'hookwarden: invalid hook payload: field tool_input: missing\n');
      assert.equal(lastRecord().tool_use_id, 'call_pc');
    } finally {
      fs.writeFileSync(cfg, before);
    }
  });
});
