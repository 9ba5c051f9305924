// Commands known from data (rules/commands/*.json), and what is left: commands the guard does not
// know. A known command's operands and option values are read, written, deleted or moved as its
// entry says. An unknown command's operands and option values may be written: each one is a
// target marked `unknownCommand`, judged only when it is protected (decide.ts, `unknownCommands`).
import type { Op } from '../../types.js';
import { COMMAND_SPECS } from '../../../rules/commands/index.js';
import type { CommandSpec, Effect } from './command-spec.js';
import type { Run } from './context.js';
import type { Arg, CmdCtx } from './types.js';
import { parseOpts, type OptSpec, type Parsed } from './options.js';

/** Emits an operand that may be written by `name`, a command (or subcommand) the guard does not know. */
export type UnknownEmit = (a: Arg, name: string, known?: boolean) => void;

const specs = COMMAND_SPECS as Readonly<Record<string, CommandSpec>>;

/** The entry for a command name (aliases followed), or undefined. */
export function commandSpec(name: string): CommandSpec | undefined {
  let s = Object.hasOwn(specs, name) ? specs[name] : undefined;
  for (let k = 0; s?.alias !== undefined && k < 4; k++) s = Object.hasOwn(specs, s.alias) ? specs[s.alias] : undefined;
  return s;
}

/** An operand `name` may write: a target marked with the command's name (judged only when protected). */
export function unknownTarget(run: Run, cwd: string, a: Arg, name: string, known = false): void {
  const n = run.targets.length;
  run.emit('write', a, cwd, known ? `${name} (effect unknown)` : `${name} (unknown command)`);
  for (let k = n; k < run.targets.length; k++) run.targets[k]!.unknownCommand = name;
}

/** A command found in neither the code's tables nor the builtins: data, else unknown. */
export function otherCommand(name: string, args: Arg[], c: CmdCtx, unknown: UnknownEmit, home: string): void {
  const spec = commandSpec(name);
  if (spec) runSpec(name, spec, args, c, (a, n) => unknown(a, n, true), home);
  else unknownArgs(name, args, unknown);
}

/**
 * Every word of an unknown command that may name a file: operands, the values of `KEY=VALUE`
 * operands, `--opt=VALUE` values and the attached value of a short option when it looks like a
 * path (`-o./x`). Option values given as
 * the next word are operands here, since which options take one is not known.
 */
export function unknownArgs(name: string, args: Arg[], unknown: UnknownEmit): void {
  let ended = false;
  for (const a of args) {
    const t = a.text;
    if (ended || !t.startsWith('-') || t === '-') {
      if (t !== '-' && t !== '') unknown(a, name);
      // `frob out=.env`, like `dd of=F`: the value of a KEY=VALUE operand may be a file too.
      const kv = /^[A-Za-z_][\w.-]*=(.+)$/.exec(t);
      if (kv) unknown({ text: kv[1]!, literal: a.literal }, name);
    } else if (t === '--') ended = true;
    else if (t.startsWith('--')) {
      const eq = t.indexOf('=');
      if (eq > 0 && eq + 1 < t.length) unknown({ text: t.slice(eq + 1), literal: a.literal }, name);
    } else if (t.length > 2 && (t[2] === '.' || t[2] === '/' || t.slice(2).includes('/'))) {
      unknown({ text: t.slice(2), literal: a.literal }, name);
    }
  }
}

function optSpec(s: CommandSpec, posix = false): OptSpec {
  return { arg: s.args ?? '', long: s.long ?? [], flags: s.flags ?? [], posix, exact: s.singleDash === true };
}

const OPS: Partial<Record<Effect, Op>> = { read: 'read', write: 'write', delete: 'delete', 'move-from': 'move-from', 'move-to': 'move-to' };

function emitEffect(e: Effect, a: Arg, via: string, name: string, beneath: boolean, c: CmdCtx, unknown: UnknownEmit): void {
  if (e === 'none' || a.text === '-' || a.text === '') return;
  if (e === 'unknown') {
    unknown(a, name);
    return;
  }
  // Names the command chooses beneath a folder: every protected path beneath it is checked, as
  // for a recursive copy into it (a folder holding none is no concern).
  if (e === 'dir') {
    c.emit('write', a, via, true);
    return;
  }
  if (e === 'prefix') {
    c.emit('write', { ...a, prefix: true }, via);
    return;
  }
  const op = OPS[e];
  // A written name ending in `/` is a folder the command writes into (`go build -o ~/`).
  if (op) c.emit(op, a, via, beneath || (op === 'write' && a.text.length > 1 && a.text.endsWith('/')));
}

/** The effects that hold with the options given: the base, then the first `when` that matches. */
function effective(s: CommandSpec, p: Parsed): CommandSpec {
  for (const w of s.when ?? []) {
    const want = w.if.filter((n) => !n.startsWith('!'));
    const absent = w.if.filter((n) => n.startsWith('!')).map((n) => n.slice(1));
    if (absent.some((n) => p.opts.some((o) => o.name === n))) continue;
    if (want.length === 0 || p.opts.some((o) => want.includes(o.name))) return { ...s, ...w };
  }
  return s;
}

