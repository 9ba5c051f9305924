// Paths named by script code: string literals and the expressions the guard can evaluate
// without running anything (concatenation, path joins, the home directory, environment
// variables, names assigned once), each judged written unless every use of it is provably a
// read (`open(p)`, `readFileSync(p)`, `File.read(p)`...). Strings handed to a shell are shell
// text for the shell analysis. What the code builds out of sight (character codes, decoders,
// reflection) is reported as such, so the caller can mark the places it may reach unresolved.
import { U } from '../shell/context.js';
import { lex, type Lang, type Part, type Token } from './lex.js';
import { PROFILES, type Profile } from './langs.js';
import { enclosing, readOnly, shellCalls } from './uses.js';
import { fill, joinedList, known, stringOps } from './string-ops.js';
import { listings, type Listing } from './listings.js';
import { archiveCalls, type Extraction } from './archive-calls.js';
import { copyCalls, type Into } from './copy-calls.js';
import { aliasesOf } from './aliases.js';
import { shellRefs } from './shell-refs.js';
import { workDirs } from './chdirs.js';
import { unknownWriteCall } from './write-calls.js';

export interface Found {
  /** Path texts (absolute, `~`-free, or relative to the cwd; U for unknown parts) and whether only read. */
  paths: { text: string; read: boolean }[];
  /** Shell text the code runs. */
  shells: string[];
  /** Names are built in ways the guard cannot follow. */
  dynamic: boolean;
  /** The code refers to the home directory. */
  home: boolean;
  /** The code reads its command-line arguments. */
  argv: boolean;
  /** More names than the bound: the rest were not looked at. */
  truncated: boolean;
  /** Folders listed and glob patterns expanded: names the code gets from the file system. */
  listings: Listing[];
  /** Archives the code extracts (Python). */
  extractions: Extraction[];
  /** Destinations of copies and moves that may be folders: what lands beneath them. */
  into: Into[];
  /** Folders the code changes to, and gives the commands it starts (chdirs.ts). */
  dirs: { chdirs: string[]; cwds: string[] };
}

export interface ResolveOptions {
  home: string;
  getenv(name: string): string | undefined;
  /** Directory of the script file (`__file__`, `__dirname`), relative to the cwd or absolute. */
  scriptDir?: string;
  /** Most distinct paths reported. */
  maxPaths?: number;
}

export interface Val {
  text: string;
  /** Token range [start, end). */
  s: number;
  e: number;
  /** Holds at least one literal part or the home directory (a pure unknown is no path). */
  known: boolean;
  /** A pathlib-like object: `/` joins. */
  pathish?: boolean;
}

export function joinParts(parts: string[]): string {
  let out = '';
  for (const p of parts) {
    if (p === '') continue;
    if (p.startsWith('/')) out = p;
    else out = out === '' ? p : out.endsWith('/') ? out + p : `${out}/${p}`;
  }
  return out;
}

export class Resolver {
  readonly t: Token[];
  readonly p: Profile;
  readonly binds = new Map<string, number[]>();
  /** Names bound to a function of a module under another name (`{execSync: e}`, `import {x as y}`): alias -> function. */
  readonly aliases: ReadonlyMap<string, string>;
  private readonly values = new Map<string, Val | null>();
  homeRef = false;
  /** A known string went through an operation the guard does not evaluate (string-ops.ts). */
  opaque = false;
  /** String tokens evaluated into a value since the last reset. */
  used: number[] = [];

  constructor(readonly code: string, readonly lang: Lang, readonly o: ResolveOptions) {
    this.t = lex(code, lang);
    this.p = PROFILES[lang];
    this.aliases = aliasesOf(this.t, lang);
    for (let i = 0; i < this.t.length - 1; i++) {
      const a = this.t[i]!;
      const b = this.t[i + 1]!;
      if (a.k !== 'id' || b.k !== 'p' || !(b.v === '=' || b.v === '+=' || b.v === '.=')) continue;
      const before = this.t[i - 1];
      if (before && before.k === 'p' && (before.v === '.' || before.v === '->' || before.v === ',')) continue;
      const list = this.binds.get(a.v) ?? [];
      list.push(b.v === '=' ? i + 2 : -1);
      this.binds.set(a.v, list);
    }
  }

