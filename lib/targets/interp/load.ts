// The narrow door from the shell dispatch to interpreter code and archive analysis. Only the
// command names live here: the analyzers (lexers, archive readers) are required on the first
// command that needs them, so an ordinary shell call never loads them (under the bundle
// `require` is esbuild's lazy module init; under tsx/node ESM the source is required instead).
import { sourceRequire } from '../../builtin.js';
import { UNRESOLVED_SEGMENT, type Op } from '../../types.js';
import type { Arg, CmdCtx, Input } from '../shell/types.js';

declare const require: ((id: string) => unknown) | undefined;

/** What a code or archive command may do, given by the dispatch (see dispatch.ts `codeCtx`). */
export interface CodeCtx {
  c: CmdCtx;
  /** Emits a target; `unknown` marks it unresolved even when its text is literal. */
  emit(op: Op, a: Arg, via: string, unknown?: boolean, beneath?: boolean): void;
  /** The shell's working directory (may hold unresolved parts). */
  cwd: string;
  home: string;
  /** Standard input: literal text, null (unknown) or undefined (none), and the file behind `< FILE`. */
  stdin: Input;
  stdinFile?: string;
  /**
   * Analyzes shell text the code runs (system(), backticks...), one level deeper; false when it
   * does not parse. `dir`: the folder it runs in, relative to the shell's (code that changed its
   * own, or gave the command another); U in it for one not known.
   */
  shell(text: string, what: string, dir?: string): boolean;
  /** A variable of the environment the command runs in (undefined when unknown). */
  getenv(name: string): string | undefined;
  /** Bound on one script read from disk, and the time budget check. */
  maxBytes: number;
  check(): void;
  /** An earlier command of the same call writes (or may write) this absolute path: its content is unknown. */
  written(abs: string): boolean;
  /** The text of a file `written` says the call wrote, when the one statement that wrote it is known. */
  known?(abs: string): string | undefined;
  /**
   * Every name the call wrote so far, known in full, that `candidate` keeps (remembered per `key`
   * for the call: the same test gives the same answer for a name), with the places its links make
   * it reach; `folder`: a folder was put there.
   */
  writtenFiles?(key: string, candidate: (f: WrittenName) => boolean): WrittenName[];
  /** Whether the call wrote anything so far (written.ts hasWritten). */
  wroteAny?(): boolean;
  /** The variable's value holds parts not known (`NODE_OPTIONS="$(cat f)"`): getenv gives undefined for it. */
  envUnknown?(name: string): boolean;
  /** The command runs alongside others: writes of theirs that `loads` says it may load are checked after the walk. */
  loadsAlongside?(loads: (abs: string) => boolean, literal: string): void;
}

/** A name the call wrote (shell/written.ts). */
export interface WrittenName {
  path: string;
  /** Null when a link leads somewhere not known: it may be any place. */
  places: string[] | null;
  folder: boolean;
}

/** `false`: not this analyzer's form after all (tar -c): the shell table's handler judges it. */
export type CodeHandler = (name: string, args: Arg[], x: CodeCtx) => boolean | void;

export interface CodeCommand {
  run: CodeHandler;
  /** The table's own handler (sed -i, perl -i) still runs unless this replaces it. */
  replaces: boolean;
}

const INTERP = /^(?:python(?:\d+(?:\.\d+)?)?|pypy3?|node(?:js)?|tsx|ts-node(?:-esm)?|deno|bun|perl(?:5[.\d]*)?|ruby(?:\d[.\d]*)?|php(?:\d[.\d]*)?|awk|gawk|mawk|nawk|busybox-awk|sed|gsed|vim?|nvim|ex|view|ed|red|sqlite3?)$/;
const ARCHIVE = /^(?:tar|gtar|bsdtar|ar|unzip|7z|7za|7zz|7zr|cpio|gzip|gunzip|zcat|bzip2|bunzip2|bzcat|xz|unxz|xzcat|lzma|unlzma|zstd|unzstd|zstdcat|lz4|unlz4|lz4cat)$/;

/**
 * Interpreters of languages the guard does not read (and shells of another syntax): the code they
 * run (inline, on standard input or in a script) may write anything, so it is code the guard does
 * not see (an unresolved write), unless the command only asks for the version or help.
 */
const UNREAD = /^(?:lua(?:jit|\d[.\d]*)?|tclsh[.\d]*|wish[.\d]*|expect|Rscript|R|julia|guile[.\d]*|racket|sbcl|clisp|ecl|gcl|ghci|runghc|runhaskell|ocaml|utop|scala|scala-cli|groovy|jshell|kotlin|kotlinc|elixir|iex|erl|escript|swift|pwsh|powershell|fish|csh|tcsh|xonsh|nu|gnuplot|octave|octave-cli|emacs|dc|gforth|pike|io|rexx|regina|nix-shell|nix|elvish|ion|oil|osh|ysh|tclkit|ninja|samu|meson|logrotate|cmake|ctest|cpack|scons|bazel|bazelisk|buck|buck2|waf)$/;
const ONLY_ASKS = /^(?:--?(?:version|help)|-[vVh])$/;

