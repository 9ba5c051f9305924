// The value-changing parameter operators on a known value, as bash computes them: trimming
// (`#`, `##`, `%`, `%%`), replacement (`/`, `//`, `/#`, `/%`), case (`^`, `^^`, `,`, `,,`) and
// substrings (`:off:len`). Patterns are bash patterns (`*` matches `/` here, unlike pathnames),
// matched by a small NFA over the pattern's tokens: O(value x pattern) per position, no
// backtracking, and every match is counted against a work bound (over it: unknown).
// Anything this file does not handle returns undefined and the caller treats the word as unknown.

/** One pattern token: a literal character, `?`, `*`, or a bracket expression. */
export type Tok = { k: 'c'; c: string } | { k: '?' } | { k: '*' } | { k: 'set'; neg: boolean; test: (c: string) => boolean };

/** Longest value and pattern the operators are computed for (beyond: unknown, never slow). */
const MAX_VALUE = 4096;
const MAX_TOKENS = 256;

/**
 * Tokens of a pattern given as pieces: `glob` pieces keep their special characters (unquoted
 * text), the others are literal. undefined for what is not handled (extglob, character classes).
 */
export function patternTokens(pieces: { text: string; glob: boolean }[], extLiteral = false): Tok[] | undefined {
  const out: Tok[] = [];
  for (const p of pieces) {
    if (!p.glob) {
      for (const c of p.text) out.push({ k: 'c', c });
      continue;
    }
    const s = [...p.text];
    for (let i = 0; i < s.length; i++) {
      const c = s[i]!;
      if (c === '\\' && i + 1 < s.length) out.push({ k: 'c', c: s[++i]! });
      else if (c === '*') {
        if (out[out.length - 1]?.k !== '*') out.push({ k: '*' });
      } else if (c === '?') {
        if (s[i + 1] === '(' && !extLiteral) return undefined; // extglob ?(…)
        out.push({ k: '?' });
      } else if ((c === '@' || c === '+' || c === '!') && s[i + 1] === '(' && !extLiteral) return undefined;
      else if (c === '[') {
        const set = bracket(s, i);
        if (set === null) return undefined;
        if (set === 'literal') out.push({ k: 'c', c });
        else {
          out.push(set.tok);
          i = set.end;
        }
      } else out.push({ k: 'c', c });
    }
  }
  return out.length > MAX_TOKENS ? undefined : out;
}

/** A bracket expression at s[i] === '['; 'literal' when it is not one; null when not handled. */
function bracket(s: string[], i: number): { tok: Tok; end: number } | 'literal' | null {
  let j = i + 1;
  let neg = false;
  if (s[j] === '!' || s[j] === '^') {
    neg = true;
    j++;
  }
  const ranges: [string, string][] = [];
  let first = true;
  for (; j < s.length; j++) {
    const c = s[j]!;
    if (c === ']' && !first) {
      return { tok: { k: 'set', neg, test: (x) => ranges.some(([a, b]) => x >= a && x <= b) }, end: j };
    }
    first = false;
    if (c === '[' && s[j + 1] === ':') {
      const end = s.indexOf(':', j + 2);
      const cls = end > 0 && s[end + 1] === ']' ? CLASSES[s.slice(j + 2, end).join('')] : undefined;
      if (!cls) return null;
      ranges.push(...cls);
      j = end + 1;
      first = false;
      continue;
    }
    if (c === '[' && (s[j + 1] === '=' || s[j + 1] === '.')) return null;
    let lo = c;
    if (c === '\\' && j + 1 < s.length) lo = s[++j]!;
    if (s[j + 1] === '-' && s[j + 2] !== undefined && s[j + 2] !== ']') {
      let hi = s[j + 2]!;
      j += 2;
      if (hi === '\\' && j + 1 < s.length) hi = s[++j]!;
      ranges.push([lo, hi]);
    } else ranges.push([lo, lo]);
  }
  return 'literal';
}

/** POSIX classes in the C locale. */
const CLASSES: Record<string, [string, string][]> = {
  alpha: [['a', 'z'], ['A', 'Z']], digit: [['0', '9']], alnum: [['a', 'z'], ['A', 'Z'], ['0', '9']],
  upper: [['A', 'Z']], lower: [['a', 'z']], space: [[' ', ' '], ['\t', '\r']], blank: [[' ', ' '], ['\t', '\t']],
  xdigit: [['0', '9'], ['a', 'f'], ['A', 'F']], punct: [['!', '/'], [':', '@'], ['[', '`'], ['{', '~']],
};

function matchOne(t: Tok, c: string): boolean {
  if (t.k === 'c') return t.c === c;
  if (t.k === '?') return true;
  if (t.k === 'set') return t.test(c) !== t.neg;
  return false;
}

/** Counts matching work; throws Over past the bound. */
export class Work {
  n = 0;
  constructor(readonly max: number) {}
  add(k: number): void {
    this.n += k;
    if (this.n > this.max) throw OVER;
  }
}
const OVER = new Error('parameter pattern work bound');

