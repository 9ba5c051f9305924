// Commands git runs from the config files it reads (issue 13). A setting such as `core.fsmonitor`,
// `core.pager` or `filter.x.clean` is shell text git runs, wherever it is set: on the command line
// (`-c`, read in git.ts), or in a file git reads. The files: GIT_CONFIG_SYSTEM or /etc/gitconfig
// (unless GIT_CONFIG_NOSYSTEM), GIT_CONFIG_GLOBAL or the XDG file and ~/.gitconfig (after the HOME
// and XDG_CONFIG_HOME the command is given), GIT_CONFIG, the repository's config and
// config.worktree (the repository chosen by --git-dir/GIT_DIR or found through `.git`), and every
// file these or the command line include (`include.path`, `includeIf.*.path`, whatever the
// condition). Each is read as git will read it:
// - a file an earlier command of the call wrote: its text when written.ts knows it, else unknown;
// - a file on disk: read now (regular file, bounded), whoever made it. The user's own ~/.gitconfig
//   is read too: nothing protects it, so an earlier call may have written it like any file;
// - a file whose name or text the guard cannot know (a name with an unknown part, a special file,
//   over the bound, a line the parser does not understand, includes too deep): git may run
//   anything, an unresolved write.
// Every command-running value is then analyzed as shell text git runs at the top of the tree.
import fs from 'node:fs';
import path from 'node:path';
import { U, joinPath } from './context.js';
import type { GitCtx, GitHost } from './git-ctx.js';
import { knownText, recordText, writtenInCall } from './written.js';
import { configEntries } from './git-config-text.js';
import { processNodeOnTheWay } from '../../paths/normalize.js';

/** Config keys whose value is a shell command git runs (`sh -c "value args"`). */
export const COMMAND_KEY = /^(core\.(editor|pager|sshcommand|askpass|fsmonitor|gitproxy)|sequence\.editor|pager\..+|remote\..+\.(uploadpack|receivepack)|trailer\..+\.(cmd|command)|diff\.(external|.+\.(command|textconv))|merge\..+\.driver|filter\..+\.(clean|smudge|process)|(merge|diff)tool\..+\.cmd|gpg(\..+)?\.program|gpg\.ssh\.defaultkeycommand|credential(\..+)?\.helper|uploadpack\.packobjectshook|sendemail\.(.+\.)?(tocmd|cccmd|headercmd)|browser\..+\.cmd|man\..+\.cmd|interactive\.difffilter|core\.alternaterefscommand|imap\.tunnel)$/i;

/** `key=value` from any source: analyze the command git may run from it. */
export function runSetting(lower: string, value: string, dir: string, host: GitHost): void {
  if (!COMMAND_KEY.test(lower)) return;
  // A credential helper is shell text after `!`, a program given by absolute path, else `git credential-NAME`.
  if (!lower.startsWith('credential')) host.shell(value.startsWith('!') ? value.slice(1) : value, dir);
  else if (value.startsWith('!')) host.shell(value.slice(1), dir);
  else if (value.startsWith('/')) host.shell(value, dir);
}

/**
 * `mergetool.X.cmd`/`difftool.X.cmd` run only in `git mergetool`/`git difftool` (with `$MERGED`,
 * `$LOCAL`... set by git): a user's `code --wait $MERGED` is not every git command's concern.
 */
const toolOf = (key: string): string | undefined => /^(merge|diff)tool\..+\.cmd$/.exec(key) ? `git ${key.slice(0, key.indexOf('.'))}` : undefined;

/** `include.path`, `includeIf.<condition>.path`. */
export const isInclude = (lower: string): boolean => lower === 'include.path' || /^includeif\..*\.path$/.test(lower);

/** Bounds: git itself stops at 10 nested includes; a file larger than this is not read. */
const MAX_DEPTH = 10;
const MAX_FILES = 32;
const MAX_BYTES = 256 * 1024;

