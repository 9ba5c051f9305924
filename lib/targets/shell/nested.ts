// Shell text that runs shell text: `bash -c`, `eval`, a script fed to `sh` on standard input,
// `xargs` (its command gets the literal input as operands), and Codex's `apply_patch` through
// the shell. Each level counts toward the depth bound; each distinct text is parsed once. The
// text is walked, and xargs' commands run, through the walker on the frame (`fr.walker`): this
// module imports neither the walker nor the dispatch that calls it.
import { promptText } from './callbacks.js';
import { GuardError } from '../../types.js';
import { patchTargets } from '../apply-patch.js';
import { checkNesting, feedStdin, joinPath, physicalJoin, Src, U, type Frame } from './context.js';
import { scriptFile } from '../interp/load.js';
import { knownText, readWhileRun, writtenBeneath, writtenInCall } from './written.js';
import { expandArgs } from './glob.js';

export { writtenInCall } from './written.js';
import { processNode } from '../../paths/process-relative.js';
import { delimiter, xargsItems } from './feed.js';
import { has, parseOpts, values } from './options.js';
import { parseShell, unparsable } from './parse.js';
import { globOptions } from './glob.js';
import type { Scope } from './scope.js';
import { commandName } from './wrappers.js';
import type { Arg, Assigns, Input, Out } from './types.js';

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'rbash']);

export function isShell(name: string): boolean {
  return SHELLS.has(name);
}

/** Parses (once per distinct text) and walks shell text one level deeper. */
export function runScript(text: string, sc: Scope, fr: Frame, what: string): Out {
  const run = fr.run;
  checkNesting(fr);
  let entry = run.parsed.get(text);
  if (!entry) {
    run.grow(text.length);
    entry = { file: parseShell(text, `shell text run by ${what}`), src: new Src(text) };
    run.parsed.set(text, entry);
  }
  return fr.walker.stmts(entry.file.Stmts, sc, { ...fr, src: entry.src, depth: fr.depth + 1 });
}

function withAssigns(sc: Scope, assigns: Assigns): Scope {
  const s = sc.child();
  for (const [k, v] of assigns) s.set(k, v);
  return s;
}

/** BASH_ENV's file, run in the started bash before its command (`BASH_ENV=x.sh bash -c true`). */
function bashEnv(name: string, sc: Scope, fr: Frame): void {
  // As the command set it, else as the hook's environment (which the agent's shell shares) has it.
  const own = sc.assignedValue('BASH_ENV');
  const be = own !== undefined ? own : fr.run.writes.bashEnv0;
  if (typeof be === 'string' && be !== '') startFile(be, 'BASH_ENV', name, sc, fr);
}

/**
 * The start-up files an interactive or login shell reads before its command: `--rcfile F`, else
 * `~/.bashrc` (bash -i); `~/.bash_profile`, `~/.bash_login` or `~/.profile` (bash -l), `~/.profile`
 * (sh -l); `$ENV` (sh -i). HOME as the command set it (`HOME=$PWD bash -l`); a HOME not set by the
 * command is the account's, whose files are the user's own, not read here.
 */
function startFiles(name: string, o: { login: boolean; interactive: boolean; rcfile?: string }, sc: Scope, fr: Frame): void {
  const home = sc.assignedValue('HOME');
  const at = (f: string): string | undefined => (typeof home === 'string' ? `${home}/${f}` : undefined);
  const bash = name === 'bash' || name === 'rbash';
  const files: (string | undefined)[] = [];
  if (o.login) files.push(...(bash ? [at('.bash_profile'), at('.bash_login'), at('.profile')] : [at('.profile')]));
  else if (o.interactive && bash) files.push(o.rcfile ?? at('.bashrc'));
  if (o.interactive && !bash) {
    const env = sc.assignedValue('ENV');
    if (typeof env === 'string' && env !== '') files.push(env);
  }
  for (const f of files) if (f !== undefined) startFile(f, f, name, sc, fr);
  // An interactive shell expands its prompts (PS0 before each command it reads, PS1, PS2) and runs
  // PROMPT_COMMAND: values the command set are code (`PS0='$(cmd)' bash -i`).
  if (o.interactive) {
    for (const v of ['PS0', 'PS1', 'PS2']) {
      const x = sc.assignedValue(v);
      if (typeof x === 'string' && x !== '') promptText(x, sc, fr, `${name} -i ${v}`);
    }
    const pc = sc.assignedValue('PROMPT_COMMAND');
    if (typeof pc === 'string' && pc !== '') {
      if (pc.includes(U)) fr.run.emit('write', { text: U, literal: 'PROMPT_COMMAND', opaque: true }, sc.cwd.includes(U) ? '/' : sc.cwd, `${name} -i: PROMPT_COMMAND not known`, true);
      else runScript(pc, sc.child(), fr, `${name} -i PROMPT_COMMAND`);
    }
  }
}

