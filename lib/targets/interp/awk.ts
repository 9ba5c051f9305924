// awk programs: output redirections of `print`/`printf` (`> FILE`, `>> FILE`) write, `| CMD`,
// `CMD | getline` and `system(CMD)` run shell text, `getline < FILE` reads. A redirection or
// command the guard cannot evaluate (built from fields or unknown variables) is unresolved.
// gawk's `-i inplace` writes the operands; `-o`/`-p`/`-d` write their output files.
import type { Arg } from '../shell/context.js';
import { U } from '../shell/context.js';
import type { CodeCtx } from './load.js';
import { readScript } from './source.js';
import { parseOpts, type OptSpec } from '../shell/options.js';

type Tok = { k: 'str' | 'id' | 'p' | 're' | 'num'; v: string };

const OPERAND_BEFORE = new Set(['(', ',', '{', ';', '\n', '~', '!~', '&&', '||', '!', '=', '==', '!=', 'in', 'print', 'printf', 'return', '?', ':']);

export function lexAwk(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\\' && s[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < s.length && s[i] !== '\n') i++;
      continue;
    }
    if (c === '"') {
      let v = '';
      i++;
      while (i < s.length && s[i] !== '"') {
        if (s[i] === '\\' && i + 1 < s.length) {
          const n = s[i + 1]!;
          v += n === 'n' ? '\n' : n === 't' ? '\t' : n === '/' || n === '"' || n === '\\' ? n : `\\${n}`;
          i += 2;
        } else v += s[i++];
      }
      i++;
      out.push({ k: 'str', v });
      continue;
    }
    const last = out[out.length - 1];
    if (c === '/' && (!last || (last.k === 'p' && OPERAND_BEFORE.has(last.v)) || (last.k === 'id' && OPERAND_BEFORE.has(last.v)))) {
      let e = i + 1;
      while (e < s.length && s[e] !== '/' && s[e] !== '\n') e += s[e] === '\\' ? 2 : 1;
      out.push({ k: 're', v: s.slice(i + 1, e) });
      i = e + 1;
      continue;
    }
    if (/[A-Za-z_]/.test(c)) {
      let e = i + 1;
      while (e < s.length && /[A-Za-z0-9_]/.test(s[e]!)) e++;
      out.push({ k: 'id', v: s.slice(i, e) });
      i = e;
      continue;
    }
    if (/[0-9.]/.test(c)) {
      let e = i + 1;
      while (e < s.length && /[0-9.eE]/.test(s[e]!)) e++;
      out.push({ k: 'num', v: s.slice(i, e) });
      i = e;
      continue;
    }
    const two = s.slice(i, i + 2);
    if (['>>', '>=', '<=', '==', '!=', '&&', '||', '!~', '++', '--', '+=', '-=', '|&'].includes(two)) {
      out.push({ k: 'p', v: two });
      i += 2;
      continue;
    }
    out.push({ k: 'p', v: c === '\n' ? '\n' : c });
    i++;
  }
  return out;
}

export interface AwkEffects {
  writes: string[];
  reads: string[];
  shells: string[];
}

/** What an awk program writes, reads and runs; `vars` are values known from `-v`. */
export function awkEffects(program: string, vars: Map<string, string>, getenv: (n: string) => string | undefined): AwkEffects {
  const t = lexAwk(program);
  const fx: AwkEffects = { writes: [], reads: [], shells: [] };
  const isP = (k: number, v: string): boolean => t[k]?.k === 'p' && t[k]!.v === v;
  // A string expression from k: juxtaposed strings, known variables, ENVIRON["X"], parentheses.
  const value = (k: number): [string, number] => {
    let s = '';
    let j = k;
    let depth = 0;
    for (; j < t.length; j++) {
      const x = t[j]!;
      if (x.k === 'p' && x.v === '(') {
        depth++;
        continue;
      }
      if (x.k === 'p' && x.v === ')') {
        if (depth === 0) break;
        depth--;
        continue;
      }
      if (x.k === 'str') s += x.v;
      else if (x.k === 'id' && x.v === 'ENVIRON' && isP(j + 1, '[') && t[j + 2]?.k === 'str' && isP(j + 3, ']')) {
        s += getenv(t[j + 2]!.v) ?? U;
        j += 3;
      } else if (x.k === 'id' && vars.has(x.v) && !isP(j + 1, '(')) s += vars.get(x.v)!;
      else if (x.k === 'p' && (x.v === ';' || x.v === '\n' || x.v === '}' || x.v === ',' || x.v === '|' || x.v === '>' || x.v === '>>') && depth === 0) break;
      else if (x.k === 'id' && (x.v === 'getline')) break;
      else {
        s += U;
        // Skip the rest of an unknown operand ($1, f(x), a[i]).
        if (x.k === 'p' && x.v === '$') j++;
      }
    }
    return [s.replace(new RegExp(`(?:${U})+`, 'g'), U), j];
  };
  for (let k = 0; k < t.length; k++) {
    const x = t[k]!;
    if (x.k === 'id' && (x.v === 'print' || x.v === 'printf')) {
      // Redirections at parenthesis depth 0 within the statement.
      let depth = 0;
      for (let j = k + 1; j < t.length; j++) {
        const y = t[j]!;
        if (y.k !== 'p') continue;
        if (y.v === '(') depth++;
        else if (y.v === ')') depth--;
        else if (depth <= 0 && (y.v === ';' || y.v === '\n' || y.v === '}')) break;
        else if (depth === 0 && (y.v === '>' || y.v === '>>' || y.v === '|' || y.v === '|&')) {
          const [v] = value(j + 1);
          (y.v.startsWith('|') ? fx.shells : fx.writes).push(v === '' ? U : v);
          break;
        }
      }
      continue;
    }
    if (x.k === 'id' && x.v === 'getline' && isP(k + 1, '<')) fx.reads.push(value(k + 2)[0] || U);
    if (x.k === 'p' && (x.v === '|' || x.v === '|&') && t[k + 1]?.k === 'id' && t[k + 1]!.v === 'getline') {
      // "cmd" | getline: the command is the expression before the bar.
      let j = k - 1;
      while (j >= 0 && (t[j]!.k === 'str' || t[j]!.k === 'id') && !(t[j]!.k === 'id' && ['print', 'printf', 'while', 'if'].includes(t[j]!.v))) j--;
      fx.shells.push(value(j + 1)[0] || U);
    }
    if (x.k === 'id' && x.v === 'system' && isP(k + 1, '(')) fx.shells.push(value(k + 2)[0] || U);
  }
  return fx;
}

