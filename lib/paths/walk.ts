// Bounded look beneath a directory: what would `rm -rf dir` or `mv dir` take with it?
import * as fs from 'node:fs';
import type { Budget } from '../types.js';

export type WalkResult = 'complete' | 'stopped' | 'truncated';

interface Frame {
  dir: string;
  entries: fs.Dirent[];
  next: number;
}

/** How often (in entries) the deadline is compared with the clock. */
const CLOCK_EVERY = 64;

/**
 * Bounded depth-first walk beneath an existing directory (not following symlinks into other dirs;
 * a symlink entry itself is visited). Calls visit(absPath, isDir, entry) for every entry; visit
 * returning true stops the walk, 'skip' keeps it out of that directory. Returns 'complete',
 * 'stopped' or 'truncated' (more than maxEntries seen, budget out, or a directory that could not
 * be read, so part of the tree stayed unseen).
 */
export function walkBeneath(
  dir: string,
  opts: { maxEntries: number; budget: Budget },
  visit: (absPath: string, isDir: boolean, entry: fs.Dirent) => boolean | 'skip',
): WalkResult {
  let seen = 0;
  let unseen = false;
  const frames: Frame[] = [];
  const open = (d: string): void => {
    // Read no more than can still be visited (+1 to notice the overflow): a directory with a
    // million entries costs maxEntries, not a million.
    const entries = readSome(d, Math.max(0, opts.maxEntries - seen) + 1);
    if (entries === 'unreadable') unseen = true;
    else if (entries.length > 0) frames.push({ dir: d.endsWith('/') ? d : `${d}/`, entries, next: 0 });
  };
  open(dir);
  for (let top = frames[frames.length - 1]; top; top = frames[frames.length - 1]) {
    const entry = top.entries[top.next++];
    if (!entry) {
      frames.pop();
      continue;
    }
    if (++seen > opts.maxEntries) return 'truncated';
    if (seen % CLOCK_EVERY === 0 && opts.budget.expired()) return 'truncated';
    const abs = top.dir + entry.name;
    const isDir = entry.isDirectory(); // a Dirent is lstat-like: a symlink to a dir is not a dir here
    const r = visit(abs, isDir, entry);
    if (r === true) return 'stopped';
    if (isDir && r !== 'skip') open(abs);
  }
  return unseen ? 'truncated' : 'complete';
}

function readSome(dir: string, limit: number): fs.Dirent[] | 'unreadable' {
  let handle: fs.Dir;
  try {
    handle = fs.opendirSync(dir);
  } catch (err) {
    // Gone or not a directory: nothing beneath it. Anything else (EACCES, EMFILE): unseen.
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? [] : 'unreadable';
  }
  const entries: fs.Dirent[] = [];
  try {
    while (entries.length < limit) {
      const e = handle.readSync();
      if (!e) break;
      entries.push(e);
    }
  } catch {
    return 'unreadable';
  } finally {
    try {
      handle.closeSync();
    } catch {
      // already closed or failing to close: nothing left to read from it either way
    }
  }
  return entries;
}

/** Is `p` an existing directory (following links, or with `follow` false the name itself)? Never throws. */
export function isDirectory(p: string, follow = true): boolean {
  return (follow ? statOf(p) : lstatOf(p))?.isDirectory() ?? false;
}

/** Does anything exist at `p` (a dangling link counts: the name is taken)? Never throws. */
export function exists(p: string): boolean {
  return lstatOf(p) !== undefined;
}

/** lstat, undefined when there is nothing or it cannot be asked (ENOTDIR, EACCES...). Never throws. */
export function lstatOf(p: string): fs.Stats | undefined {
  try {
    return fs.lstatSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

function statOf(p: string): fs.Stats | undefined {
  try {
    return fs.statSync(p, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}
