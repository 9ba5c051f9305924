// `npm run demo`: runs the built PreToolUse hook on a scripted series of real-shaped payloads from
// both agents, against the built-in rules only, and shows each decision and where the audit went.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { verifyFiles, auditFiles } from '../lib/verify.js';

const hook = path.join(__dirname, 'hooks', 'pre-tool-use.js');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hookwarden-demo-'));
const project = path.join(tmp, 'project');
for (const dir of ['.git', 'src', 'config/secrets', 'node_modules/left-pad']) fs.mkdirSync(path.join(project, dir), { recursive: true });
fs.writeFileSync(path.join(project, 'config/secrets/db.txt'), 'x');
fs.writeFileSync(path.join(project, '.env.example'), 'API_KEY=\n');
const env = {
  ...process.env,
  // Built-in defaults only: no user config, and the audit log goes to the demo's own folder.
  XDG_CONFIG_HOME: path.join(tmp, 'config'),
  XDG_STATE_HOME: path.join(tmp, 'state'),
  HOOKWARDEN_CONFIG: '',
};
delete (env as Record<string, string | undefined>).HOOKWARDEN_CONFIG;
delete (env as Record<string, string | undefined>).CLAUDE_PROJECT_DIR;

const codex = (tool: string, input: Record<string, unknown>, n: number) => ({
  session_id: '01a20e99-3e5f-7a10-8f8a-5383ed36a44d', turn_id: '01a20e99-3e72-7051-a559-fe432a2c27a3',
  transcript_path: null, cwd: project, hook_event_name: 'PreToolUse', model: 'gpt-5.5',
  permission_mode: 'bypassPermissions', tool_name: tool, tool_input: input, tool_use_id: `call_demo${n}`,
});
const claude = (tool: string, input: Record<string, unknown>, n: number) => ({
  session_id: 'demo-claude', transcript_path: path.join(tmp, 't.jsonl'), cwd: project, permission_mode: 'default',
  hook_event_name: 'PreToolUse', tool_name: tool, tool_input: input, tool_use_id: `toolu_demo${n}`,
});
const patch = (body: string) => ({ command: `*** Begin Patch\n${body}\n*** End Patch\n` });

const steps: [string, (n: number) => object][] = [
  ['codex  Bash     echo hi > .env', (n) => codex('Bash', { command: 'echo hi > .env' }, n)],
  ['codex  Bash     bash -c "cd src && tee ../\'.e\'nv < /dev/null"', (n) => codex('Bash', { command: `bash -c "cd src && tee ../'.e'nv < /dev/null"` }, n)],
  ['codex  Bash     echo .env | xargs rm', (n) => codex('Bash', { command: 'echo .env | xargs rm' }, n)],
  ['codex  Bash     rm -rf config (secrets/ inside)', (n) => codex('Bash', { command: 'rm -rf config' }, n)],
  ['codex  Bash     git commit -m "fix .env parsing"', (n) => codex('Bash', { command: 'git commit -m "fix .env parsing"' }, n)],
  ['codex  Bash     rm -rf node_modules && echo x 2>/dev/null', (n) => codex('Bash', { command: 'rm -rf node_modules && echo x 2>/dev/null' }, n)],
  ['codex  patch    Add src/a.ts + Update .git/config', (n) => codex('apply_patch', patch('*** Add File: src/a.ts\n+export {};\n*** Update File: .git/config\n@@\n-a\n+b'), n)],
  ['codex  patch    Add src/b.ts', (n) => codex('apply_patch', patch('*** Add File: src/b.ts\n+export const b = 1;'), n)],
  ['codex  mcp      fs write_file .git/hooks/pre-commit', (n) => codex('mcp__fs__write_file', { path: '.git/hooks/pre-commit', content: 'x' }, n)],
  ['claude Write    .env', (n) => claude('Write', { file_path: path.join(project, '.env'), content: 'API_KEY=sk-demo\n' }, n)],
  ['claude Write    .env.example', (n) => claude('Write', { file_path: path.join(project, '.env.example'), content: 'API_KEY=\n' }, n)],
  ['claude Edit     ~/.ssh/config', (n) => claude('Edit', { file_path: path.join(os.homedir(), '.ssh/config'), old_string: 'a', new_string: 'b' }, n)],
  ['claude Bash     grep KEY .env', (n) => claude('Bash', { command: 'grep KEY .env', description: 'look' }, n)],
  ['claude Write    src/app.ts', (n) => claude('Write', { file_path: path.join(project, 'src/app.ts'), content: 'export {};\n' }, n)],
];

const tty = process.stdout.isTTY;
const paint = (code: string, s: string) => (tty ? `\x1b[${code}m${s}\x1b[0m` : s);
console.log(`hookwarden demo: built-in rules, project ${project}\n`);
let n = 0;
for (const [label, make] of steps) {
  const agentEnv = label.startsWith('claude') ? { ...env, CLAUDE_PROJECT_DIR: project } : env;
  const res = spawnSync(process.execPath, [hook], { input: JSON.stringify(make(++n)), env: agentEnv, cwd: project, encoding: 'utf8' });
  const verdict = res.status === 0 ? paint('32', 'ALLOW') : res.status === 2 ? paint('31', 'BLOCK') : paint('33', `EXIT ${res.status}`);
  console.log(`${verdict}  ${label}`);
  const line = res.stderr.trim();
  if (line) console.log(`       ${line}`);
  if (res.stdout) console.log(`       stdout: ${res.stdout}`);
}
const log = path.join(env.XDG_STATE_HOME, 'hookwarden', 'audit.jsonl');
const check = verifyFiles(auditFiles(log));
console.log(`\naudit log: ${log}`);
console.log(`records: ${check.records}, hash chain: ${check.problems.length === 0 && check.unreadable.length === 0 ? 'intact' : 'BROKEN'}`);
console.log(`try:      jq -c '{event, tool, decision, rule, targets}' ${log}`);
