// A small lexer for the scripting languages whose code the guard reads (Python, JavaScript,
// Perl, Ruby, PHP): comments are dropped, string literals decoded, and interpolated strings
// (f-strings, template strings, "$var" and "#{expr}") kept as literal parts and holes. Nothing
// else of the grammar is needed: paths are found from literals and the calls around them
// (resolve.ts). A string that never ends runs to the end of the text (the code would not run,
// so nothing is lost by reading it generously).

export type Lang = 'python' | 'js' | 'perl' | 'ruby' | 'php';

/** A hole in an interpolated string: the expression text between its delimiters. */
export interface Hole {
  expr: string;
}
export type Part = string | Hole;

export type Token =
  | { k: 'str'; parts: Part[]; at: number; shell?: boolean }
  | { k: 'id'; v: string; at: number }
  | { k: 'num'; v: string; at: number }
  | { k: 'p'; v: string; at: number };

const ID_START = /[A-Za-z_$@%]/;
const ID = /[A-Za-z0-9_]/;
const PY_PREFIX = /^(?:[rRbBuUfF]{1,2})$/;
const BRACKETS: Record<string, string> = { '(': ')', '[': ']', '{': '}', '<': '>' };

const ESC: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', a: '\x07', b: '\b', f: '\f', v: '\v', e: '\x1b' };

/** Decodes one backslash escape at s[i] (the char after `\`); returns [text, next index]. */
function escape(s: string, i: number, quote: string): [string, number] {
  const c = s[i];
  if (c === undefined) return ['\\', i];
  if (c === 'x' && /^[0-9a-fA-F]{2}/.test(s.slice(i + 1, i + 3))) return [String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16)), i + 3];
  if (c === 'u' && /^[0-9a-fA-F]{4}/.test(s.slice(i + 1, i + 5))) return [String.fromCharCode(parseInt(s.slice(i + 1, i + 5), 16)), i + 5];
  if (c === 'u' && s[i + 1] === '{') {
    const end = s.indexOf('}', i);
    const cp = parseInt(s.slice(i + 2, end), 16);
    if (end > 0 && Number.isFinite(cp) && cp <= 0x10ffff) return [String.fromCodePoint(cp), end + 1];
  }
  if (/[0-7]/.test(c) && /^[0-7]{1,3}/.test(s.slice(i))) {
    const m = /^[0-7]{1,3}/.exec(s.slice(i))![0];
    return [String.fromCharCode(parseInt(m, 8) & 0xff), i + m.length];
  }
  if (c === '\n') return ['', i + 1];
  if (ESC[c] !== undefined) return [ESC[c]!, i + 1];
  if (c === quote || c === '\\' || c === '"' || c === "'" || c === '`' || c === '$' || c === '{' || c === '}' || c === '/') return [c, i + 1];
  return [`\\${c}`, i + 1];
}

/** Index of the bracket closing the one opened before `i` (nesting counted, strings skipped roughly). */
function closing(s: string, i: number, open: string, close: string): number {
  let depth = 1;
  for (let k = i; k < s.length; k++) {
    const c = s[k];
    if (c === '\\') k++;
    else if (c === open && open !== close) depth++;
    else if (c === close && --depth === 0) return k;
  }
  return s.length;
}

interface StrSpec {
  /** Backslash escapes are decoded. */
  esc: boolean;
  /** Only `\\` and `\<quote>` are escapes (Perl/Ruby/PHP single quotes). */
  minimal?: boolean;
  /** Interpolation style. */
  interp?: 'brace' | 'dollar-brace' | 'hash-brace' | 'sigil';
  /** Triple-quoted (Python). */
  triple?: boolean;
}

/** Reads a string body from s[i] to the closing delimiter; returns [parts, next index]. */
function body(s: string, i: number, open: string, close: string, spec: StrSpec): [Part[], number] {
  const parts: Part[] = [];
  let cur = '';
  let depth = 1;
  const end = spec.triple ? close.repeat(3) : close;
  for (let k = i; k < s.length; ) {
    if (s.startsWith(end, k) && (open === close || --depth === 0)) {
      if (cur) parts.push(cur);
      return [parts, k + end.length];
    }
    const c = s[k]!;
    if (open !== close && c === open) depth++;
    if (c === '\\' && spec.esc) {
      if (spec.minimal) {
        const n = s[k + 1];
        if (n === '\\' || n === close || n === open) {
          cur += n;
          k += 2;
        } else {
          cur += c;
          k++;
        }
        continue;
      }
      const [t, next] = escape(s, k + 1, close);
      cur += t;
      k = next;
      continue;
    }
    const hole = spec.interp ? holeAt(s, k, spec.interp) : undefined;
    if (hole) {
      if (cur) parts.push(cur);
      cur = '';
      parts.push({ expr: hole[0] });
      k = hole[1];
      continue;
    }
    cur += c;
    k++;
  }
  if (cur) parts.push(cur);
  return [parts, s.length];
}

