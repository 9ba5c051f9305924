// Lazy loading of the shell parser (mvdan-sh, ~70 ms to load) and mapping of its failures.
// Only shell tool calls pay for the load; every other hook run never touches it.
import { oneLine } from '../../errors.js';
import type * as Sh from 'mvdan-sh';
import { sourceRequire } from '../../builtin.js';
import { GuardError, UNRESOLVED_SEGMENT } from '../../types.js';
import { convert, PLACEHOLDER, visit, type BinaryArithm, type BinaryCmd, type CallExpr, type File, type Node, type ParamExp,
  type ProcSubst, type UnaryArithm, type Word } from './ast.js';

export type { File, Node, Stmt, Word } from './ast.js';

// Under the tsup bundle `require` is esbuild's lazy loader for the bundled copy; under tsx/node ESM
// it does not exist and the installed package is resolved instead.
declare const require: ((id: string) => unknown) | undefined;

/** Operator codes, read from the parser itself so they cannot drift from the installed version. */
export interface Ops {
  rdrOut: number; appOut: number; rdrIn: number; rdrInOut: number; dplIn: number; dplOut: number;
  clbOut: number; hdoc: number; dashHdoc: number; wordHdoc: number; rdrAll: number; appAll: number;
  andStmt: number; orStmt: number; pipe: number; pipeAll: number;
  procIn: number; procOut: number;
  altUnset: number; altNull: number; defUnset: number; defNull: number; assignUnset: number; assignNull: number;
  /** Arithmetic operators that assign to their left operand (`=`, `+=`...), and `++`/`--`. */
  arithAssign: ReadonlySet<number>;
  arithIncDec: ReadonlySet<number>;
}

export interface ShellParser {
  ops: Ops;
  /** Parses and converts; throws what the parser throws. */
  parse(text: string): File;
}

let loaded: ShellParser | undefined;

/** The parser, loaded on first use (~70 ms), with its operator codes and a conversion self-check. */
export function shellParser(): ShellParser {
  if (loaded) return loaded;
  const mod = (typeof require === 'function' ? require('mvdan-sh') : sourceRequire(import.meta.url)('mvdan-sh')) as typeof Sh;
  const syntax = mod.syntax;
  const parser = syntax.NewParser(syntax.Variant(syntax.LangBash));
  const parse = (text: string): File => {
    const src = text.includes(UNRESOLVED_SEGMENT) ? text.split(UNRESOLVED_SEGMENT).join(PLACEHOLDER) : text;
    const f = parser.Parse(src, '') as unknown as { __internal_object__?: unknown };
    return convert(f.__internal_object__);
  };
  let ops: Ops;
  try {
    ops = readOps(parse);
  } catch {
    throw new GuardError('the shell parser (mvdan-sh) is not the expected build', 'shell');
  }
  loaded = { ops, parse };
  return loaded;
}

/** Parses shell text; every failure becomes a GuardError. `what` names the text for the message. */
export function parseShell(text: string, what = 'shell command'): File {
  const p = shellParser();
  try {
    return p.parse(text);
  } catch (e) {
    throw parseFailure(e, what);
  }
}

/** A parse failure of shell text (`parseFailure`'s "cannot parse"), not a bound or a nesting limit. */
export function unparsable(e: unknown): e is GuardError {
  return e instanceof GuardError && e.message.startsWith('cannot parse ');
}

export function parseFailure(e: unknown, what: string): GuardError {
  if (e instanceof GuardError) return e;
  if (e instanceof RangeError) return new GuardError(`${what} is nested too deeply to parse`, 'shell');
  return new GuardError(`cannot parse ${what}: ${oneLine(errorText(e))}`, 'shell');
}

