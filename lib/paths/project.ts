// Project root discovery and path display for messages.
import * as os from 'node:os';
import * as path from 'node:path';
import { UNRESOLVED_SEGMENT } from '../types.js';
import { lookupKind, normalizePath, type LookupCache } from './normalize.js';

const MARKERS = ['.git', '.codex', '.claude', '.hookwarden'];
/** In the home directory these are the agents' user config dirs, not a project. */
const USER_CONFIG_MARKERS = new Set(['.codex', '.claude']);

export interface ProjectRoots {
  /**
   * The project: the nearest ancestor of cwd (inclusive) holding `.git` (a directory, or a file
   * in a linked worktree or submodule), which is the top of git's work tree; outside any work tree
   * the nearest one holding `.codex`, `.claude` or `.hookwarden`; else cwd. Physical: reached
   * through every symbolic link, as targets are.
   */
  root: string;
  /**
   * Every ancestor of cwd holding a marker, nearest first (the root among them; cwd alone when
   * there is none). A marker is only a folder: anyone who can write in the tree (a cloned
   * repository, the agent with `mkdir sub/.git`) can make one. So protections written relative
   * to "the project" are anchored at every candidate, and a project config is read from each:
   * a marker made further down never takes a path out of reach of the rules of the one above.
   */
  candidates: string[];
}

/**
 * The roots of cwd. `home` (one or several spellings; default: the user's home) counts only
 * through `.git` or `.hookwarden`, since every agent user has `~/.codex` or `~/.claude`.
 */
export function findProjectRoots(cwd: string, home: string | readonly string[] = os.homedir(), view?: LookupCache): ProjectRoots {
  const start = physical(path.resolve(cwd), view);
  const homes = new Set((typeof home === 'string' ? [home] : home).filter((h) => h !== '').map((h) => physical(path.resolve(h), view)));
  const candidates: string[] = [];
  let git: string | undefined;
  for (let dir = start; ; ) {
    let marked = false;
    for (const marker of MARKERS) {
      if (homes.has(dir) && USER_CONFIG_MARKERS.has(marker)) continue;
      if (lookupKind(path.join(dir, marker), view) !== 'missing') {
        marked = true;
        if (marker === '.git') git ??= dir;
      }
    }
    if (marked) candidates.push(slashes(dir));
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  const root = git !== undefined ? slashes(git) : candidates[0] ?? slashes(start);
  if (!candidates.includes(root)) candidates.unshift(root);
  return { root, candidates };
}

/** The project root of cwd (see ProjectRoots.root). */
export function findProjectRoot(cwd: string, home: string | readonly string[] = os.homedir()): string {
  return findProjectRoots(cwd, home).root;
}

/** Something (a folder, a file, a link) is at `p`. No exception on absence: this runs for every ancestor on every call. */
/** `p` through every symbolic link (a missing tail stays as written); `p` itself when it cannot be resolved. */
function physical(p: string, view?: LookupCache): string {
  try {
    const out = normalizePath(p, '/', { home: '/', platform: process.platform, cache: view });
    return path.sep === '\\' ? out.replaceAll('/', '\\') : out;
  } catch {
    return p;
  }
}

/** The core spells paths with `/` on every platform. */
function slashes(p: string): string {
  return path.sep === '\\' ? p.replaceAll('\\', '/') : p;
}

/**
 * For messages: path relative to root when inside it, `~/...` when under home, else absolute.
 * Unknowable parts show as `<unresolved>` and control characters are escaped, so the result
 * stays on one line.
 */
export function displayPath(p: string, root: string, home: string): string {
  const shown = under(p, root, '.', '') ?? under(p, home, '~', '~/') ?? p;
  return printable(shown);
}

/** `p` relative to `dir` (`self` when equal, `prefix` + rest when beneath), or undefined. */
function under(p: string, dir: string, self: string, prefix: string): string | undefined {
  // A root of `/` would make every path "relative"; that reads worse than the absolute path.
  if (!dir || dir === '/' || /^[A-Za-z]:\/?$/.test(dir)) return undefined;
  const d = dir.endsWith('/') ? dir.slice(0, -1) : dir;
  if (p === d) return self;
  return p.startsWith(`${d}/`) ? prefix + p.slice(d.length + 1) : undefined;
}

function printable(s: string): string {
  return s
    .split(UNRESOLVED_SEGMENT)
    .join('<unresolved>')
    .replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}
