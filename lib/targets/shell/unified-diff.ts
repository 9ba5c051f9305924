// The files a unified diff changes (`git apply`, `patch`), read with jsdiff's parser, which knows
// git's headers (new/deleted file, rename, copy, quoted names). Names keep their `a/`, `b/`
// prefixes; the caller strips them the way its tool does.
import fs from 'node:fs';
import path from 'node:path';
import { parsePatch } from 'diff';
import { U, joinPath, type Frame } from './context.js';
import type { Arg } from './types.js';
import { processNodeOnTheWay } from '../../paths/normalize.js';

export interface FileChange {
  /** Name before the change; undefined when the file is created. */
  old?: string;
  /** Name after it; undefined when the file is deleted. */
  new?: string;
  rename: boolean;
}

/** A timestamp after the name, separated by spaces instead of a tab (`--- .env 2020-01-01 00:00:00 +0000`). */
const STAMP = / +(\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?( ?[+-]\d{4})?|[A-Z][a-z]{2} [A-Z][a-z]{2} +\d+ \d\d:\d\d:\d\d \d{4})$/;

const name = (n: string | undefined): string | undefined =>
  n === undefined || n === '/dev/null' || n === '' ? undefined : n.replace(/\t.*$/, '').replace(STAMP, '');

/** The changes of a patch text, or undefined when it cannot be read as a patch (or names no file). */
export function fileChanges(text: string): FileChange[] | undefined {
  let parsed: ReturnType<typeof parsePatch>;
  try {
    parsed = parsePatch(text);
  } catch {
    return undefined;
  }
  const out: FileChange[] = [];
  for (const p of parsed) {
    const old = p.isCreate ? undefined : name(p.oldFileName);
    const neu = p.isDelete ? undefined : name(p.newFileName);
    if (old === undefined && neu === undefined) continue;
    out.push({ ...(old === undefined ? {} : { old }), ...(neu === undefined ? {} : { new: neu }), rename: p.isRename === true });
  }
  // A context diff, an `Index:`-only diff...: patch may still apply what jsdiff does not read.
  return out.length === 0 && text.trim() !== '' ? undefined : out;
}

/** `name` without its first `n` components (`-p n`); too few components leave the last one. */
export function strip(n: string, count: number): string {
  const parts = n.split('/').filter((s, i) => s !== '' || i === 0);
  if (count <= 0) return n;
  const rest = parts.slice(count);
  return rest.length > 0 ? rest.join('/') : parts[parts.length - 1]!;
}

/**
 * The patch a command reads: the file named (read now, up to the shell size limit), else its
 * standard input when the command line gives it (a heredoc, a pipe of literal text). Undefined
 * when it cannot be known.
 */
export function patchText(file: Arg | undefined, cwd: string, fr: Frame): string | undefined {
  const stdin = file === undefined || ['-', '/dev/stdin', '/dev/fd/0', '/proc/self/fd/0'].includes(file.text);
  if (stdin && fr.stdin === null && fr.stdinFile) return readPatch(fr.stdinFile, fr);
  if (stdin) return typeof fr.stdin === 'string' ? fr.stdin : undefined;
  return readPatch(joinPath(cwd, file.text), fr);
}

/** The file as it is now, unless this command line writes it first (then its content is unknown). */
function readPatch(p: string, fr: Frame): string | undefined {
  if (p.includes(U)) return undefined;
  const written = fr.run.targets.some((t) => t.op !== 'read' && t.op !== 'move-from'
    && (t.path.includes(U) || t.base.includes(U) || path.posix.resolve(t.base, t.path) === p));
  if (written) return undefined;
  try {
    // Through a per-process link it would be the guard's own file, not patch's.
    if (processNodeOnTheWay(p) !== undefined) return undefined;
    // Checked before opening: opening a FIFO would wait for a writer.
    if (!fs.statSync(p).isFile()) return undefined;
    const fd = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
      const st = fs.fstatSync(fd);
      if (!st.isFile() || st.size > fr.run.limits.maxBytes) return undefined;
      return fs.readFileSync(fd, 'utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
}
