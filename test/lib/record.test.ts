import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import os from 'node:os';
import fc from 'fast-check';
import { canonicalJson } from '../../lib/canonical.js';
import { buildRecord, type RecordInput } from '../../lib/record.js';
import { compileRedactor } from '../../lib/redact.js';
import type { Verdict } from '../../lib/types.js';

const redact = compileRedactor([]);
const limits = { maxInputBytes: 8192, maxResponseBytes: 8192 };
const now = new Date('2026-11-24T17:27:33.123Z');
const sha = (s: string): string => createHash('sha256').update(s).digest('hex');
const digestOf = (s: string) => ({ bytes: Buffer.byteLength(s), sha256: sha(s) });
const GH = `ghp_${'Ab12'.repeat(9)}`;

const codexBase = {
  session_id: '01a20e99-3e5f-7a10-8f8a-5383ed36a44d',
  turn_id: '01a20e99-3e72-7051-a559-fe432a2c27a3',
  transcript_path: '/home/dev/.codex/sessions/2026/11/24/rollout.jsonl',
  cwd: '/home/dev/project',
  model: 'gpt-5.5',
  permission_mode: 'bypassPermissions',
};
const claudeBase = {
  session_id: 'abc123',
  transcript_path: '/home/dev/.claude/projects/-home-dev-project/abc123.jsonl',
  cwd: '/home/dev/project',
  permission_mode: 'default',
};

const build = (input: Omit<RecordInput, 'version' | 'now'>, lim = limits) =>
  buildRecord({ ...input, version: '0.1.0', now }, lim, redact);

test('Codex PreToolUse Bash, denied: ids verbatim, verdict, targets, redacted input, pino fields', () => {
  const verdict: Verdict = {
    decision: 'deny', rule: 'protect-git', layer: 'builtin:vcs', reason: `protected path: .git/hooks (token ${GH})`,
    targets: [{ op: 'delete', path: '/home/dev/project/.git/hooks', via: 'rm' }, { op: 'write', path: '/home/dev/project/\u0000unresolved\u0000', via: '>', unresolved: true }],
    unresolved: true,
  };
  const payload = { ...codexBase, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: `GITHUB_TOKEN=${GH} rm -rf .git/hooks` }, tool_use_id: 'call_exec1' };
  const rec = build({ agent: 'codex', event: 'PreToolUse', payload, verdict, project: '/home/dev/project' });
  assert.deepEqual(
    { ...rec, id: undefined },
    {
      v: 1, id: undefined, ts: '2026-11-24T17:27:33.123Z', time: now.getTime(), level: 40, msg: 'PreToolUse Bash deny (protect-git)',
      agent: 'codex', event: 'PreToolUse', session_id: codexBase.session_id, turn_id: codexBase.turn_id, tool_use_id: 'call_exec1',
      tool: 'Bash', cwd: '/home/dev/project', transcript_path: codexBase.transcript_path, project: '/home/dev/project', decision: 'deny', rule: 'protect-git', layer: 'builtin:vcs',
      reason: 'protected path: .git/hooks (token [REDACTED:github-token])', unresolved: true,
      // The internal placeholder (NUL bytes) never reaches a record: unknown parts read <unresolved>.
      targets: [{ op: 'delete', path: '/home/dev/project/.git/hooks' }, { op: 'write', path: '/home/dev/project/<unresolved>', unresolved: true }],
      input: { command: 'GITHUB_TOKEN=[REDACTED:github-token] rm -rf .git/hooks' },
      host: os.hostname(), user: rec.user, pid: process.pid, version: '0.1.0',
    },
  );
  assert.match(rec.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7/);
  assert.ok(rec.user.length > 0);
  assert.ok(!('prev' in rec) && !('hash' in rec), 'the chain layer sets prev and hash');
  assert.deepEqual(JSON.parse(JSON.stringify(rec)), rec, 'no undefined fields');
});

