// git subcommands that make or move whole trees and files outside the index: clone, init,
// worktree, submodule, checkout-index, and the files archive, bundle and format-patch write.
import { U, joinPath, trimSlashes, under } from './context.js';
import { inside, rewrites, split, unknownIn, type GitHandler } from './git-ctx.js';
import { newRepoTexts, recordNewRepo } from './git-config-files.js';
import { has, parseOpts, values } from './options.js';

/** The directory `git clone URL` makes: the URL's last part without `.git` (`host:a/b.git` -> `b`). */
export function cloneDir(url: string): string {
  let s = trimSlashes(url).replace(/\/\.git$/, '');
  s = s.slice(Math.max(s.lastIndexOf('/'), s.lastIndexOf(':')) + 1);
  return s.replace(/\.(git|bundle)$/, '') || s;
}

const CLONE = {
  arg: 'obujc', long: ['origin', 'branch', 'upload-pack', 'reference', 'reference-if-able', 'separate-git-dir',
    'depth', 'shallow-since', 'shallow-exclude', 'jobs', 'config', 'template', 'filter', 'bundle-uri', 'server-option',
    'ref-format', 'also-filter-submodules'],
  flags: ['recurse-submodules', 'bare', 'mirror', 'no-checkout', 'single-branch', 'no-single-branch', 'shallow-submodules'],
};

/** clone makes a new tree (the directory, and a separate git dir when given). */
export const clone: GitHandler = (args, g) => {
  const [before, after] = split(args);
  const p = parseOpts(before, CLONE);
  const ops = [...p.operands, ...(after ?? [])];
  const url = ops[0];
  if (!url) return;
  const dir = ops[1] ?? { text: cloneDir(url.text), literal: url.literal };
  g.emit('write', dir);
  unknownIn(dir.text, g, 'write', dir.literal);
  for (const d of values(p, 'separate-git-dir')) g.emit('write', d);
  // clone -u: the upload-pack command (its long form is read for every subcommand).
  for (const u of values(p, 'u')) g.host.shell(u.text, g.cwd);
};

/** init: the directory; hooks copied from a template land in its repository. */
export const init: GitHandler = (args, g) => {
  const p = parseOpts(args, { arg: 'b', long: ['template', 'separate-git-dir', 'object-format', 'ref-format', 'initial-branch', 'shared'], flags: ['bare', 'quiet'] });
  const dir = p.operands[0] ?? { text: '.', literal: g.literal };
  // `--separate-git-dir`, else `git --git-dir=D init` / `GIT_DIR=D git init`: the repository is made there.
  const gitDir = values(p, 'separate-git-dir').pop() ?? (g.gitDir ? { text: g.gitDir, literal: g.literal } : undefined);
  // The config a new repository holds is git's own (git-config-files.ts), unless copied from a template.
  const texts = gitDir || has(p, 'bare') || g.template || values(p, 'template').length > 0 ? undefined : newRepoTexts(g, dir.text);
  g.emit('write', dir);
  recordNewRepo(g, texts);
  if (gitDir) g.emit('write', gitDir);
  if (g.template || values(p, 'template').length > 0) {
    const repo = gitDir ? gitDir.text : has(p, 'bare') ? dir.text : inside(dir.text, '.git');
    unknownIn(inside(repo, 'hooks'), g);
    g.emit('write', { text: inside(repo, 'hooks'), literal: g.literal });
  }
};

/** worktree add/move/remove: a new tree, a moved one, a deleted one. */
export const worktree: GitHandler = (args, g) => {
  const verb = args[0]?.text;
  const p = parseOpts(args.slice(1), { arg: 'bB', long: ['reason'], flags: ['force', 'detach', 'checkout', 'no-checkout', 'lock', 'orphan', 'quiet', 'track', 'guess-remote'] });
  const [a, b] = p.operands;
  if (verb === 'add' && a) {
    g.emit('write', a);
    unknownIn(a.text, g, 'write', a.literal);
  } else if (verb === 'move' && a && b) {
    g.emit('move-from', a);
    g.emit('move-to', g.isDir(b) ? under(b, a) : b);
  } else if (verb === 'remove' && a) g.emit('delete', a);
};

