// How the built guard reads its payload, over each kind of stdin a host can give it: a real pipe
// (Codex spawns hooks through one), a socket pair (Node's child_process, as Claude Code), a file.
// Whatever stdin does, the hook's deadline must end it with exit 2: a host that sees no answer
// before its own timeout runs the tool.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { claudePayload, codexPayload, hookPath, sandbox } from '../helpers/hook.js';

const q = (s: string): string => `'${s.replace(/'/g, "'\\''")}'`;

describe('guard stdin', () => {
  it('a pipe the host never closes: blocked at the deadline, the process ends', () => {
    const sb = sandbox();
    try {
      const t0 = Date.now();
      // bash gives the hook a real pipe from `sleep` and, unlike a pipeline, does not wait for it.
      const script = `exec 3< <(sleep 20); ${q(process.execPath)} ${q(hookPath('pre-tool-use'))} <&3; s=$?; kill $! 2>/dev/null; exit $s`;
      const r = spawnSync('bash', ['-c', script], {
        env: { ...sb.env, HOOKWARDEN_DEADLINE_MS: '300' }, cwd: sb.project, encoding: 'utf8', timeout: 15_000,
      });
      assert.equal(r.status, 2, `status ${r.status} signal ${r.signal}: ${r.stderr}`);
      assert.match(r.stderr, /^hookwarden: [^\n]*deadline[^\n]*\n$/);
      assert.ok(Date.now() - t0 < 15_000);
    } finally {
      sb.cleanup();
    }
  });

  it('a socket the host never closes (Node child_process): blocked at the deadline', async () => {
    const sb = sandbox();
    try {
      const child = spawn(process.execPath, [hookPath('pre-tool-use')], { env: { ...sb.env, HOOKWARDEN_DEADLINE_MS: '300' }, cwd: sb.project });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdin.write('{"hook_event_name":'); // and never more
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const status = await new Promise((resolve) => child.on('close', resolve));
      clearTimeout(timer);
      child.stdin.destroy();
      assert.equal(status, 2, stderr);
      assert.match(stderr, /deadline/);
    } finally {
      sb.cleanup();
    }
  });

  it('a payload that arrives through a pipe in pieces, with pauses, is read whole', () => {
    const sb = sandbox();
    try {
      const text = JSON.stringify(codexPayload(sb.project, 'Bash', { command: `echo "${'x'.repeat(200_000)}" > .env` }));
      const file = path.join(sb.root, 'payload.json');
      fs.writeFileSync(file, text);
      const half = Math.floor(text.length / 2);
      // Two writes 200 ms apart: the hook polls an empty pipe in between.
      const feed = `(head -c ${half} ${q(file)}; sleep 0.2; tail -c +${half + 1} ${q(file)})`;
      const r = spawnSync('sh', ['-c', `${feed} | ${q(process.execPath)} ${q(hookPath('pre-tool-use'))}`], { env: sb.env, cwd: sb.project, encoding: 'utf8' });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /^hookwarden: blocked write to \.env \(rule secrets\)/);
    } finally {
      sb.cleanup();
    }
  });

  it('a file as stdin is read whole', () => {
    const sb = sandbox();
    try {
      const file = path.join(sb.root, 'payload.json');
      fs.writeFileSync(file, JSON.stringify(claudePayload(sb.project, 'Write', { file_path: path.join(sb.project, '.env'), content: 'K=v' })));
      const r = spawnSync('sh', ['-c', `${q(process.execPath)} ${q(hookPath('pre-tool-use'))} < ${q(file)}`], { env: sb.env, cwd: sb.project, encoding: 'utf8' });
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /blocked write to \.env/);
    } finally {
      sb.cleanup();
    }
  });
});
