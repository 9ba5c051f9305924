// One-time exceptions a person grants with `hookwarden allow --once` (cli/allow.ts): a file per
// grant in hookwarden's state folder, which the locked self preset keeps the agent from writing
// (and `hookwarden allow` run through the agent's shell is itself blocked: rules/self.json).
// A grant names the exact shell command, optionally the session, and an expiry; the first call
// that matches claims it. The core reads the grants and picks the ones that match; taking one
// (renaming its file away, atomic: two calls racing cannot both use it) is an effect the caller
// injects (`TakeGrant`, hooks/grant-take.ts), as git questions are (GuardEnv.git).
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
 * Takes a grant's file for this call so that it serves once (hooks/grant-take.ts removes it):
 * false when another call took it first.
 */
export type TakeGrant = (file: string) => boolean;

/** The grants in `dir` that let this command through now (this session's or any session's), in file order. */
export function matchingGrants(dir: string, command: string, session: string | undefined, now: number): { grant: Grant; file: string }[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir).filter((n) => n.endsWith('.json')).sort().slice(0, MAX_GRANTS);
  } catch {
    return [];
  }
  const out: { grant: Grant; file: string }[] = [];
  for (const n of names) {
    const file = path.join(dir, n);
    const g = readGrant(file);
    if (!g || g.command !== command || g.expires < now || (g.session !== undefined && g.session !== session)) continue;
    out.push({ grant: g, file });
  }
  return out;
}

/**
 * Claims the grant for this call, if one matches and `take` gets its file first. Expired grants
 * are left for the CLI to clear (a hook never deletes what it does not use).
 */
export function claimGrant(dir: string, command: string, session: string | undefined, now: number, take: TakeGrant): Grant | undefined {
  return matchingGrants(dir, command, session, now).find((m) => take(m.file))?.grant;
}
