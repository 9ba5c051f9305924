// A project and a home for judging calls of tools the guard does not know (MCP and others): the
// project has .git and sub/, the home ~/.ssh; `config` becomes the user config.
import fs from 'node:fs';
import path from 'node:path';

export interface ToolWorld { project: string; home: string; env: Record<string, string> }

/** Under `root` (a fresh temporary folder, its real path). */
export function toolWorld(root: string, config?: unknown): ToolWorld {
  const project = path.join(root, 'p');
  const home = path.join(root, 'home');
  fs.mkdirSync(path.join(project, '.git'), { recursive: true });
  fs.mkdirSync(path.join(project, 'sub'), { recursive: true });
  fs.mkdirSync(path.join(home, '.ssh'), { recursive: true });
  const env = { HOME: home, XDG_CONFIG_HOME: path.join(root, 'c'), XDG_STATE_HOME: path.join(root, 's') };
  if (config) {
    fs.mkdirSync(path.join(env.XDG_CONFIG_HOME, 'hookwarden'), { recursive: true });
    fs.writeFileSync(path.join(env.XDG_CONFIG_HOME, 'hookwarden', 'config.json'), JSON.stringify(config));
  }
  return { project, home, env };
}
