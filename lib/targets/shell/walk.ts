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
    out = out === null || o === null ? null : out + o;
  }
  return out;
}

export function walkStmt(st: Stmt, sc: Scope, env: Env): Out {
  env.run.step();
  // A background job runs in a subshell: its `cd` and assignments do not reach what follows.
  const scope = st.Background || st.Coprocess ? sc.child() : sc;
  const r = redirects(st.Redirs, scope, env);
  const inner = r.stdin === undefined ? env : feedStdin(env, r.stdin.value, r.stdin.file);
  const out = st.Cmd ? walkCmd(st.Cmd, scope, inner) : '';
  return r.stdoutTaken ? '' : out;
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
        const left = b.X ? walkStmt(b.X, sc.child(), env) : '';
        return b.Y ? walkStmt(b.Y, sc.child(), feedStdin(env, left)) : '';
      }
      const x = b.X ? walkStmt(b.X, sc, env) : '';
      const y = b.Y ? walkStmt(b.Y, sc, env) : '';
      return x === null || y === null ? null : x + y;
    }
    case 'IfClause':
      ifClause(cmd as Sh.IfClause, sc, env);
      return null;
    case 'WhileClause': {
      const w = cmd as Sh.WhileClause;
      const body = sc.child();
      walkStmts(w.Cond, body, env);
      walkStmts(w.Do, body, env);
      sc.merge([body], true);
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
      if (f.Body) walkStmt(f.Body, body, env);
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
    const body = sc.child();
    walkStmts(f.Do, body, env);
    sc.merge([body], true);
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
    const inner = { ...env, loopMult: Math.max(mult, 1) };
    const branches = items.map((item) => {
      const b = sc.child();
      if (NAME.test(name)) b.set(name, item);
      walkStmts(f.Do, b, inner);
      return b;
    });
    sc.merge(branches, true);
    return;
  }
  const body = sc.child();
  if (NAME.test(name)) body.set(name, U);
  walkStmts(f.Do, body, env);
  sc.merge([body], true);
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