/** Runs one start-up file of a started shell; one whose text is not known is opaque code. */
function startFile(file: string, literal: string, name: string, sc: Scope, fr: Frame): void {
  const what = `${name} start-up file (${literal})`;
  const text = file.includes(U) ? undefined : scriptText(fr, physicalJoin(sc.cwd, file));
  if (text === 'missing') return;
  if (text !== undefined) {
    try {
      runScript(text, sc.child(), feedStdin(fr, undefined), what);
      return;
    } catch (e) {
      if (!unparsable(e)) throw e;
    }
  }
  fr.run.emit('write', { text: U, literal, opaque: true }, sc.cwd, what, true);
}

/** bash/sh/zsh... `-c STRING [$0 [$1...]]`, or a script on standard input. */
export function shellCommand(first: Arg, rest: Arg[], sc: Scope, fr: Frame, assigns: Assigns): Out {
  const name = commandName(first);
  const run = fr.run;
  let hasC = false;
  let fromStdin = false;
  let login = false;
  let interactive = false;
  let rcfile: string | undefined;
  let i = 0;
  for (; i < rest.length; i++) {
    const t = rest[i]!.text;
    if (t === '--' || t === '-') {
      i++;
      break;
    }
    if (t.startsWith('--')) {
      if (t === '--rcfile' || t === '--init-file') rcfile = rest[++i]?.text;
      if (t === '--login') login = true;
      continue;
    }
    if (!/^[-+]./.test(t)) break;
    for (const ch of t.slice(1)) {
      if (ch === 'c') hasC = true;
      else if (ch === 'l') login = true;
      else if (ch === 'i') interactive = true;
      else if (ch === 's') fromStdin = true;
      else if (ch === 'o' || ch === 'O') {
        // `bash -O dotglob -c 'rm -rf *'`: the started shell's globs match dot names.
        if (ch === 'O' && t.startsWith('-') && rest[i + 1]) globOptions(rest[i + 1]!.text, run);
        i++;
      }
    }
  }
  const ops = rest.slice(i);
  // A BASHOPTS in the started shell's environment switches its options on at start-up
  // (`env BASHOPTS=dotglob bash -c 'rm -rf *'`); the calling shell's own BASHOPTS is read-only.
  for (const [k, v] of assigns) if (k === 'BASHOPTS') globOptions(v, run);
  const inner = withAssigns(sc, assigns);
  // A non-interactive bash first sources the file BASH_ENV names.
  if ((name === 'bash' || name === 'rbash') && !interactive) bashEnv(name, inner, fr);
  if (login || interactive) startFiles(name, { login, interactive, ...(rcfile !== undefined ? { rcfile } : {}) }, inner, fr);
  if (hasC) {
    const script = ops[0];
    if (!script) return null;
    inner.positional = [ops[1]?.text ?? name, ...ops.slice(2).map((a) => a.text)];
    return runScript(script.text, inner, fr, `${name} -c`);
  }
  if (ops.length > 0 && !fromStdin) {
    // A script file: read as it is now and analyzed like `-c` text (interp/load.ts reads it).
    // bash expands a pattern in its name before the shell starts (`sh evil.s?`).
    if (ops[0]!.pattern !== undefined) ops.splice(0, ops.length, ...expandArgs(ops, sc.cwd, run, sc));
    const file = ops[0]!;
    fr.run.emit('read', file, sc.cwd, name);
    let abs = physicalJoin(sc.cwd, file.text);
    let text = scriptText(fr, abs);
    // bash looks a script name without a slash up on PATH when the working directory has none.
    if (text === 'missing' && (name === 'bash' || name === 'rbash') && !file.text.includes('/')) {
      const p = inner.get('PATH');
      for (const dir of typeof p === 'string' && !p.includes(U) ? p.split(':') : []) {
        const there = physicalJoin(sc.cwd, `${dir === '' ? '.' : dir}/${file.text}`);
        const t = scriptText(fr, there);
        if (t !== 'missing') {
          abs = there;
          text = t;
          break;
        }
      }
    }
    if (text === 'missing') return null; // the shell stops: nothing runs
    inner.positional = [file.text, ...ops.slice(1).map((a) => a.text)];
    if (text !== undefined) {
      const from = run.writes.events.length;
      try {
        return runScript(text, inner, feedStdin(fr, undefined), `${name} ${file.literal}`);
      } catch (e) {
        if (!unparsable(e)) throw e;
      } finally {
        readWhileRun(fr, abs, from, file.literal);
      }
    }
    // Unknown or unparsable content: it may write anything.
    fr.run.emit('write', { text: U, literal: file.literal, opaque: true }, sc.cwd, `${name} script`, true);
    for (const a of ops.slice(1)) fr.run.emit('write', a, sc.cwd, `${name} script argument`, true);
    return null;
  }
  if (fr.stdin === undefined) return null;
  // `sh < FILE`, `cat FILE | sh`: the script is the file as it is now, read like `sh FILE`.
  const fed = fr.stdin === null && fr.stdinFile ? scriptText(fr, fr.stdinFile) : undefined;
  if (fed === 'missing') return null; // the redirection fails: the shell does not run
  const script = typeof fr.stdin === 'string' ? fr.stdin : fed;
  inner.positional = [name, ...ops.map((a) => a.text)];
  if (script !== undefined) {
    const from = run.writes.events.length;
    try {
      return runScript(script, inner, feedStdin(fr, undefined), name);
    } catch (e) {
      if (fr.stdin !== null || !unparsable(e)) throw e;
    } finally {
      if (typeof fed === 'string') readWhileRun(fr, fr.stdinFile!, from, name);
    }
  }
  fr.run.emit('write', { text: U, literal: first.literal, opaque: true }, sc.cwd, `${name} stdin`);
  return null;
}