/** Text of anything thrown: mvdan-sh throws Go error objects with an Error() method. */
export function errorText(e: unknown): string {
  if (e && typeof e === 'object') {
    const go = (e as { Error?: unknown }).Error;
    if (typeof go === 'function') {
      try {
        return String(go.call(e));
      } catch {
        return 'unknown parser error';
      }
    }
    if (e instanceof Error) return e.message;
  }
  return typeof e === 'string' ? e : 'unknown error';
}

export { oneLine };

/** One probe script, parsed once at load: operator codes and a check of the conversion. */
const PROBE = [
  "echo 'é' >f",
  '> g',
  'a && b',
  'a || b',
  'a | b',
  'a |& b',
  ': <(a) >(a)',
  ': ${a+b} ${a:+b} ${a-b} ${a:-b} ${a=b} ${a:=b}',
  '((a=1, a+=1, a-=1, a*=1, a/=1, a%=1, a&=1, a|=1, a^=1, a<<=1, a>>=1, a++, a--))',
  `: x${UNRESOLVED_SEGMENT}y`,
  ': >a >>a <a <>a <&a >&a >|a <<a <<-a <<<a &>a &>>a',
  'a',
  'a',
].join('\n');

function readOps(parse: (t: string) => File): Ops {
  const st = parse(PROBE).Stmts;
  const check = (ok: boolean): void => {
    if (!ok) throw new Error('unexpected tree');
  };
  check(st.length === 11);
  const args = (k: number): Word[] => (st[k]!.Cmd as CallExpr).Args.slice(1);
  const c0 = st[0]!.Cmd as CallExpr;
  check(c0.type === 'CallExpr' && c0.Args.length === 2 && st[1]!.Cmd === null);
  check((c0.Args[1]!.Parts[0] as { Value?: string }).Value === 'é' && c0.Args[1]!.pos === 5 && c0.Args[1]!.end === 9);
  check(st[0]!.Redirs[0]!.N === null && st[0]!.Redirs[0]!.Word?.Parts[0]?.type === 'Lit');
  // Unknown parts survive parsing (the parser itself would drop their NUL bytes).
  check((args(9)[0]!.Parts[0] as { Value?: string }).Value === `x${UNRESOLVED_SEGMENT}y`);

  const redirs = st[10]!.Redirs.map((r) => r.Op);
  const bin = [2, 3, 4, 5].map((k) => (st[k]!.Cmd as BinaryCmd).Op);
  const proc = args(6).map((w) => (w.Parts[0] as ProcSubst).Op);
  const pexp = args(7).map((w) => (w.Parts[0] as ParamExp).Exp!.Op);
  const assign = new Set<number>();
  const incdec = new Set<number>();
  visit(st[8]!, (n: Node) => {
    if (n.type === 'BinaryArithm' && (n as BinaryArithm).X?.type === 'Word') assign.add((n as BinaryArithm).Op);
    if (n.type === 'UnaryArithm') incdec.add((n as UnaryArithm).Op);
    return true;
  });
  check(redirs.length === 12 && proc.length === 2 && pexp.length === 6);
  check(assign.size === 11 && incdec.size === 2 && new Set([...redirs, ...bin]).size === 16);
  const [rdrOut, appOut, rdrIn, rdrInOut, dplIn, dplOut, clbOut, hdoc, dashHdoc, wordHdoc, rdrAll, appAll] = redirs as [
    number, number, number, number, number, number, number, number, number, number, number, number];
  const [andStmt, orStmt, pipe, pipeAll] = bin as [number, number, number, number];
  const [altUnset, altNull, defUnset, defNull, assignUnset, assignNull] = pexp as [number, number, number, number, number, number];
  return {
    rdrOut, appOut, rdrIn, rdrInOut, dplIn, dplOut, clbOut, hdoc, dashHdoc, wordHdoc, rdrAll, appAll,
    andStmt, orStmt, pipe, pipeAll, procIn: proc[0]!, procOut: proc[1]!,
    altUnset, altNull, defUnset, defNull, assignUnset, assignNull,
    arithAssign: assign, arithIncDec: incdec,
  };
}