/** An interpreter of a language the guard does not read (its data entry, if any, still applies). */
export function unreadLanguage(name: string): boolean {
  return UNREAD.test(name);
}

function unreadCode(name: string, args: Arg[], x: CodeCtx): void {
  x.check();
  if (args.length > 0 && args.every((a) => ONLY_ASKS.test(a.text))) return;
  // `swift build`, `kotlin`… subcommands build the project (code a build tool finds itself: README).
  if (/^(?:swift|kotlin|scala|scala-cli|elixir|nix)$/.test(name) && /^(?:build|test|package|compile|repl|format|fmt|--?\w)/.test(args[0]?.text ?? '') && !args.some((a) => /^(?:-e|--eval|-c|--command|-x)$/.test(a.text))) return;
  // Build files and configurations that run commands (build.ninja, meson.build, CMakeLists.txt and
  // `cmake -P` scripts, logrotate's postrotate): not read. `cmake -E` commands are walked as the
  // commands they are (command-runners.ts); nothing else of `cmake -E` runs code.
  if (name === 'cmake' && args.some((a) => a.text === '-E')) return;
  // emacs edits the files it is given (its data entry says so) and runs Lisp only when asked.
  if (name === 'emacs' && !args.some((a) => /^(?:--?batch|--script|--eval|--load|-l|-x|--execute|-f|--funcall)(?:=|$)/.test(a.text))) return;
  x.emit('write', { text: UNRESOLVED_SEGMENT, literal: name, opaque: true }, `${name}: code in a language the guard does not read`, true);
}

/**
 * Programs written in an interpreted language that load the project's code by name (pytest's
 * conftest.py and test files, jest's and eslint's configs, a Rakefile): what the call wrote that
 * their language may load is read as for the interpreter itself (module-loads.ts). Other programs
 * found on PATH count by their `#!` line.
 */
const TOOLS: Record<string, string> = Object.fromEntries([
  // pip and pydoc are Python programs too: PYTHONPATH and a written sitecustomize.py apply to them
  // (found through a pyenv shim, a `#!` line is bash: known by name).
  ['python', 'pytest py.test tox nox invoke inv fab django-admin flask uvicorn gunicorn celery mypy pylint sphinx-build mkdocs ipython jupyter coverage behave locust scrapy streamlit hypercorn daphne alembic '
    + 'pip pip3 pydoc pydoc3 pipx pipenv poetry pdm hatch twine virtualenv pre-commit black isort flake8 idle idle3 2to3 pyvenv wheel easy_install'],
  ['js', 'jest vitest mocha ava tap eslint prettier stylelint webpack webpack-cli vite rollup next nuxt astro gulp grunt babel nodemon ts-node-dev playwright cypress karma nx parcel svelte-kit remix storybook react-scripts ng hardhat serverless cdk pm2 postcss'],
  ['perl', 'prove'],
  ['ruby', 'rake rspec rails irb pry cucumber rackup'],
  ['php', 'phpunit artisan'],
].flatMap(([lang, names]) => names!.split(' ').map((n) => [n, lang!])));

const RUNNERS = new Set(['npm', 'npx', 'pnpm', 'pnpx', 'yarn', 'yarnpkg', 'corepack']);
/** A versioned name (`pip3.12`, `pydoc3.11`) is the program's. */
const toolName = (name: string): string => (Object.hasOwn(TOOLS, name) ? name : name.replace(/\d+(?:\.\d+)*$/, ''));
const PRELOAD = /(?:^|\s)(?:-r|--require|--import|--loader|--experimental-loader)(?:[\s=]|$)/;

/**
 * Node options npm and pnpm give the scripts and programs they run, besides NODE_OPTIONS: their
 * `node-options` setting from `--node-options` or `npm_config_node_options` (npm reads its
 * settings from `npm_config_*` variables in any case).
 */
function runnerNodeOptions(name: string, args: Arg[], x: CodeCtx): { text: string; unknown: boolean } {
  const out: string[] = [];
  let unknown = false;
  if (!/^(?:npm|npx|pnpm|pnpx)$/.test(name)) return { text: '', unknown };
  for (const v of ['npm_config_node_options', 'NPM_CONFIG_NODE_OPTIONS', 'npm_config_node-options']) {
    const val = x.getenv(v);
    if (val !== undefined) out.push(val);
    else if (x.envUnknown?.(v)) unknown = true;
  }
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!.text;
    if (t === '--') break;
    if (t.startsWith('--node-options=')) out.push(t.slice('--node-options='.length));
    else if (t === '--node-options' && args[i + 1]) out.push(args[++i]!.text);
  }
  return { text: out.join(' '), unknown };
}

