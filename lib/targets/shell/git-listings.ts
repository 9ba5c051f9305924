// `git ls-files` and `git diff --name-only` print names git holds: those in the index (read here
// from `.git/index`, the file git itself reads) and, for `ls-files -o`, files on disk. Their output
// is taken as every name they could print (a superset, as listings.ts does for grep and ls), so
// `git ls-files | xargs sed -i …` edits names git tracks, not a path that may be anything.
// Unknown (output null, as before) for anything this reader does not follow: another index file
// (`GIT_INDEX_FILE`), a split or sparse index, an index version or hash it does not know, output
// that is not names alone (`-s`, `-t`, `--format`...), a diff against commits (`--cached`, a
// revision: names from trees, which are not read here), a repository the call itself may change.
import fs from 'node:fs';
import path from 'node:path';
import { walkBeneath } from '../../paths/walk.js';
import { U, type Frame, type Run } from './context.js';
import { written } from './listings.js';
import type { Arg, Out } from './types.js';

/** Calls in which a git command already ran: it may have changed the index (`git add`, `update-index`). */
const gitRan = new WeakSet<Run>();

/** Subcommands that leave the index's names as they are. */
const KEEPS_NAMES = new Set(['status', 'log', 'show', 'diff', 'ls-files', 'ls-tree', 'rev-parse', 'describe', 'blame', 'grep', 'shortlog',
  'cat-file', 'rev-list', 'fetch', 'remote', 'config', 'version', 'help']);

/** Notes a git command of this call (after its own output was judged): one that may change the index. */
export function noteGit(run: Run, args: Arg[]): void {
  if (!KEEPS_NAMES.has(args[0]?.text ?? '')) gitRan.add(run);
}

/** Index files read at most (a larger one: unknown). */
const MAX_INDEX_BYTES = 32 * 1024 * 1024;
/** Names kept from one index (more: unknown). */
const MAX_NAMES = 100_000;

const LS_FLAGS = new Set(['-c', '--cached', '-d', '--deleted', '-m', '--modified', '-o', '--others', '-i', '--ignored', '-z', '--full-name',
  '--exclude-standard', '--error-unmatch', '--deduplicate', '--directory', '--no-empty-directory', '--recurse-submodules']);
const DIFF_FLAGS = new Set(['--name-only', '-z', '--relative', '--no-renames', '--ignore-submodules', '--no-ext-diff', '--no-color', '--color=never']);

export interface GitListing { top: string; gitDir: string; cwd: string; env: (name: string) => string | undefined }

/** Output of `git ARGS` when it is a listing of names this module follows; undefined when not one; null when not known. */
export function gitListing(args: Arg[], repo: GitListing, fr: Frame): Out | undefined {
  const sub = args[0]?.text;
  if (sub !== 'ls-files' && sub !== 'diff') return undefined;
  const opts = args.slice(1).map((a) => a.text);
  if (opts.some((t) => t.includes(U))) return null;
  if (repo.env('GIT_INDEX_FILE') !== undefined || repo.env('GIT_DIR') !== undefined || repo.env('GIT_WORK_TREE') !== undefined) return null;
  // The index or the tree as this call may have left them is not the one on disk now.
  if (gitRan.has(fr.run) || repo.top.includes(U) || written(fr, repo.top)) return null;
  let others = false;
  let nul = false;
  if (sub === 'ls-files') {
    for (const t of opts) {
      if (t === '--') break;
      if (t.startsWith('-x') || t.startsWith('--exclude=') || t.startsWith('--exclude-from=') || t.startsWith('--exclude-per-directory=')) continue;
      if (t.startsWith('-') && !LS_FLAGS.has(t) && !/^-[cdmoiz]+$/.test(t)) return null;
      if (t === '-o' || t === '--others' || (/^-[cdmoiz]+$/.test(t) && t.includes('o'))) others = true;
      if (t === '-z' || (/^-[cdmoiz]+$/.test(t) && t.includes('z'))) nul = true;
    }
  } else {
    if (!opts.includes('--name-only')) return undefined;
    for (const t of opts) {
      if (t === '--') break;
      // Another side than the index (`--cached`, a revision, `--no-index`): names from trees.
      if (!t.startsWith('-') || !DIFF_FLAGS.has(t)) return null;
      if (t === '-z') nul = true;
    }
  }
  const indexed = indexNames(path.join(repo.gitDir, 'index'));
  if (!indexed) return null;
  const names = new Set<string>();
  // ls-files prints names relative to the working directory (`../x` for a pathspec above it),
  // `--full-name` and diff relative to the top: both spellings of every name are taken.
  const add = (rel: string): void => {
    const abs = path.posix.join(repo.top, rel);
    for (const n of [rel, path.posix.relative(repo.cwd, abs)]) {
      if (n === '') continue;
      names.add(n);
      if (!nul && needsQuote(n)) names.add(quoted(n));
    }
  };
  for (const n of indexed) add(n);
  if (others) {
    const run = fr.run;
    let seen = 0;
    const result = walkBeneath(repo.top, { maxEntries: run.limits.maxWalk - run.walked, budget: run.opts.budget }, (p, isDir, d) => {
      seen++;
      if (isDir && d.name === '.git') return 'skip';
      if (!isDir) add(p.slice(repo.top.length + 1));
      return false;
    });
    run.walked += seen;
    if (result !== 'complete') return null;
  }
  if (names.size > MAX_NAMES) return null;
  fr.run.grow(names.size * 16);
  const sep = nul ? '\0' : '\n';
  return names.size === 0 ? '' : `${[...names].join(sep)}${sep}`;
}

