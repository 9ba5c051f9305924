// A small backtracking matcher for the JavaScript regular expressions the redaction rules use, that
// COUNTS its steps. V8's engine backtracks the same way (it can only be faster, through
// optimizations), so a pattern whose counted steps grow faster than its input, or cost many steps
// per character, would do the same in V8. This lets tests bound pattern cost by counting, not timing.
//
// Supported: literals, escapes (\s \S \w \W \d \D \b \B \n \r \t \v \f \0 \xHH \uHHHH, escaped
// punctuation), classes, `.`, groups (capturing, `(?:`, named), alternation, greedy and lazy
// quantifiers, lookahead, one-character lookbehind, ^ and $ (no m flag), and the i flag.
// Anything else throws, so an unsupported construct cannot pass unnoticed.

type Pred = (c: string) => boolean;
type Node =
  | { t: 'char'; p: Pred }
  | { t: 'seq'; items: Node[] }
  | { t: 'alt'; alts: Node[] }
  | { t: 'rep'; body: Node; min: number; max: number; lazy: boolean; width1: boolean }
  | { t: 'look'; body: Node; behind: boolean; neg: boolean }
  | { t: 'assert'; kind: '^' | '$' | 'b' | 'B' };

const ALPHABET = [...Array.from({ length: 95 }, (_, k) => String.fromCharCode(32 + k)), '\n', '\t', '\r', '\0'];
const WORD: Pred = (c) => /\w/.test(c);
const ESC: Record<string, Pred> = {
  s: (c) => /\s/.test(c), S: (c) => !/\s/.test(c), w: WORD, W: (c) => !WORD(c), d: (c) => c >= '0' && c <= '9', D: (c) => !(c >= '0' && c <= '9'),
};
const CTRL: Record<string, string> = { n: '\n', r: '\r', t: '\t', v: '\v', f: '\f', '0': '\0' };

function parse(src: string, icase: boolean): Node {
  let i = 0;
  const fold = (p: Pred): Pred => (icase ? (c) => p(c) || p(c.toLowerCase()) || p(c.toUpperCase()) : p);
  function escapeChar(): string | Pred {
    const c = src[i++]!;
    if (ESC[c]) return ESC[c]!;
    if (CTRL[c] !== undefined) return CTRL[c]!;
    if (c === 'x') { const h = src.slice(i, i + 2); i += 2; return String.fromCharCode(parseInt(h, 16)); }
    if (c === 'u') { const h = src.slice(i, i + 4); i += 4; return String.fromCharCode(parseInt(h, 16)); }
    if (/[A-Za-z0-9]/.test(c)) throw new Error(`unsupported escape \\${c} in ${src}`);
    return c;
  }
  function cls(): Pred {
    const neg = src[i] === '^';
    if (neg) i++;
    const parts: Pred[] = [];
    let first = true;
    while (src[i] !== ']' || first) {
      first = false;
      if (i >= src.length) throw new Error(`unclosed class in ${src}`);
      let lo: string | Pred = src[i] === '\\' ? (i++, escapeChar()) : src[i++]!;
      if (typeof lo === 'string' && src[i] === '-' && src[i + 1] !== ']' && i + 1 < src.length) {
        i++;
        const hi = src[i] === '\\' ? (i++, escapeChar()) : src[i++]!;
        if (typeof hi !== 'string') throw new Error(`bad range in ${src}`);
        const [a, b] = [lo, hi];
        parts.push((c) => c >= a && c <= b);
        continue;
      }
      if (typeof lo === 'string') { const ch = lo; lo = (c) => c === ch; }
      parts.push(lo);
    }
    i++;
    const any = fold((c) => parts.some((p) => p(c)));
    return neg ? (c) => !any(c) : any;
  }
  function atom(): Node {
    const c = src[i]!;
    if (c === '(') {
      i++;
      let look: { behind: boolean; neg: boolean } | undefined;
      if (src.startsWith('?:', i)) i += 2;
      else if (src.startsWith('?=', i) || src.startsWith('?!', i)) { look = { behind: false, neg: src[i + 1] === '!' }; i += 2; }
      else if (src.startsWith('?<=', i) || src.startsWith('?<!', i)) { look = { behind: true, neg: src[i + 2] === '!' }; i += 3; }
      else if (src.startsWith('?<', i)) { i = src.indexOf('>', i) + 1; }
      else if (src[i] === '?') throw new Error(`unsupported group in ${src}`);
      const body = alt();
      if (src[i++] !== ')') throw new Error(`unclosed group in ${src}`);
      if (look) {
        if (look.behind && body.t !== 'char') throw new Error(`only one-character lookbehind is supported: ${src}`);
        return { t: 'look', body, ...look };
      }
      return body;
    }
    if (c === '[') { i++; return { t: 'char', p: cls() }; }
    if (c === '.') { i++; return { t: 'char', p: (x) => x !== '\n' && x !== '\r' && x !== '\u2028' && x !== '\u2029' }; }
    if (c === '^' || c === '$') { i++; return { t: 'assert', kind: c }; }
    if (c === '\\') {
      i++;
      if (src[i] === 'b' || src[i] === 'B') return { t: 'assert', kind: src[i++] as 'b' | 'B' };
      if (/[1-9k]/.test(src[i]!)) throw new Error(`backreferences are not allowed: ${src}`);
      const e = escapeChar();
      return { t: 'char', p: typeof e === 'string' ? fold((x) => x === e) : e };
    }
    i++;
    return { t: 'char', p: fold((x) => x === c) };
  }
  function quantified(): Node {
    const body = atom();
    let min: number;
    let max: number;
    const q = src[i];
    if (q === '*' || q === '+' || q === '?') { i++; [min, max] = q === '*' ? [0, Infinity] : q === '+' ? [1, Infinity] : [0, 1]; }
    else if (q === '{' && /^\{\d+(,\d*)?\}/.test(src.slice(i))) {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i))!;
      i += m[0].length;
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    } else return body;
    const lazy = src[i] === '?';
    if (lazy) i++;
    return { t: 'rep', body, min, max, lazy, width1: width1(body) };
  }
  function seq(): Node {
    const items: Node[] = [];
    while (i < src.length && src[i] !== '|' && src[i] !== ')') items.push(quantified());
    return items.length === 1 ? items[0]! : { t: 'seq', items };
  }
  function alt(): Node {
    const alts = [seq()];
    while (src[i] === '|') { i++; alts.push(seq()); }
    return alts.length === 1 ? alts[0]! : { t: 'alt', alts };
  }
  const node = alt();
  if (i !== src.length) throw new Error(`unexpected ${src[i]} in ${src}`);
  return node;
}

