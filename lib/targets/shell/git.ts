// `git`: global options (`-C`, `--git-dir`, `--work-tree`, `-c`), then the subcommand. Shell
// text git runs for you (`-c alias.x='!cmd'`, `-c core.pager=cmd`...) is analyzed like `sh -c`;
// aliases given with `-c` are expanded; an unknown subcommand (an alias from a config file, an
// external `git-foo`) is treated like an unknown command: its operands may be written.
import type { Op } from '../../types.js';
import { U, joinPath, type Frame } from './context.js';
import { unknownOperands } from './commands.js';
import { GIT_COMMANDS } from './git-commands.js';
import { isDirAt, type GitCtx, type GitHost, type Repo } from './git-ctx.js';
import { findRepoIn } from './git-repo.js';
import { findHooks, runHooks } from './git-hooks.js';
import { isInclude, runSetting, walkConfigFiles } from './git-config-files.js';
import { asker, countGit, quietCall } from './git-query.js';
import type { Scope } from './scope.js';
import type { Arg } from './types.js';

/** Global options that take a value (attached with `=`, or the next argument). */
const GLOBAL_VALUE = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--config-env', '--super-prefix', '--attr-source']);

/** Global flags passed on when git is asked; flags that change nothing asked; any other option: not asked. */
const QUERY_FLAGS = new Set(['--literal-pathspecs', '--glob-pathspecs', '--noglob-pathspecs', '--icase-pathspecs', '--bare', '--no-replace-objects']);
const QUERY_IGNORED = new Set(['--no-pager', '-P', '-p', '--paginate', '--no-optional-locks', '--no-advice', '--no-lazy-fetch']);
/**
 * Variables the command sets that change which repository, index, objects or settings git uses:
 * git is then not asked (GIT_DIR and GIT_WORK_TREE are read above and passed as options).
 */
const QUERY_ENV = ['GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY', 'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_COMMON_DIR', 'GIT_CONFIG',
  'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_SYSTEM', 'GIT_CONFIG_NOSYSTEM', 'GIT_CONFIG_COUNT', 'GIT_CONFIG_PARAMETERS', 'GIT_CEILING_DIRECTORIES',
  'GIT_DISCOVERY_ACROSS_FILESYSTEM', 'GIT_NAMESPACE', 'GIT_NO_REPLACE_OBJECTS', 'GIT_REPLACE_REF_BASE', 'GIT_ICASE_PATHSPECS',
  'GIT_GLOB_PATHSPECS', 'GIT_NOGLOB_PATHSPECS', 'GIT_ATTR_SOURCE', 'GIT_SHALLOW_FILE', 'GIT_EXEC_PATH', 'HOME', 'XDG_CONFIG_HOME',
  'GIT_EXTERNAL_DIFF', 'GIT_TEMPLATE_DIR'];

/** Environment variables whose value is a command git runs. */
const COMMAND_ENV = ['GIT_EXTERNAL_DIFF', 'GIT_EDITOR', 'GIT_SEQUENCE_EDITOR', 'GIT_PAGER', 'GIT_SSH_COMMAND', 'GIT_SSH',
  'GIT_ASKPASS', 'GIT_PROXY_COMMAND', 'EDITOR', 'VISUAL', 'PAGER'];
/** Subcommand options whose value is a command git runs (`fetch --upload-pack`, `difftool --extcmd`...). */
const COMMAND_OPT = /^--(upload-pack|receive-pack|exec|extcmd)(=|$)/;

/** Settings given on the command line or in the environment (`GIT_CONFIG_COUNT`, `--config-env`). */
function envSettings(host: GitHost): [string, string][] {
  const out: [string, string][] = [];
  const n = Math.min(Number(host.getenv('GIT_CONFIG_COUNT') ?? 0) || 0, 100);
  for (let k = 0; k < n; k++) {
    const key = host.getenv(`GIT_CONFIG_KEY_${k}`);
    // A key or value the call made unknown: any setting, any command.
    if (host.unknownEnv?.(`GIT_CONFIG_KEY_${k}`) || host.unknownEnv?.(`GIT_CONFIG_VALUE_${k}`)) out.push([U, U]);
    else if (key !== undefined) out.push([key, host.getenv(`GIT_CONFIG_VALUE_${k}`) ?? '']);
  }
  return out;
}