/** The path names of a git index (versions 2 to 4, SHA-1), or undefined when it cannot be read as one. */
export function indexNames(file: string): string[] | undefined {
  let buf: Buffer;
  try {
    const st = fs.statSync(file);
    if (!st.isFile() || st.size > MAX_INDEX_BYTES) return undefined;
    buf = fs.readFileSync(file);
  } catch (e) {
    // No index yet (a fresh repository): no names.
    return (e as NodeJS.ErrnoException).code === 'ENOENT' ? [] : undefined;
  }
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'DIRC') return undefined;
  const version = buf.readUInt32BE(4);
  const count = buf.readUInt32BE(8);
  if (version < 2 || version > 4 || count > MAX_NAMES) return undefined;
  const names: string[] = [];
  let at = 12;
  let prev: Buffer = Buffer.alloc(0);
  for (let k = 0; k < count; k++) {
    const start = at;
    // ctime, mtime, dev, ino (24 bytes), mode, uid, gid, size (16), SHA-1 (20), flags (2).
    if (at + 62 > buf.length) return undefined;
    const mode = buf.readUInt32BE(at + 24);
    const flags = buf.readUInt16BE(at + 60);
    at += 62;
    if (flags & 0x4000) {
      if (version < 3) return undefined;
      at += 2;
    }
    // A sparse index holds folders (mode 040000): the names beneath them are in trees, not here.
    if ((mode & 0o170000) === 0o040000) return undefined;
    let name: Buffer;
    if (version === 4) {
      let strip = 0;
      let byte: number;
      // git's offset varint: each continuation adds one before shifting.
      do {
        if (at >= buf.length) return undefined;
        byte = buf[at++]!;
        strip = (strip << 7) | (byte & 0x7f);
        if (byte & 0x80) strip++;
      } while (byte & 0x80);
      const end = buf.indexOf(0, at);
      if (end < 0 || strip > prev.length) return undefined;
      name = Buffer.concat([prev.subarray(0, prev.length - strip), buf.subarray(at, end)]);
      at = end + 1;
    } else {
      const end = buf.indexOf(0, at);
      if (end < 0) return undefined;
      name = buf.subarray(at, end);
      // Entries are padded with 1 to 8 NULs to a multiple of 8 bytes.
      at = start + Math.ceil((end - start + 1) / 8) * 8;
    }
    prev = name;
    names.push(name.toString('utf8'));
  }
  // Extensions: a split index keeps its entries in another file.
  while (at + 8 <= buf.length - 20) {
    const sig = buf.toString('latin1', at, at + 4);
    if (sig === 'link' || sig === 'sdir') return undefined;
    at += 8 + buf.readUInt32BE(at + 4);
  }
  return names;
}

/** git quotes a name (core.quotePath, on by default) holding control characters, `"`, `\` or bytes above 0x7f. */
function needsQuote(n: string): boolean {
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f"\\\u007f-\uffff]/.test(n);
}

function quoted(n: string): string {
  const esc: Record<number, string> = { 7: '\\a', 8: '\\b', 9: '\\t', 10: '\\n', 11: '\\v', 12: '\\f', 13: '\\r', 34: '\\"', 92: '\\\\' };
  let out = '"';
  for (const b of Buffer.from(n, 'utf8')) {
    if (esc[b]) out += esc[b];
    else if (b < 0x20 || b >= 0x7f) out += `\\${b.toString(8).padStart(3, '0')}`;
    else out += String.fromCharCode(b);
  }
  return `${out}"`;
}
