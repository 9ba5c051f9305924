// Interpreters of general-purpose languages: where their code comes from (inline `-c`/`-e`/`-r`,
// standard input, a script file read from disk) and what the code names (resolve.ts). Module
// CLIs (`python3 -m zipfile -e`) are commands of their own (modules.ts).
import type { Arg } from '../shell/context.js';
import { U } from '../shell/context.js';
import type { CodeCtx } from './load.js';
import type { Lang } from './lex.js';
import { joinParts, resolveCode } from './resolve.js';
import { reachable } from './chdirs.js';
import { backupNames } from '../shell/backups.js';
import { readScript, stdinText } from './source.js';
import { pythonModule } from './modules.js';
import { extractArchive } from '../archive/extract.js';

/** Where a command's code is: inline text, a file, standard input, or nowhere (a REPL, a version query). */
export interface Invocation {
  code?: string;
  file?: Arg;
  stdin?: boolean;
  /** Arguments the program gets (`sys.argv[1:]`). */
  operands: Arg[];
  /** Operands are input files it reads line by line (`perl -n`, `ruby -p`), or edits in place (`-i`). */
  lines?: 'read' | 'write';
  /** `ruby -iSUFFIX`: the old file is kept under that name (shell/backups.ts). */
  backup?: string;
  /** Modules loaded before the code (`perl -MExtUtils::Command`), as the code's own `use` lines. */
  preamble?: string;
  /** Directory the interpreter changes to first (`ruby -C DIR`). */
  chdir?: Arg;
}

/** Analyzes code and emits what it names; `via` says which command and form. */
export function analyze(code: string, lang: Lang, x: CodeCtx, via: string, inv: Pick<Invocation, 'operands' | 'file' | 'chdir'>): void {
  const dir = inv.file ? inv.file.text.replace(/\/?[^/]*$/, '') || (inv.file.text.startsWith('/') ? '/' : '.') : undefined;
  const found = resolveCode(code, lang, { home: x.home, getenv: x.getenv, ...(dir !== undefined ? { scriptDir: dir } : {}) }, x.check);
  // Where relative names are found: where the code starts (`ruby -C DIR`, else the shell's
  // folder), and every folder it may change to or run a command in (chdirs.ts).
  const start = inv.chdir ? inv.chdir.text : '';
  const dirs = reachable(found.dirs.chdirs, found.dirs.cwds, above(x.cwd)).map((d) => (d.includes(U) ? U : joinParts([start, d])));
  const at = (t: string, d: string): string => (t.startsWith('/') || t.startsWith(U) || d === '' ? t : d === U ? `${U}/${t}` : joinParts([d, t]));
  const each = (t: string): string[] => {
    // A `file:` URL names the file at its path: node's fs takes `new URL("file:///h/%2Ebashrc")`.
    const url = FILE_URL.exec(t);
    if (url) return [decodePath(t.slice(url[0].length))];
    return t.startsWith('/') || t.startsWith(U) ? [t] : [...new Set(dirs.map((d) => at(t, d)))];
  };
  // A name the code builds out of sight from its start is opaque code, not a path word (the
  // `unresolved` setting's concern, as below; lib/decide.ts).
  for (const p of found.paths) for (const t of each(p.text)) x.emit(p.read ? 'read' : 'write', { text: t, literal: p.text, ...(p.text.startsWith(U) ? { opaque: true } : {}) }, via);
  for (const sh of found.shells) for (const d of dirs) x.shell(sh, via, d === '' ? undefined : d);
  // Copies and moves into a folder: every protected path beneath where the source lands.
  for (const d of found.into) for (const t of each(d.text)) x.emit('write', { text: t, literal: d.text }, `${via} copy`, false, d.beneath);
  // Names from the file system: a glob's matches (expanded by the shell analysis, as bash would)
  // may be written; a listed folder's entries are unknown names in it.
  let unknownPlace = false;
  for (const l of found.listings) {
    if (l.pattern !== undefined) for (const d of dirs) x.shell(`touch -- ${l.pattern.replace(/[^A-Za-z0-9_*?[\]/.~-]/g, '\\$&')}`, `${via} glob`, d === '' ? undefined : d);
    else if (l.dir !== undefined) for (const t of each(`${l.dir.replace(/\/+$/, '')}/${U}`)) x.emit('write', { text: t, literal: `${via} listing` }, via, true);
    else unknownPlace = true;
  }
  // Archives the code extracts: their members, read from disk, beneath the destination.
  for (const e of found.extractions) {
    // An unknown destination is unknown places.
    if (e.dest.includes('\0')) {
      unknownPlace = true;
      continue;
    }
    for (const d of dirs) {
      const dest = { text: at(e.dest, d), literal: e.dest };
      if (e.archive === undefined) x.emit('write', { text: `${dest.text.replace(/\/+$/, '')}/${U}`, literal: `${via} extraction` }, via, true);
      else extractArchive(x, { archive: { text: at(e.archive, d), literal: e.archive }, dest, via: `${via} extraction`, ...(e.format ? { format: e.format } : {}), keepDotDot: e.format !== 'zip' });
    }
  }
  // Names built out of sight: every place the code can reach is unknown (the `unresolved` setting).
  if (found.dynamic || found.truncated || unknownPlace) {
    for (const t of each(U)) x.emit('write', { text: t, literal: `${via} code`, opaque: true }, via, true);
    if (found.home) x.emit('write', { text: `${x.home}/${U}`, literal: `${via} code` }, via, true);
  }
  // A program that reads its arguments may write the files they name.
  if (found.argv) for (const a of inv.operands) x.emit('write', a, `${via} argument`, true);
}

