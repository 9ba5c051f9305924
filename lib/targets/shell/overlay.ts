// What earlier commands of the same call do to names: the links, copies, moves and directories
// they create. Paths are normalized when the call is checked, before any of it exists, so
// `ln -s ~/.ssh s && echo k >> s/authorized_keys` would look like a write to `./s/...`.
// The overlay keeps "may exist" facts (never removed: a branch, a loop or a function called
// later may make any of them true in any order) and resolves an operand through them and the
// disk together, as the kernel would after those commands ran. Every combination of
// alternatives is tried, a bounded number; past the bound, or through a name an unknown
// command made (`tar -x`, `$CMD x`), the result is unresolved.
import * as nodeFs from 'node:fs';
import path from 'node:path';
import { GuardError, UNRESOLVED_SEGMENT as U, type Budget } from '../../types.js';
import { normalizePath, type PathFs } from '../../paths/normalize.js';
import { isDirectory } from '../../paths/walk.js';

type Fact = (
  /** A symbolic link (its text as written; relative to its own directory). */
  | { kind: 'link'; text: string }
  /** A copy or move of `of` (its links copied as links), or a hard link to it. */
  | { kind: 'mirror'; of: string }
  | { kind: 'dir' }
  /** Made by something the analysis cannot follow: anything may be there, and beneath. */
  | { kind: 'unknown' }
) & {
  /** The command that made it: its own operands are resolved without it (`cp -a link copy` writes no link target). */
  by: number;
};
type FactBody = Fact extends infer F ? F extends Fact ? Omit<F, 'by'> : never : never;

/** One answer to "what is at this path": a fact, the disk as it is, or unknowable. */
type Alt = { kind: 'link'; text: string } | { kind: 'exists' } | { kind: 'unknown' };

/** Combinations of alternatives tried for one operand before it counts as unresolved. */
const MAX_COMBOS = 32;
/** Mirrors of mirrors followed before the name counts as unknown (`mv a b; mv b a` loops). */
const MAX_MIRROR_DEPTH = 8;
/** Facts kept over the whole command; past it, every name counts as unknown. */
const MAX_FACTS = 65_536;
/** Different facts kept for one name (`ln -sf` in a loop); past it, the name is unknown. */
const MAX_PER_NAME = 8;
/**
 * Lookups (one "what may be at this path") over the whole command. Mirrors of mirrors make the
 * width multiply with the depth; lookups are memoized while the facts stay the same, and past
 * this bound every name counts as unknown (unresolved, blocked where it may be protected).
 */
export const MAX_LOOKUPS = 200_000;

interface Resolved {
  path: string;
  unknown: boolean;
}

export class Overlay {
  private readonly facts = new Map<string, Fact[]>();
  /** Directories under which any name may be anything (an archive was extracted there). */
  private readonly unknownUnder: { dir: string; by: number }[] = [];
  /**
   * Facts made at a name with an unknown part, by its text (`d=$(mktemp -d); ln -s ~/.ssh "$d/k"`):
   * a later operand spelled through the same text leads where the fact says (madeAtUnknown).
   */
  private readonly unknownNamed = new Map<string, Fact[]>();
  private count = 0;
  private overflow = false;
  /** Facts that change where a name leads (a directory alone does not). */
  private changing = false;
  private readonly disk = new Map<string, Alt | null>();
  /** alternatives() answers while the facts stay as they are (cleared by every new fact). */
  private readonly memo = new Map<string, Alt[]>();
  private lookups = 0;

  constructor(private readonly home: string, private readonly budget?: Budget, private readonly maxLookups = MAX_LOOKUPS) {}

  /** True when some fact can make an operand lead elsewhere than the disk says. */
  get active(): boolean {
    return this.changing || this.unknownUnder.length > 0 || this.overflow;
  }

  /** `name` (absolute, may hold U) is now a symbolic link with `text`. */
  link(name: string, text: string, by: number): void {
    this.add(name, { kind: 'link', text }, by);
  }

