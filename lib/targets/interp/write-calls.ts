// Calls that write, delete or move the file named by an argument the guard cannot evaluate:
// `open(open("p.txt").read().strip(), "a")`, `fs.appendFileSync(fs.readFileSync(f, "utf8"), x)`,
// `open F, ">>", $line`. A literal or a resolvable expression is judged where it stands
// (resolve.ts); a name computed from what the code reads at run time is nowhere in the text, so
// such a call makes the code's targets unknown (the `unresolved` setting), as names built out of
// sight do.
import type { Lang } from './lex.js';
import type { Resolver } from './resolve.js';

/**
 * Calls (their dotted names: a method of another object with the same last name, `list.remove(x)`,
 * `process.stdout.write(x)`, is not one) writing the file of their first argument.
 */
const FIRST: Record<Lang, RegExp> = {
  python: /^(?:os\.(?:remove|unlink|truncate|mkdir|makedirs|removedirs|rmdir|chmod|mkfifo)|(?:shutil\.)?rmtree|io\.FileIO)$/,
  js: /^(?:(?:fs|fsp|fse|promises|fs\.promises|fs-extra)\.(?:writeFile|appendFile|unlink|rm|rmdir|truncate|mkdir|outputFile|outputJson|remove|writeJson)|(?:\w+\.)*create[W]riteStream|Deno\.(?:writeTextFile|writeFile|remove|truncate|mkdir)|Bun\.write)$/,
  perl: /^(?:unlink|truncate|mkdir|rmdir|write_file|append_file|File::Slurp::write_file)$/,
  ruby: /^(?:(?:File|IO)\.(?:write|binwrite|delete|unlink|truncate)|FileUtils\.(?:rm|rm_f|rm_rf|rm_r|touch|mkdir_p|mkdir|remove|remove_file|remove_dir))$/,
  php: /^(?:file_put_contents|unlink|touch|mkdir|rmdir|tempnam)$/,
};
/** Calls whose second argument is the file written (a copy's or a move's destination, a link's name). */
const SECOND: Record<Lang, RegExp> = {
  python: /^(?:os\.(?:rename|renames|replace|symlink|link)|shutil\.(?:copy|copy2|copyfile|copytree|move)|copyfile|copytree)$/,
  js: /^(?:(?:fs|fsp|fse|promises|fs\.promises)\.(?:rename|copyFile|cp|link|symlink|copy|move)|Deno\.(?:rename|copyFile|link|symlink))$/,
  perl: /^(?:rename|link|symlink|copy|move|cp|mv|File::Copy::(?:copy|move|cp|mv))$/,
  ruby: /^(?:File\.(?:rename|symlink|link)|FileUtils\.(?:cp|cp_r|mv|move|copy|copy_file|install|ln|ln_s|ln_sf))$/,
  php: /^(?:rename|copy|symlink|link)$/,
};
/** node's synchronous forms, on any object (`require("fs").…Sync`, a destructured one), matched without `Sync`. */
const JS_SYNC_FIRST = /^(?:\w+\.)*(?:writeFile|appendFile|unlink|rm|rmdir|truncate|mkdir|outputFile|remove|writeJson|writeJSON)$/;
const JS_SYNC_SECOND = /^(?:\w+\.)*(?:rename|copyFile|cp|link|symlink|copy|move)$/;
const JS_SYNC_OPEN = /^(?:\w+\.)*open$/;

/** Opens with a mode: written unless the mode only reads. */
const OPENS: Record<Lang, RegExp> = {
  python: /^(?:open|io\.open|codecs\.open|os\.open)$/,
  js: /^(?:fs|fsp|promises|fs\.promises)\.open$/,
  perl: /^(?:open|sysopen)$/,
  ruby: /^(?:open|File\.open|File\.new|Kernel\.open)$/,
  php: /^fopen$/,
};

