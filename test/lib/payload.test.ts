import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { DEFAULT_MAX_INPUT_BYTES, detectAgent, parsePayload } from '../../lib/payload.js';
import { GuardError } from '../../lib/types.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/payloads');
const fixtureNames = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json')).sort();
const readFixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');
/** The environment each host gives its hooks (protocol doc sections 6 and 11). */
const HOST_ENV = {
  codex: {},
  claude: { CLAUDE_PROJECT_DIR: '/home/dev/project', CLAUDECODE: '1', CLAUDE_CODE_SESSION_ID: 'abc123' },
};

describe('every payload fixture of both hosts parses', () => {
  assert.ok(fixtureNames.length >= 40);
  for (const name of fixtureNames) {
    const host = name.startsWith('claude-') ? 'claude' : 'codex';
    test(name, () => {
      const text = readFixture(name);
      const raw = JSON.parse(text) as Record<string, unknown>;
      for (const env of [HOST_ENV[host], {}]) {
        const p = parsePayload(text, env);
        assert.equal(p.event, raw.hook_event_name);
        assert.equal(p.cwd, raw.cwd);
        assert.deepEqual(p.raw, raw);
        assert.equal(p.session_id, raw.session_id);
        assert.equal(p.turn_id, raw.turn_id);
        assert.equal(p.tool_use_id, raw.tool_use_id);
        assert.equal(p.tool_name, raw.tool_name);
        assert.deepEqual(p.tool_input, raw.tool_input);
        assert.deepEqual(p.tool_response, raw.tool_response);
        assert.equal('tool_response' in p, 'tool_response' in raw);
        // With the host's environment, detection is always right.
        if (env === HOST_ENV[host]) assert.equal(p.agent, host);
      }
      // Without environment, the payload keys decide; only Claude events without a tool_use_id
      // fall back to the safe default (codex: an `ask` becomes a block).
      const bare = parsePayload(text, {});
      const expected = host === 'claude' && typeof raw.tool_use_id !== 'string' ? 'codex' : host;
      assert.equal(bare.agent, expected);
    });
  }
});

describe('detectAgent', () => {
  const cases: [string, Record<string, unknown>, Record<string, string | undefined>, 'codex' | 'claude'][] = [
    ['CLAUDE_PROJECT_DIR', {}, { CLAUDE_PROJECT_DIR: '/p' }, 'claude'],
    ['CLAUDECODE', {}, { CLAUDECODE: '1' }, 'claude'],
    ['CLAUDE_CODE_SESSION_ID', {}, { CLAUDE_CODE_SESSION_ID: 'x' }, 'claude'],
    ['empty variables do not count', {}, { CLAUDE_PROJECT_DIR: '', CLAUDECODE: '' }, 'codex'],
    ['turn_id beats an inherited Claude environment (codex run from Claude Bash)', { turn_id: 't' }, { CLAUDECODE: '1' }, 'codex'],
    ['toolu_ id', { tool_use_id: 'toolu_01' }, {}, 'claude'],
    ['model key', { model: 'gpt-5.5' }, {}, 'codex'],
    ['call_ id', { tool_use_id: 'call_1' }, {}, 'codex'],
    ['exec- id', { tool_use_id: 'exec-1' }, {}, 'codex'],
    ['Claude environment beats a model key', { model: 'claude-x' }, { CLAUDE_PROJECT_DIR: '/p' }, 'claude'],
    ['nothing known: codex (ask becomes block)', {}, {}, 'codex'],
    ['non-string turn_id is no evidence', { turn_id: 5, tool_use_id: 'toolu_1' }, {}, 'claude'],
  ];
  for (const [name, raw, env, agent] of cases) test(name, () => assert.equal(detectAgent(raw, env), agent));

  test('an explicit agent wins over everything', () => {
    const text = readFixture('codex-pre-bash-rm-git-hooks.json');
    assert.equal(parsePayload(text, {}, { agent: 'claude' }).agent, 'claude');
    assert.equal(parsePayload(readFixture('claude-pre-write-env.json'), HOST_ENV.claude, { agent: 'codex' }).agent, 'codex');
  });
});

const base = { hook_event_name: 'PreToolUse', cwd: '/home/dev/project', tool_name: 'Write', tool_input: { file_path: '/x' } };
const json = (o: unknown): string => JSON.stringify(o);
const without = (k: keyof typeof base): Record<string, unknown> => {
  const o: Record<string, unknown> = { ...base };
  delete o[k];
  return o;
};

