// git subcommands by what they do to files. Pathspecs (`git rm`, `git checkout -- f`, `git restore`,
// `git clean`) are the files written or deleted; `git config` writes the config file of its scope;
// `--output`/`-o` files, clone/worktree directories. A subcommand that rewrites whichever tracked
// files differ (a branch switch, merge, `reset --hard`, stash pop) writes files only git knows:
// an unknown file under the top of the tree, so `unresolved` governs it. Git's own bookkeeping
// (objects, refs, the index, upstream settings) is not a file the agent writes.
import fs from 'node:fs';
import { joinPath, under } from './context.js';
import { askClean, askPaths, askReset, askStash, askStashApply, askSwitch, only } from './git-asked.js';
import { configFiles } from './git-repo.js';
import { gitApply } from './git-apply.js';
import { rewrites, specs, split, touch, unknownIn, type GitCtx, type GitHandler } from './git-ctx.js';
import { archive, bundle, checkoutIndex, clone, formatPatch, init, submodule, worktree } from './git-trees.js';
import type { Arg } from './types.js';
import { has, parseOpts, values, type OptSpec, type Parsed } from './options.js';

const CONFIG: OptSpec = {
  arg: 'f', long: ['file', 'blob', 'type', 'default', 'comment', 'value', 'url'],
  flags: ['global', 'system', 'local', 'worktree', 'get', 'get-all', 'get-regexp', 'get-urlmatch', 'get-color',
    'get-colorbool', 'list', 'add', 'replace-all', 'unset', 'unset-all', 'rename-section', 'remove-section', 'edit',
    'null', 'name-only', 'includes', 'no-includes', 'show-origin', 'show-scope', 'bool', 'int', 'bool-or-int', 'path',
    'expiry-date', 'fixed-value', 'all', 'regexp', 'append', 'no-type'],
};
const CONFIG_WRITE = ['add', 'replace-all', 'unset', 'unset-all', 'rename-section', 'remove-section', 'edit', 'e'];
const CONFIG_READ = ['get', 'get-all', 'get-regexp', 'get-urlmatch', 'get-color', 'get-colorbool', 'list', 'l', 'blob'];

/** Whether a `git config` call writes: old syntax (`name value`, `--unset`...) and the 2.46 verbs. */
function configWrites(args: Arg[]): boolean {
  const p = parseOpts(args, CONFIG);
  if (has(p, ...CONFIG_WRITE)) return true;
  if (has(p, ...CONFIG_READ)) return false;
  const verb = p.operands[0]?.text;
  if (verb === 'list' || verb === 'get') return false;
  if (verb !== undefined && ['set', 'unset', 'rename-section', 'remove-section', 'edit'].includes(verb)) return true;
  return p.operands.length >= 2;
}

const config: GitHandler = (args, g) => {
  if (!configWrites(args)) return;
  const p = parseOpts(args, CONFIG);
  const files = configFiles({
    file: values(p, 'f', 'file').pop()?.text, global: has(p, 'global'), system: has(p, 'system'), worktree: has(p, 'worktree'),
  }, g.repo, g.cwd, g.home, g.host.getenv);
  for (const f of files) g.emit('write', { text: f, literal: g.literal });
};

const CHECKOUT: OptSpec = { arg: 'bB', long: ['orphan', 'conflict', 'pathspec-from-file'], flags: ['track', 'no-track', 'detach', 'force', 'merge', 'patch', 'ours', 'theirs', 'overlay', 'no-overlay', 'quiet', 'progress', 'no-progress', 'guess', 'no-guess', 'recurse-submodules', 'pathspec-file-nul', 'overwrite-ignore'] };

/** checkout: after `--` the pathspecs; without it every operand may be a path, or a branch to switch to. */
const checkout: GitHandler = (args, g) => {
  const [before, after] = split(args);
  const p = parseOpts(before, CHECKOUT);
  if (askCheckout(p, after, g)) return;
  if (after !== undefined) touch(specs(after, g), 'write', g);
  else touch(specs(p.operands, g), 'write', g);
  if (after === undefined || has(p, 'b', 'B', 'orphan') || values(p, 'pathspec-from-file').length > 0) rewrites(g);
};