/** `-out FILE` (openssl, go): read as `--out FILE` so the long-option parser applies. */
function doubled(args: Arg[], s: CommandSpec): Arg[] {
  if (!s.singleDash) return args;
  const out: Arg[] = [];
  for (const a of args) {
    if (a.text === '--') break;
    out.push(/^-[A-Za-z][\w.-]+(=.*)?$/.test(a.text) ? { ...a, text: `-${a.text}` } : a);
  }
  return out.length === args.length ? out : [...out, ...args.slice(out.length)];
}

/** A subcommand's entry with the command's own options added (CommandSpec.inherit). */
function inherited(sub: CommandSpec, spec: CommandSpec): CommandSpec {
  return {
    ...sub,
    args: `${sub.args ?? ''}${spec.args ?? ''}`,
    long: [...sub.long ?? [], ...spec.long ?? []],
    flags: [...sub.flags ?? [], ...spec.flags ?? []],
    values: { ...spec.values, ...sub.values },
    inherit: true,
  };
}

export function runSpec(name: string, spec: CommandSpec, args: Arg[], c: CmdCtx, unknown: UnknownEmit, home: string, depth = 0): void {
  if (spec.sub && depth < 4) {
    // Global options first, then the subcommand word, then its own arguments.
    const list = doubled(args, spec);
    const p = parseOpts(list, optSpec(spec, true));
    const word = list[p.end];
    const sub = word && Object.hasOwn(spec.sub, word.text) ? spec.sub[word.text] : undefined;
    // A setting given before the subcommand means what it means for that subcommand, when the
    // subcommand says (`npm --prefix web run build` runs scripts there; `npm --prefix web install`
    // writes beneath it).
    optionValues(name, sub && spec.inherit ? { ...spec, values: { ...spec.values, ...sub.values } } : spec, p, c, unknown);
    if (!word) return;
    const rest = list.slice(p.end + 1);
    const full = `${name} ${word.text}`;
    if (sub) runSpec(full, spec.inherit ? inherited(sub, spec) : sub, rest, c, unknown, home, depth + 1);
    else {
      // Settings given after a subcommand not listed (`npm install --prefix ~ x`).
      const q = spec.inherit ? parseOpts(rest, optSpec(spec)) : undefined;
      if (q) optionValues(full, spec, q, c, unknown);
      if ((spec.subOther ?? 'unknown') === 'unknown') unknownArgs(full, rest, unknown);
      else for (const a of (q ?? parseOpts(rest, {})).operands) emitEffect(spec.subOther!, a, full, full, false, c, unknown);
    }
    fixedFiles(name, spec, c, unknown, home);
    return;
  }
  const p = parseOpts(doubled(args, spec), optSpec(spec));
  const s = effective(spec, p);
  optionValues(name, s, p, c, unknown);
  const ops = p.operands.slice(s.skip ?? 0);
  const beneath = s.beneath === true;
  ops.forEach((a, i) => {
    const e = s.last !== undefined && ops.length >= 2 && i === ops.length - 1 ? s.last : s.positions?.[i] ?? s.operands ?? 'read';
    emitEffect(e, a, name, name, beneath, c, unknown);
    if (e === 'none') return;
    for (const dv of s.derive ?? []) {
      const text = derived(a.text, dv);
      if (text !== undefined) emitEffect(dv.op, { text, literal: a.literal }, `${name} (${text.slice(a.text.length) || 'derived name'})`, name, false, c, unknown);
    }
  });
  fixedFiles(name, s, c, unknown, home);
}

function derived(text: string, dv: { append?: string; strip?: string[] }): string | undefined {
  if (dv.append !== undefined) return text + dv.append;
  for (const x of dv.strip ?? []) if (text.endsWith(x) && text.length > x.length) return text.slice(0, -x.length);
  return undefined;
}

function optionValues(name: string, s: CommandSpec, p: Parsed, c: CmdCtx, unknown: UnknownEmit): void {
  for (const o of p.opts) {
    if (!o.value) continue;
    const e = s.values && Object.hasOwn(s.values, o.name) ? s.values[o.name]! : 'none';
    emitEffect(e, o.value, `${name} ${o.name.length === 1 || s.singleDash ? '-' : '--'}${o.name}`, name, false, c, unknown);
  }
}

function fixedFiles(name: string, s: CommandSpec, c: CmdCtx, unknown: UnknownEmit, home: string): void {
  for (const f of s.files ?? []) {
    const text = f.path === '~' ? home : f.path.startsWith('~/') ? `${home}${f.path.slice(1)}` : f.path;
    emitEffect(f.op, { text, literal: name }, name, name, false, c, unknown);
  }
}
