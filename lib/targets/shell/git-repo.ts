// Where git would look for its repository and which config file `git config` writes, found the
// way git finds them at the moment the call is checked: `.git` (a directory, or a file saying
// `gitdir: X` in worktrees and submodules) in the working directory or the nearest ancestor, a
// bare repository, `--git-dir`/`GIT_DIR`, and a linked worktree's `commondir`.
import fs from 'node:fs';
import path from 'node:path';
import { U, joinPath, type Run } from './context.js';
import { inside, type GitEnv, type Repo } from './git-ctx.js';

const stat = (p: string): fs.Stats | undefined => {
  try {
    return fs.statSync(p);
  } catch {
    return undefined;
  }
};

function readSmall(p: string): string | undefined {
  try {
    const s = fs.statSync(p);
    return s.isFile() && s.size <= 4096 ? fs.readFileSync(p, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

function isBare(dir: string): boolean {
  return stat(path.join(dir, 'HEAD'))?.isFile() === true
    && stat(path.join(dir, 'objects'))?.isDirectory() === true
    && stat(path.join(dir, 'refs'))?.isDirectory() === true;
}

/** `.git` at `dir`: its repository directory, or undefined. */
function dotGit(dir: string): string | undefined {
  const p = path.join(dir, '.git');
  const s = stat(p);
  if (s?.isDirectory()) return p;
  if (!s?.isFile()) return undefined;
  const m = /^gitdir: (.+?)\s*$/m.exec(readSmall(p) ?? '');
  return m ? path.resolve(dir, m[1]!) : undefined;
}

function common(gitDir: string): string {
  if (gitDir.includes(U)) return gitDir;
  const c = readSmall(path.join(gitDir, 'commondir'))?.trim();
  return c ? path.resolve(gitDir, c) : gitDir;
}

/**
 * The repository for a git command run in `cwd`. With no repository found, the one `git init`
 * would make there (`cwd/.git`): a command line may create it before using it.
 */
export function findRepo(cwd: string, gitDirOpt: string | undefined, workTreeOpt: string | undefined): Repo {
  const tree = workTreeOpt === undefined ? undefined : joinPath(cwd, workTreeOpt);
  if (gitDirOpt !== undefined) {
    const gitDir = joinPath(cwd, gitDirOpt);
    // With GIT_DIR and no work tree, git takes the current directory as the top of the tree.
    return { gitDir, commonDir: common(gitDir), worktree: tree ?? cwd };
  }
  if (!cwd.includes(U)) {
    for (let dir = cwd; ; dir = path.dirname(dir)) {
      const g = dotGit(dir);
      if (g) return { gitDir: g, commonDir: common(g), worktree: tree ?? dir };
      if (isBare(dir)) return { gitDir: dir, commonDir: common(dir), worktree: tree };
      if (dir === path.dirname(dir)) break;
    }
  }
  const gitDir = joinPath(cwd, '.git');
  return { gitDir, commonDir: gitDir, worktree: tree ?? cwd };
}

/**
 * findRepo once per call and place while the call has made no new target: a script of thousands of
 * git commands looks the repository up once, and a command that may have changed it looks again.
 */
const found = new WeakMap<Run, Map<string, { n: number; repo: Repo }>>();
export function findRepoIn(run: Run, cwd: string, gitDirOpt: string | undefined, workTreeOpt: string | undefined): Repo {
  let memo = found.get(run);
  if (!memo) found.set(run, (memo = new Map()));
  const key = `${cwd}\0${gitDirOpt ?? '\u0001'}\0${workTreeOpt ?? '\u0001'}`;
  const hit = memo.get(key);
  if (hit && hit.n === run.targets.length) return hit.repo;
  const repo = findRepo(cwd, gitDirOpt, workTreeOpt);
  if (memo.size < 256 || memo.has(key)) memo.set(key, { n: run.targets.length, repo });
  return repo;
}

/** The files a writing `git config` changes, by the scope options given. */
export function configFiles(o: { file?: string; global: boolean; system: boolean; worktree: boolean }, repo: () => Repo,
  cwd: string, home: string, env: GitEnv): string[] {
  const file = o.file ?? env('GIT_CONFIG');
  if (file !== undefined) return [joinPath(cwd, file)];
  if (o.global) {
    const g = env('GIT_CONFIG_GLOBAL');
    if (g !== undefined) return [joinPath(cwd, g)];
    // git writes ~/.gitconfig, or the XDG file when only that one exists: both count.
    const xdg = env('XDG_CONFIG_HOME');
    return [path.posix.join(home, '.gitconfig'), inside(xdg ?? path.posix.join(home, '.config'), 'git/config')];
  }
  if (o.system) return [env('GIT_CONFIG_SYSTEM') ?? '/etc/gitconfig'];
  const r = repo();
  const local = inside(r.commonDir, 'config');
  // --worktree writes config.worktree when extensions.worktreeConfig is on, else the local file.
  return o.worktree ? [inside(r.gitDir, 'config.worktree'), local] : [local];
}
