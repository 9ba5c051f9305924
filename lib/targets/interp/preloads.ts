// Modules an interpreter loads before or beside the code it is given, named on its command line or
// in the variables it reads options from (module-loads.ts reads them): node `-r`/`--require`,
// `--import`, `--loader`, NODE_OPTIONS (also from `--env-file`), bun `--preload`; `python -m X`
// from the working folder and PYTHONPATH, PYTHONSTARTUP; perl and ruby `-I` folders, PERL5OPT,
// ruby `-r` and RUBYOPT; php `-d auto_prepend_file`.
import { U, physicalJoin, type Arg } from '../shell/context.js';
import type { CodeCtx } from './load.js';
import type { Lang } from './lex.js';
import { ModuleLoads, optionWords } from './module-loads.js';
import type { Ran } from './scripts.js';
import { readAt } from './source.js';

const JS_PRELOAD = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '--preload']);
const JS_VALUE = new Set(['-e', '-p', '--eval', '--print', '-C', '--conditions', '--title', '--input-type', '--inspect-port', '--stack-trace-limit', '--watch-path', '--env-file', '--env-file-if-exists', '--cpu-prof-dir', '--heap-prof-dir', '--redirect-warnings', '--diagnostic-dir',
  '--cpu-prof-name', '--heap-prof-name', '--report-directory', '--report-dir', '--report-filename', '--tls-keylog', '--trace-event-file-pattern', '--test-reporter-destination', '--snapshot-blob', '--openssl-config']);
/**
 * node options naming a file it writes (`--redirect-warnings=F`, `--tls-keylog=F`), a folder it
 * writes files of its own naming into (`--cpu-prof-dir`, `--diagnostic-dir`: `dir`), or the name of
 * such a file (`--cpu-prof-name`, `--report-filename`: found in any of those folders, or here).
 */
const JS_WRITES: Record<string, 'file' | 'dir' | 'name'> = {
  '--redirect-warnings': 'file', '--tls-keylog': 'file', '--trace-event-file-pattern': 'file', '--test-reporter-destination': 'file', '--snapshot-blob': 'file',
  '--cpu-prof-dir': 'dir', '--heap-prof-dir': 'dir', '--diagnostic-dir': 'dir', '--report-directory': 'dir', '--report-dir': 'dir',
  '--cpu-prof-name': 'name', '--heap-prof-name': 'name', '--report-filename': 'name',
};

/** Everything the interpreter may load by name besides `ran` (the code it was given). */
export function moduleLoads(name: string, lang: Lang, args: Arg[], ran: Ran, x: CodeCtx): void {
  const m = new ModuleLoads(name, lang, x, ran);
  if (lang === 'js') jsOptions(args.map((a) => a.text), m, x, true);
  else if (lang === 'python') python(args, m, x, ran);
  else if (lang === 'perl' || lang === 'ruby') perlRuby(lang, args.map((a) => a.text), m, x, true);
  else if (lang === 'php') php(args.map((a) => a.text), m, x);
  if (ran.code !== undefined) m.named(ran.code, ran.file ? physicalJoin(x.cwd, ran.file.text).replace(/\/[^/]*$/, '') || '/' : x.cwd);
  m.written();
  m.flush(x.emit);
}

/** A variable holding options: its words, or null when its value is not known (every load unknown). */
function optionsVar(variable: string, m: ModuleLoads, x: CodeCtx): string[] | null | undefined {
  if (x.envUnknown?.(variable)) {
    m.unknown(U, variable);
    return null;
  }
  const v = x.getenv(variable);
  return v === undefined ? undefined : optionWords(v);
}

/** node's options, up to the script (after which the words are the script's); NODE_OPTIONS too when `top`. */
function jsOptions(words: string[], m: ModuleLoads, x: CodeCtx, top: boolean): void {
  const dirs: string[] = [];
  const names: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const t = words[i]!;
    if (t === '--' || t === '-' || !t.startsWith('-')) {
      if (top) break;
      continue;
    }
    const eq = t.startsWith('--') ? t.indexOf('=') : -1;
    const opt = eq > 0 ? t.slice(0, eq) : t;
    const val = eq > 0 ? t.slice(eq + 1) : undefined;
    if (JS_PRELOAD.has(opt)) {
      const v = val ?? words[++i];
      // A package name resolves under node_modules: a file there the call wrote is loaded anyway (module-loads.ts written).
      if (v !== undefined && (v.startsWith('data:') || /^(?:\.{1,2}(?:\/|$)|\/|file:)/.test(v))) m.resolve(v, x.cwd, true);
    } else if (opt === '--env-file' || opt === '--env-file-if-exists') {
      const v = val ?? words[++i];
      if (v !== undefined) envFile(physicalJoin(x.cwd, v), m, x);
    } else if (Object.hasOwn(JS_WRITES, opt)) {
      const v = val ?? words[++i];
      const kind = JS_WRITES[opt];
      if (v === undefined || v === '' || (kind === 'file' && /^(?:stdout|stderr)$/.test(v))) continue;
      if (kind === 'file') x.emit('write', { text: v, literal: t }, `node ${opt}`);
      else (kind === 'dir' ? dirs : names).push(v);
    } else if (opt === '--openssl-config') {
      // A configuration that may load engines and providers (shared libraries).
      if (val === undefined) i++;
      x.emit('write', { text: U, literal: t, opaque: true }, 'node --openssl-config: libraries it may load', true);
    } else if (val === undefined && JS_VALUE.has(opt)) i++;
  }
  for (const d of dirs) x.emit('write', { text: d, literal: d }, 'node: files of its own naming', false, true);
  for (const n of names) for (const d of dirs.length > 0 ? [...dirs, '.'] : ['.']) x.emit('write', { text: `${d.replace(/\/+$/, '')}/${n}`, literal: n }, 'node');
  if (!top) return;
  const env = optionsVar('NODE_OPTIONS', m, x);
  if (env) jsOptions(env, m, x, false);
}

