// The pieces every part of word expansion makes (their types are in types.ts): the field break
// between the words of "$@", an unknown value, and a parameter's value as an atom (lookup,
// pushValue). Shared by words.ts, params.ts and value-ops.ts, which call one another's
// expansions only through the walker (Frame.walker), never by import.
import { U, type Frame } from './context.js';
import { UNSET, type Scope, type Val } from './scope.js';
import type { Atom, Item } from './types.js';

/** A field boundary that always ends a field (between the words of "$@"). */
export const BREAK = 'break';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const unknownAtom = (alts?: string[]): Atom =>
  (alts && alts.length > 0 ? { text: U, glob: false, split: false, real: true, alts } : { text: U, glob: false, split: false, real: true });

/**
 * True when parameter `name` is unknown text given from outside the command (an inherited
 * variable the hook's environment does not hold, parameters of the top level or of a function
 * walked where it is defined), not text the command made (output, file contents, input).
 */
export function givenParam(name: string, sc: Scope): boolean {
  if (/^\d+$/.test(name) || name === '#' || name === '@' || name === '*') return sc.positional === null && sc.paramsGiven;
  return NAME.test(name) && sc.given(name);
}

/** A parameter's value: positional (`$1`), `$#`, a variable; U for the specials (`$?`, `$$`...). */
export function lookup(name: string, sc: Scope): Val {
  if (/^\d+$/.test(name)) {
    if (!sc.positional) return U;
    return sc.positional[Number(name)] ?? UNSET;
  }
  if (name === '#') return sc.positional ? String(sc.positional.length - 1) : U;
  if (!NAME.test(name)) return U; // $? $$ $! $- $_
  return sc.get(name);
}

/** A value as an atom: unquoted, it is split and globbed. */
export function valueAtom(text: string, quoted: boolean): Item {
  return { text, glob: !quoted, split: !quoted, real: quoted };
}

export function pushValue(v: Val, quoted: boolean, fr: Frame, out: Item[], alts?: string[], given = false): void {
  const text = v === UNSET ? '' : v;
  fr.run.grow(text.length);
  const g: { given?: true } = given && text.startsWith(U) ? { given: true } : {};
  if (alts && alts.length > 0) out.push({ text, glob: false, split: false, real: true, alts, ...g });
  else out.push({ ...(valueAtom(text, quoted) as Atom), ...g });
}
