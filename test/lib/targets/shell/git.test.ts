import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { RawTarget } from '../../../../lib/types.js';
import { askGit } from '../../../../hooks/git-query.js';
import { runner, tree, U } from './helpers.js';

const { root, cwd, home } = tree(['proj/.env', 'proj/a.txt', 'proj/src/x.ts', 'proj/src/.env', 'wt/f'], ['proj/sub']);
const git = (args: string[], at = cwd): void => {
  const r = spawnSync('git', args, { cwd: at, encoding: 'utf8', env: { ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: '1' } });
  assert.equal(r.status, 0, r.stderr);
};
git(['init', '-q']);
// A linked worktree: its .git is a file, and its config lives in the main repository.
fs.mkdirSync(path.join(cwd, '.git/worktrees/w'), { recursive: true });
fs.writeFileSync(path.join(cwd, '.git/worktrees/w/commondir'), '../..\n');
fs.writeFileSync(path.join(root, 'wt/.git'), `gitdir: ${cwd}/.git/worktrees/w\n`);
const PATCH = ['diff --git a/a.txt b/.env', 'similarity index 100%', 'rename from a.txt', 'rename to .env',
  'diff --git a/gone b/gone', 'deleted file mode 100644', '--- a/gone', '+++ /dev/null', '@@ -1 +0,0 @@', '-x',
  'diff --git a/new b/new', 'new file mode 100644', '--- /dev/null', '+++ b/new', '@@ -0,0 +1 @@', '+y',
  '--- a/src/x.ts', '+++ b/src/x.ts', '@@ -1 +1 @@', '-a', '+b', ''].join('\n');
fs.writeFileSync(path.join(cwd, 'p.diff'), PATCH);
fs.writeFileSync(path.join(cwd, 'other.diff'), '--- a/.env\n+++ b/.env\n@@ -1 +1 @@\n-A\n+B\n');
const run = runner(cwd, home);

/** `op path [via]`, the path relative to the project (`~` for home), `?` when unresolved. */
function brief(t: RawTarget): string {
  const abs = path.posix.resolve(t.base, t.path);
  const rel = abs.startsWith(`${home}/`) ? `~/${abs.slice(home.length + 1)}` : path.posix.relative(cwd, abs) || '.';
  return `${t.op} ${rel.split(U).join('<U>')}${t.unresolved ? ' ?' : ''} [${t.via}]`;
}
const got = (cmd: string): string[] => run(cmd).map(brief).sort();

const TOP = '<U>';
/** A patch(1) target, with the .orig backup and .rej leftovers it may write beside a file. */
const pt = (op: string, name: string): string[] =>
  [`${op} ${name} [patch]`, ...(op === 'move-from' ? [] : [`write ${name}.orig [patch]`, `write ${name}.rej [patch]`])];
