import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerError, answerPreToolUse, reasonLine } from '../../lib/answer.js';
import type { Verdict } from '../../lib/types.js';

const verdict = (decision: Verdict['decision'], reason?: string): Verdict => ({ decision, reason, targets: [], unresolved: false });

test('deny: exit 2, one stderr line with the hookwarden prefix, nothing on stdout (both hosts)', () => {
  for (const agent of ['codex', 'claude'] as const) {
    const a = answerPreToolUse(agent, verdict('deny', 'blocked write to .env (rule secrets): secrets and credentials are protected'));
    assert.deepEqual(a, {
      exitCode: 2,
      stdout: '',
      stderr: 'hookwarden: blocked write to .env (rule secrets): secrets and credentials are protected\n',
    });
  }
});

test('allow: exit 0 and no output at all (Codex rejects permissionDecision "allow")', () => {
  for (const agent of ['codex', 'claude'] as const) {
    assert.deepEqual(answerPreToolUse(agent, verdict('allow')), { exitCode: 0, stdout: '', stderr: '' });
  }
});

test('ask: Claude gets permissionDecision "ask" as the only stdout JSON, exit 0', () => {
  const a = answerPreToolUse('claude', verdict('ask', 'confirm write to deploy.yml (rule deploy)'));
  assert.equal(a.exitCode, 0);
  assert.equal(a.stderr, '');
  assert.deepEqual(JSON.parse(a.stdout), {
    hookSpecificOutput: {
      hookEventName: 'PreToolUse',
      permissionDecision: 'ask',
      permissionDecisionReason: 'hookwarden: confirm write to deploy.yml (rule deploy)',
    },
  });
  assert.equal(a.stdout.includes('\n'), false, 'exactly one JSON document, no trailing lines');
});

test('ask on Codex blocks: Codex rejects "ask" and would run the tool', () => {
  const a = answerPreToolUse('codex', verdict('ask', 'confirm write to deploy.yml (rule deploy)'));
  assert.equal(a.exitCode, 2);
  assert.equal(a.stdout, '');
  assert.match(a.stderr, /^hookwarden: confirm write to deploy\.yml \(rule deploy\).*\n$/);
  assert.equal(a.stderr.trim().split('\n').length, 1);
});

test('reasons are flattened to one non-empty line', () => {
  assert.equal(reasonLine('a\nb\r\n\tc  d'), 'a b c d');
  assert.equal(reasonLine(' \n '), 'blocked');
  const a = answerPreToolUse('codex', verdict('deny', 'line one\nline two'));
  assert.equal(a.stderr, 'hookwarden: line one line two\n');
  assert.equal(answerPreToolUse('codex', verdict('deny', '')).stderr, 'hookwarden: blocked\n');
});

test('errors block with exit 2 and a one-line reason', () => {
  assert.deepEqual(answerError('hook payload is empty'), { exitCode: 2, stdout: '', stderr: 'hookwarden: blocked: hook payload is empty\n' });
});
