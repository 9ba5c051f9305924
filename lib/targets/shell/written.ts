// What the call's own commands wrote before a later command reads a file's text (a script run, a
// file sourced, code fed on stdin), and what that text then is.
//
// A file counts as written when any write of the call reached it: by its name, through a link on
// disk or made by the call, through a hard link, or by replacing a folder above it. A file the call
// wrote with text the guard knows (`cat > t.sh <<EOF … EOF; sh t.sh`) is read as that text, but
// only when nothing else can have changed it: one write, by a statement that ran to completion
// before the reader started, into a file that did not exist before the call.
//
// Commands that run at the same time as others (a background job, a pipeline's stages, a process
// substitution) read and write in an order the guard cannot know: `sh f & echo "$evil" > f` runs
// the new text. Such reads are noted while walking and checked against every write of their
// stretch of the call after the walk (checkConcurrentReads).
import fs from 'node:fs';
import path from 'node:path';
import type * as Sh from './ast.js';
import { litOf, plainText, type Stmt } from './ast.js';
import { aliasKey } from './builtins.js';
import { isFunction } from './functions.js';
import type { Scope } from './scope.js';
import { METADATA, U, physicalJoin, plainPath, type Frame, type Run } from './context.js';

/**
 * The names under which the file at `abs` is reached: each place the links the call made lead to,
 * resolved through the disk's links; and its device and inode when it has more than one name (a
 * hard link). Null when some link leads somewhere unknown.
 */
function identity(run: Run, abs: string): string[] | null {
  if (abs.includes(U)) return null;
  const w = run.writes;
  // The same name is looked up by many checks between two links, copies or moves of the call.
  const gen = run.overlay.generation;
  if (w.idMemo.gen !== gen || w.idMemo.ids.size > 4096) w.idMemo = { gen, ids: new Map() };
  const had = w.idMemo.ids.get(abs);
  if (had !== undefined) return had;
  const id = lookUpIdentity(run, abs);
  w.idMemo.ids.set(abs, id);
  return id;
}

function lookUpIdentity(run: Run, abs: string): string[] | null {
  const w = run.writes;
  const out: string[] = [];
  const places = run.overlay.active ? run.overlay.physical(abs, true) : [{ path: abs, unknown: false }];
  for (const r of places) {
    if (r.unknown || r.path.includes(U)) return null;
    const plain = plainPath(r.path, run.home, w.cache);
    out.push(plain);
    // The disk does not change while the call is judged: each name is looked at once.
    let ino = w.inodes.get(plain);
    if (ino === undefined) {
      ino = null;
      try {
        const st = fs.statSync(plain, { throwIfNoEntry: false });
        if (st && st.nlink > 1 && !st.isDirectory()) ino = `#${st.dev}:${st.ino}`;
      } catch {
        // Not reachable: its name is all there is.
      }
      w.inodes.set(plain, ino);
    }
    if (ino !== null) out.push(ino);
  }
  return out;
}

/**
 * The identities a write event may reach: its name's, or for a name with an unknown part the
 * folder before that part (anything beneath it); null when it may be anywhere.
 */
function eventIds(run: Run, e: string): string[] | null {
  const cut = e.indexOf(U);
  if (cut < 0) return identity(run, e);
  const dir = e.slice(0, e.lastIndexOf('/', cut));
  return dir === '' ? null : identity(run, dir);
}

/** Whether `written` (identities of a write) reaches the file `read` (identities of a read): the same file, or a folder above it. */
function reaches(written: readonly string[] | Set<string>, read: readonly string[]): boolean {
  const has = (x: string): boolean => (written instanceof Set ? written.has(x) : written.includes(x));
  for (const r of read) {
    if (has(r)) return true;
    if (r.startsWith('#')) continue;
    for (let k = r.lastIndexOf('/'); k > 0; k = r.lastIndexOf('/', k - 1)) if (has(r.slice(0, k))) return true;
  }
  return false;
}