/** The folders above an absolute working directory, up to `/` (none when it is not known). */
function above(cwd: string): string[] {
  if (!cwd.startsWith('/') || cwd.includes(U)) return [];
  const out: string[] = [];
  for (let d = cwd; d !== '/' && out.length < 64;) {
    d = d.slice(0, d.lastIndexOf('/')) || '/';
    out.push(d);
  }
  return out;
}

const FILE_URL = /^file:(?:\/\/(?:localhost)?)?(?=\/|\u0000)/i;

/** A URL's path with its percent escapes decoded (as node's fileURLToPath does); as written when malformed. */
function decodePath(p: string): string {
  try {
    return decodeURIComponent(p);
  } catch {
    return p;
  }
}

/** The code an invocation ran (known text) and the script file it came from (module-loads.ts). */
export interface Ran {
  code?: string;
  file?: Arg;
  operands: Arg[];
}

/** Runs `analyze` on the invocation's code, wherever it is. */
export function runInvocation(inv: Invocation, lang: Lang, name: string, x: CodeCtx): Ran {
  let code = inv.code;
  let via = `${name} ${inv.code !== undefined ? 'code' : inv.file ? 'script' : 'stdin'}`;
  if (code === undefined && inv.file) {
    const text = readScript(x, inv.file);
    // No such script: the interpreter stops before running anything.
    if (text === 'missing') return { operands: inv.operands };
    code = text;
    if (code === undefined) {
      // A script that does not exist yet (written by this call) or cannot be read: unknown code.
      x.emit('read', inv.file, name);
      x.emit('write', { text: U, literal: inv.file.literal, opaque: true }, `${name} script`, true);
      for (const a of inv.operands) x.emit('write', a, `${name} argument`, true);
      return { file: inv.file, operands: inv.operands };
    }
    x.emit('read', inv.file, name);
  } else if (code === undefined && inv.stdin) {
    const s = stdinText(x);
    if (s.text === undefined) {
      if (s.unknown) x.emit('write', { text: U, literal: `${name} stdin`, opaque: true }, `${name} stdin`, true);
      return { operands: inv.operands };
    }
    code = s.text;
    via = `${name} stdin`;
  }
  // `perl -MExtUtils::Command -e cp A B`: what the modules bring is part of the code (their functions read @ARGV).
  if (code !== undefined) analyze(inv.preamble ? `${inv.preamble}\n${code}` : code, lang, x, via, inv);
  if (inv.lines) for (const a of inv.operands) x.emit(inv.lines, a, `${name} -${inv.lines === 'write' ? 'i' : 'n'}`);
  if (inv.lines === 'write' && inv.backup) for (const a of inv.operands) for (const b of backupNames(a, inv.backup, 'both')) x.emit('write', b, `${name} -i backup`);
  return { ...(code !== undefined ? { code } : {}), ...(inv.file ? { file: inv.file } : {}), operands: inv.operands };
}

