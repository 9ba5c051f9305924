// Copies and moves whose destination may be a folder: what they write is beneath it, not the
// destination's own name. `shutil.copy(src, DIR)` writes DIR/basename(src); a tree copy
// (`shutil.copytree`, node's `fs.cp`, `FileUtils.cp_r`) writes the source's whole tree beneath
// DIR; a rename of a folder onto an empty or missing folder puts the folder's entries beneath it.
// The generic reading (resolve.ts) reports the destination as one written name; these calls add
// the places beneath it (red team 3: `shutil.copy("hsrc/.bashrc", home)`, `fs.cpSync(dir, home)`).
import type { Resolver, Val } from './resolve.js';
import { statementEnd } from './uses.js';

/** A destination: the folder (or name) and whether all of it beneath may be written. */
export interface Into {
  text: string;
  /** Every protected path beneath `text` counts (a tree lands there). */
  beneath: boolean;
}

/**
 * Per language, by the call's last name part: `into` calls copy or move one source INTO a folder
 * destination when it is one (its basename joined); `tree` calls put a whole tree at or beneath
 * the destination. The destination is the second positional argument or the keyword given.
 */
const CALLS: Record<Resolver['lang'], { into: ReadonlySet<string>; tree: ReadonlySet<string>; dest: string[] }> = {
  python: {
    into: set('copy copy2 move'),
    tree: set('copytree copy_tree rename replace renames'),
    dest: ['dst', 'dest'],
  },
  js: {
    // fs, fs/promises and fs-extra: cp copies trees (a file source onto a folder fails), rename
    // moves a folder onto an empty or missing one; fs-extra's copy/move copy trees too (each
    // also as its `…Sync` form: the name is read without the suffix).
    into: set(''),
    tree: set('cp rename copy move'),
    dest: [],
  },
  perl: {
    // File::Copy copies and moves a file into a folder destination; File::Copy::Recursive trees.
    into: set('copy move cp mv syscopy'),
    tree: set('rename dircopy rcopy dirmove rmove fcopy'),
    dest: [],
  },
  ruby: {
    // FileUtils: cp/mv/install/ln into a folder; cp_r and copy_entry trees; File.rename.
    into: set('cp mv copy move install ln ln_s ln_sf cp_lr'),
    tree: set('cp_r copy_entry rename mv'),
    dest: [],
  },
  php: {
    into: set(''),
    tree: set('rename'),
    dest: [],
  },
};

function set(s: string): ReadonlySet<string> {
  return new Set(s.split(/\s+/).filter(Boolean));
}

/** A keyword argument's value (`dst=home`) in the call whose `(` is at `open`. */
function keyword(r: Resolver, open: number, names: string[]): string | undefined | null {
  const end = r.skipGroup(open);
  for (let k = open + 1; k < end - 2; k++) {
    const x = r.t[k]!;
    if (x.k === 'id' && names.includes(x.v) && r.isP(k + 1, '=')) {
      const v = r.expr(k + 2);
      return v?.known ? r.tilde(v).text : null;
    }
  }
  return undefined;
}

/** Moves: a folder source renamed to a destination that is not a folder yet lands beneath it. */
const MOVES = set('move mv rename renames replace dirmove rmove');

const base = (p: string): string => p.replace(/\/+$/, '').replace(/^.*\//, '');

/** A call's argument may start at k (a string, a name, a variable): `copy "a", $b`. */
function startsArg(r: Resolver, k: number): boolean {
  const t = r.t[k];
  return t !== undefined && (t.k === 'str' || t.k === 'id');
}

/** The arguments of a call without parentheses, to the statement's end (`or die` ends it too). */
function bareArgs(r: Resolver, k: number): (Val | undefined)[] {
  const end = statementEnd(r, k);
  const out: (Val | undefined)[] = [];
  let m = k;
  while (m < end && out.length < 8) {
    const t = r.t[m];
    if (t?.k === 'id' && /^(?:or|and|if|unless)$/.test(t.v)) break;
    const v = r.expr(m);
    out.push(v);
    m = r.nextArg(v ? v.e : m, end + 1);
  }
  return out;
}

/** The destinations of copy and move calls in the code, with what lands beneath each. */
export function copyCalls(r: Resolver): Into[] {
  const c = CALLS[r.lang];
  const out: Into[] = [];
  for (let i = 0; i < r.t.length && out.length < 64; i++) {
    const x = r.t[i]!;
    // The callee's last name part, however it is reached (`require('fs').cpSync(`, `shutil.copy(`,
    // `File::Copy::copy(`); Perl and Ruby call without parentheses too (`copy $a, $b`).
    const paren = r.isP(i + 1, '(');
    if (x.k !== 'id' || (!paren && !((r.lang === 'perl' || r.lang === 'ruby') && startsArg(r, i + 1)))) continue;
    // `cpSync` is `cp` (node's synchronous forms).
    const own = r.lang === 'js' ? x.v.replace(/(?<=.)Sync$/, '') : x.v.split('::').pop()!;
    const last = r.isP(i - 1, '.') || own !== x.v ? own : (r.aliases.get(x.v) ?? x.v).replace(/(?<=.)Sync$/, '');
    const into = c.into.has(last);
    if (!into && !c.tree.has(last)) continue;
    // Python's `str.replace(a, b)` is no file call: rename and replace count only as os's.
    const qual = r.isP(i - 1, '.') && r.t[i - 2]?.k === 'id' ? (r.t[i - 2] as { v: string }).v : undefined;
    if (r.lang === 'python' && /^(?:rename|replace|renames)$/.test(last) && qual !== 'os') continue;
    const k = i + 1;
    const args = paren ? r.args(k)[0] : bareArgs(r, k);
    const src = args[0];
    const d = args[1];
    const dest = d ? (d.known ? r.tilde(d).text : null) : paren ? keyword(r, k, c.dest) : undefined;
    // A destination the guard cannot name is left to the generic reading (an unknown name).
    if (dest === undefined || dest === null || dest === '') continue;
    if (into && src?.known) {
      // The source's name inside the folder (the whole of it, when the source is a folder).
      const b = base(r.tilde(src).text);
      if (b !== '' && b !== '.' && b !== '..') {
        out.push({ text: `${dest.replace(/\/+$/, '')}/${b}`, beneath: true });
        // `.` and `dir/` are folders already: the source lands only inside them.
        if (!MOVES.has(last) || dest === '.' || dest.endsWith('/')) continue;
      }
    }
    out.push({ text: dest, beneath: true });
  }
  return out;
}