  tok(i: number): Token | undefined {
    return this.t[i];
  }
  isP(i: number, v: string): boolean {
    const x = this.t[i];
    return x !== undefined && x.k === 'p' && x.v === v;
  }

  /** A dotted name at i (`os.path.join`, `File::Spec->catfile`): [name, next index]. */
  dotted(i: number): [string, number] | undefined {
    const x = this.t[i];
    if (!x || x.k !== 'id') return undefined;
    // A bare alias of a function stands for the function (`e(...)` after `{execSync: e}`).
    let name = !this.isP(i - 1, '.') && this.isP(i + 1, '(') ? this.aliases.get(x.v) ?? x.v : x.v;
    let k = i + 1;
    while ((this.isP(k, '.') || this.isP(k, '->') || this.isP(k, '::')) && this.t[k + 1]?.k === 'id') {
      name += `${(this.t[k] as { v: string }).v === '.' ? '.' : (this.t[k] as { v: string }).v}${(this.t[k + 1] as { v: string }).v}`;
      k += 2;
    }
    return [name, k];
  }

  /** `name` or its last part is in the set (`os.path.join` as `join`). */
  inSet(s: ReadonlySet<string>, name: string): boolean {
    if (s.has(name)) return true;
    const last = name.split(/\.|->|::/).pop()!;
    return s.has(last);
  }

  /** Index after the bracket group opening at i. */
  skipGroup(i: number): number {
    const open = (this.t[i] as { v: string }).v;
    const close = open === '(' ? ')' : open === '[' ? ']' : '}';
    let depth = 0;
    for (let k = i; k < this.t.length; k++) {
      const x = this.t[k]!;
      if (x.k !== 'p') continue;
      if (x.v === open) depth++;
      else if (x.v === close && --depth === 0) return k + 1;
    }
    return this.t.length;
  }

  /** Arguments of the call whose `(` is at i: values (undefined for what is not a path) and the index after `)`. */
  args(i: number): [(Val | undefined)[], number] {
    const end = this.skipGroup(i);
    const out: (Val | undefined)[] = [];
    let k = i + 1;
    while (k < end - 1) {
      // Keyword arguments (`mode='w'`, `shell=True`) are not positional paths.
      if (this.t[k]?.k === 'id' && this.isP(k + 1, '=')) {
        k = this.nextArg(k, end);
        continue;
      }
      const v = this.expr(k);
      // A value followed by a method or subscript the guard did not evaluate (`Path(f).read_text()`,
      // `x.split()[0]`) is not that value.
      out.push(v && (this.isP(v.e, '.') || this.isP(v.e, '[')) ? undefined : v);
      k = this.nextArg(v ? v.e : k, end);
    }
    return [out, end];
  }

  /** Index after the next top-level comma before `end`. */
  nextArg(k: number, end: number): number {
    while (k < end - 1) {
      const x = this.t[k]!;
      if (x.k === 'p' && (x.v === '(' || x.v === '[' || x.v === '{')) {
        k = this.skipGroup(k);
        continue;
      }
      k++;
      if (x.k === 'p' && x.v === ',') return k;
    }
    return end;
  }

  /** A string literal's text; holes are evaluated as expressions of the language. */
  strText(parts: Part[]): [string, boolean] {
    let s = '';
    let known = false;
    for (const part of parts) {
      if (typeof part === 'string') {
        s += part;
        if (part !== '') known = true;
        continue;
      }
      const sub = new Resolver(part.expr, this.lang, this.o);
      const v = sub.t.length > 0 ? sub.expr(0) : undefined;
      if (sub.homeRef) this.homeRef = true;
      if (v && v.e === sub.t.length) {
        s += v.text;
        known ||= v.known;
      } else s += U;
    }
    return [s, known];
  }