/** Short options taking a value (next argument or attached), per interpreter. */
const VALUE_OPTS: Record<Lang, string> = { python: 'WXQ', js: 'rC', perl: 'IMmDFCxd', ruby: 'IrECFWx', php: 'dcznt' };

/** Parses `interp [options] [-c CODE | -m MOD | FILE | -] [args]`. */
export function invocation(name: string, lang: Lang, args: Arg[], x: CodeCtx): Invocation | 'module' | undefined {
  const codes: string[] = [];
  let lines: Invocation['lines'];
  let backup = '';
  const uses: string[] = [];
  let chdir: Arg | undefined;
  let i = 0;
  const take = (rest: string): string | undefined => (rest !== '' ? rest : args[++i]?.text);
  scan: for (; i < args.length; i++) {
    const a = args[i]!;
    const t = a.text;
    if (t === '--') {
      i++;
      break;
    }
    if (t === '-' || !t.startsWith('-')) break;
    if (t.startsWith('--')) {
      const [opt, val] = t.includes('=') ? [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)] : [t, undefined];
      if (opt === '--eval' || opt === '--print' || (lang === 'php' && (opt === '--run' || opt === '--process-code' || opt === '--process-begin' || opt === '--process-end'))) {
        const v = val ?? args[++i]?.text;
        if (v !== undefined) codes.push(v);
        if (lang !== 'php' || opt === '--run') return { code: codes.join('\n'), operands: args.slice(i + 1) };
        continue;
      }
      if (lang === 'js' && val === undefined && ['--require', '--import', '--loader', '--experimental-loader', '--conditions', '--title', '--env-file', '--input-type', '--inspect-port', '--stack-trace-limit', '--watch-path'].includes(opt)) i++;
      if (lang === 'js' && (opt === '--version' || opt === '--help' || opt === '--check' || opt === '--test')) return undefined;
      continue;
    }
    for (let k = 1; k < t.length; k++) {
      const ch = t[k]!;
      const rest = t.slice(k + 1);
      if ((lang === 'python' && ch === 'c') || (lang === 'js' && (ch === 'e' || ch === 'p')) || ((lang === 'perl' || lang === 'ruby') && (ch === 'e' || ch === 'E')) || (lang === 'php' && (ch === 'r' || ch === 'B' || ch === 'R' || ch === 'E'))) {
        const v = take(rest);
        if (v !== undefined) codes.push(v);
        if (lang === 'python' || lang === 'js' || (lang === 'php' && ch === 'r')) return { code: codes.join('\n'), operands: args.slice(i + 1), ...(lines ? { lines } : {}) };
        continue scan;
      }
      if (lang === 'python' && ch === 'm') {
        const mod = take(rest);
        if (mod !== undefined) pythonModule(name, mod, args.slice(i + 1), x);
        return 'module';
      }
      if (lang === 'php' && ch === 'f') {
        const f = rest !== '' ? { text: rest, literal: a.literal } : args[++i];
        return f ? { file: f, operands: args.slice(i + 1) } : undefined;
      }
      if (lang === 'php' && (ch === 'l' || ch === 'v' || ch === 'h' || ch === 'i' || ch === 'm' || ch === 'S')) return undefined;
      if ((lang === 'python' || lang === 'perl' || lang === 'ruby') && (ch === 'V' || ch === 'h' || (ch === 'v' && lang !== 'ruby'))) return undefined;
      if ((lang === 'perl' || lang === 'ruby') && (ch === 'n' || ch === 'p') && lines !== 'write') lines = 'read';
      if ((lang === 'perl' || lang === 'ruby') && ch === 'i') {
        // perl -i is the table's (commands.ts); ruby -i edits the operands in place here.
        if (lang === 'ruby') {
          lines = 'write';
          backup = t.slice(k + 1);
        }
        continue scan;
      }
      if (lang === 'ruby' && ch === 'C') {
        const v = rest !== '' ? { text: rest, literal: a.literal } : args[++i];
        if (v) chdir = v;
        continue scan;
      }
      if (VALUE_OPTS[lang].includes(ch)) {
        const v = rest !== '' ? rest : args[++i]?.text;
        if (lang === 'perl' && (ch === 'M' || ch === 'm') && v !== undefined) uses.push(`use ${v.replace(/=.*$/s, '')};`);
        continue scan;
      }
      if ((lang === 'perl' || lang === 'ruby') && (ch === 'l' || ch === '0')) while (k + 1 < t.length && /[0-7xA-Fa-f]/.test(t[k + 1]!)) k++;
    }
  }
  const more = { ...(chdir ? { chdir } : {}), ...(backup !== '' ? { backup } : {}), ...(uses.length > 0 ? { preamble: uses.join('\n') } : {}) };
  if (codes.length > 0) return { code: codes.join('\n'), operands: args.slice(i), ...(lines ? { lines } : {}), ...more };
  const first = args[i];
  if (!first || first.text === '-') return { stdin: true, operands: args.slice(i + 1), ...(lines ? { lines } : {}), ...more };
  return { file: first, operands: args.slice(i + 1), ...(lines ? { lines } : {}), ...more };
}

