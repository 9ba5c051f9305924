// Issue 13, finding 2, end to end: a cloned repository whose `.hookwarden/config.json` is a link
// to /dev/stderr or /dev/zero, or a user config that is a FIFO, made the built hook hang (no
// answer at all) or abort. The hook must answer a one-line block naming the file, in process and
// through the daemon. The hook runs under a kill timer so that a regression fails instead of hanging.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { claudePayload, codexPayload, hookPath, sandbox, type HookResult } from '../helpers/hook.js';

function runWithin(input: string, env: Record<string, string>, ms: number): Promise<HookResult & { killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [hookPath('pre-tool-use')], { env });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const timer = setTimeout(() => {
      killed = true;
      child.kill('SIGKILL');
    }, ms);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, killed });
    });
    child.stdin.end(input);
  });
}

describe('a hostile config file: the hook answers a one-line block naming it', () => {
  const cases: [string, (s: ReturnType<typeof sandbox>) => string][] = [
    ['a committed project config linked to /dev/stderr', (s) => {
      fs.mkdirSync(path.join(s.project, '.hookwarden'));
      fs.symlinkSync('/dev/stderr', path.join(s.project, '.hookwarden', 'config.json'));
      return path.join(s.project, '.hookwarden', 'config.json');
    }],
    ['a committed project config linked to /dev/zero', (s) => {
      fs.mkdirSync(path.join(s.project, '.hookwarden'));
      fs.symlinkSync('/dev/zero', path.join(s.project, '.hookwarden', 'config.json'));
      return path.join(s.project, '.hookwarden', 'config.json');
    }],
    ['a user config that is a FIFO', (s) => {
      const file = path.join(s.env.XDG_CONFIG_HOME as string, 'hookwarden', 'config.json');
      fs.mkdirSync(path.dirname(file), { recursive: true });
      assert.equal(spawnSync('mkfifo', [file]).status, 0);
      return file;
    }],
    ['a project config whose rules hold 45 brace bombs', (s) => {
      const file = path.join(s.project, '.hookwarden', 'config.json');
      fs.mkdirSync(path.dirname(file));
      fs.writeFileSync(file, JSON.stringify({ rules: [{ id: 'bomb', effect: 'deny', paths: Array(45).fill(`**/${'{a,b}'.repeat(17)}`) }] }));
      return file;
    }],
  ];
  for (const [what, make] of cases) {
    for (const daemon of ['off', 'on'] as const) {
      it(`${what} (daemon ${daemon})`, async () => {
        const s = sandbox();
        try {
          const file = make(s);
          const env = { ...s.env, ...(daemon === 'off' ? { HOOKWARDEN_DAEMON: 'off' } : {}) };
          for (const payload of [codexPayload(s.project, 'Bash', { command: 'echo hi > notes.txt' }),
            claudePayload(s.project, 'Write', { file_path: path.join(s.project, 'notes.txt'), content: 'x' })]) {
            const r = await runWithin(JSON.stringify(payload), env, 60_000);
            assert.equal(r.killed, false, 'the hook answered');
            assert.equal(r.status, 2, r.stderr);
            assert.equal(r.stdout, '');
            assert.match(r.stderr, /^hookwarden: [^\n]*\n$/, 'one line');
            assert.ok(r.stderr.includes(file), r.stderr);
          }
        } finally {
          s.cleanup();
        }
      });
    }
  }
});
