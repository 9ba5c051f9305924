// Paths in the arguments of a tool the guard has no dedicated extractor for (MCP tools, and any
// tool a host adds in a later release). Arguments have no fixed schema, so paths are found by a
// rule over every string, at any depth, not by a list of keys alone:
//  - under a key that names a path (`path`, `file`, `output`, `destination`...), every string is one;
//  - under a key that holds text (`content`, `old_string`, `description`...), no string is one;
//  - anywhere else, a string is one when it looks like a path: absolute, `~`, `./`, `../`, a
//    drive letter, a `file:` URI, or a single word holding a `/` or `\`, starting with a dot
//    (`.env`) or ending in a file extension (`server.pem`); object keys that look like paths too.
// A `file:` URI counts as the path it names (percent-decoded, host empty or `localhost`). A path
// split across keys of one object (`{"directory": "~/.ssh", "filename": "authorized_keys"}`) counts
// joined too; a string that holds JSON (`{"args": "{\"path\": \".env\"}"}`) is walked like the
// arguments themselves. Walking is bounded (depth, values, paths); past a bound the call cannot be
// judged and is blocked.
import { GuardError } from '../types.js';

/** Normalized key spelling: lower case, `_` and `-` removed (`file_path`, `filePath`, `FILE-PATH`). */
export const keyOf = (key: string): string => key.toLowerCase().replace(/[_-]/g, '');

/** Keys whose strings are paths, whatever they look like. */
export const PATH_KEYS: ReadonlySet<string> = new Set([
  'path', 'paths', 'filepath', 'filepaths', 'filename', 'filenames', 'file', 'files', 'fullpath', 'abspath', 'absolutepath',
  'source', 'sources', 'src', 'sourcepath', 'frompath', 'destination', 'destinationpath', 'dest', 'destpath', 'dst', 'topath',
  'target', 'targetpath', 'targetfile', 'dir', 'dirs', 'directory', 'directories', 'dirpath', 'folder', 'folderpath',
  'newpath', 'oldpath', 'output', 'outputs', 'outputpath', 'outputfile', 'outputdir', 'outfile', 'outdir', 'out',
  'inputpath', 'inputfile', 'location', 'uri', 'fileuri', 'root', 'rootpath', 'cwd', 'workdir', 'workingdirectory',
  'notebookpath', 'savepath', 'saveas', 'logfile', 'configfile', 'configpath', 'cachedir', 'downloadpath',
]);

/** Keys whose string names a folder that a name beside it (NAME_KEYS) is in. */
const DIR_KEYS: ReadonlySet<string> = new Set([
  'dir', 'dirs', 'directory', 'directories', 'dirpath', 'dirname', 'folder', 'folders', 'folderpath', 'root', 'rootpath', 'rootdir',
  'cwd', 'workdir', 'workingdirectory', 'outputdir', 'outdir', 'cachedir', 'location', 'base', 'basedir', 'basepath',
  'parent', 'parentdir', 'parentpath', 'destdir', 'targetdir', 'into', 'under',
]);
/** Keys that name a folder only beside a bare name (`{"path": "~/.ssh", "name": "authorized_keys"}`); beside another path they are a path of their own. */
const MAYBE_DIR_KEYS: ReadonlySet<string> = new Set(['path', 'destination', 'dest', 'target', 'output']);
/** Keys whose string is a bare name inside a folder. */
const BARE_NAME_KEYS: ReadonlySet<string> = new Set([
  'name', 'names', 'filename', 'filenames', 'file', 'files', 'basename', 'fname', 'entry', 'entries', 'child', 'key',
]);
/** Keys whose string names a file inside the folder beside it (DIR_KEYS). */
const NAME_KEYS: ReadonlySet<string> = new Set([...BARE_NAME_KEYS, 'filepath', 'relativepath', 'relpath', 'subpath', 'path', 'paths']);
/** Joined paths per object: more folders × names than this cannot be judged. */
const MAX_JOINED = 256;
/** A string longer than this is not parsed as JSON (and so, if it holds paths, the call cannot be judged). */
const MAX_JSON_STRING = 1024 * 1024;

/** Keys whose strings are text or code, never a file (a path in there is data, not a target). */
export const TEXT_KEYS: ReadonlySet<string> = new Set([
  'content', 'contents', 'text', 'body', 'message', 'messages', 'description', 'prompt', 'query', 'question', 'answer',
  'pattern', 'patterns', 'regex', 'glob', 'globs', 'include', 'exclude', 'includepatterns', 'excludepatterns', 'oldstring', 'newstring', 'oldtext', 'newtext', 'newsource', 'replacement',
  'comment', 'title', 'summary', 'reason', 'instructions', 'explanation', 'note', 'notes', 'observations', 'subject',
]);

