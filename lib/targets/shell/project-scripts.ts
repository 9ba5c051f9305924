// Commands that run shell text kept in a project file: the `scripts` of package.json that npm,
// yarn, pnpm and bun run (`npm run build`, `npm test`, the install lifecycle), and the recipes of a
// Makefile that make runs. An agent can write either file in one call and run it in the next, so
// the text is read as it is when the call is checked and walked like `sh -c` text, in the folder
// the tool runs it in. What cannot be known (a file this call writes first, one that cannot be
// read or parsed, scripts of other workspace packages, make functions) may write anything: an
// unresolved write, governed by `unresolved`.
import { unparsable } from './parse.js';
import { joinPath, U, type Frame } from './context.js';
import { runScript, scriptText } from './nested.js';
import { alongside } from './written.js';
import { UNSET, type Scope } from './scope.js';
import { knownShell, makeflagsVars, makeQuote, recipeRunners } from './make-shell.js';
import type { Arg } from './types.js';

/** Package managers and the subcommands that run scripts of the project's package.json. */
const MANAGERS = new Set(['npm', 'yarn', 'pnpm', 'bun']);
const MAKES = new Set(['make', 'gmake']);
const STDIN_FILES = new Set(['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);

export function runsProjectScripts(name: string): boolean {
  return MANAGERS.has(name) || MAKES.has(name);
}

/** The words of the options each manager takes with a separate value (`--prefix DIR`). */
const VALUED: Record<string, Set<string>> = {
  npm: new Set(['--prefix', '-C', '--workspace', '-w', '--loglevel', '--registry', '--cache', '--userconfig', '--globalconfig', '--tag', '--otp', '--omit', '--include', '--location', '--script-shell']),
  yarn: new Set(['--cwd', '--registry', '--modules-folder', '--cache-folder', '--use-yarnrc', '--script-shell']),
  pnpm: new Set(['-C', '--dir', '--filter', '-F', '--reporter', '--store-dir', '--config', '--userconfig', '--workspace-root', '--script-shell']),
  bun: new Set(['--cwd', '-c', '--config', '--filter', '-F']),
};
/** Options that pick the folder whose package.json counts. */
const DIR_OPTS = new Set(['--prefix', '-C', '--dir', '--cwd']);
/** Options that run scripts of other workspace packages (their package.json files are not read). */
const WORKSPACES = new Set(['--workspace', '-w', '--workspaces', '-ws', '--filter', '-F', '-r', '--recursive']);
/** What installing runs of the project's own scripts. */
/** npm's spellings of `run` (the script name comes next). */
const RUN = new Set(['run', 'run-script', 'rum', 'urn']);
/** Subcommands that run the script of another name (`npm t` runs `test`). */
const ALIAS: Record<string, string> = { t: 'test', tst: 'test' };
const INSTALL = ['preinstall', 'install', 'postinstall', 'prepublish', 'preprepare', 'prepare', 'postprepare'];
const INSTALLS = new Set(['install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'add', 'ci', 'clean-install', 'install-clean', 'install-ci-test', 'install-test', 'it', 'cit', 'update', 'up', 'upgrade', 'rebuild', 'rb']);
/** Subcommands of each manager that are its own (not a script name: `yarn add`, `pnpm why`). */
const OWN: Record<string, Set<string>> = {
  yarn: new Set(['add', 'audit', 'autoclean', 'bin', 'cache', 'check', 'config', 'create', 'dedupe', 'dlx', 'exec', 'generate-lock-entry', 'global', 'help', 'import', 'info', 'init', 'install', 'licenses', 'link', 'list', 'login', 'logout', 'node', 'npm', 'outdated', 'owner', 'pack', 'plugin', 'policies', 'publish', 'remove', 'set', 'tag', 'team', 'unlink', 'unplug', 'upgrade', 'upgrade-interactive', 'version', 'versions', 'why', 'workspace', 'workspaces', 'up', 'explain', 'constraints', 'patch', 'patch-commit', 'rebuild', 'search', 'stage']),
  pnpm: new Set(['add', 'audit', 'bin', 'config', 'create', 'dedupe', 'deploy', 'dlx', 'env', 'exec', 'fetch', 'import', 'init', 'install', 'i', 'install-test', 'it', 'licenses', 'link', 'ln', 'list', 'ls', 'outdated', 'pack', 'patch', 'patch-commit', 'prune', 'publish', 'rebuild', 'rb', 'remove', 'rm', 'root', 'server', 'setup', 'store', 'unlink', 'update', 'up', 'why', 'doctor', 'get', 'set', 'login', 'logout', 'whoami', 'view', 'info', 'cat-file', 'cat-index', 'find-hash']),
  bun: new Set(['add', 'build', 'create', 'exec', 'init', 'install', 'i', 'link', 'outdated', 'patch', 'pm', 'publish', 'remove', 'rm', 'repl', 'test', 'unlink', 'update', 'upgrade', 'x', 'audit', 'info', 'why', 'completions', 'discord', 'help']),
};

/** Walks what `name args` runs from the project's files (its file effects are judged elsewhere). */
export function projectScripts(name: string, args: Arg[], sc: Scope, fr: Frame): void {
  if (sc.cwd.includes(U)) return unknown(name, sc, fr);
  if (MAKES.has(name)) return make(name, args, sc, fr);
  const opts = VALUED[name]!;
  let dir: string | undefined;
  let sub: string | undefined;
  const rest: string[] = [];
  let ends = false;
  let workspaces = false;
  // The program the scripts run with: npm's and pnpm's `script-shell` setting (option or
  // `npm_config_script_shell` in any case), else `sh -c`.
  let shell: string | undefined;
  for (const v of name === 'npm' || name === 'pnpm' ? ['npm_config_script_shell', 'NPM_CONFIG_SCRIPT_SHELL'] : []) {
    const got = sc.get(v);
    if (typeof got === 'string') shell = got.includes(U) && sc.given(v) ? shell : got;
  }
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!.text;
    if (ends || (sub !== undefined && !t.startsWith('-'))) {
      rest.push(t);
      continue;
    }
    if (t === '--') {
      ends = sub !== undefined;
      continue;
    }
    // Options go to the manager wherever they stand before `--` (`npm run x --prefix DIR`).
    if (t.startsWith('-')) {
      const eq = t.indexOf('=');
      const key = eq > 0 ? t.slice(0, eq) : t;
      const value = eq > 0 ? t.slice(eq + 1) : opts.has(key) ? args[++i]?.text : undefined;
      if (DIR_OPTS.has(key) && value !== undefined) dir = value;
      if (key === '--script-shell' && value !== undefined) shell = value;
      if (WORKSPACES.has(key)) workspaces = true;
      continue;
    }
    sub = t;
  }
  const scripts = scriptsRun(name, sub);
  if (scripts === undefined) return;
  if (workspaces) unknown(name, sc, fr);
  const found = packageAt(dir !== undefined ? joinPath(sc.cwd, dir) : sc.cwd, dir === undefined, fr);
  if (!found) return; // the manager finds no package to run scripts of
  const { at, text } = found;
  if (at.includes(U)) return unknown(name, sc, fr);
  let pkg: { scripts?: Record<string, unknown> } | undefined;
  try {
    pkg = text === undefined ? undefined : JSON.parse(text) as typeof pkg;
  } catch {
    pkg = undefined;
  }
  if (!pkg || typeof pkg !== 'object') return unknown(name, sc, fr);
  const defined = pkg.scripts && typeof pkg.scripts === 'object' ? pkg.scripts : {};
  // The script the arguments after the name go to (`npm test -- x`, `npm run build -- x`, `yarn build x`).
  const main = scripts === 'by-name' ? (RUN.has(sub!) ? rest.shift() : sub) : ALIAS[sub!] ?? (['test', 'start', 'stop', 'restart'].includes(sub!) ? sub : undefined);
  const list = scripts === 'by-name' ? (main === undefined ? [] : [`pre${main}`, main, `post${main}`]) : scripts;
  const extra = main === undefined ? '' : rest.map(quote).join(' ');
  for (const s of list) {
    let body = Object.prototype.hasOwnProperty.call(defined, s) ? defined[s] : undefined;
    // npm's default start script.
    if (s === 'start' && body === undefined && scriptText(fr, joinPath(at, 'server.js')) !== 'missing') body = 'node server.js';
    if (typeof body !== 'string') continue;
    // npm runs each script with `sh -c`, the arguments after the name appended (the main script only).
    const line = s === main ? `${body} ${extra}`.trim() : body;
    // Through another program: walked as the command the manager runs.
    walkText(shell === undefined || knownShell(shell) ? line : `${makeQuote(shell)} -c ${makeQuote(line)}`, `${name} script ${JSON.stringify(s)}`, at, sc, fr);
  }
  // What a program other than a known shell makes of the scripts is not known (after the walk).
  if (shell !== undefined && !knownShell(shell)) unknown(`${name} script-shell`, sc, fr);
}

/** The script names `manager sub` runs: a list, `by-name` (the first operand names it), or undefined (none). */
function scriptsRun(name: string, sub: string | undefined): string[] | 'by-name' | undefined {
  if (sub === undefined) return name === 'yarn' ? INSTALL : undefined; // bare `yarn` installs
  if (INSTALLS.has(sub)) return INSTALL;
  if (RUN.has(sub)) return 'by-name';
  if (sub === 'test' || sub === 't' || sub === 'tst') return name === 'bun' ? undefined : ['pretest', 'test', 'posttest'];
  if (sub === 'start') return ['prestart', 'start', 'poststart'];
  if (sub === 'stop') return ['prestop', 'stop', 'poststop'];
  if (sub === 'restart') return ['prerestart', 'restart', 'postrestart', 'prestop', 'stop', 'poststop', 'prestart', 'start', 'poststart'];
  if (sub === 'pack' || sub === 'publish') return ['prepack', 'prepare', 'postpack', 'prepublishOnly', 'prepublish', 'publish', 'postpublish'];
  if (sub === 'version') return ['preversion', 'version', 'postversion'];
  // yarn, pnpm and bun run a script named by their first operand when it is not one of their own commands.
  if (name !== 'npm' && !OWN[name]!.has(sub)) return 'by-name';
  return undefined;
}

/**
 * The package.json that counts: in `from` (a folder given by option), or the nearest at or above
 * it (as npm finds its project); its text, or undefined text when it cannot be known.
 */
function packageAt(from: string, up: boolean, fr: Frame): { at: string; text: string | undefined } | undefined {
  if (from.includes(U)) return { at: from, text: undefined };
  for (let d = from; ; d = d.slice(0, Math.max(1, d.lastIndexOf('/')))) {
    const text = scriptText(fr, joinPath(d, 'package.json'));
    if (text !== 'missing') return { at: d, text };
    if (!up || d === '/') return undefined;
  }
}

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Shell text a tool runs in `dir`, in a child of the calling shell (it inherits the environment). */
export function walkText(text: string, what: string, dir: string, sc: Scope, fr: Frame, noun = 'scripts'): void {
  const inner = sc.child();
  inner.cwd = dir;
  try {
    runScript(text, inner, { ...fr, stdin: undefined, stdinFile: undefined, fed: undefined }, what);
  } catch (e) {
    if (!unparsable(e)) throw e;
    unknown(what, sc, fr, noun);
  }
}

/** What a tool runs from a file the guard cannot read ahead: code it cannot see, an unresolved write. */
export function unknown(what: string, sc: Scope, fr: Frame, noun = 'scripts'): void {
  fr.run.emit('write', { text: U, literal: what, opaque: true }, sc.cwd, `${what} (${noun} not known)`, true);
}

// --- make ---------------------------------------------------------------------------------

/** make's options that take a separate value (GNU make). */
const MAKE_VALUED = new Set(['-f', '--file', '--makefile', '-C', '--directory', '-I', '--include-dir', '-o', '--old-file', '--assume-old', '-W', '--what-if', '--new-file', '--assume-new', '-E', '--eval']);
/** Options whose value is optional: a separate word is theirs only when it is a number (`make -j clean` builds clean). */
const MAKE_NUMBER = new Set(['-j', '--jobs', '-l', '--load-average']);

/** GNU make's built-in variables that recipes commonly use (`make -p`); flags are empty by default. */
const MAKE_DEFAULTS: Record<string, string> = {
  CC: 'cc', CXX: 'g++', CPP: 'cc -E', AR: 'ar', ARFLAGS: 'rv', AS: 'as', LD: 'ld', RM: 'rm -f', MAKE: 'make', SHELL: '/bin/sh',
  CFLAGS: '', CXXFLAGS: '', CPPFLAGS: '', LDFLAGS: '', LDLIBS: '', ASFLAGS: '', MAKEFLAGS: '', INSTALL: 'install',
};

/** Most text one recipe line's expansion may read (`A = $(B)$(B)`, `B = $(C)$(C)`... doubles each level). */
const MAX_EXPANSION = 256 * 1024;

interface Rule { targets: string[]; prereqs: string[]; recipe: string[]; pattern: boolean }

/**
 * make [-C DIR] [-f FILE] [VAR=value] [TARGET...]: the recipes that building the targets (or the
 * default goal) may run, found through prerequisites; pattern rules count whenever a needed file
 * has no rule of its own. Make variables defined plainly are expanded; functions, `$*` and
 * computed names are not known. The targets themselves are files make may write.
 */
function make(name: string, args: Arg[], sc: Scope, fr: Frame): void {
  let dir = sc.cwd;
  const files: string[] = [];
  const goals: Arg[] = [];
  const vars = new Map<string, string>();
  let dry = false;
  // `-j`, `--jobs`, or MAKEFLAGS holding j (make reads it): recipes may run at the same time.
  const mf = sc.get('MAKEFLAGS');
  let jobs = typeof mf === 'string' && (mf.includes(U) || /(^|\s)-?[a-zA-Z]*j|--jobs/.test(mf));
  // MAKEFLAGS carries variable definitions too (`MAKEFLAGS='SHELL=./x'`), as if given on the command line.
  for (const flags of [sc.get('GNUMAKEFLAGS'), mf]) if (typeof flags === 'string' && !flags.includes(U)) for (const [k, v] of makeflagsVars(flags)) vars.set(k, v);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const t = a.text;
    if (/^-[a-zA-Z]*j/.test(t) || t.startsWith('--jobs')) jobs = true;
    const m = /^(-[a-zA-Z]|--[a-z-]+)(?:=(.*))?$/s.exec(t);
    if (t.startsWith('-') && t !== '-') {
      const key = m?.[1] ?? t;
      const value = m?.[2] ?? (MAKE_VALUED.has(key) || (MAKE_NUMBER.has(key) && /^\d+(\.\d+)?$/.test(args[i + 1]?.text ?? '')) ? args[++i]?.text : t.length > 2 && !t.startsWith('--') && 'fCIoWjlEO'.includes(t[1]!) ? t.slice(2) : undefined);
      const opt = t.length > 2 && !t.startsWith('--') && 'fCIoWjlEO'.includes(t[1]!) ? t.slice(0, 2) : key;
      if ((opt === '-C' || opt === '--directory') && value !== undefined) dir = joinPath(dir, value);
      else if ((opt === '-f' || opt === '--file' || opt === '--makefile') && value !== undefined) files.push(joinPath(dir, value));
      else if (opt === '-E' || opt === '--eval') return unknown(name, sc, fr);
      else if (/^-[a-zA-Z]*n/.test(t) && !t.startsWith('--') || t === '--just-print' || t === '--dry-run' || t === '--recon') dry = true;
      continue;
    }
    const eq = /^([A-Za-z_][A-Za-z0-9_.]*)\s*[:+?]?=(.*)$/s.exec(t);
    if (eq) vars.set(eq[1]!, eq[2]!);
    else goals.push(a);
  }
  if (dir.includes(U)) return unknown(name, sc, fr);
  // A target is a file make may create or rewrite (`make .env` with a rule for it, or a built-in rule).
  for (const g of goals) fr.run.emit('write', g, dir, name);
  if (dry) return;
  let text: string | 'missing' | undefined = 'missing';
  for (const f of files.length > 0 ? files : ['GNUmakefile', 'makefile', 'Makefile'].map((n) => joinPath(dir, n))) {
    // `-f -`: the makefile is standard input.
    const stdin = files.length > 0 && (f === joinPath(dir, '-') || STDIN_FILES.has(f));
    const t = stdin ? stdinText(fr) : scriptText(fr, f);
    if (t === 'missing') {
      if (files.length > 0) return; // make stops: no such makefile
      continue;
    }
    if (t === undefined) return unknown(name, sc, fr);
    text = text === 'missing' ? t : `${text}\n${t}`;
    if (files.length === 0) break;
  }
  if (text === 'missing') return; // no makefile: only built-in rules, for the targets above
  // MAKEFILES: makefiles read before the others (variables and rules, not the default goal); a
  // missing one is no error.
  const before: string[] = [];
  // A value from the user's own environment (given) is theirs; one the command made not known is code not seen.
  const mfiles = sc.get('MAKEFILES');
  if (typeof mfiles === 'string' && mfiles.includes(U) && !sc.given('MAKEFILES')) return unknown(name, sc, fr);
  for (const f of typeof mfiles === 'string' && !mfiles.includes(U) ? mfiles.split(/\s+/).filter(Boolean).slice(0, 16) : []) {
    const t = scriptText(fr, joinPath(dir, f));
    if (t === undefined) return unknown(name, sc, fr);
    if (t !== 'missing') before.push(t);
  }
  const parsed = parseMakefile(before.length > 0 ? `${before.join('\n')}\n${text}` : text, vars);
  if (!parsed) return unknown(name, sc, fr);
  if (before.length > 0) {
    const own = parseMakefile(text, vars)?.defaultGoal;
    if (own === undefined) delete parsed.defaultGoal;
    else parsed.defaultGoal = own;
  }
  const wanted = goals.length > 0 ? goals.map((g) => g.text) : parsed.defaultGoal ? [parsed.defaultGoal] : [];
  const byTarget = new Map<string, Rule[]>();
  for (const r of parsed.rules) if (!r.pattern) for (const t of r.targets) byTarget.set(t, [...(byTarget.get(t) ?? []), r]);
  const seen = new Set<string>();
  const run = new Set<Rule>();
  let patterns = false;
  const queue = [...wanted];
  while (queue.length > 0) {
    const t = queue.shift()!;
    if (seen.has(t)) continue;
    seen.add(t);
    fr.run.step();
    const rules = byTarget.get(t);
    if (!rules) {
      patterns = true;
      continue;
    }
    for (const r of rules) {
      run.add(r);
      queue.push(...r.prereqs);
    }
  }
  if (patterns) for (const r of parsed.rules) if (r.pattern) run.add(r);
  // A variable make takes from the environment, else its built-in default.
  const fromEnv = (v: string): string | undefined => {
    if (v === 'CURDIR') return dir;
    const e = sc.get(v);
    if (typeof e === 'string' && !e.includes(U)) return e;
    // Not in the environment (known unset): make's default, else empty.
    const alts = sc.alts(v);
    if (e === UNSET || (alts?.length === 1 && alts[0] === '')) return MAKE_DEFAULTS[v] ?? '';
    return undefined;
  };
  // Parallel jobs: each recipe may read what another writes meanwhile (written.ts).
  if (jobs) fr = alongside(fr, true);
  // The program the recipes run with: SHELL and .SHELLFLAGS of the makefile or command line (never
  // the environment's), and every target-specific value.
  const own = (v: string): string | undefined => parsed.vars.get(v) ?? (v === 'SHELL' || v === '.SHELLFLAGS' ? undefined : fromEnv(v));
  const values = (v: string, dflt: string): (string | undefined)[] => [parsed.vars.get(v) ?? dflt, ...parsed.targetVars.filter((t) => t.name === v).map((t) => t.value)]
    .map((x) => expandMake(x, own, undefined, []));
  const runners = recipeRunners(values('SHELL', '/bin/sh'), values('.SHELLFLAGS', '-c'));
  for (const r of run) {
    for (const line of r.recipe) {
      const target = r.pattern ? undefined : r.targets[0];
      const expanded = expandMake(line.replace(/^[@+\- \t]+/, ''), (v) => parsed.vars.get(v) ?? fromEnv(v), target, r.prereqs);
      const what = `${name} recipe of ${JSON.stringify(r.targets.join(' '))}`;
      if (expanded === undefined) unknown(`${name} recipe`, sc, fr);
      else if (!runners || runners.some((x) => x.plain)) walkText(expanded, what, dir, sc, fr);
      // Run through another program: the line is its argument, walked as the command make runs.
      if (expanded !== undefined) for (const x of runners ?? []) if (!x.plain) walkText(`${x.prefix} ${makeQuote(expanded)}`, what, dir, sc, fr);
    }
  }
  // A program that is not a shell the guard reads: what it makes of the lines is not known (after
  // the walk, which would otherwise take this unknown write for one of the program's own).
  if (!runners || runners.some((x) => !x.plain)) unknown(`${name} SHELL`, sc, fr);
}

/** Rules, plain variables and the default goal of a makefile's text; undefined when it uses what is not read (include, eval, define). */
function parseMakefile(text: string, cmdVars: Map<string, string>): { rules: Rule[]; vars: Map<string, string>; targetVars: { name: string; value: string }[]; defaultGoal?: string } | undefined {
  const vars = new Map<string, string>();
  const targetVars: { name: string; value: string }[] = [];
  const rules: Rule[] = [];
  let current: Rule | undefined;
  let defaultGoal: string | undefined;
  const lines = text.replace(/\\\r?\n[ \t]*/g, ' ').split(/\r?\n/);
  for (const line of lines) {
    if (line.startsWith('\t')) {
      if (current) current.recipe.push(line.slice(1));
      continue;
    }
    const bare = line.replace(/(^|[^\\])#.*$/, '$1').trim();
    if (bare === '') continue;
    // Conditionals: both branches count (the recipes under each are kept).
    if (/^(ifeq|ifneq|ifdef|ifndef|else|endif)\b/.test(bare)) continue;
    if (/^(-?include|sinclude|define|endef|vpath|export|unexport|override|undefine|\.RECIPEPREFIX)\b/.test(bare) && !/^(export|unexport|override)\s+[A-Za-z_][\w.]*\s*[:+?!]?=/.test(bare)) {
      if (/^(export|unexport)\b/.test(bare)) continue;
      return undefined;
    }
    if (/\$\((eval|shell|call|foreach|file)\b/.test(bare)) return undefined;
    const assign = /^(?:export\s+|override\s+)?([A-Za-z_.][\w.]*)\s*(::?=|:::=|\+=|\?=|!=|=)\s*(.*)$/.exec(bare);
    if (assign) {
      const [, n, op, v] = assign;
      if (op === '!=') return undefined; // the value is a shell command's output
      if (op === '+=') vars.set(n!, `${vars.get(n!) ?? ''} ${v}`.trim());
      else if (op !== '?=' || !vars.has(n!)) vars.set(n!, v!);
      current = undefined;
      continue;
    }
    // `targets: prereqs [; recipe]` (found with indexOf: a hostile makefile's long lines must not
    // make a regex backtrack); a target-specific assignment (`t: X = 1`) is no rule.
    const c = bare.indexOf(':');
    const semi = bare.indexOf(';', c);
    const head = semi < 0 ? bare.slice(c + 1) : bare.slice(c + 1, semi);
    if (c <= 0 || bare.slice(0, c).includes('=') || bare.slice(0, c).includes(';') || head.includes('=')) {
      // `t: SHELL = x`: the program t's recipes run with (a function in it is not known).
      const tv = c > 0 ? /^\s*(?:(?:export|override|private)\s+)*(SHELL|\.SHELLFLAGS)\s*(?:::?=|:::=|\+=|\?=|!=|=)\s*(.*)$/.exec(bare.slice(c + 1)) : null;
      if (tv) targetVars.push({ name: tv[1]!, value: /^\s*!=/.test(bare.slice(c + 1).replace(/^[^!=]*/, '')) ? '$(shell)' : tv[2]! });
      current = undefined;
      continue;
    }
    const targets = bare.slice(0, c).trim().split(/[ \t]+/).filter(Boolean);
    const prereqs = head.replace(/^:/, '').replace(/\|/g, ' ').trim().split(/[ \t]+/).filter(Boolean);
    const inline = semi < 0 ? '' : bare.slice(semi + 1).trim();
    current = { targets, prereqs, recipe: inline ? [inline] : [], pattern: targets.some((t) => t.includes('%')) };
    rules.push(current);
    if (defaultGoal === undefined) defaultGoal = targets.find((t) => !t.startsWith('.') && !t.includes('%'));
  }
  for (const [k, v] of cmdVars) vars.set(k, v);
  return { rules, vars, targetVars, defaultGoal };
}

/**
 * A recipe line with make's expansions done: `$$` is `$`, plain variables their values (expanded
 * again, bounded), `$@` the target, `$<`/`$^` the prerequisites; undefined for anything else (a
 * function, `$*`, a name not defined in the makefile or environment is empty to make but may be set
 * where the guard does not look, so it stays unknown).
 */
function expandMake(body: string, lookup: (name: string) => string | undefined, target: string | undefined, prereqs: string[], depth = 0, room = { left: MAX_EXPANSION }): string | undefined {
  if (depth > 8 || (room.left -= body.length) < 0) return undefined;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '$') {
      out += c;
      continue;
    }
    const n = body[i + 1];
    if (n === undefined) return undefined;
    if (n === '$') {
      out += '$';
      i++;
      continue;
    }
    let ref: string;
    if (n === '(' || n === '{') {
      const close = body.indexOf(n === '(' ? ')' : '}', i + 2);
      if (close < 0) return undefined;
      ref = body.slice(i + 2, close);
      i = close;
    } else {
      ref = n;
      i++;
    }
    if (ref === '@') {
      if (target === undefined) return undefined;
      out += target;
    } else if (ref === '<') out += prereqs[0] ?? '';
    else if (ref === '^' || ref === '+') out += prereqs.join(' ');
    else if (ref === 'MAKE') out += 'make';
    else if (/^[A-Za-z_][\w.]*$/.test(ref) && lookup(ref) !== undefined) {
      const v = expandMake(lookup(ref)!, lookup, target, prereqs, depth + 1, room);
      if (v === undefined) return undefined;
      out += v;
    } else return undefined;
  }
  return out;
}

/** The text on standard input: literal, or the file `< FILE` feeds as it is now (/dev/null: none). */
function stdinText(fr: Frame): string | undefined {
  if (typeof fr.stdin === 'string') return fr.stdin;
  if (fr.stdinFile === undefined) return undefined;
  if (fr.stdinFile === '/dev/null') return '';
  const t = scriptText(fr, fr.stdinFile);
  return t === 'missing' ? undefined : t;
}