  /** `name` now mirrors `of` (absolute): a copy keeping links, a move, or a hard link. */
  mirror(name: string, of: string, by: number): void {
    if (of.includes(U)) {
      this.unknown(name, by);
      return;
    }
    for (const r of this.physical(of, false)) this.add(name, r.unknown ? { kind: 'unknown' } : { kind: 'mirror', of: r.path }, by);
  }

  dir(name: string, by: number): void {
    this.add(name, { kind: 'dir' }, by);
  }

  /** Anything may now be at `name` and beneath it. */
  unknown(name: string, by: number): void {
    this.add(name, { kind: 'unknown' }, by);
  }

  private add(name: string, body: FactBody, by: number): void {
    this.added++;
    try {
      this.addFact(name, body, by);
    } finally {
      // What a name resolved to before this fact (the parent looked up while adding it included) may differ now.
      this.resolved.clear();
    }
  }

  /** Counts the facts added: an answer derived from the facts holds while it stays the same. */
  get generation(): number {
    return this.added;
  }

  private added = 0;

  private addFact(name: string, body: FactBody, by: number): void {
    const f = { ...body, by } as Fact;
    this.memo.clear();
    this.resolved.clear();
    if (name.includes(U)) {
      if (this.unknownUnder.length >= MAX_FACTS) this.overflow = true;
      else this.unknownUnder.push({ dir: knownPrefix(name), by });
      if (f.kind !== 'dir') {
        const list = this.unknownNamed.get(name) ?? [];
        if (list.length < MAX_PER_NAME && this.unknownUnder.length < MAX_FACTS) this.unknownNamed.set(name, [...list, f]);
        else this.overflow = true;
      }
      return;
    }
    if (++this.count > MAX_FACTS) {
      this.overflow = true;
      return;
    }
    if (f.kind !== 'dir') this.changing = true;
    // The name's own directory may itself lead elsewhere: the fact lives where it really is.
    const parents = this.physical(path.posix.dirname(name), true);
    for (const p of parents) {
      if (p.unknown) continue;
      const key = path.posix.join(p.path, path.posix.basename(name));
      const list = this.facts.get(key) ?? [];
      if (list.some((g) => sameFact(g, f) && g.by === f.by)) continue;
      if (list.length >= MAX_PER_NAME) {
        if (!list.some((g) => g.kind === 'unknown' && g.by === -1)) list.push({ kind: 'unknown', by: -1 });
        continue;
      }
      list.push(f);
      this.facts.set(key, list);
    }
  }

  /**
   * Where `abs` (a path with an unknown part) may lead through a link, copy or unknown thing an
   * earlier command made at a name spelled with the same unknown text: `/tmp/tmp.<?>/k/x` after
   * `ln -s ~/.ssh /tmp/tmp.<?>/k` leads to `~/.ssh/x`. `follow`: the last name's link too. A
   * mirror or unknown fact leads somewhere unknown (`/<?>/…`).
   */
  madeAtUnknown(abs: string, follow: boolean, by = -1): Resolved[] {
    const out: Resolved[] = [];
    if (this.unknownNamed.size === 0) return out;
    // The names that can match are `abs` and its folders: looked up, never scanned.
    for (let end = abs.length; end > 0; end = abs.lastIndexOf('/', end - 1)) {
      const name = abs.slice(0, end);
      const facts = this.unknownNamed.get(name);
      if (!facts || !name.includes(U) || (abs === name && !follow)) continue;
      const rest = abs.slice(name.length);
      for (const f of facts) {
        if (f.by === by) continue;
        if (f.kind === 'link') {
          const to = f.text.startsWith('/') ? f.text : `${path.posix.dirname(name)}/${f.text}`;
          out.push({ path: `${to}${rest}`, unknown: false });
        } else out.push({ path: `/${U}${rest}`, unknown: true });
      }
    }
    return out;
  }

  /** Is `abs` (after the overlay) a directory in some alternative? */
  isDir(abs: string, follow: boolean): boolean {
    for (const r of this.physical(abs, follow)) {
      if (r.unknown || this.unknownUnder.some((u) => u.dir === r.path)) return true; // may well be one
      if (this.facts.get(r.path)?.some((f) => f.kind === 'dir' || f.kind === 'mirror' && isDirectory(f.of))) return true;
      if (isDirectory(r.path)) return true;
    }
    return false;
  }