test('Codex apply_patch: headers kept, each hunk body replaced by its size and sha256', () => {
  const patch = '*** Begin Patch\n*** Add File: src/new.ts\n+export const x = 1;\n*** Update File: config/secrets.env\n*** Move to: config/secrets.env.bak\n@@\n-API_KEY=old\n+API_KEY=new\n*** Delete File: .env\n*** End Patch\n';
  const payload = { ...codexBase, hook_event_name: 'PreToolUse', tool_name: 'apply_patch', tool_input: { command: patch }, tool_use_id: 'call_patch1' };
  const rec = build({ agent: 'codex', event: 'PreToolUse', payload });
  assert.deepEqual(rec.input, {
    command: [
      { header: '*** Begin Patch' },
      { header: '*** Add File: src/new.ts', body: digestOf('+export const x = 1;\n') },
      { header: '*** Update File: config/secrets.env' },
      { header: '*** Move to: config/secrets.env.bak', body: digestOf('@@\n-API_KEY=old\n+API_KEY=new\n') },
      { header: '*** Delete File: .env' },
      { header: '*** End Patch' },
    ],
  });
  assert.ok(!JSON.stringify(rec).includes('API_KEY'));
  assert.equal(rec.decision, undefined);
  assert.equal(rec.level, 30);
});

test('Claude file tools: Write content, Edit strings, MultiEdit edits, NotebookEdit source become digests', () => {
  const cases: [string, Record<string, unknown>, Record<string, unknown>][] = [
    ['Write', { file_path: '/p/.env', content: 'API_KEY=xyz\n' }, { file_path: '/p/.env', content: digestOf('API_KEY=xyz\n') }],
    ['Edit', { file_path: '/p/a.ts', old_string: 'const port = 3000;', new_string: 'const port = 8080;', replace_all: false },
      { file_path: '/p/a.ts', old_string: digestOf('const port = 3000;'), new_string: digestOf('const port = 8080;'), replace_all: false }],
    ['MultiEdit', { file_path: '/p/a.ts', edits: [{ old_string: 'foo', new_string: 'bar', replace_all: true }, { old_string: 'let a = 1;', new_string: 'let a = 2;' }] },
      { file_path: '/p/a.ts', edits: [{ old_string: digestOf('foo'), new_string: digestOf('bar'), replace_all: true }, { old_string: digestOf('let a = 1;'), new_string: digestOf('let a = 2;') }] }],
    ['NotebookEdit', { notebook_path: '/p/n.ipynb', cell_id: 'c1', new_source: 'print(1)', edit_mode: 'replace' },
      { notebook_path: '/p/n.ipynb', cell_id: 'c1', new_source: digestOf('print(1)'), edit_mode: 'replace' }],
  ];
  for (const [tool, toolInput, expected] of cases) {
    const payload = { ...claudeBase, hook_event_name: 'PreToolUse', tool_name: tool, tool_input: toolInput, tool_use_id: 'toolu_01' };
    assert.deepEqual(build({ agent: 'claude', event: 'PreToolUse', payload }).input, expected, tool);
  }
});

test('MCP: content/text/data arguments become digests; the response keeps its text and scalar fields', () => {
  const base = { ...codexBase, tool_name: 'mcp__demo__write_note', tool_input: { path: 'notes/a.md', text: 'hello' }, tool_use_id: 'call_mcp1' };
  const pre = build({ agent: 'codex', event: 'PreToolUse', payload: { ...base, hook_event_name: 'PreToolUse' } });
  assert.deepEqual(pre.input, { path: 'notes/a.md', text: digestOf('hello') });
  const response = { content: [{ type: 'text', text: `wrote 5 chars; token ${GH}` }, { type: 'image', data: 'AAAA' }], isError: false };
  const post = build({ agent: 'codex', event: 'PostToolUse', payload: { ...base, hook_event_name: 'PostToolUse', tool_response: response } });
  assert.deepEqual(post.response, {
    ...digestOf(JSON.stringify(response)), text: 'wrote 5 chars; token [REDACTED:github-token]\n[image]', fields: { isError: false },
  });
  assert.equal(post.tool_use_id, pre.tool_use_id);
  assert.equal(post.session_id, pre.session_id);
});