export function gitCommand(first: Arg, args: Arg[], sc: Scope, fr: Frame, host: GitHost): void {
  // Only the first git command of a call may be asked about: a later one meets the state an earlier one left.
  const nth = countGit(fr.run);
  let cwd = sc.cwd;
  let gitDir = host.getenv('GIT_DIR');
  let workTree = host.getenv('GIT_WORK_TREE');
  let literalSpecs = host.getenv('GIT_LITERAL_PATHSPECS') === '1';
  const aliases = new Map<string, string>();
  // `unknown`: commands the guard cannot read ahead (hooks elsewhere, settings it cannot see).
  const flags: GitFlags = { unknown: host.getenv('GIT_CONFIG_PARAMETERS') !== undefined || host.unknownEnv?.('GIT_CONFIG_PARAMETERS') === true, template: host.getenv('GIT_TEMPLATE_DIR') !== undefined, includes: [], commands: [] };
  for (const [k, v] of envSettings(host)) {
    if (k === U) flags.unknown = true;
    else configured(`${k}=${v}`, aliases, flags, cwd, host);
  }
  // GIT_CONFIG_PARAMETERS (what `git -c` hands its children): read for aliases too; still unknown as a whole.
  for (const kv of configParameters(host.getenv('GIT_CONFIG_PARAMETERS') ?? '')) configured(kv, aliases, flags, cwd, host);
  for (const name of COMMAND_ENV) {
    const v = host.getenv(name);
    if (v !== undefined && v !== '') host.shell(v, cwd);
  }
  // What git may be asked with (git-query.ts): the global options that select the repository and
  // read pathspecs, as options; anything that could change settings or what git runs: not asked.
  const inherited = (n: string): string | undefined => (n === 'HOME' ? fr.run.home : fr.run.opts.git?.env[n]);
  const ask = { ok: !flags.unknown && QUERY_ENV.every((n) => [undefined, inherited(n)].includes(host.getenv(n))), args: [] as string[] };
  let i = 0;
  for (; i < args.length; i++) {
    const t = args[i]!.text;
    if (!t.startsWith('-')) break;
    const eq = t.startsWith('--') ? t.indexOf('=') : -1;
    const name = eq < 0 ? t : t.slice(0, eq);
    if (!GLOBAL_VALUE.has(name)) {
      if (t === '--literal-pathspecs') literalSpecs = true;
      if (QUERY_FLAGS.has(t)) ask.args.push(t);
      else if (!QUERY_IGNORED.has(t)) ask.ok = false;
      continue;
    }
    const v = eq >= 0 ? t.slice(eq + 1) : args[++i]?.text;
    if (v === undefined) return;
    if (name !== '-C' && name !== '--git-dir' && name !== '--work-tree') ask.ok = false;
    if (name === '-C') cwd = joinPath(cwd, v);
    else if (name === '--git-dir') gitDir = v;
    else if (name === '--work-tree') workTree = v;
    else if (name === '-c') configured(v, aliases, flags, cwd, host);
    else if (name === '--config-env') {
      // NAME=VAR: the value of an unknown variable may be any command (an alias it names is then unknown too).
      const eq2 = v.indexOf('=');
      const value = eq2 < 0 ? undefined : host.getenv(v.slice(eq2 + 1));
      if (value === undefined) flags.unknown = true;
      else configured(`${v.slice(0, eq2)}=${value}`, aliases, flags, cwd, host);
    }
  }
  const sub0 = args[i];
  if (!sub0) return;
  if (gitDir !== undefined) ask.args.push(`--git-dir=${gitDir}`);
  if (workTree !== undefined) ask.args.push(`--work-tree=${workTree}`);
  if (literalSpecs) ask.args.push('--literal-pathspecs');
  if (aliases.size > 0) ask.ok = false;
  let sub: Arg = sub0;
  let rest = args.slice(i + 1);
  // `-c alias.NAME=...`: a `!` alias is shell text given the arguments; else more git words.
  for (let n = 0; aliases.has(sub.text.toLowerCase()) && n < 10; n++) {
    const a: string = aliases.get(sub.text.toLowerCase())!;
    if (a.startsWith('!')) {
      host.shell(`${a.slice(1)} ${rest.map((r) => quote(r.text)).join(' ')}`, cwd);
      return;
    }
    if (!cwd.includes(U)) {
      // git splits an alias with shell quoting: let the shell analysis read it, in the same repository.
      const where = [`-C ${quote(cwd)}`, gitDir ? `--git-dir=${quote(gitDir)}` : '', workTree ? `--work-tree=${quote(workTree)}` : ''];
      host.shell(`git ${where.join(' ')} ${a} ${rest.map((r) => quote(r.text)).join(' ')}`, cwd);
      return;
    }
    const lit = sub.literal;
    const words: Arg[] = a.split(/\s+/).filter(Boolean).map((w) => ({ text: w, literal: lit }));
    if (words.length === 0) return;
    sub = words[0]!;
    rest = [...words.slice(1), ...rest];
  }
  const via = `git ${sub.text}`;
  let repo: Repo | undefined;
  const by = ++fr.run.seq;
  const g: GitCtx = {
    cwd,
    via,
    by,
    literal: `${first.literal} ${sub.literal}`,
    literalSpecs,
    template: flags.template,
    fr,
    run: fr.run,
    // `HOME=D git config --global`: git's global files follow the HOME it is given.
    home: homeOf(host.getenv('HOME'), fr.run.home),
    host,
    emit: (op: Op, a: Arg, base = cwd, unknown = false) => {
      fr.run.emit(op, a, base, via, unknown, false, by);
      // Files only git knows under a folder (a checkout, merge, clone...) may be symbolic links the
      // repository holds: later operands of the same command through that folder are unknown.
      if (op === 'write' && a.text.endsWith(`/${U}`) && !base.includes(U)) fr.run.overlay.unknown(joinPath(base, a.text), by);
    },
    repo: () => (repo ??= findRepoIn(fr.run, cwd, gitDir, workTree)),
    ...(gitDir !== undefined ? { gitDir } : {}),
    top: () => g.repo().worktree ?? cwd,
    isDir: (a: Arg) => isDirAt(cwd, a.text),
    asker: () => (ask.ok && nth === 1 && quietCall(fr) ? asker(fr.run, cwd, ask.args) : undefined),
  };
  // The hooks it will run, as they are before it runs (git-hooks.ts); analyzed once its own effects are known.
  // The commands its config files name (git-config-files.ts), and the aliases and settings they hold.
  const fromFiles = walkConfigFiles(g, flags.includes);
  // git runs them at the top of the working tree: `cd sub; git -c core.fsmonitor=./s status` runs top/s.
  if (!cwd.includes(U) && g.top() !== cwd) for (const [k, v] of flags.commands) runSetting(k, v, g.top(), host);
  if (fromFiles.template) g.template = true;
  const hooks = findHooks(sub.text, g, flags.hooksPath, fromFiles.hooks);
  const before = fr.run.targets.length;
  if (flags.unknown) g.emit('write', { text: U, literal: g.literal, opaque: true }, cwd, true);
  // Long options naming a command mean that for every subcommand; short ones are read by their handler.
  for (let k = 0; k < rest.length; k++) {
    const t = rest[k]!.text;
    const m = COMMAND_OPT.exec(t);
    if (m) {
      const v = m[2] ? t.slice(m[0].length) : rest[++k]?.text;
      if (v !== undefined) host.shell(v, cwd);
    } else if (t.startsWith('ext::')) g.emit('write', { text: U, literal: rest[k]!.literal, opaque: true }, cwd, true);
  }
  const handler = GIT_COMMANDS.get(sub.text);
  if (handler) handler(rest, g);
  else {
    unknownSub(rest, g);
    configAlias(sub, rest, g, fromFiles.aliases);
  }
  runHooks(hooks, g, fr.run.targets.slice(before).some((t) => t.op !== 'read' && (t.path.includes(U) || t.base.includes(U))));
}

