// Every simple command the walk finds, with its arguments after expansion and where its input
// comes from: what command rules (lib/commands/) judge once extraction is done. Collected only
// when the caller asks (a list in RunOptions); the walk itself never reads it.
import type { Arg, Input } from './types.js';

export interface SeenCommand {
  /** The command word after wrappers (`sudo`, `env X=1`, `timeout 5`...) are removed, as expanded. */
  name: string;
  /**
   * The command word is not known (`$(which git)`, `$TOOL`): `name` holds it with its unknown
   * parts, and command rules judge it as any command they name (lib/commands/judge.ts).
   */
  unknownName?: true;
  /** A program the analysis does not know: what it runs with its arguments is not known either. */
  unknownProgram?: true;
  /** Its arguments as expanded, before pathname expansion (a glob keeps `pattern`). */
  args: Arg[];
  /** The shell's directory when it runs (may hold U). */
  cwd: string;
  /** Nesting level (nested shells, eval, xargs, substitutions). */
  depth: number;
  /** Standard input when literal (heredoc, here-string, `echo x |`), null when unknown, undefined when none. */
  stdin: Input;
  /** The file `< FILE` feeds as standard input. */
  stdinFile?: string;
  /** Commands whose output is this command's standard input (the stages before it in a pipeline). */
  fed?: readonly SeenCommand[];
  /** Commands whose output was substituted into this command's words (`$(...)`, `<(...)`). */
  subst?: readonly SeenCommand[];
  /** Name of the shell function whose body holds this command (a call of itself is recursion). */
  fn?: string;
  /** Where it is written (the text and the offset in it): a loop body analyzed twice is still one call site. */
  site?: { src: object; pos: number };
}