/** Whether an earlier command of this call may have written, made or moved `abs` (amortized O(1) per target when nothing was written). */
export function writtenInCall(fr: Frame, abs: string, literal = abs): boolean {
  const run = fr.run;
  const w = run.writes;
  syncWrites(run);
  if (w.unknown || w.paths.has(abs)) return true;
  if (w.list.length > 0) {
    for (; w.idSeen < w.list.length; w.idSeen++) {
      const id = identity(run, w.list[w.idSeen]!);
      if (!id) w.idUnknown = true;
      else for (const x of id) w.ids.add(x);
    }
    if (w.idUnknown) return true;
    const rid = identity(run, abs);
    if (rid === null || reaches(w.ids, rid)) return true;
  }
  // Read as it is now: unless it runs alongside a command that writes it (checked after the walk).
  if (fr.region) w.concurrent.push({ abs, region: fr.region, literal });
  return false;
}

/** Brings the write log up to the targets emitted so far. */
function syncWrites(run: Run): void {
  const w = run.writes;
  const ts = run.targets;
  for (; w.seen < ts.length; w.seen++) {
    const t = ts[w.seen]!;
    // `chmod +x t.sh`, `touch t.sh` change no text.
    if (t.op === 'read' || t.op === 'move-from' || METADATA.has(t.via)) continue;
    if (t.path.includes(U) || t.base.includes(U)) w.unknown = true;
    else {
      const p = physicalJoin(t.base, t.path);
      // A deletion leaves no text behind (what runs is the file as it is now, or nothing), nor does
      // `mkdir` (a folder made where none was holds nothing; `-p` over one changes nothing in it):
      // only the name itself counts, not what lies beneath it or is linked to it.
      w.paths.add(p);
      if (t.op !== 'delete' && t.via !== 'mkdir' && !w.listed.has(p)) {
        w.listed.add(p);
        w.list.push(p);
      }
      // A folder copied, extracted or moved there: what it holds is not known by name.
      if (t.beneath && t.op !== 'delete') w.folders.add(p);
    }
  }
}

/** Whether the call wrote any file so far, by a name known or not (cheap: no look-up on disk). */
export function hasWritten(fr: Frame): boolean {
  syncWrites(fr.run);
  return fr.run.writes.list.length > 0 || fr.run.writes.unknown;
}

/** A name the call wrote: where its links make it land, and whether the write filled a folder there. */
export interface WrittenFile {
  path: string;
  /** Null when a link leads somewhere not known: it may be any place. */
  places: string[] | null;
  folder: boolean;
}

/**
 * Every name the call wrote so far that is known in full (a write whose name is not known is an
 * unresolved target already) and that `candidate` keeps, with the places the call's links make it
 * reach (interp/module-loads.ts: files an interpreter may load as modules). `key` names the
 * candidate test: the names it kept are remembered for the call, so an interpreter run many times
 * after many writes looks at each name once per test, not once per run (which grew as the product
 * of the two: 1 MB of ordinary commands took seconds in this scan alone).
 */
export function writtenFiles(fr: Frame, key: string, candidate: (f: WrittenFile) => boolean): WrittenFile[] {
  const run = fr.run;
  syncWrites(run);
  const w = run.writes;
  // Each name's places are looked up once per call (as writtenInCall's identities are).
  for (let i = w.places.length; i < w.list.length; i++) {
    run.step();
    w.places.push(identity(run, w.list[i]!)?.filter((x) => !x.startsWith('#')) ?? null);
  }
  let m = w.matching.get(key);
  if (!m) w.matching.set(key, (m = { upTo: 0, hits: [] }));
  const file = (i: number): WrittenFile => ({ path: w.list[i]!, places: w.places[i]!, folder: w.folders.has(w.list[i]!) });
  for (; m.upTo < w.list.length; m.upTo++) {
    run.step();
    if (candidate(file(m.upTo))) m.hits.push(m.upTo);
  }
  return m.hits.map(file);
}

/** Whether an earlier write of the call may have reached a file beneath the folder `dir`. */
export function writtenBeneath(fr: Frame, dir: string): boolean {
  const run = fr.run;
  const did = identity(run, dir);
  if (!did) return true;
  for (const e of run.writes.events) {
    // Each write looked at is a step: reads times writes is bounded like the rest of the analysis.
    run.step();
    const eid = eventIds(run, e);
    if (!eid || eid.some((x) => did.some((d) => x === d || x.startsWith(`${d}/`)))) return true;
  }
  return false;
}

/**
 * Whether an earlier command of this call deleted or moved away `abs` (`rm -rf d && mv e d` renames
 * e to d: d is no longer a folder to move into).
 */
