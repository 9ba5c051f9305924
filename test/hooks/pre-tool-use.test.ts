// The built PreToolUse executable, spoken to exactly as Codex and Claude Code do.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { claudePayload, codexPayload, hookPath, readAudit, runHook, runHookSync, sandbox } from '../helpers/hook.js';

const sb = sandbox();
after(() => sb.cleanup());
const P = sb.project;
const claudeEnv = { ...sb.env, CLAUDE_PROJECT_DIR: P };

const blocked = (r: { status: number | null; stdout: string; stderr: string }, pattern: RegExp) => {
  assert.equal(r.status, 2, `expected exit 2, got ${r.status}: ${r.stderr}`);
  assert.equal(r.stdout, '', 'stdout must be empty on a block');
  assert.match(r.stderr, /^hookwarden: [^\n]+\n$/, 'exactly one stderr line with the prefix');
  assert.match(r.stderr, pattern);
};
const allowed = (r: { status: number | null; stdout: string; stderr: string }) => {
  assert.equal(r.status, 0, `expected exit 0, got ${r.status}: ${r.stderr}`);
  assert.equal(r.stdout, '');
  assert.equal(r.stderr, '');
};

describe('PreToolUse protocol, byte for byte', () => {
  const cases: [string, Record<string, unknown>, Record<string, string>, RegExp | null][] = [
    ['codex Bash redirect to .env', codexPayload(P, 'Bash', { command: 'echo hi > .env' }), sb.env, /^hookwarden: blocked write to \.env \(rule secrets\): /],
    ['codex apply_patch second target .git/config', codexPayload(P, 'apply_patch', { command: '*** Begin Patch\n*** Add File: src/ok.ts\n+x\n*** Update File: .git/config\n@@\n-a\n+b\n*** End Patch\n' }), sb.env, /\.git\/config \(rule vcs\)/],
    ['codex MCP write_file into .git', codexPayload(P, 'mcp__fs__write_file', { path: '.git/hooks/pre-commit', content: 'x' }), sb.env, /\.git\/hooks\/pre-commit/],
    ['claude Write .env', claudePayload(P, 'Write', { file_path: `${P}/.env`, content: 'A=1' }), claudeEnv, /blocked write to \.env \(rule secrets\)/],
    ['claude Bash tee .env', claudePayload(P, 'Bash', { command: 'tee .env < /dev/null', description: 'x' }), claudeEnv, /\.env \(rule secrets\)/],
    ['codex Bash ordinary', codexPayload(P, 'Bash', { command: 'git commit -m "fix .env parsing" && echo x 2>/dev/null' }), sb.env, null],
    ['codex Bash find -exec rm of .git', codexPayload(P, 'Bash', { command: 'find . -name .git -exec rm -rf {} +' }), sb.env, /^hookwarden: blocked delete of \.git \(rule vcs\): /],
    ['claude Bash find -delete', claudePayload(P, 'Bash', { command: 'find . -delete', description: 'x' }), claudeEnv, /\.git.* \(rule vcs\)/],
    ['codex Bash find -delete of build files', codexPayload(P, 'Bash', { command: "find src -name '*.pyc' -delete" }), sb.env, null],
    ['codex Bash git config writes .git/config', codexPayload(P, 'Bash', { command: "git config core.hooksPath /tmp/h" }), sb.env, /^hookwarden: blocked write to \.git\/config \(rule vcs\): /],
    ['claude Bash git checkout of .env', claudePayload(P, 'Bash', { command: 'git checkout HEAD -- .env', description: 'x' }), claudeEnv, /^hookwarden: blocked write to \.env \(rule secrets\): /],
    ['codex Bash git apply of a heredoc patch', codexPayload(P, 'Bash', { command: "git apply <<'EOF'\n--- a/.env\n+++ b/.env\n@@ -1 +1 @@\n-A=1\n+A=2\nEOF" }), sb.env, /blocked write to \.env \(rule secrets\)/],
    ['codex Bash git switch and push', codexPayload(P, 'Bash', { command: 'git switch -c fix && git push -u origin fix' }), sb.env, null],
    ['codex apply_patch on src', codexPayload(P, 'apply_patch', { command: '*** Begin Patch\n*** Add File: src/a.ts\n+export {};\n*** End Patch' }), sb.env, null],
    ['claude Write .env.example', claudePayload(P, 'Write', { file_path: `${P}/.env.example`, content: 'A=' }), claudeEnv, null],
    ['claude Read is not a write', claudePayload(P, 'Read', { file_path: `${P}/.env` }), claudeEnv, null],
  ];
  for (const [name, payload, env, pattern] of cases) {
    it(name, () => {
      const r = runHookSync('pre-tool-use', JSON.stringify(payload), env, P);
      if (pattern) blocked(r, pattern); else allowed(r);
    });
  }
});

