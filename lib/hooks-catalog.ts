// The hooks hookwarden ships, declared once as data (as fastify declares its lifecycle hooks in one
// array): the build makes one executable per entry, the daemon serves exactly these, the installer
// registers each for its events, the code caches are written for each. Adding a hook is adding an
// entry here.

export interface HookSpec {
  /** The executable's name: dist/hooks/<script>.js. */
  script: string;
  /** The agent events it is registered for (both agents know all of them). */
  events: readonly string[];
  /**
   * PreToolUse matcher: `*`, every tool on both agents (protocol doc §4, §7). A list of today's
   * write tools would let a tool an agent adds in its next release run without the guard ever
   * hearing of it; the guard itself allows the tools it knows to be read-only at once and judges
   * the path-like arguments of every other one.
   */
  matcher?: string;
  /** Seconds the agent waits for it. */
  timeout: number;
  /** Per-agent exceptions: Codex 0.169 clamps SessionEnd handlers to 3 s (and hashes the clamped value). */
  timeoutFor?: Readonly<Partial<Record<'codex' | 'claude', Readonly<Record<string, number>>>>>;
  statusMessage?: string;
  /**
   * A guard blocks the call when it cannot decide (exit 2, the registration adds `|| exit 2`); a
   * recorder never stands in the tool's way (exit 1 is a non-blocking error to both agents).
   */
  role: 'guard' | 'recorder';
}

export const HOOKS = [
  { script: 'pre-tool-use', events: ['PreToolUse'], matcher: '*', timeout: 30, statusMessage: 'hookwarden: checking protected paths', role: 'guard' },
  { script: 'post-tool-use', events: ['PostToolUse'], timeout: 30, role: 'recorder' },
  {
    script: 'audit-event',
    events: ['SessionStart', 'UserPromptSubmit', 'PermissionRequest', 'Stop', 'SessionEnd'],
    timeout: 10,
    timeoutFor: { codex: { SessionEnd: 3 } },
    role: 'recorder',
  },
] as const satisfies readonly HookSpec[];

export type HookScript = (typeof HOOKS)[number]['script'];

/** The entries as the wider `HookSpec` (optional fields readable on every entry). */
export const HOOK_SPECS: readonly HookSpec[] = HOOKS;

export const HOOK_SCRIPTS: readonly HookScript[] = HOOKS.map((h) => h.script);

/** Every event hookwarden registers for, in registration order. */
export const HOOK_EVENTS: readonly string[] = HOOK_SPECS.flatMap((h) => h.events);

export const hookSpec = (script: HookScript): HookSpec => HOOK_SPECS.find((h) => h.script === script) as HookSpec;

/** The hook registered for an agent event, if hookwarden registers one. */
export const hookForEvent = (event: string): HookSpec | undefined => HOOK_SPECS.find((h) => h.events.includes(event));

/** Whether a handler registered for `event` that runs `script` is the guard (doctor probes those). */
export const isGuardHandler = (event: string, script: string): boolean => {
  const spec = hookForEvent(event);
  return spec?.role === 'guard' && spec.script === script;
};

/** The seconds `agent` is told to wait for a hook on `event`. */
export const timeoutOf = (spec: HookSpec, agent: 'codex' | 'claude', event: string): number => spec.timeoutFor?.[agent]?.[event] ?? spec.timeout;

/**
 * The event a hook's call is recorded under when its payload cannot say (unreadable, given up on):
 * the hook's only event, or `unknown` for one registered for several.
 */
export const soleEvent = (script: string): string => {
  const events = HOOK_SPECS.find((h) => h.script === script)?.events ?? [];
  return events.length === 1 ? (events[0] as string) : 'unknown';
};

/** Whether a hook blocks the call when it fails (the guard) or only reports (the recorders). */
export const failsClosed = (script: string): boolean => HOOKS.some((h) => h.script === script && h.role === 'guard');

/** Exit code of a hook that cannot even load: 2 (block) for the guard, 1 (non-blocking) for a recorder. */
export const LOAD_FAILURE_EXIT: Readonly<Record<HookSpec['role'], 1 | 2>> = { guard: 2, recorder: 1 };