export function removedInCall(fr: Frame, abs: string): boolean {
  const w = fr.run.writes;
  const ts = fr.run.targets;
  for (; w.goneSeen < ts.length; w.goneSeen++) {
    const t = ts[w.goneSeen]!;
    if (t.op === 'delete' || t.op === 'move-from') w.gone.add(physicalJoin(t.base, t.path));
  }
  return w.gone.has(abs);
}

/**
 * The text a fresh file holds after the one statement that wrote it, when nothing since can have
 * changed it; undefined otherwise.
 */
export function knownText(fr: Frame, abs: string): string | undefined {
  const run = fr.run;
  const w = run.writes;
  const k = w.texts.get(abs);
  if (!k || fr.region) return undefined;
  const rid = identity(run, abs);
  if (!rid) return undefined;
  // Every write since, and every write of a job started before it (it may run later).
  for (let i = Math.min(k.at, w.bgFrom); i < w.events.length; i++) {
    run.step();
    const eid = eventIds(run, w.events[i]!);
    if (!eid || reaches(eid, rid)) return undefined;
  }
  return k.text;
}

/**
 * Before a statement's `> FILE`: whether the text written there can be known afterwards. The name
 * is known in full, no earlier command of the call wrote it, and the file does not exist yet.
 */
export function freshTarget(fr: Frame, abs: string): boolean {
  if (abs.includes(U) || fr.region) return false;
  if (writtenInCall(fr, abs)) return false;
  try {
    // An existing file keeps its old text when the write does not happen: a branch not taken
    // (`false && echo … > f`), an input redirection before it that fails, noclobber, a file not
    // writable. Only a file that does not exist yet is known: without the write, nothing runs.
    fs.lstatSync(abs);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/**
 * Whether what a statement prints is known exactly, whichever shell runs it: only the commands
 * whose output every shell agrees on. `cat` with standard input from a heredoc or here-string,
 * when `cat` is the system's program (found on the hook's own PATH, owned by root, not writable by
 * others); `echo` and `printf` without backslashes (bash's `xpg_echo`, dash's and zsh's echo read
 * them as escapes; printf may keep `\n` and `\t`), printf with a format of text, `%s` and `%%`
 * alone (precision, `\c`, `%b` differ); a block of such statements. None of them redefined by a
 * function or alias, and no `enable`, `hash` or PATH change in the call.
 */
export function knownOutput(st: Stmt, sc: Scope, fr: Frame, stdinText: boolean): boolean {
  const run = fr.run;
  const w = run.writes;
  if (w.producersChanged || st.Background || st.Coprocess || st.Negated) return false;
  const cmd = st.Cmd;
  if (!cmd) return false;
  if (cmd.type === 'Block') {
    const b = cmd as Sh.Block;
    return b.Stmts.every((s) => !!s && s.Redirs.length === 0 && knownOutput(s, sc, fr, false));
  }
  if (cmd.type !== 'CallExpr') return false;
  const ce = cmd as Sh.CallExpr;
  const name = ce.Args[0] ? litOf(ce.Args[0]) : '';
  if (ce.Assigns.length > 0 || !['cat', 'echo', 'printf'].includes(name) || isFunction(run, name)) return false;
  // As dispatch.ts expandAlias reads it: an alias is a known text other than U.
  const alias = sc.get(aliasKey(name));
  if (typeof alias === 'string' && alias !== U) return false;
  if (name === 'cat') return stdinText && ce.Args.length === 1 && systemProgram(run, sc, 'cat');
  // An unquoted glob may match, when it runs, a file the call made (`touch 'a;code'; echo a* > t.sh`).
  if (ce.Args.some((a) => a.Parts.some((p) => p.type === 'Lit' && /[*?[]/.test((p as Sh.Lit).Value)))) return false;
  // The words as written (the statement's text: its redirections hold no escapes that matter).
  const src = ce.Args.map((a) => fr.src.of(a)).join(' ');
  if (name === 'echo') return !src.includes('\\');
  const format = ce.Args[1] ? plainText(ce.Args[1]) ?? '' : '';
  return !src.replace(/\\[nt]/g, '').includes('\\') && format !== '' && !format.startsWith('-') && /^(?:[^%]|%s|%%)*$/.test(format);
}

/** Whether `name` on the call's PATH (unchanged from the hook's) is a program of the system. */
export function systemProgram(run: Run, sc: Scope, name: string): boolean {
  const w = run.writes;
  // The command's own PATH must be the hook's; without one, bash's default.
  const own = sc.assignedValue('PATH');
  if (own !== undefined && own !== w.path0) return false;
  const p = w.path0 ?? '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
  const hit = w.programs.get(name);
  if (hit !== undefined) return hit;
  let ok = false;
  for (const dir of p.split(':')) {
    // An empty or relative entry is the working directory: a repository's own `cat`.
    if (!dir.startsWith('/')) break;
    try {
      const real = fs.realpathSync(path.join(dir, name));
      const st = fs.statSync(real);
      const parent = fs.statSync(path.dirname(real));
      ok = st.isFile() && st.uid === 0 && (st.mode & 0o022) === 0 && parent.uid === 0 && (parent.mode & 0o022) === 0;
      break;
    } catch {
      // Not in this folder.
    }
  }
  w.programs.set(name, ok);
  return ok;
}

/** After the statement ran: its standard output went to the fresh file `abs`, written at event `at`. */
export function recordText(fr: Frame, abs: string, text: string, at: number): void {
  // Text with a part not known (a parameter of a function walked where it is defined) is not known.
  if (fr.region || text.includes(U)) return;
  fr.run.writes.texts.set(abs, { text, at });
}

/**
 * A shell reads its script as it runs it: text the script itself appends to its own file runs too
 * (`printf 'cat evil.sh >> t.sh\n' > t.sh; bash t.sh`). Its own writes are checked after the walk
 * like those of a command running alongside.
 */
export function readWhileRun(fr: Frame, abs: string, from: number, literal: string): void {
  const w = fr.run.writes;
  w.concurrent.push({ abs, region: { from, to: w.events.length }, literal });
}

/**
 * An interpreter that runs alongside other commands loads, by name, modules they may write while
 * it runs (`python3 -c 'import e' & printf … > e.py`): each write of its stretch for which `loads`
 * holds is checked after the walk, as a read of that file would be.
 */
export function readLoadsAlongside(fr: Frame, loads: (written: string) => boolean, literal: string): void {
  if (fr.region) fr.run.writes.concurrent.push({ abs: '', region: fr.region, literal, loads });
}

/**
 * After the walk: a file read by a command that runs alongside others while one of them writes
 * it (`sh f & echo … > f`, `sh f | tee f`) holds text the guard cannot know when it is read. Each
 * such read is a write of a target not known: blocked under `unknownTargets: deny`.
 */
export function checkConcurrentReads(run: Run): void {
  const w = run.writes;
  // The links are all made by now: each name's identities are looked up once.
  const seen = new Map<string, string[] | null>();
  const ids = (e: string): string[] | null => {
    if (!seen.has(e)) seen.set(e, eventIds(run, e));
    return seen.get(e)!;
  };
  for (const { abs, region, literal, loads } of w.concurrent) {
    const rid = loads ? [] : identity(run, abs);
    const to = Math.min(region.to, w.events.length);
    let overlaps = false;
    for (let i = region.from; i < to && !overlaps; i++) {
      run.step();
      const e = w.events[i]!;
      // An interpreter running alongside loads, by name, any module written meanwhile (readLoadsAlongside).
      if (loads) overlaps = e.includes(U) || loads(e) || (ids(e) ?? []).some(loads);
      else {
        const eid = ids(e);
        overlaps = !eid || !rid || reaches(eid, rid);
      }
    }
    if (overlaps) run.emit('write', { text: U, literal }, '/', 'a file read while the same command may rewrite it', true);
  }
}

/**
 * `fr` for a command that runs alongside others: inside a stretch already open, that stretch
 * (a pipeline ends after its stages, so an enclosing one covers them); else a new one from here,
 * which a pipeline closes when its last stage is walked and a background job never closes. A job
 * started inside a pipeline outlives it: its stretch starts with the pipeline's and stays open.
 */
export function alongside(fr: Frame, pipeline: boolean): Frame {
  const w = fr.run.writes;
  if (pipeline && fr.region) return fr;
  if (!pipeline && fr.region?.to === Infinity && fr.region.open) return fr;
  const from = fr.region?.from ?? w.events.length;
  if (!pipeline) w.bgFrom = Math.min(w.bgFrom, from);
  return { ...fr, region: { from, to: Infinity, open: !pipeline } };
}
