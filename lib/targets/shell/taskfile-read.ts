// Reading go-task's Taskfiles for `task` (taskfile.ts): finding the one a command line names or
// the nearest at or above the working directory, parsing its YAML with the `yaml` package (loaded
// on the first `task` command only, so no other call pays for it), and following its `includes`.
// Everything read goes through scriptText (regular files, size bound, nothing this call wrote
// first). What cannot be read or understood comes back as a reason: the caller makes it opaque
// code, never nothing.
import { sourceRequire } from '../../builtin.js';
import { joinPath, U, type Frame } from './context.js';
import { scriptText } from './nested.js';

declare const require: ((id: string) => unknown) | undefined;

/** The names go-task looks for, in its order of priority. */
export const TASKFILE_NAMES = ['Taskfile.yml', 'taskfile.yml', 'Taskfile.yaml', 'taskfile.yaml', 'Taskfile.dist.yml', 'taskfile.dist.yml', 'Taskfile.dist.yaml', 'taskfile.dist.yaml'];
/**
 * The keys of a task (go-task's schema). A key outside it may be a newer or experimental form that
 * runs commands (hooks such as `before_all` are being tried): the task is opaque.
 */
export const TASK_KEYS = new Set(['cmds', 'cmd', 'deps', 'label', 'desc', 'prompt', 'summary', 'aliases', 'sources', 'generates', 'status', 'preconditions', 'dir',
  'set', 'shopt', 'vars', 'env', 'dotenv', 'silent', 'interactive', 'internal', 'method', 'use_gitignore', 'prefix', 'ignore_error', 'run', 'platforms', 'if',
  'requires', 'watch', 'failfast', 'timeout']);
export const CMD_KEYS = new Set(['cmd', 'task', 'vars', 'silent', 'set', 'shopt', 'ignore_error', 'platforms', 'if', 'defer', 'for']);
/** Bounds on what one `task` command reads: nesting of includes, Taskfiles, names each file's prefixes make. */
const MAX_INCLUDE_DEPTH = 8;
const MAX_FILES = 32;
const MAX_PREFIXES = 16;
/** Task names (with namespaces and aliases) registered per `task` command. */
const MAX_NAMES = 10_000;
/** YAML parsed per `task` command over all its Taskfiles (a hostile 228 KiB one took 0.3-0.5 s here): more is not read. */
const MAX_YAML_BYTES = 512 * 1024;
/** yaml's alias bound: an alias bomb (`a: &a [x, x]`, `b: &b [*a, *a]`...) fails instead of expanding. */
const MAX_ALIASES = 64;

export type Obj = Record<string, unknown>;

/** One Taskfile read: its path, folder, parsed document, and what including it gave its tasks. */
export interface TFile {
  at: string;
  dir: string;
  data: Obj;
  /** `vars:` of the include that brought it in (empty for the root). */
  includeVars: Obj;
  /** Folders its tasks run in by default: the include's `dir:`, else the root's and (not settled across versions) its own. */
  runDirs: string[];
  /** Prefix of the include chain, for resolving references in its tasks ('' for the root; 'ns:'...). */
  ns: string;
}

export interface TaskDef { name: string; file: TFile; def: unknown }

export interface Loaded {
  root: TFile;
  files: TFile[];
  tasks: Map<string, TaskDef>;
  /** Tasks whose name holds `*` (go-task's wildcard tasks), as patterns. */
  wild: { re: RegExp; t: TaskDef }[];
  /** Reasons some part could not be read (remote or unreadable includes...): each is opaque code. */
  unknown: string[];
}

let yamlModule: typeof import('yaml') | undefined;

/** Whether this process has loaded the YAML parser (only a `task` command does). */
export const yamlLoaded = (): boolean => yamlModule !== undefined;

// Under tsx the source requires the package by path; in the bundles esbuild turns `require('yaml')`
// into a lazy module init (see lib/targets/interp/load.ts), so the parser loads only here.
function yaml(): typeof import('yaml') {
  if (yamlModule) return yamlModule;
  const url = import.meta.url as string | undefined;
  const from = typeof url === 'string' && url.endsWith('.ts') ? sourceRequire(url) : undefined;
  return (yamlModule = (from ? from('yaml') : require!('yaml')) as typeof import('yaml'));
}

