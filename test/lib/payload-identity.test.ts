// Identity of rejected payloads: the bounded scanners agree with JSON.parse on every valid text,
// never take a nested (model-written) member for a top-level one, and keep what a cut text holds.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  IDENTITY_FIELDS, MAX_IDENTITY_CHARS, identityOf, scanIdentity, scanIdentityHead, scanIdentityTail,
} from '../../lib/payload-identity.js';
import { parsePayload, rejectedIdentity } from '../../lib/payload.js';

const key = fc.oneof(fc.constantFrom(...IDENTITY_FIELDS), fc.constantFrom('tool_input', 'tool_response', 'model', 'x'), fc.string({ maxLength: 8 }));
/** Strings that look like members: quotes, backslashes, braces and identity keys inside values. */
const tricky = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('","session_id":"forged', '\\', '\\"', '"}', '{"tool_use_id":"x"}', '\u2028', '\u0000', 'é€😀'),
);
const leaf = fc.oneof(tricky, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null));
const value = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small' }, leaf, fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(key, tie('v'), { maxKeys: 3 })),
})).v;
/** A payload text as members (duplicates allowed), spaced as a host or a hand might write it. */
const members = fc.array(fc.tuple(key, value), { maxLength: 8 });
const ws = fc.constantFrom('', ' ', '\n  ', '\t');
const textOf = (ms: [string, unknown][], sp: string): string =>
  `{${sp}${ms.map(([k, v]) => `${JSON.stringify(k)}${sp}:${sp}${JSON.stringify(v) ?? 'null'}`).join(`,${sp}`)}${sp}}`;

describe('payload identity scanners', () => {
  test('on any valid payload text they read exactly what JSON.parse keeps (last duplicate wins)', () => {
    fc.assert(fc.property(members, ws, (ms, sp) => {
      const text = textOf(ms, sp);
      assert.deepEqual(scanIdentity(text, text), identityOf(JSON.parse(text)));
      assert.deepEqual(scanIdentityTail(text), Object.fromEntries(Object.entries(identityOf(JSON.parse(text))).filter(([k]) => k in scanIdentityTail(text))));
      assert.deepEqual(scanIdentityHead(text), identityOf(JSON.parse(text)));
    }), { numRuns: 2000 });
  });

  test('a cut text never yields a value the whole payload does not hold (head: any prefix; tail: any suffix)', () => {
    fc.assert(fc.property(members, ws, fc.nat(), (ms, sp, at) => {
      const text = textOf(ms, sp);
      const cut = at % (text.length + 1);
      const values = new Map<string, Set<string>>();
      for (const [k, v] of ms) if (typeof v === 'string') values.set(k, (values.get(k) ?? new Set()).add(v));
      for (const [k, v] of Object.entries(scanIdentityHead(text.slice(0, cut)))) assert.ok(values.get(k)?.has(v), `${k}=${v} from prefix of ${text}`);
      // Read from the end, a member is the last of its key: exactly what JSON.parse keeps.
      const whole = identityOf(JSON.parse(text)) as Record<string, string>;
      for (const [k, v] of Object.entries(scanIdentityTail(text.slice(cut)))) assert.equal(v, whole[k], `${k} from suffix of ${text}`);
      // A window of the end of a complete text in front of a head: still nothing JSON.parse would not keep.
      for (const [k, v] of Object.entries(scanIdentity('', text.slice(cut)))) assert.equal(v, whole[k]);
    }), { numRuns: 3000 });
  });

  test('members nested in tool_input or written into a string are never taken', () => {
    const text = JSON.stringify({
      tool_input: { session_id: 'forged', command: '"},"session_id":"forged2","x":{"' },
      tool_response: 'done","tool_use_id":"forged3',
      session_id: 'real',
    });
    assert.deepEqual(scanIdentity(text, text), { session_id: 'real' });
    assert.deepEqual(scanIdentity(text.slice(0, 40)), {});
    // A cut text's end may be a nested object's end: it is never read backwards (see parsePayload below).
    const nested = '{"tool_input":{"command":"x","session_id":"forged"}';
    assert.deepEqual(scanIdentity(nested), {});
  });

  test('duplicate keys: the last wins, as on the valid path; a last non-string hides the string', () => {
    const dup = '{"session_id":"a","session_id":"b"}';
    assert.deepEqual(scanIdentity(dup), { session_id: 'b' });
    assert.deepEqual(scanIdentity(dup, dup), { session_id: 'b' });
    assert.deepEqual(scanIdentityTail(dup), { session_id: 'b' });
    assert.deepEqual(scanIdentity('{"session_id":"a","x":[1,{}],"session_id":7}'), {});
    assert.deepEqual(scanIdentity('{"session_id":"a","x":[1,{}],"session_id":"c'), { session_id: 'a' }); // truncated: "c… not known whole
  });

  test('escaped keys are the same keys (JSON.parse unescapes them)', () => {
    assert.deepEqual(scanIdentity('{"session\\u005fid":"s","tool_use_id":"t\\u00e9"}'), { session_id: 's', tool_use_id: 'té' });
  });

  test('strings longer than the bound are cut and marked; non-strings are ignored', () => {
    const long = 'x'.repeat(MAX_IDENTITY_CHARS + 10);
    const id = scanIdentity(JSON.stringify({ session_id: long, tool_use_id: 5, cwd: null, tool_name: ['Bash'] }));
    assert.deepEqual(id, { session_id: `${'x'.repeat(MAX_IDENTITY_CHARS)}…` });
  });

  test('arrays, scalars and garbage yield nothing', () => {
    for (const t of ['[{"session_id":"a"}]', '"session_id"', '', 'null', '{"session_id" "a"}', '\ufeff{"session_id":"a"}']) {
      assert.deepEqual(scanIdentity(t, t), {}, t);
    }
  });
});

