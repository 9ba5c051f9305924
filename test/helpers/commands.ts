// Judging shell commands through the real PreToolUse core, in a fresh home with a git project.
import fs from 'node:fs';
import path from 'node:path';
import { preToolUse } from '../../lib/guard.js';
import { loadConfig } from '../../lib/config.js';
import { judgeCommands } from '../../lib/commands/judge.js';
import { shellTargets, type SeenCommand } from '../../lib/targets/shell/index.js';
import { Budget } from '../../lib/types.js';
import type { Agent, Verdict } from '../../lib/types.js';
import { tempDirs } from './tmp.js';

export interface Sandbox {
  home: string;
  project: string;
  judge(command: string, opts?: JudgeOptions): Verdict & { error?: string };
  /** The command rule alone (path rules aside): the id of the deciding rule, or undefined. */
  commandRule(command: string, opts?: JudgeOptions): string | undefined;
}
export interface JudgeOptions { cwd?: string; agent?: Agent; session?: string; env?: Record<string, string> }

export function commandSandbox(config?: unknown, projectConfig?: unknown): Sandbox {
  const home = tempDirs('hw-cmd-')();
  const project = path.join(home, 'proj');
  fs.mkdirSync(path.join(project, '.git'), { recursive: true });
  fs.mkdirSync(path.join(project, 'src'), { recursive: true });
  if (config !== undefined) {
    fs.mkdirSync(path.join(home, '.config', 'hookwarden'), { recursive: true });
    fs.writeFileSync(path.join(home, '.config', 'hookwarden', 'config.json'), JSON.stringify(config));
  }
  if (projectConfig !== undefined) {
    fs.mkdirSync(path.join(project, '.hookwarden'), { recursive: true });
    fs.writeFileSync(path.join(project, '.hookwarden', 'config.json'), JSON.stringify(projectConfig));
  }
  return {
    home,
    project,
    judge(command, opts = {}) {
      const agent = opts.agent ?? 'claude';
      const payload = {
        session_id: opts.session ?? 'session-1', cwd: opts.cwd ?? project, hook_event_name: 'PreToolUse', tool_name: 'Bash',
        tool_input: { command }, ...(agent === 'codex' ? { turn_id: 't', model: 'm', tool_use_id: 'call_1' } : { tool_use_id: 'toolu_1' }),
      };
      const env = { HOME: home, ...(agent === 'claude' ? { CLAUDE_PROJECT_DIR: project } : {}), ...opts.env };
      const o = preToolUse(JSON.stringify(payload), { env, home, agent });
      return { ...o.verdict, ...(o.error ? { error: o.error } : {}) };
    },
    commandRule(command, opts = {}) {
      const cwd = opts.cwd ?? project;
      const env = { HOME: home, ...opts.env };
      const config = loadConfig({ cwd, home, env, platform: process.platform });
      const seen: SeenCommand[] = [];
      const budget = new Budget(10_000);
      shellTargets(command, { cwd, home, env, budget, commands: seen });
      const j = judgeCommands(seen, config.commands, { root: config.root, roots: config.roots, home, env, platform: process.platform, budget, maxDepth: 8 });
      return j && j.decision !== 'allow' ? j.rule.id : undefined;
    },
  };
}