const cases: [string, string[]][] = [
  // config: the file of the scope, only for the writing forms.
  ["git config core.fsmonitor 'touch x'", ['write .git/config [git config]']],
  ['git config --unset user.name', ['write .git/config [git config]']],
  ['git config set user.name x', ['write .git/config [git config]']],
  ['git config --local -e', ['write .git/config [git config]']],
  ['git config --global user.name x', ['write ~/.config/git/config [git config]', 'write ~/.gitconfig [git config]']],
  ['git config --system a.b c', [`write ${path.posix.relative(cwd, '/etc/gitconfig')} [git config]`]],
  ['git config -f .env a.b c', ['write .env [git config]']],
  ['git config --file=other.cfg a.b c', ['write other.cfg [git config]']],
  ['git config --worktree a.b c', ['write .git/config [git config]', 'write .git/config.worktree [git config]']],
  ['GIT_CONFIG=.env git config a.b c', ['write .env [git config]']],
  ['git -C sub config a.b c', ['write .git/config [git config]']],
  ['git -C ../wt config a.b c', ['write .git/config [git config]']],
  ['git --git-dir=../elsewhere config a.b c', ['write ../elsewhere/config [git config]']],
  ['git config user.name', []],
  ['git config --get user.name', []],
  ['git config get user.name', []],
  ['git config -l', []],
  ['git config --list --global', []],
  // Pathspecs written, deleted, moved.
  ['git checkout -- .env', ['write .env [git checkout]']],
  ['git checkout main -- src/.env', ['write src/.env [git checkout]']],
  ['git checkout main', ['write main [git checkout]', `write ${TOP} ? [git checkout]`]],
  ['git checkout -b feat', [`write ${TOP} ? [git checkout]`]],
  ['git checkout -- src', ['write src [git checkout]', 'write src/<U> ? [git checkout]']],
  // A wildcard matches what exists now, and may match files only the commit holds.
  ["git checkout -- '*.env'", ['write .env [git checkout]', 'write src/.env [git checkout]', 'write <U> ? [git checkout]']],
  ["git checkout -- ':(exclude)*.txt'", ['write . [git checkout]', 'write <U> ? [git checkout]']],
  ['git -C src checkout -- :/a.txt', ['write a.txt [git checkout]']],
  ['git --literal-pathspecs checkout -- "*.env"', ['write *.env [git checkout]']],
  ['git restore .env', ['write .env [git restore]']],
  ['git restore --staged .env', []],
  ['git restore -SW .env', ['write .env [git restore]']],
  ['git restore --source=HEAD~1 -- src/.env', ['write src/.env [git restore]']],
  ['git rm .env', ['delete .env [git rm]']],
  ['git rm -r src', ['delete src [git rm]']],
  ['git rm --cached .env', []],
  ['git rm -n .env', []],
  ["git rm 'src/*'", ['delete src/.env [git rm]', 'delete src/x.ts [git rm]']],
  ['git mv a.txt .env', ['move-from a.txt [git mv]', 'move-to .env [git mv]']],
  ['git mv a.txt src', ['move-from a.txt [git mv]', 'move-to src/a.txt [git mv]']],
  ['git mv -n a.txt .env', []],
  ['git clean -fdx', ['delete . [git clean]']],
  ['git clean -f -- src', ['delete src [git clean]']],
  ['git clean -n', []],
  // Tracked files that differ: only git knows which.
  ['git reset --hard', [`write ${TOP} ? [git reset]`]],
  ['git reset HEAD~1 -- .env', []],
  ['git switch main', [`write ${TOP} ? [git switch]`]],
  ['git pull', [`write ${TOP} ? [git pull]`]],
  ["git rebase -x 'rm .env' main", ['delete .env [rm]', `write ${TOP} ? [git rebase]`]],
  ['git bisect run rm .env', ['delete .env [rm]', `write ${TOP} ? [git bisect]`]],
  ['git stash', [`write ${TOP} ? [git stash]`]],
  ['git stash pop', [`write ${TOP} ? [git stash]`]],
  ['git stash list', []],
  ['git stash push -- .env', ['write .env [git stash]', `write ${TOP} ? [git stash]`]],
  ['git cherry-pick -x abc123', [`write ${TOP} ? [git cherry-pick]`]],
  ['git stash -a', ['delete . [git stash]', `write ${TOP} ? [git stash]`]],
  // Files git writes on request, and new trees.
  ['git diff --output=.env', ['write .env [git diff]']],
  ['git log -p --output out.txt', ['write out.txt [git log]']],
  ['git archive -o .env HEAD', ['write .env [git archive]']],
  ['git format-patch -o patches HEAD~2', ['write patches/<U> ? [git format-patch]']],
  ['git bundle create repo.bundle --all', ['write repo.bundle [git bundle]']],
  ['git clone https://example.com/x/y.git', ['write y [git clone]', 'write y/<U> ? [git clone]']],
  ['git clone git@host:z.git ~/.ssh', ['write ~/.ssh [git clone]', 'write ~/.ssh/<U> ? [git clone]']],
  ['git init', ['write . [git init]']],
  ['git init --template=/tmp/t', ['write . [git init]', 'write .git/hooks [git init]', 'write .git/hooks/<U> ? [git init]']],
  ['git worktree add ../w2', ['write ../w2 [git worktree]', 'write ../w2/<U> ? [git worktree]']],
  ['git worktree remove ../wt', ['delete ../wt [git worktree]']],
  ['git submodule add https://h/lib.git vendor/lib', ['write .gitmodules [git submodule]', 'write vendor/lib [git submodule]', 'write vendor/lib/<U> ? [git submodule]']],
  ["git submodule foreach 'rm -f .env'", ['delete <U>/.env ? [rm]']],
  ['git checkout-index -f -- .env', ['write .env [git checkout-index]']],
  ['git checkout-index -a --prefix=out/', ['write out/<U> ? [git checkout-index]']],
  // Patches: the files they name.
  ['git apply p.diff', ['delete gone [git apply]', 'move-from a.txt [git apply]', 'move-to .env [git apply]', 'write new [git apply]', 'write src/x.ts [git apply]']],
  ['git apply -R p.diff', ['delete new [git apply]', 'move-from .env [git apply]', 'move-to a.txt [git apply]', 'write gone [git apply]', 'write src/x.ts [git apply]']],
  ['git apply --directory=sub p.diff', ['delete sub/gone [git apply]', 'move-from sub/a.txt [git apply]', 'move-to sub/.env [git apply]', 'write sub/new [git apply]', 'write sub/src/x.ts [git apply]']],
  ['git -C sub apply < p.diff', ['delete gone [git apply]', 'move-from a.txt [git apply]', 'move-to .env [git apply]', 'write new [git apply]', 'write src/x.ts [git apply]']],
  ['git apply --cached p.diff', []],
  ['git apply --check p.diff', []],
  ['git apply missing.diff', [`write ${TOP} ? [git apply]`]],
  ["git apply <<'EOF'\n--- a/.env\n+++ b/.env\n@@ -1 +1 @@\n-A\n+B\nEOF", ['write .env [git apply]']],
  ['patch -p1 < p.diff', [...pt('delete', 'gone'), ...pt('move-from', 'a.txt'), ...pt('move-to', '.env'), ...pt('write', 'new'), ...pt('write', 'src/x.ts')]],
  ['patch -d src -p2 < p.diff', [...pt('delete', 'src/gone'), ...pt('move-from', 'src/a.txt'), ...pt('move-to', 'src/.env'), ...pt('write', 'src/new'), ...pt('write', 'src/x.ts')]],
  // Without -p, patch may take the name as written or its last component.
  ['patch < p.diff', [...pt('delete', 'a/gone'), ...pt('delete', 'gone'), ...pt('move-from', 'a/a.txt'), ...pt('move-from', 'a.txt'), ...pt('move-to', 'b/.env'), ...pt('move-to', '.env'), ...pt('write', 'b/new'), ...pt('write', 'new'), ...pt('write', 'a/src/x.ts'), ...pt('write', 'b/src/x.ts'), ...pt('write', 'src/x.ts'), ...pt('write', 'x.ts')]],
  ['patch .env p.diff', pt('write', '.env')],
  ['patch -o out.txt a.txt < p.diff', ['write out.txt [patch]']],
  ['patch --dry-run -p1 < p.diff', []],
  // `cat FILE |` feeds the file as `< FILE` does; output of other commands is not known.
  ['cat p.diff | patch -p1', [...pt('delete', 'gone'), ...pt('move-from', 'a.txt'), ...pt('move-to', '.env'), ...pt('write', 'new'), ...pt('write', 'src/x.ts')]],
  ['git show HEAD:p.diff | patch -p1', ['write <U> ? [patch]']],
  ['git diff | patch -p1', ['write <U> ? [patch]']],
  // Shell text git runs, aliases, settings.
  ["git -c alias.x='!rm .env' x", ['delete .env [rm]']],
  ["git -c alias.x='checkout --' x .env", ['write .env [git checkout]']],
  ["git -c core.pager='tee .env' log", ['write .env [tee]']],
  ["git -c credential.helper='!rm .env' fetch", ['delete .env [rm]']],
  ['git -c credential.helper=store fetch', []],
  // The hooks of the folder it names are read (git-hooks.test.ts); a folder that does not exist runs none.
  ['git -c core.hooksPath=/tmp/hw-no-such-hooks commit -m x', []],
  ['git -c diff.external=./.env-writer diff', []],
  // An alias from a config file, an external git-NAME: operands may be written.
  ['git co .env', ['write .env ? [git co]']],
  ['git st', ['write <U> ? [git st]']],
  // Found in review: each of these once passed unseen.
  // The patch may make links anywhere in the tree: p.diff is also checked through an unknown name.
  ['cp other.diff p.diff && git apply p.diff', ['write p.diff [cp]', `write ${TOP} ? [git apply]`, 'write ../../../<U> ? [cp]']],
  ['git apply /dev/stdin < p.diff', ['delete gone [git apply]', 'move-from a.txt [git apply]', 'move-to .env [git apply]', 'write new [git apply]', 'write src/x.ts [git apply]']],
  ["git apply -p0 <<'EOF'\n--- .env 2020-01-01 00:00:00 +0000\n+++ .env 2020-01-01 00:00:00 +0000\n@@ -1 +1 @@\n-A\n+B\nEOF", ['write .env [git apply]']],
  ["patch <<'EOF'\nIndex: .env\n***************\nEOF", ['write <U> ? [patch]']],
  ['patch -d sub -p1 -i ../p.diff', [...pt('delete', 'sub/gone'), ...pt('move-from', 'sub/a.txt'), ...pt('move-to', 'sub/.env'), ...pt('write', 'sub/new'), ...pt('write', 'sub/src/x.ts')]],
  ['git stash -u', ['delete . [git stash]', `write ${TOP} ? [git stash]`]],
  ["git rm ':(icase).ENV'", ['delete .env [git rm]']],
  ["git rm '\\.env'", ['delete .env [git rm]']],
  ["X='!rm .env' git --config-env=alias.x=X x", ['delete .env [rm]']],
  ["GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=alias.x GIT_CONFIG_VALUE_0='!rm .env' git x", ['delete .env [rm]']],
  ["git -c \"alias.x=rm -q '.env'\" x", ['delete .env [git rm]']],
  ['git -c init.templateDir=/tmp/t init', ['write . [git init]', 'write .git/hooks [git init]', 'write .git/hooks/<U> ? [git init]']],
  ['git --work-tree=.git/hooks checkout HEAD -- a.txt', ['write .git/hooks/a.txt [git checkout]']],
  ["git fetch --upload-pack='rm .env; git-upload-pack' .", ['delete .env [rm]']],
  ["GIT_EDITOR='rm .env #' git commit --amend", ['delete .env [rm]']],
  ["git -c 'trailer.x.cmd=rm .env #' commit --trailer x=1", ['delete .env [rm]']],
  ["git ls-remote 'ext::sh -c rm% .env'", ['write <U> ? [git ls-remote]']],
  ["git push --receive-pack='rm .env #' . HEAD:x", ['delete .env [rm]']],
  ["git clone -u 'rm .env #' . dir", ['delete .env [rm]', 'write dir [git clone]', 'write dir/<U> ? [git clone]']],
  ["git difftool -y -x 'rm .env #'", ['delete .env [rm]']],
  ["git grep -O'rm .env #' x", ['delete .env [rm]']],
  ["git -c remote.origin.uploadpack='rm .env #' fetch origin", ['delete .env [rm]']],
  ["GIT_CONFIG_PARAMETERS=\"'a.b'='c'\" git status", ['write <U> ? [git status]']],
  ['git --config-env=alias.x=UNSET_VAR x .env', ['write .env ? [git x]', 'write <U> ? [git x]']],
  // Git's own bookkeeping.
  ['git status', []],
  ["git commit -am 'fix .env parsing'", []],
  ['git push -u origin feat', []],
  ['git add .env', []],
];