  envName(i: number): [string, number] | undefined {
    // NAME['X'], NAME.get('X'), NAME('X'), NAME.X, NAME{X}, NAME{'X'}
    const x = this.t[i];
    const y = this.t[i + 1];
    if (x?.k === 'p' && (x.v === '[' || x.v === '(' || x.v === '{')) {
      if (y?.k === 'str' && y.parts.length <= 1) {
        const end = x.v === '(' ? this.skipGroup(i) : i + 3;
        return [typeof y.parts[0] === 'string' ? y.parts[0] : U, end];
      }
      if (x.v === '{' && y?.k === 'id' && this.isP(i + 2, '}')) return [y.v, i + 3];
    }
    if (x?.k === 'p' && x.v === '.' && y?.k === 'id') return [y.v, i + 2];
    return undefined;
  }

  getenv(name: string): string {
    if (name === 'HOME') {
      this.homeRef = true;
      return this.o.home;
    }
    return this.o.getenv(name) ?? U;
  }

  /** One term at i, or undefined when no path value starts there. */
  term(i: number, depth = 0): Val | undefined {
    const x = this.t[i];
    if (!x || depth > 16) return undefined;
    if (x.k === 'str') {
      this.used.push(i);
      let [text, known] = this.strText(x.parts);
      let e = i + 1;
      // Python and Ruby join adjacent literals: '.en' 'v' is '.env'.
      while ((this.lang === 'python' || this.lang === 'ruby') && this.t[e]?.k === 'str' && !(this.t[e] as { shell?: boolean }).shell) {
        const [more, k2] = this.strText((this.t[e] as { parts: Part[] }).parts);
        this.used.push(e);
        text += more;
        known ||= k2;
        e++;
      }
      // '%s/.ssh' % home, '%s' % ('a', 'b'): the values the guard can read fill the placeholders.
      if (this.isP(e, '%') && (this.lang === 'python' || this.lang === 'ruby')) {
        const r = this.isP(e + 1, '(') ? undefined : this.term(e + 1, depth + 1);
        const args = r ? [r.text] : this.isP(e + 1, '(') ? this.args(e + 1)[0].map((a) => a?.text) : [];
        text = fill(text, args, 'percent');
        e = r ? r.e : this.skipOperand(e + 1);
      }
      if (text.startsWith('~/') || text === '~') {
        this.homeRef = true;
      }
      return stringOps(this, { text, s: i, e, known });
    }
    // ['.', 'env'].join('') (JS): a list literal joined.
    if (x.k === 'p' && x.v === '[' && this.lang === 'js') {
      const before = this.t[i - 1];
      if (!before || !(before.k === 'id' || (before.k === 'p' && (before.v === ')' || before.v === ']')))) {
        const v = joinedList(this, i);
        if (v) return stringOps(this, v);
      }
    }
    if (x.k === 'p' && x.v === '(') {
      // Call parentheses belong to the call (`require('fs')`): only a group starts a term.
      const before = this.t[i - 1];
      if (before && (before.k === 'id' || (before.k === 'p' && (before.v === ')' || before.v === ']')))) return undefined;
      const inner = this.expr(i + 1, depth + 1);
      const end = this.skipGroup(i);
      return inner && inner.e === end - 1 ? { ...inner, s: i, e: end } : undefined;
    }
    if (x.k !== 'id') return undefined;
    let [name, k] = this.dotted(i)!;
    // require('os').homedir(), require('path').join(...): the module's own name.
    const mod = this.t[k + 1];
    if (name === 'require' && this.isP(k, '(') && mod?.k === 'str' && this.isP(k + 2, ')') && this.isP(k + 3, '.') && this.t[k + 4]?.k === 'id') {
      const rest = this.dotted(k + 4)!;
      name = `${this.strText(mod.parts)[0]}.${rest[0]}`;
      k = rest[1];
    }
    if (name === '__dirname' || name === '__DIR__') return { text: this.o.scriptDir ?? '.', s: i, e: k, known: true };
    if (/^(?:process\.cwd|os\.getcwd|Path\.cwd|Dir\.pwd|getcwd|Deno\.cwd)$/.test(name) && this.isP(k, '(')) {
      return { text: '.', s: i, e: this.skipGroup(k), known: true, pathish: true };
    }
    if (this.inSet(this.p.home, name) || /^(?:os\.homedir|homedir|Path\.home|Dir\.home)$/.test(name)) {
      this.homeRef = true;
      const e = this.isP(k, '(') ? this.skipGroup(k) : k;
      return this.postfix({ text: this.o.home, s: i, e, known: true, pathish: true });
    }
    if (this.inSet(this.p.env, name) || name === 'process.env' || name.startsWith('process.env.')) {
      if (name.startsWith('process.env.') || name.startsWith('Bun.env.')) {
        return { text: this.getenv(name.split('.').pop()!), s: i, e: k, known: name.endsWith('.HOME') };
      }
      const en = this.envName(k);
      if (en) return { text: this.getenv(en[0]), s: i, e: en[1], known: en[0] === 'HOME' };
      return undefined;
    }
    if (this.isP(k, '(') && (this.inSet(this.p.joins, name) || this.inSet(this.p.identity, name))) {
      const [args, end] = this.args(k);
      if (this.inSet(this.p.identity, name)) {
        const a = args[0];
        if (!a) return undefined;
        // os.path.expandvars('$HOME/.x'): `$NAME` and `${NAME}` are the environment's values.
        const text = name.endsWith('expandvars') ? known(a.text, (t) => t.replace(/\$(?:\{(\w+)\}|(\w+))/g, (m, b?: string, c?: string) => this.getenv(b ?? c!))) : a.text;
        return this.postfix({ ...this.tilde({ ...a, text }), s: i, e: end });
      }
      if (name.endsWith('join') && this.lang === 'php') return undefined;
      const parts = args.map((a) => (a ? this.tilde(a).text : U));
      return this.postfix({ text: joinParts(parts), s: i, e: end, known: args.some((a) => a?.known), pathish: true });
    }
    // A name assigned exactly once, to a value the guard can read.
    const b = this.binds.get(name);
    if (b && b.length === 1 && b[0]! >= 0 && k === i + 1) {
      const v = this.bound(name, b[0]!, depth);
      if (v) return v.pathish ? this.postfix({ ...v, s: i, e: k }) : stringOps(this, { ...v, s: i, e: k });
    }
    // `p.lower()` with p bound once to a string: the method applies to p's value.
    const b0 = k > i + 1 ? this.binds.get(x.v) : undefined;
    if (b0 && b0.length === 1 && b0[0]! >= 0 && this.isP(i + 1, '.')) {
      const v = this.bound(x.v, b0[0]!, depth);
      if (v && !v.pathish) return stringOps(this, { ...v, s: i, e: i + 1 });
    }
    return undefined;
  }

