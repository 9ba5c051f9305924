// The real Claude Code 2.1.331, set up by `hookwarden install`, against a scripted Messages API on
// loopback: blocked writes never touch the disk, allowed ones do, and the audit log says so.
import path from 'node:path';
import { before, test } from 'node:test';
import { GIT_CONFIG, REPO, runClaude, type Sandbox } from './agents.js';
import type { ClaudeStep } from './claude-model.js';
import {
  absent, allowedAndRan, claudeScenario, denyRecord, install, prerequisites, present, ranToEnd, unchanged, verifyChain,
} from './scenario.js';

before(prerequisites);

const BLOCKED = ['toolu_e2e_write_env', 'toolu_e2e_edit_git', 'toolu_e2e_tee_env'];
const ALLOWED = 'toolu_e2e_write_src';

function script(sb: Sandbox): ClaudeStep[] {
  const abs = (rel: string): string => path.join(sb.project, rel);
  return [
    { kind: 'tool', id: 'toolu_e2e_write_env', name: 'Write', input: { file_path: abs('.env'), content: 'API_KEY=1\n' } },
    {
      kind: 'tool', id: 'toolu_e2e_edit_git', name: 'Edit',
      input: { file_path: abs('.git/config'), old_string: GIT_CONFIG.split('\n')[1], new_string: '\trepositoryformatversion = 1' },
    },
    { kind: 'tool', id: 'toolu_e2e_tee_env', name: 'Bash', input: { command: 'echo API_KEY=2 | tee .env', description: 'write the env file' } },
    { kind: 'tool', id: ALLOWED, name: 'Write', input: { file_path: abs('src/ok.ts'), content: 'export const ok = true;\n' } },
  ];
}

test('control: without hookwarden, the scripted Write and Bash calls really write', async (t) => {
  const { sb, model, ev } = await claudeScenario(t, 'control claude 9', script);
  ev.runs.push(await runClaude(sb, model.origin, 'edit the project'));
  ranToEnd(ev);
  for (const id of ['toolu_e2e_write_env', 'toolu_e2e_tee_env', ALLOWED]) {
    ev.ok(model.resultOf(id)?.isError === false, `unguarded, ${id} did not succeed: ${JSON.stringify(model.resultOf(id))}`);
  }
  present(ev, '.env', 'API_KEY=2\n'); // Write created it, then tee overwrote it
  present(ev, 'src/ok.ts', 'export const ok = true;\n');
  // Claude 2.1.331 refuses an Edit of .git/config by itself ("sensitive file"), but only after
  // PreToolUse: in scenario 9 hookwarden's reason in the tool_result shows who blocked it.
  ev.ok(model.resultOf('toolu_e2e_edit_git')?.isError === true, 'unguarded, Claude let the Edit of .git/config through');
});

test('claude 9: Write .env, Edit .git/config and Bash tee .env are blocked; a Write to src/ happens', async (t) => {
  const { sb, model, ev } = await claudeScenario(t, 'claude 9 (Write/Edit/Bash blocked, Write src allowed)', script);
  await install(ev, 'claude');
  ev.runs.push(await runClaude(sb, model.origin, 'edit the project'));
  ranToEnd(ev);

  absent(ev, '.env');
  unchanged(ev, '.git/config', GIT_CONFIG);
  for (const id of BLOCKED) {
    const deny = denyRecord(ev, id);
    const told = model.resultOf(id);
    ev.ok(told?.isError === true, `Claude did not report ${id} to the model as an error: ${JSON.stringify(told)}`);
    ev.ok(told?.text.includes(`hookwarden: ${String(deny.reason)}`), `the tool_result of ${id} lacks hookwarden's reason ${JSON.stringify(deny.reason)}`);
  }
  present(ev, 'src/ok.ts', 'export const ok = true;\n');
  allowedAndRan(ev, ALLOWED);
  await verifyChain(ev);
});

test('claude plugin: the repository as a plugin (--plugin-dir, root hooks.json + .claude-plugin) blocks without install', async (t) => {
  const { sb, model, ev } = await claudeScenario(t, 'claude plugin (--plugin-dir)', script);
  ev.runs.push(await runClaude(sb, model.origin, 'edit the project', { pluginDir: REPO }));
  ranToEnd(ev);
  absent(ev, '.env');
  for (const id of ['toolu_e2e_write_env', 'toolu_e2e_tee_env']) {
    const deny = denyRecord(ev, id);
    ev.ok(model.resultOf(id)?.text.includes(`hookwarden: ${String(deny.reason)}`), `the tool_result of ${id} lacks hookwarden's reason`);
  }
  present(ev, 'src/ok.ts', 'export const ok = true;\n');
  allowedAndRan(ev, ALLOWED);
});