describe('git: the files each subcommand writes, deletes or moves', () => {
  for (const [cmd, want] of cases) {
    it(JSON.stringify(cmd), () => assert.deepEqual(got(cmd), [...want].sort()));
  }
});

describe('git: inputs that must not crash or hang the analysis', () => {
  it('a character range JavaScript rejects counts as matching anything', () => {
    assert.ok(got("git rm '[z-a]'").includes('delete .env [git rm]'));
  });
  it('a patch named by a FIFO is unknown, not waited for', { skip: process.platform === 'win32' }, () => {
    assert.equal(spawnSync('mkfifo', [path.join(cwd, 'fifo')]).status, 0);
    // In a child process: opening the FIFO would block this one, and no test timeout could fire.
    const cli = path.join(import.meta.dirname, '../../../../cli/index.ts');
    const r = spawnSync(process.execPath, ['--import', 'tsx', cli, 'check', '--command', 'git apply fifo', '--cwd', cwd, '--json'],
      { encoding: 'utf8', timeout: 20_000, env: { ...process.env, HOME: home } });
    assert.equal(r.signal, null, 'the check did not finish');
    const out = JSON.parse(r.stdout) as { decision: string; targets: { unresolved?: boolean; via: string }[] };
    assert.deepEqual(out.targets.map((t) => [t.via, t.unresolved]), [['git apply', true]]);
  });
});

