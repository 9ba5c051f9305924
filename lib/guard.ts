// The PreToolUse core: payload -> targets -> normalized paths -> decision. No output, no audit I/O.
import { codeOf, type ErrorCode } from './errors.js';
import os from 'node:os';
import { isAbsolute } from 'node:path';
import { detectAgent, parsePayload, rejectedIdentity, rejectedPayload, standInFor, type Identity, type Payload } from './payload.js';
import { loadConfig, type ConfigMemo, type LoadedConfig } from './config.js';
import { extractTargets } from './targets/index.js';
import { newLookupCache, normalizeTarget, type LookupCache } from './paths.js';
import { decide } from './decide.js';
import { withTargetRoots } from './target-roots.js';
import { readablePath } from './paths/syntax.js';
import { Budget, GuardError, UNRESOLVED_SEGMENT, describeError, type Agent, type Target, type Verdict } from './types.js';
import type { RecordInput } from './record.js';
import type { GitQuery } from './targets/shell/git-query.js';
import type { Install } from '../rules/index.js';
import type { SeenCommand } from './targets/shell/seen.js';
import { withCommandRules } from './commands/verdict.js';
import type { TakeGrant } from './commands/grants.js';

export interface GuardEnv {
  env: Record<string, string | undefined>;
  home?: string;
  platform?: NodeJS.Platform;
  /** `--agent` override; otherwise detected from env and payload. */
  agent?: Agent;
  /**
   * Asks git which files a git command would touch (hooks/git-query.ts). The core never starts a
   * process itself; without it git commands get their conservative answers.
   */
  git?: GitQuery;
  /** Where the running guard is installed (from the hook's own location): protected by the self preset. */
  install?: Install;
  /**
   * Takes a one-time grant's file (hooks/grant-take.ts): the core picks the grant, never renames or
   * deletes a file itself. Without it no grant lets a call through.
   */
  takeGrant?: TakeGrant;
  /** Called as soon as the call's config is loaded (a hook's worker reports it to the side that answers). */
  onConfig?: (config: LoadedConfig) => void;
  /** Configs compiled for earlier calls of this process, reused while nothing they read has changed (lib/config.ts). */
  configMemo?: ConfigMemo;
}

/**
 * The payload is read whole before the config is known (the config's layers depend on the
 * payload's cwd): the hook bounds the read (hooks/run.ts), and `limits.maxInputBytes` is applied
 * here once the config is loaded, so a configured limit above the default holds.
 */
const UNBOUNDED = { maxBytes: Number.MAX_SAFE_INTEGER };

export interface PreToolUseOutcome {
  agent: Agent;
  payload?: Payload;
  config?: LoadedConfig;
  verdict: Verdict;
  /** Set when the call was blocked because something failed (payload, config, parser, budget). */
  error?: string;
  /** The catalogue code of `error`. */
  errorCode?: ErrorCode;
}

export function homeOf(genv: GuardEnv): string {
  return genv.home ?? genv.env.HOME ?? os.homedir();
}

/** Decides one already-parsed tool call against a loaded config. Throws GuardError. */
export function evaluatePayload(payload: Payload, config: LoadedConfig, genv: GuardEnv, view: LookupCache = newLookupCache()): Verdict {
  const home = homeOf(genv);
  const platform = genv.platform ?? process.platform;
  if (payload.rejected) throw new GuardError('invalid hook payload: not evaluated', 'payload');
  // userAuditConfig's stand-in (no root) serves the audit trail only, never a decision.
  if (typeof config.root !== 'string') throw new GuardError('config did not load: not evaluated', 'config');
  const tool = payload.tool_name;
  if (!tool) throw new GuardError('invalid hook payload: field tool_name: missing', 'payload');
  const budget = new Budget(config.limits.budgetMs);
  // Commands are collected only when some command rule exists; judged after the paths.
  const seen: SeenCommand[] | undefined = config.commands.size > 0 ? [] : undefined;
  const raw = extractTargets(tool, payload.tool_input ?? {}, payload.cwd, {
    home,
    env: genv.env,
    budget,
    reads: config.reads,
    mcp: config.mcp,
    maxDepth: config.limits.maxDepth,
    maxShellBytes: config.limits.maxShellBytes,
    walkEntries: config.limits.walkEntries,
    git: genv.git,
    commands: seen,
  });
  budget.check('target extraction');
  const pathEnv = { home, platform, cache: view }; // one decision, one view of the file system
  const targets = raw.map((t) => normalizeTarget(t, pathEnv));
  const anchored = withTargetRoots(config, targets, budget, view);
  const v = readableVerdict(decide(targets, tool, anchored, { root: config.root, home, platform, budget }));
  if (!seen || seen.length === 0) return v;
  const command = payload.tool_input?.command;
  return withCommandRules(v, seen, config.commands, {
    root: config.root, roots: config.roots, home, env: genv.env, platform, budget, maxDepth: config.limits.maxDepth,
    ...(typeof command === 'string' ? { commandText: command } : {}),
    ...(typeof payload.session_id === 'string' ? { session: payload.session_id } : {}),
    ...(genv.takeGrant ? { takeGrant: genv.takeGrant } : {}),
  });
}

