// A project and a fake home in a temp dir, and a PreToolUse call through the real core (payload,
// config layers, presets, normalization, decision) for the shell-path regression tests.
import { after } from 'node:test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { preToolUse } from '../../../../lib/guard.js';

export function guardFixture(prefix: string) {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  const home = path.join(root, 'home');
  const proj = path.join(root, 'proj');
  for (const d of [`${home}/.ssh`, `${home}/.config/hookwarden`, `${proj}/.git`, `${proj}/sub`]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(`${home}/.ssh/authorized_keys`, 'ssh-ed25519 AAAA me\n');
  fs.writeFileSync(`${proj}/.env`, 'TOKEN=1\n');
  fs.writeFileSync(`${proj}/.git/config`, '[core]\n');
  fs.writeFileSync(`${proj}/README`, 'hi\n');
  // Links a cloned repository (or an earlier call) may have left.
  fs.symlinkSync(`${home}/.config`, `${proj}/cfg`);
  fs.symlinkSync(`${home}/.ssh`, `${proj}/keys`);
  const ENV: Record<string, string | undefined> = { HOME: home, XDG_CONFIG_HOME: `${home}/.config/`, PATH: '/usr/bin:/bin' };
  const call = (tool: string, input: Record<string, unknown>, env = ENV, cwd = proj) => preToolUse(JSON.stringify({
    session_id: 's1', cwd, hook_event_name: 'PreToolUse', tool_name: tool, tool_input: input, tool_use_id: 'toolu_1',
  }), { env, home, agent: 'claude' });
  return { root, home, proj, ENV, call, bash: (command: string, env = ENV) => call('Bash', { command }, env) };
}
