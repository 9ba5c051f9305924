// One-time exceptions a person grants with `hookwarden allow --once` (cli/allow.ts): a file per
// grant in hookwarden's state folder, which the locked self preset keeps the agent from writing
// (and `hookwarden allow` run through the agent's shell is itself blocked: rules/self.json).
// A grant names the exact shell command, optionally the session, and an expiry; the first call
// that matches claims it by renaming the file (atomic: two calls racing cannot both use it).
import fs from 'node:fs';
import path from 'node:path';
import { xdgDir } from '../paths/home.js';

export interface Grant {
  v: 1;
  id: string;
  /** The shell command exactly as the agent will send it. */
  command: string;
  /** Only in this session, when set. */
  session?: string;
  /** Epoch ms. */
  created: number;
  expires: number;
  /** `user@host` of the person who granted it. */
  by: string;
  /** The audit record the grant was made from, if any. */
  record?: string;
}

/** How long a grant waits for its call (the CLI may shorten it). */
export const GRANT_TTL_MS = 5 * 60_000;
const MAX_GRANTS = 64;
const MAX_GRANT_BYTES = 64 * 1024;

export function grantsDir(home: string, env: Record<string, string | undefined>): string {
  return path.join(xdgDir('XDG_STATE_HOME', home, env), 'hookwarden', 'grants');
}

function readGrant(file: string): Grant | undefined {
  let fd: number | undefined;
  try {
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW | fs.constants.O_NONBLOCK);
    const st = fs.fstatSync(fd);
    if (!st.isFile() || st.size > MAX_GRANT_BYTES) return undefined;
    if (typeof process.getuid === 'function' && st.uid !== process.getuid()) return undefined;
    const buf = Buffer.alloc(st.size);
    fs.readSync(fd, buf, 0, st.size, 0);
    const g = JSON.parse(buf.toString('utf8')) as Grant;
    return g && g.v === 1 && typeof g.command === 'string' && typeof g.expires === 'number' && typeof g.by === 'string' ? g : undefined;
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Claims the grant for this call, if one matches: removed as it is used, so it serves once.
 * Expired grants are left for the CLI to clear (a hook never deletes what it does not use).
 */
export function claimGrant(dir: string, command: string, session: string | undefined, now: number): Grant | undefined {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort().slice(0, MAX_GRANTS);
  } catch {
    return undefined;
  }
  for (const n of names) {
    const file = path.join(dir, n);
    const g = readGrant(file);
    if (!g || g.command !== command || g.expires < now || (g.session !== undefined && g.session !== session)) continue;
    const claimed = `${file}.used-${process.pid}-${now}`;
    try {
      fs.renameSync(file, claimed);
    } catch {
      continue; // another call claimed it first
    }
    try {
      fs.unlinkSync(claimed);
    } catch {
      // removed already
    }
    return g;
  }
  return undefined;
}
