// Reading a config file without trusting what sits at its path. A cloned repository controls
// `.hookwarden/config.json`: as a link to /dev/stderr or a FIFO a plain read blocks forever, as a
// link to /dev/zero it never ends, as a link to a secret its text would surface in a parse error.
// So: one non-blocking open, the type checked on that descriptor (a separate stat would race
// with a swap of the path), and never more than MAX_CONFIG_BYTES + 1 bytes read.
import { messageOf } from './errors.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GuardError } from './types.js';

export const MAX_CONFIG_BYTES = 1024 * 1024;
/** Deeper than any valid config (about 6 levels) by far; checked before JSON.parse sees the text. */
const MAX_JSON_DEPTH = 32;

const C = fs.constants;
/**
 * O_NONBLOCK: opening a FIFO or a device never waits (reads of a regular file are unaffected).
 * O_NOCTTY: a terminal named by a link never becomes the hook's controlling terminal.
 */
const BASE_FLAGS = C.O_RDONLY | (C.O_NONBLOCK ?? 0) | (C.O_NOCTTY ?? 0);

export interface ReadOptions {
  /** A named file (HOOKWARDEN_CONFIG) must exist; the other layers are optional. */
  required: boolean;
  /**
   * Follow a symbolic link at the file itself. The user's own layers may be links (dotfile
   * managers link ~/.config files into a repository); a project layer comes from whatever was
   * cloned, and a link there could make the guard read, and quote, any file the user can read.
   */
  followLink: boolean;
  /**
   * Owners (uids) whose file is read; another's is refused with GuardError code `foreign`. A
   * project config is read from every folder above the working directory that holds a marker, and
   * in a shared folder (/tmp) another local user could plant one.
   */
  owners?: readonly number[];
}

/** The file's text, or undefined for an optional layer that does not exist. Throws GuardError. */
export function readConfigFile(file: string, o: ReadOptions): string | undefined {
  const fail = (why: string): never => {
    throw new GuardError(`${file}: cannot read config: ${why}`, 'config');
  };
  let fd: number;
  try {
    fd = fs.openSync(file, BASE_FLAGS | (o.followLink ? 0 : (C.O_NOFOLLOW ?? 0)));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !o.required) return undefined;
    // `.hookwarden` (or `hookwarden`) is a file, not the folder: no config is there, and nothing
    // else is hidden by it (each layer is read on its own). Only that exact shape: any other
    // folder on the path that is not one stays an error.
    if (code === 'ENOTDIR' && !o.required && isPlainFile(path.dirname(file))) return undefined;
    return fail(openProblem(code, o.followLink) ?? code ?? (err as Error).message.split('\n')[0] ?? 'error');
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) fail(`not a regular file (${kindOf(st)})`);
    if (o.owners && !o.owners.includes(st.uid)) throw new GuardError(`${file}: owned by another user (uid ${st.uid}); ignored`, 'foreign');
    if (st.size > MAX_CONFIG_BYTES) fail(`larger than ${MAX_CONFIG_BYTES} bytes`);
    // The size is only a hint (procfs reports 0, a file may grow): read until EOF or one byte past the cap.
    const buf = Buffer.allocUnsafe(Math.min(Math.max(st.size, 4096), MAX_CONFIG_BYTES) + 1);
    let chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, 0, Math.min(buf.length, MAX_CONFIG_BYTES + 1 - total), null);
      if (n === 0) break;
      chunks.push(Buffer.from(buf.subarray(0, n)));
      total += n;
      if (total > MAX_CONFIG_BYTES) fail(`larger than ${MAX_CONFIG_BYTES} bytes`);
    }
    const text = Buffer.concat(chunks, total).toString('utf8');
    chunks = [];
    return text;
  } catch (err) {
    if (err instanceof GuardError) throw err;
    return fail((err as NodeJS.ErrnoException).code ?? 'read failed');
  } finally {
    try {
      fs.closeSync(fd);
    } catch {
      // nothing was read from it that could be wrong; the text (or the error) stands
    }
  }
}

/** A regular file, not reached through a link (a link in its place is the caller's business). */
function isPlainFile(p: string): boolean {
  try {
    return fs.lstatSync(p, { throwIfNoEntry: false })?.isFile() === true;
  } catch {
    return false;
  }
}

function openProblem(code: string | undefined, followLink: boolean): string | undefined {
  switch (code) {
    case 'ELOOP':
      return followLink ? 'too many levels of symbolic links' : 'is a symbolic link (a project config must be a regular file)';
    case 'ENOTDIR':
      return 'a folder on its path is not a folder';
    case 'ENXIO':
    case 'EOPNOTSUPP':
      return 'not a regular file (socket or device)';
    case 'EACCES':
    case 'EPERM':
      return `permission denied (${code})`;
    case 'ENOENT':
      return 'ENOENT';
    default:
      return undefined;
  }
}

function kindOf(st: fs.Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a file';
}

/**
 * Rejects text nested deeper than MAX_JSON_DEPTH before it is parsed: one linear scan, so a
 * megabyte of `[[[[...` costs a millisecond and gets a one-line reason instead of stack trouble
 * in whatever walks the parsed value.
 */
export function checkJsonDepth(text: string, file: string): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > MAX_JSON_DEPTH) throw new GuardError(`${file}: invalid config: nested deeper than ${MAX_JSON_DEPTH} levels`, 'config');
    } else if (c === 93 || c === 125) depth--;
  }
}

/**
 * JSON.parse's message without the excerpt of the text it quotes: the block reason is shown to
 * the model, and a config file is no business of its (nor, through a link, someone's key).
 */
export function jsonProblem(err: unknown, text: string): string {
  const msg = messageOf(err);
  const at = /at position (\d+)/.exec(msg);
  if (at) {
    const pos = Number(at[1]);
    const before = text.slice(0, pos);
    const line = before.split('\n').length;
    const col = pos - before.lastIndexOf('\n');
    return `${msg.replace(/ in JSON at position \d+.*$/, '').replace(/ at position \d+.*$/, '')} at line ${line} column ${col}`;
  }
  if (/^Unexpected token/.test(msg)) return 'unexpected character';
  if (/^Unexpected end/.test(msg)) return 'unexpected end of input';
  return (msg.split(/[,\n]/)[0] ?? 'invalid').slice(0, 120);
}