// Soundness against the real git: in a fresh repository (tracked, modified, staged, untracked and
// ignored files, a second branch), run a random git command and compare the tree before and after.
// Every file git created, changed or removed, and every config file it changed, must be covered by
// a target: the path itself, a deleted or moved directory above it, or an unresolved target whose
// known part is a directory above it.
const GIT_ENV = {
  ...process.env, HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@e', GIT_EDITOR: 'true', GIT_PAGER: 'cat',
};
const sh = (at: string, ...args: string[]): ReturnType<typeof spawnSync> => spawnSync('git', args, { cwd: at, encoding: 'utf8', env: GIT_ENV });

function freshRepo(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  const put = (f: string, s: string): void => {
    fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
    fs.writeFileSync(path.join(dir, f), s);
  };
  put('.gitignore', '*.log\n/.env\n');
  for (const f of ['a.txt', 'src/x.ts', 'src/.env', 'src/deep/y.md', 'b.txt']) put(f, `${f} 1\n`);
  sh(dir, 'init', '-q', '-b', 'main');
  sh(dir, 'add', '-A');
  sh(dir, 'commit', '-qm', 'one');
  sh(dir, 'checkout', '-qb', 'other');
  put('a.txt', 'a.txt 2\n');
  put('src/.env', 'secret 2\n');
  fs.rmSync(path.join(dir, 'b.txt'));
  put('c.txt', 'c\n');
  sh(dir, 'add', '-A');
  sh(dir, 'commit', '-qm', 'two');
  sh(dir, 'checkout', '-q', 'main');
  put('a.txt', 'a.txt modified\n');
  put('src/x.ts', 'staged\n');
  sh(dir, 'add', 'src/x.ts');
  put('.env', 'SECRET=1\n');
  put('run.log', 'log\n');
  put('new.txt', 'untracked\n');
  put('src/deep/z.txt', 'untracked\n');
}

