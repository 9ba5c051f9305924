// No raw NUL or other control characters reach a terminal or a line reader through the audit
// trail (issue 13): the hooks record calls whose command, tool name, cwd and ids carry C0, DEL,
// C1, U+2028 and bidi controls, and an unresolved target (the guard's NUL-delimited placeholder).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { codexPayload, readAudit, runHookSync, sandbox } from '../helpers/hook.js';
import { hw } from './run.js';

/** Characters that must never appear raw in a stored line or in tail's output. */
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const NASTY = 'a\u0000b\u001b[31mred\u007f\u009b2J\u2028x\u202egnp.exe';

describe('control characters in records, tail and tail --json', () => {
  const sb = sandbox();
  after(() => sb.cleanup());
  before(() => {
    const calls = [
      codexPayload(sb.project, 'Bash', { command: `echo "${NASTY}" > "$UNSET_VAR_FOR_TEST"` }, `call_${NASTY}`),
      { ...codexPayload(sb.project, `mcp__x__${NASTY}`, { path: `src/${NASTY}` }, 'call_2'), session_id: NASTY },
      { ...codexPayload(sb.project, 'Bash', { command: 'echo x > .env' }, 'call_3'), transcript_path: `/t/${NASTY}` },
    ];
    for (const c of calls) runHookSync('pre-tool-use', JSON.stringify(c), sb.env, sb.project);
    // A rejected payload whose identity carries them too.
    runHookSync('pre-tool-use', JSON.stringify({ ...calls[0], tool_input: 5 }), sb.env, sb.project);
  });

  it('the stored lines hold no raw control character, and the values survive (JSON escapes)', () => {
    const text = fs.readFileSync(sb.auditFile, 'utf8');
    const lines = text.split('\n').filter(Boolean);
    assert.equal(lines.length, 4);
    for (const l of lines) assert.doesNotMatch(l, RAW);
    const recs = readAudit(sb.auditFile);
    assert.equal(recs[1]?.session_id, NASTY, 'escaped, not altered');
    assert.equal(recs[3]?.tool_use_id, `call_${NASTY}`);
  });
  it('an unresolved target is recorded in a readable form, without NUL', () => {
    const targets = readAudit(sb.auditFile)[0]?.targets as { path: string; unresolved?: boolean }[];
    assert.ok(targets.some((t) => t.unresolved && !t.path.includes('\u0000')), JSON.stringify(targets));
  });
  it('tail and tail --json print none either; verify still finds the chain intact', () => {
    const human = hw(['tail'], { cwd: sb.project, env: sb.env });
    assert.equal(human.status, 0, human.stderr);
    assert.doesNotMatch(human.stdout, RAW);
    assert.match(human.stdout, /\\x1b\[31m/);
    const js = hw(['tail', '--json'], { cwd: sb.project, env: sb.env });
    assert.doesNotMatch(js.stdout, RAW);
    assert.equal((JSON.parse(js.stdout.split('\n')[1]!) as { session_id: string }).session_id, NASTY);
    assert.equal(hw(['verify'], { cwd: sb.project, env: sb.env }).status, 0);
    const stats = hw(['stats', '--by', 'session'], { cwd: sb.project, env: sb.env });
    assert.doesNotMatch(stats.stdout, RAW);
  });
  it('a line stored before (raw C1 and U+2028 in a string) is escaped by tail --json, same value', () => {
    const lines = fs.readFileSync(sb.auditFile, 'utf8').split('\n').filter(Boolean);
    const raw = lines[1]!.replace(/\\u2028/g, '\u2028').replace(/\\u009b/g, '\u009b');
    assert.match(raw, /\u2028/);
    fs.writeFileSync(sb.auditFile, [lines[0], raw, ...lines.slice(2)].join('\n') + '\n');
    const js = hw(['tail', '--json'], { cwd: sb.project, env: sb.env });
    assert.doesNotMatch(js.stdout, RAW);
    assert.deepEqual(JSON.parse(js.stdout.split('\n')[1]!), JSON.parse(raw));
    assert.equal(hw(['verify'], { cwd: sb.project, env: sb.env }).status, 0, 'the hash is over the value, not the escaping');
  });
});
