// What script code does to a string it names before using it as a path: `'.ENV'.lower()`,
// `'.e'.concat('nv')`, `''.join(['.', 'env'])`, `'x.env'[2:]`, `'%s' % '.env'`. A literal
// followed by such an operation is not the name the code uses: the operations the guard can
// evaluate are evaluated; any other one on a known string makes the name unknown and the code
// "opaque" (its working directory unresolved), never the literal's own text judged as the name.
import { U } from '../shell/context.js';
import type { Resolver, Val } from './resolve.js';

/** Applies `f` to the known parts of a text (U parts stay unknown). */
export const known = (text: string, f: (s: string) => string): string => text.split(U).map(f).join(U);

const IDENTITY = new Set(['encode', 'decode', 'toString', 'valueOf', 'to_s', 'to_str', 'fspath', '__str__', 'normalize', 'freeze', 'dup', 'b']);
const LOWER = new Set(['lower', 'casefold', 'toLowerCase', 'toLocaleLowerCase', 'downcase']);
const UPPER = new Set(['upper', 'toUpperCase', 'toLocaleUpperCase', 'upcase']);
const TRIM = new Set(['strip', 'trim', 'chomp', 'squish']);
const TRIM_START = new Set(['lstrip', 'trimStart', 'trimLeft']);
const TRIM_END = new Set(['rstrip', 'trimEnd', 'trimRight']);
/** Methods on a string that give no name (a test, a count, a split list): the value is not a path. */
const NOT_A_NAME = new Set(['startswith', 'endswith', 'startsWith', 'endsWith', 'start_with?', 'end_with?', 'includes', 'include?',
  'count', 'find', 'index', 'rindex', 'indexOf', 'lastIndexOf', 'match', 'test', 'search', 'isdigit', 'isalpha', 'split', 'splitlines',
  'rsplit', 'partition', 'rpartition', 'length', 'size', 'empty?', 'charCodeAt', 'codePointAt', 'localeCompare', 'each_char', 'chars', 'bytes']);

