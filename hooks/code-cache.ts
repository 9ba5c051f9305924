// Runs a bundled CommonJS file with a V8 code cache beside it, so a fresh hook process skips
// parsing and compiling it. In `npm run bench` (setup "no code cache") a Write took 48 ms instead
// of 63, a Bash call 77 ms instead of 146. Node 20 has no compile cache of its own for CommonJS.
//
// `<file>.cache` is the SHA-256 of the file followed by V8's cached data. V8 itself only checks
// the source length (and its version and flags), so the hash keeps a cache from a different build
// from being used: a stale or foreign cache is ignored, never trusted, and the file is compiled
// as usual. Hooks never write caches; `npm run build` does (scripts/code-cache.ts).
import { isAscii } from 'node:buffer';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

const HASH_BYTES = 32;

export interface Loaded {
  file: string;
  script: vm.Script;
  /** Whether a cache was offered and V8 took it. */
  cache: 'accepted' | 'rejected' | 'stale' | 'none';
}

/** Every file loaded in this process, so the cache writer can serialize what ran. */
export const loaded: Loaded[] = [];

export const cachePath = (file: string): string => file.replace(/\.js$/, '') + '.cache';

/**
 * Files read once by the daemon and handed to each of its workers (hooks/worker.ts sets it):
 * a worker started later compiles exactly what the daemon started with, even if the files on
 * disk were removed or replaced meanwhile (a rebuild gets a daemon of its own).
 */
const preloaded = (file: string): Buffer | undefined => {
  const m = (globalThis as { __hookwardenFiles?: Map<string, Uint8Array> }).__hookwardenFiles;
  const b = m?.get(file);
  return b ? Buffer.from(b.buffer, b.byteOffset, b.byteLength) : undefined;
};

export const fileHash = (bytes: Buffer): Buffer => createHash('sha256').update(bytes).digest();

/** The file's text without its shebang line. The bundles are ASCII (esbuild escapes the rest), and
 * a latin1 decode of 1.5 MB is several ms cheaper than a UTF-8 one. */
function sourceText(bytes: Buffer): string {
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8').replace(/^#!.*/, '');
}

function readCache(file: string, hash: Buffer): { data?: Buffer; state: Loaded['cache'] } {
  let raw: Buffer;
  try {
    raw = preloaded(cachePath(file)) ?? fs.readFileSync(cachePath(file));
  } catch {
    return { state: 'none' };
  }
  if (raw.length <= HASH_BYTES || !raw.subarray(0, HASH_BYTES).equals(hash)) return { state: 'stale' };
  return { data: raw.subarray(HASH_BYTES), state: 'accepted' };
}

/** Reads and compiles `file` as a CommonJS module body, with its cache when that is valid. Runs nothing. */
export function compileCached(file: string): Loaded {
  const bytes = preloaded(file) ?? fs.readFileSync(file);
  const { data, state } = readCache(file, fileHash(bytes));
  const wrapper = `(function (exports, require, module, __filename, __dirname) { ${sourceText(bytes)}\n});`;
  const script = new vm.Script(wrapper, { filename: file, ...(data ? { cachedData: data } : {}) });
  const l: Loaded = { file, script, cache: data && script.cachedDataRejected ? 'rejected' : state };
  loaded.push(l);
  return l;
}

/** Loads `file` as a CommonJS module into `mod` (exports, require, __dirname as Node would). */
export function runCached(file: string, mod: NodeJS.Module): unknown {
  const fn = compileCached(file).script.runInThisContext() as (...args: unknown[]) => void;
  const req = mod.require.bind(mod) as NodeJS.Require;
  fn.call(mod.exports, mod.exports, req, mod, file, path.dirname(file));
  return mod.exports;
}

/** Loads `file` as its own module (the shell parser, required on first use); `req` serves its requires. */
export function requireCached(file: string, req: NodeJS.Require): unknown {
  const mod = { exports: {}, require: req, id: file, filename: file } as unknown as NodeJS.Module;
  return runCached(file, mod);
}

/** The cached data to store for a loaded file: the file's hash, then V8's serialized code. */
export function cacheBytes(l: Loaded): Buffer {
  return Buffer.concat([fileHash(fs.readFileSync(l.file)), l.script.createCachedData()]);
}