describe('fail closed: every failure blocks with a one-line reason that names the problem', () => {
  const cases: [string, string | Buffer, RegExp][] = [
    ['empty stdin', '', /payload is empty/],
    ['whitespace', '  \n', /payload is empty/],
    ['malformed JSON', '{"session_id":', /not valid JSON/],
    ['a JSON array', '[1,2]', /payload/],
    ['null', 'null', /payload/],
    ['tool_input not an object', JSON.stringify({ ...codexPayload(P, 'Bash', {}), tool_input: 'rm .env' }), /tool_input/],
    ['Bash command not a string', JSON.stringify(codexPayload(P, 'Bash', { command: 42 })), /command/],
    ['unparsable patch', JSON.stringify(codexPayload(P, 'apply_patch', { command: 'rm -rf /' })), /apply_patch/],
    ['unparsable shell', JSON.stringify(codexPayload(P, 'Bash', { command: 'echo "unterminated' })), /cannot parse shell command/],
    ['stdin past the read cap (64 MiB)', Buffer.alloc(64 * 1024 * 1024 + 10, 0x20), /exceeds 67108864 bytes/],
    ['a payload past limits.maxInputBytes (default 10 MiB)', JSON.stringify(codexPayload(P, 'Bash', { command: `echo ${'x'.repeat(10 * 1024 * 1024)} > src/a` })), /exceeds 10485760 bytes/],
  ];
  for (const [name, input, pattern] of cases) {
    it(name, () => blocked(runHookSync('pre-tool-use', input, sb.env, P), pattern));
  }

  it('an invalid config file blocks, naming the file, the rule and the field', () => {
    const cfg = path.join(sb.root, 'bad-config.json');
    fs.writeFileSync(cfg, JSON.stringify({ rules: [{ id: 'r1', effect: 'nope', paths: ['x'] }] }));
    const r = runHookSync('pre-tool-use', JSON.stringify(codexPayload(P, 'Bash', { command: 'ls' })), { ...sb.env, HOOKWARDEN_CONFIG: cfg }, P);
    blocked(r, /bad-config\.json.*r1.*effect/);
  });

  it('failures still write their audit record', () => {
    const before = readAudit(sb.auditFile).length;
    runHookSync('pre-tool-use', '{not json', sb.env, P);
    const recs = readAudit(sb.auditFile);
    assert.equal(recs.length, before + 1);
    const last = recs.at(-1)!;
    assert.equal(last.decision, 'deny');
    assert.match(String(last.error ?? last.reason), /not valid JSON/);
    assert.equal(last.error_code, 'payload');
  });
});

