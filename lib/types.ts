// Shared vocabulary of the pure core: payload -> targets -> decision -> record.

export type Agent = 'codex' | 'claude';

/** What a tool call does to a path. `read` exists only for opt-in read rules. */
export type Op = 'write' | 'delete' | 'move-from' | 'move-to' | 'read';
export const WRITE_OPS: readonly Op[] = ['write', 'delete', 'move-from', 'move-to'];

/**
 * A path a tool call touches, as the extractor saw it (before normalization).
 * `path` is either absolute or relative to `base`; a leading `~` has already
 * been expanded by extractors whose syntax expands it (the shell).
 */
export interface RawTarget {
  op: Op;
  path: string;
  /** Directory a relative `path` resolves against (payload cwd, or the tracked `cd`). */
  base: string;
  /** How the target was found, for explanations: `redirect >`, `rm`, `apply_patch Add File`, `Write`... */
  via: string;
  /**
   * Parts of the word could not be known statically (unknown variable, command
   * substitution...). Unknown parts are replaced by UNRESOLVED_SEGMENT in `path`
   * so that literal parts (`$D/.env`) can still be matched against rules.
   */
  unresolved?: boolean;
  /** The word as written in the source, for messages. */
  literal?: string;
  /**
   * The call reaches everything beneath this path when it is a directory (`cp -al DIR x` makes
   * a second name for every file in DIR): rules are checked beneath it, as for a delete.
   */
  beneath?: boolean;
  /**
   * Found as an operand or option value of a command the guard does not know (its name): such a
   * target counts only when it is protected, and then as the `unknownCommands` setting says.
   */
  unknownCommand?: string;
  /**
   * The path starts with unknown text given from outside the command (a variable the user's own
   * environment may set, parameters the agent's shell does not have), not text the command made
   * (output, file contents, input the model may have written): `unknownTargets` does not apply.
   */
  given?: boolean;
  /** Stands for whatever code the guard cannot see may write (not a path word): `unknownTargets` does not apply. */
  opaque?: boolean;
  /**
   * The path ends in an unknown suffix the command chooses itself after a known prefix (`split F
   * ~/.bash` writes ~/.bashaa…): every protected path so spelled counts; the suffix alone is no
   * concern of the `unresolved` setting.
   */
  prefix?: boolean;
}

/** Placeholder for an unknowable part of a path. Never a real file name. */
/** Any character outside ASCII (case folding and byte decoding differ there). */
// eslint-disable-next-line no-control-regex
export const NON_ASCII = /[^\u0000-\u007f]/;

export const UNRESOLVED_SEGMENT = '\u0000unresolved\u0000';

/** A target after path normalization. */
export interface Target {
  op: Op;
  /** Absolute, normalized, symlinks resolved through the longest existing prefix. */
  path: string;
  /**
   * The same path normalized without following links, when it differs from `path`: a write to
   * `.env` that is a link elsewhere must still match `**\/.env`, so rules test both spellings.
   */
  lexical?: string;
  via: string;
  unresolved?: boolean;
  literal?: string;
  /** See RawTarget.beneath. */
  beneath?: boolean;
  /** See RawTarget.unknownCommand. */
  unknownCommand?: string;
  /** The path's first unknown part may be any folder (the word starts with it): see lib/unresolved-names.ts. */
  floating?: boolean;
  /** See RawTarget.given. */
  given?: boolean;
  /** See RawTarget.opaque. */
  opaque?: boolean;
  /** See RawTarget.prefix. */
  prefix?: boolean;
}

export type Effect = 'deny' | 'allow' | 'ask';
export type Decision = 'allow' | 'deny' | 'ask';

// Thrown for anything that must block the call with a precise one-line reason: see the catalogue.
import { GuardError, describeError, type ErrorCode } from './errors.js';
export { GuardError, describeError };

/** Largest hook payload read by default (HOOKWARDEN_MAX_INPUT_BYTES may raise it). */
export const DEFAULT_MAX_INPUT_BYTES = 10 * 1024 * 1024;

/**
 * Cooperative deadline: long loops call `check()`; past the budget it throws a GuardError.
 * `clock` (default Date.now) is read on every check: a test passes a counting clock so that
 * "checked while working, not after" is asserted without timing anything.
 */
export class Budget {
  readonly deadline: number;
  constructor(readonly ms: number, now?: number, readonly clock: () => number = Date.now) {
    this.deadline = (now ?? clock()) + ms;
  }
  expired(): boolean {
    return this.clock() > this.deadline;
  }
  check(what = 'work'): void {
    if (this.expired()) throw new GuardError(`${what} exceeded the ${this.ms} ms budget`, 'budget');
  }
}

/** What the guard decided for one call (PreToolUse). */
export interface Verdict {
  decision: Decision;
  /** Id of the deciding rule; absent when nothing matched (plain allow). */
  rule?: string;
  /** Config layer the rule came from: `builtin:<preset>`, or the config file path. */
  layer?: string;
  /** One line, human readable; for a block it is what the model is told. */
  reason?: string;
  /** The target that decided (first blocking target). */
  target?: Target;
  targets: Target[];
  /** Some target could not be resolved statically. */
  unresolved: boolean;
  /** Set when a command rule decided: the command with its arguments (redacted in records), its preset. */
  command?: CommandMatch;
  /** A person's one-time grant let this call through (`hookwarden allow --once`). */
  grant?: { id: string; by: string };
}

export interface CommandMatch {
  argv: string[];
  preset?: string;
  /** The command runs inside a container. */
  container?: boolean;
}

/** One audit line (schema v1). Optional fields are omitted when they do not apply. */
export interface AuditRecord {
  v: 1;
  id: string;
  ts: string;
  /** Same instant as `ts` in epoch ms, level 30/40/50 (info, deny, error) and a one-line `msg`: the fields pino-pretty reads. */
  time?: number;
  level?: number;
  msg?: string;
  agent: Agent;
  event: string;
  session_id?: string;
  turn_id?: string;
  tool_use_id?: string;
  tool?: string;
  cwd?: string;
  /** The host's transcript of the session (payload `transcript_path`). */
  transcript_path?: string;
  /** Set when a subagent made the call (payload `agent_id`, `agent_type`). */
  agent_id?: string;
  agent_type?: string;
  project?: string;
  targets?: { op: Op; path: string; unresolved?: boolean }[];
  decision?: Decision;
  rule?: string;
  layer?: string;
  reason?: string;
  unresolved?: boolean;
  /** The command a command rule decided on (redacted) and the rule's preset. */
  command?: CommandMatch;
  /** The one-time grant that let the call through, and who granted it. */
  grant?: { id: string; by: string };
  /** Redacted, truncated tool input; carried file contents replaced by {bytes, sha256}. */
  input?: unknown;
  /** PostToolUse: redacted, truncated tool response summary. */
  response?: unknown;
  error?: string;
  /** The catalogue code of `error` (lib/errors.ts). */
  error_code?: ErrorCode;
  host: string;
  user: string;
  pid: number;
  version: string;
  /** SHA-256 (hex) of the previous record in the same file, or null for the first. Set by the chain layer. */
  prev?: string | null;
  /** SHA-256 (hex) over this record's canonical form without `hash`. Set by the chain layer. */
  hash?: string;
}
