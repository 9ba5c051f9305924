// Text bash evaluates as arithmetic, again. In `$((x))`, `((x))`, `let`, `[[ x -eq y ]]`, an
// indexed array's subscript, a substring offset, and a value assigned to a `declare -i` variable,
// each variable named is read and its VALUE evaluated as an expression in turn; an array subscript
// met on the way (`a[$(cmd)]`) is expanded like a word first, command substitution included. So
// `x='a[$(cmd)]'; echo $((x))` runs cmd, although no `$(` is in the command where bash runs it.
// The same subscript expansion happens for a variable name given as text to a builtin (`read`,
// `printf -v`, `declare`, `[[ -v ]]`, `wait -p`) and for the target of `${!x}` or a nameref.
//
// The rule here: text that reaches such an evaluation from a value (not from the command itself,
// whose substitutions the walker already analyzes) and may expand something (`$`, a backquote, a
// process substitution) is code the guard does not see: an unresolved write, blocked under
// `unresolved: deny`. A value not known is the same, unless it is given from outside (the user's
// own environment) or made by arithmetic (a number: walk.ts marks it so). Names inside a known value
// are followed, to a bound.
import type * as Sh from './ast.js';
import { visit } from './ast.js';
import type { Frame } from './context.js';
import { shellParser } from './parse.js';
import { U } from './context.js';
import { UNSET, type Scope } from './scope.js';
import { arrayItems } from './arrays.js';
import { givenParam, lookup } from './atoms.js';
import { numericOutput } from './numeric-output.js';
import { parseOpts } from './options.js';