describe('ask', () => {
  const cfg = path.join(sb.root, 'ask-config.json');
  fs.writeFileSync(cfg, JSON.stringify({ rules: [{ id: 'deploy', effect: 'ask', paths: ['deploy/**'], reason: 'deployment files need a human' }] }));
  it('Claude gets permissionDecision "ask" as the only stdout, exit 0', () => {
    const r = runHookSync('pre-tool-use', JSON.stringify(claudePayload(P, 'Write', { file_path: `${P}/deploy/prod.yml`, content: '' })), { ...claudeEnv, HOOKWARDEN_CONFIG: cfg }, P);
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout) as { hookSpecificOutput: Record<string, string> };
    assert.equal(out.hookSpecificOutput.permissionDecision, 'ask');
    assert.equal(out.hookSpecificOutput.hookEventName, 'PreToolUse');
    assert.match(out.hookSpecificOutput.permissionDecisionReason ?? '', /deploy/);
  });
  it('Codex cannot ask, so the call is blocked', () => {
    const r = runHookSync('pre-tool-use', JSON.stringify(codexPayload(P, 'apply_patch', { command: '*** Begin Patch\n*** Add File: deploy/prod.yml\n+x\n*** End Patch' })), { ...sb.env, HOOKWARDEN_CONFIG: cfg }, P);
    blocked(r, /deploy/);
  });
});

describe('records', () => {
  it('a block and an allow are recorded with the call ids copied verbatim', () => {
    runHookSync('pre-tool-use', JSON.stringify(codexPayload(P, 'Bash', { command: 'touch .env' }, 'call_rec_deny')), sb.env, P);
    runHookSync('pre-tool-use', JSON.stringify(codexPayload(P, 'Bash', { command: 'touch src/x.ts' }, 'call_rec_allow')), sb.env, P);
    const recs = readAudit(sb.auditFile);
    const deny = recs.find((r) => r.tool_use_id === 'call_rec_deny');
    const allow = recs.find((r) => r.tool_use_id === 'call_rec_allow');
    assert.equal(deny?.decision, 'deny');
    assert.equal(deny?.rule, 'secrets');
    assert.equal(deny?.event, 'PreToolUse');
    assert.equal(deny?.agent, 'codex');
    assert.deepEqual(deny?.targets, [{ op: 'write', path: `${P}/.env` }]);
    assert.equal(allow?.decision, 'allow');
  });
});

describe('concurrency', () => {
  it('32 hooks started at once on this machine decide exactly as one alone', async () => {
    const payloads = Array.from({ length: 32 }, (_, i) => (i % 2 === 0
      ? codexPayload(P, 'Bash', { command: `bash -c "cd src && tee ../'.e'nv < /dev/null" # ${i}` }, `call_c${i}`)
      : codexPayload(P, 'Bash', { command: `echo ${i} > src/out${i}.txt` }, `call_c${i}`)));
    const results = await Promise.all(payloads.map((p) => runHook('pre-tool-use', JSON.stringify(p), sb.env, P)));
    results.forEach((r, i) => {
      if (i % 2 === 0) blocked(r, /\.env \(rule secrets\)/); else allowed(r);
    });
  });
});

describe('the shell parser ships beside the hook and is loaded only for shell commands', () => {
  it('a hook copied without its parser file blocks shell commands and still decides file tools', () => {
    const dir = fs.mkdtempSync(path.join(sb.root, 'lonely-'));
    for (const f of ['pre-tool-use.js', 'client.js', 'daemon.js', 'worker.js', 'runner.js', 'recorder.js', 'pre-tool-use.code.js', 'pre-tool-use.code.cache', 'code-cache.js']) {
      fs.copyFileSync(path.join(path.dirname(hookPath('pre-tool-use')), f), path.join(dir, f));
    }
    fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"commonjs"}');
    const run = (p: Record<string, unknown>) => spawnSync(process.execPath, [path.join(dir, 'pre-tool-use.js')], { input: JSON.stringify(p), env: sb.env, cwd: P, encoding: 'utf8' });
    const shell = run(codexPayload(P, 'Bash', { command: 'ls' }));
    assert.equal(shell.status, 2);
    assert.equal(shell.stdout, '');
    assert.match(shell.stderr, /^hookwarden: .*shell command could not be analyzed.*mvdan-sh/);
    const write = run(claudePayload(P, 'Write', { file_path: `${P}/src/ok.ts`, content: '' }));
    assert.equal(write.status, 0, write.stderr);
  });
});