export interface ArgLimits {
  /** Deepest nesting walked (objects and arrays). */
  maxDepth: number;
  /** Values walked in one call's arguments. */
  maxValues: number;
  /** Distinct paths found. */
  maxPaths: number;
}
export const ARG_LIMITS: Readonly<ArgLimits> = { maxDepth: 32, maxValues: 200_000, maxPaths: 10_000 };

const MAX_PATH_CHARS = 4096;
/** A scheme with an authority (`https://`, `s3://`) or a scheme that never names a local file. */
const OTHER_URL = /^(?:[A-Za-z][A-Za-z0-9+.-]+:\/\/|(?:mailto|data|urn|tel|javascript|about|blob):)/i;
const ANCHORED = /^(?:\/|~(?:$|[\\/])|\.{1,2}(?:$|[\\/])|[A-Za-z]:[\\/]|\\\\)/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;
const WHITESPACE = /\s/;
const EXTENSION = /\.[A-Za-z][A-Za-z0-9_-]{0,15}$/;

/** The path a `file:` URI names (percent-decoded, without query and fragment), or undefined. */
export function fileUriPath(s: string): string | undefined {
  if (!/^file:/i.test(s)) return undefined;
  let rest = s.slice(5).replace(/[?#].*$/s, '');
  if (rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    const host = slash < 0 ? rest.slice(2) : rest.slice(2, slash);
    rest = slash < 0 ? '/' : rest.slice(slash);
    if (host !== '' && host.toLowerCase() !== 'localhost') rest = `//${host}${rest}`; // a UNC share
  }
  try {
    rest = decodeURIComponent(rest);
  } catch {
    // Malformed escapes: the text as written is the nearest name (and it stays a target).
  }
  if (/^\/[A-Za-z]:[\\/]/.test(rest)) rest = rest.slice(1); // file:///C:/x
  return rest === '' ? '/' : rest;
}

/** The path a string under a path key names: every string but an empty one or a non-file URL. */
function pathOfPathValue(s: string): string | undefined {
  if (s === '') return undefined;
  const uri = fileUriPath(s);
  if (uri !== undefined) return uri;
  return OTHER_URL.test(s) ? undefined : s;
}

/** The path a string anywhere else names when it looks like one (see the top of this file), or undefined. */
export function pathLike(s: string): string | undefined {
  if (s === '' || s.length > MAX_PATH_CHARS || CONTROL.test(s)) return undefined;
  const uri = fileUriPath(s);
  if (uri !== undefined) return uri;
  if (OTHER_URL.test(s)) return undefined;
  if (ANCHORED.test(s)) return s;
  if (WHITESPACE.test(s)) return undefined;
  if (s.includes('/') || s.includes('\\') || s.startsWith('.') || EXTENSION.test(s)) return s;
  return undefined;
}

/** A path found in the arguments, with where it was (`edits[2].path`). */
export interface FoundPath { path: string; literal: string; field: string }

type Mode = 'path' | 'text' | 'any';
const modeOf = (key: string): Mode => {
  const k = keyOf(key);
  return PATH_KEYS.has(k) ? 'path' : TEXT_KEYS.has(k) ? 'text' : 'any';
};

/** Keys as shown in `via`: short and printable (they come from the model). */
const show = (key: string): string => {
  const k = key.length > 64 ? `${key.slice(0, 63)}…` : key;
  return /^[A-Za-z_$][\w$-]*$/.test(k) ? k : JSON.stringify(k);
};

/**
 * Every path in the top-level `fields` of `input` (all of them when omitted), by the rule above;
 * `forced: 'path'` reads the fields as path fields (named by config or a known tool).
 * Throws GuardError past a bound: arguments too deep or too large to see through cannot be judged.
 */
export function pathArguments(
  tool: string, input: Record<string, unknown>, fields: readonly string[] = Object.keys(input),
  opts: { limits?: ArgLimits; forced?: 'path' } = {},
): FoundPath[] {
  const limits = opts.limits ?? ARG_LIMITS;
  const forced = opts.forced;
  const out: FoundPath[] = [];
  const seen = new Set<string>();
  let values = 0;
  const found = (path: string, literal: string, field: string): void => {
    if (seen.has(path)) return;
    if (seen.size >= limits.maxPaths) throw new GuardError(`${tool} tool_input names more than ${limits.maxPaths} paths`, 'tool_input');
    seen.add(path);
    out.push({ path, literal, field });
  };
  const walk = (value: unknown, mode: Mode, field: string, depth: number, top: string): void => {
    if (++values > limits.maxValues) throw new GuardError(`${tool} tool_input holds more than ${limits.maxValues} values`, 'tool_input');
    if (typeof value === 'string') {
      const p = mode === 'path' ? pathOfPathValue(value) : mode === 'any' ? pathLike(value) : undefined;
      if (p !== undefined) found(p, value, field);
      // JSON in a string is arguments too (a tool that takes its options as a JSON text).
      const inner = mode === 'text' ? undefined : jsonIn(value, tool, top);
      if (inner !== undefined) walk(inner, 'any', `${field}<json>`, depth + 1, top);
      return;
    }
    if (typeof value !== 'object' || value === null) return;
    if (depth >= limits.maxDepth) throw new GuardError(`${tool} tool_input.${top} is nested too deeply`, 'tool_input');
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, mode, `${field}[${i}]`, depth + 1, top));
      return;
    }
    joinSplitPaths(value as Record<string, unknown>, field, (p, literal, at) => found(p, literal, at));
    // for-in, not Object.entries: a huge object is refused at the bound, never copied first.
    for (const k in value) {
      if (!Object.hasOwn(value, k)) continue;
      const v = (value as Record<string, unknown>)[k];
      const at = `${field}.${show(k)}`;
      if (++values > limits.maxValues) throw new GuardError(`${tool} tool_input holds more than ${limits.maxValues} values`, 'tool_input');
      // A key can be the path (`{"files": {"src/a.ts": "..."}}`).
      const keyPath = mode === 'text' ? undefined : pathLike(k);
      if (keyPath !== undefined) found(keyPath, k, at);
      walk(v, mode === 'path' && modeOf(k) === 'any' ? 'path' : modeOf(k), at, depth + 1, top);
    }
  };
  for (const f of fields) {
    if (!Object.hasOwn(input, f)) continue;
    walk(input[f], forced ?? modeOf(f), show(f), 0, show(f));
  }
  // The arguments themselves are an object whose keys may split a path too.
  const own: Record<string, unknown> = {};
  for (const f of fields) if (Object.hasOwn(input, f)) own[f] = input[f];
  joinSplitPaths(own, '', found);
  return out;
}

