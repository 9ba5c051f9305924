// Brace expansion (`{a,b}`, `{1..3}`, `{a..e..2}`, nested), done before any other expansion
// as in bash: on the unquoted, unescaped `{`, `,` and `}` of a word's literal parts. A brace
// with no comma and no valid sequence stays literal (`{x}`, `{}`), as does an unclosed one.
import { GuardError } from '../../types.js';
import type { Lit, Node, Word } from './ast.js';

type Tok = 'open' | 'comma' | 'close' | Node;
type Item = { k: 'node'; n: Node } | { k: 'alt'; opts: Item[][] } | { k: 'seq'; vals: () => string[]; count: number };

const lit = (v: string): Lit => ({ type: 'Lit', Value: v });
const MAX_NESTING = 64;

/** The part lists of every word `w` expands to; throws GuardError past `max` words. */
export function braceAlternatives(w: Word, max: number): Node[][] {
  if (!w.Parts.some((p) => p.type === 'Lit' && (p as Lit).Value.includes('{'))) return [w.Parts];
  const toks = tokenize(w.Parts);
  const items: Item[] = [];
  let i = 0;
  while (i < toks.length) {
    const r = seq(toks, i, false, 0);
    items.push(...r.items);
    i = r.i;
  }
  const n = count(items, max);
  if (n > max) throw new GuardError(`shell brace expansion makes more than ${max} words`, 'shell');
  return expand(items);
}

function tokenize(parts: Node[]): Tok[] {
  const toks: Tok[] = [];
  for (const p of parts) {
    if (p.type !== 'Lit') {
      toks.push(p);
      continue;
    }
    const v = (p as Lit).Value;
    let text = '';
    for (let i = 0; i < v.length; i++) {
      const c = v[i]!;
      if (c === '\\' && i + 1 < v.length) {
        text += c + v[++i]!;
      } else if (c === '{' || c === ',' || c === '}') {
        if (text) toks.push(lit(text));
        text = '';
        toks.push(c === '{' ? 'open' : c === ',' ? 'comma' : 'close');
      } else {
        text += c;
      }
    }
    if (text) toks.push(lit(text));
  }
  return toks;
}

/** Items up to a `,` or `}` of the enclosing group (inGroup), or to the end. */
function seq(toks: Tok[], i: number, inGroup: boolean, depth: number): { items: Item[]; i: number; stop: 'comma' | 'close' | 'end' } {
  const items: Item[] = [];
  while (i < toks.length) {
    const t = toks[i]!;
    if (t === 'open') {
      // Bounded: unclosed nested braces would otherwise cost quadratic copying.
      if (depth >= MAX_NESTING) throw new GuardError('shell brace expansion nested too deeply', 'shell');
      const g = group(toks, i + 1, depth + 1);
      items.push(...g.items);
      i = g.i;
    } else if (t === 'comma' || t === 'close') {
      if (inGroup) return { items, i, stop: t };
      items.push({ k: 'node', n: lit(t === 'comma' ? ',' : '}') });
      i++;
    } else {
      items.push({ k: 'node', n: t });
      i++;
    }
  }
  return { items, i, stop: 'end' };
}

/** A group after its `{`: the items it stands for, and the index after it. */
function group(toks: Tok[], i: number, depth: number): { items: Item[]; i: number } {
  const opts: Item[][] = [];
  for (;;) {
    const r = seq(toks, i, true, depth);
    opts.push(r.items);
    i = r.i;
    if (r.stop === 'end') return { items: literal(opts, false), i }; // never closed
    i++;
    if (r.stop === 'close') break;
  }
  if (opts.length >= 2) return { items: [{ k: 'alt', opts }], i };
  const s = sequence(opts[0]!);
  return { items: s ? [s] : literal(opts, true), i };
}

function literal(opts: Item[][], closed: boolean): Item[] {
  const out: Item[] = [{ k: 'node', n: lit('{') }];
  opts.forEach((o, j) => {
    if (j > 0) out.push({ k: 'node', n: lit(',') });
    out.push(...o);
  });
  if (closed) out.push({ k: 'node', n: lit('}') });
  return out;
}

const RANGE = /^(?:([-+]?\d{1,15})\.\.([-+]?\d{1,15})|([A-Za-z])\.\.([A-Za-z]))(?:\.\.([-+]?\d{1,15}))?$/;

/** `{1..5}`, `{05..10..2}`, `{a..e}`: only from plain literal text. */
function sequence(items: Item[]): Item | null {
  let text = '';
  for (const it of items) {
    if (it.k !== 'node' || it.n.type !== 'Lit' || !('Value' in it.n)) return null;
    text += (it.n as Lit).Value;
  }
  const m = RANGE.exec(text);
  if (!m) return null;
  const step = Math.abs(parseInt(m[5] ?? '1', 10)) || 1;
  if (m[1] !== undefined) {
    const a = parseInt(m[1], 10);
    const z = parseInt(m[2]!, 10);
    const n = Math.floor(Math.abs(z - a) / step) + 1;
    const pad = /^[-+]?0\d/.test(m[1]) || /^[-+]?0\d/.test(m[2]!) ? Math.max(m[1].length, m[2]!.length) : 0;
    const dir = z >= a ? 1 : -1;
    return { k: 'seq', count: n, vals: () => Array.from({ length: n }, (_, i) => padNum(a + dir * i * step, pad)) };
  }
  const a = m[3]!.charCodeAt(0);
  const z = m[4]!.charCodeAt(0);
  const n = Math.floor(Math.abs(z - a) / step) + 1;
  const dir = z >= a ? 1 : -1;
  return { k: 'seq', count: n, vals: () => Array.from({ length: n }, (_, i) => String.fromCharCode(a + dir * i * step)) };
}

function padNum(n: number, width: number): string {
  const s = String(Math.abs(n)).padStart(width - (n < 0 ? 1 : 0), '0');
  return n < 0 ? `-${s}` : s;
}

/** Number of words, saturating just past `max`. */
function count(items: Item[], max: number): number {
  let n = 1;
  for (const it of items) {
    let k = 1;
    if (it.k === 'seq') k = it.count;
    else if (it.k === 'alt') {
      k = 0;
      for (const o of it.opts) k = Math.min(k + count(o, max), max + 1);
    }
    n = Math.min(n * k, max + 1);
  }
  return n;
}

function expand(items: Item[]): Node[][] {
  let acc: Node[][] = [[]];
  for (const it of items) {
    if (it.k === 'node') {
      for (const a of acc) a.push(it.n);
      continue;
    }
    const options: Node[][] = it.k === 'seq' ? it.vals().map((v) => [lit(v)]) : it.opts.flatMap((o) => expand(o));
    acc = acc.flatMap((a) => options.map((o) => [...a, ...o]));
  }
  return acc;
}
