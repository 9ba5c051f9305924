// Simple commands: assignments, then the command found after wrappers, by basename: a builtin
// that changes the analysis state (cd, set, read...), a nested shell, xargs, apply_patch, or a
// file command from the table, else the command knowledge as data (known.ts); a command known
// nowhere may write its operands. Statements and substitutions inside (`source <(…)`, array
// indexes) are walked through the walker on the frame (`fr.walker`), never by importing it.
import fs from 'node:fs';
import path from 'node:path';
import type * as Sh from './ast.js';
import { parseShell, unparsable } from './parse.js';
import { GuardError } from '../../types.js';
import { checkNesting, feedStdin, joinPath, physicalJoin, U, type Frame, type Run } from './context.js';
import { aliasKey, builtin } from './builtins.js';
import { FILE_COMMANDS, unknownOperands } from './commands.js';
import { expandArgs } from './glob.js';
import { commandSpec, otherCommand, unknownTarget } from './known.js';
import { addTrap, callFunction, isFunction, trapAction } from './functions.js';
import { readBuiltin } from './read.js';
import { applyPatch, evalCmd, isShell, runScript, scriptText, shellCommand, writtenInCall, xargs } from './nested.js';
import { alongside, hasWritten, knownText, readLoadsAlongside, removedInCall, writtenBeneath, writtenFiles } from './written.js';
import { gitCommand } from './git.js';
import { projectScripts, runsProjectScripts } from './project-scripts.js';
import { runnerCommand } from './package-runners.js';
import { findRepo, findRepoIn } from './git-repo.js';
import { patchCommand } from './patch.js';
import { runFind } from './find.js';
import { mktemp } from './mktemp.js';
import { listingOutput } from './listings.js';
import { gitListing, noteGit } from './git-listings.js';
import { UNSET, type Scope, type Val } from './scope.js';
import { arrayItems, setArray, setElement } from './arrays.js';
import { litOf } from './ast.js';
import { parseOpts } from './options.js';
import { expandWords, wordString } from './words.js';
import { commandName, isWrapper, unwrap } from './wrappers.js';
import { commandsRun, type Runs } from './command-runners.js';
import { codeCommand, shebang, shebangText, toolModules, unreadLanguage, type CodeCtx } from '../interp/load.js';
import { crontab } from './crontab.js';
import { arithText, declareInteger, declareOpenRef, isInteger, isOpenRef, nameOf, nameText, valueParts, variableNames } from './arith.js';
import { just } from './justfile.js';
import { task } from './taskfile.js';
import type { Arg, Assigns, CmdCtx, Out } from './types.js';
import { envCode, envFiles, otherAgentConfig, sshOptionFiles, type EnvCode } from './env-files.js';
import type { SeenCommand } from './seen.js';

