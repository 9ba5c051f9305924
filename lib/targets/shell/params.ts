// Parameter expansion: `$X`, `${X}`, positional parameters, `"$@"`, and the forms whose result
// follows from known values (`${X:-def}`, `${X-def}`, `${X:=def}`, `${X:+alt}`, `${#X}`, and
// through value-ops.ts `${X%/}`, `${X#*/}`, `${X/a/b}`, `${X^^}`, `${X:1:3}`, `${!X}`), on assigned
// and inherited values and on each known alternative of an unknown one. Anything else (arrays,
// `${X@Q}`, patterns the matcher does not handle) is unknown.
import type * as Sh from './ast.js';
import { U, type Frame } from './context.js';
import { shellParser } from './parse.js';
import { UNSET, type Scope } from './scope.js';
import { litOf } from './ast.js';
import { arrayItems } from './arrays.js';
import { intOf, valueOp } from './value-ops.js';
import { arithText, isInteger, nameText, valueParts } from './arith.js';
import { promptText, promptTransform } from './callbacks.js';
import { BREAK, givenParam, lookup, pushValue, unknownAtom, valueAtom } from './atoms.js';
import type { Item } from './types.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function paramAtoms(pe: Sh.ParamExp, quoted: boolean, sc: Scope, fr: Frame, out: Item[], joined = false): void {
  const name = pe.Param?.Value ?? '';
  // `${x@P}`: the value is expanded as a prompt, command substitutions included (callbacks.ts).
  // Positional parameters too (`${1@P}`, `"${@@P}"`).
  if (promptTransform(pe) && (NAME.test(name) || /^(\d+|@|\*)$/.test(name))) {
    const items = pe.Index ? arrayItems(sc, name) : undefined;
    const pos = name === '@' || name === '*' ? (sc.positional ? sc.positional.slice(1).join('\n') : U) : undefined;
    const v = pos ?? (pe.Index ? (items ? items.join('\n') : U) : lookup(name, sc));
    const lit = fr.src.of(pe);
    if (v !== UNSET) {
      valueParts(v, NAME.test(name) ? sc.alts(name) : undefined, givenParam(NAME.test(name) || pos === undefined ? name : '@', sc),
        (t) => promptText(t, sc, fr, '${…@P}', lit), () => promptText(U, sc, fr, '${…@P}', lit));
    }
  }
  // `${!a[@]}` of an indexed array whose elements are known: its keys, 0 to n-1.
  if (pe.Excl && pe.Index && NAME.test(name) && /^[@*]$/.test(pe.Index.type === 'Word' ? litOf(pe.Index as Sh.Word) : '') && !pe.Slice && !pe.Repl && !pe.Exp) {
    const items = arrayItems(sc, name);
    if (items) {
      if (quoted && litOf(pe.Index as Sh.Word) === '@') items.forEach((_, k) => { if (k > 0) out.push(BREAK); out.push(valueAtom(String(k), true)); });
      else out.push(valueAtom(items.map((_, k) => String(k)).join(' '), quoted));
      return;
    }
  }
  // `${!x}`: x's value names the variable; a subscript in it is expanded (arith.ts).
  if (pe.Excl && !pe.Index && !(pe as unknown as { Names?: number }).Names && NAME.test(name)) {
    const v = sc.get(name);
    const lit = fr.src.of(pe);
    if (v !== UNSET) valueParts(v, sc.alts(name), sc.given(name), (t) => nameText(t, sc, fr, lit), () => nameText(U, sc, fr, lit));
  }
  if (pe.Index && !pe.Excl && !pe.Slice && !pe.Repl && !pe.Exp && arrayAtoms(pe, name, quoted, sc, fr, out, joined)) return;
  if ((name === '@' || name === '*') && pe.Slice && !pe.Index && !pe.Excl && !pe.Repl && !pe.Exp && !pe.Length && positionalSlice(pe, name, quoted, sc, fr, out, joined)) return;
  if (valueOp(pe, quoted, sc, fr, out)) return;
  if (pe.Excl || pe.Index || pe.Slice || pe.Repl) {
    fr.walker.nested(pe, sc, fr); // `${a[$(cmd)]}`: the substitution still runs
    out.push(unknownAtom());
    return;
  }
  if (pe.Length) {
    const v = lookup(name, sc);
    out.push(valueAtom(typeof v === 'string' && v.includes(U) ? U : String(v === UNSET ? 0 : [...v].length), true));
    return;
  }
  if ((name === '@' || name === '*') && !pe.Exp) {
    positionalAtoms(name, quoted, sc, fr, out, joined);
    return;
  }
  const v = lookup(name, sc);
  const known = NAME.test(name) && typeof v === 'string' && v.includes(U) ? sc.alts(name) : undefined;
  const given = typeof v === 'string' && v.startsWith(U) && givenParam(name, sc);
  if (!pe.Exp) {
    pushValue(v, quoted, fr, out, known, given);
    return;
  }
  const { ops } = shellParser();
  const op = pe.Exp.Op as number;
  const alt: Item[] = [];
  // The alternative word is expanded even when unused: a substitution in it is analyzed anyway.
  fr.walker.expandParts(pe.Exp.Word?.Parts ?? [], { quoted, assign: false }, sc, fr, alt, false);
  const isDefault = op === ops.defUnset || op === ops.defNull || op === ops.assignUnset || op === ops.assignNull;
  const isAlt = op === ops.altUnset || op === ops.altNull;
  if (!isDefault && !isAlt) {
    out.push(unknownAtom()); // `?` checks, `@` transformations...
    return;
  }
  if (v === U) {
    // Set or not is unknown, so is the result; but each way it can go is an alternative.
    const altText = alt.map((a) => (a === BREAK ? ' ' : a.text)).join('');
    const colonOp = op === ops.defNull || op === ops.assignNull || op === ops.altNull;
    const ways = new Set<string>(isDefault ? [altText] : [altText, '']);
    for (const k of known ?? []) {
      const unset = k === '' && colonOp; // '' stands for unset; with ':' empty counts as unset too
      ways.add(isDefault ? (unset || k === '' ? altText : k) : (unset || k === '' ? '' : altText));
    }
    const atom = unknownAtom([...ways].filter((w) => !w.includes(U)));
    // `${OUT:-dist}`: unknown only as far as OUT is; the default is the command's own text.
    out.push(given && !altText.startsWith(U) ? { ...atom, given: true } : atom);
    // `${x:=text}`: x may now hold the default, which later uses (arithmetic, names) must see.
    if ((op === ops.assignUnset || op === ops.assignNull) && NAME.test(name)) {
      if (isInteger(fr, name)) arithText(altText, sc, fr, fr.src.of(pe));
      // Given from outside stays for the unknown part only (arith.ts valueParts checks the default).
      sc.set(name, U, [...ways].filter((w) => !w.includes(U)), given);
    }
    return;
  }
  const colon = op === ops.defNull || op === ops.assignNull || op === ops.altNull;
  const isSet = v !== UNSET && !(colon && v === '');
  if (isDefault) {
    if (isSet) {
      pushValue(v, quoted, fr, out, undefined, given);
      return;
    }
    for (const a of alt) out.push(a);
    if ((op === ops.assignUnset || op === ops.assignNull) && NAME.test(name)) {
      const text = alt.map((a) => (a === BREAK ? ' ' : a.text)).join('');
      if (isInteger(fr, name)) arithText(text, sc, fr, fr.src.of(pe));
      sc.set(name, text);
    }
    return;
  }
  if (isSet) for (const a of alt) out.push(a);
}