test('PostToolUse responses: Codex strings (Bash output, apply_patch with exit code), Claude objects', () => {
  const bashOut = 'oops\nhello\nREADME.md\nsrc\n';
  const codexBash = build({ agent: 'codex', event: 'PostToolUse', payload: { ...codexBase, hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: 'echo hello && ls' }, tool_response: bashOut, tool_use_id: 'call_exec1' } });
  assert.deepEqual(codexBash.response, { ...digestOf(bashOut), text: bashOut });
  assert.deepEqual(codexBash.input, { command: 'echo hello && ls' });

  const patchOut = 'Exit code: 0\nWall time: 0 seconds\nOutput:\nSuccess. Updated the following files:\nA new.txt\n';
  const codexPatch = build({ agent: 'codex', event: 'PostToolUse', payload: { ...codexBase, hook_event_name: 'PostToolUse', tool_name: 'apply_patch', tool_input: { command: '*** Begin Patch\n*** Add File: new.txt\n+hi\n*** End Patch\n' }, tool_response: patchOut } });
  assert.deepEqual(codexPatch.response, { ...digestOf(patchOut), exit: 0, text: patchOut });

  const claudeOut = { stdout: `key=${GH}\n`, stderr: 'warn\n', interrupted: false, isImage: false, noOutputExpected: false };
  const claudeBash = build({ agent: 'claude', event: 'PostToolUse', payload: { ...claudeBase, hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: 'env', description: 'show env' }, tool_response: claudeOut, tool_use_id: 'toolu_9' } });
  assert.deepEqual(claudeBash.response, {
    ...digestOf(JSON.stringify(claudeOut)), text: 'key=[REDACTED:github-token]\n', stderr: 'warn\n',
    fields: { interrupted: false, isImage: false, noOutputExpected: false },
  });

  const writeOut = { type: 'create', filePath: '/p/src/new.ts', content: 'export const x = 1;\n', structuredPatch: [], originalFile: null, success: true };
  const claudeWrite = build({ agent: 'claude', event: 'PostToolUse', payload: { ...claudeBase, hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: '/p/src/new.ts', content: 'export const x = 1;\n' }, tool_response: writeOut } });
  assert.deepEqual(claudeWrite.response, { ...digestOf(JSON.stringify(writeOut)), fields: { type: 'create', filePath: '/p/src/new.ts', success: true } });
  assert.ok(!JSON.stringify(claudeWrite).includes('export const x'), 'file contents are never stored');
});

test('truncation happens after redaction, to the byte limits, and says so', () => {
  const lim = { maxInputBytes: 512, maxResponseBytes: 600 };
  const out = `${'x'.repeat(560)}${GH}${'y'.repeat(5000)}\n${GH}`;
  const rec = build({ agent: 'codex', event: 'PostToolUse', payload: { ...codexBase, hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: `echo ${'z'.repeat(2000)} ${GH}` }, tool_response: out } }, lim);
  const text = JSON.stringify(rec);
  assert.ok(!text.includes('ghp_'), 'no part of a token survives the cut');
  assert.ok(Buffer.byteLength(JSON.stringify(rec.input)) <= lim.maxInputBytes);
  assert.ok(Buffer.byteLength(JSON.stringify(rec.response)) <= lim.maxResponseBytes);
  const response = rec.response as { bytes: number; sha256: string; text: string; truncated: boolean };
  assert.equal(response.truncated, true);
  assert.deepEqual({ bytes: response.bytes, sha256: response.sha256 }, digestOf(out), 'size and hash are of the whole output');
  assert.ok(response.text.startsWith('xxx') && response.text.endsWith('…'));
  assert.equal((rec.input as { truncated?: boolean }).truncated, true);
});

test('other events record their own fields (redacted, truncated); the transcript path only in its own field', () => {
  const events: [string, Record<string, unknown>, unknown][] = [
    ['SessionStart', { source: 'startup' }, { model: 'gpt-5.5', permission_mode: 'bypassPermissions', source: 'startup' }],
    ['UserPromptSubmit', { prompt: `deploy with ${GH}` }, { model: 'gpt-5.5', permission_mode: 'bypassPermissions', prompt: 'deploy with [REDACTED:github-token]' }],
    ['PermissionRequest', { tool_name: 'Bash', tool_input: { command: 'touch /etc/app.conf', description: 'need to write outside the workspace' } },
      { model: 'gpt-5.5', permission_mode: 'bypassPermissions', tool_name: 'Bash', tool_input: { command: 'touch /etc/app.conf', description: 'need to write outside the workspace' } }],
    ['Stop', { stop_hook_active: false, last_assistant_message: 'done' }, { model: 'gpt-5.5', permission_mode: 'bypassPermissions', stop_hook_active: false, last_assistant_message: 'done' }],
  ];
  for (const [event, fields, expected] of events) {
    const rec = build({ agent: 'codex', event, payload: { ...codexBase, hook_event_name: event, ...fields } });
    assert.equal(rec.event, event);
    assert.deepEqual(rec.input, expected, event);
    assert.equal(rec.transcript_path, codexBase.transcript_path);
    assert.ok(!JSON.stringify(rec.input).includes('rollout.jsonl'));
  }
  const end = build({ agent: 'codex', event: 'SessionEnd', payload: { session_id: 's', transcript_path: '/t', cwd: '/p', hook_event_name: 'SessionEnd', reason: 'other' } });
  assert.deepEqual(end.input, { reason: 'other' });
  assert.equal(end.turn_id, undefined);

  const long = build({ agent: 'claude', event: 'UserPromptSubmit', payload: { ...claudeBase, hook_event_name: 'UserPromptSubmit', prompt: 'p'.repeat(20_000) } }, { maxInputBytes: 1024, maxResponseBytes: 1024 });
  assert.ok(Buffer.byteLength(JSON.stringify(long.input)) <= 1024);
  assert.equal((long.input as { truncated: boolean }).truncated, true);
});