  /**
   * Every path `abs` may lead to once the facts hold (`follow`: the last name's link too, as
   * `open` does; `rm`, `mv`, `ln` act on the name itself). Absolute, links resolved.
   */
  physical(abs: string, follow: boolean, by = -1): Resolved[] {
    const before = this.skip;
    this.skip = by;
    try {
      return this.resolveAll(abs, follow);
    } finally {
      this.skip = before;
    }
  }

  /** Facts made by this command are left out of the current resolution. */
  private skip = -1;

  /** resolveAll answers while the facts stay as they are (cleared with `memo`): the same operand is looked up by many checks of one command. */
  private readonly resolved = new Map<string, Resolved[]>();

  private resolveAll(abs: string, follow: boolean): Resolved[] {
    const key = `${this.skip}\u0001${follow}\u0001${abs}`;
    const had = this.resolved.get(key);
    if (had) return had;
    const out = this.resolveFresh(abs, follow);
    // Past the lookup bound every answer turns unknown: one given before must not stay.
    if (this.overflow) this.resolved.clear();
    else this.resolved.set(key, out);
    return out;
  }

  private resolveFresh(abs: string, follow: boolean): Resolved[] {
    if (!follow && !abs.endsWith('/')) {
      const base = path.posix.basename(abs);
      if (base !== '.' && base !== '..' && base !== '') {
        return this.resolveAll(path.posix.dirname(abs), true).map((r) => ({ path: path.posix.join(r.path, base), unknown: r.unknown }));
      }
    }
    const out: Resolved[] = [];
    const seen = new Set<string>();
    let choices: number[] = [];
    for (let combo = 0; ; combo++) {
      if (combo >= MAX_COMBOS) {
        out.push({ path: `/${U}`, unknown: true });
        break;
      }
      const trace: number[] = [];
      const chosen = new Map<string, Alt>();
      const fs = this.pathFs(choices, trace, chosen);
      let p: string;
      try {
        p = normalizePath(abs, '/', { home: this.home, platform: 'linux', fs });
      } catch (e) {
        if (!(e instanceof GuardError) || e.code === 'budget') throw e;
        p = `/${U}`; // a loop of links: the real command fails; nothing known is reached
      }
      const unknown = p.includes(U) || [...chosen.values()].some((a) => a.kind === 'unknown');
      const key = `${unknown}\u0001${p}`;
      if (!seen.has(key)) {
        seen.add(key);
        out.push({ path: p, unknown });
      }
      let k = trace.length - 1;
      while (k >= 0 && (choices[k] ?? 0) + 1 >= trace[k]!) k--;
      if (k < 0) break;
      choices = [...choices.slice(0, k), (choices[k] ?? 0) + 1];
    }
    return out;
  }

  /** A PathFs answering from the facts: the k-th lookup with a choice takes alternative choices[k]. */
  private pathFs(choices: number[], trace: number[], chosen: Map<string, Alt>): PathFs {
    const pick = (p: string): Alt | null => {
      const had = chosen.get(p);
      if (had) return had;
      const alts = this.alternatives(p, 0);
      if (alts.length === 0) return null;
      let a = alts[0]!;
      if (alts.length > 1) {
        a = alts[choices[trace.length] ?? 0] ?? a;
        trace.push(alts.length);
      }
      chosen.set(p, a);
      return a;
    };
    return {
      lstatSync: (p) => {
        const a = pick(p);
        if (!a) return undefined;
        const link = a.kind !== 'exists';
        return { isSymbolicLink: () => link };
      },
      readlinkSync: (p) => {
        const a = pick(p);
        if (!a || a.kind === 'exists') throw new Error('not a link');
        // An unknowable name leads somewhere unknown: an absolute path made of the placeholder.
        return a.kind === 'unknown' ? `/${U}` : a.text;
      },
    };
  }