  private bound(name: string, at: number, depth: number): Val | undefined {
    if (this.values.has(name)) return this.values.get(name) ?? undefined;
    this.values.set(name, null); // a cycle reads as unknown
    let v = this.expr(at, depth + 1);
    // `p = Path(f).read_text().strip()`: a method the guard did not evaluate follows: not that value.
    if (v && (this.isP(v.e, '.') || this.isP(v.e, '['))) v = undefined;
    this.values.set(name, v ?? null);
    return v;
  }

  /** `~/x` as the home's `x`. */
  tilde(v: Val): Val {
    if (v.text === '~' || v.text.startsWith('~/')) {
      this.homeRef = true;
      return { ...v, text: this.o.home + v.text.slice(1) };
    }
    return v;
  }

  /** `.joinpath(...)`, `.parent`, `.expanduser()`, `/ 'x'` on a path object. */
  postfix(v: Val): Val {
    let cur = v;
    for (let guard = 0; guard < 64; guard++) {
      const k = cur.e;
      if (this.isP(k, '.') && this.t[k + 1]?.k === 'id') {
        const m = (this.t[k + 1] as { v: string }).v;
        if (m === 'joinpath' && this.isP(k + 2, '(')) {
          const [args, end] = this.args(k + 2);
          cur = { ...cur, text: joinParts([cur.text, ...args.map((a) => a?.text ?? U)]), e: end };
          continue;
        }
        if (m === 'parent' || m === 'dirname') {
          const cut = cur.text.lastIndexOf('/');
          cur = { ...cur, text: cut > 0 ? cur.text.slice(0, cut) : cut === 0 ? '/' : '.', e: k + 2 };
          continue;
        }
        if ((m === 'expanduser' || m === 'resolve' || m === 'absolute') && this.isP(k + 2, '(')) {
          cur = { ...this.tilde(cur), e: this.skipGroup(k + 2) };
          continue;
        }
        if ((m === 'with_name' || m === 'with_suffix' || m === 'with_stem') && this.isP(k + 2, '(')) {
          const [args, end] = this.args(k + 2);
          const arg = args[0]?.text ?? U;
          const dir = cur.text.slice(0, cur.text.lastIndexOf('/') + 1);
          const base = cur.text.slice(cur.text.lastIndexOf('/') + 1);
          const next = m === 'with_name' ? dir + arg : m === 'with_suffix' ? dir + base.replace(/\.[^.]*$/, '') + arg : dir + arg + (/\.[^.]*$/.exec(base)?.[0] ?? '');
          cur = { ...cur, text: next, e: end };
          continue;
        }
      }
      // A JavaScript "path" is a string (`os.homedir().concat('/.x')`): its methods are string methods.
      if (this.lang === 'js' && this.isP(k, '.') && this.t[k + 1]?.k === 'id' && this.isP(k + 2, '(')) return stringOps(this, { ...cur, pathish: false });
      if (cur.pathish && this.isP(k, '/')) {
        const r = this.term(k + 1);
        cur = { ...cur, text: joinParts([cur.text, r ? r.text : U]), e: r ? r.e : this.skipOperand(k + 1), known: cur.known || !!r?.known };
        continue;
      }
      return cur;
    }
    return cur;
  }

