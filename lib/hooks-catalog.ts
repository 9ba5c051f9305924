// The hooks hookwarden ships, declared once as data (as fastify declares its lifecycle hooks in one
// array): the build makes one executable per entry, the daemon serves exactly these, the installer
// registers each for its events, the code caches are written for each. Adding a hook is adding an
// entry here.

export interface HookSpec {
  /** The executable's name: dist/hooks/<script>.js. */
  script: string;
  /** The agent events it is registered for (both agents know all of them). */
  events: readonly string[];
  /** PreToolUse matcher: `*` reaches every tool, also those an agent adds in a later release. */
  matcher?: string;
  /** Seconds the agent waits for it. */
  timeout: number;
  /** Per-agent exceptions: Codex 0.169 clamps SessionEnd handlers to 3 s (and hashes the clamped value). */
  timeoutFor?: { readonly codex?: Readonly<Record<string, number>> };
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

export const HOOK_SCRIPTS: readonly HookScript[] = HOOKS.map((h) => h.script);

export const hookSpec = (script: HookScript): HookSpec => HOOKS.find((h) => h.script === script) as HookSpec;

/** Whether a hook blocks the call when it fails (the guard) or only reports (the recorders). */
export const failsClosed = (script: string): boolean => HOOKS.some((h) => h.script === script && h.role === 'guard');

/** Exit code of a hook that cannot even load: 2 (block) for the guard, 1 (non-blocking) otherwise. */
export const loadFailureExit = (script: string): 1 | 2 => (failsClosed(script) ? 2 : 1);
