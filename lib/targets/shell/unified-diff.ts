// The files a unified diff changes (`git apply`, `patch`), read with jsdiff's parser, which knows
// git's headers (new/deleted file, rename, copy, quoted names). Names keep their `a/`, `b/`
// prefixes; the caller strips them the way its tool does.
import fs from 'node:fs';
import { parsePatch } from 'diff';
import { U, joinPath, type Arg, type Env } from './context.js';

export interface FileChange {
  /** Name before the change; undefined when the file is created. */
  old?: string;
  /** Name after it; undefined when the file is deleted. */
  new?: string;
  rename: boolean;
}

const name = (n: string | undefined): string | undefined =>
  n === undefined || n === '/dev/null' || n === '' ? undefined : n.replace(/\t.*$/, '');

/** The changes of a patch text, or undefined when it cannot be read as a patch. */
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
  return out;
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
export function patchText(file: Arg | undefined, cwd: string, env: Env): string | undefined {
  if ((file === undefined || file.text === '-') && env.stdin === null && env.stdinFile) return readPatch(env.stdinFile, env);
  if (file === undefined || file.text === '-') return typeof env.stdin === 'string' ? env.stdin : undefined;
  return readPatch(joinPath(cwd, file.text), env);
}

function readPatch(p: string, env: Env): string | undefined {
  if (p.includes(U)) return undefined;
  try {
    const fd = fs.openSync(p, 'r');
    try {
      const st = fs.fstatSync(fd);
      if (!st.isFile() || st.size > env.run.limits.maxBytes) return undefined;
      return fs.readFileSync(fd, 'utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
}
