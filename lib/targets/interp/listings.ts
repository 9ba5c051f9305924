// Names script code gets from the file system: `glob.glob('.e*')`, `os.listdir('.')`, `os.walk`,
// `fs.readdirSync`, Perl `glob`, `Dir.glob`, PHP `scandir`... The code may then write any of them
// (`for f in glob.glob('.e*'): os.remove(f)`), and which ones it writes is decided at run time. A
// glob pattern the guard can read is expanded as the shell would (its matches may be written); any
// other listing leaves the folder it lists unresolved (the `unresolved` setting), never nothing.
import { U } from '../shell/context.js';
import type { Lang } from './lex.js';
import type { Resolver } from './resolve.js';

/** A folder listed, a glob pattern the guard can read (its matches may be written), or neither: a place it cannot tell. */
export interface Listing {
  dir?: string;
  pattern?: string;
}

/** Receivers of listing methods that are modules, not path objects (`os.listdir`, `fs.readdirSync`). */
const MODULES = new Set(['glob', 'os', 'fs', 'Dir', 'File', 'Deno', 'fsp', 'promises', 'Find', 'path', 'fg', 'fastGlob', 'Bun']);

/** Calls taking a glob pattern first, per language (last part of the dotted name). */
const GLOBS: Record<Lang, ReadonlySet<string>> = {
  python: new Set(['glob', 'iglob']),
  js: new Set(['globSync', 'glob', 'sync']),
  perl: new Set(['glob', 'bsd_glob']),
  ruby: new Set(['glob']),
  php: new Set(['glob']),
};
/** Calls taking the folder they list (none: the working directory). */
const DIRS: Record<Lang, ReadonlySet<string>> = {
  python: new Set(['listdir', 'scandir', 'walk', 'fwalk', 'iterdir', 'rglob']),
  js: new Set(['readdirSync', 'readdir', 'opendirSync', 'opendir', 'readDir', 'readDirSync', 'walk', 'walkSync']),
  perl: new Set(['opendir', 'find', 'finddepth']),
  ruby: new Set(['children', 'entries', 'each_child', 'foreach', 'find']),
  php: new Set(['scandir', 'opendir', 'RecursiveDirectoryIterator', 'DirectoryIterator', 'FilesystemIterator']),
};

/** Listings in the code: one per call the guard recognizes. */
export function listings(r: Resolver): Listing[] {
  const out: Listing[] = [];
  for (let i = 0; i < r.t.length && out.length < 64; i++) {
    const x = r.t[i]!;
    if (x.k !== 'id') continue;
    const last = x.v;
    const method = r.isP(i - 1, '.') || r.isP(i - 1, '->');
    const globCall = GLOBS[r.lang].has(last);
    const dirCall = DIRS[r.lang].has(last);
    // Ruby's Dir[pattern].
    const rubyIndex = r.lang === 'ruby' && last === 'Dir' && r.isP(i + 1, '[');
    if (!globCall && !dirCall && !rubyIndex) continue;
    if (!rubyIndex && !r.isP(i + 1, '(') && !(r.lang === 'perl' || r.lang === 'ruby')) continue;
    const open = i + 1;
    const first = r.isP(open, '(') || r.isP(open, '[') ? r.args(open)[0][0] : r.t[open]?.k === 'str' ? r.expr(open) : undefined;
    // A method on a receiver the guard does not follow (`Path(p).glob(...)`): the folder is unknown.
    const receiverKnown = !method || (r.t[i - 2]?.k === 'id' && MODULES.has((r.t[i - 2] as { v: string }).v));
    const text = first?.known ? r.tilde(first).text : undefined;
    if (!receiverKnown || (first !== undefined && (text === undefined || text.includes(U)))) out.push({});
    else if (globCall || rubyIndex) {
      if (text !== undefined) out.push({ pattern: text });
    } else out.push({ dir: text ?? '.' });
  }
  return out;
}
