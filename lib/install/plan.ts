// What hookwarden registers with each agent: events, matchers, commands, timeouts.
import path from 'node:path';

export type InstallAgent = 'codex' | 'claude';
export type HookScript = 'pre-tool-use' | 'post-tool-use' | 'audit-event';

/** One matcher group as written into hooks.json / settings.json (hookwarden writes one handler per group). */
export interface HookGroup {
  matcher?: string;
  hooks: HookHandler[];
}
export interface HookHandler {
  type: 'command';
  command: string;
  timeout: number;
  statusMessage?: string;
}

export interface PlannedGroup {
  event: string;
  script: HookScript;
  group: HookGroup;
}

/**
 * The PreToolUse matcher: every tool, on both agents (`*` means all to Codex and to Claude Code,
 * protocol doc §4, §7). A list of today's write tools would let a tool an agent adds in its
 * next release run without the guard ever hearing of it; the guard itself allows the tools it
 * knows to be read-only at once and judges the path-like arguments of every other one.
 */
export const PRE_MATCHER = '*';

/** Recorded, never blocked. Both agents know all of them. */
export const AUDIT_EVENTS = ['SessionStart', 'UserPromptSubmit', 'PermissionRequest', 'Stop', 'SessionEnd'] as const;

export const PRE_TIMEOUT = 30;
export const POST_TIMEOUT = 30;
export const AUDIT_TIMEOUT = 10;
/** Codex 0.169 clamps SessionEnd handlers to 3 s (and hashes the clamped value): register what it runs. */
export const CODEX_SESSION_END_TIMEOUT = 3;
const STATUS = 'hookwarden: checking protected paths';

/**
 * hookwarden recognizes its own handlers by the command naming one of its dist files, so a
 * moved install (another dist folder, another Node) is still "ours" and gets repaired in place.
 */
const OWN_SCRIPT = /[\\/]hooks[\\/](pre-tool-use|post-tool-use|audit-event)\.js(?=["'\s]|$)/;

export function ownScript(command: unknown): HookScript | undefined {
  if (typeof command !== 'string') return undefined;
  return OWN_SCRIPT.exec(command)?.[1] as HookScript | undefined;
}

/** A group is hookwarden's when it has handlers and every one of them is hookwarden's. */
export function isOwnGroup(group: unknown): boolean {
  if (!group || typeof group !== 'object') return false;
  const hooks = (group as { hooks?: unknown }).hooks;
  return Array.isArray(hooks) && hooks.length > 0 && hooks.every((h) => ownScript((h as { command?: unknown } | null)?.command) !== undefined);
}

/** POSIX shell quoting (both agents run the command through a shell): double quotes unless the path holds a character they would expand. */
export function shellQuote(s: string): string {
  return /["$`\\!]/.test(s) ? `'${s.replace(/'/g, `'\\''`)}'` : `"${s}"`;
}

/**
 * `"<node>" "<dist>/hooks/<script>.js"`: absolute, never npx (seconds per call). The guard gets
 * `|| exit 2`: when Node or the bundle is missing the process exits 1 or 127 and both agents would
 * run the tool; the shell turns that into a block (stderr holds the shell's or Node's reason).
 */
export function hookCommand(distDir: string, script: HookScript, nodePath: string = process.execPath): string {
  const cmd = `${shellQuote(nodePath)} ${shellQuote(path.join(path.resolve(distDir), 'hooks', `${script}.js`))}`;
  return script === 'pre-tool-use' ? `${cmd} || exit 2` : cmd;
}

export interface PlanOptions {
  distDir: string;
  nodePath?: string;
  /** The secrets-read preset is on. Kept for callers: the matcher reaches every tool (`Read` too) anyway. */
  guardReads?: boolean;
}

export function planFor(agent: InstallAgent, opts: PlanOptions): PlannedGroup[] {
  const cmd = (s: HookScript) => hookCommand(opts.distDir, s, opts.nodePath);
  return [
    { event: 'PreToolUse', script: 'pre-tool-use', group: { matcher: PRE_MATCHER, hooks: [{ type: 'command', command: cmd('pre-tool-use'), timeout: PRE_TIMEOUT, statusMessage: STATUS }] } },
    { event: 'PostToolUse', script: 'post-tool-use', group: { hooks: [{ type: 'command', command: cmd('post-tool-use'), timeout: POST_TIMEOUT }] } },
    ...AUDIT_EVENTS.map((event): PlannedGroup => ({
      event,
      script: 'audit-event',
      group: { hooks: [{ type: 'command', command: cmd('audit-event'), timeout: agent === 'codex' && event === 'SessionEnd' ? CODEX_SESSION_END_TIMEOUT : AUDIT_TIMEOUT }] },
    })),
  ];
}

/** The js file a command runs (the last quoted or bare word naming one of our scripts). */
export function scriptPathOf(command: string): string | undefined {
  const words = command.match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
  for (const w of words.reverse()) {
    const bare = /^["']/.test(w) ? w.slice(1, -1) : w;
    if (ownScript(bare)) return bare;
  }
  return undefined;
}

/** Codex matcher semantics (protocol doc §4): empty or `*` = all; plain `A|B` = exact; else an unanchored regex. */
export function matcherMatches(matcher: string | undefined, tool: string): boolean {
  if (matcher === undefined || matcher === '' || matcher === '*') return true;
  if (/^[A-Za-z0-9_|]+$/.test(matcher)) return matcher.split('|').includes(tool);
  try {
    return new RegExp(matcher, 'u').test(tool);
  } catch {
    return false;
  }
}
