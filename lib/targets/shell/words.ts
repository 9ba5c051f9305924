// Word expansion as bash does it, statically: brace expansion, tilde, parameters, command
// substitution (analyzed, value unknown unless it is a literal echo/printf), word splitting,
// quote removal. Globs are kept as patterns here and expanded only where a path is needed.
// Substitutions are walked through the walker on the frame (`fr.walker.substitute`), and
// parameters (params.ts) expand their operand words through it too, so word expansion imports
// neither the walker nor itself in a circle.
import type * as Sh from './ast.js';
import type { Node } from './ast.js';
import { numericOutput } from './arith.js';
import { userHome } from '../../paths/home.js';
import { braceAlternatives } from './braces.js';
import { U, type Frame } from './context.js';
import { decodeEscapes } from './escapes.js';
import { escapeGlob, hasMagic } from './glob.js';
import { paramAtoms } from './params.js';
import { BREAK, unknownAtom } from './atoms.js';
import type { Scope } from './scope.js';
import type { Arg, Atom, Item, Mode } from './types.js';

/** Alternatives of a word kept per argument (each one is checked as a path of its own). */
const MAX_WORD_ALTS = 16;

/** The texts a run of atoms may have when its unknown parts take their known alternatives. */
export function altTexts(atoms: readonly Atom[]): string[] | undefined {
  if (!atoms.some((a) => a.alts)) return undefined;
  let texts = [''];
  for (const a of atoms) {
    const opts = a.alts ?? [a.text];
    const next: string[] = [];
    for (const t of texts) for (const o of opts) if (next.length < MAX_WORD_ALTS) next.push(t + o);
    texts = next;
  }
  const known = [...new Set(texts.filter((t) => !t.includes(U)))];
  return known.length > 0 ? known : undefined;
}

/** Expands a command word into arguments (brace expansion, splitting; globs left as patterns). */
export function expandWord(w: Sh.Word, sc: Scope, fr: Frame): Arg[] {
  fr.run.step();
  const literal = fr.src.of(w);
  const out: Arg[] = [];
  const alts = braceAlternatives(w, fr.run.limits.maxFields);
  if (alts.length > 1) fr.run.grow(alts.length * (w.end! - w.pos!));
  for (const parts of alts) {
    const items: Item[] = [];
    partsAtoms(parts, { quoted: false, assign: false }, sc, fr, items, true);
    for (const f of toFields(items, ifsOf(sc))) out.push(toArg(f, literal));
  }
  return out;
}

/** Expands words into arguments. */
export function expandWords(ws: (Sh.Word | null)[], sc: Scope, fr: Frame): Arg[] {
  const out: Arg[] = [];
  for (const w of ws) if (w) for (const a of expandWord(w, sc, fr)) out.push(a);
  return out;
}

/** True when the text of `atoms` starts with an unknown part given from outside (Atom.given). */
export function leadGiven(atoms: readonly Item[]): boolean {
  for (const a of atoms) {
    if (a === BREAK) return false;
    if (a.text !== '') return a.given === true && a.text.startsWith(U);
  }
  return false;
}

/**
 * One string, no splitting or globbing: assignment values, here-strings, `case` words. `lead`,
 * when given, learns whether the text starts with unknown text given from outside (leadGiven).
 */
export function wordString(w: Sh.Word | null, sc: Scope, fr: Frame, assign = false, alts?: string[], lead?: { given: boolean }): string {
  if (!w) return '';
  fr.run.step();
  const items: Item[] = [];
  partsAtoms(w.Parts, { quoted: false, assign, joined: true }, sc, fr, items, true);
  if (lead) lead.given = leadGiven(items);
  let s = '';
  for (const it of items) if (it !== BREAK) s += it.text;
  if (alts) {
    const atoms = items.map((it) => (it === BREAK ? { text: ' ', glob: false, split: false, real: true } : it));
    alts.push(...(altTexts(atoms) ?? []));
  }
  return s;
}