/**
 * A script file's text as it is when the call is checked: `missing`, or undefined when it cannot
 * be known (a name not known, a file this call writes or moves first, not a readable regular file
 * within the bound).
 */
export function scriptText(fr: Frame, abs: string): string | 'missing' | undefined {
  if (abs.includes(U)) return undefined;
  // A pattern that matched nothing when the call was checked (`sh t.s?`) may match, when it
  // runs, a file the call made in that folder: not known then.
  if (/[*?[]/.test(abs.slice(abs.lastIndexOf('/'))) && writtenBeneath(fr, abs.slice(0, abs.lastIndexOf('/')) || '/')) return undefined;
  // Written by this call: its text when the one statement that wrote it is known (written.ts).
  if (writtenInCall(fr, abs)) return knownText(fr, abs);
  // `/dev/stdin`, `/proc/self/fd/3`...: opened here they would be the guard's own, not the shell's.
  const [, a = '', b = ''] = abs.split('/');
  if (processNode(a, b)) return undefined;
  // Read once per call: a script of 20,000 `npm test` lines looks up package.json 20,000 times.
  const w = fr.run.writes;
  if (!w.read.has(abs)) w.read.set(abs, scriptFile(abs, fr.run.limits.maxBytes));
  return w.read.get(abs);
}

/** eval ARGS: the arguments joined by spaces are shell text run in the same shell. */
export function evalCmd(rest: Arg[], sc: Scope, fr: Frame, assigns: Assigns): Out {
  const text = rest.map((a) => a.text).join(' ');
  if (text.trim() === '') return '';
  if (text.includes(U)) sc.taint(); // `eval "$(cmd)"`: the unknown text may assign anything
  return runScript(text, assigns.length > 0 ? withAssigns(sc, assigns) : sc, fr, 'eval');
}

const XARGS = {
  posix: true,
  arg: 'adEILnPs',
  optArg: 'eil',
  long: ['arg-file', 'delimiter', 'max-lines', 'max-args', 'max-procs', 'max-chars', 'process-slot-var'],
  flags: ['null', 'no-run-if-empty', 'verbose', 'interactive', 'exit', 'open-tty', 'show-limits', 'replace', 'eof'],
};

/** xargs [options] [command [args]]: the command runs with the input items as more operands. */
export function xargs(rest: Arg[], sc: Scope, fr: Frame, assigns: Assigns): Out {
  const run = fr.run;
  const p = parseOpts(rest, XARGS);
  const file = values(p, 'a', 'arg-file').pop();
  if (file) run.emit('read', file, sc.cwd, 'xargs');
  const input: Input = file ? null : (fr.stdin ?? null);
  let repl = values(p, 'I').pop()?.text;
  for (const o of p.opts) if (o.name === 'i' || o.name === 'replace') repl = o.value?.text || '{}';
  const cmd = p.operands.length > 0 ? p.operands : [{ text: 'echo', literal: 'xargs' }];
  const d = values(p, 'd', 'delimiter').pop();
  const delim = has(p, '0', 'null') ? '\0' : d ? delimiter(d.text) : undefined;
  const per = values(p, 'n', 'max-args', 'L', 'max-lines', 'l').pop();
  const chunk = per ? Math.max(parseInt(per.text, 10) || 1, 1) : Infinity;
  checkNesting(fr);
  // The commands that fed xargs wrote the arguments it adds (`curl … | xargs bash -c`).
  const inner: Frame = { ...feedStdin(fr, undefined), depth: fr.depth + 1, ...(input === null && fr.fed ? { subst: fr.fed } : {}) };
  const exec = (argv: Arg[]): void => {
    run.grow(argv.reduce((n, a) => n + a.text.length, 0));
    fr.walker.command(argv, sc.child(), inner, assigns);
  };
  const replace = (a: Arg, r: string, by: string): Arg =>
    (a.text.includes(r) ? { text: a.text.split(r).join(by), literal: a.literal } : a);
  if (input === null) {
    // Unknown input: the command gets unknown operands.
    exec(repl !== undefined ? cmd.map((a) => replace(a, repl, U)) : [...cmd, { text: U, literal: 'xargs input' }]);
    return null;
  }
  const items = xargsItems(input, { delim, lines: repl !== undefined });
  if (items.length > run.limits.maxFields) {
    throw new GuardError(`xargs input has more than ${run.limits.maxFields} items`, 'shell');
  }
  if (repl !== undefined) {
    for (const item of items) exec(cmd.map((a) => replace(a, repl, item)));
  } else if (items.length === 0) {
    if (!has(p, 'r', 'no-run-if-empty')) exec(cmd);
  } else {
    for (let k = 0; k < items.length; k += chunk) {
      exec([...cmd, ...items.slice(k, k + chunk).map((t) => ({ text: t, literal: t }))]);
    }
  }
  return null;
}

/** apply_patch '<patch>' or apply_patch <<'EOF' ... EOF: the patch's own file headers. */
export function applyPatch(rest: Arg[], sc: Scope, fr: Frame): void {
  const patch = rest[0] ? rest[0].text : fr.stdin;
  if (patch === undefined) return;
  if (patch === null || (patch.includes(U) && patch.split(U).join('').trim() === '')) {
    fr.run.emit('write', { text: U, literal: rest[0]?.literal ?? 'apply_patch input' }, sc.cwd, 'apply_patch');
    return;
  }
  for (const t of patchTargets(patch, sc.cwd)) {
    fr.run.emit(t.op, { text: t.path, literal: t.literal ?? t.path }, t.base, t.via);
  }
}