/** True when a call writes a file named by an argument the guard cannot evaluate. */
export function unknownWriteCall(r: Resolver): boolean {
  for (let i = 0; i < r.t.length; i++) {
    const x = r.t[i]!;
    // A name's first part, or a method called on something else (`require("fs").writeFileSync(p)`).
    if (x.k !== 'id' || (r.isP(i - 1, '.') && !r.isP(i + 1, '('))) continue;
    // pathlib's own write methods on a path the guard cannot evaluate: `Path(p).write_text(…)`.
    if (r.lang === 'python' && PATH_WRITES.has(x.v) && r.isP(i - 1, '.') && r.isP(i + 1, '(') && !receiverKnown(r, i - 1)) return true;
    const d = r.dotted(i);
    if (!d) continue;
    let [name, k] = d;
    const paren = r.isP(k, '(');
    // Perl and Ruby call without parentheses: `open F, ">>", $p`.
    if (!paren && !((r.lang === 'perl' || r.lang === 'ruby') && r.t[k] !== undefined && !r.isP(k, ';') && !r.isP(k, '='))) continue;
    const args = paren ? r.args(k)[0] : bareArgs(r, k);
    const unknown = (n: number): boolean => n < args.length && !args[n]?.known;
    // node's synchronous forms are matched without their `Sync` (as copy-calls.ts does; the names
    // are data here, this module never calls them).
    const sync = r.lang === 'js' && /.Sync$/.test(name);
    if (sync) name = name.slice(0, -4);
    if (OPENS[r.lang].test(name) || (sync && JS_SYNC_OPEN.test(name))) {
      if (r.lang === 'perl') {
        // open(F, MODE, PATH) / open(F, ">>PATH"); sysopen(F, PATH, FLAGS).
        if (name === 'sysopen' ? unknown(1) && !/O_RDONLY/.test(flagsText(r, k)) : args.length >= 3 && !/^\s*</.test(args[1]?.text ?? '') && unknown(2)) return true;
        continue;
      }
      const mode = args[1];
      // No mode argument: reads unless a `mode=`/`flags:` keyword says otherwise; a mode not known may write.
      const reads = args.length < 2 ? !r.isP(k, '(') || !hasMode(r, k) : mode !== undefined && mode.known && !/[wax+]/.test(mode.text);
      if (!reads && unknown(0)) return true;
      continue;
    }
    if ((FIRST[r.lang].test(name) || (sync && JS_SYNC_FIRST.test(name))) && unknown(0)) return true;
    if ((SECOND[r.lang].test(name) || (sync && JS_SYNC_SECOND.test(name))) && unknown(1)) return true;
  }
  return false;
}

/** Methods only pathlib paths have that write the path itself. */
const PATH_WRITES = new Set(['write_text', 'write_bytes', 'touch', 'symlink_to', 'hardlink_to']);

/** The value before the `.` at `dot` (`Path(p)`, `q`, `(home / x)`) is one the guard can evaluate. */
function receiverKnown(r: Resolver, dot: number): boolean {
  let k = dot - 1;
  if (r.isP(k, ')')) {
    let depth = 0;
    for (; k >= 0; k--) {
      if (r.isP(k, ')')) depth++;
      else if (r.isP(k, '(') && --depth === 0) break;
    }
    if (k < 0) return false;
    // A call's callee (`Path(…)`, `pathlib.Path(…)`), else the group itself.
    if (r.t[k - 1]?.k === 'id') k--;
  }
  while (r.isP(k - 1, '.') && r.t[k - 2]?.k === 'id') k -= 2;
  const v = r.expr(k);
  return v !== undefined && v.known && v.e >= dot;
}

/** Arguments of a call without parentheses, to the statement's end. */
function bareArgs(r: Resolver, k: number): ReturnType<Resolver['args']>[0] {
  const out: ReturnType<Resolver['args']>[0] = [];
  let m = k;
  for (let n = 0; n < 8 && m < r.t.length && !r.isP(m, ';') && !r.isP(m, '}'); n++) {
    const v = r.expr(m);
    out.push(v);
    const next = r.nextArg(v ? v.e : m, r.t.length + 1);
    if (next <= m) break;
    // Stop at the statement's end: nextArg only stops at commas.
    let end = m;
    while (end < next && !r.isP(end, ';')) end++;
    if (end < next) break;
    m = next;
  }
  return out;
}

/** A `mode=`/`flags:` keyword among the call's arguments (Python, JS options). */
function hasMode(r: Resolver, k: number): boolean {
  const end = r.skipGroup(k);
  for (let m = k + 1; m < end; m++) {
    const t = r.t[m]!;
    if (t.k === 'id' && /^(?:mode|flag|flags)$/.test(t.v) && (r.isP(m + 1, '=') || r.isP(m + 1, ':'))) return !/^['"]?r['"]?$/.test(r.t[m + 2]?.k === 'str' ? String((r.t[m + 2] as { parts: unknown[] }).parts[0]) : '');
  }
  return false;
}

function flagsText(r: Resolver, k: number): string {
  const end = r.isP(k, '(') ? r.skipGroup(k) : Math.min(r.t.length, k + 32);
  return r.t.slice(k, end).map((t) => (t.k === 'id' ? t.v : '')).join(' ');
}