/**
 * An alias from a config file (`git pf` with `pf = push --force`): analyzed as git would run it,
 * a `!` alias as shell text at the top of the working tree, besides the unknown-subcommand targets.
 */
function configAlias(sub: Arg, rest: Arg[], g: GitCtx, aliases: Map<string, string>): void {
  if (g.cwd.includes(U)) return;
  const a = aliases.get(sub.text.toLowerCase());
  if (a === undefined) return;
  const args = rest.map((r) => quote(r.text)).join(' ');
  if (a.startsWith('!')) g.host.shell(`${a.slice(1)} ${args}`, g.top());
  else g.host.shell(`git -C ${quote(g.cwd)} ${a} ${args}`, g.cwd);
}

/** `'k=v' 'k2'='v2'`: git's quoting of GIT_CONFIG_PARAMETERS (`'\''` is a quote). */
function configParameters(text: string): string[] {
  const out: string[] = [];
  const q = "'((?:[^']|'\\\\'')*)'";
  for (const m of text.matchAll(new RegExp(`${q}(?:=${q})?`, 'g'))) {
    const un = (s: string): string => s.split("'\\''").join("'");
    out.push(m[2] === undefined ? un(m[1]!) : `${un(m[1]!)}=${un(m[2])}`);
    if (out.length >= 64) break;
  }
  return out;
}

/** `-c key=value`: remember aliases; analyze the commands git may run from this setting. */
/** What the settings given to a command say beyond aliases: `hooksPath` from `core.hooksPath` (git-hooks.ts). */
interface GitFlags { unknown: boolean; template: boolean; hooksPath?: string; includes: string[]; commands: [string, string][] }

function configured(v: string, aliases: Map<string, string>, flags: GitFlags, cwd: string, host: GitHost): void {
  const eq = v.indexOf('=');
  if (eq < 0) return;
  const key = v.slice(0, eq);
  const value = v.slice(eq + 1);
  const lower = key.toLowerCase();
  if (lower.startsWith('alias.')) aliases.set(key.slice(6).toLowerCase(), value);
  else if (lower === 'core.hookspath') flags.hooksPath = value; // the hooks git runs from there are read (git-hooks.ts)
  else if (lower === 'init.templatedir') flags.template = true;
  else if (isInclude(lower)) flags.includes.push(value); // read with the config files (git-config-files.ts)
  else {
    runSetting(lower, value, cwd, host);
    flags.commands.push([lower, value]);
  }
}

/** An alias from a config file or an external `git-NAME`: every operand may be written. */
function unknownSub(rest: Arg[], g: GitCtx): void {
  unknownOperands(rest, { text: U, literal: g.literal, opaque: true }, (a) => g.emit('write', a, g.cwd, true));
}

export const quote = (s: string): string => `'${s.split("'").join("'\\''")}'`;

function homeOf(h: string | undefined, fallback: string): string {
  return h !== undefined && h.startsWith('/') && !h.includes(U) ? h : fallback;
}
