// Builtins that change what later commands mean: the tracked directory (cd, pushd, popd),
// variables and positional parameters (set, shift, unset, read, printf -v), and the literal
// output of echo/printf/cat/pwd that a pipe may feed to a shell or xargs.
import { completionCode, mapfileCallback, promptText } from './callbacks.js';
import { valueParts } from './arith.js';
import { cd, dirs, popd, pushd } from './cd.js';
import { U, type Frame } from './context.js';
import { echoOutput, printfOutput } from './escapes.js';
import { parseOpts } from './options.js';
import { UNSET, type Scope } from './scope.js';
import { mapfileBuiltin, readBuiltin } from './read.js';
import type { Arg, Assigns, Out } from './types.js';

/** `assigns`: the command's own prefix assignments (`CDPATH=~ cd x`), seen by the builtin only. */
export type Builtin = (args: Arg[], sc: Scope, fr: Frame, assigns?: Readonly<Assigns>) => Out;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** PS4 as a trace prompt: expanded like an unquoted heredoc's text (parameters, `$( )`, arithmetic). */
function tracePrompt(sc: Scope, fr: Frame): void {
  // Only a PS4 the command set: bash's own default (`+ `) and the user's are not the command's text.
  const ps4 = sc.assignedValue('PS4');
  if (typeof ps4 !== 'string') return;
  valueParts(ps4, sc.alts('PS4'), sc.given('PS4'), (t) => promptText(t, sc, fr, 'PS4'), () => promptText(U, sc, fr, 'PS4'));
}

const withCallback: Builtin = (args, sc, fr) => {
  mapfileCallback(args, sc, fr);
  return mapfileBuiltin(args, sc, fr);
};

/** `set [options] [--] args`: new positional parameters. */
const set: Builtin = (args, sc, fr) => {
  // `set -x`: bash expands PS4 before every command it traces, command substitutions included.
  if (args.some((a, k) => (/^-[A-Za-z]*x/.test(a.text) && !a.text.startsWith('--')) || (a.text === '-o' && args[k + 1]?.text === 'xtrace'))) tracePrompt(sc, fr);
  // `set -P` / `set -o physical`: later cd resolve links first (may-happen, like dotglob).
  if (args.some((a, k) => /^-[A-Za-z]*P/.test(a.text) || (a.text === '-o' && args[k + 1]?.text === 'physical'))) fr.run.physicalCd = true;
  let i = 0;
  let dashdash = false;
  for (; i < args.length; i++) {
    const t = args[i]!.text;
    if (t === '--') {
      dashdash = true;
      i++;
      break;
    }
    if (!/^[-+]/.test(t)) break;
    if (t === '-o' || t === '+o') i++;
  }
  if (dashdash || i < args.length) sc.positional = [sc.positional?.[0] ?? U, ...args.slice(i).map((a) => a.text)];
  return args.length === 0 ? null : '';
};

const shift: Builtin = (args, sc) => {
  const n = args[0] ? Number(args[0].text) : 1;
  const p = sc.positional;
  if (p && Number.isInteger(n) && n >= 0) sc.positional = [p[0]!, ...p.slice(1 + n)];
  // Parameters not known and given from outside stay so (the agent's top-level shell has none).
  else if (p || !sc.paramsGiven) sc.positional = null;
  return '';
};

const unset: Builtin = (args, sc) => {
  const p = parseOpts(args, {});
  if (p.opts.some((o) => o.name === 'f')) return '';
  for (const a of p.operands) if (NAME.test(a.text)) sc.set(a.text, UNSET);
  return '';
};

/** read, mapfile, getopts...: the variables they name get unknown values. */
const unknowns = (spec: { arg?: string; defaults: string[] }): Builtin => (args, sc) => {
  const p = parseOpts(args, { arg: spec.arg });
  for (const n of spec.defaults) sc.set(n, U);
  for (const o of p.opts) if (o.name === 'a' && o.value && NAME.test(o.value.text)) sc.set(o.value.text, U);
  for (const a of p.operands) if (NAME.test(a.text)) sc.set(a.text, U);
  return null;
};

const printf: Builtin = (args, sc, fr) => {
  let rest = args;
  let target: string | undefined;
  if (rest[0]?.text === '-v' && rest[1]) {
    target = rest[1].text;
    rest = rest.slice(2);
  }
  if (rest[0]?.text === '--') rest = rest.slice(1);
  const [fmt, ...vals] = rest;
  const out = fmt ? printfOutput(fmt.text, vals.map((a) => a.text), fr.run.limits.maxBytes) : '';
  if (out !== null) fr.run.grow(out.length);
  if (target === undefined) return out;
  if (NAME.test(target)) sc.set(target, out ?? U);
  return '';
};

/** `cat` with no file (or `-`) copies its input. */
const cat: Builtin = (args, _sc, fr) => {
  const files = args.filter((a) => !a.text.startsWith('-') || a.text === '-');
  if (files.every((a) => a.text === '-') && typeof fr.stdin === 'string') return fr.stdin;
  return null;
};

const declare: Builtin = (args, sc) => {
  for (const a of args) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(a.text);
    if (m) sc.set(m[1]!, a.text.slice(m[0].length));
  }
  return '';
};

const quiet: Builtin = () => '';

/** Scope key of an alias: not a valid variable name, so it cannot clash with one. */
export const aliasKey = (name: string): string => `alias ${name}`;

/** `alias name=value`: remembered, so a later `name args` runs `value args`. */
const alias: Builtin = (args, sc) => {
  for (const a of args) {
    const eq = a.text.indexOf('=');
    if (eq > 0) sc.set(aliasKey(a.text.slice(0, eq)), a.text.slice(eq + 1));
  }
  return null;
};

