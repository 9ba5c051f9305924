// Simple commands: assignments, then the command found after wrappers, by basename: a builtin
// that changes the analysis state (cd, set, read...), a nested shell, xargs, apply_patch, or a
// file command from the table. Commands not in the table touch no files as far as the guard knows.
import fs from 'node:fs';
import type * as Sh from './ast.js';
import { depthError, feedStdin, joinPath, physicalJoin, U, type Arg, type Env } from './context.js';
import { aliasKey, builtin } from './builtins.js';
import { FILE_COMMANDS, unknownOperands, type CmdCtx } from './commands.js';
import { expandArgs } from './glob.js';
import { applyPatch, evalCmd, isShell, runScript, shellCommand, xargs } from './nested.js';
import { gitCommand } from './git.js';
import { patchCommand } from './patch.js';
import { runFind } from './find.js';
import { UNSET, type Scope } from './scope.js';
import { walkNested, type Out } from './walk.js';
import { expandWords, wordString } from './words.js';
import { commandName, unwrap } from './wrappers.js';

export type Assigns = [string, string][];

export function callExpr(ce: Sh.CallExpr, sc: Scope, env: Env): Out {
  if (ce.Args.length === 0) {
    for (const a of ce.Assigns) if (a) assign(a, sc, sc, env);
    return '';
  }
  // `X=1 cmd`: the value is only in cmd's environment (seen by nested shells), and the
  // command's own words are expanded before it applies.
  const prefix = sc.child();
  const assigns: Assigns = [];
  for (const a of ce.Assigns) {
    if (!a) continue;
    const name = assign(a, prefix, prefix, env);
    const v = name ? prefix.get(name) : UNSET;
    if (name && typeof v === 'string') assigns.push([name, v]);
  }
  const args = expandWords(ce.Args, sc, env);
  return runCommand(args, sc, env, assigns);
}

/** One assignment evaluated in `from`, stored in `to`; returns the variable name. */
export function assign(a: Sh.Assign, from: Scope, to: Scope, env: Env): string | undefined {
  const name = a.Name?.Value;
  if (!name) {
    if (a.Value) wordString(a.Value, from, env);
    return undefined;
  }
  if (a.Array || a.Index) {
    // Arrays are not tracked; substitutions in them still run.
    if (a.Array) walkNested(a.Array, from, env);
    if (a.Index) walkNested(a.Index, from, env);
    if (a.Value) wordString(a.Value, from, env);
    to.set(name, U);
    return name;
  }
  if (a.Naked) return undefined;
  const alts: string[] = [];
  let v = wordString(a.Value, from, env, true, alts);
  if (a.Append) {
    const prev = from.get(name);
    v = (prev === UNSET ? '' : prev) + v;
    alts.length = 0; // alternatives of the appended part alone say nothing of the whole
  }
  env.run.grow(v.length);
  to.set(name, v, alts);
  return name;
}

/** export/local/declare/readonly/typeset: `NAME=value` forms are assignments. */
export function declClause(d: Sh.DeclClause, sc: Scope, env: Env): void {
  for (const a of d.Args) {
    if (!a) continue;
    if (a.Name || a.Array) {
      assign(a, sc, sc, env);
      continue;
    }
    // `export "$n=$v"` or an option word: a dynamic assignment when it has `NAME=`.
    const s = a.Value ? wordString(a.Value, sc, env) : '';
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(s);
    if (m) sc.set(m[1]!, s.slice(m[0].length));
  }
}

/** Runs an expanded command line (also used for xargs' commands and wrapper rewrites). */
export function runCommand(args: Arg[], sc: Scope, env: Env, assigns: Assigns): Out {
  env.run.step();
  const aliased = expandAlias(args, sc, env, assigns);
  if (aliased !== undefined) return aliased;
  const emitHere = (op: Parameters<CmdCtx['emit']>[0], a: Arg, via: string): void => env.run.emit(op, a, sc.cwd, via);
  const u = unwrap(args, emitHere);
  let scope = sc;
  // `env -i`/`env -u X`: a nested shell sees neither the inherited nor the assigned value.
  if (u.clear) scope = sc.isolated();
  if (u.unset) {
    if (scope === sc) scope = sc.child();
    for (const n of u.unset) scope.set(n, UNSET);
  }
  if (u.cwd) {
    if (scope === sc) scope = sc.child();
    scope.cwd = joinPath(sc.cwd, u.cwd.text);
  }
  const all = [...assigns, ...u.assigns];
  const [first0, ...rest] = u.args;
  if (!first0) return '';
  const first = first0.pattern ? expandArgs([first0], scope.cwd, env.run)[0]! : first0;
  if (first.text.includes(U)) {
    unknownCommand(first, expandArgs(rest, scope.cwd, env.run), scope, env);
    return null;
  }
  const name = commandName(first);
  if (isShell(name)) return shellCommand(first, rest, scope, env, all);
  if (name === 'eval') return evalCmd(rest, scope, env, all);
  if (name === 'xargs') return xargs(rest, scope, env, all);
  if (name === 'find') return find(expandArgs(rest, scope.cwd, env.run), scope, env, all);
  if (name === 'git') {
    git(first, expandArgs(rest, scope.cwd, env.run), scope, env, all);
    return null;
  }
  if (name === 'patch') {
    patchCommand(expandArgs(rest, scope.cwd, env.run), scope.cwd, env, (op, a, base, unknown) => env.run.emit(op, a, base, 'patch', unknown));
    return null;
  }
  if (name === 'apply_patch' || name === 'applypatch') {
    applyPatch(rest, scope, env);
    return null;
  }
  // A sourced file may set any variable, HOME included.
  if (name === 'source' || name === '.') scope.taint();
  const handler = FILE_COMMANDS.get(name);
  const b = builtin(name);
  if (!handler && !b) return null;
  const expanded = expandArgs(rest, scope.cwd, env.run);
  if (handler) handler(expanded, cmdCtx(scope, env));
  return b ? b(expanded, scope, env, all) : null;
}