/** `${@:OFF:LEN}`, `${@: -1}`: a slice of the positional parameters (offset 0 is `$0`; a negative one counts from the last). */
function positionalSlice(pe: Sh.ParamExp, name: string, quoted: boolean, sc: Scope, fr: Frame, out: Item[], joined = false): boolean {
  const sl = pe.Slice as { Offset: Sh.Node | null; Length: Sh.Node | null };
  const all = sc.positional;
  const off = intOf(sl.Offset, sc, fr);
  const len = sl.Length ? intOf(sl.Length, sc, fr) : null;
  if (!all || off === undefined || len === undefined || (len !== null && len < 0)) return false;
  const start = off >= 0 ? off : all.length + off;
  if (start < (off >= 0 ? 0 : 1)) {
    out.push(valueAtom('', quoted));
    return true;
  }
  const params = all.slice(start, len === null ? undefined : start + len);
  for (const p of params) fr.run.grow(p.length);
  if (quoted && name === '@') {
    params.forEach((p, i) => {
      if (i > 0) out.push(BREAK);
      out.push({ text: p, glob: false, split: false, real: true });
    });
    return true;
  }
  out.push(valueAtom(params.join((quoted || joined) && name === '*' ? joiner(sc) : ' '), quoted));
  return true;
}

/** `$@`, `$*`, `"$@"` (one field per parameter), `"$*"` (one field). */
function positionalAtoms(name: string, quoted: boolean, sc: Scope, fr: Frame, out: Item[], joined = false): void {
  const params = sc.positional?.slice(1);
  if (!params) {
    out.push(sc.paramsGiven ? { ...unknownAtom(), given: true } : unknownAtom());
    return;
  }
  for (const p of params) fr.run.grow(p.length);
  if (quoted && name === '@') {
    params.forEach((p, i) => {
      if (i > 0) out.push(BREAK);
      out.push({ text: p, glob: false, split: false, real: true });
    });
    return;
  }
  out.push(valueAtom(params.join((quoted || joined) && name === '*' ? joiner(sc) : ' '), quoted));
}

