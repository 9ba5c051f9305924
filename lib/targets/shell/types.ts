// The data the shell analysis passes between its parts: arguments, standard input, output,
// assignments, the pieces of an expanded word, what a file command is given, and git's answers.
// Types only (nothing here runs), and nothing here names a class of the analysis, so every module
// may import it without tying itself to another. The walker's own state (Frame, with the Run it
// belongs to) and its recursion interface (Walker) are in context.ts beside the Run.
import type { Op } from '../../types.js';

/** An argument after expansion: `text` may hold U parts; `pattern` is set while a glob is unexpanded. */
export interface Arg {
  text: string;
  literal: string;
  pattern?: string;
  /**
   * Other texts the word may have (`${X:-.env}` with X unknown is U or `.env`): each is also a
   * target, so a protected alternative is judged as that path.
   */
  alts?: string[];
  /** The word starts with unknown text given from outside, not made by the command (Scope.given). */
  given?: boolean;
  /**
   * Not a word at all: it stands for whatever code the guard cannot see may write (an unknown
   * program, a script whose text is not known): the `unresolved` setting's concern, not a target
   * whose path is unknown (`unknownTargets`).
   */
  opaque?: boolean;
  /** The command writes names that start with this text (split's PREFIX): RawTarget.prefix. */
  prefix?: boolean;
}

/**
 * Standard input of a command: `undefined` = nothing known is fed (the hook's own stdin),
 * `null` = something unknown (a file, a command's output), a string = literal text (may hold U).
 */
export type Input = string | null | undefined;

/** Standard output of what ran, when it is literal text (`echo`, `printf`...); null when unknown. */
export type Out = string | null;

/** A command's prefix assignments (`X=1 cmd`), in order: seen by the command alone. */
export type Assigns = [name: string, value: string, given?: boolean][];

/** A piece of expanded text: `glob` when unquoted (glob characters active), `split` for IFS splitting. */
export interface Atom {
  text: string;
  glob: boolean;
  split: boolean;
  /** Makes a field exist even when empty (quotes, as in `""`). */
  real: boolean;
  /** For an unknown value: texts it may have instead, as far as they are known (`${X:-.env}`). */
  alts?: string[];
  /** An unknown value given from outside the command (Scope.given, Scope.paramsGiven). */
  given?: boolean;
}
/** An atom, or the field boundary that always ends a field (between the words of "$@"; atoms.ts BREAK). */
export type Item = Atom | 'break';

/** How word parts expand. */
export interface Mode {
  quoted: boolean;
  /** Tilde expansion after `=` and `:` (assignment values). */
  assign: boolean;
  /** One string, no field splitting (assignment values, here-strings, `case` words): `$*` joins with IFS's first character. */
  joined?: boolean;
}

/** What a command makes at a name, for the operands of later commands (overlay.ts). */
export type Made = 'link' | 'mirror' | 'dir' | 'unknown';

/** What a file command's handler (commands.ts and its tables) is given. */
export interface CmdCtx {
  /** `beneath`: the command reaches everything beneath a directory operand (hard-link copies). */
  emit(op: Op, a: Arg, via: string, beneath?: boolean): void;
  /** `name` is now a link with text `from` (a string), a copy/move/hard link of `from` (an Arg), a directory, or unknown. */
  made(kind: Made, name: Arg, from?: Arg | string): void;
  /**
   * True when the argument names an existing directory (following links unless `follow` is false);
   * with `disk`, only when it is one on disk now (not merely made by an earlier command of the call).
   */
  isDir(a: Arg, follow?: boolean, disk?: boolean): boolean;
  platform: NodeJS.Platform;
  /** A variable the command set for the program (prefix assignments, then the call's own; never the inherited one), U for unknown parts. */
  getenv?(name: string): string | undefined;
}

/** A file command: its expanded operands, and the context it reports through. */
export type Handler = (args: Arg[], c: CmdCtx) => void;

export interface GitQueryRequest {
  /** Arguments after `git` (built by the core, never user text in option position). */
  argv: readonly string[];
  /** Absolute directory to run in. */
  cwd: string;
  /** The call's environment (the implementation keeps only what selects repository and config). */
  env: Readonly<Record<string, string | undefined>>;
  timeoutMs: number;
  maxBytes: number;
}

/** Exit status and standard output (UTF-8); undefined when git could not run or was stopped. */
export interface GitAnswer {
  status: number;
  stdout: string;
}

/** A synchronous, bounded, read-only git invocation (git-query.ts asks it). */
export type GitQuery = (req: GitQueryRequest) => GitAnswer | undefined;

/** What the shell analysis is given: the query and the environment of the call. */
export interface GitQueryOption {
  query: GitQuery;
  env: Readonly<Record<string, string | undefined>>;
}