/** Substitutes printf/format placeholders with the given texts in order (U when missing). */
export function fill(fmt: string, args: (string | undefined)[], style: 'percent' | 'brace'): string {
  let k = 0;
  const next = (): string => args[k++] ?? U;
  if (style === 'percent') return fmt.replace(/%%|%[-#0 +]*\d*(?:\.\d+)?[sdrifxa]/g, (m) => (m === '%%' ? '%' : next()));
  return fmt.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (m, inner: string | undefined) => {
    if (m === '{{') return '{';
    if (m === '}}') return '}';
    const n = /^(\d+)(?:[!:].*)?$/.exec(inner ?? '');
    if (n) return args[Number(n[1])] ?? U;
    return (inner ?? '') === '' || /^[!:]/.test(inner ?? '') ? next() : U;
  });
}

/** Text of an argument list's values, undefined for one the guard cannot read. */
function texts(r: Resolver, open: number): [(string | undefined)[], number, boolean] {
  const [args, end] = r.args(open);
  return [args.map((a) => (a && !a.text.includes(U) ? a.text : a?.text)), end, args.every((a) => a !== undefined)];
}

/** Items of a list literal `[a, b]` / `(a, b)` at `open` joined by `sep`; undefined when it is no list of values. */
function joinList(r: Resolver, open: number, sep: string): [string, number, boolean] | undefined {
  if (!r.isP(open, '[') && !r.isP(open, '(')) return undefined;
  const [items, end] = r.args(open);
  return [items.map((a) => a?.text ?? U).join(sep), end, items.some((a) => a?.known)];
}

/**
 * Operations after a string value (a literal, or a name bound to one): evaluated when the guard
 * can, else the value becomes unknown and `r.opaque` is set. Path objects (pathlib) are left to
 * the resolver's own postfix.
 */
export function stringOps(r: Resolver, v: Val): Val {
  let cur = v;
  for (let guard = 0; guard < 32; guard++) {
    const k = cur.e;
    // 'x.env'[2:], '.envx'[0:4]: a slice of known integers; any other subscript is unknown.
    if (r.isP(k, '[')) {
      const end = r.skipGroup(k);
      const inner = r.t.slice(k + 1, end - 1).map((t) => (t.k === 'str' ? '"' : t.v)).join('');
      const m = /^(-?\d+)?:(-?\d+)?(?::(-1)?)?$/.exec(inner);
      if (m && !cur.text.includes(U) && (m[3] === undefined || (m[1] === undefined && m[2] === undefined))) {
        const a = m[1] === undefined ? undefined : Number(m[1]);
        const b = m[2] === undefined ? undefined : Number(m[2]);
        // [::-1] reverses.
        cur = { ...cur, text: m[3] ? [...cur.text].reverse().join('') : cur.text.slice(a ?? 0, b), e: end };
        continue;
      }
      r.opaque = true;
      return { ...cur, text: U, known: false, e: end };
    }
    if (!r.isP(k, '.') || r.t[k + 1]?.k !== 'id') return cur;
    const m = (r.t[k + 1] as { v: string }).v;
    if (!r.isP(k + 2, '(')) {
      // Ruby calls without parentheses: ".ENV".downcase.
      if (r.lang !== 'ruby') return cur;
      if (IDENTITY.has(m)) cur = { ...cur, e: k + 2 };
      else if (LOWER.has(m)) cur = { ...cur, text: known(cur.text, (s) => s.toLowerCase()), e: k + 2 };
      else if (UPPER.has(m)) cur = { ...cur, text: known(cur.text, (s) => s.toUpperCase()), e: k + 2 };
      else if (TRIM.has(m) || TRIM_START.has(m) || TRIM_END.has(m)) cur = { ...cur, text: TRIM.has(m) ? cur.text.trim() : TRIM_START.has(m) ? cur.text.trimStart() : cur.text.trimEnd(), e: k + 2 };
      else if (m === 'reverse') cur = { ...cur, text: [...cur.text].reverse().join(''), e: k + 2 };
      else if (NOT_A_NAME.has(m)) return { ...cur, text: U, known: false, e: k + 2 };
      else {
        r.opaque = true;
        return { ...cur, text: U, known: false, e: k + 2 };
      }
      continue;
    }
    const open = k + 2;
    if (IDENTITY.has(m)) cur = { ...cur, e: r.skipGroup(open) };
    else if (LOWER.has(m)) cur = { ...cur, text: known(cur.text, (s) => s.toLowerCase()), e: r.skipGroup(open) };
    else if (UPPER.has(m)) cur = { ...cur, text: known(cur.text, (s) => s.toUpperCase()), e: r.skipGroup(open) };
    else if ((TRIM.has(m) || TRIM_START.has(m) || TRIM_END.has(m)) && r.isP(open + 1, ')')) {
      const f = TRIM.has(m) ? (s: string) => s.trim() : TRIM_START.has(m) ? (s: string) => s.trimStart() : (s: string) => s.trimEnd();
      cur = { ...cur, text: f(cur.text), e: open + 2 };
    } else if (m === 'concat') {
      const [args, end] = texts(r, open);
      cur = { ...cur, text: cur.text + args.map((a) => a ?? U).join(''), e: end, known: true };
    } else if (m === 'format') {
      const [args, end] = texts(r, open);
      cur = { ...cur, text: fill(cur.text, args, 'brace'), e: end };
    } else if (m === 'join' && !cur.pathish) {
      const list = joinList(r, open + 1, cur.text);
      if (!list || !r.isP(list[1], ')')) {
        // `', '.join(names)`: items the guard does not know; nothing it can name.
        return { ...cur, text: U, known: false, e: r.skipGroup(open) };
      }
      cur = { ...cur, text: list[0], e: list[1] + 1, known: list[2] };
    } else if (m === 'replace' || m === 'replaceAll' || m === 'sub' || m === 'gsub') {
      const [args, end] = texts(r, open);
      const [a, b] = args;
      if (args.length >= 2 && a !== undefined && b !== undefined && !a.includes(U) && !b.includes(U) && !cur.text.includes(U)) {
        // Python replace and JS replaceAll/Ruby gsub replace every one; JS replace and Ruby sub the first.
        const all = m === 'replaceAll' || m === 'gsub' || (m === 'replace' && r.lang === 'python');
        cur = { ...cur, text: all ? cur.text.split(a).join(b) : cur.text.replace(a, () => b), e: end };
      } else {
        r.opaque = true;
        return { ...cur, text: U, known: false, e: end };
      }
    } else if (NOT_A_NAME.has(m)) return { ...cur, text: U, known: false, e: r.skipGroup(open) };
    else {
      // A method the guard does not evaluate: what it returns is not the literal's text.
      if (cur.pathish) return cur;
      r.opaque = true;
      return { ...cur, text: U, known: false, e: r.skipGroup(open) };
    }
  }
  return cur;
}

/** `['.', 'env'].join('')` (JS): a list literal at `i` joined by a known separator. */
export function joinedList(r: Resolver, i: number): Val | undefined {
  const end = r.skipGroup(i);
  if (!r.isP(end, '.') || r.t[end + 1]?.k !== 'id' || (r.t[end + 1] as { v: string }).v !== 'join' || !r.isP(end + 2, '(')) return undefined;
  const sepTok = r.t[end + 3];
  const sep = r.isP(end + 3, ')') ? ',' : sepTok?.k === 'str' && r.isP(end + 4, ')') ? r.strText(sepTok.parts)[0] : undefined;
  const [items] = r.args(i);
  const text = items.map((a) => a?.text ?? U).join(sep ?? U);
  return { text, s: i, e: r.skipGroup(end + 2), known: items.some((a) => a?.known) };
}
