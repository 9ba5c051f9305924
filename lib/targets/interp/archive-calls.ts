// Archives extracted by Python code: `tarfile.open(A).extractall(D)`, `zipfile.ZipFile(A).extractall()`,
// `t.extract(member, D)`, `shutil.unpack_archive(A, D)`. They write the archive's members beneath
// the destination like `tar -x` (archive/extract.ts reads the members from disk); an archive the
// guard cannot name leaves everything beneath the destination unresolved.
import type { Resolver } from './resolve.js';

export interface Extraction {
  /** The archive as the code names it; undefined when the guard cannot tell which. */
  archive?: string;
  /** Destination folder (default: the working directory). */
  dest: string;
  format?: 'tar' | 'zip';
}

const OPENERS: Record<string, 'tar' | 'zip'> = {
  'tarfile.open': 'tar', 'tarfile.TarFile': 'tar', 'TarFile': 'tar', 'TarFile.open': 'tar', 'tarfile.TarFile.open': 'tar',
  'zipfile.ZipFile': 'zip', 'ZipFile': 'zip',
};

/** A keyword argument's value inside the call whose `(` is at `open` (`path='.git'`). */
function keyword(r: Resolver, open: number, name: string): string | undefined {
  const end = r.skipGroup(open);
  for (let k = open + 1; k < end - 2; k++) {
    const x = r.t[k]!;
    if (x.k === 'id' && x.v === name && r.isP(k + 1, '=')) {
      const v = r.expr(k + 2);
      return v?.known ? r.tilde(v).text : undefined;
    }
  }
  return undefined;
}

export function archiveCalls(r: Resolver): Extraction[] {
  if (r.lang !== 'python') return [];
  const archives: { text?: string; format: 'tar' | 'zip' }[] = [];
  const out: Extraction[] = [];
  const extracts: { dest: string }[] = [];
  for (let i = 0; i < r.t.length; i++) {
    const x = r.t[i]!;
    if (x.k !== 'id' || r.isP(i - 1, '.')) continue;
    const [name, k] = r.dotted(i)!;
    if (!r.isP(k, '(')) continue;
    const last = name.split('.').pop()!;
    const [args] = r.args(k);
    const text = (n: number): string | undefined => {
      const a = args[n];
      return a?.known ? r.tilde(a).text : undefined;
    };
    if (OPENERS[name]) archives.push({ ...(text(0) !== undefined ? { text: text(0) } : {}), format: OPENERS[name]! });
    else if (last === 'unpack_archive') {
      const dest = args.length > 1 ? text(1) : keyword(r, k, 'extract_dir') ?? '.';
      out.push({ ...(text(0) !== undefined ? { archive: text(0) } : {}), dest: dest ?? '.' });
    }
  }
  // `.extractall(D)` / `.extract(member, D)` on an archive object: the destination.
  for (let i = 1; i < r.t.length; i++) {
    const x = r.t[i]!;
    if (x.k !== 'id' || !r.isP(i - 1, '.') || (x.v !== 'extractall' && x.v !== 'extract') || !r.isP(i + 1, '(')) continue;
    const [args] = r.args(i + 1);
    const pos = x.v === 'extractall' ? 0 : 1;
    const a = args[pos];
    const dest = a ? (a.known ? r.tilde(a).text : undefined) : keyword(r, i + 1, 'path') ?? '.';
    extracts.push({ dest: dest ?? '\0' });
  }
  for (const e of extracts) {
    if (archives.length === 0) out.push({ dest: e.dest });
    for (const a of archives) out.push({ ...(a.text !== undefined ? { archive: a.text } : {}), dest: e.dest, format: a.format });
  }
  return out.slice(0, 64);
}
