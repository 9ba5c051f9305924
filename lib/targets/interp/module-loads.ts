// Code an interpreter loads by name, not as the script it is given (issue 13): `python3 -c 'import
// e'`, `python3 -m e`, `node -r ./e.js`, NODE_OPTIONS, `require("./e")`, a package under
// node_modules, sitecustomize.py or a .pth file. Three sources, each read like a script named on
// the command line (known text walked as code, unknown text an unresolved target):
// - files the same call wrote that the interpreter may load as modules (`loadable`): any location,
//   by name (a module's extension, anything under node_modules, a folder put where a package name
//   fits) or because they lie in a search folder the command names (PYTHONPATH, NODE_PATH, -I);
// - preloads named on the command line or in the variables the interpreter reads them from
//   (`-r`, `--import`, `--loader`, NODE_OPTIONS, `--env-file`, `python -m` in the working
//   folder, ruby `-r`, RUBYOPT, php `auto_prepend_file`): existing files too, when named by path;
// - files the code itself names in a load (`require("./e")`, `import "./e.js"`, `runpy.run_path`,
//   perl `do`/`require`, ruby `require_relative`/`load`, php `include`), when the call wrote them.
// A module of the repository found by name that the call did not write (`import app`, a package
// installed in node_modules) is not read: code a tool finds by itself (docs/threat-model/modules.md).
import { U, physicalJoin, type Arg } from '../shell/context.js';
import type { CodeCtx, WrittenName } from './load.js';
import type { Lang } from './lex.js';
import { analyze, type Ran } from './scripts.js';
import { readAt } from './source.js';

/** Names an interpreter may load as code from wherever a search path reaches. */
const MODULE: Record<Lang, RegExp> = {
  // Importable names only (`my-tool.py` is no module name); every .pth of a site folder runs.
  python: /(?:^|\/)[A-Za-z_]\w*(?:\.[\w-]+)*\.(?:py|pyc|pyo|pyw|so|pyd)$|\.pth$/,
  js: /\.(?:[cm]?[jt]sx?|node|wasm)$|(?:^|\/)(?:package\.json|[jt]sconfig(?:\.[\w-]+)?\.json|bunfig\.toml|deno\.jsonc?|\.babelrc|\.swcrc)$|(?:^|\/)node_modules(?:\/|$)/,
  // prove runs t/*.t; rake reads its Rakefile, rackup config.ru.
  perl: /\.(?:pm|pl|pmc|ph|so|t)$/,
  ruby: /\.(?:rb|rake|so|bundle)$|(?:^|\/)(?:Rakefile|Gemfile|config\.ru|\.irbrc|\.pryrc)$/,
  php: /\.(?:php\d?|inc|phtml|phar)$/,
};
/** Loaded as machine code or bytecode: never text the guard can walk. */
const BINARY = /\.(?:so|pyd|pyc|pyo|node|wasm|bundle|phar)$/;
/** Read as configuration, not code: the names it holds may be loaded (package.json `main`). */
const CONFIG = /(?:^|\/)(?:package\.json|[jt]sconfig(?:\.[\w-]+)?\.json|bunfig\.toml|deno\.jsonc?|\.babelrc|\.swcrc)$/;
/** Variables holding folders searched for modules by name. */
const SEARCH_ENV: Record<Lang, string[]> = { python: ['PYTHONPATH', 'PYTHONHOME'], js: ['NODE_PATH'], perl: ['PERL5LIB', 'PERLLIB'], ruby: ['RUBYLIB'], php: [] };
/** Bound on the modules read for one command: past it, what the rest load is not known. */
const MAX_MODULES = 64;

const JS_EXT = ['', '.js', '.mjs', '.cjs', '.json', '.node', '.ts', '.mts', '.cts', '/index.js', '/index.mjs', '/index.cjs', '/index.json', '/index.node', '/package.json'];
const EXT: Record<Lang, string[]> = { js: JS_EXT, python: [''], perl: [''], ruby: ['', '.rb', '.so'], php: [''] };

