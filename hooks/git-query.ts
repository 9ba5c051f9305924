// The git query the hook layer gives the core (lib/targets/shell/git-query.ts builds the argv):
// one synchronous git process, bounded in time and output, run with no shell, standard input
// closed, an environment rebuilt from scratch and a git binary found only in absolute PATH
// entries outside the repository being checked (a repository cannot put its own `git` first).
import fs from 'node:fs';
import path from 'node:path';
import { childProcess } from '../sinks/lazy-builtins.js';
import type { GitAnswer, GitQueryRequest } from '../lib/targets/shell/git-query.js';

/**
 * Variables that decide which repository, index, objects and config files the real command uses:
 * passed on so git answers about the same repository. Every other variable is dropped (editors,
 * pagers, ssh and external diff commands, trace targets, exec path).
 */
const PASSED = ['HOME', 'XDG_CONFIG_HOME', 'GIT_DIR', 'GIT_WORK_TREE', 'GIT_INDEX_FILE', 'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES', 'GIT_COMMON_DIR', 'GIT_CEILING_DIRECTORIES', 'GIT_DISCOVERY_ACROSS_FILESYSTEM',
  'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_SYSTEM', 'GIT_CONFIG_NOSYSTEM', 'GIT_NAMESPACE', 'GIT_NO_REPLACE_OBJECTS',
  'GIT_REPLACE_REF_BASE', 'GIT_LITERAL_PATHSPECS', 'GIT_GLOB_PATHSPECS', 'GIT_NOGLOB_PATHSPECS', 'GIT_ICASE_PATHSPECS',
  'GIT_SHALLOW_FILE', 'GIT_ATTR_NOSYSTEM'];
/** Settings given in the environment: the real command would see settings git cannot be asked with. */
const SETTINGS = /^GIT_CONFIG_(PARAMETERS|COUNT|KEY_\d+|VALUE_\d+)$/;

/** The first executable `git` in the absolute PATH entries, or undefined. One entry per PATH seen (bounded). */
const found = new Map<string, string | null>();
export function findGit(pathVar: string | undefined): string | undefined {
  const key = pathVar ?? '';
  let hit = found.get(key);
  if (hit === undefined) {
    hit = null;
    for (const dir of key.split(':')) {
      if (!path.isAbsolute(dir)) continue; // `.`, `node_modules/.bin`: the repository's own files
      const p = path.join(dir, 'git');
      try {
        fs.accessSync(p, fs.constants.X_OK);
        if (fs.statSync(p).isFile()) {
          hit = p;
          break;
        }
      } catch {
        // not here
      }
    }
    if (found.size > 16) found.clear();
    found.set(key, hit);
  }
  return hit ?? undefined;
}

const inside = (dir: string, p: string): boolean => p === dir || p.startsWith(dir.endsWith('/') ? dir : `${dir}/`);

/** The nearest directory at or above `dir` holding `.git` (the checked repository), else `dir`. */
function repoTop(dir: string): string {
  for (let d = dir; ; d = path.dirname(d)) {
    if (fs.existsSync(path.join(d, '.git'))) return d;
    if (d === path.dirname(d)) return dir;
  }
}

/** Runs `git argv` for the core; undefined when it cannot run, is stopped, or says too much. */
export function askGit(req: GitQueryRequest): GitAnswer | undefined {
  try {
    if (Object.keys(req.env).some((k) => SETTINGS.test(k))) return undefined;
    const bin = findGit(req.env.PATH);
    if (!bin) return undefined;
    const real = fs.realpathSync(bin);
    if (inside(repoTop(fs.realpathSync(req.cwd)), real)) return undefined; // a git shipped by the checked repository
    const env: Record<string, string> = {
      PATH: req.env.PATH ?? '',
      LC_ALL: 'C',
      GIT_OPTIONAL_LOCKS: '0',
      GIT_TERMINAL_PROMPT: '0',
      GIT_NO_LAZY_FETCH: '1',
      GIT_PAGER: 'cat',
    };
    for (const k of PASSED) {
      const v = req.env[k];
      if (v !== undefined) env[k] = v;
    }
    const r = childProcess().spawnSync(bin, [...req.argv], {
      cwd: req.cwd,
      env,
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: Math.max(1, Math.floor(req.timeoutMs)),
      killSignal: 'SIGKILL',
      maxBuffer: req.maxBytes,
      windowsHide: true,
      shell: false,
    });
    if (r.error || r.signal || r.status === null) return undefined;
    return { status: r.status, stdout: r.stdout.toString('utf8') };
  } catch {
    return undefined;
  }
}