const CHECKOUT_ASKED = ['b', 'B', 'f', 'force', 'm', 'merge', 'q', 'quiet', 'progress', 'no-progress', 'detach', 'track', 'no-track', 't', 'guess', 'no-guess', 'ours', 'theirs', 'overlay', 'no-overlay', 'overwrite-ignore', 'conflict'];

/** checkout, asking git: a branch switch (one operand naming a commit and no such file), or paths after `--`. */
function askCheckout(p: Parsed, after: Arg[] | undefined, g: GitCtx): boolean {
  if (!only(p, CHECKOUT_ASKED)) return false;
  const ops = p.operands;
  if (after !== undefined) return ops.length <= 1 && askPaths(ops[0], after, g);
  if (ops.length > 1) return false;
  // An operand that is also a file (or not a commit: a path, a remote branch to create) is judged conservatively.
  if (ops[0] && !has(p, 'b', 'B') && fs.existsSync(joinPath(g.cwd, ops[0].text))) return false;
  return askSwitch(ops[0], has(p, 'f', 'force'), g);
}

const SWITCH: OptSpec = { arg: 'cC', long: ['create', 'force-create', 'orphan', 'conflict'], flags: ['detach', 'discard-changes', 'force', 'merge', 'quiet', 'progress', 'no-progress', 'track', 'no-track', 'guess', 'no-guess', 'recurse-submodules', 'no-recurse-submodules', 'ignore-other-worktrees'] };
const SWITCH_ASKED = ['c', 'C', 'create', 'force-create', 'd', 'detach', 'f', 'discard-changes', 'force', 'm', 'merge', 'q', 'quiet', 'progress', 'no-progress', 't', 'track', 'no-track', 'guess', 'no-guess', 'conflict', 'ignore-other-worktrees'];

/** switch BRANCH, switch -c NEW [START]: the files that differ, asked of git; else whichever tracked files differ. */
const switchCmd: GitHandler = (args, g) => {
  const p = parseOpts(args, SWITCH);
  if (only(p, SWITCH_ASKED) && p.operands.length <= 1 && askSwitch(p.operands[0], has(p, 'f', 'force', 'discard-changes'), g)) return;
  rewrites(g);
};

const RESTORE: OptSpec = { arg: 's', long: ['source', 'conflict', 'pathspec-from-file'], flags: ['staged', 'worktree', 'ours', 'theirs', 'merge', 'patch', 'quiet', 'progress', 'no-progress', 'overlay', 'no-overlay', 'ignore-unmerged', 'ignore-skip-worktree-bits', 'recurse-submodules', 'pathspec-file-nul'] };

const RESTORE_ASKED = ['s', 'source', 'S', 'staged', 'W', 'worktree', 'q', 'quiet', 'progress', 'no-progress', 'overlay', 'no-overlay', 'ours', 'theirs', 'm', 'merge', 'conflict', 'ignore-unmerged'];

const restore: GitHandler = (args, g) => {
  const [before, after] = split(args);
  const p = parseOpts(before, RESTORE);
  if (has(p, 'S', 'staged') && !has(p, 'W', 'worktree')) return;
  const list = [...p.operands, ...(after ?? [])];
  // The worktree gets the index's version, or the source's (HEAD with --staged): asked of git like checkout -- paths.
  const source = values(p, 's', 'source').pop() ?? (has(p, 'S', 'staged') ? { text: 'HEAD', literal: g.literal } : undefined);
  if (list.length > 0 && only(p, RESTORE_ASKED) && askPaths(source, list, g)) return;
  touch(specs(list, g), 'write', g);
  if (values(p, 'pathspec-from-file').length > 0) rewrites(g);
};

const RM: OptSpec = { long: ['pathspec-from-file'], flags: ['cached', 'dry-run', 'force', 'quiet', 'ignore-unmatch', 'sparse', 'pathspec-file-nul'] };

