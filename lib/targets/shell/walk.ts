// The walker: it owns the recursion of the analysis. Statement walk: lists, pipelines,
// subshells, branches and loops, with scopes (a subshell's `cd` does not leak; after a branch
// only what every path agrees on stays known) and command/process substitution. Every branch is
// analyzed: any of them may run. The handlers it calls (dispatch, nested shells, word expansion,
// parameters, redirections) recurse through the Walker it puts on the top frame (topFrame), so
// none of them imports this module: the imports run one way, from here down.
import path from 'node:path';
import type * as Sh from './ast.js';
import { checkNesting, feedStdin, physicalJoin, U, type Frame, type Run, type Src, type Walker } from './context.js';
import { callExpr, declClause, runCommand } from './dispatch.js';
import { expandArgs } from './glob.js';
import { litOf, visit, type Node, type Stmt } from './ast.js';
import { runScript, scriptText } from './nested.js';
import { arithOperands, arithText, arithWord, isInteger, isOpenRef, nameText } from './arith.js';
import { shellParser } from './parse.js';
import { redirects } from './redirects.js';
import { alongside, knownOutput, recordText, systemProgram } from './written.js';
import { defineFunction } from './functions.js';
import type { Scope } from './scope.js';
import type { Out } from './types.js';
import { expandWords, partsAtoms, wordString } from './words.js';

/** The recursion every handler is handed (Frame.walker). */
const WALKER: Walker = {
  stmts: walkStmts,
  nested: walkNested,
  substitute,
  command: runCommand,
  script: runScript,
  expandParts: partsAtoms,
  wordString,
};

/**
 * The file of a pipeline stage that is exactly `cat FILE` or `zcat FILE` (one operand written plainly: no
 * expansion, option, glob or escape), as an absolute path; undefined for anything else.
 */
function catFile(st: Stmt, sc: Scope, fr: Frame, names = ['cat', 'zcat']): string | undefined {
  const ce = st.Cmd as Sh.CallExpr | null;
  if (!ce || ce.type !== 'CallExpr' || st.Redirs.length > 0 || st.Negated || st.Background || ce.Assigns.length > 0) return undefined;
  if (ce.Args.length !== 2 || !names.includes(litOf(ce.Args[0])) || sc.cwd.includes(U)) return undefined;
  // Only the system's own program prints the file (not a `cat` put first on a changed PATH).
  if (fr.run.writes.producersChanged || !systemProgram(fr.run, sc, litOf(ce.Args[0]))) return undefined;
  return plainFile(ce.Args[1]!, sc);
}

