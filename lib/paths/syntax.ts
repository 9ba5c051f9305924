// String-level path syntax: validation, home expansion, roots (posix and win32 spellings).
// Pure string work, identical on every host; the file system is consulted in normalize.ts only.
import { GuardError, UNRESOLVED_SEGMENT } from '../types.js';

export type Style = 'posix' | 'win32';

/** Longer than any path a system call accepts (Linux 4096, Windows extended 32767): cannot be a path. */
export const MAX_PATH_CHARS = 32768;

/**
 * A path split at its root. `abs` roots are `/`, `C:/` or `//server/share`; the other kinds
 * need a base: `rel` (plain relative), `rootRel` (win32 `/x`: the base's drive),
 * `driveRel` (win32 `C:x`: relative to the base when it is on that drive).
 */
export type PathForm =
  | { kind: 'abs'; root: string; rest: string }
  | { kind: 'rel'; rest: string }
  | { kind: 'rootRel'; rest: string }
  | { kind: 'driveRel'; drive: string; rest: string };

/**
 * A path as people and records see it: each part only known at run time reads `<unresolved>`
 * (the internal placeholder holds NUL bytes, which must never reach a terminal or a log).
 */
export function readablePath(s: string): string {
  return s.includes(UNRESOLVED_SEGMENT) ? s.split(UNRESOLVED_SEGMENT).join('<unresolved>') : s;
}

/** Quoted, one-line, bounded rendering of untrusted text for error messages. */
export function show(s: unknown): string {
  if (typeof s !== 'string') return typeof s;
  const text = readablePath(s);
  const json = JSON.stringify(text.length > 120 ? `${text.slice(0, 117)}...` : text);
  return json;
}

/** Checks that `s` can be a path (a string, no stray NUL, not absurdly long); throws GuardError. */
export function checkPathString(s: unknown, what: string): string {
  if (typeof s !== 'string') throw new GuardError(`${what} is not a string`, 'path');
  if (s.includes('\u0000') && s.split(UNRESOLVED_SEGMENT).some((part) => part.includes('\u0000'))) {
    throw new GuardError(`${what} contains a NUL byte`, 'path');
  }
  if (s.length > MAX_PATH_CHARS) throw new GuardError(`${what} is longer than ${MAX_PATH_CHARS} characters`, 'path');
  return s;
}

/** Win32 accepts both separators; everything downstream works on `/`. */
export function toSlashes(s: string, style: Style): string {
  return style === 'win32' ? s.replaceAll('\\', '/') : s;
}

/** Leading `~` or `~/` -> home (`~user` is left alone: it is not this user's home). */
export function expandHome(s: string, home: () => string): string {
  if (s === '~') return home();
  if (s.startsWith('~/')) return home() + s.slice(1);
  return s;
}

export function parse(s: string, style: Style): PathForm {
  if (style === 'posix') return s.startsWith('/') ? { kind: 'abs', root: '/', rest: s } : { kind: 'rel', rest: s };
  // Device paths: `//?/C:/x`, `//./C:/x` name the drive path; `//?/UNC/srv/share` is `//srv/share`.
  if (/^\/\/[?.]\/[A-Za-z]:(\/|$)/.test(s)) s = s.slice(4);
  else if (/^\/\/[?.]\/UNC\//i.test(s)) s = `//${s.slice(8)}`;
  const drive = /^([A-Za-z]):/.exec(s);
  if (drive) {
    const letter = `${drive[1]!.toUpperCase()}:`;
    const after = s.slice(2);
    return after.startsWith('/') ? { kind: 'abs', root: `${letter}/`, rest: after } : { kind: 'driveRel', drive: letter, rest: after };
  }
  if (/^\/\/[^/]/.test(s)) {
    const parts = s.slice(2).split('/');
    const server = parts[0]!;
    const share = parts[1];
    if (share) return { kind: 'abs', root: `//${server}/${share}`, rest: parts.slice(2).join('/') };
    return { kind: 'abs', root: `//${server}`, rest: parts.slice(1).join('/') };
  }
  return s.startsWith('/') ? { kind: 'rootRel', rest: s } : { kind: 'rel', rest: s };
}

/**
 * Win32 file names: a trailing run of dots and spaces is dropped and `name:stream` addresses
 * a stream of `name`, so `.env.`, `.env ` and `.env::$DATA` all write `.env`.
 * Names that would become empty, `.` or `..` are kept as written (they cannot alias another name).
 */
export function cleanWin32Name(name: string): string {
  const colon = name.indexOf(':');
  const base = colon > 0 ? name.slice(0, colon) : name;
  let end = base.length; // manual scan: a regex like /[. ]+$/ backtracks quadratically
  while (end > 0 && (base[end - 1] === '.' || base[end - 1] === ' ')) end--;
  const cleaned = base.slice(0, end);
  return cleaned === '' || cleaned === '.' || cleaned === '..' ? name : cleaned;
}

/** `root` + segments, with exactly one `/` between parts and no trailing slash beyond the root's own. */
export function joinRoot(root: string, segs: readonly string[]): string {
  if (segs.length === 0) return root;
  return (root.endsWith('/') ? root : `${root}/`) + segs.join('/');
}
