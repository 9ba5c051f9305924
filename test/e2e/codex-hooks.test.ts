// Codex scenarios about the hook registrations themselves: trust after an edit (7) and several
// handlers running concurrently on the same call (8).
import fs from 'node:fs';
import path from 'node:path';
import { before, test } from 'node:test';
import { hookwarden, runCodex } from './agents.js';
import { editPreToolUseHandler, otherToolSaw, registerOtherTool } from './codex-hooks-file.js';
import { patch } from './codex-scripts.js';
import { absent, allowedAndRan, codexScenario, denyRecord, install, prerequisites, present, ranToEnd, verifyChain } from './scenario.js';

before(prerequisites);

test('codex 7: a handler edited after install is skipped and doctor names it; install again restores enforcement', async (t) => {
  const { sb, model, ev } = await codexScenario(t, 'codex 7 (trust)', [{ kind: 'exec', cmd: 'echo hi > .env', callId: 'call_untrusted' }]);
  await install(ev, 'codex');
  const key = editPreToolUseHandler(sb);
  const shortKey = key.slice(key.lastIndexOf(':pre_tool_use:') + 1); // pre_tool_use:<group>:<handler>

  ev.runs.push(await runCodex(sb, 'write the env file'));
  ranToEnd(ev);
  // Codex skips a modified handler without a word: the write happens. This is what doctor is for.
  present(ev, '.env', 'hi\n');
  ev.ok(ev.records('PreToolUse', 'call_untrusted').length === 0, 'the edited (untrusted) PreToolUse handler still ran');
  ev.ok(ev.records('PostToolUse', 'call_untrusted').length === 1, 'the untouched PostToolUse handler did not record the write');
  const doctor = await hookwarden(sb, 'doctor', '--agent', 'codex');
  ev.cli.push(doctor);
  ev.ok(doctor.status === 1, `hookwarden doctor --agent codex exited ${doctor.status}, expected 1 for a modified handler`);
  const said = `${doctor.stdout}${doctor.stderr}`;
  ev.ok(said.includes(shortKey) && /modified/.test(said), `doctor does not report the handler ${shortKey} as modified`);

  fs.rmSync(path.join(sb.project, '.env'));
  await install(ev, 'codex');
  const again = await hookwarden(sb, 'doctor', '--agent', 'codex');
  ev.cli.push(again);
  ev.ok(again.status === 0, `hookwarden doctor --agent codex exited ${again.status} after install restored trust, expected 0`);
  model.rescript([{ kind: 'exec', cmd: 'echo hi > .env', callId: 'call_trusted' }]);
  ev.runs.push(await runCodex(sb, 'write the env file'));
  ranToEnd(ev);
  absent(ev, '.env');
  const deny = denyRecord(ev, 'call_trusted');
  ev.ok(model.outputOf('call_trusted')?.includes(`hookwarden: ${String(deny.reason)}`), 'after the second install the model was not told the reason');
  await verifyChain(ev);
});

test('codex 8: user and project hookwarden handlers plus another tool\'s hook run at once; decisions and chain hold', async (t) => {
  const steps = [
    { kind: 'exec' as const, cmd: 'echo hi > .env', callId: 'call_c_env' },
    { kind: 'exec' as const, cmd: 'echo ok > src/ok.txt', callId: 'call_c_ok' },
    { kind: 'patch' as const, input: patch('*** Add File: src/p.ts', '+export const p = 1;'), callId: 'call_c_patch' },
    { kind: 'patch' as const, input: patch('*** Add File: .env', '+API_KEY=1'), callId: 'call_c_patch_env' },
  ];
  const { sb, ev } = await codexScenario(t, 'codex 8 (concurrent handlers)', steps);
  await install(ev, 'codex', 'user');
  await install(ev, 'codex', 'project', '--trust-project', '--absolute-paths'); // project hooks load only in a trusted project
  const log = path.join(sb.root, 'other-tool.log');
  registerOtherTool(sb, log);

  ev.runs.push(await runCodex(sb, 'do the four things'));
  ranToEnd(ev);
  absent(ev, '.env');
  present(ev, 'src/ok.txt', 'ok\n');
  present(ev, 'src/p.ts', 'export const p = 1;\n');

  const saw = otherToolSaw(log);
  for (const { callId } of steps) ev.ok(saw.includes(callId), `the other tool's hook did not run for ${callId} (saw ${saw.join(', ')})`);
  // Both hookwarden registrations (user and project) decide every call, concurrently, into one log.
  for (const callId of ['call_c_env', 'call_c_patch_env']) {
    denyRecord(ev, callId);
    const pre = ev.records('PreToolUse', callId);
    ev.ok(pre.length === 2 && pre.every((r) => r.decision === 'deny'), `expected 2 deny records for ${callId}, got ${pre.length}`);
    ev.ok(new Set(pre.map((r) => r.pid)).size === 2, `the 2 deny records of ${callId} do not come from 2 hook processes`);
  }
  for (const callId of ['call_c_ok', 'call_c_patch']) {
    allowedAndRan(ev, callId);
    ev.ok(ev.records('PreToolUse', callId).length === 2, `expected 2 PreToolUse records for ${callId}`);
    ev.ok(ev.records('PostToolUse', callId).length === 2, `expected 2 PostToolUse records for ${callId}`);
  }
  await verifyChain(ev);
});