const rm: GitHandler = (args, g) => {
  const [before, after] = split(args);
  const p = parseOpts(before, RM);
  if (has(p, 'n', 'dry-run', 'cached')) return;
  touch(specs([...p.operands, ...(after ?? [])], g), 'delete', g);
  if (values(p, 'pathspec-from-file').length > 0) unknownIn(g.top(), g, 'delete');
};

const mv: GitHandler = (args, g) => {
  const p = parseOpts(args, { flags: ['force', 'dry-run', 'verbose', 'sparse'] });
  if (has(p, 'n', 'dry-run') || p.operands.length < 2) return;
  const dest = p.operands[p.operands.length - 1]!;
  const sources = p.operands.slice(0, -1);
  const into = sources.length > 1 || dest.text.endsWith('/') || g.isDir(dest);
  for (const s of sources) {
    g.emit('move-from', s);
    g.emit('move-to', into ? under(dest, s) : dest);
  }
};

/** clean deletes untracked (with -x/-X also ignored) files under its pathspecs: judged as all of them. */
const clean: GitHandler = (args, g) => {
  const [before, after] = split(args);
  const p = parseOpts(before, { arg: 'e', long: ['exclude'], flags: ['dry-run', 'force', 'interactive', 'quiet'] });
  if (has(p, 'n', 'dry-run')) return;
  const list = [...p.operands, ...(after ?? [])];
  if (askClean(p, list, g)) return;
  touch(specs(list.length > 0 ? list : [{ text: '.', literal: g.literal }], g), 'delete', g);
};

const reset: GitHandler = (args, g) => {
  const [before, after] = split(args);
  const p = parseOpts(before, { long: ['pathspec-from-file'], flags: ['hard', 'merge', 'keep', 'soft', 'mixed', 'patch', 'quiet', 'recurse-submodules', 'no-recurse-submodules'] });
  if (!has(p, 'hard', 'merge', 'keep')) return;
  const asked = only(p, ['hard', 'merge', 'keep', 'q', 'quiet', 'no-recurse-submodules']) && p.operands.length <= 1 && !after?.length;
  if (!asked || !askReset(p.operands[0], has(p, 'hard') ? 'hard' : has(p, 'merge') ? 'merge' : 'keep', g)) rewrites(g);
};

/** stash: push/pop/apply/branch change the tree; --all also deletes ignored files (.env among them). */
const stash: GitHandler = (args, g) => {
  const verb = args[0] && !args[0].text.startsWith('-') ? args[0].text : 'push';
  if (verb === 'show') return diffOutput(args.slice(1), g);
  if (!['push', 'save', 'pop', 'apply', 'branch'].includes(verb)) return;
  const [before, after] = split(verb === args[0]?.text ? args.slice(1) : args);
  const p = parseOpts(before, { arg: 'm', long: ['message', 'pathspec-from-file'], flags: ['all', 'include-untracked', 'keep-index', 'patch', 'staged', 'quiet'] });
  const list = verb === 'push' ? [...p.operands, ...(after ?? [])] : [];
  if ((verb === 'push' || verb === 'save') && askStash(p, list, g)) return;
  if ((verb === 'pop' || verb === 'apply') && askStashApply(parseOpts(before, { flags: ['index', 'quiet'] }), g)) return;
  rewrites(g);
  if (verb !== 'push' && verb !== 'save') return;
  // The paths stashed are put back as committed; untracked files go into the stash (with --all ignored ones too).
  if (list.length > 0) touch(specs(list, g), 'write', g);
  if (has(p, 'a', 'all', 'u', 'include-untracked')) touch(specs(list.length > 0 ? list : [{ text: ':/', literal: g.literal }], g), 'delete', g);
};

/** Subcommands that rewrite tracked files. */
const rewriting: GitHandler = (_args, g) => rewrites(g);

/** Short options whose value is shell text git runs (`--exec` and the like are read for every subcommand in git.ts). */
const runs = (letter: string, arg: string, long: string[] = []): GitHandler => (args, g) => {
  for (const x of values(parseOpts(args, { arg, long }), letter)) g.host.shell(x.text, g.top());
};