  /** Index after one operand the guard does not evaluate (a name with calls and subscripts, a group). */
  skipOperand(i: number): number {
    let k = i;
    const x = this.t[k];
    if (!x) return k;
    if (x.k === 'p' && (x.v === '(' || x.v === '[' || x.v === '{')) k = this.skipGroup(k);
    else if (x.k === 'p' && (x.v === '-' || x.v === '!')) return this.skipOperand(k + 1);
    else if (x.k === 'p') return k;
    else k++;
    for (;;) {
      if ((this.isP(k, '.') || this.isP(k, '->') || this.isP(k, '::')) && this.t[k + 1]?.k === 'id') k += 2;
      else if (this.isP(k, '(') || this.isP(k, '[')) k = this.skipGroup(k);
      else if (this.lang === 'perl' && this.isP(k, '{')) k = this.skipGroup(k);
      else return k;
    }
  }

  /** A concatenation of terms at i: `a + b`, `a . b`, `Path(x) / y`. */
  expr(i: number, depth = 0): Val | undefined {
    let cur: Val | undefined = this.term(i, depth);
    let start = i;
    if (!cur) {
      // An unknown operand followed by a concatenation with a path term (`base + '/.env'`).
      const after = this.skipOperand(i);
      const op = this.t[after];
      if (after === i || !op || op.k !== 'p' || !this.p.concat.has(op.v)) return undefined;
      cur = { text: U, s: i, e: after, known: false };
      start = i;
    }
    for (let guard = 0; guard < 1024; guard++) {
      const op: Token | undefined = this.t[cur.e];
      if (!op || op.k !== 'p' || !(this.p.concat.has(op.v) || (op.v === '/' && cur.pathish))) break;
      const r: Val | undefined = this.term(cur.e + 1, depth);
      const e: number = r ? r.e : this.skipOperand(cur.e + 1);
      if (e === cur.e + 1) break;
      const text: string = op.v === '/' ? joinParts([cur.text, r ? r.text : U]) : cur.text + (r ? r.text : U);
      cur = { text, s: start, e, known: cur.known || !!r?.known, pathish: cur.pathish };
    }
    return cur;
  }
}

