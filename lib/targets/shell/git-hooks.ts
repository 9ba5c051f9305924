// The hooks a git command runs (githooks(5)): scripts in the hooks folder (`core.hooksPath`, else
// the repository's `hooks`), which git starts as programs at the top of the working tree. A
// repository's hooks folder is often one of its own tracked folders (husky sets `core.hooksPath` to
// `.husky`), which an agent may write freely: `.husky/pre-commit` holding `echo x >> ~/.bashrc`,
// then `git commit`. So each hook the command may run is read as it is on disk when the call is
// checked and analyzed like a script run by its path (`./hook`: its `#!` interpreter, `sh` without
// one); a folder the guard cannot place leaves an unresolved write, as a script it cannot read does.
// Which hooks a command runs depends on its options and on what happens (a ref update runs
// `reference-transaction`, a checkout `post-checkout`, `gc --auto` `pre-auto-gc`): every command that
// is not read-only is taken to run every hook in the folder.
import fs from 'node:fs';
import path from 'node:path';
import { U, joinPath, type Run } from './context.js';
import { configFileList, configSetting } from './git-aliases.js';
import type { GitCtx, Repo } from './git-ctx.js';
import { isShell, scriptText, writtenInCall } from './nested.js';
import { shebang } from '../interp/load.js';

/** The hook names git runs (githooks(5)); other files in the folder (`*.sample`, helpers) are never run by git. */
export const HOOK_NAMES = [
  'applypatch-msg', 'pre-applypatch', 'post-applypatch', 'pre-commit', 'pre-merge-commit', 'prepare-commit-msg',
  'commit-msg', 'post-commit', 'pre-rebase', 'post-checkout', 'post-merge', 'pre-push', 'pre-receive', 'update',
  'proc-receive', 'post-receive', 'post-update', 'reference-transaction', 'push-to-checkout', 'pre-auto-gc',
  'post-rewrite', 'sendemail-validate', 'fsmonitor-watchman', 'p4-changelist', 'p4-prepare-changelist',
  'p4-post-changelist', 'p4-pre-submit', 'post-index-change',
] as const;

/**
 * Subcommands that change no ref, no index and no working tree, so run no hook. Anything else
 * (including subcommands not known here, and `remote`, `branch`, `tag`, whose forms may update refs)
 * is taken to run hooks.
 */
const QUIET = new Set([
  'config', 'status', 'diff', 'log', 'show', 'ls-files', 'ls-tree', 'ls-remote', 'cat-file', 'rev-parse', 'rev-list', 'grep',
  'blame', 'annotate', 'shortlog', 'describe', 'name-rev', 'show-ref', 'for-each-ref', 'cherry', 'whatchanged',
  'help', 'version', 'var', 'check-ignore', 'check-attr', 'check-mailmap', 'check-ref-format', 'count-objects',
  'diff-files', 'diff-index', 'diff-tree', 'merge-base', 'verify-commit', 'verify-tag', 'verify-pack', 'show-branch',
  'range-diff', 'format-patch', 'archive', 'bugreport', 'column', 'get-tar-commit-id', 'hash-object', 'fsck',
  'rerere', 'instaweb', 'difftool', 'request-pull',
]);

/** The hooks a command will run, found before it runs (so a file only this command rewrites is not "written earlier"). */
export interface FoundHooks {
  /** Executable hook files in it, by name. */
  files: { name: string; file: string }[];
  /** The folder lies in the working tree (`core.hooksPath` of tracked files, e.g. husky's `.husky`). */
  inTree: boolean;
  /** Some hook is unknown: the folder, or a hook an earlier command of the call wrote. */
  unknown: boolean;
}

/**
 * The hooks `git <sub>` may run, as the files are before it runs; undefined for a command that runs
 * none. `hooksPath`: the value a `-c core.hooksPath=…` (or the environment's settings) gave, which
 * wins over the config files; `fromFiles`: the files' setting, when all of them could be read.
 */