/**
 * `shopt -s dotglob`: later globs match dot names too (`cp -r evil/* .` then copies `.git`).
 * Never turned back off: a branch or function may have run it (may-happen, like the overlay).
 */
const shopt: Builtin = (args, sc, fr) => {
  // `shopt -so xtrace` is `set -x`: PS4 is expanded before each traced command.
  if (args.some((a) => /^-[a-z]*o/.test(a.text)) && args.some((a) => a.text === 'xtrace' || a.text.includes(U))) tracePrompt(sc, fr);
  // `shopt -s dotglob globstar`; `-u` is not believed (a branch may not have run it). nullglob and
  // failglob only drop an unmatched word (kept here, as written: more, never fewer targets);
  // extglob patterns are always read as such.
  if (!args.some((a) => /^-[a-z]*s/.test(a.text))) return '';
  if (args.some((a) => a.text === 'dotglob')) fr.run.dotglob = true;
  if (args.some((a) => a.text === 'globstar')) fr.run.globstar = true;
  if (args.some((a) => a.text === 'cdable_vars')) fr.run.cdableVars = true;
  // `shopt -s $OPT`: which option is not known: the widest matching.
  if (args.some((a) => a.text.includes(U))) fr.run.dotglob = fr.run.globstar = fr.run.cdableVars = true;
  return '';
};

/** Names and the line end of dirname/basename (`-z`: NUL); undefined for an option not handled. */
function nameArgs(args: Arg[], more: string[] = []): { names: string[]; end: string; opts: Map<string, string> } | undefined {
  const names: string[] = [];
  const opts = new Map<string, string>();
  let end = '\n';
  let options = true;
  for (let k = 0; k < args.length; k++) {
    const t = args[k]!.text;
    if (options && t === '--') options = false;
    else if (options && (t === '-z' || t === '--zero')) end = '\0';
    else if (options && more.includes(t)) opts.set(t, args[++k]?.text ?? '');
    else if (options && t.startsWith('-') && t !== '-') return undefined;
    else names.push(t);
  }
  return { names, end, opts };
}

/**
 * `dirname NAME...`: each name without its last component. Known when that last component is
 * (`dirname "$tmp/x"` is `$tmp`, whatever `$tmp` holds); `cd "$(dirname "$0")"` in a script.
 */
const dirname: Builtin = (args) => {
  const p = nameArgs(args);
  if (!p || p.names.length === 0) return null;
  const out: string[] = [];
  for (const n of p.names) {
    let t = n;
    while (t.length > 1 && t.endsWith('/')) t = t.slice(0, -1);
    const i = t.lastIndexOf('/');
    if (t.slice(i + 1).includes(U)) return null;
    if (i < 0) out.push('.');
    else {
      let d = t.slice(0, i);
      while (d.length > 1 && d.endsWith('/')) d = d.slice(0, -1);
      out.push(d === '' ? '/' : d);
    }
  }
  return out.map((d) => d + p.end).join('');
};

/** `basename NAME [SUFFIX]`, `-a`, `-s SUFFIX`: the last component, when it is known. */
const basename: Builtin = (args) => {
  const p = nameArgs(args.map((a) => (a.text === '-a' || a.text === '--multiple' ? { ...a, text: '-a' } : a)), ['-s', '-a']);
  if (!p) return null;
  const all = args.some((a) => a.text === '-a' || a.text === '--multiple' || a.text === '-s');
  const suffix = p.opts.get('-s') ?? (!all && p.names.length === 2 ? p.names.pop()! : '');
  if (p.names.length === 0 || (!all && p.names.length > 1)) return null;
  const out: string[] = [];
  for (const n of p.names) {
    let t = n;
    while (t.length > 1 && t.endsWith('/')) t = t.slice(0, -1);
    let b = t === '/' ? '/' : t.slice(t.lastIndexOf('/') + 1);
    if (b.includes(U) || suffix.includes(U)) return null;
    if (suffix !== '' && b !== suffix && b.endsWith(suffix)) b = b.slice(0, -suffix.length);
    out.push(b);
  }
  return out.map((b) => b + p.end).join('');
};

const BUILTINS = new Map<string, Builtin>([
  ['cd', cd],
  ['shopt', shopt],
  ['pushd', pushd],
  ['popd', popd],
  ['dirs', dirs],
  ['set', set],
  ['shift', shift],
  ['unset', unset],
  // The prefix IFS (`IFS=: read a b`) is handed over by dispatch.ts; here read splits with the shell's own.
  ['read', (args, sc, fr) => readBuiltin(args, sc, fr)],
  ['mapfile', withCallback],
  ['readarray', withCallback],
  ['compgen', (args, sc, fr) => {
    completionCode(args, sc, fr);
    return null;
  }],
  ['complete', (args, sc, fr) => {
    completionCode(args, sc, fr);
    return '';
  }],
  ['getopts', unknowns({ defaults: ['OPTARG', 'OPTIND'] })],
  ['echo', (args) => echoOutput(args.map((a) => a.text))],
  ['printf', printf],
  ['cat', cat],
  ['pwd', (_args, sc) => `${sc.cwd}\n`],
  ['dirname', dirname],
  ['basename', basename],
  // `which git` prints a path whose folder is not known but whose name is: `$(which git) push` runs git.
  ['which', (args) => args.filter((a) => !a.text.startsWith('-')).map((a) => (a.text.includes('/') || a.text.includes(U) ? U : `${U}/${a.text}`)).join('\n') + '\n'],
  ['export', declare],
  ['local', declare],
  ['declare', declare],
  ['typeset', declare],
  ['readonly', declare],
  ['true', quiet],
  ['false', quiet],
  [':', quiet],
  ['exit', quiet],
  ['alias', alias],
  ['return', quiet],
]);

export function builtin(name: string): Builtin | undefined {
  return BUILTINS.get(name);
}