/** Atoms of a list of word parts, appended to `out`. */
export function partsAtoms(parts: Node[], mode: Mode, sc: Scope, fr: Frame, out: Item[], wordStart: boolean): void {
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k]!;
    switch (p.type) {
      case 'Lit': {
        const v = (p as Sh.Lit).Value;
        if (mode.quoted) out.push({ text: unescapeDouble(v), glob: false, split: false, real: true });
        else litAtoms(v, mode.assign, wordStart && k === 0, k < parts.length - 1, sc, out);
        break;
      }
      case 'SglQuoted': {
        const q = p as Sh.SglQuoted;
        out.push({ text: q.Dollar ? decodeEscapes(q.Value, 'ansi').text : q.Value, glob: false, split: false, real: true });
        break;
      }
      case 'DblQuoted': {
        const inner = (p as Sh.DblQuoted).Parts;
        partsAtoms(inner, { quoted: true, assign: false }, sc, fr, out, false);
        // `"$@"` with no parameters yields no field at all; any other quotes make one.
        if (!inner.some(isAt)) out.push({ text: '', glob: false, split: false, real: true });
        break;
      }
      case 'ParamExp':
        paramAtoms(p as Sh.ParamExp, mode.quoted, sc, fr, out, mode.joined === true);
        break;
      case 'CmdSubst': {
        const o = fr.walker.substitute(p as Sh.CmdSubst, sc, fr);
        // Output only numbers (`$(wc -l < f)`): given, not code for arithmetic (arith.ts).
        if (o === null) out.push(numericOutput(p as Sh.CmdSubst) ? { ...unknownAtom(), given: true } : unknownAtom());
        else out.push({ text: trimNewlines(o), glob: !mode.quoted, split: !mode.quoted, real: mode.quoted });
        break;
      }
      case 'ProcSubst':
        fr.walker.substitute(p as Sh.ProcSubst, sc, fr);
        out.push({ text: '/dev/fd/63', glob: false, split: false, real: true });
        break;
      case 'ExtGlob':
        out.push({ text: fr.src.of(p), glob: !mode.quoted, split: false, real: true });
        break;
      default:
        // Arithmetic and anything else: value unknown, but substitutions inside still run.
        fr.walker.nested(p, sc, fr);
        // `$(( ))` is a number: given, like the user's own values, so it is not code when bash
        // evaluates it again (arith.ts) and not an unknown file name.
        out.push(p.type === 'ArithmExp' ? { ...unknownAtom(), given: true } : unknownAtom());
    }
  }
}

function isAt(p: Node): boolean {
  if (p.type !== 'ParamExp') return false;
  const pe = p as Sh.ParamExp;
  return pe.Param?.Value === '@' && !pe.Exp && !pe.Length && !pe.Excl && !pe.Slice && !pe.Repl && !pe.Index;
}

/** Unquoted literal: tilde prefixes, then quote removal (`\x` is a quoted x). */
function litAtoms(v: string, assign: boolean, atStart: boolean, more: boolean, sc: Scope, out: Item[]): void {
  let rest = v;
  if (atStart) {
    const named = /^[A-Za-z_][A-Za-z0-9_]*=/.exec(rest);
    if (named && rest.charAt(named[0].length) === '~') {
      // `of=~/x`: bash expands a tilde after the `=` of an assignment-like argument.
      pushLit(named[0], out);
      rest = rest.slice(named[0].length);
      rest = tilde(rest, more, assign, sc, out);
    } else {
      rest = tilde(rest, more, assign, sc, out);
    }
  }
  if (!assign) {
    pushLit(rest, out);
    return;
  }
  // Assignment values: a tilde also expands after each `:` (PATH=~/bin:~/x).
  const segs = rest.split(':');
  for (let i = 0; i < segs.length; i++) {
    if (i > 0) pushLit(':', out);
    pushLit(i > 0 ? tilde(segs[i]!, more && i === segs.length - 1, true, sc, out) : segs[i]!, out);
  }
}

