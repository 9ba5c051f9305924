// What `install` added, so `uninstall` can take out exactly that and nothing of the user's. Kept
// in hookwarden's own state folder (never in a project, where a cloned repository could forge
// it), readable by the user only (it holds the files' earlier text, which can carry credentials).
//
// Per installation (agent, scope, project) and per file: the file's exact text before the first
// write and a hash of the text install left. While the file is byte-for-byte what install left,
// uninstall writes the earlier text back (exact, comments and all). Once anything else changed
// the file, uninstall edits it surgically instead, guided by what install recorded as its own:
// whether it created the file, the `hooks` member or an event array, or a project's trust_level.
// Folders install created are removed only when empty (rmdir, never recursive).
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { xdgDir } from '../../lib/rules.js';
import { atomicWrite } from './files.js';

export interface FileRecord {
  /** The file did not exist before this installation first wrote it. */
  created: boolean;
  /** Its text before (null: absent); dropped once the file changed under another hand. */
  before?: string | null;
  /** SHA-256 of the text this installation left. */
  after: string;
  /** JSON: this installation added the top-level `hooks` member. */
  hooks?: boolean;
  /** JSON: event arrays this installation added. */
  events?: string[];
  /** TOML: this installation wrote the project's trust_level. */
  trust?: boolean;
}

export interface Manifest {
  version: 1;
  /** installation id -> real file path -> record. */
  installs: Record<string, Record<string, FileRecord>>;
  /** Folders install created, to be removed when empty. */
  dirs: string[];
  /** installation id -> the compiled client its commands run (removed once no installation names it). */
  clients?: Record<string, string>;
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

export function installationId(agent: string, scope: string, project: string): string {
  return scope === 'project' ? `${agent}:project:${project}` : `${agent}:user`;
}

export function stateFolder(env: Record<string, string | undefined>, home: string): string {
  return path.join(xdgDir('XDG_STATE_HOME', home, env), 'hookwarden', 'install');
}

const empty = (): Manifest => ({ version: 1, installs: {}, dirs: [] });

/** The manifest; an unreadable one is reported and treated as empty (uninstall then edits surgically). */
export function loadManifest(folder: string, warnings: string[]): Manifest {
  const file = path.join(folder, 'manifest.json');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') warnings.push(`${file}: cannot read (${(err as NodeJS.ErrnoException).code}); uninstall falls back to removing hookwarden's entries only`);
    return empty();
  }
  try {
    const m = JSON.parse(text) as Manifest;
    if (m?.version !== 1 || typeof m.installs !== 'object' || !Array.isArray(m.dirs)) throw new Error('not a hookwarden install manifest');
    return m;
  } catch (err) {
    warnings.push(`${file}: ${(err as Error).message.split('\n')[0]}; uninstall falls back to removing hookwarden's entries only`);
    return empty();
  }
}

/** Writes the manifest (removed when it records nothing). */
export function saveManifest(folder: string, m: Manifest): void {
  for (const [id, files] of Object.entries(m.installs)) if (Object.keys(files).length === 0) delete m.installs[id];
  const file = path.join(folder, 'manifest.json');
  for (const id of Object.keys(m.clients ?? {})) if (!m.installs[id] && m.clients) delete m.clients[id];
  if (m.clients && Object.keys(m.clients).length === 0) delete m.clients;
  if (Object.keys(m.installs).length === 0 && m.dirs.length === 0) {
    fs.rmSync(file, { force: true });
    return;
  }
  fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
  atomicWrite(file, `${JSON.stringify(m, null, 1)}\n`, 0o600);
}

/** Records a write by installation `id`: the first one keeps the file's earlier text. */
export function recordWrite(m: Manifest, id: string, real: string, before: string | undefined, after: string, hints: Pick<FileRecord, 'hooks' | 'events' | 'trust'>, ours = false): void {
  const files = (m.installs[id] ??= {});
  const old = files[real];
  // Text that already held hookwarden's handlers (installed before this manifest) is no way back.
  const rec: FileRecord = old
    ? { ...old, after: sha256(after) }
    : ours ? { created: false, after: sha256(after) } : { created: before === undefined, before: before ?? null, after: sha256(after) };
  // A repair over a file someone else changed since: its earlier text is no longer the way back.
  if (old && (before === undefined || sha256(before) !== old.after)) delete rec.before;
  if (hints.hooks || old?.hooks) rec.hooks = true;
  const events = [...new Set([...(old?.events ?? []), ...(hints.events ?? [])])];
  if (events.length) rec.events = events;
  if (hints.trust || old?.trust) rec.trust = true;
  files[real] = rec;
}

/**
 * The text to write back when the file is exactly as the installation left it, else undefined.
 * The record must agree with the surgical removal on every value (`parse` reads the file's format):
 * the earlier bytes may differ from it only in layout and comments, so a record planted in the state
 * folder cannot make uninstall write settings of its own choosing.
 */
export function exactRestore(rec: FileRecord | undefined, current: string | undefined, surgical: string | undefined, parse: (text: string) => unknown): { text: string | undefined } | undefined {
  if (!rec || rec.before === undefined || current === undefined || sha256(current) !== rec.after) return undefined;
  const text = rec.before ?? undefined;
  if ((text === undefined) !== (surgical === undefined)) return undefined;
  if (text !== undefined && surgical !== undefined) {
    try {
      if (!isDeepStrictEqual(parse(text), parse(surgical))) return undefined;
    } catch {
      return undefined;
    }
  }
  return { text };
}

/** Removes the recorded folders that are empty now, innermost first. */
export function removeEmptyDirs(m: Manifest): void {
  const keep: string[] = [];
  for (const dir of [...m.dirs].sort((a, b) => b.length - a.length)) {
    try {
      const st = fs.lstatSync(dir);
      // Replaced by a link or a file since: not the folder install made.
      if (!st.isDirectory()) continue;
      fs.rmdirSync(dir);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT') keep.push(dir);
    }
  }
  m.dirs = keep.sort();
}
