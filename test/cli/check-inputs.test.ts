// `check` judges exactly one call: every combination of its input flags either names one call
// (exit 0 or 1) or is a usage error (exit 2, one line on stderr, nothing on stdout). Was: the
// second input was silently ignored (`check --command ls --write .env` allowed).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { sandbox } from '../helpers/hook.js';

type Sandbox = ReturnType<typeof sandbox>;
import { hw } from './run.js';

const INPUTS = ['--payload', '--command', '--write', '--patch'] as const;

describe('check: input flags', () => {
  let sb: Sandbox;
  let args: Record<(typeof INPUTS)[number], string>;
  before(() => {
    sb = sandbox();
    const payload = path.join(sb.project, 'payload.json');
    fs.writeFileSync(payload, JSON.stringify({ session_id: 's', cwd: sb.project, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'ls' }, tool_use_id: 'toolu_1' }));
    const patch = path.join(sb.project, 'p.patch');
    fs.writeFileSync(patch, '*** Begin Patch\n*** Add File: notes.txt\n+x\n*** End Patch\n');
    args = { '--payload': payload, '--command': 'ls', '--write': 'notes.txt', '--patch': patch };
  });
  after(() => sb.cleanup());

  // Every subset of the four inputs, with and without --cwd: 32 runs.
  for (let mask = 0; mask < 16; mask++) {
    const given = INPUTS.filter((_, i) => mask & (1 << i));
    for (const withCwd of [false, true]) {
      const valid = given.length === 1 && !(withCwd && given[0] === '--payload');
      it(`${given.join(' ') || '(no input)'}${withCwd ? ' --cwd' : ''}: ${valid ? 'judged' : 'usage error'}`, () => {
        const argv = ['check', ...given.flatMap((f) => [f, args[f]]), ...(withCwd ? ['--cwd', sb.project] : [])];
        const r = hw(argv, { cwd: sb.project, env: sb.env });
        if (valid) {
          assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
          assert.match(r.stdout, /^decision: /);
          return;
        }
        assert.equal(r.status, 2, r.stdout);
        assert.equal(r.stdout, '');
        assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
        if (given.length > 1) assert.match(r.stderr, new RegExp(`${given.join(' and ')} cannot be used together`));
        else if (given.length === 0) assert.match(r.stderr, /one of --payload, --command, --write or --patch is required/);
        else assert.match(r.stderr, /--cwd cannot be used with --payload/);
      });
    }
  }

  it('the issue\'s case: --command ls --write .env is a usage error, not an allow', () => {
    const r = hw(['check', '--command', 'ls', '--write', '.env'], { cwd: sb.project, env: sb.env });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--command and --write cannot be used together/);
  });

  for (const flag of ['--command', '--write', '--cwd', '--agent']) {
    it(`${flag} given twice is a usage error (commander would keep only the last)`, () => {
      const value = flag === '--agent' ? 'claude' : flag === '--cwd' ? sb.project : 'ls';
      const base = flag === '--command' || flag === '--write' ? [] : ['--command', 'ls'];
      const r = hw(['check', ...base, flag, value, flag, value], { cwd: sb.project, env: sb.env });
      assert.equal(r.status, 2, r.stdout);
      assert.match(r.stderr, new RegExp(`${flag} given twice`));
    });
  }
});
