// Claude Code: hookwarden's groups into (or out of) settings.json (protocol doc §7). No trust
// hashes; Claude snapshots hooks at start-up, so a running session needs a restart.
import path from 'node:path';
import type { AgentOutcome, Scope } from './codex-hooks.js';
import { commitFile, readIfExists } from './files.js';
import { mergeHooks, removeHooks, type OwnHandler } from './hooks-doc.js';
import { planFor } from './plan.js';
import type { HandlerReport } from './result.js';

export interface ClaudeOptions {
  scope: Scope;
  project: string;
  home: string;
  distDir: string;
  nodePath?: string;
  /** The secrets-read preset is on: `Read` goes through the guard too. */
  guardReads: boolean;
  dryRun: boolean;
}

export function claudeSettingsFile(o: Pick<ClaudeOptions, 'scope' | 'project' | 'home'>): string {
  return o.scope === 'user' ? path.join(o.home, '.claude', 'settings.json') : path.join(o.project, '.claude', 'settings.json');
}

function reports(own: OwnHandler[], file: string): HandlerReport[] {
  return own.map((h) => ({
    agent: 'claude', event: h.event, matcher: h.matcher ?? null, command: String(h.raw.command),
    timeout: typeof h.raw.timeout === 'number' ? h.raw.timeout : 600, file, key: null, hash: null, trustSource: null,
  }));
}

export function installClaude(o: ClaudeOptions): AgentOutcome {
  const file = claudeSettingsFile(o);
  const before = readIfExists(file);
  const change = mergeHooks(before, planFor('claude', { distDir: o.distDir, nodePath: o.nodePath, guardReads: o.guardReads }), file);
  return {
    files: [commitFile(file, 'claude-settings', before, change.after, o.dryRun)],
    handlers: reports(change.own, file),
    trust: null,
    projectTrust: null,
    warnings: [],
  };
}

export function uninstallClaude(o: ClaudeOptions): AgentOutcome {
  const file = claudeSettingsFile(o);
  const before = readIfExists(file);
  const change = removeHooks(before, file);
  return {
    files: [commitFile(file, 'claude-settings', before, change.after, o.dryRun)],
    handlers: reports(change.ownBefore, file),
    trust: null,
    projectTrust: null,
    warnings: [],
  };
}