/** Expands a leading tilde prefix into `out`; returns the rest of the literal. */
function tilde(s: string, more: boolean, assign: boolean, sc: Scope, out: Item[]): string {
  if (!s.startsWith('~')) return s;
  const slash = s.search(assign ? /[/:]/ : /\//);
  if (slash < 0 && more) return s; // `~"/x"`: the prefix runs into quotes, no expansion
  const user = s.slice(1, slash < 0 ? undefined : slash);
  if (user.includes('\\')) return s;
  let home: string;
  if (user === '') home = valOr(sc.get('HOME'));
  else if (user === '+') home = sc.cwd;
  else if (user === '-') home = valOr(sc.get('OLDPWD'));
  else if (/^[A-Za-z0-9._][A-Za-z0-9._-]*$/.test(user)) {
    // `~me` and `~root`: the user database's home. A name /etc/passwd lacks stays as written in
    // bash, unless another user database knows it: unknown, with the written text as alternative.
    const h = userHome(user);
    home = h ?? U;
    if (h === null) {
      out.push({ text: U, glob: false, split: false, real: true, alts: [`~${user}`] });
      return s.slice(1 + user.length);
    }
  } else home = U;
  // After `source FILE`, HOME is unknown yet most likely still the account's home.
  const alts = user === '' && home.includes(U) ? sc.alts('HOME') : undefined;
  out.push(alts ? { text: home, glob: false, split: false, real: true, alts } : { text: home, glob: false, split: false, real: true });
  return s.slice(1 + user.length);
}

function valOr(v: string | symbol): string {
  return typeof v === 'string' ? v : U;
}

function pushLit(s: string, out: Item[]): void {
  let run = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      if (run) out.push({ text: run, glob: true, split: false, real: true });
      run = '';
      out.push({ text: s[++i]!, glob: false, split: false, real: true });
    } else {
      run += c;
    }
  }
  if (run) out.push({ text: run, glob: true, split: false, real: true });
}

/** Inside double quotes a backslash only escapes $ ` " \ and newline. */
export function unescapeDouble(s: string): string {
  return s.includes('\\') ? s.replace(/\\([$`"\\\n])/g, (_, c: string) => (c === '\n' ? '' : c)) : s;
}

/** Field splitting on IFS whitespace, then fields of atoms. */
export function toFields(items: Item[], ifs: string): Atom[][] {
  const fields: Atom[][] = [];
  let cur: Atom[] = [];
  let real = false;
  for (const it of items) {
    if (it === BREAK) {
      fields.push(cur);
      cur = [];
      real = false;
      continue;
    }
    if (!it.split) {
      cur.push(it);
      real ||= it.real || it.text !== '';
      continue;
    }
    let buf = '';
    for (const ch of it.text) {
      if (ifs.includes(ch)) {
        if (buf) {
          cur.push({ ...it, text: buf, split: false });
          real = true;
        }
        buf = '';
        if (real) {
          fields.push(cur);
          cur = [];
          real = false;
        }
      } else {
        buf += ch;
      }
    }
    if (buf) {
      cur.push({ ...it, text: buf, split: false });
      real = true;
    }
  }
  if (real) fields.push(cur);
  return fields;
}

function ifsOf(sc: Scope): string {
  const v = sc.get('IFS');
  return typeof v === 'string' && !v.includes(U) ? v : ' \t\n';
}

/** An argument from a field: its text, and a glob pattern when unquoted glob syntax remains. */
export function toArg(f: Atom[], literal: string): Arg {
  let text = '';
  let glob = false;
  for (const a of f) {
    text += a.text;
    if (a.glob && /[*?[(]/.test(a.text)) glob = true;
  }
  const alts = altTexts(f);
  const given = leadGiven(f) ? { given: true } : {};
  if (alts) return { text, literal, alts, ...given };
  if (!glob || text.includes(U)) return { text, literal, ...given };
  const pattern = f.map((a) => (a.glob ? a.text : escapeGlob(a.text))).join('');
  return hasMagic(pattern) ? { text, literal, pattern } : { text, literal };
}

/** Command substitution drops trailing newlines (a loop: a regex here could backtrack). */
export function trimNewlines(s: string): string {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === 10) e--;
  return s.slice(0, e);
}
