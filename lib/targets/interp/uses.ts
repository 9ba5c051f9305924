// Uses of a value in script code: is every use of a path provably a read (`open(p)`, `open(p, 'rb')`,
// `readFileSync(p)`, `File.read(p)`, `open(F, '<', p)`, a name assigned once and only read), and
// which strings are handed to a shell (`os.system('...')`, `subprocess.run([...])`, backquotes).
import { U } from '../shell/context.js';
import type { Resolver } from './resolve.js';
import type { Lang } from './lex.js';

const STOP = new Set([';', '{', '}', '=', ':', '?', '&&', '||', '=>', 'and', 'or', 'if', 'return', 'not', '\n']);

/** The call around token s: [callee, argument index, index of its `(` or -1]. */
export function enclosing(r: Resolver, s: number): [string, number, number] | undefined {
  let commas = 0;
  let depth = 0;
  for (let k = s - 1; k >= 0; k--) {
    const x = r.t[k]!;
    if (x.k === 'p') {
      if (x.v === ')' || x.v === ']' || x.v === '}') depth++;
      else if (x.v === '(' || x.v === '[' || x.v === '{') {
        if (depth > 0) {
          depth--;
          continue;
        }
        if (x.v !== '(') return undefined;
        // Walk back over a dotted callee (`fs.readFileSync`, `File::Spec->catfile`), not past it.
        let j = k - 1;
        if (r.t[j]?.k !== 'id') return undefined;
        while (j >= 2 && r.t[j - 1]!.k === 'p' && ['.', '->', '::'].includes((r.t[j - 1] as { v: string }).v) && r.t[j - 2]!.k === 'id') j -= 2;
        const d = r.dotted(j);
        return d && d[1] === k ? [d[0], commas, k] : undefined;
      } else if (depth === 0 && x.v === ',') commas++;
      else if (depth === 0 && STOP.has(x.v)) {
        // A call without parentheses (Perl, Ruby): `open my $f, '<', 'x'`.
        const d = r.dotted(k + 1);
        return d && (r.lang === 'perl' || r.lang === 'ruby') ? [d[0], commas, -1] : undefined;
      }
    }
  }
  const d = r.dotted(0);
  return d && (r.lang === 'perl' || r.lang === 'ruby') ? [d[0], commas, -1] : undefined;
}

/** A string literal at k whose text is a mode: true when it only reads. */
export function readMode(r: Resolver, k: number): boolean | undefined {
  const x = r.t[k];
  if (!x || x.k !== 'str') return undefined;
  const m = x.parts.length === 1 && typeof x.parts[0] === 'string' ? x.parts[0] : undefined;
  if (m === undefined) return false;
  return !/[wax+>|]/.test(m);
}

