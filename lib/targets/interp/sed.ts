// sed scripts: `w FILE`, `W FILE` and the `w FILE` flag of `s///` write FILE (created even when
// nothing matches), `r`/`R` read, `e CMD` runs a shell command, and `e` alone or the `e` flag of
// `s///` runs text from the input (an unknown command). `-i` on the operands is the table's
// (commands.ts); scripts come from `-e`, `--expression`, `-f FILE` or the first operand.
import type { Arg } from '../shell/context.js';
import { U } from '../shell/context.js';
import { parseOpts, has, values } from '../shell/options.js';
import type { CodeCtx } from './load.js';
import { readScript } from './source.js';

export interface SedEffects {
  writes: string[];
  reads: string[];
  shells: string[];
  /** Text from the input runs as a command. */
  unknownExec: boolean;
}

/** Reads sed commands; on text it cannot follow, falls back to every `w`-like word it can see. */
export function sedEffects(script: string): SedEffects {
  const fx: SedEffects = { writes: [], reads: [], shells: [], unknownExec: false };
  const s = script;
  let i = 0;
  const toEol = (): string => {
    const nl = s.indexOf('\n', i);
    const end = nl < 0 ? s.length : nl;
    const out = s.slice(i, end);
    i = end;
    return out;
  };
  const skipBlank = (): void => {
    while (i < s.length && (s[i] === ' ' || s[i] === '\t')) i++;
  };
  const delimited = (d: string): boolean => {
    // Up to the unescaped delimiter; false when the text ends first.
    while (i < s.length) {
      const c = s[i]!;
      if (c === '\\') i += 2;
      else if (c === '\n' && d !== '\n') return false;
      else if (c === d) {
        i++;
        return true;
      } else i++;
    }
    return false;
  };
  const address = (): boolean => {
    if (/[0-9]/.test(s[i] ?? '')) {
      while (/[0-9~]/.test(s[i] ?? '')) i++;
    } else if (s[i] === '$') i++;
    else if (s[i] === '/' || s[i] === '\\') {
      const d = s[i] === '\\' ? s[++i]! : '/';
      i++;
      if (!delimited(d)) return false;
      while (s[i] === 'I' || s[i] === 'M') i++;
    }
    return true;
  };
  for (let guard = 0; i < s.length && guard < 1_000_000; guard++) {
    while (i < s.length && /[\s;}]/.test(s[i]!)) i++;
    if (i >= s.length) break;
    if (s[i] === '#') {
      toEol();
      continue;
    }
    if (!address()) return fallback(s);
    skipBlank();
    if (s[i] === ',') {
      i++;
      skipBlank();
      if (s[i] === '+' || s[i] === '~') i++;
      if (!address()) return fallback(s);
      skipBlank();
    }
    while (s[i] === '!' || s[i] === ' ') i++;
    const c = s[i++];
    if (c === undefined) break;
    if (c === '{') continue;
    if (c === ':' || c === 'b' || c === 't' || c === 'T' || c === 'v') {
      while (i < s.length && s[i] !== '\n' && s[i] !== ';') i++;
      continue;
    }
    if (c === 'a' || c === 'i' || c === 'c') {
      // Text to the end of the line, continued by a trailing backslash.
      for (;;) {
        const line = toEol();
        if (!line.endsWith('\\') || i >= s.length) break;
        i++;
      }
      continue;
    }
    if (c === 'r' || c === 'R' || c === 'w' || c === 'W') {
      skipBlank();
      const f = toEol();
      if (f !== '') (c === 'r' || c === 'R' ? fx.reads : fx.writes).push(f);
      continue;
    }
    if (c === 'e') {
      skipBlank();
      const cmd = toEol();
      if (cmd.trim() === '') fx.unknownExec = true;
      else fx.shells.push(cmd);
      continue;
    }
    if (c === 's' || c === 'y') {
      const d = s[i++];
      if (d === undefined || d === '\n' || d === '\\') return fallback(s);
      if (!delimited(d) || !delimited(d)) return fallback(s);
      if (c === 'y') continue;
      while (i < s.length && /[gpiImMe0-9]/.test(s[i]!)) {
        if (s[i] === 'e') fx.unknownExec = true;
        i++;
      }
      if (s[i] === 'w' || s[i] === 'W') {
        i++;
        skipBlank();
        const f = toEol();
        if (f !== '') fx.writes.push(f);
      }
      continue;
    }
    if (c === 'q' || c === 'Q' || c === 'l' || c === 'L') {
      skipBlank();
      while (/[0-9]/.test(s[i] ?? '')) i++;
      continue;
    }
    if ('=dDgGhHnNpPxzF'.includes(c)) continue;
    return fallback(s);
  }
  return fx;
}

/** A script the reader cannot follow: any word after a `w`/`W` command letter may be a file written. */
function fallback(s: string): SedEffects {
  const fx: SedEffects = { writes: [], reads: [], shells: [], unknownExec: /(^|[^\\])e\b/.test(s) };
  for (const m of s.matchAll(/[wW][ \t]*([^\n;]+)/g)) fx.writes.push(m[1]!.trim());
  fx.writes.push(U);
  return fx;
}

const SED = {
  arg: 'efl', optArg: 'i', long: ['expression', 'file', 'line-length'],
  flags: ['in-place', 'quiet', 'silent', 'regexp-extended', 'separate', 'null-data', 'zero-terminated', 'posix', 'debug', 'sandbox'],
};

export function sedScripts(name: string, args: Arg[], x: CodeCtx): void {
  const p = parseOpts(args, SED);
  // --sandbox refuses e/r/w: such a script fails before it writes anything.
  if (has(p, 'sandbox')) return;
  const scripts: string[] = values(p, 'e', 'expression').map((a) => a.text);
  for (const f of values(p, 'f', 'file')) {
    const text = f.text === '-' ? (typeof x.stdin === 'string' ? x.stdin : undefined) : readScript(x, f);
    if (text === 'missing') return; // sed stops before reading any input
    if (text === undefined) x.emit('write', { text: U, literal: f.literal, opaque: true }, `${name} script`, true);
    else scripts.push(text);
  }
  if (values(p, 'e', 'expression', 'f', 'file').length === 0 && p.operands[0]) scripts.push(p.operands[0].text);
  for (const script of scripts) {
    const fx = sedEffects(script);
    for (const w of fx.writes) x.emit('write', { text: w, literal: w === U ? script : w }, `${name} w`, w === U);
    for (const r of fx.reads) x.emit('read', { text: r, literal: r }, `${name} r`);
    for (const cmd of fx.shells) x.shell(cmd, `${name} e`);
    if (fx.unknownExec) x.emit('write', { text: U, literal: script, opaque: true }, `${name} e`, true);
  }
}

/** The entry load.ts requires for sed alone. */
export const codeCommand = sedScripts;
