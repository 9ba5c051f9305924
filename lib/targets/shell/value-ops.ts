// The parameter expansions that compute a new value from a known one (param-ops.ts does the
// computing): `${X#p}` `${X##p}` `${X%p}` `${X%%p}`, `${X/p/r}` `${X//p/r}` `${X/#p/r}`
// `${X/%p/r}`, `${X^p}` `${X^^p}` `${X,p}` `${X,,p}`, `${X:off:len}` and `${!X}`. A value the
// command assigned or inherited from the hook's environment gives one result; an unknown one
// with known alternatives (`${X:-…}` branches, unset) gives each of theirs as alternatives.
import type * as Sh from './ast.js';
import { U, type Frame } from './context.js';
import { caseOf, patternTokens, plainInt, replace, slice, trim, Work, type Tok, type Trim } from './param-ops.js';
import { lookup, pushValue, unknownAtom } from './atoms.js';
import { shellParser } from './parse.js';
import { UNSET, type Scope, type Val } from './scope.js';
import type { Atom, Item } from './types.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Matching work for one expansion (value length x pattern length, summed over alternatives). */
const WORK = 2_000_000;

type Op = Trim | '^' | '^^' | ',' | ',,';
let codes: Map<number, Op> | undefined;

/** Operator codes of the parser for the forms handled here, read from the parser itself. */
function opCodes(): Map<number, Op> {
  if (codes) return codes;
  const names: Op[] = ['#', '##', '%', '%%', '^', '^^', ',', ',,'];
  const f = shellParser().parse(`: ${names.map((n) => `\${a${n}b}`).join(' ')}`);
  const words = (f.Stmts[0]!.Cmd as Sh.CallExpr).Args.slice(1);
  codes = new Map(words.map((w, k) => [(w.Parts[0] as Sh.ParamExp).Exp!.Op, names[k]!]));
  return codes;
}

/** Handles the forms above and returns true; false for anything else (the caller handles it). */
export function valueOp(pe: Sh.ParamExp, quoted: boolean, sc: Scope, fr: Frame, out: Item[]): boolean {
  const name = pe.Param?.Value ?? '';
  if (pe.Index || pe.Length || pe.Width || (pe as { Names?: number }).Names) return false;
  const parts = [pe.Excl, pe.Slice, pe.Repl, pe.Exp].filter(Boolean).length;
  if (parts !== 1) return false;
  const exp = pe.Exp;
  const op = exp ? opCodes().get(exp.Op as number) : undefined;
  if (exp && !op) return false;
  let f: ((v: string, work: Work) => string | undefined) | undefined;
  if (pe.Excl) {
    // `${!X}`: the variable X names (one level; an unknown or odd name is unknown).
    const v = lookup(name, sc);
    if (typeof v !== 'string' || !NAME.test(v) && !/^\d+$/.test(v)) {
      out.push(unknownAtom());
      return true;
    }
    const target = lookup(v, sc);
    pushValue(target, quoted, fr, out, target !== UNSET && target.includes(U) && NAME.test(v) ? sc.alts(v) : undefined);
    return true;
  }
  let guess = false;
  if (op) {
    let toks = pattern(exp!.Word, sc, fr);
    // extglob syntax is literal text unless `shopt -s extglob` ran: that reading is an alternative.
    if (!toks) {
      toks = pattern(exp!.Word, sc, fr, true);
      guess = true;
    }
    if (!toks) return unknown(out);
    if (op === '#' || op === '##' || op === '%' || op === '%%') f = (v, w) => trim(v, toks, op, w);
    else f = (v, w) => caseOf(v, toks, op.startsWith('^'), op.length === 2, w);
  } else if (pe.Repl) {
    const r = pe.Repl as { All: boolean; Orig: Sh.Word | null; With: Sh.Word | null };
    // mvdan-sh reads `${V///x}` as an empty pattern where bash reads the pattern `/`: not computed.
    if (!r.Orig || r.Orig.Parts.length === 0) return unknown(out);
    let anchor: '' | '#' | '%' = '';
    const origParts = r.Orig?.Parts ?? [];
    const first = origParts[0];
    let lit = first?.type === 'Lit' ? (first as Sh.Lit).Value : '';
    if (!r.All && (lit.startsWith('#') || lit.startsWith('%'))) {
      anchor = lit[0] as '#' | '%';
      lit = lit.slice(1);
    }
    const rest = first?.type === 'Lit' ? [{ ...first, Value: lit } as Sh.Lit, ...origParts.slice(1)] : origParts;
    const toks = patternOf(rest, sc, fr);
    const withItems: Item[] = [];
    fr.walker.expandParts(r.With?.Parts ?? [], { quoted: false, assign: false }, sc, fr, withItems, false);
    const reps = withItems.filter((i): i is Atom => i !== 'break');
    // bash 5.2 puts the match where an unquoted `&` stands (patsub_replacement): not handled.
    if (!toks || reps.some((a) => a.text.includes(U) || (a.glob && a.text.includes('&')))) return unknown(out);
    const rep = reps.map((a) => a.text).join('');
    f = (v, w) => replace(v, toks, rep, r.All, anchor, w);
  } else if (pe.Slice) {
    const sl = pe.Slice as { Offset: Sh.Node | null; Length: Sh.Node | null };
    const off = intOf(sl.Offset, sc, fr);
    const len = sl.Length ? intOf(sl.Length, sc, fr) : null;
    if (off === undefined || len === undefined || !/^[A-Za-z_]/.test(name)) {
      // The offset and length are arithmetic: what they name and run is still walked (arith.ts).
      fr.walker.nested(pe, sc, fr);
      return unknown(out);
    }
    f = (v) => slice(v, off, len ?? undefined);
  }
  if (!f) return false;
  const v: Val = lookup(name, sc);
  const work = new Work(WORK);
  if (v === UNSET || !v.includes(U)) {
    const r = f(v === UNSET ? '' : v, work);
    if (r === undefined) return unknown(out);
    if (guess) out.push(unknownAtom([r]));
    else pushValue(r, quoted, fr, out);
    return true;
  }
  // Unknown: each known alternative ('' is unset) through the same operator.
  const alts = v === U && NAME.test(name) ? sc.alts(name) : undefined;
  const results = (alts ?? []).map((a) => f!(a, work));
  out.push(unknownAtom(results.every((x) => x !== undefined) ? [...new Set(results as string[])].filter((x) => !x.includes(U)) : undefined));
  return true;
}