type Mod = {
  toolLoads(name: string, lang: string, x: CodeCtx): void;
  codeCommand: CodeHandler;
  readAt(abs: string, maxBytes: number): string | 'missing' | undefined;
  shebangOf(abs: string): string[] | undefined;
  shebangOfText(head: string | undefined): string[] | undefined;
};
type Which = 'interp' | 'archive' | 'sed' | 'source';
const mods: Partial<Record<Which, Mod>> = {};

// Under tsx `import.meta.url` is the `.ts` source (and a global `require` may exist: the shell
// parser defines one, resolving from its own folder), so the source is required by path. In the
// bundles (the hooks' CommonJS, where import.meta is empty, and the library's ESM `.mjs`)
// esbuild replaces `require('./x.js')` with its lazy module init.
// sed, the most common of these in ordinary commands, has a module of its own.
function load(which: Which): Mod {
  const url = import.meta.url as string | undefined;
  const from = typeof url === 'string' && url.endsWith('.ts') ? sourceRequire(url) : undefined;
  if (which === 'interp') return (mods.interp ??= (from ? from('./index.ts') : require!('./index.js')) as Mod);
  if (which === 'source') return (mods.source ??= (from ? from('./source.ts') : require!('./source.js')) as Mod);
  if (which === 'sed') return (mods.sed ??= (from ? from('./sed.ts') : require!('./sed.js')) as Mod);
  return (mods.archive ??= (from ? from('../archive/index.ts') : require!('../archive/index.js')) as Mod);
}

/** The analyzer for a command name (basename), or undefined: nothing is loaded for other names. */
export function codeCommand(name: string): CodeCommand | undefined {
  if (name === 'sed' || name === 'gsed') return { run: (n, a, x) => load('sed').codeCommand(n, a, x), replaces: false };
  if (INTERP.test(name)) return { run: (n, a, x) => load('interp').codeCommand(n, a, x), replaces: false };
  if (ARCHIVE.test(name)) return { run: (n, a, x) => load('archive').codeCommand(n, a, x), replaces: true };
  if (UNREAD.test(name)) return { run: unreadCode, replaces: false };
  return undefined;
}

/** A shell script file's text (`bash fix.sh`): `missing`, or undefined when it cannot be read within the bound. */
export function scriptFile(abs: string, maxBytes: number): string | 'missing' | undefined {
  return load('source').readAt(abs, Math.min(maxBytes, 256 * 1024));
}

/** The interpreter of a script run by its path (`./tool.py`), from its `#!` line. */
export function shebang(abs: string): string[] | undefined {
  return load('source').shebangOf(abs);
}

/** The same, from a script's text known without reading the disk (written.ts knownText). */
export function shebangText(text: string): string[] | undefined {
  return load('source').shebangOfText(text.slice(0, 256));
}

/**
 * A program that is not an interpreter but loads modules of one by name: by the table above, else
 * by its `#!` line (`interp`, read from the program PATH finds). Loaded only then.
 */
export function toolModules(name: string, interp: string[] | undefined, x: CodeCtx, args: Arg[] = []): void {
  // Package managers and runners run the project's scripts and packages' programs, which the shell analysis walks itself.
  // ...but they are node programs themselves: a preload in NODE_OPTIONS runs in them too, and
  // in every node program they run, with their own node options added.
  if (RUNNERS.has(name)) {
    const extra = runnerNodeOptions(name, args, x);
    const all = `${x.getenv('NODE_OPTIONS') ?? ''} ${extra.text}`;
    if (!PRELOAD.test(all) && !extra.unknown) return;
    const { getenv, envUnknown } = x;
    if (extra.text !== '' || extra.unknown) {
      x = { ...x, getenv: (n) => (n === 'NODE_OPTIONS' ? all : getenv(n)), envUnknown: (n) => (n === 'NODE_OPTIONS' && extra.unknown) || (envUnknown?.(n) ?? false) };
    }
  }
  const via = interp?.[0]?.replace(/^.*\//, '');
  const tool = toolName(name);
  const lang = Object.hasOwn(TOOLS, tool) ? TOOLS[tool] : via === undefined ? undefined
    : /^(?:python|pypy)/.test(via) ? 'python' : /^(?:node|nodejs|tsx|ts-node)$/.test(via) ? 'js' : /^perl/.test(via) ? 'perl' : /^ruby/.test(via) ? 'ruby' : /^php/.test(via) ? 'php' : undefined;
  if (lang) load('interp').toolLoads(name, lang, x);
}