/** rebase -x runs shell text after each commit. */
const rebaseExec = runs('x', 'xsX', ['exec', 'strategy', 'strategy-option', 'onto', 'gpg-sign', 'empty', 'whitespace', 'rebase-merges']);
const rebase: GitHandler = (args, g) => {
  rebaseExec(args, g);
  rewrites(g);
};

const bisect: GitHandler = (args, g) => {
  const verb = args[0]?.text;
  if (verb === 'log' || verb === 'visualize' || verb === 'view' || verb === 'terms' || verb === 'help') return;
  if (verb === 'run' && args.length > 1) g.host.command(args.slice(1), g.top());
  rewrites(g);
};

/** `--output=F` of the diff family (diff, log, show...), and `-O<pager>` of grep. */
const diffOutput: GitHandler = (args, g) => {
  const before = split(args)[0];
  for (let i = 0; i < before.length; i++) {
    const t = before[i]!.text;
    if (t.startsWith('--output=')) g.emit('write', { text: t.slice(9), literal: before[i]!.literal });
    else if (t === '--output' && before[i + 1]) g.emit('write', before[++i]!);
  }
};

const grep: GitHandler = (args, g) => {
  for (const a of split(args)[0]) {
    const m = /^(?:-O|--open-files-in-pager=)(.+)$/.exec(a.text);
    if (m) g.host.shell(m[1]!, g.cwd);
  }
};

/** Subcommands that change no file the guard judges (reads, the index, objects, refs, remotes). */
const NO_FILES = ['add', 'stage', 'status', 'commit', 'fetch', 'push', 'branch', 'tag', 'remote', 'blame', 'annotate',
  'ls-files', 'ls-tree', 'ls-remote', 'rev-parse', 'describe', 'shortlog', 'reflog', 'cat-file', 'show-ref',
  'for-each-ref', 'help', 'version', 'fsck', 'gc', 'count-objects', 'notes', 'hash-object', 'update-index',
  'update-ref', 'symbolic-ref', 'write-tree', 'commit-tree', 'mktree', 'mktag', 'var', 'check-ignore', 'check-attr',
  'check-ref-format', 'merge-base', 'name-rev', 'rev-list', 'show-branch', 'cherry', 'prune', 'repack', 'pack-refs',
  'replace', 'verify-commit', 'verify-tag', 'verify-pack', 'fast-export', 'request-pull', 'column', 'check-mailmap',
  'interpret-trailers', 'stripspace', 'unpack-objects', 'pack-objects', 'index-pack', 'fetch-pack', 'send-pack',
  'get-tar-commit-id', 'rerere', 'mailsplit', 'mailinfo', 'patch-id', 'range-diff'];
const DIFF = ['diff', 'log', 'show', 'whatchanged', 'diff-tree', 'diff-index', 'diff-files', 'range-diff'];
const REWRITE = ['merge', 'pull', 'cherry-pick', 'revert', 'am', 'read-tree', 'sparse-checkout'];

export const GIT_COMMANDS: ReadonlyMap<string, GitHandler> = new Map<string, GitHandler>([
  ...NO_FILES.map((n): [string, GitHandler] => [n, () => {}]),
  ...DIFF.map((n): [string, GitHandler] => [n, diffOutput]),
  ...REWRITE.map((n): [string, GitHandler] => [n, rewriting]),
  ['config', config], ['checkout', checkout], ['restore', restore], ['rm', rm], ['mv', mv], ['clean', clean],
  ['reset', reset], ['switch', switchCmd], ['rebase', rebase], ['stash', stash], ['bisect', bisect], ['grep', grep], ['apply', gitApply],
  ['difftool', runs('x', 'xt', ['extcmd', 'tool'])], ['checkout-index', checkoutIndex], ['archive', archive], ['format-patch', formatPatch], ['bundle', bundle], ['clone', clone], ['init', init],
  ['submodule', submodule], ['worktree', worktree],
]);