/** Every use of the value spanning tokens [s, e) only reads it. */
export function readOnly(r: Resolver, s: number, e: number, depth = 0): boolean {
  if (depth > 4) return false;
  // A folder to work in (`cwd=D`, `{cwd: D}`, `os.chdir(D)`): entered, not written (chdirs.ts).
  const key = r.t[s - 2];
  if ((r.isP(s - 1, '=') || r.isP(s - 1, ':')) && key?.k === 'id' && /^(?:cwd|chdir)$/.test(key.v) && (r.isP(s - 3, ',') || r.isP(s - 3, '(') || r.isP(s - 3, '{'))) return true;
  // `p = '.env'`: every use of p only reads.
  if (r.isP(s - 1, '=') && r.t[s - 2]?.k === 'id') {
    const name = (r.t[s - 2] as { v: string }).v;
    const b = r.binds.get(name);
    if (!b || b.length !== 1) return false;
    let uses = 0;
    for (let k = 0; k < r.t.length; k++) {
      const x = r.t[k]!;
      if (k === s - 2 || x.k !== 'id' || x.v !== name) continue;
      if (r.isP(k - 1, '.') || r.isP(k - 1, '->')) continue;
      uses++;
      if (!readOnly(r, k, k + 1, depth + 1)) return false;
    }
    return uses > 0;
  }
  // Perl file tests: -e 'x', -f $p.
  if (r.lang === 'perl' && r.t[s - 1]?.k === 'id' && /^[edfrwxszl]$/.test((r.t[s - 1] as { v: string }).v) && r.isP(s - 2, '-')) return true;
  const p = r.p;
  // A read method right after the value: Path(p).read_text(), Bun.file(p).text().
  if (r.isP(e, '.') && r.t[e + 1]?.k === 'id') {
    const m = (r.t[e + 1] as { v: string }).v;
    if (p.readMethods.has(m)) {
      if (m !== 'open') return true;
      return !r.isP(e + 2, '(') || r.isP(e + 3, ')') || readMode(r, e + 3) === true;
    }
  }
  const call = enclosing(r, s);
  if (!call) return false;
  const [callee, index, open] = call;
  if (r.inSet(p.reads, callee)) return true;
  if (index === 0 && /(?:^|\.|->|::)f?chdir$/.test(callee)) return true;
  if (r.inSet(p.opens, callee)) {
    const end = open >= 0 ? r.skipGroup(open) - 1 : statementEnd(r, s);
    if (r.lang === 'perl') {
      // open(FH, '<', P), open(FH, '<P'), open(FH, 'P'); sysopen(FH, P, O_RDONLY).
      if (callee.endsWith('sysopen')) return r.t[e + 1]?.k === 'id' && (r.t[e + 1] as { v: string }).v === 'O_RDONLY' && e + 2 >= end;
      if (index === 2) return readMode(r, s - 2) === true || perlMode(r, s - 2) === '<';
      if (index === 1) {
        const x = r.t[s]!;
        const txt = x.k === 'str' && typeof x.parts[0] === 'string' ? x.parts[0] : '';
        return e === s + 1 && !/^\s*(?:[>+|]|-\s*$)/.test(txt) && !/\|\s*$/.test(txt);
      }
      return false;
    }
    if (index !== 0) return false;
    if (e >= end) return true;
    if (!r.isP(e, ',')) return false;
    // The mode: the next argument, or a `mode=`/`flags:` keyword.
    if (readMode(r, e + 1) !== undefined) return readMode(r, e + 1) === true && (r.isP(e + 2, ')') || r.isP(e + 2, ','));
    for (let k = e + 1; k < end; k++) {
      const x = r.t[k]!;
      if (x.k === 'id' && (x.v === 'mode' || x.v === 'flags' || x.v === 'flag') && (r.isP(k + 1, '=') || r.isP(k + 1, ':'))) return readMode(r, k + 2) === true;
    }
    // Other keyword arguments only (encoding=...): the default mode reads.
    return r.t[e + 1]?.k === 'id' && (r.isP(e + 2, '=') || r.isP(e + 2, ':'));
  }
  return false;
}

export function perlMode(r: Resolver, k: number): string | undefined {
  const x = r.t[k];
  if (!x || x.k !== 'str' || typeof x.parts[0] !== 'string') return undefined;
  return x.parts[0].trim().slice(0, 1);
}

export function statementEnd(r: Resolver, s: number): number {
  for (let k = s; k < r.t.length; k++) {
    const x = r.t[k]!;
    if (x.k === 'p' && (x.v === ';' || x.v === '}')) return k;
  }
  return r.t.length;
}

/** Shell text of calls that run a shell: a command string, or the argument list joined. */
export function shellCalls(r: Resolver, out: string[]): void {
  for (let i = 0; i < r.t.length; i++) {
    const x = r.t[i]!;
    if (x.k === 'str' && x.shell) {
      out.push(r.strText(x.parts)[0]);
      continue;
    }
    if (x.k !== 'id') continue;
    const d = r.dotted(i)!;
    const [name, k] = d;
    const last = name.split(/\.|->|::/).pop()!;
    const opener = (r.lang === 'perl' && last === 'open') || (r.lang === 'ruby' && PIPE_OPENS.test(name));
    if (!opener && !r.p.shells.test(`${last}(`)) continue;
    // `system "rm x"`, `exec q(rm x)`: Perl and Ruby call without parentheses, to the statement's end.
    const paren = r.isP(k, '(');
    // `system @a`, `system $cmd`, `exec { $a[0] } @a` (Perl, Ruby): a command the guard may not know, still run.
    const word = r.t[k]?.k === 'id' && /^[@$]/.test((r.t[k] as { v: string }).v);
    const block = r.lang === 'perl' && r.isP(k, '{') && (last === 'exec' || last === 'system');
    if (!paren && r.t[k]?.k !== 'str' && !word && !block && !(opener && r.lang === 'perl')) continue;
    const end = paren ? r.skipGroup(k) : statementEnd(r, k) + 1;
    if (opener) {
      pipeOpen(r, paren ? k + 1 : k, end - (paren ? 1 : 0), out);
      i = k;
      continue;
    }
    const argv: string[] = [];
    let m = paren ? k + 1 : k;
    // A command string and then options (`execSync(cmd, opts)`, `subprocess.run(cmd, shell=True, **kw)`):
    // the string is the whole command.
    const first = r.t[m]?.k === 'str' ? r.expr(m) : undefined;
    if (first && (ONE_STRING[r.lang].test(last) || (r.lang === 'python' && onlyOptions(r, r.nextArg(first.e, end), end)))) {
      out.push(first.text);
      i = k;
      continue;
    }
    while (m < end - 1) {
      if (r.isP(m, '[')) {
        const close = r.skipGroup(m);
        let n = m + 1;
        while (n < close - 1) {
          const v = r.expr(n);
          argv.push(v ? v.text : U);
          n = r.nextArg(v ? v.e : n, close);
        }
        m = r.nextArg(close, end);
        continue;
      }
      if (r.t[m]?.k === 'id' && (r.isP(m + 1, '=') || r.isP(m + 1, ':'))) {
        m = r.nextArg(m, end);
        continue;
      }
      // An options object or hash (`execSync(cmd, {cwd: d})`, Ruby's `system({"A"=>"1"}, cmd)`):
      // no word of the command (its folder is chdirs.ts's).
      if (r.isP(m, '{') && r.lang !== 'perl') {
        m = r.nextArg(r.skipGroup(m), end);
        continue;
      }
      const v = r.expr(m);
      argv.push(v ? v.text : U);
      m = r.nextArg(v ? v.e : m, end);
    }
    // Python's os.exec*/os.spawn*/os.posix_spawn*: [mode,] program, then the argv whose first word is only its name ($0).
    if (r.lang === 'python' && /^(?:exec[lv]p?e?|spawn[lv]p?e?|posix_spawnp?)$/.test(last)) {
      if (last.startsWith('spawn')) argv.shift();
      if (argv.length >= 2) argv.splice(1, 1);
    }
    if (argv.length === 1) out.push(argv[0]!);
    else if (argv.length > 1) out.push(argv.map(quote).join(' '));
    i = k;
  }
}

