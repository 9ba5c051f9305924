// The syntax tree as plain objects. mvdan-sh is Go compiled to JavaScript: its public node
// wrappers cost tens of microseconds per property read (a 2 KB script took 100+ ms to walk),
// so the parser's own objects are converted once, in one linear pass, into these shapes (the
// field names of mvdan.cc/sh/v3/syntax). parse.ts checks the conversion on a known command
// when the parser loads, so a different parser build fails closed instead of misreading.
import { NON_ASCII, UNRESOLVED_SEGMENT } from '../../types.js';

export interface Node {
  type: string;
  /** Byte offsets in the source (words and word parts only). */
  pos?: number;
  end?: number;
}
export interface File extends Node { Stmts: Stmt[] }
export interface Stmt extends Node {
  Cmd: Node | null; Negated: boolean; Background: boolean; Coprocess: boolean; Redirs: Redirect[];
}
export interface Redirect extends Node { Op: number; N: Lit | null; Word: Word | null; Hdoc: Word | null }
export interface CallExpr extends Node { Assigns: Assign[]; Args: Word[] }
export interface Assign extends Node {
  Append: boolean; Naked: boolean; Name: Lit | null; Index: Node | null; Value: Word | null; Array: Node | null;
}
export interface Subshell extends Node { Stmts: Stmt[] }
export interface Block extends Node { Stmts: Stmt[] }
export interface IfClause extends Node { Cond: Stmt[]; Then: Stmt[]; Else: IfClause | null }
export interface WhileClause extends Node { Cond: Stmt[]; Do: Stmt[] }
export interface ForClause extends Node { Loop: Node; Do: Stmt[] }
/** InPos is -1 when there is no `in`. */
export interface WordIter extends Node { Name: Lit | null; InPos: number; Items: Word[] }
export interface BinaryCmd extends Node { Op: number; X: Stmt | null; Y: Stmt | null }
export interface FuncDecl extends Node { Name: Lit | null; Body: Stmt | null }
export interface CaseClause extends Node { Word: Word | null; Items: CaseItem[] }
export interface CaseItem extends Node { Patterns: Word[]; Stmts: Stmt[] }
export interface DeclClause extends Node { Variant: Lit | null; Args: Assign[] }
export interface TimeClause extends Node { Stmt: Stmt | null }
export interface CoprocClause extends Node { Stmt: Stmt | null }
export interface Word extends Node { Parts: Node[] }
export interface Lit extends Node { Value: string }
export interface SglQuoted extends Node { Dollar: boolean; Value: string }
export interface DblQuoted extends Node { Dollar: boolean; Parts: Node[] }
export interface CmdSubst extends Node { Stmts: Stmt[] }
export interface ProcSubst extends Node { Op: number; Stmts: Stmt[] }
export interface ParamExp extends Node {
  Short: boolean; Excl: boolean; Length: boolean; Width: boolean; Param: Lit | null;
  Index: Node | null; Slice: object | null; Repl: object | null; Exp: { Op: number; Word: Word | null } | null;
}
export interface BinaryArithm extends Node { Op: number; X: Node | null; Y: Node | null }
export interface UnaryArithm extends Node { Op: number; X: Node | null }

/** A Go value as GopherJS represents it. */
interface Raw {
  constructor: { string?: string; nil?: unknown };
  [k: string]: unknown;
}
interface RawSlice { $array: unknown[]; $offset: number; $length: number }

const SKIP = new Set(['$val', 'Comments', 'Last', 'CondLast', 'ThenLast', 'DoLast']);
/** Nodes whose source text is needed (`literal`, extglob patterns). */
const SPANNED = new Set(['Word', 'Lit', 'SglQuoted', 'DblQuoted', 'ParamExp', 'CmdSubst', 'ArithmExp', 'ProcSubst', 'ExtGlob']);

/** Converts the parser's File object. Recursion follows the tree's depth (mvdan-sh bounds it first). */
export function convert(raw: unknown): File {
  const f = value(raw);
  if (!f || typeof f !== 'object' || (f as Node).type !== 'File') throw new Error('unexpected parser output');
  return f as File;
}

