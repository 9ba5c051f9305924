// A fixture project for decision-level shell tests (known-commands, semantics, the oracle and the
// false-positive corpus): protected files (.env, .git/config, a key under a fake HOME's .ssh, a
// hookwarden config) beside ordinary ones, judged through the library's evaluate() as the hook would.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { evaluate } from '../../lib/index.js';
import type { LoadedConfig } from '../../lib/config.js';
import { loadConfig } from '../../lib/config.js';
import type { Verdict } from '../../lib/types.js';

export interface GuardProject {
  root: string;
  project: string;
  home: string;
  env: Record<string, string>;
  /** Decides a Bash call in `cwd` (default: the project). */
  check(command: string, cwd?: string): Verdict;
  cleanup(): void;
}

/** Writes the fixture tree under `root` (also used by the oracle for each throwaway copy). */
export function writeFixture(root: string): { project: string; home: string } {
  const project = path.join(root, 'project');
  const home = path.join(root, 'home');
  const files: Record<string, string> = {
    'project/.env': 'API_KEY=secret\n',
    'project/.env.example': 'API_KEY=\n',
    'project/.git/config': '[core]\n\tbare = false\n',
    'project/.git/HEAD': 'ref: refs/heads/main\n',
    'project/src/a.ts': 'export const a = 1;\n',
    'project/src/b.txt': 'b\n',
    'project/README.md': '# demo\n',
    'project/notes.txt': 'notes\n',
    'project/list.txt': '.env\nsrc/a.ts\n',
    'project/package.json': '{"name":"demo","version":"1.0.0"}\n',
    'home/.ssh/id_ed25519': 'KEY\n',
    'home/.ssh/config': 'Host x\n',
    'home/.config/hookwarden/config.json': '{}\n',
    'home/.bashrc': '# rc\n',
  };
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  return { project, home };
}

export function guardProject(): GuardProject {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-guard-')));
  const { project, home } = writeFixture(root);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_STATE_HOME: path.join(root, 'state'),
  };
  const configs = new Map<string, LoadedConfig>();
  return {
    root, project, home, env,
    check(command, cwd = project) {
      let config = configs.get(cwd);
      if (!config) configs.set(cwd, config = loadConfig({ cwd, home, env, platform: 'linux' }));
      const payload = { session_id: 's', transcript_path: '/nonexistent/t.jsonl', cwd, permission_mode: 'default', hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: 'toolu_01T1' };
      return evaluate(payload, { env, home, config, agent: 'claude' }).verdict;
    },
    cleanup: () => fs.rmSync(root, { recursive: true, force: true }),
  };
}

/** Writes `g`'s user config (and a project config, or removes it) and loads the layers as the hook would. */
export function loadWith(g: GuardProject, user: object, project?: object): LoadedConfig {
  fs.writeFileSync(path.join(g.home, '.config/hookwarden/config.json'), JSON.stringify(user));
  const pdir = path.join(g.project, '.hookwarden');
  fs.rmSync(pdir, { recursive: true, force: true });
  if (project) {
    fs.mkdirSync(pdir);
    fs.writeFileSync(path.join(pdir, 'config.json'), JSON.stringify(project));
  }
  return loadConfig({ cwd: g.project, home: g.home, env: g.env, platform: 'linux' });
}

/** Decides a Bash call in `g`'s project with `config`. */
export function decideWith(g: GuardProject, config: LoadedConfig, command: string): Verdict {
  return evaluate({
    session_id: 's', transcript_path: '/nonexistent/t.jsonl', cwd: g.project, permission_mode: 'default',
    hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: 'toolu_01T1',
  }, { env: g.env, home: g.home, config, agent: 'claude' }).verdict;
}