/** An interpolation starting at s[k]: [expression text, next index]. */
function holeAt(s: string, k: number, style: NonNullable<StrSpec['interp']>): [string, number] | undefined {
  const c = s[k];
  if (style === 'brace') {
    if (c === '{' && s[k + 1] === '{') return undefined;
    if (c !== '{') return undefined;
    const end = closing(s, k + 1, '{', '}');
    return [s.slice(k + 1, end).replace(/(?:![rsa])?(?::[^{}]*)?$/, ''), end + 1];
  }
  if (style === 'dollar-brace' || style === 'hash-brace') {
    const lead = style === 'dollar-brace' ? '$' : '#';
    if (c !== lead || s[k + 1] !== '{') return undefined;
    const end = closing(s, k + 2, '{', '}');
    return [s.slice(k + 2, end), end + 1];
  }
  // Perl/PHP: $name, ${name}, {$expr}, $h{key}, $a['k'], $o->p, @list.
  if (c === '{' && s[k + 1] === '$') {
    const end = closing(s, k + 1, '{', '}');
    return [s.slice(k + 1, end), end + 1];
  }
  if ((c === '$' || c === '@') && /[A-Za-z_{:]/.test(s[k + 1] ?? '')) {
    let e = k + 1;
    if (s[e] === '{') e = closing(s, e + 1, '{', '}') + 1;
    else while (e < s.length && /[A-Za-z0-9_:]/.test(s[e]!)) e++;
    while (s[e] === '{' || s[e] === '[' || (s[e] === '-' && s[e + 1] === '>' && /[A-Za-z_{[]/.test(s[e + 2] ?? ''))) {
      if (s[e] === '-') e += 2;
      if (s[e] === '{' || s[e] === '[') {
        const open = s[e]!;
        e = closing(s, e + 1, open, BRACKETS[open]!) + 1;
      } else while (e < s.length && /[A-Za-z0-9_]/.test(s[e]!)) e++;
    }
    return [s.slice(k, e), e];
  }
  return undefined;
}

/** Tokens of `code` in `lang`; bounded by the caller's size limit on `code`. */
export function lex(code: string, lang: Lang): Token[] {
  const out: Token[] = [];
  const s = code;
  let i = 0;
  const prev = (): Token | undefined => out[out.length - 1];
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    // Comments.
    if ((c === '#' && lang !== 'js' && !(lang === 'perl' && prev()?.k === 'id' && (prev() as { v: string }).v === '$')) || (c === '/' && s[i + 1] === '/' && (lang === 'js' || lang === 'php'))) {
      if (lang === 'php' && c === '#' && s[i + 1] === '[') {
        i++;
        continue;
      }
      // A line comment ends at any line terminator the language knows: Python's lone CR, and
      // JavaScript's CR, U+2028 and U+2029 too (the code after it runs). Taken for every language:
      // ending a comment early only shows more text as code.
      const m = /[\n\r\u2028\u2029]/.exec(s.slice(i));
      i = m ? i + m.index + 1 : s.length;
      continue;
    }
    if (c === '/' && s[i + 1] === '*' && (lang === 'js' || lang === 'php')) {
      const e = s.indexOf('*/', i + 2);
      i = e < 0 ? s.length : e + 2;
      continue;
    }
    if (lang === 'perl' && c === '=' && (i === 0 || s[i - 1] === '\n') && /^=[a-z]/.test(s.slice(i, i + 2))) {
      const e = s.indexOf('\n=cut', i);
      i = e < 0 ? s.length : e + 5;
      continue;
    }
    // Strings.
    const str = stringAt(s, i, lang);
    if (str) {
      out.push({ k: 'str', parts: str[0], at: i, ...(str[2] ? { shell: true } : {}) });
      i = str[1];
      continue;
    }
    if (/[0-9]/.test(c)) {
      let e = i + 1;
      while (e < s.length && /[0-9A-Za-z_.]/.test(s[e]!)) e++;
      out.push({ k: 'num', v: s.slice(i, e), at: i });
      i = e;
      continue;
    }
    if (ID_START.test(c) && (c !== '%' && c !== '@' ? true : lang === 'perl' && /[A-Za-z_]/.test(s[i + 1] ?? ''))) {
      let e = i + 1;
      while (e < s.length && (ID.test(s[e]!) || (lang === 'perl' && s[e] === ':' && s[e + 1] === ':' && ++e))) e++;
      // Ruby predicates and bang methods (`exist?`, `write!`).
      if (lang === 'ruby' && (s[e] === '?' || s[e] === '!') && s[e + 1] !== '=') e++;
      out.push({ k: 'id', v: s.slice(i, e), at: i });
      i = e;
      continue;
    }
    const two = s.slice(i, i + 2);
    if (['->', '=>', '==', '!=', '<=', '>=', '&&', '||', '::', '**', '//', '+=', '.=', '<<', '>>'].includes(two)) {
      out.push({ k: 'p', v: two, at: i });
      i += 2;
      continue;
    }
    out.push({ k: 'p', v: c, at: i });
    i++;
  }
  return out;
}

/** A string literal at s[i]: [parts, next index, runs a shell]; undefined when none starts there. */
function stringAt(s: string, i: number, lang: Lang): [Part[], number, boolean] | undefined {
  const c = s[i]!;
  if (lang === 'python') {
    const m = /^([rRbBuUfF]{0,2})(['"])/.exec(s.slice(i, i + 3));
    if (!m || (m[1] && !PY_PREFIX.test(m[1])) || (m[1] && i > 0 && ID.test(s[i - 1]!))) return undefined;
    const q = m[2]!;
    const start = i + m[0].length;
    const triple = s.startsWith(q + q, start);
    const raw = /[rR]/.test(m[1]!);
    const f = /[fF]/.test(m[1]!);
    const [parts, next] = body(s, triple ? start + 2 : start, q, q, { esc: !raw, triple, ...(f ? { interp: 'brace' } : {}) });
    return [parts, next, false];
  }
  if (c === "'") {
    const [parts, next] = body(s, i + 1, "'", "'", lang === 'js' ? { esc: true } : { esc: true, minimal: true });
    return [parts, next, false];
  }
  if (c === '"') {
    const interp = lang === 'ruby' ? 'hash-brace' : lang === 'js' ? undefined : 'sigil';
    const [parts, next] = body(s, i + 1, '"', '"', { esc: true, ...(interp ? { interp } : {}) });
    return [parts, next, false];
  }
  if (c === '`') {
    const interp = lang === 'js' ? 'dollar-brace' : lang === 'ruby' ? 'hash-brace' : 'sigil';
    const [parts, next] = body(s, i + 1, '`', '`', { esc: true, interp });
    // Backquotes run a shell in Perl, Ruby and PHP; in JavaScript a tag (`$\`cmd\`` in Bun) does.
    const tag = lang === 'js' ? /(?:\$|\bsh|\bexeca|\bzx)\s*$/.test(s.slice(Math.max(0, i - 8), i)) : true;
    return [parts, next, tag];
  }
  if (lang === 'perl' && /[qm]/.test(c) && (i === 0 || !/[A-Za-z0-9_$@%>-]/.test(s[i - 1]!))) {
    const m = /^(qq|qw|qx|q)\s*([^\sA-Za-z0-9_,;)])/.exec(s.slice(i, i + 8));
    if (!m) return undefined;
    const open = m[2]!;
    const close = BRACKETS[open] ?? open;
    const start = i + m[0].length;
    const interp = m[1] === 'qq' || m[1] === 'qx';
    const [parts, next] = body(s, start, open, close, interp ? { esc: true, interp: 'sigil' } : { esc: true, minimal: true });
    if (m[1] === 'qw') return [parts, next, false];
    return [parts, next, m[1] === 'qx'];
  }
  if (lang === 'ruby' && c === '%' && /^%[qQwWx]?[([{<|!\/]/.test(s.slice(i, i + 3))) {
    const kind = /[qQwWx]/.test(s[i + 1]!) ? s[i + 1]! : 'Q';
    const open = s[i + (kind === s[i + 1] ? 2 : 1)]!;
    const close = BRACKETS[open] ?? open;
    const start = i + (kind === s[i + 1] ? 3 : 2);
    const interp = kind === 'Q' || kind === 'W' || kind === 'x';
    const [parts, next] = body(s, start, open, close, interp ? { esc: true, interp: 'hash-brace' } : { esc: true, minimal: true });
    return [parts, next, kind === 'x'];
  }
  if ((lang === 'perl' || lang === 'ruby' || lang === 'php') && s.startsWith('<<', i)) {
    // Heredocs: <<'EOF', <<"EOF", <<EOF, <<~EOF, <<-EOF (Ruby), <<<EOF (PHP).
    const m = /^<<<?[~-]?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(s.slice(i, i + 80));
    if (!m) return undefined;
    const nl = s.indexOf('\n', i);
    if (nl < 0) return undefined;
    const endRe = new RegExp(`^[ \\t]*${m[2]};?[ \\t]*$`, 'm');
    const rest = s.slice(nl + 1);
    const e = endRe.exec(rest);
    const text = e ? rest.slice(0, e.index) : rest;
    const interp = m[1] !== "'";
    const [parts] = body(text, 0, '\u0000', '\u0000', interp ? { esc: true, interp: lang === 'ruby' ? 'hash-brace' : 'sigil' } : { esc: false });
    // The heredoc's body is skipped; the rest of the opening line is lexed on.
    return [parts, e ? nl + 1 + e.index + e[0].length : s.length, false];
  }
  return undefined;
}