  /** What may be at `p` (absolute, clean): the facts, plus the disk when something is there. */
  private alternatives(p: string, depth: number): Alt[] {
    const key = `${this.skip}\u0001${depth}\u0001${p}`;
    const known = this.memo.get(key);
    if (known) return known;
    if (++this.lookups > this.maxLookups && !this.overflow) {
      this.overflow = true;
      this.memo.clear();
    }
    // The call's deadline holds here too: past it the whole call is blocked, never late.
    if ((this.lookups & 1023) === 0) this.budget?.check('shell analysis');
    const alts = this.lookup(p, depth);
    this.memo.set(key, alts);
    return alts;
  }

  private lookup(p: string, depth: number): Alt[] {
    if (this.overflow || this.underUnknown(p)) return [{ kind: 'unknown' }];
    const out: Alt[] = [];
    const facts = this.facts.get(p);
    for (const f of facts ?? []) {
      if (f.by === this.skip) continue;
      if (f.kind === 'link') out.push({ kind: 'link', text: f.text });
      else if (f.kind === 'dir') out.push({ kind: 'exists' });
      else if (f.kind === 'unknown') out.push({ kind: 'unknown' });
      else out.push(...this.mirrored(f.of, '', depth));
    }
    // Beneath a mirrored directory, names are those of the original; beneath an unknown one, anything.
    for (let d = path.posix.dirname(p), rest = path.posix.basename(p); d !== '/' && d !== '.'; rest = `${path.posix.basename(d)}/${rest}`, d = path.posix.dirname(d)) {
      for (const f of this.facts.get(d) ?? []) {
        if (f.by === this.skip) continue;
        if (f.kind === 'mirror') out.push(...this.mirrored(f.of, rest, depth));
        else if (f.kind === 'unknown') out.push({ kind: 'unknown' });
      }
    }
    const disk = this.onDisk(p);
    if (disk) out.push(disk);
    // A folder something unknown fills (`git clone URL y`, `tar -C out`) exists once it ran.
    else if (out.length === 0 && this.unknownUnder.some((u) => u.dir === p && u.by !== this.skip)) out.push({ kind: 'exists' });
    return dedupe(out);
  }

  private mirrored(of: string, rest: string, depth: number): Alt[] {
    if (depth >= MAX_MIRROR_DEPTH) return [{ kind: 'unknown' }];
    return this.alternatives(rest === '' ? of : `${of}/${rest}`, depth + 1);
  }

  private underUnknown(p: string): boolean {
    for (const { dir, by } of this.unknownUnder) {
      if (by !== this.skip && p !== dir && p.startsWith(dir === '/' ? '/' : `${dir}/`)) return true;
    }
    return false;
  }

  private onDisk(p: string): Alt | null {
    if (this.disk.has(p)) return this.disk.get(p)!;
    let a: Alt | null = null;
    try {
      const st = nodeFs.lstatSync(p, { throwIfNoEntry: false });
      if (st?.isSymbolicLink()) a = { kind: 'link', text: nodeFs.readlinkSync(p) };
      else if (st) a = { kind: 'exists' };
    } catch {
      a = null;
    }
    this.disk.set(p, a);
    return a;
  }
}

function sameFact(a: Fact, b: Fact): boolean {
  return a.kind === b.kind && (a.kind !== 'link' || a.text === (b as typeof a).text) && (a.kind !== 'mirror' || a.of === (b as typeof a).of);
}

function dedupe(alts: Alt[]): Alt[] {
  const out: Alt[] = [];
  for (const a of alts) {
    if (!out.some((b) => b.kind === a.kind && (a.kind !== 'link' || (b as typeof a).text === a.text))) out.push(a);
  }
  return out;
}

/** The directories of `p` before its first unknown part. */
function knownPrefix(p: string): string {
  const k = p.indexOf(U);
  if (k < 0) return p;
  const d = p.slice(0, k);
  const slash = d.lastIndexOf('/');
  return slash <= 0 ? '/' : path.posix.normalize(d.slice(0, slash));
}
