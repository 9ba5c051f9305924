// Where script code changes its working directory, or runs a command in another one: after
// `os.chdir(os.path.expanduser("~"))`, `process.chdir("..")` or Perl's bare `chdir`, a relative
// name (`open(".bashrc", "a")`) is found from there, and so is every relative name of a command
// the code runs with `cwd=`/`{cwd: …}`/`chdir:`. The code's order is not its run order (loops,
// functions, branches), so every such folder is one more place each relative name may be found.
import { U } from '../shell/context.js';
import type { Resolver } from './resolve.js';

/** Calls that change the process's working directory (`os.chdir`, `process.chdir`, `Dir.chdir`, `chdir`, `os.fchdir`, `contextlib.chdir`). */
const CHDIR = /^f?chdir$/;
/** Keys that give a started command its working directory (Python's and Node's `cwd`, Ruby's `chdir:`). */
const CWD_KEY = /^(?:cwd|chdir)$/;
/** A statement goes on without an argument: Perl's `chdir;`, `chdir or die`, Ruby's `Dir.chdir` alone. */
const NO_ARG = new Set([';', '}', ')', '\n', 'if', 'unless', 'or', 'and', '&&', '||', 'do']);

/**
 * The folders (as written, `~` expanded; U for one not known) the code changes to (`chdirs`) and
 * gives the commands it starts (`cwds`).
 */
export function workDirs(r: Resolver): { chdirs: string[]; cwds: string[] } {
  const changes = new Set<string>();
  const cwds = new Set<string>();
  const add = (set: Set<string>, d: string | undefined): void => {
    if (d !== undefined) set.add(d);
  };
  const value = (k: number): string | undefined => {
    // `cwd=None`, `{cwd: undefined}`: the current folder.
    const t = r.t[k];
    if (t?.k === 'id' && /^(?:None|null|undefined|nil)$/.test(t.v)) return undefined;
    const v = r.expr(k);
    return v && v.known ? r.tilde(v).text : U;
  };
  for (let i = 0; i < r.t.length; i++) {
    const x = r.t[i]!;
    const name = x.k === 'id' ? x.v : x.k === 'str' && x.parts.length === 1 && typeof x.parts[0] === 'string' ? x.parts[0] : undefined;
    if (name === undefined) continue;
    // A subscript names it as a key or member: `{["cwd"]: D}`, `kw["cwd"] = D`, `process["chdir"](D)`.
    const sub = x.k === 'str' && r.isP(i - 1, '[') && r.isP(i + 1, ']');
    const j = sub ? i + 1 : i;
    // An option of a started command: `cwd=D`, `{cwd: D}`, `{"cwd": D}`, `chdir: D`, `'cwd' => D`,
    // `o.cwd = D`, `kw["cwd"] = D`; `{ cwd }` is the variable.
    const key = sub || r.isP(i - 1, '{') || r.isP(i - 1, ',') || r.isP(i - 1, '(') || (x.k === 'id' && r.isP(i - 1, '.'));
    if (CWD_KEY.test(name) && key && !r.isP(j + 1, '(')) {
      if (r.isP(j + 1, '=') || r.isP(j + 1, ':') || r.isP(j + 1, '=>')) {
        add(cwds, value(j + 2));
        continue;
      }
      if (x.k === 'id' && name === 'cwd' && !r.isP(i - 1, '.') && (r.isP(i + 1, '}') || r.isP(i + 1, ',')) && !importing(r, i)) {
        add(cwds, value(i));
        continue;
      }
    }
    const alias = x.k === 'id' && !r.isP(i - 1, '.') ? r.aliases.get(x.v)?.split(/\.|->|::/).pop() : undefined;
    const cd = CHDIR.test(alias ?? name) ? x.k === 'id' || sub
      : name === 'cd' && x.k === 'id' && r.isP(i - 1, '.') && r.t[i - 2]?.k === 'id' && (r.t[i - 2] as { v: string }).v === 'FileUtils';
    if (!cd) continue;
    if (r.isP(j + 1, '(')) {
      // `chdir()` and Ruby's `Dir.chdir()` go home; another language's call without an argument fails.
      add(changes, r.isP(j + 2, ')') ? r.o.home : value(j + 2) ?? U);
      continue;
    }
    if (r.lang === 'perl' || r.lang === 'ruby') {
      const next = r.t[i + 1];
      const ends = !next || ((next.k === 'p' || next.k === 'id') && NO_ARG.has(next.v));
      add(changes, ends ? r.o.home : value(i + 1) ?? U);
      continue;
    }
    // Named where it is imported or defined (`from os import chdir`, `const {chdir} = process`,
    // `def chdir`): its calls are found where they are. Handed on as a value (`f = os.chdir`,
    // `map(os.chdir, ds)`, `[os.chdir][0](d)`): a change to somewhere not known.
    if (importing(r, i) || (r.t[i - 1]?.k === 'id' && /^(?:def|function|sub)$/.test((r.t[i - 1] as { v: string }).v))) continue;
    changes.add(U);
  }
  return { chdirs: [...changes], cwds: [...cwds] };
}

/** The statement holding token i imports names (`import`, `from m import`, `const {…} =`, Perl's `use`). */
function importing(r: Resolver, i: number): boolean {
  const at = (r.t[i] as { at: number }).at;
  const start = Math.max(r.code.lastIndexOf('\n', at), r.code.lastIndexOf(';', at)) + 1;
  return /^\s*(?:import\b|from\s+\S+\s+import\b|(?:const|let|var)\s*\{[^}]*$|use\s)/.test(r.code.slice(start, at));
}

/** Most folders a relative name is tried in: past it, the name is somewhere not known. */
const MAX_DIRS = 32;

/** `b` from `a` ('' is where the code starts), `.` segments dropped; `..` kept (after a link it is not the parent). */
export function joinDir(a: string, b: string): string {
  const abs = b.startsWith('/') || (a.startsWith('/') && !b.startsWith(U));
  const segs = (b.startsWith('/') || b.startsWith(U) ? b : a === '' ? b : `${a}/${b}`).split('/').filter((x) => x !== '' && x !== '.');
  return abs ? `/${segs.join('/')}` : segs.join('/');
}

/**
 * Every folder the code may be in ('' is where it starts): chains of its changes (`chdirs`), as
 * many steps as it has changes (`chdir("..")` then `chdir("home")` reaches `../home`); a change
 * that climbs (`..`) may be repeated by a loop, so every folder above the start (`above`, absolute)
 * is one too; then a started command's own folder (`cwds`) from each. A descending change repeated
 * (`sub/sub`) only goes deeper beneath where the code is, and is tried once. U when a folder is not
 * known or there are too many.
 */
export function reachable(chdirs: string[], cwds: string[], above: string[]): string[] {
  const out = new Set<string>(['']);
  const unknown = (): string[] => [...out, U];
  if (chdirs.some((d) => d.includes(U)) || cwds.some((d) => d.includes(U))) return unknown();
  if (chdirs.some((d) => !d.startsWith('/') && d.split('/').includes('..'))) for (const a of above) out.add(a);
  for (let round = 0; round < chdirs.length; round++) {
    for (const from of [...out]) {
      for (const d of chdirs) {
        out.add(joinDir(from, d));
        if (out.size > MAX_DIRS) return unknown();
      }
    }
  }
  for (const from of [...out]) {
    for (const d of cwds) {
      out.add(joinDir(from, d));
      if (out.size > MAX_DIRS) return unknown();
    }
  }
  return [...out];
}
