// The PreToolUse core: payload -> targets -> normalized paths -> decision. No output, no audit I/O.
import os from 'node:os';
import { parsePayload, type Payload } from './payload.js';
import { loadConfig, type LoadedConfig } from './config.js';
import { extractTargets } from './targets/index.js';
import { newLookupCache, normalizeTarget } from './paths.js';
import { decide } from './decide.js';
import { readablePath } from './paths/syntax.js';
import { Budget, GuardError, UNRESOLVED_SEGMENT, describeError, type Agent, type Target, type Verdict } from './types.js';
import type { RecordInput } from './record.js';

export interface GuardEnv {
  env: Record<string, string | undefined>;
  home?: string;
  platform?: NodeJS.Platform;
  /** `--agent` override; otherwise detected from env and payload. */
  agent?: Agent;
}

export interface PreToolUseOutcome {
  agent: Agent;
  payload?: Payload;
  config?: LoadedConfig;
  verdict: Verdict;
  /** Set when the call was blocked because something failed (payload, config, parser, budget). */
  error?: string;
}

export function homeOf(genv: GuardEnv): string {
  return genv.home ?? genv.env.HOME ?? os.homedir();
}

/** Decides one already-parsed tool call against a loaded config. Throws GuardError. */
export function evaluatePayload(payload: Payload, config: LoadedConfig, genv: GuardEnv): Verdict {
  const home = homeOf(genv);
  const platform = genv.platform ?? process.platform;
  const tool = payload.tool_name;
  if (!tool) throw new GuardError('invalid hook payload: field tool_name: missing', 'payload');
  const budget = new Budget(config.limits.budgetMs);
  const raw = extractTargets(tool, payload.tool_input ?? {}, payload.cwd, {
    home,
    env: genv.env,
    budget,
    reads: config.reads,
    mcp: config.mcp,
    maxDepth: config.limits.maxDepth,
    maxShellBytes: config.limits.maxShellBytes,
    walkEntries: config.limits.walkEntries,
  });
  budget.check('target extraction');
  const pathEnv = { home, platform, cache: newLookupCache() }; // one decision, one view of the file system
  const targets = raw.map((t) => normalizeTarget(t, pathEnv));
  return readableVerdict(decide(targets, tool, config, { root: config.root, home, platform, budget }));
}

/**
 * Once decided, targets leave the core (check, records, the library) in their readable form:
 * unknown parts read `<unresolved>` and the target keeps `unresolved: true`.
 */
function readableVerdict(v: Verdict): Verdict {
  const fix = (t: Target): Target => {
    if (!t.path.includes(UNRESOLVED_SEGMENT) && !t.lexical?.includes(UNRESOLVED_SEGMENT)) return t;
    const out: Target = { ...t, path: readablePath(t.path), unresolved: true };
    if (t.lexical !== undefined) out.lexical = readablePath(t.lexical);
    return out;
  };
  const targets = v.targets.map(fix);
  const at = v.target ? v.targets.indexOf(v.target) : -1;
  return { ...v, targets, ...(v.target ? { target: at >= 0 ? targets[at]! : fix(v.target) } : {}) };
}

/**
 * The host when no payload says it: the override, else Claude Code's environment, else Codex
 * (where an `ask` becomes a block, the safe side).
 */
export function fallbackAgent(genv: GuardEnv): Agent {
  return genv.agent ?? (genv.env.CLAUDE_PROJECT_DIR ? 'claude' : 'codex');
}

/**
 * Hosts fall back to running the tool on any hook failure, so every failure here becomes a deny.
 * `preloaded`: a config loaded once by a library caller; otherwise the layers of the payload's cwd.
 */
export function preToolUse(text: string, genv: GuardEnv, preloaded?: LoadedConfig): PreToolUseOutcome {
  let agent = fallbackAgent(genv);
  let payload: Payload | undefined;
  let config: LoadedConfig | undefined;
  try {
    payload = parsePayload(text, genv.env, genv.agent ? { agent: genv.agent } : undefined);
    agent = payload.agent;
    config = preloaded ?? loadConfig({ cwd: payload.cwd, home: homeOf(genv), env: genv.env, platform: genv.platform ?? process.platform });
    const bytes = Buffer.byteLength(text);
    if (bytes > config.limits.maxInputBytes) {
      throw new GuardError(`hook payload exceeds ${config.limits.maxInputBytes} bytes`, 'payload');
    }
    return { agent, payload, config, verdict: evaluatePayload(payload, config, genv) };
  } catch (err) {
    const error = describeError(err);
    return { agent, payload, config, error, verdict: { decision: 'deny', reason: error, targets: [], unresolved: false } };
  }
}

/** For failures before a payload exists (unreadable or oversized stdin). */
export function failedOutcome(err: unknown, genv: GuardEnv): PreToolUseOutcome {
  const error = describeError(err);
  return { agent: fallbackAgent(genv), error, verdict: { decision: 'deny', reason: error, targets: [], unresolved: false } };
}

/** What the audit record of a PreToolUse call is built from (the hook and the library alike). */
export function recordInputOf(o: PreToolUseOutcome): Omit<RecordInput, 'version'> {
  return {
    agent: o.agent,
    event: o.payload?.event ?? 'PreToolUse',
    payload: o.payload?.raw,
    verdict: o.verdict,
    error: o.error,
    project: o.config?.root,
  };
}

export { describeError } from './types.js';
