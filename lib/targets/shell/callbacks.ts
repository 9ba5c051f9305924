// Text bash itself runs as code from a builtin's option or a value's transformation, beside
// `eval`, traps and arithmetic (arith.ts): prompt expansion (`${x@P}`, PS4 under `set -x`) runs the
// command substitutions in the value; `mapfile -C CB` evaluates CB with each line's index and
// text; `compgen -C CMD` runs CMD and `compgen -F f` calls f (also `complete`, kept for a later
// completion). Known text is walked as the shell text it is; a value not known (not given from
// outside) is code the guard does not see.
import type * as Sh from './ast.js';
import { U, type Frame } from './context.js';
import { shellParser } from './parse.js';
import { parseOpts } from './options.js';
import type { Scope } from './scope.js';
import type { Arg } from './types.js';

/** Text bash expands as a prompt: backslash escapes, then parameters and `$( )` (a heredoc's body). */
export function promptText(text: string, sc: Scope, fr: Frame, what: string, literal = what): void {
  if (text.includes(U)) {
    fr.run.emit('write', { text: U, literal, opaque: true }, sc.cwd.includes(U) ? '/' : sc.cwd, `${what}: a value not known, expanded as a prompt`, true);
    return;
  }
  if (!/[$`]/.test(text)) return;
  let end = 'HW_PROMPT';
  while (text.includes(end)) end += '_';
  fr.walker.script(`: <<${end}\n${text}\n${end}\n`, sc.child(), fr, what);
}

let transformOp: number | undefined;

/** `${x@P}` (also `${a[@]@P}`): the value expanded as a prompt. */
export function promptTransform(pe: Sh.ParamExp): boolean {
  if (!pe.Exp || pe.Exp.Word?.Parts.length !== 1 || (pe.Exp.Word.Parts[0] as Sh.Lit).Value !== 'P') return false;
  if (transformOp === undefined) {
    const st = shellParser().parse(': ${x@P}').Stmts[0]!;
    transformOp = ((st.Cmd as Sh.CallExpr).Args[1]!.Parts[0] as Sh.ParamExp).Exp!.Op as number;
  }
  return pe.Exp.Op === transformOp;
}

/** `mapfile -C CB`, `readarray -C CB`: CB runs in this shell with an index and a quoted line appended, once per few lines or never. */
export function mapfileCallback(args: Arg[], sc: Scope, fr: Frame): void {
  const p = parseOpts(args, { arg: 'dnOsuCc' });
  for (const o of p.opts) if (o.name === 'C' && o.value) code(`${o.value.text} 0 ''`, sc, fr, 'mapfile -C', true);
}

/** `compgen`/`complete -C CMD` (a command run for completions) and `-F FUNC` (a function called). */
export function completionCode(args: Arg[], sc: Scope, fr: Frame): void {
  const p = parseOpts(args, { arg: 'ACFGPSWXo' });
  for (const o of p.opts) {
    if (o.name === 'C' && o.value) code(o.value.text, sc, fr, 'compgen -C');
    if (o.name === 'F' && o.value) code(`${o.value.text} x x x`, sc, fr, 'compgen -F', true);
  }
}

/** Walks code bash runs; `here`: in this shell (what it sets may hold afterwards), else a subshell. */
function code(text: string, sc: Scope, fr: Frame, what: string, here = false): void {
  if (text.includes(U)) {
    fr.run.emit('write', { text: U, literal: what, opaque: true }, sc.cwd.includes(U) ? '/' : sc.cwd, `${what}: code not known`, true);
    return;
  }
  const c = sc.child();
  fr.walker.script(text, c, fr, what);
  if (here) sc.merge([c], true);
}