test('no payload (unreadable stdin): the record still says what happened, at error level', () => {
  const rec = build({ agent: 'claude', event: 'PreToolUse', error: `payload is not JSON near "${GH}"` });
  assert.equal(rec.event, 'PreToolUse');
  assert.equal(rec.level, 50);
  assert.equal(rec.error, 'payload is not JSON near "[REDACTED:github-token]"');
  assert.equal(rec.msg, 'PreToolUse: error');
  assert.equal(rec.input, undefined);
});

test('property: any payload shape builds a record within the limits, without throwing', () => {
  const tools = fc.constantFrom('Bash', 'apply_patch', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'mcp__s__t', 'Read', undefined);
  const events = fc.constantFrom('PreToolUse', 'PostToolUse', 'SessionStart', 'UserPromptSubmit', 'PermissionRequest', 'Stop', 'X');
  fc.assert(
    fc.property(events, tools, fc.jsonValue(), fc.jsonValue(), fc.dictionary(fc.string(), fc.jsonValue()), (event, tool, toolInput, toolResponse, extra) => {
      const payload = { ...extra, hook_event_name: event, tool_name: tool, tool_input: toolInput, tool_response: toolResponse };
      const lim = { maxInputBytes: 256, maxResponseBytes: 300 };
      const rec = build({ agent: 'codex', event, payload }, lim);
      assert.ok(Buffer.byteLength(JSON.stringify(rec.input) ?? '') <= 256);
      assert.ok(Buffer.byteLength(JSON.stringify(rec.response) ?? '') <= 300);
      assert.ok(Object.values(rec).every((v) => v !== undefined));
      // What the chain hashes is what a reader of the JSON line hashes.
      assert.equal(canonicalJson(JSON.parse(JSON.stringify(rec))), canonicalJson(rec));
    }),
    { numRuns: 500 },
  );
});

test('a rejected payload (its stand-in): identity fields, no input or response, the error', async () => {
  const { rejectedPayload } = await import('../../lib/payload.js');
  const p = rejectedPayload({ session_id: 's', tool_use_id: 'call_x', tool_name: 'Bash', cwd: '/p', transcript_path: '/t', agent_id: 'a1', agent_type: 'explorer' }, 'codex', 'PostToolUse');
  assert.ok(p);
  const rec = build({ agent: 'codex', event: p.event, payload: p.raw, error: 'hook payload exceeds 10485760 bytes' });
  assert.deepEqual(
    [rec.event, rec.session_id, rec.tool_use_id, rec.tool, rec.cwd, rec.transcript_path, rec.agent_id, rec.agent_type, rec.input, rec.response, rec.level],
    ['PostToolUse', 's', 'call_x', 'Bash', '/p', '/t', 'a1', 'explorer', undefined, undefined, 50],
  );
  assert.ok(!JSON.stringify(rec).includes('rejected'), 'the marker is not serialized');
});

test('identity fields of a valid payload are bounded too (4096 characters, marked)', () => {
  const rec = build({ agent: 'codex', event: 'PreToolUse', payload: { ...codexBase, session_id: 's'.repeat(100_000), hook_event_name: 'PreToolUse', tool_name: 'T'.repeat(5000), tool_input: {} } });
  assert.equal(rec.session_id, `${'s'.repeat(4096)}…`);
  assert.equal(rec.tool, `${'T'.repeat(4096)}…`);
});