/** The value a string holds as JSON (an object or an array), or undefined. */
function jsonIn(s: string, tool: string, top: string): unknown {
  const t = s.trimStart();
  if (t[0] !== '{' && t[0] !== '[') return undefined;
  if (s.length > MAX_JSON_STRING) throw new GuardError(`${tool} tool_input.${top} holds a JSON text too large to judge`, 'tool_input');
  try {
    const v: unknown = JSON.parse(s);
    return typeof v === 'object' && v !== null ? v : undefined;
  } catch {
    return undefined; // text that only starts like JSON
  }
}

/**
 * `{"directory": "~/.ssh", "filename": "authorized_keys"}`: a folder under one key and a name under
 * another of the same object make one path. Every folder with every relative name (strings, or
 * arrays of strings), bounded by MAX_JOINED.
 */
function joinSplitPaths(obj: Record<string, unknown>, field: string, found: (p: string, literal: string, at: string) => void): void {
  const dirs: [string, string, boolean][] = [];
  const names: [string, string, boolean][] = [];
  const strings = (v: unknown): string[] => (typeof v === 'string' ? [v] : Array.isArray(v) ? v.slice(0, MAX_JOINED).filter((x): x is string => typeof x === 'string') : []);
  for (const k in obj) {
    if (!Object.hasOwn(obj, k)) continue;
    const kk = keyOf(k);
    const v = obj[k];
    if ((DIR_KEYS.has(kk) || MAYBE_DIR_KEYS.has(kk)) && typeof v === 'string') dirs.push([k, pathOfPathValue(v) ?? '', DIR_KEYS.has(kk)]);
    if (NAME_KEYS.has(kk)) for (const n of strings(v)) names.push([k, n, BARE_NAME_KEYS.has(kk)]);
  }
  if (dirs.length === 0 || names.length === 0) return;
  if (dirs.length * names.length > MAX_JOINED) throw new GuardError(`${field} names more than ${MAX_JOINED} folder and file pairs`, 'tool_input');
  for (const [dk, dir, folder] of dirs) {
    if (dir === '' || dir.length > MAX_PATH_CHARS) continue;
    for (const [nk, name, bare] of names) {
      if (nk === dk || (!folder && !bare) || name === '' || name.length > MAX_PATH_CHARS || CONTROL.test(name) || ANCHORED.test(name) || OTHER_URL.test(name) || /^file:/i.test(name)) continue;
      const joined = `${dir.replace(/[\\/]+$/, '')}/${name}`;
      found(joined, joined, `${field ? `${field}.` : ''}${show(dk)}+${show(nk)}`);
    }
  }
}