/** gawk's options: values taken by -f/-E/-e/-v/-i/-l/-F/-W; -o/-p/-d take theirs only attached. */
const AWK_OPTS: OptSpec = {
  arg: 'fEevilFW', optArg: 'opd', posix: true,
  long: ['file', 'exec', 'source', 'assign', 'include', 'load', 'field-separator'],
  flags: ['pretty-print', 'profile', 'dump-variables', 'posix', 'traditional', 'lint', 'sandbox', 'version', 'help', 'characters-as-bytes', 'debug'],
};
const OUT_FILES: Record<string, string> = { o: 'awkprof.out', 'pretty-print': 'awkprof.out', p: 'awkprof.out', profile: 'awkprof.out', d: 'awkvars.out', 'dump-variables': 'awkvars.out' };

export function awk(name: string, args: Arg[], x: CodeCtx): void {
  const vars = new Map<string, string>();
  const programs: string[] = [];
  let inplace = false;
  // The shared parser: abbreviated long options (`--fi=prog.awk` is `--file`) and bundles count too.
  const p = parseOpts(args, AWK_OPTS);
  for (const { name: opt, value: v } of p.opts) {
    if (opt === 'f' || opt === 'file' || opt === 'E' || opt === 'exec') {
      if (!v) continue;
      const text = readScript(x, v);
      if (text === 'missing') return; // awk stops before running anything
      if (text === undefined) x.emit('write', { text: U, literal: v.literal, opaque: true }, `${name} program`, true);
      else programs.push(text);
    } else if (opt === 'e' || opt === 'source') {
      if (v) programs.push(v.text);
    } else if (opt === 'v' || opt === 'assign') {
      const m = v && /^([A-Za-z_]\w*)=(.*)$/s.exec(v.text);
      if (m) vars.set(m[1]!, m[2]!);
    } else if (opt === 'i' || opt === 'include' || opt === 'l' || opt === 'load') {
      if (v && /^inplace(?:\.awk)?$/.test(v.text)) inplace = true;
    } else if (OUT_FILES[opt]) {
      const file = v?.text || OUT_FILES[opt]!;
      x.emit('write', { text: file, literal: file }, name);
    }
  }
  let i = p.end;
  if (programs.length === 0) {
    const prog = args[i++];
    if (!prog) return;
    programs.push(prog.text);
  }
  for (const prog of programs) {
    const fx = awkEffects(prog, vars, x.getenv);
    for (const w of fx.writes) x.emit('write', { text: w, literal: w.includes(U) ? prog : w }, `${name} >`, w.includes(U) && w.split(U).join('') === '');
    for (const r of fx.reads) x.emit('read', { text: r, literal: r }, `${name} getline`);
    for (const cmd of fx.shells) {
      if (cmd.split(U).join('').trim() === '') x.emit('write', { text: U, literal: prog, opaque: true }, `${name} command`, true);
      else if (!x.shell(cmd, `${name} command`)) x.emit('write', { text: U, literal: cmd, opaque: true }, `${name} command`, true);
    }
  }
  for (const a of args.slice(i)) {
    if (/^[A-Za-z_]\w*=/.test(a.text) || a.text === '-') continue;
    x.emit(inplace ? 'write' : 'read', a, inplace ? `${name} -i inplace` : name);
  }
}