/** Which loads the code names (each regex's last group is the name) and what a relative name is relative to. */
const NAMED: Record<Lang, { re: RegExp; fromFile: boolean }[]> = {
  js: [
    { re: /\b(?:require|import|Worker|fork|register)\s*\(\s*(['"`])([^'"`\n]+)\1/g, fromFile: true },
    // Bounded look-ahead: a long run after `import` costs linear time, never quadratic.
    { re: /(?:^|[;\n}])[ \t]*(?:import|export)\b[^'";\n]{0,300}?(['"])([^'"\n]+)\1/g, fromFile: true },
  ],
  python: [{ re: /\b(?:run_path|load_source\s*\(\s*(['"])[^'"\n]*\1\s*,|spec_from_file_location\s*\(\s*(['"])[^'"\n]*\2\s*,)\s*\(?\s*(['"])([^'"\n]+)\3/g, fromFile: false }],
  perl: [{ re: /\b(?:require|do)\s*\(?\s*(['"])([^'"\n]+)\1/g, fromFile: false }],
  ruby: [
    { re: /\brequire_relative\s*\(?\s*(['"])([^'"\n]+)\1/g, fromFile: true },
    { re: /\b(?:require|load)\s*\(?\s*(['"])((?:\.{1,2})?\/[^'"\n]+)\1/g, fromFile: false },
  ],
  php: [{ re: /\b(?:include|require)(?:_once)?\s*\(?\s*(['"])([^'"\n]+)\1/g, fromFile: false }],
};

const dirOf = (abs: string): string => abs.slice(0, abs.lastIndexOf('/')) || '/';
const isPathLike = (s: string): boolean => /^(?:\.{1,2}(?:\/|$)|\/|file:)/.test(s);
const fileUrl = (s: string): string => (s.startsWith('file://') ? decodeURIComponent(s.slice(7)) : s.startsWith('file:') ? s.slice(5) : s);

/** Splits an options variable into words, double and single quotes kept together (as node reads NODE_OPTIONS). */
export function optionWords(v: string): string[] {
  const out: string[] = [];
  for (const m of v.matchAll(/(?:"([^"]*)"|'([^']*)'|(\S+))/g)) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

export class ModuleLoads {
  private readonly seen = new Set<string>();
  private readonly via: string;
  private readonly search: string[] = [];
  private searchUnknown = false;

  private readonly x: CodeCtx;
  /**
   * What the modules do, emitted once all are found: a target of their own (an unknown module's
   * unresolved write) would otherwise make every later name count as written by the call.
   */
  private readonly out: Parameters<CodeCtx['emit']>[] = [];

  constructor(private readonly name: string, private readonly lang: Lang, x: CodeCtx, private readonly ran: Ran) {
    this.x = { ...x, emit: (...a) => void this.out.push(a) };
    this.via = `${name} module`;
    if (ran.file) this.seen.add(physicalJoin(x.cwd, ran.file.text));
    for (const v of SEARCH_ENV[lang]) this.addSearch(v);
  }

  /** Folders a variable names as search paths (`:`-separated, relative to the working folder). */
  addSearch(variable: string, value?: string): void {
    if (value === undefined && this.x.envUnknown?.(variable)) {
      this.searchUnknown = true;
      return;
    }
    const v = value ?? this.x.getenv(variable);
    if (v === undefined) return;
    for (const d of v.split(':')) if (d !== '') this.search.push(physicalJoin(this.x.cwd, d));
  }

  /** Emits what the modules found do. */
  flush(emit: CodeCtx['emit']): void {
    for (const a of this.out) emit(...a);
    this.out.length = 0;
  }

  /** A file or folder the interpreter may load as code under this command's search paths. */
  loadable(abs: string): boolean {
    return MODULE[this.lang].test(abs) || this.search.some((d) => abs === d || abs.startsWith(`${d}/`));
  }

  /** A folder put there whole (`cp -r x pkg`): a package when its name is one. */
  private packageFolder(abs: string): boolean {
    const base = abs.slice(abs.lastIndexOf('/') + 1);
    return this.lang === 'js' ? /(?:^|\/)node_modules(?:\/|$)/.test(abs) : /^[A-Za-z_][\w-]*$/.test(base);
  }

  /** Every file the call wrote so far that the interpreter may load; what commands alongside write, checked after the walk. */
  written(): void {
    if (this.searchUnknown) {
      for (const f of this.x.writtenFiles?.('all', () => true) ?? []) if (!this.loadWritten(f.path)) break;
      this.x.loadsAlongside?.(() => true, `${this.name} search path`);
      return;
    }
    // The names worth a look are kept for the call by language and search path, whether a folder
    // was put there or not (that may change with a later write): so the test here is repeated on
    // those few names only.
    const names = (f: WrittenName): string[] => [f.path, ...f.places ?? []];
    const key = `${this.lang}\0${this.search.join('\0')}`;
    const candidates = this.x.writtenFiles?.(key, (f) => f.places === null || names(f).some((p) => this.loadable(p) || this.packageFolder(p))) ?? [];
    for (const f of candidates) {
      this.x.check();
      // Through a link to a place not known, it may be anywhere the interpreter looks.
      if (f.places === null || names(f).some((p) => this.loadable(p)) || (f.folder && names(f).some((p) => this.packageFolder(p)))) {
        if (!this.loadWritten(f.path)) break;
      }
    }
    this.x.loadsAlongside?.((p) => this.loadable(p), `${this.name} modules`);
  }

  /**
   * A written file it may load, within the bound on modules read for one command: past it, what
   * the rest load is not known (one unresolved write). Without the bound a script running a node
   * tool after each of many writes looked at every written module at every run: 1 MB of ordinary
   * commands went past the 10 s budget. False once past it.
   */
  private loadWritten(abs: string): boolean {
    if (this.seen.size > MAX_MODULES) {
      this.unknown(U, `${this.name} modules (more than ${MAX_MODULES} written)`);
      return false;
    }
    this.load(abs, false);
    return true;
  }

  /**
   * Loads the file at `abs` when it exists: `disk` reads a file the call did not write (a
   * preload named by path); otherwise only a file the call wrote counts. True when found.
   */
  load(abs: string, disk: boolean): boolean {
    if (abs.includes(U)) {
      if (disk) this.unknown(abs);
      return disk;
    }
    if (this.seen.has(abs)) return true;
    const x = this.x;
    if (x.written(abs)) {
      this.seen.add(abs);
      const text = BINARY.test(abs) ? undefined : x.known?.(abs);
      if (text === undefined) this.unknown(abs);
      else this.walk(abs, text);
      return true;
    }
    if (!disk) return false;
    const text = readAt(abs, x.maxBytes);
    if (text === 'missing') return false;
    this.seen.add(abs);
    if (text === undefined || BINARY.test(abs)) this.unknown(abs);
    else this.walk(abs, text);
    return true;
  }

  /** The first of a name's candidates (`./e` -> e, e.js, e/index.js...) that exists. */
  resolve(spec: string, dir: string, disk: boolean): void {
    if (spec.startsWith('data:')) return this.dataUrl(spec);
    const base = physicalJoin(dir, fileUrl(spec));
    // Each candidate the call wrote may be the one loaded (its write may not happen); on disk the
    // first one found is. Nothing lies beneath a file found (`e.js/index.js` after `e.js`).
    const found: string[] = [];
    for (const e of EXT[this.lang]) {
      this.x.check();
      const abs = base + e;
      if (found.some((f) => abs.startsWith(`${f}/`))) continue;
      if (this.load(abs, disk && found.length === 0)) found.push(abs);
    }
  }

  /** `--import 'data:text/javascript,…'`: the module's code is in the name. */
  private dataUrl(spec: string): void {
    const comma = spec.indexOf(',');
    if (comma < 0) return;
    const head = spec.slice(5, comma);
    const body = spec.slice(comma + 1);
    let code: string;
    try {
      code = head.endsWith(';base64') ? Buffer.from(decodeURIComponent(body), 'base64').toString('utf8') : decodeURIComponent(body);
    } catch {
      return this.unknown(U);
    }
    analyze(code, this.lang, this.x, `${this.name} data: module`, { operands: this.ran.operands });
    this.named(code, this.x.cwd);
  }

  /** The loads a module's or the main code's text names, relative to its folder `dir` (or the working folder). */
  named(code: string, dir: string): void {
    // Only files the call wrote count (and code in a data: URL): with none, nothing to resolve.
    const wrote = this.x.wroteAny?.() ?? true;
    if (!wrote && !(this.lang === 'js' && code.includes('data:'))) return;
    for (const { re, fromFile } of NAMED[this.lang]) {
      for (const m of code.matchAll(re)) {
        this.x.check();
        const spec = m[m.length - 1]!;
        if (!wrote && !spec.startsWith('data:')) continue;
        if (this.lang === 'js' && !isPathLike(spec) && !spec.startsWith('data:')) continue; // a package: node_modules (written()) or installed
        this.resolve(spec, fromFile ? dir : this.x.cwd, false);
      }
    }
  }

  /** A path as the messages show it: relative to the working folder when beneath it. */
  private shown(abs: string): string {
    return abs.startsWith(`${this.x.cwd}/`) ? abs.slice(this.x.cwd.length + 1) : abs;
  }

  private walk(abs: string, text: string): void {
    const x = this.x;
    const literal = this.shown(abs);
    x.emit('read', { text: abs, literal }, this.via);
    if (this.seen.size > MAX_MODULES) return this.unknown(U);
    if (CONFIG.test(abs)) {
      // Its strings may name the file loaded (`"main": "lib/x"`): those the call wrote are loaded.
      for (const m of text.matchAll(/"((?:\.{1,2}\/)?[\w@.-][^"\n]*)"/g)) if (/[/.]/.test(m[1]!)) this.resolve(m[1]!, dirOf(abs), false);
      return;
    }
    // A .pth file runs its lines that start with `import`; the others are folders put on the path.
    const code = abs.endsWith('.pth') ? text.split('\n').filter((l) => /^import[ \t]/.test(l)).join('\n') : text;
    analyze(code, this.lang, x, this.via, { operands: this.ran.operands, file: { text: abs, literal } });
    this.named(code, dirOf(abs));
  }

  /** A module whose text is not known (`abs` may be U: not even its name). */
  unknown(abs: string, what = `${this.name} module`): void {
    const literal = abs.includes(U) ? what : this.shown(abs);
    if (!abs.includes(U)) this.x.emit('read', { text: abs, literal }, this.via);
    this.x.emit('write', { text: U, literal, opaque: true }, `${this.name} module not known`, true);
  }
}
