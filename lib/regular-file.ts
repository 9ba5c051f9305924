// Reading a file that a command names, for a decision (a script, an archive, a `#!` line): one
// non-blocking open, the type checked on that descriptor, so a FIFO, a device or a link swapped
// in between cannot stall the hook. The reader's own bounds are its business.
import * as fs from 'node:fs';
import { GuardError } from './errors.js';
import { processNodeOnTheWay } from './paths/normalize.js';

const C = fs.constants;

/**
 * `use(fd, size)` on the regular file at `abs`; undefined when it cannot be opened, is not a
 * regular file, or reading it fails. A GuardError from `use` (the call's budget ran out) is not
 * a read failure: it propagates, and the call is blocked.
 */
export function withRegularFile<T>(abs: string, use: (fd: number, size: number) => T | undefined): T | undefined {
  // Through a per-process node, by its name or a link on the way, the file opened here would be
  // the guard's own (its cwd, its stdin), not the command's: `through` blocks, naming the path,
  // as such a target does; a descriptor or stdio node is not known.
  if (processNodeOnTheWay(abs) !== undefined) return undefined;
  let fd: number;
  try {
    fd = fs.openSync(abs, C.O_RDONLY | (C.O_NONBLOCK ?? 0) | (C.O_NOCTTY ?? 0));
  } catch {
    return undefined;
  }
  try {
    const st = fs.fstatSync(fd);
    return st.isFile() ? use(fd, st.size) : undefined;
  } catch (err) {
    if (err instanceof GuardError || (err instanceof Error && err.name === 'GuardError')) throw err;
    return undefined;
  } finally {
    try {
      fs.closeSync(fd);
    } catch {
      // the read is done either way
    }
  }
}