/** Everything the code names. Bounded by the code's size (the caller bounds that). */
export function resolveCode(code: string, lang: Lang, o: ResolveOptions, check: () => void = () => {}): Found {
  const r = new Resolver(code, lang, o);
  const max = o.maxPaths ?? 4096;
  const seen = new Map<string, boolean>();
  let truncated = false;
  // Tokens already part of a reported value: `os.path.join(home, '.ssh')` is one path, not three.
  const consumed = new Set<number>();
  for (let i = 0; i < r.t.length; i++) {
    if ((i & 255) === 0) check();
    if (consumed.has(i)) continue;
    // The name of an assignment (`p = '.env'`): its value is judged where it is assigned.
    if (r.tok(i)?.k === 'id' && (r.isP(i + 1, '=') || r.isP(i + 1, '+=') || r.isP(i + 1, '.='))) continue;
    r.used = [];
    const v = r.expr(i);
    if (!v || v.e <= i || !v.known) continue;
    const call = v.e === v.s + 1 && r.tok(v.s)?.k === 'str' ? enclosing(r, v.s) : undefined;
    // The mode argument of an open call is no path.
    const mode = call !== undefined && r.inSet(r.p.opens, call[0]) && call[1] === 1
      && (lang !== 'perl' || /^\s*(?:\+?[<>]{1,2}|[-|]{1,2})\s*(?::\S*\s*)*$/.test(v.text));
    if (v.text !== '' && !v.text.includes('\n') && !mode) {
      let read = readOnly(r, v.s, v.e);
      let text = r.tilde(v).text;
      // Perl's two-argument open and Ruby's Kernel#open: the mode is part of the name ('>.env', '<x', '|cmd').
      const m = lang === 'perl' || lang === 'ruby' ? /^\s*(\+>>|>>|\+?[<>])\s*(\S.*)$/s.exec(text) : null;
      if (m) {
        text = r.tilde({ ...v, text: m[2]! }).text;
        read = read && m[1] === '<';
      }
      if (seen.size >= max && !seen.has(text)) truncated = true;
      else seen.set(text, (seen.get(text) ?? true) && read);
    }
    for (const k of r.used) consumed.add(k);
    // A value that starts with a term the guard read is one unit; after an unknown operand
    // (`f(open('.env','w')) + 'x'`) the tokens inside are still looked at one by one.
    if (r.tok(i)?.k === 'str' || r.term(i) !== undefined) for (let k = v.s; k < v.e; k++) consumed.add(k);
  }
  const shells: string[] = [];
  shellCalls(r, shells);
  const p = PROFILES[lang];
  return {
    paths: [...seen].map(([text, read]) => ({ text, read })),
    shells,
    dynamic: p.dynamic.test(code) || r.opaque || shellRefs(r.t, lang, code) || unknownWriteCall(r),
    home: r.homeRef || /\bHOME\b|homedir|expanduser|Dir\.home|Path\.home|~\//.test(code),
    argv: p.argv.test(code),
    truncated,
    listings: listings(r),
    extractions: archiveCalls(r),
    into: copyCalls(r),
    dirs: workDirs(r),
  };
}