/**
 * An alias defined earlier in the command (`alias r=rm` then `r .env`) applies to a literal
 * first word: its text runs with the arguments appended, quoted.
 */
function expandAlias(args: Arg[], sc: Scope, env: Env, assigns: Assigns): Out | undefined {
  const first = args[0];
  if (!first || first.text !== first.literal) return undefined;
  const key = aliasKey(first.text);
  const v = sc.get(key);
  if (typeof v !== 'string' || v === U) return undefined;
  const quoted = args.slice(1).map((a) => `'${a.text.split("'").join("'\\''")}'`);
  // As in bash, an alias is not expanded again inside its own expansion.
  const inner = sc.child();
  inner.set(key, UNSET);
  const out = evalCmd([{ text: [v, ...quoted].join(' '), literal: first.literal }], inner, env, assigns);
  sc.merge([inner], false);
  sc.set(key, v);
  return out;
}

/** find: its -exec commands run like xargs' (one level deeper), in the entry's directory for -execdir. */
function find(args: Arg[], sc: Scope, env: Env, assigns: Assigns): Out {
  const run = env.run;
  if (env.depth + 1 > run.limits.maxDepth) throw depthError(run.limits.maxDepth);
  const inner: Env = { ...feedStdin(env, undefined), depth: env.depth + 1 };
  return runFind(args, sc, env, (op, a, via) => run.emit(op, a, sc.cwd, via), (argv, dir) => {
    run.grow(argv.reduce((n, a) => n + a.text.length, 0));
    const child = sc.child();
    if (dir !== undefined) child.cwd = joinPath(sc.cwd, dir);
    runCommand(argv, child, inner, assigns);
  });
}

/** git: shell text it runs (aliases, -c settings, rebase --exec) one level deeper, in the directory given. */
function git(first: Arg, args: Arg[], sc: Scope, env: Env, assigns: Assigns): void {
  const inner = feedStdin(env, undefined);
  const at = (dir: string): Scope => {
    const child = sc.child();
    child.cwd = joinPath(sc.cwd, dir);
    return child;
  };
  gitCommand(first, args, sc, env, {
    shell: (text, dir) => {
      runScript(text, at(dir), inner, 'git');
    },
    command: (argv, dir) => {
      if (env.depth + 1 > env.run.limits.maxDepth) throw depthError(env.run.limits.maxDepth);
      runCommand(argv, at(dir), { ...inner, depth: env.depth + 1 }, assigns);
    },
    getenv: (name) => {
      for (let k = assigns.length - 1; k >= 0; k--) if (assigns[k]![0] === name) return assigns[k]![1];
      const v = sc.get(name);
      return typeof v === 'string' && !v.includes(U) ? v : undefined;
    },
  });
}

/** A command whose name is unknown (`$CMD x`): every operand may be written. */
function unknownCommand(first: Arg, rest: Arg[], sc: Scope, env: Env): void {
  const by = ++env.run.seq;
  const none = { text: U, literal: first.literal };
  unknownOperands(rest, none, (a) => {
    env.run.emit('write', a, sc.cwd, 'unknown command', true, false, by);
    // It may have made a link there: later operands through that name are unknown too.
    const places = env.run.places;
    if (a !== none) for (const cwd of places.expand(sc.cwd) ?? [places.plain(sc.cwd)]) env.run.overlay.unknown(physicalJoin(cwd, places.plain(a.text)), by);
  });
}

export function cmdCtx(sc: Scope, env: Env): CmdCtx {
  const ov = env.run.overlay;
  const by = ++env.run.seq;
  return {
    emit: (op, a, via, beneath = false) => env.run.emit(op, a, sc.cwd, via, false, beneath, by),
    made: (kind, name, from) => {
      // In each directory the shell may be in (after `a && cd x`), else somewhere unknown.
      const places = env.run.places;
      for (const cwd of places.expand(sc.cwd) ?? [places.plain(sc.cwd)]) {
        const at = physicalJoin(cwd, places.plain(name.text));
        const src = typeof from === 'string' ? from : physicalJoin(cwd, places.plain(from?.text ?? U));
        if (kind === 'dir') ov.dir(at, by);
        else if (kind === 'unknown') ov.unknown(at, by);
        else if (kind === 'link') ov.link(at, src, by);
        else ov.mirror(at, src, by);
      }
    },
    isDir: (a, follow = true, disk = false) => {
      if (a.text.includes(U)) return false;
      // After a cd that may have failed: a folder in any place the shell may be in (`ln -s x c`
      // then writes into it there).
      const cwds = sc.cwd.includes(U) ? env.run.places.expand(sc.cwd) : [sc.cwd];
      return (cwds ?? []).some((cwd) => {
        const p = physicalJoin(cwd, a.text);
        if (ov.active && !disk) return ov.isDir(p, follow);
        try {
          return (follow ? fs.statSync(p) : fs.lstatSync(p)).isDirectory();
        } catch {
          return false;
        }
      });
    },
    platform: process.platform,
  };
}
