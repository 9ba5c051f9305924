// The identity of a call given up on is read on the thread that answers (the daemon's one thread,
// or the hook's own main thread), so it must cost the same whatever the payload holds (red team,
// round 4). A command of double quotes is `\"\"\"…` in the payload; the 64 KiB head cut inside it
// left a string open, the scan failed there and started again at every quote in it: about a second
// for one call, during which the daemon answered nobody (an ordinary call took 1.1 s instead of
// 0.1 s), and a hook with a 3 s deadline answered after it (3005 and 3053 ms, shown by hand).
// Timed on purpose, with a bound two hundred times what the linear scan takes here.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { identityOf } from '../../audit/emit.js';

const payload = (command: string, extra: Record<string, unknown> = {}): string => JSON.stringify({
  session_id: 'sess-1', transcript_path: '/t.jsonl', cwd: '/p', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: 'toolu_given_up', ...extra,
});

function bestOf3(fn: () => void): number {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    fn();
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

describe('the identity of a call given up on', () => {
  for (const [what, command] of [
    ['double quotes', '"'.repeat(200_000)],
    ['backslashes and quotes', '\\"'.repeat(100_000)],
    ['a backslash at the cut', `${'a'.repeat(65_536 - 120)}${'\\'.repeat(50_000)}`],
  ] as const) {
    it(`a command of ${what}: every identity field, read in constant time`, () => {
      const text = payload(command);
      const id = identityOf(text);
      assert.deepEqual(id, { session_id: 'sess-1', transcript_path: '/t.jsonl', cwd: '/p', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_use_id: 'toolu_given_up' });
      const ms = bestOf3(() => identityOf(text));
      assert.ok(ms < 200, `${ms.toFixed(0)} ms`);
    });
  }

  it('property: a head cut inside any string yields only fields the whole payload holds at the top level', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom('"', '\\', '}', '{', ':', ',', 'a', ' ', 'session_id', 'tool_use_id'), maxLength: 200 }), fc.nat(300), (content, pad) => {
      const text = payload(`${'x'.repeat(65_536 - 150 + pad)}${content.repeat(50)}`);
      const id = identityOf(text);
      for (const [k, v] of Object.entries(id)) {
        assert.equal(v, (JSON.parse(text) as Record<string, unknown>)[k], k);
      }
      assert.equal(id.session_id, 'sess-1');
    }), { numRuns: 100 });
  });
});
