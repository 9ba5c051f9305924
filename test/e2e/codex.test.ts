// The real Codex CLI 0.169, set up by `hookwarden install`, against a scripted model on loopback:
// each scenario makes Codex call its real tools and checks the file system, the audit log and what
// the model was told next. Scenarios 7 and 8 (trust, concurrent handlers) are in codex-hooks.test.ts.
import { before, test, type TestContext } from 'node:test';
import { GIT_CONFIG, runCodex } from './agents.js';
import { callIdOf, type CodexModel } from './codex-model.js';
import { patch, S1, S2, S3, S4, S5, snapshot, type BlockScript } from './codex-scripts.js';
import type { AuditLine, Evidence } from './evidence.js';
import {
  absent, allowedAndRan, codexScenario, denyRecord, install, prerequisites, present, ranToEnd, unchanged, verifyChain,
  type CodexScenario,
} from './scenario.js';

before(prerequisites);

/** What Codex told the model about a blocked call holds hookwarden's reason from the audit record. */
function toldBlocked(ev: Evidence, model: CodexModel, callId: string, deny: AuditLine, prefix: string): void {
  const output = model.outputOf(callId);
  ev.check(output !== undefined, `the model was never sent an output for ${callId}`);
  ev.check(output.startsWith(prefix), `the output of ${callId} does not start with ${JSON.stringify(prefix)}: ${JSON.stringify(output)}`);
  ev.check(output.includes(`hookwarden: ${String(deny.reason)}`), `the output of ${callId} lacks hookwarden's reason ${JSON.stringify(deny.reason)}`);
}

const SHELL_BLOCK = 'Command blocked by PreToolUse hook: ';

/** A block scenario's sandbox, set up, with hookwarden installed and Codex run once. */
async function guarded(t: TestContext, script: BlockScript): Promise<CodexScenario> {
  const s = await codexScenario(t, script.name, script.steps, { mcp: script.mcp === true });
  script.setup?.(s.sb);
  await install(s.ev, 'codex');
  s.ev.runs.push(await runCodex(s.sb, 'do the task'));
  ranToEnd(s.ev);
  return s;
}

test('control: without hookwarden, every scripted call of scenarios 1-5 really writes', async (t) => {
  for (const script of [S1, S2, S3, S4, S5]) {
    await t.test(script.name, async (tt) => {
      const { sb, ev } = await codexScenario(tt, `control ${script.name}`, script.steps, { mcp: script.mcp === true });
      script.setup?.(sb);
      const before = snapshot(sb, script.writes);
      ev.runs.push(await runCodex(sb, 'do the task'));
      ranToEnd(ev);
      const after = snapshot(sb, script.writes);
      for (const rel of script.writes) ev.ok(after[rel] !== before[rel], `unguarded, ${rel} was not written: the script proves nothing`);
    });
  }
});

test('codex 1: exec_command `echo hi > .env` is blocked', async (t) => {
  const { model, ev } = await guarded(t, S1);
  absent(ev, '.env');
  toldBlocked(ev, model, 'call_env1', denyRecord(ev, 'call_env1'), SHELL_BLOCK);
  await verifyChain(ev);
});

test('codex 2: apply_patch adding .env, touching .git/config second, or moving onto .env is blocked', async (t) => {
  const { model, ev } = await guarded(t, S2);
  absent(ev, '.env');
  absent(ev, 'src/first.ts'); // the allowed first file of a blocked patch is not written either
  unchanged(ev, '.git/config', GIT_CONFIG);
  unchanged(ev, 'src/app.ts', 'export const x = 1;\n');
  for (const [i, step] of S2.steps.entries()) toldBlocked(ev, model, callIdOf(step, i), denyRecord(ev, callIdOf(step, i)), SHELL_BLOCK);
  await verifyChain(ev);
});

test('codex 3: apply_patch heredoc sent through exec_command is blocked', async (t) => {
  const { model, ev } = await guarded(t, S3);
  absent(ev, '.env');
  toldBlocked(ev, model, 'call_heredoc', denyRecord(ev, 'call_heredoc'), SHELL_BLOCK);
  await verifyChain(ev);
});

test('codex 4: a wrapped and quoted write (bash -c "cd sub && tee ../\'.e\'nv") is blocked', async (t) => {
  const { model, ev } = await guarded(t, S4);
  absent(ev, '.env');
  toldBlocked(ev, model, 'call_wrapped', denyRecord(ev, 'call_wrapped'), SHELL_BLOCK);
  await verifyChain(ev);
});

test('codex 5: an MCP write_file into .git/ is blocked; one into notes/ happens', async (t) => {
  const { model, ev } = await guarded(t, S5);
  present(ev, 'notes/a.md', 'hello\n'); // the MCP server really writes: the block below is the guard's doing
  allowedAndRan(ev, 'call_mcp_ok');
  absent(ev, '.git/hooks/pre-commit');
  toldBlocked(ev, model, 'call_mcp_git', denyRecord(ev, 'call_mcp_git'), 'Tool call blocked by PreToolUse hook: ');
  await verifyChain(ev);
});

test('codex 6: allowed exec_command and apply_patch on src/ happen and are recorded, linked by tool_use_id', async (t) => {
  const steps = [
    { kind: 'exec' as const, cmd: 'echo hi > src/hello.txt', callId: 'call_ok_exec' },
    { kind: 'patch' as const, callId: 'call_ok_patch', input: patch('*** Add File: src/new.ts', '+export const y = 2;') },
  ];
  const { sb, model, ev } = await codexScenario(t, 'codex 6 (allowed exec_command + apply_patch)', steps);
  await install(ev, 'codex');
  ev.runs.push(await runCodex(sb, 'write the sources'));
  ranToEnd(ev);
  present(ev, 'src/hello.txt', 'hi\n');
  present(ev, 'src/new.ts', 'export const y = 2;\n');
  for (const id of ['call_ok_exec', 'call_ok_patch']) {
    allowedAndRan(ev, id);
    const output = model.outputOf(id) ?? '';
    ev.ok(!output.includes('blocked by PreToolUse hook'), `the allowed call ${id} was reported blocked: ${output}`);
  }
  await verifyChain(ev);
});