/** The one-character predicate of a width-1 node (lookarounds ignored: they only narrow it). */
function first(n: Node): Pred {
  if (n.t === 'char') return n.p;
  if (n.t === 'alt') return (c) => n.alts.some((a) => first(a)(c));
  if (n.t === 'seq') return first(n.items.find((x) => x.t !== 'look')!);
  return () => true;
}

/**
 * Whether every match of the node is exactly one character and no two alternatives can match the
 * same one: then a repetition of it can be iterated, and doing so counts what V8 does. (With
 * overlapping alternatives V8 would retry each, so those repetitions are matched recursively.)
 */
function width1(n: Node): boolean {
  if (n.t === 'char') return true;
  if (n.t === 'alt') {
    if (!n.alts.every(width1)) return false;
    const preds = n.alts.map(first);
    return [...ALPHABET, '\u00e9', '\u2028'].every((c) => preds.filter((p) => p(c)).length <= 1);
  }
  if (n.t === 'seq') return n.items.filter((x) => x.t !== 'look').length === 1 && n.items.every((x) => x.t === 'look' || width1(x));
  return false;
}

export interface StepCount {
  steps: number;
  matches: number;
}

/** Runs a global scan (as String.replace with a /g regex does) and counts matcher steps. */
export function countSteps(source: string, flags: string, text: string, limit = 50_000_000): StepCount {
  const root = parse(source, flags.includes('i'));
  let steps = 0;
  const tick = (): void => {
    if (++steps > limit) throw new Error(`step limit reached for ${source}`);
  };
  const isWord = (p: number): boolean => p >= 0 && p < text.length && WORD(text[p]!);
  function m(n: Node, p: number, k: (q: number) => boolean): boolean {
    tick();
    switch (n.t) {
      case 'char':
        return p < text.length && n.p(text[p]!) && k(p + 1);
      case 'seq': {
        const go = (j: number, q: number): boolean => (j === n.items.length ? k(q) : m(n.items[j]!, q, (r) => go(j + 1, r)));
        return go(0, p);
      }
      case 'alt':
        return n.alts.some((a) => m(a, p, k));
      case 'assert': {
        if (n.kind === '^') return p === 0 && k(p);
        if (n.kind === '$') return p === text.length && k(p);
        const edge = isWord(p - 1) !== isWord(p);
        return (n.kind === 'b' ? edge : !edge) && k(p);
      }
      case 'look': {
        let ok: boolean;
        if (n.behind) ok = p > 0 && m(n.body, p - 1, (q) => q === p);
        else ok = m(n.body, p, () => true);
        return ok !== n.neg && k(p);
      }
      case 'rep': {
        if (n.width1) {
          // Iterate: the positions the body can reach one character at a time, then try the rest.
          let end = p;
          const cap = Math.min(n.max, text.length - p);
          if (n.lazy) {
            for (let count = 0; ; count++) {
              if (count >= n.min && k(end)) return true;
              if (count >= cap || !m(n.body, end, (q) => q === end + 1)) return false;
              end++;
            }
          }
          while (end - p < cap && m(n.body, end, (q) => q === end + 1)) end++;
          for (let q = end; q - p >= n.min; q--) if (k(q)) return true;
          return false;
        }
        const go = (count: number, q: number): boolean => {
          const more = (): boolean => count < n.max && m(n.body, q, (r) => r > q && go(count + 1, r));
          const stop = (): boolean => count >= n.min && k(q);
          return n.lazy ? stop() || more() : more() || stop();
        };
        return go(0, p);
      }
    }
  }
  let matches = 0;
  for (let start = 0; start <= text.length; ) {
    let end = -1;
    m(root, start, (q) => ((end = q), true));
    if (end >= 0) {
      matches++;
      start = end > start ? end : start + 1;
    } else start++;
  }
  return { steps, matches };
}


/**
 * Text the pattern can (nearly) match, chosen by `rnd` (0 <= rnd() < 1): each repetition takes a
 * random count within its bounds (capped at 40), lookarounds are ignored. Used to build inputs that
 * drive a pattern deep before it fails.
 */
export function sampleText(source: string, flags: string, rnd: () => number): string {
  const root = parse(source, flags.includes('i'));
  const pick = <T>(xs: T[]): T | undefined => xs[Math.floor(rnd() * xs.length)];
  function gen(n: Node): string {
    switch (n.t) {
      case 'char': return pick(ALPHABET.filter(n.p)) ?? '';
      case 'seq': return n.items.map(gen).join('');
      case 'alt': return gen(pick(n.alts)!);
      case 'look': case 'assert': return '';
      case 'rep': {
        const hi = Math.min(n.max, n.min + 40);
        const count = n.min + Math.floor(rnd() * (hi - n.min + 1));
        let out = '';
        for (let j = 0; j < Math.min(count, 400); j++) out += gen(n.body);
        return out;
      }
    }
  }
  return gen(root);
}
