// A fake home and project for the self preset's tests, and calls judged there as Claude makes them.
import fs from 'node:fs';
import path from 'node:path';
import { preToolUse } from '../../lib/guard.js';
import type { Verdict } from '../../lib/types.js';
import type { Install } from '../../rules/live.js';
import { claudePayload } from './hook.js';

export interface World { root: string; home: string; project: string; env: { HOME: string; XDG_CONFIG_HOME: string; XDG_STATE_HOME: string } }

/** `<root>/home` and `<root>/project` (a git repository) with the XDG folders under `root`. */
export function world(root: string): World {
  const home = path.join(root, 'home');
  const project = path.join(root, 'project');
  fs.mkdirSync(path.join(project, '.git'), { recursive: true });
  fs.mkdirSync(home, { recursive: true });
  const env = { HOME: home, XDG_CONFIG_HOME: path.join(root, 'config'), XDG_STATE_HOME: path.join(root, 'state') };
  return { root, home, project, env };
}

export interface CallOptions { env?: Record<string, string>; install?: Install; cwd?: string }

export function decide(w: World, tool: string, input: Record<string, unknown>, o: CallOptions = {}): Verdict {
  const text = JSON.stringify(claudePayload(o.cwd ?? w.project, tool, input));
  return preToolUse(text, { env: { ...w.env, ...o.env }, home: w.home, agent: 'claude', install: o.install }).verdict;
}
export const write = (w: World, file: string, o?: CallOptions): Verdict => decide(w, 'Write', { file_path: file, content: 'x' }, o);
export const bash = (w: World, command: string, o?: CallOptions): Verdict => decide(w, 'Bash', { command }, o);