/** deno eval CODE, deno run [opts] FILE; bun -e CODE, bun run FILE, bun FILE. */
export function denoBun(name: string, args: Arg[], x: CodeCtx): Ran | undefined {
  let k = 0;
  const sub = args[0]?.text;
  if (name === 'deno') {
    if (sub !== 'eval' && sub !== 'run') return;
    k = 1;
    while (k < args.length && args[k]!.text.startsWith('-') && args[k]!.text !== '-') {
      if (['--config', '-c', '--import-map', '--lock', '--cert', '--location', '--seed', '--ext', '--env-file'].includes(args[k]!.text)) k++;
      k++;
    }
    const first = args[k];
    if (!first) return undefined;
    if (sub === 'eval') return runInvocation({ code: first.text, operands: args.slice(k + 1) }, 'js', name, x);
    if (/^[a-z]+:/.test(first.text)) return undefined; // a URL: remote code is not seen
    return runInvocation(first.text === '-' ? { stdin: true, operands: args.slice(k + 1) } : { file: first, operands: args.slice(k + 1) }, 'js', name, x);
  }
  const inv = invocation(name, 'js', sub === 'run' ? args.slice(1) : args, x);
  if (!inv || inv === 'module') return undefined;
  // `bun run build` runs a package.json script, `bun install` is the package manager: only an existing file is code.
  if (inv.file && !/\.[cm]?[jt]sx?$/.test(inv.file.text)) return undefined;
  return runInvocation(inv, 'js', name, x);
}

export function langOf(name: string): Lang | undefined {
  if (/^(?:python|pypy)/.test(name)) return 'python';
  // tsx and ts-node run TypeScript with node's options: its file APIs are node's.
  if (/^(?:node|nodejs|tsx|ts-node|ts-node-esm)$/.test(name)) return 'js';
  if (/^perl/.test(name)) return 'perl';
  if (/^ruby/.test(name)) return 'ruby';
  if (/^php/.test(name)) return 'php';
  return undefined;
}