function unknown(out: Item[]): true {
  out.push(unknownAtom());
  return true;
}

function pattern(w: Sh.Word | null, sc: Scope, fr: Frame, extLiteral = false): Tok[] | undefined {
  return patternOf(w?.Parts ?? [], sc, fr, extLiteral);
}

/** A pattern word's tokens: unquoted text keeps its pattern characters, quoted text is literal. */
function patternOf(parts: Sh.Node[], sc: Scope, fr: Frame, extLiteral = false): Tok[] | undefined {
  const items: Item[] = [];
  fr.walker.expandParts(parts, { quoted: false, assign: false }, sc, fr, items, false);
  const pieces: { text: string; glob: boolean }[] = [];
  for (const it of items) {
    if (it === 'break' || it.text.includes(U)) return undefined;
    pieces.push({ text: it.text, glob: it.glob });
  }
  return patternTokens(pieces, extLiteral);
}

/** An arithmetic operand that is an integer, `-N`, `(N)`, or a variable holding one; else undefined. */
export function intOf(n: Sh.Node | null, sc: Scope, fr: Frame): number | undefined {
  if (!n) return undefined;
  if (n.type === 'ParenArithm') return intOf((n as unknown as { X: Sh.Node | null }).X, sc, fr);
  if (n.type === 'UnaryArithm') {
    const u = n as Sh.UnaryArithm;
    const x = intOf(u.X, sc, fr);
    return x === undefined || u.Op !== minusCode() ? undefined : -x;
  }
  if (n.type !== 'Word') return undefined;
  const text = fr.walker.wordString(n as Sh.Word, sc, fr).trim();
  if (NAME.test(text)) {
    const v = sc.get(text);
    return typeof v === 'string' && !v.includes(U) ? plainInt(v) ?? (v === '' ? 0 : undefined) : undefined;
  }
  return plainInt(text);
}

let minus: number | undefined;
/** The parser's code for unary minus in arithmetic. */
function minusCode(): number {
  if (minus !== undefined) return minus;
  const f = shellParser().parse(': ${a: -1}');
  const pe = (f.Stmts[0]!.Cmd as Sh.CallExpr).Args[1]!.Parts[0] as Sh.ParamExp;
  minus = ((pe.Slice as { Offset: Sh.UnaryArithm }).Offset).Op;
  return minus;
}
