// Statement walk: lists, pipelines, subshells, branches and loops, with scopes (a subshell's
// `cd` does not leak; after a branch only what every path agrees on stays known) and
// command/process substitution. Every branch is analyzed: any of them may run.
import type * as Sh from './ast.js';
import { depthError, feedStdin, U, type Env } from './context.js';
import { callExpr, declClause } from './dispatch.js';
import { expandArgs } from './glob.js';
import { litOf, visit, type Node, type Stmt } from './ast.js';
import { shellParser } from './parse.js';
import { redirects } from './redirects.js';
import { defineFunction } from './functions.js';
import type { Scope } from './scope.js';
import { expandWords, wordString } from './words.js';

/** Standard output of what ran, when it is literal text (`echo`, `printf`...); null when unknown. */
export type Out = string | null;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function walkStmts(stmts: (Stmt | null)[], sc: Scope, env: Env): Out {
  let out: Out = '';
  for (const s of stmts) {
    if (!s) continue;
    const o = walkStmt(s, sc, env);
    sc.settleCd();
    out = out === null || o === null ? null : out + o;
  }
  return out;
}

export function walkStmt(st: Stmt, sc: Scope, env: Env): Out {
  env.run.step();
  // A background job runs in a subshell: its `cd` and assignments do not reach what follows.
  const scope = st.Background || st.Coprocess ? sc.child() : sc;
  const fds = env.run.fds;
  const outer = fds.scope;
  fds.scope = scope;
  // A statement's redirections bind descriptors for it alone; `exec` with no command, for good.
  const exec = isBareExec(st.Cmd);
  const framed = st.Redirs.length > 0 && !exec;
  if (framed) fds.push();
  try {
    const r = redirects(st.Redirs, scope, env, exec);
    const inner = r.stdin === undefined ? env : feedStdin(env, r.stdin.value, r.stdin.file);
    const out = st.Cmd ? walkCmd(st.Cmd, scope, inner) : '';
    return r.stdoutTaken ? '' : out;
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

function walkCmd(cmd: Node, sc: Scope, env: Env): Out {
  const { ops } = shellParser();
  switch (cmd.type) {
    case 'CallExpr':
      return callExpr(cmd as Sh.CallExpr, sc, env);
    case 'Subshell':
      return walkStmts((cmd as Sh.Subshell).Stmts, sc.child(), env);
    case 'Block':
      return walkStmts((cmd as Sh.Block).Stmts, sc, env);
    case 'BinaryCmd': {
      const b = cmd as Sh.BinaryCmd;
      const op = b.Op as number;
      if (op === ops.pipe || op === ops.pipeAll) {
        // Every pipeline stage runs in a subshell; the left stage's output feeds the right.
        const seen = env.run.opts.commands;
        const mark = seen?.length ?? 0;
        const left = b.X ? walkStmt(b.X, sc.child(), env) : '';
        const fed = seen && seen.length > mark ? seen.slice(mark) : undefined;
        return b.Y ? walkStmt(b.Y, sc.child(), { ...feedStdin(env, left), fed }) : '';
      }
      return chain(b, op, sc, env);
    }
    case 'IfClause':
      ifClause(cmd as Sh.IfClause, sc, env);
      return null;
    case 'WhileClause': {
      const w = cmd as Sh.WhileClause;
      repeat(sc, env, (body, inner) => {
        walkStmts(w.Cond, body, inner);
        walkStmts(w.Do, body, inner);
      });
      return null;
    }
    case 'ForClause':
      forClause(cmd as Sh.ForClause, sc, env);
      return null;
    case 'CaseClause': {
      const c = cmd as Sh.CaseClause;
      wordString(c.Word, sc, env);
      const branches: Scope[] = [];
      for (const item of c.Items) {
        if (!item) continue;
        for (const p of item.Patterns) if (p) walkNested(p, sc, env);
        const b = sc.child();
        walkStmts(item.Stmts, b, env);
        branches.push(b);
      }
      sc.merge(branches, true);
      return null;
    }
    case 'FuncDecl': {
      // The body is analyzed where it is defined; its parameters are unknown.
      const body = sc.child();
      body.positional = null;
      const f = cmd as Sh.FuncDecl;
      // Defined first, so a recursive call inside is the function (functions.ts bounds it); then
      // analyzed at each call with its arguments.
      const fb = f.Body;
      if (fb && f.Name?.Value) defineFunction(env.run, f.Name.Value, (s, e) => walkStmt(fb, s, { ...e, src: env.src }));
      if (f.Body) walkStmt(f.Body, body, { ...env, fn: f.Name?.Value });
      return '';
    }
    case 'DeclClause':
      declClause(cmd as Sh.DeclClause, sc, env);
      return '';
    case 'TimeClause': {
      const t = cmd as Sh.TimeClause;
      return t.Stmt ? walkStmt(t.Stmt, sc, env) : '';
    }
    case 'CoprocClause': {
      const c = cmd as Sh.CoprocClause;
      if (c.Stmt) walkStmt(c.Stmt, sc.child(), env);
      return '';
    }
    default:
      // (( )), [[ ]], let...: only substitutions and arithmetic assignments matter.
      walkNested(cmd, sc, env);
      return '';
  }
}

/**
 * `a && b && c` (or `||`): each command after the first may not run, so what it changes (a `cd`,
 * a variable) only may hold afterwards; but it does hold for the commands after it in the chain,
 * which run only when it ran. Each step runs in a child of the one before; the children are
 * merged back innermost first, so every "stopped after step k" state stays an alternative.
 */
function chain(b: Sh.BinaryCmd, op: number, sc: Scope, env: Env): Out {
  const rights: (Stmt | null)[] = [b.Y];
  let left: Stmt | null = b.X;
  while (left && left.Cmd?.type === 'BinaryCmd' && (left.Cmd as Sh.BinaryCmd).Op === op
    && left.Redirs.length === 0 && !left.Background && !left.Coprocess && !left.Negated) {
    rights.unshift((left.Cmd as Sh.BinaryCmd).Y);
    left = (left.Cmd as Sh.BinaryCmd).X;
  }
  const and = op === shellParser().ops.andStmt;
  let out: Out = left ? walkStmt(left, sc, env) : '';
  const scopes: Scope[] = [];
  let at = sc;
  for (const r of rights) {
    // `cd x && b`: b runs only when cd succeeded (a child starts without the doubt); `cd x || b`:
    // b may run after it failed, so the doubt is settled first. Either way the doubt stays on the
    // step itself, for the state where the chain stopped there.
    if (!and) at.settleCd();
    at = at.child();
    scopes.push(at);
    const o = r ? walkStmt(r, at, env) : '';
    out = out === null || o === null ? null : out + o;
  }
  for (let k = scopes.length - 1; k >= 0; k--) {
    scopes[k]!.settleCd();
    (k === 0 ? sc : scopes[k - 1]!).merge([scopes[k]!], true);
  }
  return out; // sc's own doubt (from the first step) is settled by the statement list
}

function ifClause(first: Sh.IfClause, sc: Scope, env: Env): void {
  const branches: Scope[] = [];
  let hasElse = false;
  for (let c: Sh.IfClause | null = first; c; c = c.Else) {
    if (c !== first && c.Cond.length === 0) hasElse = true;
    else walkStmts(c.Cond, sc, env);
    const b = sc.child();
    walkStmts(c.Then, b, env);
    branches.push(b);
  }
  sc.merge(branches, !hasElse);
}

function forClause(f: Sh.ForClause, sc: Scope, env: Env): void {
  const run = env.run;
  if (f.Loop.type !== 'WordIter') {
    walkNested(f.Loop, sc, env); // for (( ; ; ))
    repeat(sc, env, (body, inner) => walkStmts(f.Do, body, inner));
    return;
  }
  const it = f.Loop as Sh.WordIter;
  const name = it.Name?.Value ?? '';
  let items: string[] | null;
  if (it.Items.length > 0 || it.InPos >= 0) {
    items = expandArgs(expandWords(it.Items, sc, env), sc.cwd, run).map((a) => a.text);
  } else {
    items = sc.positional ? sc.positional.slice(1) : null;
  }
  const mult = env.loopMult * (items?.length ?? 1);
  if (items && mult <= run.limits.maxLoopItems) {
    // Few items: the body is analyzed once per item, so `rm "$f"` sees each value.
    // Each item's pass starts where the one before ended (`cd x` in the body moves the next one).
    const inner = { ...env, loopMult: Math.max(mult, 1) };
    sequence(sc, items.length, (b, k) => {
      if (NAME.test(name)) b.set(name, items[k]!);
      walkStmts(f.Do, b, inner);
    });
    return;
  }
  repeat(sc, env, (body, inner) => {
    if (NAME.test(name)) body.set(name, U);
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
function repeat(sc: Scope, env: Env, pass: (s: Scope, inner: Env) => void): void {
  const twice = env.loopMult * 2 <= env.run.limits.maxLoopItems;
  const inner: Env = { ...env, loopMult: env.loopMult * (twice ? 2 : 1) };
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
export function walkNested(node: Node, sc: Scope, env: Env): void {
  const { ops } = shellParser();
  visit(node, (n) => {
    env.run.step();
    if (n.type === 'CmdSubst' || n.type === 'ProcSubst') {
      substitute(n as Sh.CmdSubst, sc, env);
      return false;
    }
    let target: Node | null = null;
    if (n.type === 'BinaryArithm' && ops.arithAssign.has((n as Sh.BinaryArithm).Op)) target = (n as Sh.BinaryArithm).X;
    if (n.type === 'UnaryArithm' && ops.arithIncDec.has((n as Sh.UnaryArithm).Op)) target = (n as Sh.UnaryArithm).X;
    if (target?.type === 'Word') {
      const v = litOf(target as Sh.Word);
      if (NAME.test(v)) sc.set(v, U);
    }
    return true;
  });
}

/** `$( )`, backquotes, `<( )`, `>( )`: analyzed in a subshell; the output when it is literal. */
export function substitute(cs: Sh.CmdSubst | Sh.ProcSubst, sc: Scope, env: Env): Out {
  if (env.depth + 1 > env.run.limits.maxDepth) throw depthError(env.run.limits.maxDepth);
  const out = walkStmts(cs.Stmts, sc.child(), { ...feedStdin(env, undefined), depth: env.depth + 1 });
  return cs.type === 'ProcSubst' ? null : out;
}
