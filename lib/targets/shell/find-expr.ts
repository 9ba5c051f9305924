// `find` expressions: the start points, the expression as a tree (GNU precedence: `!`, implicit or
// `-a` and, `-o`, `,`), its actions, and a three-valued evaluation on one entry (see find.ts).
import { Minimatch } from 'minimatch';
import { U } from './context.js';
import type { Arg } from './types.js';

/** false, true, or "may be either" (a test the guard cannot evaluate). */
export type Tri = 0 | 1 | 2;
export type Action =
  | { kind: 'delete' }
  | { kind: 'exec'; argv: Arg[]; batch: boolean; dir: boolean }
  | { kind: 'print'; sep: string };
type Expr =
  | { op: 'and' | 'or' | 'comma'; a: Expr; b: Expr }
  | { op: 'not'; a: Expr }
  | { op: 'test'; eval: (e: Entry) => Tri }
  | { op: 'action'; id: number; value: Tri };

export interface Entry { name: string; kind: string; depth: number }

export interface FindPlan {
  starts: Arg[];
  expr: Expr | undefined;
  actions: Action[];
  /** Files written by -fprint and friends, whatever matches. */
  writes: Arg[];
  /** Output other than -print/-print0 lines (-printf, -ls, -exec'd commands): unknown to the guard. */
  opaqueOutput: boolean;
  /** -H: symlinked start points are followed. */
  followStarts: boolean;
  /** Tokens in the expression: the work of evaluating it on one entry. */
  size: number;
  minDepth: number;
  maxDepth: number;
}

/** Primaries without an argument that are always true (options, -ls, -prune...). */
const ZERO_TRUE = new Set(['-true', '-ls', '-prune', '-quit', '-depth', '-d', '-xdev', '-mount', '-noleaf', '-follow',
  '-daystart', '-warn', '-nowarn', '-ignore_readdir_race', '-noignore_readdir_race']);
/** Tests without an argument that depend on what the guard does not look at. */
const ZERO_MAYBE = new Set(['-empty', '-readable', '-writable', '-executable', '-nouser', '-nogroup']);
/** Actions writing to the named file (which may be /dev/stdout). */
export const FILE_OUT = new Set(['-fprint', '-fprint0', '-fls']);
const ONE = new Set(['-name', '-iname', '-path', '-ipath', '-wholename', '-iwholename', '-lname', '-ilname', '-regex',
  '-iregex', '-type', '-xtype', '-size', '-mtime', '-atime', '-ctime', '-mmin', '-amin', '-cmin', '-newer', '-anewer',
  '-cnewer', '-user', '-group', '-uid', '-gid', '-perm', '-links', '-inum', '-samefile', '-maxdepth', '-mindepth',
  '-fstype', '-used', '-regextype', '-context', '-printf', '-fprint', '-fprint0', '-fls', '-files0-from']);
export const EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir']);

export class Unparsable extends Error {}

/** The start points (`.` when none) and where the expression begins. */
export function startsOf(args: Arg[]): { starts: Arg[]; i: number } {
  let i = 0;
  for (; i < args.length; i++) {
    const t = args[i]!.text;
    if (t === '-D') i++;
    else if (t === '--') {
      i++;
      break;
    } else if (!/^-([HLP]|O\d*)$/.test(t)) break;
  }
  const starts: Arg[] = [];
  for (; i < args.length; i++) {
    const t = args[i]!.text;
    if ((t.startsWith('-') && t !== '-') || t === '(' || t === '!' || t === ',') break;
    starts.push(args[i]!);
  }
  return { starts: starts.length > 0 ? starts : [{ text: '.', literal: '.' }], i };
}