/** Variables naming the files; a value the call made unknown leaves the files unknown. */
const FILE_ENV = ['GIT_CONFIG_NOSYSTEM', 'GIT_CONFIG_SYSTEM', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG', 'HOME', 'XDG_CONFIG_HOME', 'GIT_DIR', 'GIT_COMMON_DIR', 'GIT_CONFIG_COUNT'];

export interface ConfigFiles {
  /** Every `key=value` read, lowest precedence first (keys: section and name in lower case). */
  entries: [string, string][];
  /** What could not be read as git will read it (undefined: everything was). */
  unknown?: string;
}

type Text = string | 'absent' | { unknown: string };

/**
 * The settings of every config file `git` reads for the command `g`, and of the files they and
 * `cmdIncludes` (includes given on the command line) include.
 */
export function readConfigFiles(g: GitCtx, cmdIncludes: string[]): ConfigFiles {
  const out: ConfigFiles = { entries: [] };
  const fail = (why: string): void => {
    out.unknown ??= why;
  };
  const { files, unknown } = standardFiles(g);
  if (unknown) fail(unknown);
  let count = 0;
  const visit = (file: string, depth: number): void => {
    if (depth > MAX_DEPTH || ++count > MAX_FILES) return fail(`${file}: includes too deep`);
    const t = fileText(g, file);
    if (t === 'absent') return;
    if (typeof t !== 'string') return fail(t.unknown);
    const entries = parsed(g, t);
    if (!entries) return fail(`${file}: not understood`);
    for (const [key, value] of entries) {
      out.entries.push([key, value]);
      if (!isInclude(key)) continue;
      // Relative to the including file; `~/` is the home git is given.
      const inc = value.startsWith('~/') ? path.posix.join(g.home, value.slice(2)) : joinPath(path.posix.dirname(file), value);
      visit(inc, depth + 1);
    }
  };
  for (const f of files) visit(f, 0);
  for (const inc of cmdIncludes) {
    // git refuses a relative include given on the command line; an unknown one may be any file.
    if (inc.includes(U)) fail('an included config file');
    else visit(inc.startsWith('~/') ? path.posix.join(g.home, inc.slice(2)) : joinPath(g.cwd, inc), 1);
  }
  return out;
}

/** What the config files say beyond the commands they run (walked here). */
export interface FromFiles {
  aliases: Map<string, string>;
  /** `init.templateDir`: hooks and config are copied from a template. */
  template: boolean;
  /** The last `core.hooksPath` of the files, when every file was read (git-hooks.ts). */
  hooks?: { value?: string };
}

/**
 * Reads the config files of `g` and analyzes every command they make git run, at the top of the
 * tree (where git runs them); what cannot be read as git will read it is an unresolved write.
 */
export function walkConfigFiles(g: GitCtx, cmdIncludes: string[]): FromFiles {
  const read = readConfigFiles(g, cmdIncludes);
  const out: FromFiles = { aliases: new Map(), template: false };
  let unknown = read.unknown;
  let hooksPath: string | undefined;
  const dir = g.top();
  for (const [key, value] of read.entries) {
    if (key.startsWith('alias.')) out.aliases.set(key.slice(6).toLowerCase(), value);
    else if (key === 'init.templatedir') out.template = true;
    else if (key === 'core.hookspath') hooksPath = value;
    // `ext::` URLs run their text as a command (a remote's url, an insteadOf rewrite).
    else if (value.startsWith('ext::') || /^url\.ext::/i.test(key)) unknown ??= `${key} (ext:: URL)`;
    else if (toolOf(key) !== undefined && toolOf(key) !== g.via) continue;
    else {
      runSetting(key, value, dir, g.host);
      // Outside a repository, or for a command git starts before it moves to the top: where it was started.
      if (g.cwd !== dir) runSetting(key, value, g.cwd, g.host);
    }
  }
  if (unknown !== undefined) g.emit('write', { text: U, literal: `${g.literal} (commands from git config: ${unknown})`, opaque: true }, g.cwd, true);
  else out.hooks = hooksPath === undefined ? {} : { value: hooksPath };
  return out;
}

/** The files git reads by itself for a command run like `g`, lowest precedence first. */
function standardFiles(g: GitCtx): { files: string[]; unknown?: string } {
  const env = g.host.getenv;
  const made = FILE_ENV.find((n) => g.host.unknownEnv?.(n) === true);
  if (made !== undefined) return { files: [], unknown: `$${made}` };
  if (g.cwd.includes(U)) return { files: [], unknown: 'the repository' };
  const files: string[] = [];
  // A relative name: git resolves some before and some after moving to the top of the tree: both.
  const at = (v: string): void => {
    files.push(joinPath(g.cwd, v));
    if (!v.startsWith('/') && g.top() !== g.cwd) files.push(joinPath(g.top(), v));
  };
  if (env('GIT_CONFIG_NOSYSTEM') === undefined) at(env('GIT_CONFIG_SYSTEM') ?? '/etc/gitconfig');
  const global = env('GIT_CONFIG_GLOBAL');
  if (global !== undefined) {
    if (global !== '') at(global);
  } else {
    const home = env('HOME');
    const homes = home === undefined || home === '' ? [g.home] : home.startsWith('/') ? [home] : [joinPath(g.cwd, home), joinPath(g.top(), home)];
    const xdg = env('XDG_CONFIG_HOME');
    if (xdg !== undefined && xdg !== '') at(`${xdg}/git/config`);
    else for (const h of homes) files.push(path.posix.join(h, '.config/git/config'));
    for (const h of homes) files.push(path.posix.join(h, '.gitconfig'));
  }
  const only = env('GIT_CONFIG');
  if (only !== undefined && only !== '') at(only);
  const repo = g.repo();
  if (repo.gitDir.includes(U) || repo.commonDir.includes(U)) return { files, unknown: 'the repository' };
  // A `.git` the call wrote below the repository found on disk (a `.git` file naming another
  // repository, a new repository) is where git looks first: its config is not known.
  let gitDir = repo.gitDir;
  let commonDir = repo.commonDir;
  if (g.gitDir === undefined && env('GIT_DIR') === undefined) {
    const found = path.posix.dirname(repo.gitDir);
    for (let dir = g.cwd; dir !== found && dir.startsWith(`${found}/`); dir = path.posix.dirname(dir)) {
      if (!writtenInCall(g.fr, `${dir}/.git`)) continue;
      // A repository `git init` made in this call holds the config it wrote (recordNewRepo).
      if (knownText(g.fr, `${dir}/.git/config`) === undefined) return { files, unknown: `${dir}/.git` };
      gitDir = commonDir = `${dir}/.git`;
      break;
    }
  }
  const commondir = `${gitDir}/commondir`;
  if (writtenInCall(g.fr, commondir) && knownText(g.fr, commondir) === undefined) return { files, unknown: commondir };
  const common = env('GIT_COMMON_DIR');
  if (common !== undefined && common !== '') at(`${common}/config`);
  files.push(`${commonDir}/config`, `${gitDir}/config.worktree`);
  return { files: [...new Set(files)] };
}

/** The files of a repository whose text git decides (`git init` writes its own settings, none of them a command). */
const REPO_FILES = ['config', 'config.worktree', 'commondir'];

/**
 * Before `git init DIR` (no template, the usual layout): the text its repository's config files
 * will hold, which is what they hold now (a new repository's config names no command); undefined
 * when that is not known. `recordNewRepo` records it once the write is made.
 */
export function newRepoTexts(g: GitCtx, dir: string): [string, string][] | undefined {
  const repo = joinPath(g.cwd, `${dir}/.git`);
  if (repo.includes(U)) return undefined;
  try {
    // A `.git` file or link leads to a repository elsewhere: not this one's files.
    if (!fs.lstatSync(repo).isDirectory()) return undefined;
  } catch {
    // None yet: git makes it.
  }
  const out: [string, string][] = [];
  for (const name of REPO_FILES) {
    const file = `${repo}/${name}`;
    const t = writtenInCall(g.fr, file) ? knownText(g.fr, file) : readBounded(file);
    if (t === undefined || typeof t === 'object') return undefined;
    out.push([file, t === 'absent' ? '' : t]);
  }
  return out;
}

export function recordNewRepo(g: GitCtx, texts: [string, string][] | undefined): void {
  for (const [file, text] of texts ?? []) recordText(g.fr, file, text, g.run.writes.events.length);
}

/** Per call: each text parsed once (a script of thousands of git commands reads the same files each time). */
const parses = new WeakMap<object, Map<string, [string, string][] | false>>();
function parsed(g: GitCtx, text: string): [string, string][] | false {
  let memo = parses.get(g.run);
  if (!memo) parses.set(g.run, (memo = new Map()));
  let es = memo.get(text);
  if (es === undefined) {
    const list: [string, string][] = [];
    memo.set(text, (es = configEntries(text, (k, v) => list.push([k, v])) ? list : false));
  }
  return es;
}

/** Per call: the text of each file read from disk (a file the call writes is looked at each time). */
const disk = new WeakMap<object, Map<string, Text>>();

function fileText(g: GitCtx, file: string): Text {
  if (file.includes(U)) return { unknown: 'a config file' };
  if (writtenInCall(g.fr, file)) {
    const t = knownText(g.fr, file);
    return t === undefined ? { unknown: file } : t;
  }
  let memo = disk.get(g.run);
  if (!memo) disk.set(g.run, (memo = new Map()));
  let t = memo.get(file);
  if (t === undefined) memo.set(file, (t = readBounded(file)));
  return t;
}

/** A config file's text as it is now: regular files only, bounded, opened without blocking (a FIFO must not stall). */
function readBounded(file: string): Text {
  if (file === '/dev/null') return 'absent';
  // `/dev/stdin`, `/proc/self/fd/N`: opened here they would be the guard's, not git's.
  if (/^\/(dev|proc)\//.test(file)) return { unknown: file };
  let fd: number | undefined;
  try {
    // A link on the way through /proc/self/cwd, /dev/fd/N…: the guard's own file, not git's.
    if (processNodeOnTheWay(file) !== undefined) return { unknown: file };
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) return 'absent';
    // A link to /dev/null (`ln -s /dev/null ~/.gitconfig`): empty, as for git.
    if (st.isCharacterDevice() && fs.realpathSync(file) === '/dev/null') return 'absent';
    if (!st.isFile() || st.size > MAX_BYTES) return { unknown: file };
    // A link into /proc (`/proc/self/environ`, size 0): git reads its own process's file there.
    if (st.size === 0 && /^\/(proc|sys)\//.test(fs.realpathSync(file))) return { unknown: file };
    const buf = Buffer.alloc(st.size);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8');
  } catch (e) {
    // Missing or not readable: git reads nothing from it either.
    const code = (e as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' || code === 'EACCES' || code === 'ELOOP' ? 'absent' : { unknown: file };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
