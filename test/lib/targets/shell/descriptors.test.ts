// Issue 13 (threat model "Open": a descriptor through the shell): a path naming a descriptor
// (`/dev/fd/N`, `/dev/stdout`, `/proc/self/fd/N`) reopens the file the shell bound to it, with the
// new flags: it is judged as that file. Process substitutions and the agent's own pipes stay allowed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Decision } from '../../../../lib/types.js';
import { shellTargets } from '../../../../lib/targets/shell/index.js';
import { Budget, UNRESOLVED_SEGMENT as U } from '../../../../lib/types.js';
import { guardFixture } from './guard-fixture.js';

const fx = guardFixture('hw-fds-');

function table(name: string, cases: [string, Decision][]): void {
  describe(name, () => {
    for (const [cmd, want] of cases) {
      it(`${want}: ${cmd}`, () => {
        const o = fx.bash(cmd);
        assert.equal(o.verdict.decision, want, `${o.verdict.reason ?? ''} ${JSON.stringify(o.verdict.targets)}`);
        if (want === 'deny') assert.match(o.verdict.reason ?? '', /^blocked write to (\.env|~\/\.ssh\/authorized_keys)/);
      });
    }
  });
}

table('a descriptor opened for reading, reopened for writing through its name', [
  ['exec 7<.env; echo k >> /dev/fd/7', 'deny'],
  ['exec 7< ~/.ssh/authorized_keys; echo k >> /proc/self/fd/7', 'deny'],
  ['exec 7< ~/.ssh/authorized_keys; echo k >> /proc/thread-self/fd/7', 'deny'],
  ['exec 1<.env; echo k >> /dev/stdout', 'deny'],
  ['exec 2<.env; echo k 2>> /dev/stderr >&2', 'deny'],
  ['exec 0<.env; cp README /dev/stdin', 'deny'],
  ['{ echo k >> /dev/fd/0; } < .env', 'deny'],
  ['( echo k >> /dev/fd/5 ) 5<.env', 'deny'],
  ['exec 3<.env 4<&3; echo k >> /dev/fd/4', 'deny'],
  ['exec 3<.env; exec 4<&3-; echo k >> /dev/fd/4', 'deny'],
  ['exec 3<.env; exec 5>/dev/fd/3; echo k >> /dev/fd/5', 'deny'],
  ['if true; then exec 5<.env; fi; echo k >> /dev/fd/5', 'deny'],
  ['exec 9<.env; bash -c "echo k >> /dev/fd/9"', 'deny'],
  ['exec 6<.env; cd /dev && echo k >> fd/6', 'deny'],
  ['exec 6<.env; tee -a /dev/fd/6 < README', 'deny'],
  ['exec 6<.env; cp README /dev/fd/6', 'deny'],
]);

table('descriptors that are no protected file stay allowed', [
  ['echo k > /dev/stdout', 'allow'],
  ['echo k | tee /dev/stderr', 'allow'],
  ['tee >(cat > out.txt) < README', 'allow'],
  ['cat <(echo x) > out.txt', 'allow'],
  ['exec 3<.env; exec 3<&-; echo k >> /dev/fd/3', 'allow'],
  ['exec 3<README; echo k >> /dev/fd/3', 'allow'],
  ['(exec 6<.env); echo k >> /dev/fd/6', 'allow'],
  ['{ echo k >> /dev/fd/0; } <<< hi', 'allow'],
  ['echo k >> /dev/fd/7 7<.env', 'allow'], // redirections apply left to right: fd 7 is not bound yet
]);

describe('an unknown binding is unknown, with its known alternatives', () => {
  it('exec 5<$F (F unknown, or .env) then a write through /dev/fd/5', () => {
    const got = shellTargets('if c; then F=.env; fi; exec 5<$F; echo k >> /dev/fd/5', {
      cwd: fx.proj, home: fx.home, env: {}, budget: new Budget(10_000),
    }).filter((t) => t.op === 'write');
    assert.deepEqual(got.map((t) => [t.path, t.unresolved ?? false]), [[U, true], [`${fx.proj}/.env`, false]]);
  });
});