/**
 * `${a[@]}`, `"${a[@]}"` (a field per element), `${a[*]}`, `${a[N]}`, `${#a[@]}` of an array whose
 * elements are known (arrays.ts). False when they are not: the caller makes the word unknown.
 */
function arrayAtoms(pe: Sh.ParamExp, name: string, quoted: boolean, sc: Scope, fr: Frame, out: Item[], joined = false): boolean {
  let index = pe.Index?.type === 'Word' ? litOf(pe.Index as Sh.Word) : '';
  // `${a[-1]}`, `${a[i]}`, `${a[1+1]}`: an index arithmetic can evaluate.
  if (!/^(@|\*|\d+)$/.test(index) && pe.Index) {
    const n = intOf(pe.Index as Sh.Node, sc, fr);
    if (n !== undefined) index = String(n);
  }
  if (!NAME.test(name) || !/^(@|\*|-?\d+)$/.test(index)) return false;
  const items = arrayItems(sc, name);
  if (!items) return false;
  // A negative index counts from the end (bash 4.3+); one before the start is an error (left unknown).
  if (index.startsWith('-')) {
    if (items.length + Number(index) < 0) return false;
    index = String(items.length + Number(index));
  }
  for (const p of items) fr.run.grow(p.length);
  const all = index === '@' || index === '*';
  if (pe.Length) {
    out.push(valueAtom(String(all ? items.length : [...(items[Number(index)] ?? '')].length), true));
    return true;
  }
  if (!all) {
    const v = items[Number(index)];
    pushValue(v === undefined ? UNSET : v, quoted, fr, out);
    return true;
  }
  if (quoted && index === '@') {
    items.forEach((p, i) => {
      if (i > 0) out.push(BREAK);
      out.push({ text: p, glob: false, split: false, real: true });
    });
    return true;
  }
  out.push(valueAtom(items.join((quoted || joined) && index === '*' ? joiner(sc) : ' '), quoted));
  return true;
}

/**
 * What `"$*"` and `"${a[*]}"` put between the items: the first character of IFS (`IFS=/;
 * "$*"` joins a path), a space when the command never set it or unset it, nothing when it is
 * empty, and a part not known when its value is not.
 */
function joiner(sc: Scope): string {
  const v = sc.assignedValue('IFS');
  if (v === undefined || v === UNSET) return ' ';
  return v.includes(U) ? U : v.slice(0, 1);
}
