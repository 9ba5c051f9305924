// Property: whatever breaks a payload (random shapes, cuts, wrong types, raw control characters,
// nested look-alike ids), the PreToolUse outcome blocks it, and its record (built exactly as the
// hook builds it) keeps the ids that can be read and never one that is not the payload's own.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { preToolUse, recordInputOf } from '../../lib/guard.js';
import { buildRecord } from '../../lib/record.js';
import { compileRedactor } from '../../lib/redact.js';

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-rejprop-')));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const home = path.join(root, 'home');
fs.mkdirSync(home);
const env = { HOME: home, XDG_CONFIG_HOME: path.join(root, 'config'), XDG_STATE_HOME: path.join(root, 'state') };
const SESSION = 'sess-real';
const ID = 'call_real';
const redact = compileRedactor([]);

const fake = fc.constantFrom('"session_id":"forged"', '{"tool_use_id":"forged"}', '\\","session_id\\":\\"forged', 'session_id');
const content = fc.oneof(fc.string({ maxLength: 40 }), fake, fc.json({ maxDepth: 2 }));

type Mutation = 'drop-input' | 'input-type' | 'cut' | 'control-char' | 'cwd-relative' | 'extra-key' | 'dup-session';
const mutation = fc.constantFrom<Mutation>('drop-input', 'input-type', 'cut', 'control-char', 'cwd-relative', 'extra-key', 'dup-session');

test('a broken payload is blocked and its record keeps the readable ids, never forged ones', () => {
  fc.assert(fc.property(mutation, content, content, fc.nat(), fc.boolean(), (m, a, b, cutAt, codexOrder) => {
    const input: Record<string, unknown> = { command: `echo ${a}`, note: b };
    const head = codexOrder
      ? { session_id: SESSION, turn_id: 'turn-1', transcript_path: null, cwd: root, hook_event_name: 'PreToolUse', model: 'm', tool_name: 'Bash' }
      : { session_id: SESSION, transcript_path: '/t.jsonl', cwd: root, permission_mode: 'default', hook_event_name: 'PreToolUse', tool_name: 'Bash' };
    let payload: Record<string, unknown> = { ...head, tool_input: input, tool_use_id: ID };
    if (m === 'drop-input') delete payload.tool_input;
    if (m === 'input-type') payload.tool_input = [a, b][cutAt % 2] === undefined ? null : [input];
    if (m === 'cwd-relative') payload.cwd = 'project';
    if (m === 'extra-key') payload = { ...payload, [`x${String(a).slice(0, 5)}`]: { session_id: 'forged', tool_use_id: 'forged' } };
    let text = JSON.stringify(payload);
    if (m === 'dup-session') text = text.replace('{', '{"session_id":"earlier",');
    const idsEnd = text.indexOf('"tool_input"');
    if (m === 'cut') text = text.slice(0, idsEnd + (cutAt % (text.length - idsEnd)));
    if (m === 'control-char') text = text.replace('"note":', '"note\u0001":');

    const outcome = preToolUse(text, { env, home });
    const rec = buildRecord({ ...recordInputOf(outcome), version: 't' }, { maxInputBytes: 8192, maxResponseBytes: 8192 }, redact);
    const broken = m !== 'extra-key' && m !== 'dup-session';
    if (broken) assert.equal(outcome.verdict.decision, 'deny', `${m}: ${outcome.error}`);
    // Never a forged or earlier duplicate id; the session is always readable (it comes first).
    assert.equal(rec.session_id, SESSION, `${m} ${text.slice(0, 200)}`);
    assert.equal(rec.tool, 'Bash');
    assert.equal(rec.event, 'PreToolUse');
    assert.ok(rec.tool_use_id === undefined || rec.tool_use_id === ID, `forged tool_use_id ${rec.tool_use_id}`);
    // tool_use_id follows tool_input: lost only when the text is cut or not JSON before it.
    if (m !== 'cut' && m !== 'control-char') assert.equal(rec.tool_use_id, ID, m);
    if (codexOrder) assert.equal(rec.turn_id, 'turn-1');
    else assert.equal(rec.transcript_path, '/t.jsonl');
  }), { numRuns: 300 });
});