const STDIN_FILES = new Set(['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);

export function callExpr(ce: Sh.CallExpr, sc: Scope, fr: Frame): Out {
  if (ce.Args.length === 0) {
    for (const a of ce.Assigns) if (a) assign(a, sc, sc, fr);
    return '';
  }
  // `X=1 cmd`: the value is only in cmd's environment (seen by nested shells), and the
  // command's own words are expanded before it applies.
  const prefix = sc.child();
  const assigns: Assigns = [];
  for (const a of ce.Assigns) {
    if (!a) continue;
    const name = assign(a, prefix, prefix, fr);
    const v = name ? prefix.get(name) : UNSET;
    if (name && typeof v === 'string') assigns.push(prefix.given(name) ? [name, v, true] : [name, v]);
  }
  const seen = fr.run.commands;
  const mark = seen?.length ?? 0;
  const sourced = sourcedSubst(ce, sc, fr);
  // `source` runs the text in this shell; `bash <(…)` in a new one.
  if (sourced !== undefined) return runScript(sourced.text, sourced.shell ? sc.child() : sc, fr, sourced.shell ? 'shell' : 'source');
  const args = expandWords(ce.Args, sc, fr);
  const subst = seen && seen.length > mark ? seen.slice(mark) : undefined;
  return runCommand(args, sc, seen ? { ...fr, subst, at: ce.Args[0]?.pos } : fr, assigns);
}

/**
 * `source <(cmd)` / `. <(cmd)`: the literal output of cmd is the script, run in this shell.
 * Undefined when the call is not that or the output is not known (then `source` reads a file).
 */
function sourcedSubst(ce: Sh.CallExpr, sc: Scope, fr: Frame): { text: string; shell: boolean } | undefined {
  const [w0, w1] = ce.Args;
  if (!w0 || !w1 || w1.Parts.length !== 1 || w1.Parts[0]!.type !== 'ProcSubst') return undefined;
  const name = w0.Parts.length === 1 && w0.Parts[0]!.type === 'Lit' ? (w0.Parts[0] as Sh.Lit).Value : '';
  const shell = isShell(commandName({ text: name, literal: name }));
  if (name !== 'source' && name !== '.' && !shell) return undefined;
  checkNesting(fr);
  const ps = w1.Parts[0] as Sh.ProcSubst;
  const out = fr.walker.stmts(ps.Stmts, sc.child(), { ...feedStdin(fr, undefined), depth: fr.depth + 1 });
  return typeof out === 'string' ? { text: out, shell } : undefined;
}

/** One assignment evaluated in `from`, stored in `to`; returns the variable name. */
export function assign(a: Sh.Assign, from: Scope, to: Scope, fr: Frame): string | undefined {
  const name = a.Name?.Value;
  if (!name) {
    if (a.Value) wordString(a.Value, from, fr);
    return undefined;
  }
  if (a.Array || a.Index) {
    arrayAssign(a, name, from, to, fr);
    return name;
  }
  if (a.Naked) return undefined;
  const alts: string[] = [];
  const lead = { given: false };
  let v = wordString(a.Value, from, fr, true, alts, lead);
  if (a.Append) {
    const prev = from.get(name);
    v = (prev === UNSET ? '' : prev) + v;
    alts.length = 0; // alternatives of the appended part alone say nothing of the whole
    lead.given = false;
  }
  fr.run.grow(v.length);
  if (isInteger(fr, name)) {
    const lit = a.Value ? fr.src.of(a.Value) : name;
    valueParts(v, alts, lead.given, (t) => arithText(t, from, fr, lit), () => arithText(U, from, fr, lit));
  }
  // `declare -n r` with no target, then `r=NAME`: the value names the variable r stands for.
  if (isOpenRef(fr, name)) valueParts(v, alts, lead.given, (t) => nameText(t, from, fr, name), () => nameText(U, from, fr, name));
  to.set(name, v, alts, lead.given);
  return name;
}

interface ArrayElem { Index: Sh.Node | null; Value: Sh.Word | null }

/** `a=(x "$y" *.txt)`, `a+=(…)`, `a[1]=v`: elements kept when every index is implicit or literal. */
function arrayAssign(a: Sh.Assign, name: string, from: Scope, to: Scope, fr: Frame): void {
  // An element of a `declare -i` array is evaluated as arithmetic like the variable itself.
  const integer = isInteger(fr, name);
  if (a.Index) {
    const index = a.Index.type === 'Word' ? litOf(a.Index as Sh.Word) : '';
    // An indexed array's subscript is arithmetic: names in it are evaluated again (arith.ts).
    if (!/^\d+$/.test(index)) fr.walker.nested(a.Index, from, fr, true);
    const v = a.Value ? wordString(a.Value, from, fr) : '';
    if (integer) arithText(v, from, fr, a.Value ? fr.src.of(a.Value) : name);
    if (a.Append || v.includes(U)) setArray(to, name, null);
    else setElement(to, name, /^\d+$/.test(index) ? index : '', v);
    return;
  }
  const elems = ((a.Array as unknown as { Elems?: (ArrayElem | null)[] }).Elems ?? []).filter((e): e is ArrayElem => e !== null);
  let items: string[] | null = [];
  for (const e of elems) {
    if (e.Index) {
      fr.walker.nested(e.Index, from, fr, true);
      items = null;
    }
    if (!e.Value) continue;
    const texts = expandArgs(expandWords([e.Value], from, fr), from.cwd, fr.run, from).map((x) => x.text);
    if (integer) for (const t of texts) arithText(t, from, fr, fr.src.of(e.Value));
    if (items) items.push(...texts);
  }
  if (a.Append && items) {
    const prev = arrayItems(from, name);
    items = prev ? [...prev, ...items] : null;
  }
  setArray(to, name, items);
}

/** export/local/declare/readonly/typeset: `NAME=value` forms are assignments. */
export function declClause(d: Sh.DeclClause, sc: Scope, fr: Frame): void {
  let nameref = false;
  let integer = false;
  for (const a of d.Args) {
    if (!a) continue;
    if (nameref && a.Name && !a.Array && !a.Index) {
      // `declare -n r=x` / `local -n r=$1`: r stands for the variable named by the value, whose
      // subscript is expanded at each use (arith.ts).
      const lead = { given: false };
      const alts: string[] = [];
      const target = a.Value ? wordString(a.Value, sc, fr, false, alts, lead) : '';
      const lit = a.Value ? fr.src.of(a.Value) : a.Name.Value;
      valueParts(target, alts, lead.given, (t) => nameText(t, sc, fr, lit), () => nameText(U, sc, fr, lit));
      if (!a.Value) declareOpenRef(fr, a.Name.Value);
      sc.setRef(a.Name.Value, target.includes(U) || target === '' ? null : target);
      continue;
    }
    if (a.Name || a.Array) {
      // `declare -i z=y`: the value, and every later one, is evaluated as arithmetic.
      if (integer && a.Name) declareInteger(fr, a.Name.Value);
      assign(a, sc, sc, fr);
      continue;
    }
    // `export "$n=$v"` or an option word: a dynamic assignment when it has `NAME=`.
    const s = a.Value ? wordString(a.Value, sc, fr) : '';
    if (/^-[a-zA-Z]*n/.test(s)) nameref = true;
    if (/^-[a-zA-Z]*i/.test(s)) integer = true;
    // `declare -i "z"`, `declare -i $n=v`: a name given as text is declared integer too.
    if (integer && !s.startsWith('-')) {
      declareInteger(fr, nameOf(s).replace(/\[.*$/s, ''));
      const eq = s.indexOf('=');
      if (eq > 0) arithText(s.slice(eq + 1), sc, fr, a.Value ? fr.src.of(a.Value) : s);
    }
    // `declare 'a[$(cmd)]=1'`: the name's subscript is expanded (by declare, typeset and local, not
    // by export or readonly).
    if (!s.startsWith('-') && ['declare', 'typeset', 'local'].includes(d.Variant?.Value ?? '')) nameText(nameOf(s), sc, fr, a.Value ? fr.src.of(a.Value) : s);
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(s);
    if (m) sc.set(m[1]!, s.slice(m[0].length));
  }
}

/** Runs an expanded command line (also used for xargs' commands and wrapper rewrites). */
export function runCommand(args: Arg[], sc: Scope, fr: Frame, assigns: Assigns): Out {
  fr.run.step();
  const aliased = expandAlias(args, sc, fr, assigns);
  if (aliased !== undefined) return aliased;
  const emitHere = (op: Parameters<CmdCtx['emit']>[0], a: Arg, via: string): void => fr.run.emit(op, a, sc.cwd, via);
  const u = unwrap(args, emitHere);
  if (u.detached) fr = alongside(fr, false);
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
  // A wrapper that ran no command printed something of its own (`command -v git`, `env`): unknown.
  if (!first0) {
    // `tmux new -d`, `screen -dm`: the user's shell starts; one the command chose is a program it runs.
    if (u.shell) defaultShell(args[0]?.text ?? 'tmux', scope, fr, all);
    return u.args === args ? '' : null;
  }
  const first = first0.pattern ? expandArgs([first0], scope.cwd, fr.run, scope)[0]! : first0;
  if (first.text.includes(U)) {
    unknownCommand(first, expandArgs(rest, scope.cwd, fr.run, scope), scope, fr);
    const base = commandName(first);
    // `$BIN/git`, `$(which bash) -c '…'`: a program of that name in a folder not known. Its
    // operands stay unknown writes (above), and it is also analyzed as that command would be:
    // the union only adds targets, and command rules see what it runs.
    if (base !== '' && !base.includes(U)) {
      runCommand([{ ...first, text: base }, ...rest], scope, fr, all);
      return null;
    }
    // Any command: command rules judge it as each command they name (lib/commands/judge.ts).
    fr.run.commands?.push({
      name: first.text, unknownName: true, args: rest, cwd: scope.cwd, depth: fr.depth, stdin: fr.stdin, stdinFile: fr.stdinFile, fed: fr.fed, subst: fr.subst, fn: fr.fn,
    });
    return null;
  }
  const name = commandName(first);
  // `x=v export x`, `x=v readonly x`, and before any special builtin in POSIX mode (`sh` is one,
  // `set -o posix`): the assignment may stay in the shell afterwards, so later uses may see it.
  if (assigns.length > 0 && KEEPS_ASSIGNMENTS.has(name)) {
    const kept = sc.child();
    for (const [k, v] of assigns) kept.set(k, v);
    sc.merge([kept], true);
  }
  let seenAs: SeenCommand | undefined;
  if (fr.run.commands) {
    fr.run.commands.push(seenAs = {
      name, args: rest, cwd: scope.cwd, depth: fr.depth, stdin: fr.stdin, stdinFile: fr.stdinFile, fed: fr.fed, subst: fr.subst, fn: fr.fn,
      ...(fr.at !== undefined ? { site: { src: fr.src, pos: fr.at } } : {}),
    });
    if (fr.subst || fr.at !== undefined) fr = { ...fr, subst: undefined, at: undefined };
  }
  // Variable names given as text (`read 'a[…]'`, `printf -v`, `[ -v ]`): a subscript in one is
  // expanded, command substitution included (arith.ts).
  for (const a of variableNames(name, rest)) nameText(a.text, scope, fr, a.literal);
  // `builtin let x`, `\let x`, `command declare -i z=…`: the same builtins reached as a command.
  if (name === 'let') for (const a of rest) arithText(a.text, scope, fr, a.literal);
  if ((name === 'declare' || name === 'typeset' || name === 'local') && rest.some((a) => /^-[a-zA-Z]*i/.test(a.text))) {
    for (const a of rest) {
      if (a.text.startsWith('-')) continue;
      declareInteger(fr, nameOf(a.text).replace(/\[.*$/s, ''));
      const eq = a.text.indexOf('=');
      if (eq > 0) arithText(a.text.slice(eq + 1), scope, fr, a.literal);
    }
  }
  // Files named by variables the command set (`GIT_TRACE=FILE git …`, `HISTFILE=F; history -w`).
  envFiles(name, scope, all, (text, via, given) => fr.run.emit('write', { text, literal: text, ...(given ? { given } : {}) }, scope.cwd, via));
  sshOptionFiles(name, rest, (text, via) => fr.run.emit('write', { text, literal: text }, scope.cwd, via));
  // Commands and libraries variables the command set make the programs it starts run (env-files.ts).
  envCode(name, scope, all, envCodeCtx(name, scope, fr, all));
  const moved = otherAgentConfig(name, scope, all, (v) => u.clear === true || (u.unset?.includes(v) ?? false));
  if (moved) throw new GuardError(`${name} started with its own ${moved} would run without this guard's hooks`, 'shell');
  // A PATH the call changed may find a program of this name in a folder it put first (`PATH=.:$PATH;
  // t`, `PATH=./bin:$PATH cat f`): that file is what runs, as if named by its path.
  if (!first.text.includes('/') && !first.text.includes(U) && !builtin(name) && !(first0 === args[0] && isFunction(fr.run, name))) {
    // `hash -p FILE NAME; NAME`: bash runs FILE for NAME, whatever PATH finds. The table is kept
    // for the whole call (a `hash -p` in a branch not taken, or a subshell, may not hold): FILE is
    // walked, and so is NAME as usual.
    for (const file of fr.run.hashed.get(first.text) ?? []) runCommand([{ ...first, text: file }, ...rest], scope, fr, assigns);
    const found = changedPath(first.text, scope, all, fr);
    if (found !== undefined) return runCommand([{ ...first, text: found }, ...rest], scope, fr, assigns.filter(([k]) => k !== 'PATH'));
  }
  // A script run by its path (`./tool.py`): as its `#!` interpreter would run it.
  if (first.text.includes('/') && !first.text.includes(U) && !scope.cwd.includes(U)) {
    const at = physicalJoin(scope.cwd, first.text);
    // Its text as it runs: as this call wrote it when known (written.ts), else as it is on disk.
    const read = scriptText(fr, at);
    const text = read === 'missing' ? undefined : read;
    const written = text === undefined && writtenInCall(fr, at);
    const interp = text !== undefined ? shebangText(text) : written ? undefined : shebang(at);
    // `#!./w`: an interpreter named by a relative path is looked up from the working directory, and
    // itself run by its path (checkNesting bounds a chain of them, as the kernel does).
    if (interp) {
      const relative = interp[0]!.includes('/');
      if (relative) checkNesting(fr);
      return runCommand([...interp.map((t) => ({ text: t, literal: first.literal })), first, ...rest], scope, relative ? { ...fr, depth: fr.depth + 1 } : fr, all);
    }
    // No `#!` line: bash runs a text file itself, as a bash script (a binary stays a program).
    if (text !== undefined && !text.slice(0, 512).includes('\0')) return runCommand([{ text: 'bash', literal: first.literal }, first, ...rest], scope, fr, all);
    // A program this call wrote, with text the guard does not know: code it cannot see.
    if (written) fr.run.emit('write', { text: U, literal: first.literal, opaque: true }, scope.cwd, 'a program the same command writes', true);
  }
  // A function defined earlier in the command (bash looks functions up before builtins and commands).
  // Not through a wrapper: `builtin cd`, `command f`, `env f` never run a function.
  if (first0 === args[0] && first.text === name && isFunction(fr.run, name)) return functionCall(name, expandArgs(rest, scope.cwd, fr.run, scope), scope, fr, assigns);
  // A builtin switched off, a program's place remembered, a shell option changed: what `echo`,
  // `printf` or `cat` print may not be what the guard models (written.ts knownOutput).
  // `ulimit -f` cuts a write short, leaving a prefix of the text.
  if (name === 'enable' || name === 'hash' || name === 'shopt' || name === 'ulimit') fr.run.writes.producersChanged = true;
  if (name === 'hash') hashBuiltin(expandArgs(rest, scope.cwd, fr.run, scope), fr);
  // `enable -f LIB NAME` loads a shared object into bash: code the guard cannot read.
  if (name === 'enable' && rest.some((a) => /^-[a-zA-Z]*f/.test(a.text))) fr.run.emit('write', { text: U, literal: first.literal, opaque: true }, scope.cwd, 'enable -f: a library loaded into the shell', true);
  if (name === 'trap') return trap(rest, scope, fr);
  if (name === 'fc') fcBuiltin(expandArgs(rest, scope.cwd, fr.run, scope), scope, fr);
  // less runs LESSOPEN (`|cmd %s`, `||cmd %s`) as a shell command on each file it opens.
  if (name === 'less') lessOpen(expandArgs(rest, scope.cwd, fr.run, scope), all, scope, fr);
  if (isShell(name)) return shellCommand(first, rest, scope, fr, all);
  if (name === 'eval') return evalCmd(rest, scope, fr, all);
  if (name === 'xargs') return xargs(rest, scope, fr, all);
  if (name === 'find') return find(expandArgs(rest, scope.cwd, fr.run, scope), scope, fr, all);
  if (name === 'mktemp') return mktemp(expandArgs(rest, scope.cwd, fr.run, scope), scope, fr, all);
  if (name === 'git') {
    const gargs = expandArgs(rest, scope.cwd, fr.run, scope);
    const listed = gitNames(gargs, scope, all, fr);
    git(first, gargs, scope, fr, all);
    noteGit(fr.run, gargs);
    return listed !== undefined ? listed : topLevel(gargs, scope, all);
  }
  if (name === 'patch') {
    patchCommand(expandArgs(rest, scope.cwd, fr.run, scope), scope.cwd, fr, (op, a, base, unknown) => fr.run.emit(op, a, base, 'patch', unknown), commandEnv(scope, all));
    return null;
  }
  if (name === 'apply_patch' || name === 'applypatch') {
    applyPatch(rest, scope, fr);
    return null;
  }
  if (name === 'source' || name === '.') return sourceFile(name, first, expandArgs(rest, scope.cwd, fr.run, scope), scope, fr);
  if (name === 'crontab') return crontab(first, expandArgs(rest, scope.cwd, fr.run, scope), scope, fr);
  // package.json scripts and Makefile recipes the command runs; its own file effects come below.
  if (runsProjectScripts(name)) {
    // `F=.env make clean`: the prefix assignments are the tool's environment, which the scripts see.
    const env = all.length > 0 ? scope.child() : scope;
    for (const [k, v] of all) env.set(k, v);
    projectScripts(name, expandArgs(rest, scope.cwd, fr.run, scope), env, fr);
  }
  // justfile recipes (`just build`): read and walked like Makefile recipes.
  if (name === 'just') {
    const env = all.length > 0 ? scope.child() : scope;
    for (const [k, v] of all) env.set(k, v);
    just(name, expandArgs(rest, scope.cwd, fr.run, scope), env, fr);
  }
  // go-task's Taskfile tasks (`task build`), their dynamic variables and includes (taskfile.ts).
  if (name === 'task' || name === 'go-task') {
    const env = all.length > 0 ? scope.child() : scope;
    for (const [k, v] of all) env.set(k, v);
    task(name, expandArgs(rest, scope.cwd, fr.run, scope), env, fr);
  }
  // `npx tsx fix.ts`, `uv run fix.py`: the command a package runner runs is analyzed too.
  const inner = runnerCommand(name, expandArgs(rest, scope.cwd, fr.run, scope));
  if (inner) runCommand(inner, scope.child(), fr, all);
  // Interpreter code and archives (lib/targets/interp, lib/targets/archive), loaded only for them;
  // an archive handler replaces the table's entry for the forms it judges (extraction).
  const code = codeCommand(name);
  const table = FILE_COMMANDS.get(name);
  const b = builtin(name);
  // A program that runs a command it is given (`taskset 1 sh -c …`, `hyperfine 'cmd'`, a wrapper
  // the guard has never heard of): that command is walked too (command-runners.ts).
  // The operands as the program gets them, expanded once for everything below.
  const expanded = expandArgs(rest, scope.cwd, fr.run, scope);
  const runs = commandsRun(name, expanded, !!(table || b || code || commandSpec(name)), isProgram,
    (n) => !isShell(n) && codeCommand(n) !== undefined, (p) => scriptPath(p, scope, fr));
  // `run-parts DIR` runs every program in DIR.
  if (name === 'run-parts') runParts(expanded, scope, fr, all);
  if (runs) walkRuns(runs, name, scope, fr, all);
  // A program written in Python or JavaScript (pytest, jest) loads modules the call wrote by name (interp/load.ts).
  if (!code && !table && !b && hasWritten(fr)) toolModules(name, programShebang(name, scope, fr.run), codeCtx(scope, fr, all), expanded);
  if (!table && !b && !code) {
    if (seenAs && !commandSpec(name)) seenAs.unknownProgram = true;
    // bash runs `command_not_found_handle NAME ARGS` for a command it cannot find.
    if (isFunction(fr.run, 'command_not_found_handle') && !commandSpec(name)) {
      callFunction('command_not_found_handle', [first, ...expanded], scope, fr);
    }
    // Known from data (rules/commands), else unknown: its protected operands count as written.
    // `HOME=D npm config set …`: the prefix assignment is the home the command sees.
    const home = all.filter(([k]) => k === 'HOME').pop()?.[1] ?? scope.get('HOME');
    const operands = expanded;
    otherCommand(name, operands, cmdCtx(scope, fr), (a, n, known) => unknownTarget(fr.run, scope.cwd, a, n, known),
      typeof home === 'string' && home.startsWith('/') && !home.includes(U) ? home : fr.run.home);
    return listingOutput(name, operands, scope.cwd, fr) ?? null;
  }
  const judged = code ? code.run(name, expanded, codeCtx(scope, fr, all)) : false;
  if (table && !(code?.replaces && judged !== false)) table(expanded, cmdCtx(scope, fr, all));
  // An interpreter the data also describes (`emacs FILE` edits it; deno's and bun's package
  // commands: `deno install --root DIR`, `bun build --outdir DIR`): its data entry still applies.
  // An analyzer that says the form is not its own (`ar r`, not `ar x`): the data entry judges it.
  else if (!table && ((code && judged === false) || unreadLanguage(name) || name === 'deno' || name === 'bun') && commandSpec(name)) {
    otherCommand(name, expanded, cmdCtx(scope, fr), (a, n, known) => unknownTarget(fr.run, scope.cwd, a, n, known), fr.run.home);
  }
  // `IFS=: read a b`: the prefix assignment is what read splits with.
  const ifs = name === 'read' ? all.filter(([k]) => k === 'IFS').pop() : undefined;
  if (ifs) return readBuiltin(expanded, scope, fr, ifs[1]);
  return b ? b(expanded, scope, fr, all) : listingOutput(name, expanded, scope.cwd, fr) ?? null;
}

/**
 * `hash -p FILE NAME...` makes NAME run FILE (kept as written: a relative FILE is found from where
 * NAME runs). `hash -r`/`-d` are not applied: one in a branch not taken would wrongly forget.
 */
function hashBuiltin(args: Arg[], fr: Frame): void {
  const p = parseOpts(args, { arg: 'p', posix: true });
  const file = p.opts.filter((o) => o.name === 'p').at(-1)?.value?.text;
  if (file === undefined) return;
  for (const a of p.operands) {
    const files = fr.run.hashed.get(a.text) ?? [];
    if (files.length < 8 && !files.includes(file)) fr.run.hashed.set(a.text, [...files, file]);
  }
}

/**
 * `fc`: runs commands from the history (`fc -s`, or those its editor leaves), which the guard does
 * not know (`history -s TEXT` adds any text unrun); `fc -e EDITOR` runs EDITOR on a file of them.
 * Only listing (`fc -l`) runs nothing.
 */
function fcBuiltin(args: Arg[], sc: Scope, fr: Frame): void {
  if (args.some((a) => /^-[a-zA-Z]*l/.test(a.text))) return;
  const k = args.findIndex((a) => a.text === '-e');
  const editor = k >= 0 ? args[k + 1] : undefined;
  if (editor && editor.text !== '-') shellOrOpaque(`${editor.text} "\${TMPDIR:-/tmp}/bash-fc.$$"`, editor.literal, sc, { ...fr, depth: fr.depth + 1 }, 'fc -e');
  opaqueCode('fc', sc, fr, 'fc: commands from the history');
}

/** LESSOPEN as the command set it: its command line, with `%s` the file, run by `sh -c`. */
function lessOpen(args: Arg[], assigns: Assigns, sc: Scope, fr: Frame): void {
  const v = assigns.filter(([k]) => k === 'LESSOPEN').pop()?.[1] ?? sc.assignedValue('LESSOPEN');
  if (typeof v !== 'string') return;
  const m = /^\s*\|\|?(.*)$/s.exec(v);
  if (!m) return;
  const files = args.filter((a) => !a.text.startsWith('-'));
  for (const f of files.length > 0 ? files : [{ text: '-', literal: 'less' }]) {
    runCommand([{ text: 'sh', literal: 'LESSOPEN' }, { text: '-c', literal: '-c' }, { text: m[1]!.split('%s').join(`'${f.text.split("'").join("'\\''")}'`), literal: 'LESSOPEN' }], sc.child(), fr, []);
  }
}

/** Declaration builtins and POSIX special builtins: assignments before them may persist. */
/**
 * `X=v f args`: bash sets X while the function runs (its commands find programs on that PATH), and
 * in POSIX mode keeps it afterwards; so after the call X is either value.
 */
function functionCall(name: string, args: Arg[], sc: Scope, fr: Frame, assigns: Assigns): Out {
  if (assigns.length === 0) return callFunction(name, args, sc, fr);
  const old = assigns.map(([k]): { k: string; v: Val; alts: string[] | undefined; given: boolean } => {
    const v: Val = sc.get(k);
    return { k, v, alts: v !== UNSET && v.includes(U) ? sc.alts(k) : undefined, given: sc.given(k) };
  });
  for (const [k, v, given] of assigns) sc.set(k, v, undefined, given === true);
  const out = callFunction(name, args, sc, fr);
  // The function's own cd and assignments stay; only the prefixed names may be restored.
  const restored = sc.child();
  for (const o of old) restored.set(o.k, o.v, o.alts, o.given);
  sc.merge([restored], true);
  return out;
}

/** Walks each (variable, value) once per call: every later command would see the same value. */
const envWalked = new WeakMap<object, Set<string>>();

function envCodeCtx(name: string, sc: Scope, fr: Frame, assigns: Assigns): EnvCode {
  let seen = envWalked.get(fr.run);
  if (!seen) envWalked.set(fr.run, seen = new Set());
  const once = (key: string): boolean => {
    if (seen!.has(key) || seen!.size > 64) return false;
    seen!.add(key);
    return true;
  };
  return {
    shell: (text, via) => {
      if (once(`${via}\0${text}`)) shellOrOpaque(text, via, sc, { ...fr, depth: fr.depth + 1 }, via);
    },
    program: (p, via) => {
      // A system shell is the usual value; anything else runs as if named by its path.
      if (/^(?:\/usr)?\/bin\/(?:ba|da|z|k|mk|fi)?sh$/.test(p) || !once(`${via}\0${p}`)) return;
      // Programs run $SHELL as a path (no PATH lookup): `SHELL=evil.sh` is ./evil.sh.
      if (!p.includes('/')) p = `./${p}`;
      checkNesting(fr);
      runCommand([{ text: p, literal: name }, { text: '-c', literal: name }, { text: 'true', literal: name }], sc.child(), { ...fr, depth: fr.depth + 1 },
        assigns.filter(([k]) => k !== 'SHELL'));
    },
    opaque: (via) => {
      if (once(via)) opaqueCode(name, sc, fr, via);
    },
  };
}

/** The `$SHELL` the command set (last assignment wins), run as the program a wrapper starts. */
function defaultShell(name: string, sc: Scope, fr: Frame, all: Assigns): void {
  let v: string | undefined;
  for (let k = all.length - 1; k >= 0 && v === undefined; k--) if (all[k]![0] === 'SHELL') v = all[k]![1];
  if (v === undefined) {
    const own = sc.assignedValue('SHELL');
    v = typeof own === 'string' ? own : undefined;
  }
  if (v === undefined || v === '') return;
  const c = envCodeCtx(name, sc, fr, all);
  if (v.includes(U)) c.opaque('$SHELL: a program not known');
  else c.program(v, '$SHELL');
}

/** A path to a program: an executable regular file now, or a file the call writes. */
function scriptPath(p: string, sc: Scope, fr: Frame): boolean {
  if (p.includes(U) || sc.cwd.includes(U)) return false;
  const at = physicalJoin(sc.cwd, p);
  if (writtenInCall(fr, at)) return true;
  try {
    const st = fs.statSync(at);
    return st.isFile() && (st.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/** `run-parts [opts] DIR`: each executable in DIR runs (bounded); one the call wrote beneath it is not known. */
function runParts(args: Arg[], sc: Scope, fr: Frame, assigns: Assigns): void {
  const dir = args.filter((a) => !a.text.startsWith('-')).pop();
  if (!dir) return;
  if (args.some((a) => a.text === '--test' || a.text === '--list')) return;
  const at = dir.text.includes(U) || sc.cwd.includes(U) ? undefined : physicalJoin(sc.cwd, dir.text);
  if (at === undefined || writtenBeneath(fr, at)) {
    opaqueCode(dir.literal, sc, fr, 'run-parts: programs not known');
    return;
  }
  let names: string[] = [];
  try {
    names = fs.readdirSync(at).sort().slice(0, 32);
  } catch {
    return;
  }
  checkNesting(fr);
  for (const n of names) {
    const p = `${at}/${n}`;
    if (scriptPath(p, sc, fr)) runCommand([{ text: p, literal: dir.literal }], sc.child(), { ...fr, depth: fr.depth + 1 }, assigns);
  }
}

/** A name the guard knows as a program: a shell, an interpreter, a command of its tables, a builtin, a wrapper. */
function isProgram(base: string): boolean {
  return isShell(base) || isWrapper(base) || base === 'git' || FILE_COMMANDS.has(base) || builtin(base) !== undefined
    || codeCommand(base) !== undefined || commandSpec(base) !== undefined;
}

/** Code the guard cannot see, run in the shell's folder: an unresolved write. */
function opaqueCode(literal: string, sc: Scope, fr: Frame, via: string): void {
  fr.run.emit('write', { text: U, literal, opaque: true }, sc.cwd.includes(U) ? '/' : sc.cwd, via, true);
}

/**
 * Shell text a program runs, walked in a child shell; text not known, or that does not parse, may
 * still be run by the program: code not seen (not a parse error of the whole call).
 */
function shellOrOpaque(text: string, literal: string, sc: Scope, fr: Frame, what: string): void {
  let ok = !text.includes(U);
  try {
    if (ok) parseShell(text);
  } catch {
    ok = false;
  }
  if (ok) runScript(text, sc.child(), fr, what);
  else opaqueCode(literal, sc, fr, `${what}: a command not known`);
}

/** Walks what a program runs (command-runners.ts) beside it, in a child of its shell. */
function walkRuns(runs: Runs, name: string, sc0: Scope, fr: Frame, assigns: Assigns): void {
  checkNesting(fr);
  const inner: Frame = { ...fr, depth: fr.depth + 1 };
  // In each folder it may run in (`unshare --wd=DIR cmd`: DIR).
  for (const dir of runs.cwds ?? [undefined]) {
    const sc = dir ? sc0.child() : sc0;
    if (dir) sc.cwd = joinPath(sc0.cwd, dir.text);
    for (const argv of runs.argv ?? []) runCommand(argv, sc.child(), inner, assigns);
    for (const t of runs.shell) shellOrOpaque(t.text, t.literal, sc, inner, `${name} command`);
    // Text that may be data (`mytool --message "rm -rf /"`): its files count, command rules do not judge it.
    for (const t of runs.maybe ?? []) {
      const mark = fr.run.commands?.length ?? 0;
      shellOrOpaque(t.text, t.literal, sc, inner, `${name} command`);
      fr.run.commands?.splice(mark);
    }
  }
  const sc = sc0;
  for (const w of runs.writes ?? []) fr.run.emit('write', w, sc.cwd, name);
  if (runs.opaque) opaqueCode(name, sc, fr, `${runs.opaque}: code the guard does not read`);
  // `chroot DIR cmd`: whatever the command writes is beneath DIR.
  if (runs.root) fr.run.emit('write', runs.root, sc.cwd, `${name}: what its command writes`, false, true);
}

const KEEPS_ASSIGNMENTS = new Set(['export', 'readonly', 'declare', 'typeset', 'local', ':', 'eval', '.', 'source', 'set', 'shift', 'trap', 'unset', 'exec', 'exit', 'return', 'times', 'break', 'continue']);

/**
 * The file a changed PATH finds for `name` before any folder of the hook's own PATH (where the
 * usual program lives): undefined when PATH is unchanged or nothing new comes first. A folder not
 * known stops the search with an unknown program.
 */
function changedPath(name: string, sc: Scope, assigns: Assigns, fr: Frame): string | undefined {
  // Only a PATH the command itself set: the hook's own is the agent's shell's too.
  const prefix = assigns.filter(([k]) => k === 'PATH').pop()?.[1];
  const p = prefix ?? sc.assignedValue('PATH');
  const w = fr.run.writes;
  if (typeof p !== 'string' || p === w.path0) return undefined;
  const original = new Set((w.path0 ?? '').split(':').filter((d) => d.startsWith('/')));
  for (const dir of p.split(':')) {
    if (original.has(dir)) return undefined;
    const at = physicalJoin(sc.cwd, `${dir === '' ? '.' : dir}/${name}`);
    if (at.includes(U)) {
      // A folder not known: some program there may run instead (and the usual one is judged too).
      fr.run.emit('write', { text: U, literal: name, opaque: true }, sc.cwd.includes(U) ? '/' : sc.cwd, 'a program found on a PATH not known', true);
      return undefined;
    }
    if (writtenInCall(fr, at)) return at;
    try {
      if (fs.statSync(at).isFile()) return at;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

/**
 * An alias defined earlier in the command (`alias r=rm` then `r .env`) applies to a literal
 * first word: its text runs with the arguments appended, quoted.
 */
function expandAlias(args: Arg[], sc: Scope, fr: Frame, assigns: Assigns): Out | undefined {
  const first = args[0];
  if (!first || first.text !== first.literal) return undefined;
  const key = aliasKey(first.text);
  const v = sc.get(key);
  if (typeof v !== 'string' || v === U) return undefined;
  const quoted = args.slice(1).map((a) => `'${a.text.split("'").join("'\\''")}'`);
  // As in bash, an alias is not expanded again inside its own expansion.
  const inner = sc.child();
  inner.set(key, UNSET);
  const out = evalCmd([{ text: [v, ...quoted].join(' '), literal: first.literal }], inner, fr, assigns);
  sc.merge([inner], false);
  sc.set(key, v);
  return out;
}

/** trap ACTION SIGNALS: the action may run at any point after this (analyzed now, and at the end). */
function trap(rest: Arg[], sc: Scope, fr: Frame): Out {
  const text = trapAction(rest);
  if (text === undefined) return null;
  addTrap(fr.run, text);
  const inner = sc.child();
  evalCmd([{ text, literal: rest[0]!.literal }], inner, fr, []);
  return '';
}

/** find: its -exec commands run like xargs' (one level deeper), in the entry's directory for -execdir. */
function find(args: Arg[], sc: Scope, fr: Frame, assigns: Assigns): Out {
  const run = fr.run;
  checkNesting(fr);
  const inner: Frame = { ...feedStdin(fr, undefined), depth: fr.depth + 1 };
  // The guard walks the disk as it is when the call is checked; find walks it when it runs, and
  // then also finds what earlier commands of the call made beneath its starting points.
  const runs = args.some((a) => /^-(exec|execdir|ok|okdir)$/.test(a.text));
  if (runs || args.some((a) => a.text === '-delete')) {
    const starts = args.slice(0, Math.max(0, args.findIndex((a) => /^[-(!]/.test(a.text)))).map((a) => a.text);
    if (starts.length === 0 && !args.some((a) => /^[-(!]/.test(a.text))) starts.push(...args.map((a) => a.text));
    for (const s of starts.length > 0 ? starts : ['.']) {
      const dir = physicalJoin(sc.cwd, s);
      if (runs && writtenBeneath(fr, dir)) run.emit('write', { text: U, literal: `find ${s} (files this command made)`, opaque: true }, sc.cwd, 'find -exec', true);
      // What it runs on the files it finds may rewrite any of them (written.ts knownText).
      run.writes.events.push(`${dir}/${U}`);
    }
  }
  return runFind(args, sc, fr, (op, a, via) => run.emit(op, a, sc.cwd, via), (argv, dir) => {
    run.grow(argv.reduce((n, a) => n + a.text.length, 0));
    const child = sc.child();
    if (dir !== undefined) child.cwd = joinPath(sc.cwd, dir);
    runCommand(argv, child, inner, assigns);
  });
}

/** git: shell text it runs (aliases, -c settings, rebase --exec) one level deeper, in the directory given. */
/**
 * `git rev-parse --show-toplevel` prints the top of the working tree (`rm -rf "$(git rev-parse
 * --show-toplevel)"` deletes the project), `--git-dir`/`--absolute-git-dir`/`--git-common-dir` the
 * repository folder (`rm -f "$(git rev-parse --git-dir)/index.lock"`), found as git finds it; any
 * other git output is unknown.
 */
const REV_PARSE_DIRS = new Set(['--show-toplevel', '--git-dir', '--absolute-git-dir', '--git-common-dir']);

function topLevel(args: Arg[], sc: Scope, assigns: Assigns): Out {
  const what = args[1]?.text ?? '';
  if (args.length !== 2 || args[0]!.text !== 'rev-parse' || !REV_PARSE_DIRS.has(what) || sc.cwd.includes(U)) return null;
  // As git's own handler reads them: a value the analysis does not know counts as not set.
  const set = (n: string): boolean => {
    const v = sc.get(n);
    return assigns.some(([k]) => k === n) || (typeof v === 'string' && !v.includes(U));
  };
  if (set('GIT_DIR') || set('GIT_WORK_TREE')) return null;
  const repo = findRepo(sc.cwd, undefined, undefined);
  const dir = what === '--show-toplevel' ? repo.worktree : what === '--git-common-dir' ? repo.commonDir : repo.gitDir;
  if (dir === undefined || dir.includes(U)) return null;
  // git prints `.git` itself when run at the top of the tree, an absolute path elsewhere.
  const relative = what !== '--show-toplevel' && what !== '--absolute-git-dir' && dir === path.join(sc.cwd, '.git');
  return `${relative ? '.git' : dir}\n`;
}

/** `git ls-files`, `git diff --name-only`: the names git holds (git-listings.ts); undefined for other git commands. */
function gitNames(args: Arg[], sc: Scope, assigns: Assigns, fr: Frame): Out | undefined {
  if (sc.cwd.includes(U)) return args[0]?.text === 'ls-files' || args[0]?.text === 'diff' ? null : undefined;
  const repo = findRepoIn(fr.run, sc.cwd, undefined, undefined);
  const env = (n: string): string | undefined => {
    for (let k = assigns.length - 1; k >= 0; k--) if (assigns[k]![0] === n) return assigns[k]![1];
    const v = sc.get(n);
    return typeof v === 'string' && !v.includes(U) ? v : sc.given(n) ? undefined : v === U ? U : undefined;
  };
  if (repo.worktree === undefined) return args[0]?.text === 'ls-files' || args[0]?.text === 'diff' ? null : undefined;
  return gitListing(args, { top: repo.worktree, gitDir: repo.gitDir, cwd: sc.cwd, env }, fr);
}

function git(first: Arg, args: Arg[], sc: Scope, fr: Frame, assigns: Assigns): void {
  const inner = feedStdin(fr, undefined);
  const at = (dir: string): Scope => {
    const child = sc.child();
    child.cwd = joinPath(sc.cwd, dir);
    return child;
  };
  gitCommand(first, args, sc, fr, {
    shell: (text, dir) => {
      runScript(text, at(dir), inner, 'git');
    },
    script: (text, dir, what) => {
      const s = at(dir);
      s.givenParameters();
      try {
        runScript(text, s, inner, what);
      } catch (e) {
        if (!unparsable(e)) throw e;
        fr.run.emit('write', { text: U, literal: what, opaque: true }, s.cwd, `${what} (not parsed)`, true);
      }
    },
    command: (argv, dir) => {
      checkNesting(fr);
      runCommand(argv, at(dir), { ...inner, depth: fr.depth + 1 }, assigns);
    },
    getenv: (name) => {
      for (let k = assigns.length - 1; k >= 0; k--) if (assigns[k]![0] === name) return assigns[k]![1];
      const v = sc.get(name);
      return typeof v === 'string' && !v.includes(U) ? v : undefined;
    },
    unknownEnv: (name) => {
      for (let k = assigns.length - 1; k >= 0; k--) if (assigns[k]![0] === name) return assigns[k]![1].includes(U) && assigns[k]![2] !== true;
      const v = sc.get(name);
      return typeof v === 'string' && v.includes(U) && !sc.given(name);
    },
  });
}

/** A command whose name is unknown (`$CMD x`): every operand may be written. */
function unknownCommand(first: Arg, rest: Arg[], sc: Scope, fr: Frame): void {
  const by = ++fr.run.seq;
  // A program the user's own environment names (`$EDITOR`) is unknown as any program is; one
  // the command's own output names may be anything the model wrote.
  // With no operand: whatever the unknown program writes (opaque code, the `unresolved` setting's concern).
  const none: Arg = { text: U, literal: first.literal, opaque: true };
  unknownOperands(rest, none, (a) => {
    fr.run.emit('write', a, sc.cwd, 'unknown command', true, false, by);
    // It may have made a link there: later operands through that name are unknown too.
    const places = fr.run.places;
    if (a !== none) for (const cwd of places.expand(sc.cwd) ?? [places.plain(sc.cwd)]) fr.run.overlay.unknown(physicalJoin(cwd, places.plain(a.text)), by);
  });
}

/** What interpreter and archive analysis may do in this shell state (see interp/load.ts). */
/**
 * `source FILE [ARGS]` / `. FILE`: the file's text runs in this shell (its assignments, `cd` and
 * functions hold afterwards), read as it is when the call is checked. A name without a slash is
 * looked up as bash does: each directory of PATH, then the working directory. A file whose text
 * cannot be known (written earlier by this call, unreadable, over the bound) may write anything,
 * and may set any variable.
 */
function sourceFile(name: string, first: Arg, args: Arg[], scope: Scope, fr: Frame): Out {
  FILE_COMMANDS.get(name)?.(args, cmdCtx(scope, fr));
  const ops = args[0]?.text === '--' ? args.slice(1) : args;
  const file = ops[0];
  if (!file) return null;
  // `. /dev/stdin <<< TEXT`: literal standard input is the script.
  let text: string | 'missing' | undefined;
  if (STDIN_FILES.has(file.text)) text = typeof fr.stdin === 'string' ? fr.stdin : undefined;
  else if (!file.text.includes(U) && !scope.cwd.includes(U)) {
    for (const dir of file.text.includes('/') ? [scope.cwd] : [...searchPath(scope), scope.cwd]) {
      text = scriptText(fr, physicalJoin(dir, file.text));
      if (text !== 'missing') break;
    }
  }
  if (text === 'missing') return null; // bash reports the missing file and runs nothing
  if (text !== undefined) {
    // ARGS replace the positional parameters while the file runs; without ARGS it sees the shell's own.
    const saved = scope.positional;
    if (ops.length > 1) scope.positional = [saved?.[0] ?? name, ...ops.slice(1).map((a) => a.text)];
    try {
      return runScript(text, scope, fr, `${name} ${file.literal}`);
    } catch (e) {
      if (!unparsable(e)) throw e;
    } finally {
      if (ops.length > 1) scope.positional = saved;
    }
  }
  scope.taint();
  fr.run.emit('write', { text: U, literal: first.literal, opaque: true }, scope.cwd, `${name} of a file whose text is not known`, true);
  return null;
}

/** The `#!` line of the program PATH finds for `name`, if it has one. */
function programShebang(name: string, scope: Scope, run: Run): string[] | undefined {
  if (name.includes('/')) return undefined;
  const dirs = searchPath(scope);
  // The disk does not change while the call is judged: each program is looked up once per call
  // (the look-up costs a stat per PATH folder and a read, for every command of a long script).
  const key = `${name}\0${dirs.join('\0')}`;
  if (run.shebangs.has(key)) return run.shebangs.get(key);
  let found: string[] | undefined;
  for (const dir of dirs) {
    const at = `${dir}/${name}`;
    if (fs.existsSync(at)) {
      found = shebang(at);
      break;
    }
  }
  run.shebangs.set(key, found);
  return found;
}

/** The absolute directories of the analyzed shell's PATH (unknown: none). */
function searchPath(scope: Scope): string[] {
  const p = scope.get('PATH');
  // A relative entry is searched from the working directory, as bash does.
  return typeof p === 'string' && !p.includes(U) ? p.split(':').map((d) => physicalJoin(scope.cwd, d === '' ? '.' : d)) : [];
}

function codeCtx(sc: Scope, fr: Frame, assigns: Assigns): CodeCtx {
  const c = cmdCtx(sc, fr);
  const by = fr.run.seq;
  const inner = feedStdin(fr, undefined);
  return {
    c,
    emit: (op, a, via, unknown = false, beneath = false) => fr.run.emit(op, a, sc.cwd, via, unknown, beneath, by),
    cwd: sc.cwd,
    home: fr.run.home,
    stdin: fr.stdin,
    stdinFile: fr.stdinFile,
    shell: (text, what, dir) => {
      // The code's own shell starts in the program's environment: its prefix assignments included
      // (`PATH=b:$PATH python3 -c 'os.system("uname")'` finds b/uname first).
      const env = sc.child();
      for (const [k, v] of assigns) env.set(k, v);
      if (dir !== undefined) env.cwd = physicalJoin(sc.cwd, dir);
      try {
        runScript(text, env, inner, what);
      } catch (e) {
        // Text no shell can parse makes the shell fail too: it runs nothing.
        if (unparsable(e)) return false;
        throw e;
      }
      return true;
    },
    getenv: (name) => {
      for (let k = assigns.length - 1; k >= 0; k--) if (assigns[k]![0] === name) return assigns[k]![1];
      const v = sc.get(name);
      return typeof v === 'string' && !v.includes(U) ? v : undefined;
    },
    maxBytes: Math.min(fr.run.limits.maxBytes, 256 * 1024),
    check: () => fr.run.step(),
    written: (abs) => writtenInCall(fr, abs),
    known: (abs) => knownText(fr, abs),
    writtenFiles: (key, candidate) => writtenFiles(fr, key, candidate),
    wroteAny: () => hasWritten(fr),
    envUnknown: (name) => {
      for (let k = assigns.length - 1; k >= 0; k--) if (assigns[k]![0] === name) return assigns[k]![1].includes(U);
      // Set by the command itself to something not known; a variable it never set is the hook's own environment's.
      const v = sc.assignedValue(name);
      return typeof v === 'string' && v.includes(U);
    },
    loadsAlongside: (loads, literal) => readLoadsAlongside(fr, loads, literal),
  };
}

/**
 * A variable the command set for a program: its prefix assignments (last wins), else what the
 * call assigned. An inherited value is the user's own setting (env-files.ts): not the command's.
 */
function commandEnv(sc: Scope, assigns: Assigns): (name: string) => string | undefined {
  return (name) => {
    for (let k = assigns.length - 1; k >= 0; k--) if (assigns[k]![0] === name) return assigns[k]![1];
    const v = sc.assignedValue(name);
    return typeof v === 'string' ? v : undefined;
  };
}

export function cmdCtx(sc: Scope, fr: Frame, assigns: Assigns = []): CmdCtx {
  const ov = fr.run.overlay;
  const by = ++fr.run.seq;
  return {
    getenv: commandEnv(sc, assigns),
    emit: (op, a, via, beneath = false) => fr.run.emit(op, a, sc.cwd, via, false, beneath, by),
    made: (kind, name, from) => {
      // In each directory the shell may be in (after `a && cd x`), else somewhere unknown.
      const places = fr.run.places;
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
      const cwds = sc.cwd.includes(U) ? fr.run.places.expand(sc.cwd) : [sc.cwd];
      return (cwds ?? []).some((cwd) => {
        const p = physicalJoin(cwd, a.text);
        // Removed by an earlier command of the call: no longer a folder (`rm -rf d && mv e d`).
        if (removedInCall(fr, p)) return false;
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