/** A word written plainly (no expansion, option, glob or escape) as an absolute path; undefined for anything else. */
function plainFile(word: Sh.Word, sc: Scope): string | undefined {
  if (sc.cwd.includes(U)) return undefined;
  let name = '';
  for (const p of word.Parts) {
    if (p.type === 'Lit' && !/[\\*?[~]/.test((p as Sh.Lit).Value)) name += (p as Sh.Lit).Value;
    else if (p.type === 'SglQuoted' && !(p as Sh.SglQuoted).Dollar) name += (p as Sh.SglQuoted).Value;
    else if (p.type === 'DblQuoted' && !(p as Sh.DblQuoted).Dollar && (p as Sh.DblQuoted).Parts.every((q) => q.type === 'Lit' && !/[\\$`]/.test((q as Sh.Lit).Value))) {
      name += (p as Sh.DblQuoted).Parts.map((q) => (q as Sh.Lit).Value).join('');
    } else return undefined;
  }
  if (name === '' || name.startsWith('-')) return undefined;
  return physicalJoin(sc.cwd, name);
}

/** The frame a call's own text is walked in: depth 0, nothing fed to standard input. */
export function topFrame(run: Run, src: Src): Frame {
  return { run, walker: WALKER, src, depth: 0, stdin: undefined, loopMult: 1 };
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function walkStmts(stmts: (Stmt | null)[], sc: Scope, fr: Frame): Out {
  let out: Out = '';
  for (const s of stmts) {
    if (!s) continue;
    const o = walkStmt(s, sc, fr);
    sc.settleCd();
    out = out === null || o === null ? null : out + o;
  }
  return out;
}

export function walkStmt(st: Stmt, sc: Scope, fr0: Frame): Out {
  fr0.run.step();
  // A background job runs in a subshell: its `cd` and assignments do not reach what follows.
  const bg = st.Background || st.Coprocess;
  const scope = bg ? sc.child() : sc;
  // ...and alongside everything after it: what it reads may be rewritten meanwhile (written.ts).
  const fr = bg ? alongside(fr0, false) : fr0;
  const fds = fr.run.fds;
  const outer = fds.scope;
  fds.scope = scope;
  // A statement's redirections bind descriptors for it alone; `exec` with no command, for good.
  const exec = isBareExec(st.Cmd);
  const framed = st.Redirs.length > 0 && !exec;
  if (framed) fds.push();
  try {
    const seen = fr.run.commands;
    const mark = seen?.length ?? 0;
    const r = redirects(st.Redirs, scope, fr, exec);
    // What ran to build a here-string or heredoc (`bash <<< "$(curl …)"`) feeds standard input.
    const built = seen && seen.length > mark && r.stdin?.value !== undefined && r.stdin.file === undefined ? seen.slice(mark) : undefined;
    const inner = r.stdin === undefined ? fr : { ...feedStdin(fr, r.stdin.value, r.stdin.file), ...(built ? { fed: built } : {}) };
    const out = st.Cmd ? walkCmd(st.Cmd, scope, inner) : '';
    // `cat > t.sh <<EOF … EOF`: the fresh file now holds what the statement printed.
    if (r.stdoutFile && typeof out === 'string' && knownOutput(st, scope, fr, typeof r.stdin?.value === 'string')) recordText(fr, r.stdoutFile.abs, out, r.stdoutFile.at);
    return r.mixed ? null : r.stdoutTaken ? '' : out;
  } finally {
    if (framed) fds.pop();
    fds.scope = outer;
  }
}

/** `exec` with redirections only: they stay in force for the rest of the shell. */
function isBareExec(cmd: Node | null): boolean {
  if (cmd?.type !== 'CallExpr') return false;
  const args = (cmd as Sh.CallExpr).Args;
  return args.length === 1 && litOf(args[0]!) === 'exec';
}

function walkCmd(cmd: Node, sc: Scope, fr: Frame): Out {
  const { ops } = shellParser();
  switch (cmd.type) {
    case 'CallExpr':
      return callExpr(cmd as Sh.CallExpr, sc, fr);
    case 'Subshell':
      return walkStmts((cmd as Sh.Subshell).Stmts, sc.child(), fr);
    case 'Block':
      return walkStmts((cmd as Sh.Block).Stmts, sc, fr);
    case 'BinaryCmd': {
      const b = cmd as Sh.BinaryCmd;
      const op = b.Op as number;
      if (op === ops.pipe || op === ops.pipeAll) {
        // Every pipeline stage runs in a subshell; the left stage's output feeds the right.
        const seen = fr.run.commands;
        const mark = seen?.length ?? 0;
        // The stages run at the same time: each may read what another writes (written.ts).
        const pf = alongside(fr, true);
        const x = b.X ? walkStmt(b.X, sc.child(), pf) : '';
        // `a |& b`: a's error output goes down the pipe too, with text not modeled.
        const left = op === ops.pipeAll ? null : x;
        const fed = seen && seen.length > mark ? seen.slice(mark) : undefined;
        // `cat FILE | cmd` feeds cmd the file as `cmd < FILE` would: code runners read it then.
        const file = left === null && b.X ? catFile(b.X, sc, fr) : undefined;
        const out = b.Y ? walkStmt(b.Y, sc.child(), { ...feedStdin(pf, left, file), fed }) : '';
        if (pf.region !== fr.region) pf.region!.to = fr.run.writes.events.length;
        return out;
      }
      return chain(b, op, sc, fr);
    }
    case 'IfClause':
      ifClause(cmd as Sh.IfClause, sc, fr);
      return null;
    case 'WhileClause': {
      const w = cmd as Sh.WhileClause;
      repeat(sc, fr, (body, inner) => {
        walkStmts(w.Cond, body, inner);
        walkStmts(w.Do, body, inner);
      });
      return null;
    }
    case 'ForClause':
      forClause(cmd as Sh.ForClause, sc, fr);
      return null;
    case 'CaseClause': {
      const c = cmd as Sh.CaseClause;
      wordString(c.Word, sc, fr);
      const branches: Scope[] = [];
      for (const item of c.Items) {
        if (!item) continue;
        for (const p of item.Patterns) if (p) walkNested(p, sc, fr);
        const b = sc.child();
        walkStmts(item.Stmts, b, fr);
        branches.push(b);
      }
      sc.merge(branches, true);
      return null;
    }
    case 'FuncDecl': {
      // The body is analyzed where it is defined; its parameters are unknown.
      const body = sc.child();
      body.givenParameters();
      const f = cmd as Sh.FuncDecl;
      // Defined first, so a recursive call inside is the function (functions.ts bounds it); then
      // analyzed at each call with its arguments.
      const fb = f.Body;
      if (fb && f.Name?.Value) defineFunction(fr.run, f.Name.Value, (s, e) => walkStmt(fb, s, { ...e, src: fr.src }));
      if (f.Body) walkStmt(f.Body, body, { ...fr, fn: f.Name?.Value });
      return '';
    }
    case 'DeclClause':
      declClause(cmd as Sh.DeclClause, sc, fr);
      return '';
    case 'TimeClause': {
      const t = cmd as Sh.TimeClause;
      return t.Stmt ? walkStmt(t.Stmt, sc, fr) : '';
    }
    case 'CoprocClause': {
      const c = cmd as Sh.CoprocClause;
      if (c.Stmt) walkStmt(c.Stmt, sc.child(), alongside(fr, false));
      return '';
    }
    default:
      // (( )), [[ ]], let...: only substitutions and arithmetic assignments matter.
      walkNested(cmd, sc, fr);
      return '';
  }
}

/**
 * `a && b && c` (or `||`): each command after the first may not run, so what it changes (a `cd`,
 * a variable) only may hold afterwards; but it does hold for the commands after it in the chain,
 * which run only when it ran. Each step runs in a child of the one before; the children are
 * merged back innermost first, so every "stopped after step k" state stays an alternative.
 */
function chain(b: Sh.BinaryCmd, op: number, sc: Scope, fr: Frame): Out {
  const rights: (Stmt | null)[] = [b.Y];
  let left: Stmt | null = b.X;
  while (left && left.Cmd?.type === 'BinaryCmd' && (left.Cmd as Sh.BinaryCmd).Op === op
    && left.Redirs.length === 0 && !left.Background && !left.Coprocess && !left.Negated) {
    rights.unshift((left.Cmd as Sh.BinaryCmd).Y);
    left = (left.Cmd as Sh.BinaryCmd).X;
  }
  const and = op === shellParser().ops.andStmt;
  let out: Out = left ? walkStmt(left, sc, fr) : '';
  const scopes: Scope[] = [];
  let at = sc;
  for (const r of rights) {
    // `cd x && b`: b runs only when cd succeeded (a child starts without the doubt); `cd x || b`:
    // b may run after it failed, so the doubt is settled first. Either way the doubt stays on the
    // step itself, for the state where the chain stopped there.
    if (!and) at.settleCd();
    at = at.child();
    scopes.push(at);
    const o = r ? walkStmt(r, at, fr) : '';
    out = out === null || o === null ? null : out + o;
  }
  for (let k = scopes.length - 1; k >= 0; k--) {
    scopes[k]!.settleCd();
    (k === 0 ? sc : scopes[k - 1]!).merge([scopes[k]!], true);
  }
  return out; // sc's own doubt (from the first step) is settled by the statement list
}

function ifClause(first: Sh.IfClause, sc: Scope, fr: Frame): void {
  const branches: Scope[] = [];
  let hasElse = false;
  for (let c: Sh.IfClause | null = first; c; c = c.Else) {
    if (c !== first && c.Cond.length === 0) hasElse = true;
    else walkStmts(c.Cond, sc, fr);
    const b = sc.child();
    walkStmts(c.Then, b, fr);
    branches.push(b);
  }
  sc.merge(branches, !hasElse);
}

function forClause(f: Sh.ForClause, sc: Scope, fr: Frame): void {
  const run = fr.run;
  if (f.Loop.type !== 'WordIter') {
    walkNested(f.Loop, sc, fr); // for (( ; ; ))
    repeat(sc, fr, (body, inner) => walkStmts(f.Do, body, inner));
    return;
  }
  const it = f.Loop as Sh.WordIter;
  const name = it.Name?.Value ?? '';
  let items: string[] | null;
  // Items that are unknown text given from outside (`for f in "$@"` at the top level or in a
  // function walked where it is defined): so is the loop variable.
  let given: boolean[] = [];
  let givenAll = false;
  if (it.Items.length > 0 || it.InPos >= 0) {
    const args = expandArgs(expandWords(it.Items, sc, fr), sc.cwd, run, sc);
    items = args.map((a) => a.text);
    given = args.map((a) => a.given === true);
    givenAll = given.length > 0 && given.every((g, k) => g || !items![k]!.includes(U));
  } else {
    items = sc.positional ? sc.positional.slice(1) : null;
    givenAll = items === null && sc.paramsGiven;
  }
  // A nameref with no target (`declare -n r; for r in …`): each item names the variable r stands for.
  if (isOpenRef(fr, name)) {
    const lit = fr.src.of(it);
    if (items) items.forEach((t, k) => !(given[k] && t.includes(U)) && nameText(t, sc, fr, lit));
    else if (!givenAll) nameText(U, sc, fr, lit);
  }
  // A `declare -i` loop variable: each item is evaluated as arithmetic (arith.ts).
  if (isInteger(fr, name)) {
    const lit = fr.src.of(it);
    if (items) items.forEach((t, k) => !(given[k] && t.includes(U)) && arithText(t, sc, fr, lit));
    else if (!givenAll) arithText(U, sc, fr, lit);
  }
  const mult = fr.loopMult * (items?.length ?? 1);
  if (items && mult <= run.limits.maxLoopItems) {
    // Few items: the body is analyzed once per item, so `rm "$f"` sees each value.
    // Each item's pass starts where the one before ended (`cd x` in the body moves the next one).
    const inner = { ...fr, loopMult: Math.max(mult, 1) };
    sequence(sc, items.length, (b, k) => {
      if (NAME.test(name)) b.set(name, items[k]!, undefined, given[k] === true);
      walkStmts(f.Do, b, inner);
    });
    return;
  }
  repeat(sc, fr, (body, inner) => {
    if (NAME.test(name)) body.set(name, U, undefined, givenAll);
    walkStmts(f.Do, body, inner);
  });
}

/**
 * `n` passes, each in a child of the one before; merged back innermost first, so stopping after
 * any pass (`break`, a failing condition, no items at all) stays an alternative.
 */
function sequence(sc: Scope, n: number, pass: (s: Scope, k: number) => void): void {
  const scopes: Scope[] = [];
  let at = sc;
  for (let k = 0; k < n; k++) {
    at = at.child();
    scopes.push(at);
    pass(at, k);
  }
  for (let k = scopes.length - 1; k >= 0; k--) (k === 0 ? sc : scopes[k - 1]!).merge([scopes[k]!], true);
}

/**
 * A loop body whose passes cannot be told apart: analyzed twice in sequence (the second pass sees
 * what the first changed: `mkdir x; cd ~/.ssh` writes ~/.ssh/x the second time), and when the
 * directory still moves, once more from an unknown one. Nested loops stay within maxLoopItems.
 */
function repeat(sc: Scope, fr: Frame, pass: (s: Scope, inner: Frame) => void): void {
  const twice = fr.loopMult * 2 <= fr.run.limits.maxLoopItems;
  const inner: Frame = { ...fr, loopMult: fr.loopMult * (twice ? 2 : 1) };
  sequence(sc, twice ? 2 : 1, (s, k) => {
    const start = s.cwd;
    pass(s, inner);
    if (k === 1 && s.cwd !== start) {
      // Still moving after two passes: later ones start somewhere unknown.
      const third = s.child();
      third.cwd = U;
      pass(third, inner);
      s.merge([third], true);
    }
  });
}

/**
 * Nodes whose value does not matter (arithmetic, tests, patterns, array indexes): only the
 * substitutions inside are analyzed, and arithmetic assignments make their variable unknown.
 */
export function walkNested(node: Node, sc: Scope, fr: Frame, arith = false): void {
  const { ops } = shellParser();
  // Substitutions an arithmetic operand already ran (arith.ts splices their output).
  const done = new Set<Node>();
  if (arith && node.type === 'Word') arithWord(node as Sh.Word, sc, fr, done);
  visit(node, (n) => {
    fr.run.step();
    if (n.type === 'CmdSubst' || n.type === 'ProcSubst') {
      if (!done.has(n)) substitute(n as Sh.CmdSubst, sc, fr);
      return false;
    }
    // Values bash evaluates again as arithmetic (arith.ts): the operands, and `[[ -v NAME ]]`.
    const { exprs, names } = arithOperands(n);
    for (const w of exprs) arithWord(w, sc, fr, done);
    for (const w of names) arithWord(w, sc, fr, done, true);
    let target: Node | null = null;
    if (n.type === 'BinaryArithm' && ops.arithAssign.has((n as Sh.BinaryArithm).Op)) target = (n as Sh.BinaryArithm).X;
    if (n.type === 'UnaryArithm' && ops.arithIncDec.has((n as Sh.UnaryArithm).Op)) target = (n as Sh.UnaryArithm).X;
    if (target?.type === 'Word') {
      const v = litOf(target as Sh.Word);
      // A number, though not known: given, so arithmetic reading it again is not code (arith.ts).
      if (NAME.test(v)) sc.set(v, U, undefined, true);
    }
    return true;
  });
}

/** `$(< FILE)`: one statement, no command, only input redirections. */
function readsFile(cs: Sh.CmdSubst): boolean {
  const [st, ...more] = cs.Stmts;
  return more.length === 0 && !!st && !st.Cmd && st.Redirs.length > 0 && st.Redirs.some((r) => (r.Op as number) === shellParser().ops.rdrIn);
}

/** `$( )`, backquotes, `<( )`, `>( )`: analyzed in a subshell; the output when it is literal. */
export function substitute(cs: Sh.CmdSubst | Sh.ProcSubst, sc: Scope, fr: Frame): Out {
  checkNesting(fr);
  // `<( )` and `>( )` run alongside the command, and may outlive it.
  const at = cs.type === 'ProcSubst' ? alongside(fr, false) : fr;
  const out = walkStmts(cs.Stmts, sc.child(), { ...feedStdin(at, undefined), depth: fr.depth + 1 });
  if (cs.type !== 'ProcSubst') {
    // `$(< FILE)`, `$(cat FILE)`: the file's text as it is when the call is checked (or as this
    // call wrote it, when known: written.ts), without its trailing newlines, as bash substitutes it
    // (`eval "$(cat env.sh)"`, `echo x > "$(cat name)"`); not known when it cannot be read or is missing.
    const [st] = cs.Stmts;
    const file = !st ? undefined : readsFile(cs) ? (st.Redirs.length === 1 && st.Redirs[0]!.Word ? plainFile(st.Redirs[0]!.Word, sc) : undefined) : cs.Stmts.length === 1 ? catFile(st, sc, fr, ['cat']) : undefined;
    if (file === undefined) return readsFile(cs) ? null : out;
    // A file missing now may be made before the command runs (by another process): not known.
    const text = scriptText(fr, file);
    return text === undefined || text === 'missing' || text.includes('\0') ? null : text.replace(/\n+$/, '');
  }
  // `read f < <(echo .env)`: the literal output is kept for the redirection reading it (redirects.ts).
  if (typeof out === 'string') fr.run.procOutputs.set(cs, out);
  return null;
}