/** Lengths L such that toks match chars[from, from+L), ascending. */
function matchLens(toks: Tok[], chars: string[], from: number, work: Work): number[] {
  const p = toks.length;
  let cur = new Uint8Array(p + 1);
  cur[0] = 1;
  close(toks, cur);
  const lens: number[] = [];
  if (cur[p]) lens.push(0);
  for (let i = from; i < chars.length; i++) {
    work.add(p + 1);
    const next = new Uint8Array(p + 1);
    let any = false;
    for (let k = 0; k < p; k++) {
      if (!cur[k]) continue;
      const t = toks[k]!;
      if (t.k === '*') {
        next[k] = 1;
        any = true;
      } else if (matchOne(t, chars[i]!)) {
        next[k + 1] = 1;
        any = true;
      }
    }
    if (!any) break;
    close(toks, next);
    cur = next;
    if (cur[p]) lens.push(i - from + 1);
  }
  return lens;
}

/** A `*` may match nothing: its state also stands at the token after it. */
function close(toks: Tok[], st: Uint8Array): void {
  for (let k = 0; k < toks.length; k++) if (st[k] && toks[k]!.k === '*') st[k + 1] = 1;
}

export type Trim = '#' | '##' | '%' | '%%';

/** `${v#p}` and the other trims. */
export function trim(v: string, toks: Tok[], op: Trim, work: Work): string | undefined {
  const chars = [...v];
  if (chars.length > MAX_VALUE) return undefined;
  try {
    if (op === '#' || op === '##') {
      const lens = matchLens(toks, chars, 0, work);
      if (lens.length === 0) return v;
      return chars.slice(op === '#' ? lens[0]! : lens[lens.length - 1]!).join('');
    }
    const lens = matchLens([...toks].reverse(), [...chars].reverse(), 0, work);
    if (lens.length === 0) return v;
    return chars.slice(0, chars.length - (op === '%' ? lens[0]! : lens[lens.length - 1]!)).join('');
  } catch (e) {
    if (e === OVER) return undefined;
    throw e;
  }
}

/** `${v/p/r}` (all: `//`; anchor `#` at the start, `%` at the end); `&` in r is not handled (undefined). */
export function replace(v: string, toks: Tok[], rep: string, all: boolean, anchor: '' | '#' | '%', work: Work): string | undefined {
  const chars = [...v];
  if (chars.length > MAX_VALUE) return undefined;
  try {
    if (anchor === '#') {
      const lens = matchLens(toks, chars, 0, work);
      return lens.length === 0 ? v : rep + chars.slice(lens[lens.length - 1]!).join('');
    }
    if (anchor === '%') {
      for (let s = 0; s <= chars.length; s++) {
        if (matchLens(toks, chars, s, work).includes(chars.length - s)) return chars.slice(0, s).join('') + rep;
      }
      return v;
    }
    if (toks.length === 0) return v; // an empty pattern replaces nothing
    let out = '';
    let s = 0;
    while (s <= chars.length) {
      const lens = s < chars.length || toks.every((t) => t.k === '*') ? matchLens(toks, chars, s, work) : [];
      const longest = lens[lens.length - 1];
      if (longest === undefined || longest === 0) {
        if (longest === 0 && s === 0 && !all) return rep + v; // only `*`-like patterns match empty
        if (longest === 0) return undefined;
        if (s < chars.length) out += chars[s];
        s++;
        continue;
      }
      out += rep;
      s += longest;
      if (!all) return out + chars.slice(s).join('');
    }
    return out;
  } catch (e) {
    if (e === OVER) return undefined;
    throw e;
  }
}

/** `${v^p}`, `${v^^p}`, `${v,p}`, `${v,,p}` (an empty pattern is `?`). */
export function caseOf(v: string, toks: Tok[], upper: boolean, all: boolean, work: Work): string | undefined {
  const chars = [...v];
  if (chars.length > MAX_VALUE) return undefined;
  const pat = toks.length === 0 ? [{ k: '?' } as Tok] : toks;
  try {
    return chars.map((c, i) => {
      if (!all && i > 0) return c;
      if (!matchLens(pat, [c], 0, work).includes(1)) return c;
      return upper ? c.toUpperCase() : c.toLowerCase();
    }).join('');
  } catch (e) {
    if (e === OVER) return undefined;
    throw e;
  }
}

/** `${v:off}` / `${v:off:len}` with integers (negative offset counts from the end). */
export function slice(v: string, off: number, len: number | undefined): string | undefined {
  const chars = [...v];
  if (chars.length > MAX_VALUE) return undefined;
  const n = chars.length;
  const start = off < 0 ? n + off : off;
  if (start < 0 || start > n) return '';
  if (len === undefined) return chars.slice(start).join('');
  const end = len < 0 ? n + len : start + len;
  if (end < start) return undefined; // bash: an error, the command does not run
  return chars.slice(start, end).join('');
}

/** An arithmetic word that is a plain integer (`1`, ` -2`, `(-2)`); undefined otherwise. */
export function plainInt(text: string): number | undefined {
  const m = /^\s*\(?\s*(-?\d{1,9})\s*\)?\s*$/.exec(text);
  return m ? Number(m[1]) : undefined;
}