function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (p !== path.join(dir, '.git')) walk(p);
      } else out.set(p, e.isSymbolicLink() ? `link:${fs.readlinkSync(p)}` : fs.readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  for (const f of ['config', 'config.worktree']) {
    const p = path.join(dir, '.git', f);
    if (fs.existsSync(p)) out.set(p, fs.readFileSync(p, 'utf8'));
  }
  return out;
}

function covered(file: string, targets: RawTarget[]): boolean {
  return targets.some((t) => {
    const abs = path.posix.resolve(t.base, t.path);
    if (abs === file) return true;
    if (t.op !== 'write' && file.startsWith(`${abs}/`)) return true; // a directory deleted or moved
    const k = abs.indexOf(U);
    return t.unresolved === true && k >= 0 && file.startsWith(abs.slice(0, k));
  });
}

const SPECS = ['.env', 'a.txt', 'b.txt', 'src', 'src/.env', '*.env', '*.txt', 'src/*', ':/a.txt', '.', ':(exclude)a.txt', 'src/deep', 'nope'];
const q = (s: string): string => `'${s.split("'").join("'\\''")}'`;

const commandArb: fc.Arbitrary<string[]> = fc.oneof(
  fc.tuple(fc.subarray(['-r', '--cached', '-n', '-f', '--ignore-unmatch']), fc.subarray(SPECS, { minLength: 1, maxLength: 2 }))
    .map(([o, s]) => ['rm', ...o, '--', ...s]),
  fc.tuple(fc.constantFrom([], ['other'], ['HEAD']), fc.subarray(SPECS, { minLength: 1, maxLength: 2 }))
    .map(([t, s]) => ['checkout', ...t, '--', ...s]),
  fc.constantFrom<string[]>(['checkout', 'other'], ['checkout', '-f', 'other'], ['checkout', '-m', 'other'], ['switch', '-f', 'other'],
    ['reset', '--keep', 'other'], ['reset', '--merge', 'other'], ['stash', 'push', '-u', '--', 'src'], ['stash', '-a', '--', '*.env'],
    ['checkout', 'other', '--', '.'], ['checkout', '--no-overlay', 'other', '--', 'src'], ['checkout', '--', '.'], ['clean', '-ffdx'], ['restore', '-s', 'other', '--', '.'], ['restore', '-SW', '.'], ['checkout', 'a.txt'], ['checkout', '-b', 'n', 'other'], ['switch', 'other'],
    ['reset', '--hard', 'other'], ['reset', '--hard'], ['reset', '--soft', 'other'], ['reset', 'other'], ['merge', 'other'],
    ['stash'], ['stash', '-u'], ['stash', '-a'], ['stash', 'list'], ['cherry-pick', 'other'], ['revert', '--no-edit', 'HEAD'],
    ['checkout-index', '-a', '-f'], ['checkout-index', '-f', '--', 'a.txt'], ['mv', 'a.txt', 'src'], ['mv', '-f', 'src/x.ts', 'a.txt'],
    ['mv', 'src', 'lib'], ['read-tree', '-u', '--reset', 'other']),
  fc.tuple(fc.subarray(['--staged', '--worktree']), fc.constantFrom([], ['--source=other']), fc.subarray(SPECS, { minLength: 1, maxLength: 2 }))
    .map(([o, s, p]) => ['restore', ...o, ...s, '--', ...p]),
  fc.tuple(fc.subarray(['-f', '-d', '-x', '-X', '-n']), fc.subarray(SPECS, { maxLength: 2 }))
    .map(([o, s]) => ['clean', ...o, ...(s.length > 0 ? ['--', ...s] : [])]),
  fc.tuple(fc.constantFrom([], ['--local'], ['--worktree'], ['--unset'], ['--get'], ['--add'], ['-f', 'x.cfg']), fc.constantFrom(['a.b'], ['a.b', 'v'], ['user.name', 'x']))
    .map(([o, k]) => ['config', ...o, ...k]),
  fc.tuple(fc.constantFrom([], ['-R'], ['--index'], ['--cached'], ['--check'], ['--directory=sub'], ['-p0']), fc.constantFrom('main', 'HEAD', 'other'))
    .map(([o, rev]) => ['apply', ...o, `@PATCH:${rev}`]),
  fc.tuple(fc.constantFrom(['-p1'], ['-R', '-p1'], ['-p0'], ['-d', 'src', '-p2'], []), fc.constantFrom('main', 'HEAD', 'other'))
    .map(([o, rev]) => ['@patch', '--batch', ...o, `@PATCH:${rev}`]),
);