/**
 * A Taskfile's text as data, or undefined when it is not a YAML mapping the guard can trust: a
 * parse error, a warning (an unknown tag, which go-task's decoder rejects), duplicate keys, or an
 * alias bomb (the alias bound throws while the document is converted).
 */
export function parseTaskfile(text: string): Obj | undefined {
  try {
    const y = yaml();
    const doc = y.parseDocument(text, { version: '1.2', schema: 'core', merge: true, uniqueKeys: true, prettyErrors: false, strict: true });
    if (doc.errors.length > 0 || doc.warnings.length > 0) return undefined;
    const data: unknown = doc.toJS({ maxAliasCount: MAX_ALIASES });
    return data !== null && typeof data === 'object' && !Array.isArray(data) ? data as Obj : undefined;
  } catch {
    // Deep nesting, alias bombs and anything the parser itself refuses.
    return undefined;
  }
}

export const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The first Taskfile name present in `dir` (or `missing`); undefined text when it cannot be read. */
export function inDir(dir: string, fr: Frame): { at: string; text: string | undefined } | 'missing' {
  for (const n of TASKFILE_NAMES) {
    const at = joinPath(dir, n);
    const text = scriptText(fr, at);
    if (text !== 'missing') return { at, text };
  }
  return 'missing';
}

/** The Taskfile `task` reads: `-t FILE` (a file or a folder), else the nearest at or above `from`. */
export function findTaskfile(from: string, file: string | undefined, fr: Frame): { at: string; text: string | undefined } | 'missing' {
  if (from.includes(U) || file?.includes(U)) return { at: from, text: undefined };
  if (file !== undefined) {
    const text = scriptText(fr, file);
    return text !== undefined ? (text === 'missing' ? 'missing' : { at: file, text }) : inDirOr(file, fr);
  }
  for (let d = from; ; d = d.slice(0, Math.max(1, d.lastIndexOf('/')))) {
    const found = inDir(d, fr);
    if (found !== 'missing') return found;
    if (d === '/') return 'missing';
  }
}

/** A path that is not a readable file: a folder holding a Taskfile, else unreadable. */
function inDirOr(p: string, fr: Frame): { at: string; text: string | undefined } {
  const found = inDir(p, fr);
  return found === 'missing' ? { at: p, text: undefined } : found;
}

/**
 * The root Taskfile and every local Taskfile it includes (bounded), with each task under the
 * names `task` accepts for it: namespaced (`ns:name`, include aliases), flattened, task aliases.
 */
