// Splitting of literal input into arguments: xargs' input items and `env -S` strings.
// Unknown parts (U) hold NUL characters, so they are masked while splitting.
import { U } from './context.js';

const MASK = '\uffff';
const mask = (s: string): string => (s.includes(U) ? s.split(U).join(MASK) : s);
const unmask = (s: string): string => (s.includes(MASK) ? s.split(MASK).join(U) : s);

/** Blank-separated words with '...', "..." and backslash quoting (xargs' default input format). */
export function splitWords(text: string): string[] {
  const s = mask(text);
  const out: string[] = [];
  let cur = '';
  let has = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\n') {
      if (has) out.push(unmask(cur));
      cur = '';
      has = false;
    } else if (c === "'" || c === '"') {
      const end = s.indexOf(c, i + 1);
      const stop = end < 0 ? s.length : end;
      cur += s.slice(i + 1, stop);
      has = true;
      i = stop;
    } else if (c === '\\' && i + 1 < s.length) {
      cur += s[++i];
      has = true;
    } else {
      cur += c;
      has = true;
    }
  }
  if (has) out.push(unmask(cur));
  return out;
}

export interface ItemMode {
  /** Delimiter for -0 / -d; undefined for the default quoted format. */
  delim?: string;
  /** -I / -L: one item per line. */
  lines?: boolean;
}

/** xargs input items. */
export function xargsItems(text: string, mode: ItemMode): string[] {
  if (mode.delim !== undefined) {
    const parts = mask(text).split(mode.delim).map(unmask);
    if (parts[parts.length - 1] === '') parts.pop();
    return parts;
  }
  if (mode.lines) {
    const out: string[] = [];
    for (const line of text.split('\n')) {
      const t = line.replace(/^[ \t]+/, '');
      if (t !== '') out.push(splitWords(t).join(' '));
    }
    return out;
  }
  return splitWords(text);
}

/** The delimiter character of `xargs -d`: a character or a C escape. */
export function delimiter(spec: string): string {
  const esc: Record<string, string> = { n: '\n', t: '\t', '0': '\0', '\\': '\\', r: '\r' };
  if (spec.startsWith('\\') && spec.length >= 2) {
    if (spec[1] === 'x') return String.fromCharCode(parseInt(spec.slice(2), 16) || 0);
    return esc[spec[1]!] ?? spec[1]!;
  }
  return spec.slice(0, 1) || '\n';
}
