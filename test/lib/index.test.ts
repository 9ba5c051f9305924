// The published library (`import { evaluate } from 'hookwarden'`) decides and records exactly as the hook.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { claudePayload, codexPayload, runHookSync, sandbox } from '../helpers/hook.js';

const sb = sandbox();
after(() => sb.cleanup());
const P = sb.project;

// Through the package's own "exports": the built ESM bundle, as a consumer sees it.
const lib = await import('hookwarden');

// Each case names the decision it must get: equality with the hook alone would pass a guard that allows everything.
const cases: [string, Record<string, unknown>, 'allow' | 'deny', string | undefined][] = [
  ['codex Bash write to .env', codexPayload(P, 'Bash', { command: `sh -c 'rm "$1"' _ .env` }), 'deny', 'secrets'],
  ['codex apply_patch into .git', codexPayload(P, 'apply_patch', { command: '*** Begin Patch\n*** Delete File: .git/HEAD\n*** End Patch' }), 'deny', 'vcs'],
  ['claude Write src', claudePayload(P, 'Write', { file_path: `${P}/src/a.ts`, content: 'x' }), 'allow', undefined],
  ['claude Bash ordinary', claudePayload(P, 'Bash', { command: 'npm test' }), 'allow', undefined],
  ['broken payload', { hook_event_name: 'PreToolUse' }, 'deny', undefined],
];

for (const [name, payload, decision, rule] of cases) {
  test(`evaluate() answers like the hook: ${name}`, () => {
    const ev = lib.evaluate(payload, { env: sb.env, home: sb.env.HOME });
    assert.equal(ev.verdict.decision, decision);
    if (rule) assert.equal(ev.verdict.rule, rule);
    const hook = runHookSync('pre-tool-use', JSON.stringify(payload), sb.env, P);
    assert.equal(ev.answer.exitCode, hook.status);
    assert.equal(ev.answer.stderr, hook.stderr);
    assert.equal(ev.answer.stdout, hook.stdout);
    assert.equal(ev.record.decision, ev.verdict.decision);
    assert.equal(ev.record.v, 1);
    assert.equal(ev.record.hash, undefined, 'the chain is added by the file sink');
  });
}

test('a config loaded once can be reused across calls', () => {
  const config = lib.loadConfig({ cwd: P, home: sb.env.HOME!, env: sb.env, platform: process.platform });
  const deny = lib.evaluate(codexPayload(P, 'Bash', { command: 'touch .git/x' }), { env: sb.env, config });
  const allow = lib.evaluate(codexPayload(P, 'Bash', { command: 'touch src/x' }), { env: sb.env, config });
  assert.equal(deny.verdict.decision, 'deny');
  assert.equal(deny.verdict.rule, 'vcs');
  assert.equal(allow.verdict.decision, 'allow');
});

test('evaluate never throws: garbage becomes a deny with an error', () => {
  for (const junk of [undefined, 42, 'not json', [1], { cwd: 'relative' }]) {
    const ev = lib.evaluate(junk, { env: sb.env });
    assert.equal(ev.verdict.decision, 'deny');
    assert.ok(ev.error);
  }
});
