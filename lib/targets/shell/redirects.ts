// Redirections: files written (`>`, `>>`, `>|`, `&>`, `&>>`, `n>`, `<>`, `>&file`), read (`<`),
// and the literal text a heredoc or here-string feeds to the command's standard input.
import type * as Sh from './ast.js';
import { U, joinPath, physicalJoin, type Frame } from './context.js';
import { freshTarget } from './written.js';
import { descriptorOf } from './fds.js';
import { expandArgs } from './glob.js';
import { shellParser } from './parse.js';
import { UNSET, type Scope, type Val } from './scope.js';
import { expandWord, partsAtoms, wordString } from './words.js';
import type { Arg, Input, Item } from './types.js';

export interface Redirected {
  /** Set when a redirection decides standard input (a heredoc, here-string, `<`...). */
  stdin?: { value: Input; file?: string };
  /** Standard output goes to a file or another descriptor: nothing reaches a pipe. */
  stdoutTaken: boolean;
  /**
   * What reaches standard output is not only the command's own output (`2>&1`, `>/dev/stdout`
   * after other bindings): not known.
   */
  mixed?: boolean;
  /** The one output redirection is the statement's `> FILE` into a fresh file: its text can be known afterwards (written.ts). */
  stdoutFile?: { abs: string; at: number };
}

export function redirects(list: (Sh.Redirect | null)[], sc: Scope, fr: Frame, exec = false): Redirected {
  const res: Redirected = { stdoutTaken: false };
  if (list.length === 0) return res;
  // What each descriptor is bound to from here (fds.ts): `exec` binds for the rest of the shell.
  const fds = fr.run.fds;
  const bindFile = (fd: number, args: Arg[]): void => fds.set(fd, bindingOf(args, sc, fr), exec);
  const { ops } = shellParser();
  const opText = new Map<number, string>([
    [ops.rdrOut, '>'], [ops.appOut, '>>'], [ops.clbOut, '>|'], [ops.rdrAll, '&>'], [ops.appAll, '&>>'],
    [ops.rdrInOut, '<>'], [ops.dplOut, '>&'], [ops.rdrIn, '<'],
  ]);
  const log = fr.run.writes;
  let outputs = 0;
  let stdoutFile: Redirected['stdoutFile'];
  for (const r of list) {
    if (!r) continue;
    const op = r.Op as number;
    const fd = r.N?.Value;
    const onStdin = fd === undefined || fd === '0';
    const onStdout = fd === undefined || fd === '1';
    const input = op === ops.rdrIn || op === ops.rdrInOut || op === ops.dplIn || op === ops.hdoc || op === ops.dashHdoc || op === ops.wordHdoc;
    // `{name}>file` picks a free descriptor into a variable: `/dev/fd/$name` is then unknown anyway.
    const num = fd === undefined ? (input ? 0 : 1) : /^\d+$/.test(fd) ? Number(fd) : undefined;
    if (op === ops.hdoc || op === ops.dashHdoc) {
      const text = heredocText(r, op === ops.dashHdoc, sc, fr);
      if (onStdin) res.stdin = { value: text };
      if (num !== undefined) fds.set(num, { value: UNSET }, exec);
      continue;
    }
    if (op === ops.wordHdoc) {
      const text = `${wordString(r.Word, sc, fr)}\n`;
      if (onStdin) res.stdin = { value: text };
      if (num !== undefined) fds.set(num, { value: UNSET }, exec);
      continue;
    }
    if (!r.Word) continue;
    if (op === ops.dplIn) {
      const from = wordString(r.Word, sc, fr);
      if (onStdin) res.stdin = { value: null };
      if (num !== undefined) duplicate(num, from, fds, exec);
      continue;
    }
    const via = `redirect ${fd ?? ''}${opText.get(op) ?? '>'}`;
    const args = expandArgs(expandWord(r.Word, sc, fr), sc.cwd, fr.run, sc);
    if (op === ops.dplOut) {
      outputs++;
      // `2>&1`, `>&2`, `>&-` duplicate or close a descriptor; `>&file` is `&>file`.
      if (args.length === 1 && /^(\d+-?|-)$/.test(args[0]!.text)) {
        const from = /^\d+/.exec(args[0]!.text)?.[0];
        // `>&1`: standard output stays where it is (`{ echo a >&1; } | sh` feeds sh `a`).
        if (onStdout && from !== '1') res.stdoutTaken = true;
        // `2>&1`: error output joins standard output, with text the guard does not model.
        if (num === 2 && from === '1') res.mixed = true;
        if (num !== undefined) duplicate(num, args[0]!.text, fds, exec);
        continue;
      }
      for (const a of args) fr.run.emit('write', a, sc.cwd, via);
      if (onStdout) res.stdoutTaken = true;
      // `>&file` is `&>file` (a descriptor number was handled above).
      bindFile(1, args);
      bindFile(2, args);
      continue;
    }
    if (op === ops.rdrIn) {
      for (const a of args) fr.run.emit('read', a, sc.cwd, via);
      if (num !== undefined) bindFile(num, args);
      const one = args.length === 1 ? physicalJoin(sc.cwd, args[0]!.text) : U;
      // `< <(echo .env)`: the process substitution's literal output is the input.
      const parts = r.Word.Parts;
      const fed = parts.length === 1 && parts[0]!.type === 'ProcSubst' ? fr.run.procOutputs.get(parts[0]!) : undefined;
      if (onStdin) res.stdin = fed !== undefined ? { value: fed } : one.includes(U) ? { value: null } : { value: null, file: one };
      continue;
    }
    outputs++;
    // A statement's own `> FILE` into a file that does not exist yet: what it prints is the file's text.
    const one = args.length === 1 && !exec && onStdout && (op === ops.rdrOut || op === ops.clbOut || op === ops.appOut) && !sc.cwd.includes(U) && !args[0]!.text.includes(U)
      ? physicalJoin(sc.cwd, args[0]!.text) : undefined;
    // `> /dev/stdout` with standard output as inherited: the output stays where it was.
    const same = one !== undefined && descriptorOf(one, '/') === 1 && fds.get(1) === undefined;
    if (one !== undefined && descriptorOf(one, '/') !== undefined && !same) res.mixed = true;
    const fresh = one !== undefined && descriptorOf(one, '/') === undefined && freshTarget(fr, one);
    for (const a of args) fr.run.emit('write', a, sc.cwd, via);
    // Any later write to it, through any name or descriptor, is a write event after `at` (written.ts).
    if (fresh) stdoutFile = { abs: one!, at: log.events.length };
    if (op === ops.rdrAll || op === ops.appAll) {
      bindFile(1, args);
      bindFile(2, args);
    } else if (num !== undefined) bindFile(num, args);
    if (op === ops.rdrAll || op === ops.appAll || (op !== ops.rdrInOut && onStdout && !same)) res.stdoutTaken = true;
    if (op === ops.rdrInOut && onStdin) res.stdin = { value: null };
  }
  // Another output binding in the same statement (`> f 2> g`, `> f > g`) may mix or replace the text.
  if (stdoutFile && outputs === 1 && !res.mixed) res.stdoutFile = stdoutFile;
  return res;
}