/**
 * Once decided, targets leave the core (check, records, the library) in their readable form:
 * unknown parts read `<unresolved>` and the target keeps `unresolved: true`.
 */
function readableVerdict(v: Verdict): Verdict {
  const fix = (t: Target): Target => {
    if (!t.path.includes(UNRESOLVED_SEGMENT) && !t.lexical?.includes(UNRESOLVED_SEGMENT)) return t;
    // A name's own chosen suffix (RawTarget.prefix) is no unresolved part.
    const out: Target = { ...t, path: readablePath(t.path), unresolved: t.prefix !== true || t.unresolved === true };
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
    payload = parsePayload(text, genv.env, genv.agent ? { ...UNBOUNDED, agent: genv.agent } : UNBOUNDED);
    agent = payload.agent;
    // One view of the file system for the whole call: the config's rule bases and the targets
    // look up the same folders (about half the lookups of a call were repeats).
    const view = newLookupCache();
    config = preloaded ?? loadConfig({
      cwd: payload.cwd, home: homeOf(genv), env: genv.env, platform: genv.platform ?? process.platform, install: genv.install, view,
      ...(genv.configMemo ? { memo: genv.configMemo } : {}),
    });
    genv.onConfig?.(config);
    const bytes = Buffer.byteLength(text);
    if (bytes > config.limits.maxInputBytes) {
      // Refused as a whole, like a payload over the read limit: identity only, no input.
      const error = `hook payload exceeds ${config.limits.maxInputBytes} bytes`;
      return { agent, payload: standInFor(payload), config, error, errorCode: 'payload', verdict: { decision: 'deny', reason: error, targets: [], unresolved: false } };
    }
    return { agent, payload, config, verdict: evaluatePayload(payload, config, genv, view) };
  } catch (err) {
    const error = describeError(err);
    if (!payload) return failedOutcome(err, genv, preloaded);
    // A config that does not load (a broken or hostile project file) must not divert the record of
    // the blocked call from the user's sinks: audit settings come from the user layer anyway.
    return { agent, payload, config: config ?? userAuditConfig(genv), error, errorCode: codeOf(err), verdict: { decision: 'deny', reason: error, targets: [], unresolved: false } };
  }
}

/**
 * A call whose payload was rejected (unreadable, oversized, not JSON, wrong shape): blocked, and
 * recorded with every identity field that could still be read, in the configured audit trail.
 */
export function failedOutcome(err: unknown, genv: GuardEnv, preloaded?: LoadedConfig): PreToolUseOutcome {
  const error = describeError(err);
  const { agent, payload, config } = rejectedCall(err, genv, { preloaded, event: 'PreToolUse' });
  return { agent, payload, config, error, errorCode: codeOf(err), verdict: { decision: 'deny', reason: error, targets: [], unresolved: false } };
}

/**
 * What a rejected hook input still tells: its identity (a stand-in payload, see payload.ts), the
 * agent that sent it, and the config (for the audit trail only: auditing comes from the user
 * layer, so the record lands where the valid calls' records do; a config that fails to load
 * leaves the default trail, as for a valid call).
 */
export function rejectedCall(
  err: unknown, genv: GuardEnv, opts: { preloaded?: LoadedConfig; event?: string } = {},
): { agent: Agent; payload?: Payload; config?: LoadedConfig; identity: Identity } {
  const identity = rejectedIdentity(err);
  const agent = genv.agent ?? (Object.keys(identity).length > 0 ? detectAgent(identity, genv.env) : fallbackAgent(genv));
  const payload = rejectedPayload(identity, agent, opts.event);
  if (opts.preloaded) return { agent, payload, config: opts.preloaded, identity };
  if (identity.cwd !== undefined && isAbsolute(identity.cwd)) {
    try {
      // Only `audit` is used (project rules cannot set it); the cwd gives the record its project,
      // as on the valid path.
      return { agent, payload, config: loadConfig({ cwd: identity.cwd, home: homeOf(genv), env: genv.env, platform: genv.platform ?? process.platform }), identity };
    } catch {
      // a broken project config: the user layer below
    }
  }
  return { agent, payload, config: userAuditConfig(genv), identity };
}

/**
 * The config for the audit trail alone, when the call's own config did not load or its directory
 * is unknown: the layers seen from home (auditing is user-layer only), with no project claimed
 * (`root` left out of the record). Undefined when even that fails: the default trail.
 */
export function userAuditConfig(genv: GuardEnv): LoadedConfig | undefined {
  const home = homeOf(genv);
  try {
    const config = loadConfig({ cwd: home, home, env: genv.env, platform: genv.platform ?? process.platform });
    return { ...config, root: undefined } as unknown as LoadedConfig;
  } catch {
    return undefined;
  }
}

/** What the audit record of a PreToolUse call is built from (the hook and the library alike). */
export function recordInputOf(o: PreToolUseOutcome): Omit<RecordInput, 'version'> {
  return {
    agent: o.agent,
    event: o.payload?.event ?? 'PreToolUse',
    payload: o.payload?.raw,
    verdict: o.verdict,
    error: o.error,
    errorCode: o.errorCode,
    project: o.config?.root,
  };
}

export { describeError } from './types.js';