export function findHooks(sub: string, g: GitCtx, hooksPath: string | undefined, fromFiles?: { value?: string }): FoundHooks | undefined {
  if (QUIET.has(sub) || sub === 'init' || sub === 'clone') return undefined; // init/clone: hooks come from a template (git-trees.ts)
  const none: FoundHooks = { files: [], inTree: false, unknown: true };
  if (g.cwd.includes(U)) return none;
  const repo = g.repo();
  const top = repo.worktree ?? repo.gitDir;
  let dir: string | undefined;
  if (hooksPath !== undefined) dir = hooksPath;
  // Every config file read, includes followed (git-config-files.ts): its setting is git's.
  else if (fromFiles) dir = fromFiles.value;
  else {
    const set = hooksSetting(g, repo);
    if (set.uncertain) {
      // An included file may set it: git itself says (the asker's own `-c core.hooksPath` is left out).
      const asked = g.asker()?.ask(['config', '--show-origin', '--get-all', 'core.hooksPath']);
      if (asked === undefined) return none;
      const values = asked.split('\n').filter((l) => l !== '' && !l.startsWith('command line:')).map((l) => l.slice(l.indexOf('\t') + 1));
      dir = values.at(-1);
    } else dir = set.value;
  }
  if (dir === undefined || dir === '') dir = path.posix.join(repo.commonDir, 'hooks');
  else if (dir === '~' || dir.startsWith('~/')) dir = path.posix.join(g.home, dir.slice(1));
  else dir = joinPath(top, dir);
  if (dir.includes(U) || top.includes(U)) return none;
  const inTree = repo.worktree !== undefined && (dir + '/').startsWith(`${repo.worktree}/`) && !(dir + '/').startsWith(`${repo.gitDir}/`) && !(dir + '/').startsWith(`${repo.commonDir}/`);
  const files: FoundHooks['files'] = [];
  for (const name of HOOK_NAMES) {
    const file = path.posix.join(dir, name);
    // A hook an earlier command of the call writes runs as written then, which the guard cannot read now.
    if (writtenInCall(g.fr, file)) return { files, inTree, unknown: true };
    if (executableFile(file, memoOf(g.run).executable)) files.push({ name, file });
  }
  return { files, inTree, unknown: false };
}

/**
 * Lookups of one call, asked once however many git commands it holds (a script of thousands of
 * `git add` lines): the config files' `core.hooksPath`, and which hook files are executable. A
 * remembered setting is used only while no command of the call has written one of its files.
 */
interface Memo { settings: Map<string, { value?: string; uncertain: boolean }>; executable: Map<string, boolean> }
const memos = new WeakMap<Run, Memo>();
function memoOf(run: Run): Memo {
  let m = memos.get(run);
  if (!m) memos.set(run, (m = { settings: new Map(), executable: new Map() }));
  return m;
}

function hooksSetting(g: GitCtx, repo: Repo): { value?: string; uncertain: boolean } {
  const files = configFileList(repo, g.home, g.host.getenv);
  const written = (f: string): boolean => writtenInCall(g.fr, f);
  if (files.some((f) => f.includes(U) || written(f))) return configSetting(repo, g.home, g.host.getenv, 'core', 'hookspath', written);
  const settings = memoOf(g.run).settings;
  const key = files.join('\0');
  let set = settings.get(key);
  if (!set) settings.set(key, (set = configSetting(repo, g.home, g.host.getenv, 'core', 'hookspath', written)));
  return set;
}

/**
 * Analyzes the hooks found before the command ran. `rewrote`: the command itself rewrote tracked
 * files it cannot name (a checkout, a merge): hooks kept in the tree may be other files by the time
 * git runs its `post-*` hooks, so what they do is not known.
 */
export function runHooks(found: FoundHooks | undefined, g: GitCtx, rewrote: boolean): void {
  if (!found) return;
  if (found.unknown || (rewrote && found.inTree)) return unknownHooks(g);
  const repo = g.repo();
  const top = repo.worktree ?? repo.gitDir;
  for (const { name, file } of found.files) {
    // As git starts it: by its path, at the top of the tree, through its `#!` line (git falls back to
    // `sh` for a script without one), with arguments git chooses (a message file, refs): given from
    // outside the command, as a script's own parameters are.
    const literal = `${g.literal} (hook ${name})`;
    const interp = shebang(file) ?? ['sh'];
    if (isShell(interp[0]!) && interp.length === 1) {
      const text = scriptText(g.fr, file);
      if (text === undefined) return unknownHooks(g);
      if (text !== 'missing') g.host.script(text, top, literal);
    } else g.host.command([...interp.map((t) => ({ text: t, literal })), { text: file, literal }], top);
  }
}

/** Where the hooks are is not known: whatever they write is unresolved. */
function unknownHooks(g: GitCtx): void {
  g.emit('write', { text: U, literal: `${g.literal} (hooks)`, opaque: true }, g.cwd, true);
}

/** An executable regular file (through links, as git runs it). */
function executableFile(p: string, known: Map<string, boolean>): boolean {
  let ok = known.get(p);
  if (ok === undefined) {
    try {
      const st = fs.statSync(p, { throwIfNoEntry: false });
      ok = st !== undefined && st.isFile() && (st.mode & 0o111) !== 0;
    } catch {
      ok = false;
    }
    known.set(p, ok);
  }
  return ok;
}