/**
 * Functions whose first argument, a string, is the whole shell command (what follows is options, a
 * callback or an output variable). Perl's and Ruby's `system`/`exec` take a list: argv.
 */
const ONE_STRING: Record<Lang, RegExp> = {
  js: /^(?:exec|execSync)$/, python: /^(?:system|popen|getoutput|getstatusoutput)$/, php: /^(?:exec|system|shell_exec|passthru|proc_open|popen)$/,
  perl: /^$/, ruby: /^$/,
};

/** Python arguments from `m` to the call's end are all keywords (`shell=True`) or `**kw` splats. */
function onlyOptions(r: Resolver, m: number, end: number): boolean {
  while (m < end - 1) {
    const kw = r.t[m]?.k === 'id' && r.isP(m + 1, '=');
    if (!kw && !r.isP(m, '**')) return false;
    m = r.nextArg(m, end);
  }
  return true;
}

/** Ruby's `open("|cmd")` and the IO class methods that take a name (a leading `|` runs a command). */
const PIPE_OPENS = /^(?:open|Kernel\.open|URI\.open|IO\.(?:read|readlines|foreach|write|binread|binwrite|open))$/;

/**
 * The command of an open that runs one: Perl's two-argument `open(F, "|cmd")`/`open(F, "cmd|")`
 * and three-or-more-argument `open(F, "|-", "cmd", ...)`/`open(F, "-|", ...)` (a list is argv,
 * not shell text); Ruby's `open("|cmd")`. Arguments run from `s` to `end` (exclusive).
 */
function pipeOpen(r: Resolver, s: number, end: number, out: string[]): void {
  const argv: string[] = [];
  let m = s;
  while (m < end && argv.length < 64) {
    const v = r.expr(m);
    argv.push(v ? v.text : U);
    m = r.nextArg(v ? v.e : m, end + 1);
  }
  if (r.lang === 'ruby') {
    const spec = argv[0]?.trimStart() ?? '';
    if (spec.startsWith('|') && spec.trim() !== '|-') out.push(spec.slice(1));
    return;
  }
  const mode = (argv[1] ?? '').replace(/:\S*/g, '').trim();
  if (argv.length === 2) {
    // `open(F, "-|")` alone forks (no command); the pipe at either end of the name runs the rest.
    if (mode === '-|' || mode === '|-') return;
    const spec = argv[1]!.trim();
    if (spec.startsWith('|')) out.push(spec.slice(1));
    else if (spec.endsWith('|')) out.push(spec.slice(0, -1));
    return;
  }
  if (argv.length > 2 && (mode === '|-' || mode === '-|')) {
    const cmd = argv.slice(2);
    out.push(cmd.length === 1 ? cmd[0]! : cmd.map(quote).join(' '));
  }
}

/** Shell quoting that keeps unknown parts (U) unknown. */
function quote(s: string): string {
  return `'${s.split("'").join("'\\''")}'`;
}
