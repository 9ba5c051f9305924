// doctor: where hookwarden is registered for each agent, and whether what is registered is what
// `install` writes (every event, a PreToolUse matcher that covers the write tools, existing files).
import fs from 'node:fs';
import path from 'node:path';
import { claudeSettingsFile } from './claude-settings.js';
import { codexFiles, type InstallScope } from './codex-hooks.js';
import { keyPathOf, realPathOf } from './codex-trust.js';
import { readIfExists } from './files.js';
import { ownHandlers, parseHooksDoc, type OwnHandler } from './hooks-doc.js';
import { HOOK_EVENTS, hookForEvent } from '../../lib/hooks-catalog.js';
import { matcherMatches, resolveScript, scriptPathOf, type InstallAgent } from './plan.js';
import type { Check } from './result.js';

export interface Located {
  agent: InstallAgent;
  scope: InstallScope;
  file: string;
  real: string;
  /** The file as Codex names it in trust keys. */
  keyPath: string;
  exists: boolean;
  error?: string;
  own: OwnHandler[];
}

export interface Where { project: string; env: Record<string, string | undefined>; home: string }

/** Every file of `agent` that can hold hooks: user and project (Claude also settings.local.json). */
export function locate(agent: InstallAgent, w: Where): Located[] {
  const files: [InstallScope, string][] = agent === 'codex'
    ? [['user', codexFiles({ ...w, scope: 'user' }).hooks], ['project', codexFiles({ ...w, scope: 'project' }).hooks]]
    : [
      ['user', claudeSettingsFile({ ...w, scope: 'user' })],
      ['project', claudeSettingsFile({ ...w, scope: 'project' })],
      ['project', path.join(w.project, '.claude', 'settings.local.json')],
    ];
  const seen = new Set<string>();
  const out: Located[] = [];
  for (const [scope, file] of files) {
    const real = realPathOf(file);
    if (seen.has(real)) continue;
    seen.add(real);
    try {
      const text = readIfExists(file);
      out.push({ agent, scope, file, real, keyPath: keyPathOf(file), exists: text !== undefined, own: ownHandlers(parseHooksDoc(text, file)) });
    } catch (err) {
      out.push({ agent, scope, file, real, keyPath: keyPathOf(file), exists: true, error: (err as Error).message, own: [] });
    }
  }
  return out;
}

export function fixFor(agent: InstallAgent, scope: InstallScope, extra = ''): string {
  return `run: hookwarden install --agent ${agent}${scope === 'project' ? ' --scope project' : ''}${extra}`;
}

export const mk = (agent: InstallAgent | null, name: string, status: Check['status'], detail: string, fix: string | null = null): Check => ({ agent, name, status, detail, fix });

/**
 * Tools each agent writes with; the registered PreToolUse matcher must reach the guard for all,
 * and for a tool the agent adds later (`NewTool` stands for it: a list of today's tools misses it).
 */
const WRITE_TOOLS: Record<InstallAgent, string[]> = {
  codex: ['Bash', 'apply_patch', 'mcp__server__tool', 'NewTool'],
  claude: ['Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'Bash', 'mcp__server__tool', 'NewTool'],
};

export function registrationChecks(loc: Located[]): Check[] {
  const checks: Check[] = [];
  for (const l of loc) {
    if (l.error) {
      checks.push(mk(l.agent, 'registration', 'fail', `${l.error}; ${l.agent} cannot load the hooks in it`, `fix the file, then ${fixFor(l.agent, l.scope)}`));
      continue;
    }
    if (l.own.length === 0) continue;
    const events = new Set(l.own.map((h) => h.event));
    const missing = HOOK_EVENTS.filter((e) => !events.has(e));
    for (const e of missing) checks.push(mk(l.agent, 'registration', 'fail', `${e} handler missing from ${l.file}`, fixFor(l.agent, l.scope)));
    for (const h of l.own) {
      // A portable (project) command names the hooks relative to the project the file is in.
      const named = scriptPathOf(String(h.raw.command));
      const script = named === undefined ? undefined : resolveScript(named, path.dirname(path.dirname(l.file)));
      if (script && !fs.existsSync(script)) {
        checks.push(mk(l.agent, 'registration', 'fail', `${h.event} handler in ${l.file} runs ${script}, which does not exist`, fixFor(l.agent, l.scope)));
      }
      // The guard's events (PreToolUse) must run the guard, with a matcher that reaches every write tool.
      const spec = hookForEvent(h.event);
      if (spec?.role !== 'guard') continue;
      checks.push(clientCheck(l, String(h.raw.command)));
      if (h.script !== spec.script) checks.push(mk(l.agent, 'registration', 'fail', `${h.event} handler in ${l.file} runs ${h.script}.js, not the guard`, fixFor(l.agent, l.scope)));
      const uncovered = WRITE_TOOLS[l.agent].filter((t) => !matcherMatches(h.matcher, t));
      if (uncovered.length) {
        checks.push(mk(l.agent, 'registration', 'fail', `${h.event} matcher ${JSON.stringify(h.matcher)} in ${l.file} misses ${uncovered.join(', ')}`, fixFor(l.agent, l.scope)));
      }
    }
    if (!missing.length) checks.push(mk(l.agent, 'registration', 'ok', `${l.own.length} handlers in ${l.file}`));
  }
  return checks;
}

/** The first word of a command (quoted or bare). */
function firstWord(command: string): string {
  const w = /^\s*("[^"]*"|'[^']*'|\S+)/.exec(command)?.[1] ?? '';
  return /^["']/.test(w) ? w.slice(1, -1) : w;
}

/** Whether a C compiler (`cc`) is on this PATH: install builds the compiled client with it. */
function hasCompiler(env: Record<string, string | undefined>): boolean {
  return (env.PATH ?? '').split(':').some((d) => {
    try {
      return path.isAbsolute(d) && fs.statSync(path.join(d, 'cc')).isFile();
    } catch {
      return false;
    }
  });
}

/**
 * Which hook client the guard's registration runs, and why: the compiled client
 * (client/hookwarden-client.c, built by install) or Node (no compiler, a portable project
 * registration, or an install from before the compiled client).
 */
export function clientCheck(l: Located, command: string, env: Record<string, string | undefined> = process.env): Check {
  const first = firstWord(command);
  if (/(^|\/)hookwarden-client-[0-9a-f]{16}$/.test(first)) {
    let ok = false;
    try {
      fs.accessSync(first, fs.constants.X_OK);
      ok = fs.statSync(first).isFile();
    } catch {
      ok = false;
    }
    return ok
      ? mk(l.agent, 'client', 'ok', `compiled client ${first} (a warm call never starts Node; it falls back to Node on any doubt)`)
      : mk(l.agent, 'client', 'fail', `the registered compiled client ${first} is missing: every PreToolUse call is blocked`, fixFor(l.agent, l.scope));
  }
  const why = !path.isAbsolute(scriptPathOf(command) ?? '') ? 'a portable project registration names node from PATH, never a binary built on one machine'
    : !hasCompiler(env) ? 'no C compiler (cc) on PATH when checked; install one and run hookwarden install for the compiled client'
      : 'registered without the compiled client (an earlier install, or the build failed: hookwarden install says why)';
  return mk(l.agent, 'client', 'ok', `Node client: ${why}`);
}
