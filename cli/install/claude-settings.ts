// Claude Code: hookwarden's groups into (or out of) settings.json (protocol doc §7). No trust
// hashes; Claude snapshots hooks at start-up, so a running session needs a restart.
import path from 'node:path';
import type { Prepared, InstallScope } from './codex-hooks.js';
import { realPathOf } from './codex-trust.js';
import { readIfExists } from './files.js';
import { mergeHooks, parseHooksDoc, removeHooks, type OwnHandler } from './hooks-doc.js';
import { exactRestore, type FileRecord } from './manifest.js';
import { planFor, type CommandTarget } from './plan.js';
import type { HandlerReport } from './result.js';

export interface ClaudeOptions {
  scope: InstallScope;
  project: string;
  home: string;
  target: CommandTarget;
  /** The secrets-read preset is on: `Read` goes through the guard too. */
  guardReads: boolean;
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

export function prepareClaudeInstall(o: ClaudeOptions): Prepared {
  const file = claudeSettingsFile(o);
  const before = readIfExists(file);
  const change = mergeHooks(before, planFor('claude', { ...o.target, guardReads: o.guardReads }), file);
  return {
    async commit(tx) {
      return {
        files: [tx.write(file, 'claude-settings', before, change.after)],
        handlers: reports(change.own, file),
        trust: null,
        projectTrust: null,
        warnings: [],
        writes: [{ file, real: realPathOf(file), before, after: change.after, hints: { hooks: change.added.hooks, events: change.added.events }, ours: change.ownBefore.length > 0 }],
      };
    },
  };
}

export function prepareClaudeUninstall(o: ClaudeOptions, records: Record<string, FileRecord>): Prepared {
  const file = claudeSettingsFile(o);
  const before = readIfExists(file);
  const rec = records[realPathOf(file)];
  const change = removeHooks(before, file, rec ? { hooks: rec.hooks === true, events: rec.events ?? [], file: rec.created } : undefined);
  const exact = exactRestore(rec, before, change.after, (t) => parseHooksDoc(t, file));
  const after = exact ? exact.text : change.after;
  return {
    async commit(tx) {
      return {
        files: [tx.write(file, 'claude-settings', before, after)],
        handlers: reports(change.ownBefore, file),
        trust: null,
        projectTrust: null,
        warnings: [],
        writes: [{ file, real: realPathOf(file), before, after, hints: {} }],
      };
    },
  };
}
