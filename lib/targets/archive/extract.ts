// Where an extraction writes: each member of the archive as it is on disk when the call is
// checked, placed under the destination the way the extractor places it (`--strip-components`,
// `--one-top-level`, `unzip -j`, absolute names with `tar -P` or cpio), `..` members counted
// (some extractors refuse them, others do not: the guard does not rely on the refusal), and
// members written through a symbolic link member of the same archive followed to where they land.
// An archive that does not exist yet, cannot be read or is in an unreadable format leaves the
// destination unknown (everything beneath it may be written: the `unresolved` setting).
import path from 'node:path';
import { U, joinPath, type Arg } from '../shell/context.js';
import type { CodeCtx } from '../interp/load.js';
import { readArchive, type Listing } from './read.js';

export interface ExtractSpec {
  /** The archive file; undefined or `-` is standard input. */
  archive?: Arg;
  /** Destination directory (default: the working directory). */
  dest?: Arg;
  via: string;
  /** Word the unknown destination is shown as when nothing else names it. */
  like?: Arg;
  /** Only this format is read (`python -m zipfile`); the extractor fails on anything else. */
  format?: Listing['format'];
  strip?: number;
  /** Only the last part of each name (unzip -j, 7z e). */
  junk?: boolean;
  /** Absolute names stay absolute (tar -P, cpio without --no-absolute-filenames). */
  absolute?: boolean;
  oneTop?: string;
  /** Names are rewritten (tar --transform, bsdtar -s): members land where the guard cannot tell. */
  renamed?: boolean;
  keepDotDot?: boolean;
  /** `tar --backup`: a file a member replaces is kept as its name with this suffix. */
  backupSuffix?: string;
}

/** Emits the writes of one extraction. */
export function extractArchive(x: CodeCtx, spec: ExtractSpec): void {
  const dest = spec.dest ?? { text: '.', literal: spec.like?.literal ?? spec.via };
  const unknown = (): void => {
    const inside = { text: `${dest.text.endsWith('/') ? dest.text : `${dest.text}/`}${U}`, literal: dest.literal };
    x.emit('write', inside, spec.via);
    x.c.made('unknown', inside);
  };
  const listing = spec.renamed ? undefined : list(x, spec.archive);
  if (!listing || (spec.format && listing.format !== spec.format)) {
    unknown();
    return;
  }
  if (!listing.complete) unknown();
  // Absolute from here on: joinPath resolves a relative base against nothing but its text.
  const at = joinPath(x.cwd, dest.text);
  const top = spec.oneTop !== undefined ? joinPath(at, spec.oneTop) : at;
  const links = new Map<string, string>();
  for (const m of listing.members) {
    x.check();
    for (const rel of placements(m.name, spec, top)) {
      const out = through(rel, links);
      for (const p of out) {
        x.emit('write', { text: p, literal: m.name }, spec.via);
        if (spec.backupSuffix) x.emit('write', { text: p + spec.backupSuffix, literal: m.name }, `${spec.via} --backup`);
      }
      if (m.type === 'symlink' && m.link !== undefined) {
        links.set(normal(rel), m.link);
        x.c.made('link', { text: rel, literal: m.name }, m.link);
      } else if (m.type === 'dir') x.c.made('dir', { text: rel, literal: m.name });
      else if (m.type === 'other') x.c.made('unknown', { text: rel, literal: m.name });
      // A hard link member gives its target a second name: the target is written too.
      if (m.type === 'hardlink' && m.link) {
        for (const t of placements(m.link, spec, top)) for (const p of through(t, links)) x.emit('write', { text: p, literal: m.link }, spec.via);
      }
    }
  }
}

function list(x: CodeCtx, archive: Arg | undefined): Listing | undefined {
  let abs: string | undefined;
  if (!archive || archive.text === '-' || archive.text === '/dev/stdin') {
    if (x.stdin === null && x.stdinFile) abs = x.stdinFile;
  } else abs = joinPath(x.cwd, archive.text);
  if (abs === undefined || abs.includes(U) || x.written(abs)) return undefined;
  return readArchive(abs, undefined, x.check);
}

/** Where the extractor puts a member name: under `top` (and at its absolute name with -P). */
function placements(name: string, spec: ExtractSpec, top: string): string[] {
  const out: string[] = [];
  if (name.startsWith('/') && spec.absolute) out.push(name);
  let rel = name.replace(/^\/+/, '');
  if (spec.strip) {
    const parts = rel.split('/').filter((s) => s !== '' && s !== '.');
    if (parts.length <= spec.strip) return out;
    rel = parts.slice(spec.strip).join('/');
  }
  if (spec.junk) rel = rel.slice(rel.lastIndexOf('/') + 1);
  if (rel === '' || rel === '.') return out;
  out.push(joinPath(top, rel));
  // Extractors that refuse `..` strip it or skip the member: the stripped name counts too.
  if (rel.split('/').includes('..')) {
    const safe = rel.split('/').filter((s) => s !== '..').join('/');
    if (safe !== '') out.push(joinPath(top, safe));
  }
  return out;
}

/** Lexical normal form of a path (for matching link members). */
function normal(p: string): string {
  return p.includes(U) ? p : path.posix.normalize(p);
}

/** `p` and where it lands through link members made earlier in the same archive. */
function through(p: string, links: Map<string, string>): string[] {
  const out = [p];
  let cur = normal(p);
  for (let hop = 0; hop < 16 && links.size > 0; hop++) {
    const parts = cur.split('/');
    let moved = false;
    for (let k = parts.length - 1; k >= 1; k--) {
      const prefix = parts.slice(0, k).join('/') || '/';
      const target = links.get(prefix);
      if (target === undefined) continue;
      const base = target.startsWith('/') ? target : joinPath(path.posix.dirname(prefix), target);
      cur = normal(`${base}/${parts.slice(k).join('/')}`);
      out.push(cur);
      moved = true;
      break;
    }
    if (!moved) break;
  }
  return out;
}