/**
 * What the conversion needs to know about one Go type, worked out once per constructor: a GopherJS
 * struct constructor always sets the same fields, so its field list is the same for every value
 * (learnt from a real value, never from the type's nil pointer, which holds other fields).
 * Computing names and field lists per node was most of the conversion's time on large scripts.
 */
interface TypeInfo { type: string; fields: string[]; spanned: boolean }
const POS: TypeInfo = { type: 'Pos', fields: [], spanned: false };
const types = new Map<unknown, TypeInfo>();

function value(v: unknown): unknown {
  if (typeof v === 'string') return decode(v);
  if (v === null || typeof v !== 'object') return v;
  if ('$array' in v) {
    const s = v as RawSlice;
    const out: unknown[] = [];
    for (let i = 0; i < s.$length; i++) {
      const x = value(s.$array[s.$offset + i]);
      if (x !== null) out.push(x);
    }
    return out;
  }
  const r = v as Raw;
  let info = types.get(r.constructor);
  if (!info) {
    const name = r.constructor?.string;
    if (typeof name !== 'string') return null; // a nil interface
    if (name === 'syntax.Pos') info = POS;
    else if (r === r.constructor.nil) return null; // a nil pointer
    else {
      const type = name.slice(name.lastIndexOf('.') + 1);
      info = { type, fields: Object.keys(r).filter((k) => !SKIP.has(k)), spanned: SPANNED.has(type) };
    }
    types.set(r.constructor, info);
  }
  if (info === POS) return (r.lineCol as number) === 0 ? -1 : (r.offs as number);
  if (r === r.constructor.nil) return null; // a nil pointer
  const out: Record<string, unknown> = { type: info.type };
  for (const k of info.fields) out[k] = value(r[k]);
  if (info.spanned) {
    out.pos = (r.Pos as () => { offs: number })().offs;
    out.end = (r.End as () => { offs: number })().offs;
  }
  return out;
}

/**
 * Stand-in for UNRESOLVED_SEGMENT while nested text is parsed: the parser drops NUL bytes, which
 * would turn an unknown part into the word `unresolved`. Same length, so offsets still match.
 */
export const PLACEHOLDER = '\u0001unresolved\u0001';

/** GopherJS strings hold UTF-8 bytes, one per character; placeholders become unknown parts again. */
function decode(s: string): string {
  const out = NON_ASCII.test(s) ? Buffer.from(s, 'latin1').toString('utf8') : s;
  return out.includes(PLACEHOLDER) ? out.split(PLACEHOLDER).join(UNRESOLVED_SEGMENT) : out;
}

/** The literal value of a word made only of unquoted literals (`Word.Lit()`), else ''. */
export function litOf(w: Word | null | undefined): string {
  if (!w) return '';
  let s = '';
  for (const p of w.Parts) {
    if (p.type !== 'Lit') return '';
    s += (p as Lit).Value;
  }
  return s;
}

/** A word's text when it is written plainly: literal text and quotes of literal text, no expansion. */
export function plainText(w: Word): string | undefined {
  let s = '';
  for (const p of w.Parts) {
    if (p.type === 'Lit') s += (p as Lit).Value;
    else if (p.type === 'SglQuoted' && !(p as SglQuoted).Dollar) s += (p as SglQuoted).Value;
    else if (p.type === 'DblQuoted' && (p as DblQuoted).Parts.every((q) => q.type === 'Lit')) s += (p as DblQuoted).Parts.map((q) => (q as Lit).Value).join('');
    else return undefined;
  }
  return s;
}

/** Every node below `n` (depth first), for a visitor that returns false to skip a subtree. */
export function visit(n: Node, f: (n: Node) => boolean): void {
  if (!f(n)) return;
  for (const v of Object.values(n)) {
    if (Array.isArray(v)) {
      for (const x of v) if (isNode(x)) visit(x, f);
    } else if (isNode(v)) {
      visit(v, f);
    } else if (v && typeof v === 'object') {
      // Non-node structs (ParamExp.Exp, Slice, Replace) hold nodes too.
      for (const x of Object.values(v)) if (isNode(x)) visit(x, f);
    }
  }
}

function isNode(v: unknown): v is Node {
  return !!v && typeof v === 'object' && typeof (v as Node).type === 'string';
}