export { numericOutput };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** What in a subscript bash expands as a word: parameters, command and process substitutions. */
const EXPANDS = /[$`]|[<>]\(/;
/** Tokens of an expression: numbers (`0x1f`, `16#ff`, `1e`...) are skipped, names kept. */
const TOKENS = /(?:\d+#[0-9A-Za-z@_]+|0[xX][0-9A-Fa-f]+|\d\w*)|([A-Za-z_][A-Za-z0-9_]*)/g;
/** Bash's own limit is deeper; past this the value is taken as code not seen. */
const MAX_DEPTH = 12;

function opaque(fr: Frame, sc: Scope, what: string, literal: string): void {
  fr.run.emit('write', { text: U, literal, opaque: true }, sc.cwd.includes(U) ? '/' : sc.cwd, what, true);
}

/** A value (text from a variable, a substitution, a builtin's operand) bash evaluates as an expression. */
export function arithText(text: string, sc: Scope, fr: Frame, literal: string, depth = 0): void {
  if (/^\s*[-+]?\d*\s*$/.test(text)) return;
  if (text.includes(U)) {
    opaque(fr, sc, 'a value not known, evaluated as arithmetic', literal);
    return;
  }
  if (EXPANDS.test(text)) {
    opaque(fr, sc, 'a value evaluated as arithmetic that expands text (an array subscript)', literal);
    return;
  }
  if (depth >= MAX_DEPTH) {
    opaque(fr, sc, 'variables evaluated as arithmetic nested too deep', literal);
    return;
  }
  fr.run.step();
  for (const m of text.matchAll(TOKENS)) if (m[1] !== undefined) arithName(m[1], sc, fr, literal, depth + 1);
}

/** A variable named in an expression: its value is evaluated too (an array: each element it may be). */
export function arithName(name: string, sc: Scope, fr: Frame, literal: string, depth = 0): void {
  if (!NAME.test(name)) return;
  const items = arrayItems(sc, name);
  if (items) {
    for (const it of items) arithText(it, sc, fr, literal, depth);
    return;
  }
  const v = sc.get(name);
  if (v === UNSET) return;
  valueParts(v, sc.alts(name), sc.given(name), (t) => arithText(t, sc, fr, literal, depth), () => arithText(U, sc, fr, literal, depth));
}

/**
 * A value as far as it is known: `text` gets the command's own text in it (around an unknown part,
 * `$NOPE'a[…]'`) and each value it may have instead (`${NOPE:-'a[…]'}`); `unknown` is called for
 * an unknown part not given from outside (the user's environment, a number arithmetic made): the
 * exemption covers only that part, never text the command chose.
 */
export function valueParts(v: string, alts: string[] | undefined, given: boolean, text: (t: string) => void, unknown: () => void): void {
  if (!v.includes(U)) {
    text(v);
    return;
  }
  const own = v.split(U).filter((p) => p !== '');
  if (own.length > 0) text(own.join(' 0 '));
  for (const a of alts ?? []) if (!a.includes(U)) text(a);
  if (!given) unknown();
}

/**
 * A variable name given as text (`read 'a[…]'`, `printf -v`, `[[ -v ]]`, `declare 'a[…]=1'`, the
 * target of `${!x}` or a nameref): a subscript in it is expanded, then evaluated as arithmetic.
 */
export function nameText(text: string, sc: Scope, fr: Frame, literal: string): void {
  // A builtin storing a value into a `declare -i` variable: the value is evaluated as arithmetic.
  if (isInteger(fr, text.replace(/\[.*$/s, ''))) {
    opaque(fr, sc, 'a value a builtin stores into an integer variable (evaluated as arithmetic)', literal);
    return;
  }
  if (text.includes(U)) {
    opaque(fr, sc, 'a variable name not known (its subscript may run code)', literal);
    return;
  }
  const open = text.indexOf('[');
  if (open < 0) return;
  const sub = text.slice(open + 1);
  if (EXPANDS.test(sub)) {
    opaque(fr, sc, 'an array subscript in a variable name given as text expands text', literal);
    return;
  }
  arithText(sub.replace(/\][^\]]*$/, ''), sc, fr, literal, 1);
}

/** Variables declared integer (`declare -i`, `local -i`): a value assigned to one is arithmetic. */
const integers = new WeakMap<object, Set<string>>();

export function declareInteger(fr: Frame, name: string): void {
  let s = integers.get(fr.run);
  if (!s) integers.set(fr.run, s = new Set());
  if (s.size < 256) s.add(name);
}

/** Variables bash itself evaluates assignments to as arithmetic. */
const BASH_INTEGERS = new Set(['RANDOM', 'SRANDOM', 'OPTIND', 'HISTCMD', 'SECONDS', 'LINENO', 'COLUMNS', 'LINES', 'HISTSIZE']);

export function isInteger(fr: Frame, name: string): boolean {
  return BASH_INTEGERS.has(name) || integers.get(fr.run)?.has(name) === true;
}

interface ArithOps { set: number; tests: ReadonlySet<number>; varSet: number }
let arithOps: ArithOps | undefined;

/** Operator codes read from the parser itself (as parse.ts does): `=`, `-eq`…`-ge`, `-v`. */
function codes(): ArithOps {
  if (arithOps) return arithOps;
  const { parse } = shellParser();
  const op = (text: string): number => {
    let found = -1;
    visit(parse(text), (n) => {
      if (found < 0 && (n.type === 'BinaryArithm' || n.type === 'BinaryTest' || n.type === 'UnaryTest')) found = (n as unknown as { Op: number }).Op;
      return found < 0;
    });
    return found;
  };
  arithOps = {
    set: op('((a=1))'),
    tests: new Set(['-eq', '-ne', '-lt', '-le', '-gt', '-ge'].map((o) => op(`[[ a ${o} b ]]`))),
    varSet: op('[[ -v a ]]'),
  };
  return arithOps;
}

type W = Sh.Word;
const words = (...ns: (Sh.Node | null | undefined)[]): W[] => ns.filter((n): n is W => n?.type === 'Word');

/**
 * The operands of an arithmetic node that bash evaluates as expressions (the walker visits nested
 * arithmetic nodes itself): `$(( ))`, `(( ))`, `let`, `for (( ))`, the operators, a subscript, a
 * substring's offset and length, `[[ a -eq b ]]`; and `[[ -v NAME ]]`'s name.
 */
export function arithOperands(n: Sh.Node): { exprs: W[]; names: W[] } {
  const none = { exprs: [], names: [] };
  const x = n as unknown as Record<string, Sh.Node | null>;
  switch (n.type) {
    case 'ArithmExp': case 'ArithmCmd': case 'ParenArithm': case 'UnaryArithm':
      return { exprs: words(x.X), names: [] };
    case 'BinaryArithm': {
      // `i=…` does not read i; a subscript in it is still evaluated (the ParamExp rule below).
      const set = (n as Sh.BinaryArithm).Op === codes().set;
      return { exprs: words(set ? null : x.X, x.Y), names: [] };
    }
    case 'LetClause':
      return { exprs: words(...((n as unknown as { Exprs: Sh.Node[] }).Exprs ?? [])), names: [] };
    case 'CStyleLoop':
      return { exprs: words(x.Init, x.Cond, x.Post), names: [] };
    case 'ParamExp': {
      const pe = n as Sh.ParamExp;
      const slice = pe.Slice as unknown as { Offset: Sh.Node | null; Length: Sh.Node | null } | null;
      return { exprs: words(pe.Index as Sh.Node | null, slice?.Offset, slice?.Length), names: [] };
    }
    case 'BinaryTest':
      return codes().tests.has((n as unknown as { Op: number }).Op) ? { exprs: words(x.X, x.Y), names: [] } : none;
    case 'UnaryTest':
      return (n as unknown as { Op: number }).Op === codes().varSet ? { exprs: [], names: words(x.X) } : none;
    default:
      return none;
  }
}

/**
 * One operand word: a name is evaluated as its value; `$x` splices x's value (the same); a command
 * substitution splices its output (substituted here, once: `done` tells the walker). Anything else
 * is expanded and the text evaluated.
 */
export function arithWord(w: W, sc: Scope, fr: Frame, done: Set<Sh.Node>, asName = false): void {
  const literal = fr.src.of(w);
  let text = '';
  const parts = (list: Sh.Node[]): void => {
    for (const p of list) {
      if (p.type === 'Lit') text += (p as Sh.Lit).Value;
      else if (p.type === 'SglQuoted') text += (p as unknown as { Value: string }).Value;
      else if (p.type === 'DblQuoted') parts((p as unknown as { Parts: Sh.Node[] }).Parts);
      else if (p.type === 'CmdSubst') {
        const out = fr.walker.substitute(p as Sh.CmdSubst, sc, fr);
        done.add(p);
        text += typeof out === 'string' ? out.replace(/\n+$/, '') : numericOutput(p as Sh.CmdSubst) ? '0' : U;
      } else if (p.type === 'ParamExp') {
        const pe = p as Sh.ParamExp;
        const name = pe.Param?.Value ?? '';
        const plain = !pe.Excl && !pe.Slice && !pe.Repl && !pe.Exp;
        if (pe.Length) text += '0';
        else if (plain && NAME.test(name)) {
          // `$x`, `${x}`, `a[i]`: the value is read as an expression (its subscript: the ParamExp rule).
          if (asName) {
            const v = sc.get(name);
            if (v !== UNSET) valueParts(v, sc.alts(name), sc.given(name), (t) => nameText(t, sc, fr, literal), () => nameText(U, sc, fr, literal));
          } else {
            arithName(name, sc, fr, literal);
            text += '0';
          }
        } else if (plain && ['?', '$', '!', '#', '-'].includes(name)) text += '0';
        else if (plain) {
          // `$1`, `$_`: the value is spliced in.
          const v = lookup(name, sc);
          if (v !== UNSET) text += !v.includes(U) ? v : givenParam(name, sc) ? '0' : U;
        } else text += U;
      } else if (p.type === 'ArithmExp') text += '0';
      else text += U;
    }
  };
  parts(w.Parts as unknown as Sh.Node[]);
  if (asName) nameText(text, sc, fr, literal);
  else arithText(text, sc, fr, literal);
}


/** Options of `read` that take a value (`-a` takes an array name). */
const READ_VALUE = 'adinNptu';

/** The operands of a builtin that are variable names given as text (their subscripts are expanded). */
export function variableNames(name: string, args: { text: string; literal: string }[]): { text: string; literal: string }[] {
  const out: { text: string; literal: string }[] = [];
  const after = (flag: string): void => {
    args.forEach((a, i) => {
      if (a.text === flag && args[i + 1]) out.push(args[i + 1]!);
    });
  };
  switch (name) {
    case 'read': {
      const p = parseOpts(args, { arg: READ_VALUE, posix: true });
      for (const o of p.opts) if (o.name === 'a' && o.value) out.push(o.value);
      out.push(...p.operands);
      return out;
    }
    case 'printf':
      after('-v');
      for (const a of args) if (/^-v./s.test(a.text)) out.push({ ...a, text: a.text.slice(2) });
      return out;
    case 'test': case '[': after('-v'); return out;
    case 'wait':
      after('-p');
      for (const a of args) {
        const m = /^-[a-z]*p(.+)$/s.exec(a.text);
        if (m) out.push({ ...a, text: m[1]! });
      }
      return out;
    // Their operands (and option values, harmlessly) as names: what they store may go to an integer.
    case 'mapfile': case 'readarray': case 'getopts': case 'select':
      return args.filter((a) => !a.text.startsWith('-'));
    // (bash expands a subscript in a name given to these; not for `export` or `readonly`)
    case 'unset': case 'declare': case 'typeset': case 'local':
      return args.filter((a) => !a.text.startsWith('-')).map((a) => ({ ...a, text: nameOf(a.text) }));
    default: return out;
  }
}

/** `a[i]=v` → `a[i]`; `x=v` → `x`. */
export function nameOf(text: string): string {
  const m = /^([A-Za-z_][A-Za-z0-9_]*\[.*?\])(\+?=|$)/s.exec(text) ?? /^([^=]*)/.exec(text);
  return m?.[1] ?? text;
}

/** Namerefs declared without a target (`declare -n r`): `r=NAME` and `for r in …` set what r names. */
const openRefs = new WeakMap<object, Set<string>>();

export function declareOpenRef(fr: Frame, name: string): void {
  let s = openRefs.get(fr.run);
  if (!s) openRefs.set(fr.run, s = new Set());
  if (s.size < 64) s.add(name);
}

export function isOpenRef(fr: Frame, name: string): boolean {
  return openRefs.get(fr.run)?.has(name) === true;
}
