// Where an operand of a destructive command lands, resolved like a path target (cwd, `..`, links
// up to the last component, which commands like `rm` act on by name), classified for the
// `place` condition: `/`, a home folder, a top-level system folder, the project root, or
// outside both the project and the temp folders.
import path from 'node:path';
import { lexicalPath, normalizePath, type LookupCache } from '../paths/normalize.js';
import { UNRESOLVED_SEGMENT } from '../types.js';
import type { Place } from './schema.js';

export interface PlaceContext {
  root: string;
  /** Every project root candidate (nearest first). */
  roots: readonly string[];
  homes: readonly string[];
  temps: readonly string[];
  platform: NodeJS.Platform;
  cache: LookupCache;
}

/** The folders temp files live in: deleting beneath them is routine. */
export function tempFolders(env: Record<string, string | undefined>): string[] {
  const out = ['/tmp', '/var/tmp', '/private/tmp', '/private/var/folders', '/dev/shm'];
  const t = env.TMPDIR;
  if (t && t.startsWith('/') && t !== '/') out.push(t.replace(/\/+$/, ''));
  return out;
}

const within = (p: string, dir: string): boolean => dir !== '/' && p.startsWith(`${dir}/`);

/**
 * The absolute place of an operand, or undefined when it cannot be known (an unknown variable
 * at its start). An unknown part later on keeps the known folder before it: `rm -rf /srv/$X`
 * reaches at most into /srv, which is judged as /srv/<something>.
 */
export function placeOf(operand: string, cwd: string, ctx: PlaceContext): string | undefined {
  let text = operand;
  const u = text.indexOf(UNRESOLVED_SEGMENT);
  if (u === 0 || cwd.includes(UNRESOLVED_SEGMENT) && !text.startsWith('/')) return undefined;
  if (u > 0) text = `${text.slice(0, u)}unknown`;
  // `rm -rf dir/*` empties dir: judged as dir itself (`/*` is `/`, `./*` the folder it is in).
  if (text === '*' || text === '.*') text = '.';
  else if (/\/\.?\*$/.test(text)) text = text.replace(/\.?\*$/, '') || '/';
  const env = { home: ctx.homes[0] ?? '/', platform: ctx.platform, cache: ctx.cache };
  try {
    const abs = lexicalPath(text, cwd, env);
    // `rm -r link` removes the link, `rm -r link/` what it points to: links are followed up to
    // the last component only, unless a trailing slash (or `.`) asks for the target.
    const follow = /\/\.?$/.test(text) || abs === '/';
    if (follow) return normalizePath(text, cwd, env);
    const dir = normalizePath(path.posix.dirname(abs), '/', env);
    return dir === '/' ? `/${path.posix.basename(abs)}` : `${dir}/${path.posix.basename(abs)}`;
  } catch {
    return undefined;
  }
}

export function placeIs(p: string, places: readonly Place[], ctx: PlaceContext): boolean {
  for (const kind of places) {
    if (kind === 'root' && p === '/') return true;
    if (kind === 'home' && ctx.homes.includes(p)) return true;
    if (kind === 'system' && p !== '/' && path.posix.dirname(p) === '/' && !ctx.temps.includes(p)) return true;
    if (kind === 'project-root' && (p === ctx.root || ctx.roots.includes(p))) return true;
    if (kind === 'outside-project' && !within(p, ctx.root) && !ctx.temps.some((t) => within(p, t))) return true;
  }
  return false;
}
