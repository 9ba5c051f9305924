// What hookwarden registers with each agent: events, matchers, commands, timeouts.
import fs from 'node:fs';
import path from 'node:path';
import { HOOK_SCRIPTS, HOOK_SPECS, LOAD_FAILURE_EXIT, failsClosed, hookSpec, timeoutOf, type HookScript, type HookSpec } from '../../lib/hooks-catalog.js';

export type InstallAgent = 'codex' | 'claude';

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

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * hookwarden recognizes its own handlers by the command naming one of its dist files, so a
 * moved install (another dist folder, another Node) is still "ours" and gets repaired in place.
 */
const OWN_SCRIPT = new RegExp(`[\\\\/]hooks[\\\\/](${HOOK_SCRIPTS.map(escapeRegExp).join('|')})\\.js(?=["'\\s]|$)`);

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
 * What the agent's shell runs: Node with a one-line loader that requires the hook's entry and, when
 * that cannot be loaded (a missing or broken bundle), prints ONE line and exits 2 for the guard (a
 * block) or 1 for the recorders (never a block). Without it Node prints a multi-line stack trace,
 * which both agents hand over as the block reason. A relative script (portable project
 * registration) is looked for in the hook's working directory and its parents, as Node looks for
 * node_modules (Codex runs hooks in the session's folder, Claude Code in the project's). Single
 * quotes keep it one word in sh, bash, zsh and fish; `||` is in all of them. Windows is not a
 * target of `install` (README).
 */
export function loader(script: HookScript): string {
  return loaderFor(hookSpec(script).role);
}

/** The loader of every hook of a role (the compiled client holds one per role). */
export function loaderFor(role: HookSpec['role']): string {
  return 'const p=require("path"),a=process.argv[1];let t=a;'
    + 'if(!p.isAbsolute(a))for(let d=process.cwd();;d=p.dirname(d)){t=p.join(d,a);if(require("fs").existsSync(t)||p.dirname(d)===d)break}'
    + `try{require(t)}catch(e){process.stderr.write("hookwarden: cannot load the ${role} ("+String(e&&e.code||e).split("\\n")[0]+": "+t+")\\n");process.exit(${LOAD_FAILURE_EXIT[role]})}`;
}

/** Where the registered command finds Node and the hooks. */
export interface CommandTarget {
  distDir: string;
  nodePath?: string;
  /** Portable (project scope): the dist folder relative to the project, and `node` from PATH. */
  relativeDist?: string;
  /**
   * The compiled client (client/hookwarden-client.c, built by install) to run instead of Node; it
   * execs Node itself whenever it cannot hand the call to the daemon. Never with `relativeDist`:
   * a shared file cannot name a binary built on this machine.
   */
  client?: string;
}

/**
 * `"<node>" -e '<loader>' "<dist>/hooks/<script>.js"`: absolute, never npx (seconds per call); or,
 * portable, `node -e '<loader>' "<relative dist>/hooks/<script>.js"`. The guard gets `|| exit 2`:
 * when Node itself is missing the shell exits 127 and both agents would run the tool; the shell
 * turns that into a block (its own one-line "not found" is the reason).
 */
export function hookCommand(t: CommandTarget, script: HookScript): string {
  const file = t.relativeDist !== undefined
    ? path.posix.join(t.relativeDist.split(path.sep).join('/'), 'hooks', `${script}.js`)
    : path.join(path.resolve(t.distDir), 'hooks', `${script}.js`);
  const node = t.relativeDist !== undefined ? 'node' : shellQuote(t.nodePath ?? process.execPath);
  const cmd = t.client && t.relativeDist === undefined ? `${shellQuote(t.client)} ${shellQuote(file)}` : `${node} -e '${loader(script)}' ${shellQuote(file)}`;
  return failsClosed(script) ? `${cmd} || exit 2` : cmd;
}

export interface PlanOptions extends CommandTarget {
  /** The secrets-read preset is on. Kept for callers: the matcher reaches every tool (`Read` too) anyway. */
  guardReads?: boolean;
}

/** The groups `install` registers with `agent`: one per event of every hook in the catalog, in its order. */
export function planFor(agent: InstallAgent, opts: PlanOptions): PlannedGroup[] {
  return HOOK_SPECS.flatMap((spec) => {
    const script = spec.script as HookScript;
    const command = hookCommand(opts, script);
    return spec.events.map((event): PlannedGroup => ({
      event,
      script,
      group: {
        ...(spec.matcher !== undefined ? { matcher: spec.matcher } : {}),
        hooks: [{ type: 'command', command, timeout: timeoutOf(spec, agent, event), ...(spec.statusMessage !== undefined ? { statusMessage: spec.statusMessage } : {}) }],
      },
    }));
  });
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

/** The file a relative (portable) script resolves to from `dir`, found as the loader finds it. */
export function resolveScript(script: string, dir: string): string {
  if (path.isAbsolute(script)) return script;
  for (let d = path.resolve(dir); ; d = path.dirname(d)) {
    const t = path.join(d, script);
    if (fs.existsSync(t) || path.dirname(d) === d) return t;
  }
}

/** The command with a relative script made absolute (doctor probes it from a scratch folder). */
export function anchoredCommand(command: string, dir: string): string {
  const script = scriptPathOf(command);
  if (!script || path.isAbsolute(script)) return command;
  return command.replace(shellQuote(script), shellQuote(resolveScript(script, dir)));
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