/** submodule add writes the new tree and .gitmodules; foreach runs shell text in each submodule. */
export const submodule: GitHandler = (args, g) => {
  let i = 0;
  while (args[i]?.text.startsWith('-')) i++;
  const verb = args[i]?.text ?? 'status';
  const rest = args.slice(i + 1);
  if (verb === 'status' || verb === 'summary') return;
  if (verb === 'foreach') {
    // `foreach [--recursive] CMD...`: options only before the command (`git reset --hard` keeps its own).
    let k = 0;
    while (rest[k]?.text.startsWith('-')) k++;
    const cmd = rest.slice(k);
    if (cmd.length > 0) g.host.shell(cmd.map((a) => a.text).join(' '), `${trimSlashes(g.top())}/${U}`);
    return;
  }
  if (verb === 'add') {
    const p = parseOpts(rest, { arg: 'b', long: ['branch', 'name', 'reference', 'depth'], flags: ['force'] });
    const url = p.operands[0];
    if (!url) return;
    const dir = p.operands[1] ?? { text: cloneDir(url.text), literal: url.literal };
    g.emit('write', dir);
    unknownIn(dir.text, g, 'write', dir.literal);
    g.emit('write', { text: inside(g.top(), '.gitmodules'), literal: g.literal });
    return;
  }
  rewrites(g);
};

/** checkout-index: the paths named (with --prefix prepended), or every tracked file with -a. */
export const checkoutIndex: GitHandler = (args, g) => {
  const [before, after] = split(args);
  const p = parseOpts(before, { long: ['prefix', 'stage'], flags: ['all', 'force', 'quiet', 'no-create', 'temp', 'stdin', 'ignore-skip-worktree-bits'] });
  if (has(p, 'n', 'no-create', 'temp')) return;
  const prefix = values(p, 'prefix').pop()?.text ?? '';
  for (const a of [...p.operands, ...(after ?? [])]) g.emit('write', { text: prefix + a.text, literal: a.literal });
  if (has(p, 'a', 'all', 'stdin')) {
    if (prefix.endsWith('/')) unknownIn(prefix, g);
    else if (prefix) g.emit('write', { text: `${prefix}${U}`, literal: g.literal }, g.cwd, true);
    else rewrites(g);
  }
};

/** archive -o FILE. */
export const archive: GitHandler = (args, g) => {
  const p = parseOpts(args, { arg: 'o', long: ['output', 'format', 'prefix', 'remote', 'exec', 'add-file', 'add-virtual-file', 'mtime'], flags: ['list', 'verbose', 'worktree-attributes'] });
  for (const o of values(p, 'o', 'output')) g.emit('write', o);
};

/** format-patch writes NNNN-subject.patch files into -o DIR (default: the working directory). */
export const formatPatch: GitHandler = (args, g) => {
  const p = parseOpts(split(args)[0], { arg: 'ovS', long: ['output-directory', 'start-number', 'subject-prefix', 'in-reply-to', 'to', 'cc', 'from', 'suffix', 'signature-file', 'base', 'interdiff', 'range-diff', 'creation-factor', 'filename-max-length', 'output', 'reroll-count', 'add-header', 'signature', 'cover-letter-format'], flags: ['stdout', 'numbered', 'no-numbered', 'cover-letter'] });
  if (has(p, 'stdout')) return;
  for (const o of values(p, 'output')) g.emit('write', o);
  const dir = values(p, 'o', 'output-directory').pop();
  unknownIn(dir ? joinPath(g.cwd, dir.text) : g.cwd, g, 'write', dir?.literal);
};

/** bundle create FILE. */
export const bundle: GitHandler = (args, g) => {
  if (args[0]?.text !== 'create') return;
  const p = parseOpts(args.slice(1), { long: ['version'], flags: ['quiet', 'progress', 'all-progress', 'all-progress-implied'] });
  if (p.operands[0]) g.emit('write', p.operands[0]);
};