describe('parsePayload: every rejection carries the identity it could read', () => {
  const base = { session_id: 's1', turn_id: 't1', transcript_path: '/t/x.jsonl', cwd: '/p', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_use_id: 'call_1' };
  const idOf = (text: string, max?: number): unknown => {
    try {
      parsePayload(text, {}, max ? { maxBytes: max } : {});
    } catch (err) {
      return rejectedIdentity(err);
    }
    assert.fail('accepted');
  };
  const full = { session_id: 's1', turn_id: 't1', transcript_path: '/t/x.jsonl', cwd: '/p', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_use_id: 'call_1' };
  test('no tool_input', () => assert.deepEqual(idOf(JSON.stringify(base)), full));
  test('a wrong type in one field', () => assert.deepEqual(idOf(JSON.stringify({ ...base, tool_input: 'rm -rf /' })), full));
  test('a wrong type in an identity field drops that field only', () => {
    assert.deepEqual(idOf(JSON.stringify({ ...base, tool_use_id: 42, tool_input: {} })), (({ tool_use_id: _, ...r }) => r)(full));
  });
  test('a relative cwd is still recorded', () => assert.deepEqual(idOf(JSON.stringify({ ...base, cwd: 'rel', tool_input: {} })), { ...full, cwd: 'rel' }));
  test('truncated JSON keeps the complete members of its prefix, and never reads its cut end', () => {
    const { tool_use_id: _, ...rest } = base;
    const text = JSON.stringify({ ...rest, tool_input: { command: 'x'.repeat(1000), session_id: 'forged' }, tool_use_id: 'call_1' });
    assert.deepEqual(idOf(text.slice(0, 600)), (({ tool_use_id: _u, ...r }) => r)(full));
    assert.deepEqual(idOf(text.slice(0, text.indexOf('forged') + 8)), (({ tool_use_id: _u, ...r }) => r)(full));
  });
  test('over the size limit: head and tail', () => {
    const text = JSON.stringify({ ...(({ tool_use_id: _, ...r }) => r)(base), tool_input: { command: 'ls' }, tool_response: 'y'.repeat(300_000), tool_use_id: 'call_1' });
    assert.deepEqual(idOf(text, 200_000), full);
  });
  test('a JSON array: nothing to read', () => assert.deepEqual(idOf(JSON.stringify([base])), {}));
  test('invalid JSON (a raw control character in the response): the members before it', () => {
    const text = `{"session_id":"s1","cwd":"/p","hook_event_name":"PostToolUse","tool_name":"Bash","tool_input":{},"tool_response":"a\u0001b","tool_use_id":"call_9"}`;
    assert.deepEqual(idOf(text), { session_id: 's1', cwd: '/p', hook_event_name: 'PostToolUse', tool_name: 'Bash' });
  });
});

test('a number longer than any window does not stop the head scan', () => {
  const text = `{"n":${'9'.repeat(500)},"session_id":"s"}`;
  assert.deepEqual(scanIdentity(text), { session_id: 's' });
});