describe('git: property, against the real git', () => {
  const have = sh(cwd, '--version').status === 0 && spawnSync('patch', ['--version']).status === 0;
  it('every file git changes is covered by a target', { skip: !have && 'git or patch not installed' }, () => {
    const dir = path.join(root, 'prop');
    const patch = path.join(root, 'p.patch');
    fc.assert(fc.property(commandArb, (argv) => {
      freshRepo(dir);
      const args = argv.map((a) => {
        if (!a.startsWith('@PATCH:')) return a;
        fs.writeFileSync(patch, String(sh(dir, 'diff', '--binary', a.slice(7)).stdout));
        return patch;
      });
      const gnu = args[0] === '@patch';
      const command = gnu ? `patch ${args.slice(1, -1).map(q).join(' ')} < ${q(patch)}` : `git ${args.map(q).join(' ')}`;
      const targets = runner(dir, home)(command);
      // The same command when git itself is asked (hooks/git-query.ts): sound too.
      const asked = runner(dir, home)(command, { git: askGit, env: { PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1' } });
      const before = snapshot(dir);
      if (gnu) spawnSync('patch', args.slice(1, -1), { cwd: dir, input: fs.readFileSync(patch) });
      else sh(dir, ...args);
      const after = snapshot(dir);
      const changed = [...new Set([...before.keys(), ...after.keys()])].filter((f) => before.get(f) !== after.get(f));
      const missed = changed.filter((f) => !covered(f, targets));
      assert.deepEqual(missed, [], `${command}\n${targets.map(brief).join('\n')}`);
      const missedAsked = changed.filter((f) => !covered(f, asked));
      assert.deepEqual(missedAsked, [], `asked git: ${command}\n${asked.map(brief).join('\n')}`);
    }), { numRuns: 120 });
  });
});