/** `N>&M`, `N<&M` (the binding of M; `M-` also closes M), `N>&-` (closed). */
function duplicate(fd: number, word: string, fds: Frame['run']['fds'], exec: boolean): void {
  const m = /^(\d+)(-?)$/.exec(word);
  if (!m) {
    fds.set(fd, word === '-' ? { value: UNSET } : { value: U }, exec);
    return;
  }
  const from = Number(m[1]);
  fds.set(fd, fds.get(from) ?? { value: UNSET }, exec);
  if (m[2]) fds.set(from, { value: UNSET }, exec);
}

/** The file a redirection binds: absolute (the kernel resolves it), unknown with alternatives, or a descriptor's own binding. */
function bindingOf(args: Arg[], sc: Scope, fr: Frame): { value: Val; alts?: string[] } {
  if (args.length !== 1) return { value: U };
  const a = args[0]!;
  const places = fr.run.places;
  const cwds = places.expand(sc.cwd);
  const texts = (a.text.includes(U) ? a.alts ?? [] : [a.text]).filter((t) => t !== ''); // empty: an error, nothing bound
  const abs: string[] = [];
  // Too many directories the shell may be in to list: the name in the unknown one still counts
  // (`{ echo k >> /dev/fd/0; } < .env` after cds in doubt writes some `.env`).
  for (const c of cwds ?? [places.plain(sc.cwd)]) for (const t of texts) abs.push(physicalJoin(c, t));
  const one = (p: string): { value: Val; alts?: string[] } => {
    // `exec 3>/dev/stdout`: descriptor 3 is then what descriptor 1 was.
    const fd = descriptorOf(p, '/');
    return fd === undefined ? { value: p } : fr.run.fds.get(fd) ?? { value: UNSET };
  };
  // `> ""`: bash cannot open it and runs nothing; no file is bound.
  if (!a.text.includes(U) && texts.length === 0) return { value: UNSET };
  if (cwds && cwds.length === 1 && !a.text.includes(U)) return one(abs[0]!);
  // Every place the shell may be in, and a name known in full: the file is one of these.
  const listed = cwds !== undefined && !a.text.includes(U) && abs.every((p) => descriptorOf(p, '/') === undefined);
  return { value: U, alts: abs.filter((p) => descriptorOf(p, '/') === undefined), ...(listed ? { given: true } : {}) };
}

/**
 * Body of a heredoc. With a quoted delimiter (`<<'EOF'`, `<<"EOF"`, `<<\EOF`) it is data, taken
 * as written; otherwise parameters and command substitutions in it are expanded (and analyzed).
 */
export function heredocText(r: Sh.Redirect, dash: boolean, sc: Scope, fr: Frame): string {
  const quoted = r.Word?.Parts.some((p) => p.type !== 'Lit' || (p as Sh.Lit).Value.includes('\\')) ?? false;
  const parts = r.Hdoc?.Parts ?? [];
  let text = '';
  if (quoted) {
    for (const p of parts) text += p.type === 'Lit' ? (p as Sh.Lit).Value : fr.src.of(p);
  } else {
    for (const p of parts) {
      if (p.type === 'Lit') {
        text += unescapeHeredoc((p as Sh.Lit).Value);
        continue;
      }
      const items: Item[] = [];
      partsAtoms([p], { quoted: true, assign: false }, sc, fr, items, false);
      for (const it of items) text += it === 'break' ? ' ' : it.text;
    }
  }
  if (dash) text = text.replace(/^\t+/gm, '');
  return text;
}

/** In an unquoted heredoc a backslash escapes only $ ` \ and newline. */
function unescapeHeredoc(s: string): string {
  return s.includes('\\') ? s.replace(/\\([$`\\\n])/g, (_, c: string) => (c === '\n' ? '' : c)) : s;
}
