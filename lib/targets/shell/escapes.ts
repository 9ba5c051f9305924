// Backslash escapes of bash: ANSI-C quoting ($'...'), `echo -e`, and `printf` formats.
// Single left-to-right passes: linear in the text.

export type Flavor = 'ansi' | 'echo' | 'b' | 'printf';

const SIMPLE: Record<string, string> = {
  a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\',
};

export interface Decoded {
  text: string;
  /** `echo -e`/`%b`/printf met `\c`: output stops here. */
  stop: boolean;
}

/**
 * Decodes backslash escapes as bash does for $'...' (`ansi`: a NUL ends the string), `echo -e`
 * (`echo`: octal only as \0NNN), printf's `%b` (`b`: \0NNN or \NNN) and printf formats
 * (`printf`: \NNN).
 */
export function decodeEscapes(s: string, flavor: Flavor): Decoded {
  let out = '';
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c !== '\\' || i + 1 >= s.length) {
      out += c;
      i++;
      continue;
    }
    const n = s[i + 1]!;
    i += 2;
    let code = -1;
    if (n in SIMPLE) {
      out += SIMPLE[n];
    } else if (n === "'" || n === '"' || n === '?') {
      out += flavor === 'ansi' || (flavor === 'printf' && n !== '?') ? n : `\\${n}`;
    } else if (n === 'c') {
      if (flavor !== 'ansi') return { text: out, stop: true };
      const ch = s[i];
      if (ch === undefined) {
        out += '\\c';
      } else {
        code = ch.charCodeAt(0) & 0x1f;
        i++;
      }
    } else if (n === 'x' || n === 'u' || n === 'U') {
      const m = digits(s, i, n === 'x' ? 2 : n === 'u' ? 4 : 8, 16);
      if (m === 0) {
        out += `\\${n}`;
      } else {
        code = parseInt(s.slice(i, i + m), 16);
        i += m;
      }
    } else if (n >= '0' && n <= '7') {
      // \0NNN for echo and %b; \NNN (three digits including this one) for the others.
      const zeroForm = n === '0' && (flavor === 'echo' || flavor === 'b');
      if (!zeroForm && flavor === 'echo') {
        out += `\\${n}`;
        continue;
      }
      const start = zeroForm ? i : i - 1;
      const m = digits(s, start, 3, 8);
      code = m === 0 ? 0 : parseInt(s.slice(start, start + m), 8) & 0xff;
      i = start + m;
    } else {
      out += `\\${n}`;
    }
    if (code >= 0) {
      if (code === 0 && flavor === 'ansi') return { text: out, stop: false };
      out += code > 0x10ffff ? '\ufffd' : String.fromCodePoint(code);
    }
  }
  return { text: out, stop: false };
}

function digits(s: string, from: number, max: number, radix: 8 | 16): number {
  let m = 0;
  while (m < max && from + m < s.length) {
    const ch = s[from + m]!;
    const ok = radix === 8 ? ch >= '0' && ch <= '7' : /[0-9a-fA-F]/.test(ch);
    if (!ok) break;
    m++;
  }
  return m;
}

/** `echo` output for its arguments (leading `-n`/`-e`/`-E` clusters are options, as in bash). */
export function echoOutput(args: string[]): string {
  let newline = true;
  let escapes = false;
  let k = 0;
  for (; k < args.length; k++) {
    const a = args[k]!;
    if (!/^-[neE]+$/.test(a)) break;
    for (const f of a.slice(1)) {
      if (f === 'n') newline = false;
      else escapes = f === 'e';
    }
  }
  let out = '';
  const rest = args.slice(k);
  for (let j = 0; j < rest.length; j++) {
    const piece = escapes ? decodeEscapes(rest[j]!, 'echo') : { text: rest[j]!, stop: false };
    out += (j > 0 ? ' ' : '') + piece.text;
    if (piece.stop) return out;
  }
  return newline ? `${out}\n` : out;
}

/**
 * `printf FORMAT ARGS...` output. Conversions print their argument as text (%b decodes escapes);
 * widths are ignored (they only add blanks). The format is reused while arguments remain;
 * past `max` characters the output is unknown (null).
 */
export function printfOutput(format: string, args: string[], max = Infinity): string | null {
  let out = '';
  let next = 0;
  const spec = /%([-+ #0]*)(\d*|\*)(?:\.(\d*|\*))?([a-zA-Z%])/y;
  const fmt = decodeEscapes(format, 'printf').text;
  for (;;) {
    const startNext = next;
    let i = 0;
    while (i < fmt.length) {
      const c = fmt[i]!;
      if (c !== '%') {
        out += c;
        i++;
        continue;
      }
      spec.lastIndex = i;
      const m = spec.exec(fmt);
      if (!m) {
        out += c;
        i++;
        continue;
      }
      i = spec.lastIndex;
      if (m[2] === '*') next++;
      if (m[3] === '*') next++;
      const conv = m[4]!;
      if (conv === '%') {
        out += '%';
        continue;
      }
      const arg = args[next++] ?? '';
      if (conv === 'b') {
        const d = decodeEscapes(arg, 'b');
        out += d.text;
        if (d.stop) return out;
      } else if (conv === 'c') {
        out += arg.slice(0, 1);
      } else {
        out += arg;
      }
    }
    if (next >= args.length || next === startNext) return out;
    if (out.length > max) return null; // a format reused for many arguments: too much to follow
  }
}
