// Project root discovery and path display for messages.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UNRESOLVED_SEGMENT } from '../types.js';

const MARKERS = ['.git', '.codex', '.claude', '.hookwarden'];
/** In the home directory these are the agents' user config dirs, not a project. */
const USER_CONFIG_MARKERS = new Set(['.codex', '.claude']);

/**
 * Nearest ancestor of cwd (inclusive) holding `.git`, `.codex`, `.claude` or `.hookwarden`; else cwd.
 * `home` (default: the user's home) counts only through `.git` or `.hookwarden`, since every
 * agent user has `~/.codex` or `~/.claude`. The result is a lexical ancestor of cwd.
 */
export function findProjectRoot(cwd: string, home: string = os.homedir()): string {
  const start = path.resolve(cwd);
  const homeDir = home ? path.resolve(home) : '';
  for (let dir = start; ; ) {
    for (const marker of MARKERS) {
      if (dir === homeDir && USER_CONFIG_MARKERS.has(marker)) continue;
      if (fs.existsSync(path.join(dir, marker))) return slashes(dir);
    }
    const parent = path.dirname(dir);
    if (parent === dir) return slashes(start);
    dir = parent;
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