/** Splits `find [-H|-L|-P] [-D x] [-Olevel] [start...] [expression]`; throws Unparsable. */
export function planFind(args: Arg[]): FindPlan {
  if (args.some((a) => a.text === '-L' || a.text === '-follow')) throw new Unparsable(); // links followed: not walked here
  const { starts, i } = startsOf(args);
  const plan: FindPlan = {
    starts, expr: undefined, actions: [], writes: [], minDepth: 0, maxDepth: Infinity, opaqueOutput: false, size: 0,
    followStarts: args.slice(0, i).some((a) => a.text === '-H'),
  };
  const toks = args.slice(i);
  plan.size = toks.length;
  let k = 0;
  const peek = (): string | undefined => toks[k]?.text;
  const primary = (): Expr => {
    const tok = toks[k++];
    if (!tok) throw new Unparsable();
    const t = tok.text;
    if (t === '(') {
      const e = comma();
      if (toks[k++]?.text !== ')') throw new Unparsable();
      return e;
    }
    if (t === '!' || t === '-not') return { op: 'not', a: primary() };
    if (EXEC.has(t)) return execAction(t);
    if (t === '-delete' || t === '-print' || t === '-print0') return action(t);
    if (t === '-false') return { op: 'test', eval: () => 0 };
    if (ZERO_TRUE.has(t) || ZERO_MAYBE.has(t)) {
      if (t === '-ls') plan.opaqueOutput = true;
      return { op: 'test', eval: ZERO_TRUE.has(t) ? () => 1 : () => 2 };
    }
    if (t === '-fprintf') {
      const [file, format] = [toks[k++], toks[k++]];
      if (!file || !format) throw new Unparsable();
      plan.writes.push(file);
      plan.opaqueOutput = true;
      return { op: 'test', eval: () => 1 };
    }
    if (!ONE.has(t) && !/^-newer[aBcm][aBcmt]$/.test(t)) throw new Unparsable();
    const v = toks[k++];
    if (!v) throw new Unparsable();
    return one(t, v);
  };
  const execAction = (t: string): Expr => {
    const argv: Arg[] = [];
    plan.opaqueOutput = true;
    for (let tok = toks[k++]; ; tok = toks[k++]) {
      if (!tok) throw new Unparsable();
      if (tok.text === ';') break;
      if (tok.text === '+' && argv.at(-1)?.text === '{}') {
        plan.actions.push({ kind: 'exec', argv, batch: true, dir: t.endsWith('dir') });
        return { op: 'action', id: plan.actions.length - 1, value: 1 };
      }
      argv.push(tok);
    }
    if (argv.length === 0) throw new Unparsable();
    plan.actions.push({ kind: 'exec', argv, batch: false, dir: t.endsWith('dir') });
    return { op: 'action', id: plan.actions.length - 1, value: 2 }; // the command's exit status
  };
  const action = (t: string): Expr => {
    plan.actions.push(t === '-delete' ? { kind: 'delete' } : { kind: 'print', sep: t === '-print' ? '\n' : '\0' });
    // -delete is false when it fails (a directory not empty): what follows `-o` may run.
    return { op: 'action', id: plan.actions.length - 1, value: t === '-delete' ? 2 : 1 };
  };
  const one = (t: string, v: Arg): Expr => {
    if (t === '-maxdepth' || t === '-mindepth') {
      const n = /^\d+$/.test(v.text) ? Number(v.text) : NaN;
      if (!Number.isSafeInteger(n)) throw new Unparsable();
      if (t === '-maxdepth') plan.maxDepth = n;
      else plan.minDepth = n;
      return { op: 'test', eval: () => 1 };
    }
    if (FILE_OUT.has(t)) plan.writes.push(v);
    if (FILE_OUT.has(t) || t === '-printf') {
      plan.opaqueOutput = true; // /dev/stdout is a file too
      return { op: 'test', eval: () => 1 };
    }
    if (t === '-regextype') return { op: 'test', eval: () => 1 };
    if (t === '-files0-from') plan.starts = [{ text: U, literal: v.literal }];
    if ((t === '-name' || t === '-iname') && !v.text.includes(U)) {
      // fnmatch without FNM_PERIOD: `*` matches a leading dot, even the start point `.` itself,
      // which minimatch never matches with a wildcard. A common first character sidesteps that.
      if (v.text.includes('/')) return { op: 'test', eval: () => 0 }; // a name never holds a slash
      const mm = new Minimatch(`_${v.text}`, { dot: true, nobrace: true, noext: true, noglobstar: true, nocomment: true, nonegate: true, nocase: t === '-iname' });
      return { op: 'test', eval: (e) => (mm.match(`_${e.name}`) ? 1 : 0) };
    }
    if (t === '-type' && /^[fdlpscb](,[fdlpscb])*$/.test(v.text)) {
      const kinds = v.text.split(',');
      return { op: 'test', eval: (e) => (kinds.includes(e.kind) ? 1 : 0) };
    }
    return { op: 'test', eval: () => 2 };
  };
  const and = (): Expr => {
    let e = primary();
    for (let t = peek(); t !== undefined && t !== ')' && t !== ',' && t !== '-o' && t !== '-or'; t = peek()) {
      if (t === '-a' || t === '-and') k++;
      e = { op: 'and', a: e, b: primary() };
    }
    return e;
  };
  const or = (): Expr => {
    let e = and();
    while (peek() === '-o' || peek() === '-or') {
      k++;
      e = { op: 'or', a: e, b: and() };
    }
    return e;
  };
  const comma = (): Expr => {
    let e = or();
    while (peek() === ',') {
      k++;
      e = { op: 'comma', a: e, b: or() };
    }
    return e;
  };
  if (toks.length > 0) {
    plan.expr = comma();
    if (k < toks.length) throw new Unparsable();
  }
  // No action: find prints what the expression is true for (-ls and -printf count as tests here,
  // and make the output unknown anyway).
  if (plan.actions.length === 0) {
    plan.actions.push({ kind: 'print', sep: '\n' });
    const act: Expr = { op: 'action', id: 0, value: 1 };
    plan.expr = plan.expr ? { op: 'and', a: plan.expr, b: act } : act;
  }
  return plan;
}

/**
 * The expression's value for one entry (Kleene logic), noting in `hits` each action it reaches:
 * 1 when surely reached, 2 when only maybe (behind a test the guard cannot evaluate).
 */
export function evaluate(e: Expr, x: Entry, hits: Map<number, Tri>, reach: 1 | 2): Tri {
  switch (e.op) {
    case 'test':
      return e.eval(x);
    case 'action':
      hits.set(e.id, reach);
      return e.value;
    case 'not': {
      const v = evaluate(e.a, x, hits, reach);
      return v === 2 ? 2 : v === 1 ? 0 : 1;
    }
    case 'comma':
      evaluate(e.a, x, hits, reach);
      return evaluate(e.b, x, hits, reach);
    case 'and': {
      const a = evaluate(e.a, x, hits, reach);
      if (a === 0) return 0;
      const b = evaluate(e.b, x, hits, a === 1 ? reach : 2);
      return a === 1 || b === 0 ? b : 2;
    }
    case 'or': {
      const a = evaluate(e.a, x, hits, reach);
      if (a === 1) return 1;
      const b = evaluate(e.b, x, hits, a === 0 ? reach : 2);
      return a === 0 || b === 1 ? b : 2;
    }
  }
}