export function loadTaskfiles(at: string, data: Obj, rootBytes: number, home: string, fr: Frame): Loaded {
  const dir = at.slice(0, Math.max(1, at.lastIndexOf('/')));
  const root: TFile = { at, dir, data, includeVars: {}, runDirs: [dir], ns: '' };
  const loaded: Loaded = { root, files: [], tasks: new Map(), wild: [], unknown: [] };
  let bytes = rootBytes;
  let names = 0;
  const parsed = new Map<string, Obj | undefined>([[at, data]]);
  const add = (f: TFile, prefixes: string[], excludes: Set<string>, depth: number): void => {
    fr.run.step();
    loaded.files.push(f);
    const tasks = isObj(f.data.tasks) ? f.data.tasks : {};
    for (const [name, def] of Object.entries(tasks)) {
      if (excludes.has(name)) continue;
      const aliases = isObj(def) && Array.isArray(def.aliases) ? def.aliases.filter((a): a is string => typeof a === 'string') : [];
      for (const p of prefixes) {
        for (const n of [name, ...aliases]) {
          if (++names > MAX_NAMES) {
            loaded.unknown.push('task names');
            return;
          }
          const t: TaskDef = { name: p + name, file: f, def };
          // More than a few `*` would make the pattern slow on a hostile name: such a task may match any name.
          if (n.includes('*')) loaded.wild.push({ re: n.split('*').length > 5 ? /^/ : new RegExp(`^${(p + n).split('*').map(escapeRe).join('(.*)')}$`, 's'), t });
          else if (!loaded.tasks.has(p + n)) loaded.tasks.set(p + n, t);
        }
      }
    }
    if (!isObj(f.data.includes)) return;
    for (const [ns, inc] of Object.entries(f.data.includes)) {
      const o: Obj = typeof inc === 'string' ? { taskfile: inc } : isObj(inc) ? inc : {};
      const what = `task include ${JSON.stringify(ns)}`;
      if (depth >= MAX_INCLUDE_DEPTH || loaded.files.length >= MAX_FILES) {
        loaded.unknown.push(what);
        continue;
      }
      // The folder variables are the one template an include path commonly holds.
      const target = typeof o.taskfile === 'string' ? o.taskfile.replace(/\{\{\s*\.(ROOT_DIR|TASKFILE_DIR)\s*\}\}/g, (_, n: string) => (n === 'ROOT_DIR' ? root.dir : f.dir)) : undefined;
      // Remote Taskfiles (URLs, git), templated or variable paths: not read here.
      if (target === undefined || target.includes('{{') || target.includes('$') || /^[A-Za-z][\w+.-]*:\/\//.test(target) || /^[\w.-]+@[\w.-]+:/.test(target)) {
        loaded.unknown.push(what);
        continue;
      }
      const p = joinPath(f.dir, target === '~' || target.startsWith('~/') ? home + target.slice(1) : target);
      const text = scriptText(fr, p);
      const found = text === undefined ? inDirOr(p, fr) : text === 'missing' ? inDir(p, fr) : { at: p, text };
      if (found === 'missing') {
        if (o.optional !== true) loaded.unknown.push(what);
        continue;
      }
      // A Taskfile included again (under another name, or by itself) is parsed once.
      if (found.text !== undefined && !parsed.has(found.at)) {
        bytes += found.text.length;
        parsed.set(found.at, bytes > MAX_YAML_BYTES ? undefined : parseTaskfile(found.text));
      }
      const sub = parsed.get(found.at);
      if (!sub) {
        loaded.unknown.push(what);
        continue;
      }
      const incDir = typeof o.dir === 'string' && !o.dir.includes('{{') ? joinPath(f.dir, o.dir) : undefined;
      if (typeof o.dir === 'string' && incDir === undefined) loaded.unknown.push(what);
      const subDir = found.at.slice(0, Math.max(1, found.at.lastIndexOf('/')));
      const names = [ns, ...(Array.isArray(o.aliases) ? o.aliases.filter((a): a is string => typeof a === 'string') : [])];
      const subPrefixes = o.flatten === true ? prefixes : prefixes.flatMap((p) => names.map((n) => `${p}${n}:`)).slice(0, MAX_PREFIXES);
      const excl = new Set(Array.isArray(o.excludes) ? o.excludes.filter((e): e is string => typeof e === 'string') : []);
      add({
        at: found.at, dir: subDir, data: sub, includeVars: isObj(o.vars) ? o.vars : {},
        runDirs: incDir !== undefined ? [incDir] : [...new Set([...f.runDirs, subDir])],
        ns: o.flatten === true ? f.ns : `${f.ns}${ns}:`,
      }, subPrefixes, excl, depth + 1);
    }
  };
  add(root, [''], new Set(), 0);
  return loaded;
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The task a name given on the command line or in a call names: exact, a wildcard task, or `ns` for `ns:default`. */
export function lookupTask(l: Loaded, name: string): TaskDef | undefined {
  // `:name` names the root's task wherever it is written.
  if (name.startsWith(':') && !l.tasks.has(name)) name = name.slice(1);
  const exact = l.tasks.get(name) ?? l.tasks.get(`${name}:default`);
  if (exact) return exact;
  return l.wild.find((w) => w.re.test(name))?.t;
}