describe('payload errors name the problem and the field', () => {
  const cases: [string, string, string][] = [
    ['empty', '', 'hook payload is empty'],
    ['whitespace only', ' \n\t ', 'hook payload is empty'],
    ['malformed', '{"hook_event_name": ', 'hook payload is not valid JSON: Unexpected end of JSON input'],
    ['trailing junk', '{}}', 'hook payload is not valid JSON: Unexpected non-whitespace character after JSON at position 2'],
    ['array', '[]', 'hook payload must be a JSON object, got array'],
    ['number', '42', 'hook payload must be a JSON object, got number'],
    ['null', 'null', 'hook payload must be a JSON object, got null'],
    ['string', '"x"', 'hook payload must be a JSON object, got string'],
    ['missing hook_event_name', json(without('hook_event_name')), 'invalid hook payload: field hook_event_name: missing'],
    ['empty hook_event_name', json({ ...base, hook_event_name: '' }), 'invalid hook payload: field hook_event_name: expected a non-empty string'],
    ['missing cwd', json(without('cwd')), 'invalid hook payload: field cwd: missing'],
    ['relative cwd', json({ ...base, cwd: 'project' }), 'invalid hook payload: field cwd: expected an absolute path'],
    ['numeric cwd', json({ ...base, cwd: 7 }), 'invalid hook payload: field cwd: expected string'],
    ['missing tool_name', json(without('tool_name')), 'invalid hook payload: field tool_name: missing'],
    ['empty tool_name', json({ ...base, tool_name: '' }), 'invalid hook payload: field tool_name: expected a non-empty string'],
    ['missing tool_input', json(without('tool_input')), 'invalid hook payload: field tool_input: missing'],
    ['array tool_input', json({ ...base, tool_input: [] }), 'invalid hook payload: field tool_input: expected object'],
    ['string tool_input', json({ ...base, tool_input: 'rm -rf /' }), 'invalid hook payload: field tool_input: expected object'],
    ['null tool_input', json({ ...base, tool_input: null }), 'invalid hook payload: field tool_input: expected object'],
    ['PostToolUse needs tool_input too', json({ ...without('tool_input'), hook_event_name: 'PostToolUse' }), 'invalid hook payload: field tool_input: missing'],
    ['PermissionRequest needs tool_name', json({ ...without('tool_name'), hook_event_name: 'PermissionRequest' }), 'invalid hook payload: field tool_name: missing'],
    ['numeric session_id', json({ ...base, session_id: 1 }), 'invalid hook payload: field session_id: expected string'],
    ['tool_input of wrong type on another event', json({ ...base, hook_event_name: 'Stop', tool_input: 3 }), 'invalid hook payload: field tool_input: expected object'],
  ];
  for (const [name, text, message] of cases) {
    test(name, () => {
      assert.throws(() => parsePayload(text, {}), (e: unknown) => {
        assert.ok(e instanceof GuardError, String(e));
        assert.equal(e.message, message);
        assert.equal(e.code, 'payload');
        return true;
      });
    });
  }

  test('a JSON error never echoes the payload (it may hold secrets)', () => {
    const text = '{"tool_input": {"content": "AKIA_SECRET_VALUE"} oops}';
    assert.throws(() => parsePayload(text, {}), (e: Error) => {
      assert.match(e.message, /^hook payload is not valid JSON: /);
      assert.ok(!e.message.includes('AKIA'), e.message);
      assert.ok(!e.message.includes('\n'));
      return true;
    });
    assert.throws(() => parsePayload('not json at all SECRETXYZ', {}), (e: Error) => !e.message.includes('SECRETXYZ'));
  });
});

describe('size limit (bytes, not characters)', () => {
  test('default limit is 10 MB', () => assert.equal(DEFAULT_MAX_INPUT_BYTES, 10485760));

  test('over the default limit', () => {
    const text = json({ ...base, tool_input: { file_path: '/x', content: 'a'.repeat(DEFAULT_MAX_INPUT_BYTES) } });
    assert.throws(() => parsePayload(text, {}), { message: 'hook payload exceeds 10485760 bytes' });
  });

  test('multi-byte characters are counted as bytes', () => {
    const text = json({ ...base, tool_input: { file_path: '/x', content: 'é'.repeat(100) } }); // 200 bytes of é
    const bytes = Buffer.byteLength(text);
    assert.ok(text.length < bytes);
    assert.equal(parsePayload(text, {}, { maxBytes: bytes }).tool_name, 'Write');
    assert.throws(() => parsePayload(text, {}, { maxBytes: bytes - 1 }), { message: `hook payload exceeds ${bytes - 1} bytes` });
    assert.throws(() => parsePayload(text, {}, { maxBytes: text.length }), GuardError);
  });
});

describe('tolerance', () => {
  test('unknown extra fields are kept in raw and ignored', () => {
    const p = parsePayload(json({ ...base, future_field: { a: 1 }, effort: { level: 'high' } }), {});
    assert.deepEqual(p.raw.future_field, { a: 1 });
    assert.deepEqual(p.tool_input, { file_path: '/x' });
  });

  test('null ids are treated as absent', () => {
    const p = parsePayload(json({ ...base, session_id: null, turn_id: null, tool_use_id: null }), {});
    assert.equal('session_id' in p, false);
    assert.equal('turn_id' in p, false);
    assert.equal('tool_use_id' in p, false);
  });

  test('events without a tool need no tool fields', () => {
    const p = parsePayload(json({ hook_event_name: 'SessionEnd', cwd: '/p', reason: 'other' }), {});
    assert.equal(p.event, 'SessionEnd');
    assert.equal(p.tool_name, undefined);
    assert.equal(p.tool_input, undefined);
  });

  test('tool_input keeps its nested values untouched', () => {
    const input = { command: 'x', nested: { deep: [1, { a: null }] }, __proto__x: 1 };
    assert.deepEqual(parsePayload(json({ ...base, tool_input: input }), {}).tool_input, input);
  });

  test('surrounding whitespace is not an error', () => {
    assert.equal(parsePayload(`\n  ${json(base)}\n`, {}).event, 'PreToolUse');
  });
});

test('property: any text either parses or throws a one-line GuardError', () => {
  const valueish = fc.oneof(fc.json(), fc.string(), fc.jsonValue().map((v) => JSON.stringify({ ...base, tool_input: v })),
    fc.dictionary(fc.constantFrom('hook_event_name', 'cwd', 'tool_name', 'tool_input', 'session_id', 'turn_id', 'x'), fc.jsonValue())
      .map((d) => JSON.stringify(d)));
  fc.assert(fc.property(valueish, (text) => {
    try {
      const p = parsePayload(text, {});
      assert.equal(typeof p.event, 'string');
      assert.ok(path.isAbsolute(p.cwd));
    } catch (e) {
      if (!(e instanceof GuardError)) throw e;
      assert.ok(!e.message.includes('\n'));
    }
  }), { numRuns: 2000 });
});