/** node --env-file: NODE_OPTIONS set there applies as if it were in the environment. */
function envFile(abs: string, m: ModuleLoads, x: CodeCtx): void {
  const text = x.written(abs) ? x.known?.(abs) : readAt(abs, x.maxBytes);
  if (text === 'missing') return;
  if (text === undefined) {
    m.unknown(abs);
    return;
  }
  for (const line of text.split('\n')) {
    const kv = /^\s*(?:export\s+)?NODE_OPTIONS\s*=\s*(.*?)\s*$/.exec(line);
    if (kv) jsOptions(optionWords(kv[1]!.replace(/^(["'])(.*)\1$/, '$2')), m, x, false);
  }
}

/** `python -m X` runs X from the working folder (unless -I/-P) or PYTHONPATH (unless -I/-E); PYTHONSTARTUP when interactive. */
function python(args: Arg[], m: ModuleLoads, x: CodeCtx, ran: Ran): void {
  let isolated = false;
  let safe = false;
  let ignoreEnv = false;
  let interactive = false;
  let mod: string | undefined;
  let code = false;
  scan: for (let i = 0; i < args.length; i++) {
    const t = args[i]!.text;
    if (t === '--' || t === '-' || !t.startsWith('-')) break;
    if (t.startsWith('--')) {
      if (t === '--check-hash-based-pycs') i++;
      continue;
    }
    for (let k = 1; k < t.length; k++) {
      const ch = t[k]!;
      const rest = t.slice(k + 1);
      if (ch === 'c') {
        code = true;
        break scan;
      }
      if (ch === 'm') {
        mod = rest !== '' ? rest : args[++i]?.text;
        break scan;
      }
      if (ch === 'I') isolated = true;
      else if (ch === 'P') safe = true;
      else if (ch === 'E') ignoreEnv = true;
      else if (ch === 'i') interactive = true;
      else if ('XWQ'.includes(ch)) {
        if (rest === '') i++;
        continue scan;
      }
    }
  }
  if (mod !== undefined && /^[\w.]+$/.test(mod)) {
    const dirs: string[] = [];
    if (!isolated && !safe && !(x.getenv('PYTHONSAFEPATH') && !ignoreEnv)) dirs.push(x.cwd);
    if (!isolated && !ignoreEnv) for (const d of (x.getenv('PYTHONPATH') ?? '').split(':')) if (d !== '') dirs.push(physicalJoin(x.cwd, d));
    const parts = mod.split('.');
    for (const dir of dirs) {
      // A package's __init__ runs on the way down, then the module or the package's __main__.
      for (let k = 1; k < parts.length; k++) m.load(`${dir}/${parts.slice(0, k).join('/')}/__init__.py`, true);
      const at = `${dir}/${parts.join('/')}`;
      if (!m.load(`${at}.py`, true)) {
        m.load(`${at}/__init__.py`, true);
        m.load(`${at}/__main__.py`, true);
      }
    }
  }
  // The interactive start-up file: the call's own (a file it wrote) is loaded; the user's is not read.
  const startup = !ignoreEnv && !isolated && (interactive || (!code && mod === undefined && !ran.file)) ? x.getenv('PYTHONSTARTUP') : undefined;
  if (startup) m.load(physicalJoin(x.cwd, startup), false);
}

/** perl and ruby: `-I DIR` folders searched; ruby `-r LIB`; the same in PERL5OPT / RUBYOPT. */
function perlRuby(lang: 'perl' | 'ruby', words: string[], m: ModuleLoads, x: CodeCtx, top: boolean): void {
  for (let i = 0; i < words.length; i++) {
    const t = words[i]!;
    if (t === '--' || t === '-' || !t.startsWith('-')) {
      if (top) break;
      continue;
    }
    if (t.startsWith('--')) continue;
    const ch = t[1]!;
    const rest = t.slice(2);
    if (ch === 'e' || ch === 'E' || (lang === 'ruby' && ch === 'C') || (lang === 'perl' && ch === 'x')) {
      if (rest === '' && ch !== 'x') i++;
      continue;
    }
    if (ch !== 'I' && !(lang === 'ruby' && ch === 'r')) continue;
    const v = rest !== '' ? rest : words[++i];
    if (v === undefined) continue;
    if (ch === 'I') m.addSearch('-I', v);
    else if (/^(?:\.{1,2})?\//.test(v)) m.resolve(v, x.cwd, true);
  }
  if (!top) return;
  const env = optionsVar(lang === 'perl' ? 'PERL5OPT' : 'RUBYOPT', m, x);
  if (env) perlRuby(lang, env.map((w) => (w.startsWith('-') ? w : `-${w}`)), m, x, false);
}

/** php -d auto_prepend_file=F / auto_append_file=F run F; -d include_path=… is searched. */
function php(words: string[], m: ModuleLoads, x: CodeCtx): void {
  for (let i = 0; i < words.length; i++) {
    const t = words[i]!;
    if (!t.startsWith('-d')) continue;
    const kv = t.length > 2 ? t.slice(2) : words[++i] ?? '';
    const [k, v] = [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)];
    if ((k === 'auto_prepend_file' || k === 'auto_append_file') && v !== '') m.resolve(v, x.cwd, true);
    if (k === 'include_path') m.addSearch('-d', v);
  }
}
