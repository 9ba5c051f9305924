// Where `cd` and `pushd` really take the shell, as bash's cd_builtin does it: CDPATH first (for
// names not starting with `/`, `.` or `..`), then the operand; logically (`$PWD/a/..` is `$PWD`,
// the default and `-L`) unless `-P` or `set -P`; a logical path that does not exist falls back to
// the physical one (the kernel's: `..` after a link is the parent of its target); with
// `shopt -s cdable_vars` a name that is no directory is taken as a variable holding one.
// Directories that may or may not exist (made by earlier commands, or not) keep every place the
// shell may be in as alternatives (Places); where the answer is unknown, the cwd is unknown.
import { isDirectory } from '../../paths/walk.js';
import { joinPath, physicalJoin, U, type Frame } from './context.js';
import { parseOpts } from './options.js';
import { UNSET, type Scope, type Val } from './scope.js';
import type { Arg, Assigns, Out } from './types.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const str = (v: Val): string => (v === UNSET ? U : v);

type State = 'yes' | 'no' | 'maybe';

/** Is `p` a directory once the earlier commands ran: surely, surely not, or perhaps? */
function dirState(p: string, fr: Frame): State {
  if (p.includes(U)) return 'maybe';
  if (!fr.run.overlay.isDir(p, true)) return 'no';
  return isDirectory(p) ? 'yes' : 'maybe';
}

/**
 * Whether bash's logical `cd` reaches `text` from `cwd`: it folds `a/..` away only when `a` is a
 * directory (`cd sub/missing/..` fails, although `sub` exists), so every prefix before a `..`
 * must be one, and so must the end.
 */
function logicalState(cwd: string, text: string, fr: Frame): State {
  let cur = text.startsWith('/') ? '/' : cwd;
  let state: State = 'yes';
  for (const part of text.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      const d = dirState(cur, fr);
      if (d === 'no') return 'no';
      if (d === 'maybe') state = 'maybe';
    }
    cur = joinPath(cur, part);
  }
  const end = dirState(cur, fr);
  return end === 'yes' ? state : end;
}

/** Where the kernel lands for `text` from `cwd` (links and then `..`): each alternative, U for unknown ones. */
function physicalPlaces(cwd: string, text: string, fr: Frame): string[] {
  const joined = physicalJoin(cwd, text);
  if (joined.includes(U)) return [joined];
  return fr.run.overlay.physical(joined, true).map((r) => (r.unknown ? U : r.path));
}

/** The places one `chdir` attempt at `text` may reach; empty when it surely fails. */
function attempt(cwd: string, text: string, physical: boolean, fr: Frame): { places: string[]; state: State } {
  if (cwd.includes(U) || text.includes(U)) return { places: [joinPath(cwd, text)], state: 'maybe' };
  const logical = joinPath(cwd, text);
  const dotdot = text.split('/').includes('..');
  const state = dotdot ? logicalState(cwd, text, fr) : dirState(logical, fr);
  if (physical) {
    // `cd -P` leaves PWD physical: a later `cd ..` starts from the link's target.
    const phys = physicalPlaces(cwd, text, fr);
    const pstate = dotdot ? dirState(physicalJoin(cwd, text), fr) : state;
    return { places: pstate === 'no' ? [] : phys, state: pstate };
  }
  if (!dotdot) return { places: state === 'no' ? [] : [logical], state };
  // Logical first; when that directory is not there, bash tries the operand as written.
  if (state === 'yes') return { places: [logical], state };
  const pstate = dirState(physicalJoin(cwd, text), fr);
  const phys = pstate === 'no' ? [] : physicalPlaces(cwd, text, fr);
  const places = state === 'maybe' ? [logical, ...phys] : phys;
  return { places, state: state === 'maybe' || pstate === 'maybe' ? 'maybe' : pstate };
}

/** Values of CDPATH as far as known: each a list of entries; null when unknown. */
function cdpaths(sc: Scope, assigns: Readonly<Assigns>): string[][] | null {
  const own = [...assigns].reverse().find(([n]) => n === 'CDPATH');
  const v = own ? own[1] : sc.get('CDPATH');
  if (v === UNSET) return [];
  if (!v.includes(U)) return v === '' ? [] : [v.split(':')];
  const alts = own ? undefined : sc.alts('CDPATH');
  if (!alts) return null;
  return alts.map((a) => (a === '' ? [] : a.split(':')));
}

/**
 * The places `cd text` (or `pushd text`) may leave the shell in, and whether it may fail (the
 * shell then stays). `physical`: `-P`, or `set -P` perhaps in force.
 */
export function cdPlaces(sc: Scope, text: string, physical: boolean, fr: Frame, assigns: Readonly<Assigns> = []): { places: string[]; mayFail: boolean } {
  const cwd = sc.cwd;
  const places: string[] = [];
  // Only a cd that surely reaches a directory surely succeeds: one that may (a folder an earlier
  // step perhaps made, a cwd already in doubt) may also fail and leave the shell where it was.
  let sure = false;
  const add = (r: { places: string[]; state: State }): void => {
    places.push(...r.places);
    if (r.state === 'yes') sure = true;
  };
  // CDPATH applies to names, not to `/x`, `.`, `..`, `./x`, `../x`.
  if (!text.startsWith('/') && !/^\.\.?(\/|$)/.test(text)) {
    const lists = cdpaths(sc, assigns);
    if (lists === null) {
      places.push(U);
    } else {
      // Each value CDPATH may have: its first directory that exists wins.
      let allSure = lists.length > 0;
      for (const list of lists) {
        let hit = false;
        for (const e of list) {
          const base = e === '' ? cwd : joinPath(cwd, e);
          const r = attempt(base, text, physical, fr);
          if (r.state === 'no') continue;
          places.push(...r.places);
          if (r.state === 'yes') {
            hit = true;
            break;
          }
        }
        if (!hit) allSure = false;
      }
      if (allSure) return { places, mayFail: false };
    }
  }
  add(attempt(cwd, text, physical, fr));
  // cdable_vars: a name that is no directory may be a variable holding one.
  if (!sure && fr.run.cdableVars && NAME.test(text)) {
    const v = sc.get(text);
    const values = v === UNSET ? [] : v.includes(U) ? sc.alts(text) ?? [U] : [v];
    for (const val of values) {
      if (val === '') continue;
      if (val.includes(U)) places.push(U);
      else add(attempt(cwd, val, physical, fr));
    }
  }
  return { places, mayFail: !sure };
}

function chdir(sc: Scope, next: string): void {
  sc.set('OLDPWD', sc.cwd);
  sc.cwd = next;
  sc.set('PWD', next);
}

/** Moves `sc` to what cdPlaces found; false when the command surely fails. */
function go(sc: Scope, text: string, physical: boolean, fr: Frame, assigns: Readonly<Assigns> = []): boolean {
  const from = sc.cwd;
  const r = cdPlaces(sc, text, physical, fr, assigns);
  if (r.places.length === 0) {
    // Surely fails today; but it is not proven that nothing makes it later (a loop, a function).
    chdir(sc, joinPath(from, text));
    sc.cdMayFail = from;
    return true;
  }
  chdir(sc, [...new Set(r.places)].length === 1 ? r.places[0]! : fr.run.places.of([...new Set(r.places)]));
  // A folder that does not exist (yet) may still be missing when cd runs: it fails and the shell
  // stays where it was (`cd x; echo > f` writes ./f). Settled by the statement list (walk.ts).
  if (r.mayFail) sc.cdMayFail = from;
  return true;
}

/** `-L`/`-P` given to cd: the last one wins; `set -P` makes physical the default. */
function physicalOpt(args: Arg[], fr: Frame): { physical: boolean; operand: Arg | undefined } {
  const p = parseOpts(args, { posix: true });
  let physical = fr.run.physicalCd;
  for (const o of p.opts) {
    if (o.name === 'P') physical = true;
    if (o.name === 'L') physical = false;
  }
  return { physical, operand: p.operands[0] };
}

export const cd = (args: Arg[], sc: Scope, fr: Frame, assigns: Readonly<Assigns> = []): Out => {
  const { physical, operand: d } = physicalOpt(args, fr);
  if (d?.text === '') return '';
  if (!d) {
    const home = str(sc.get('HOME'));
    go(sc, home, physical, fr);
    return '';
  }
  if (d.text === '-') {
    chdir(sc, str(sc.get('OLDPWD')));
    return null;
  }
  go(sc, d.text, physical, fr, assigns);
  return sc.cwd.includes(U) ? null : '';
};

export const pushd = (args: Arg[], sc: Scope, fr: Frame, assigns: Readonly<Assigns> = []): Out => {
  const rotate = args.some((a) => /^[+-]\d+$/.test(a.text));
  const noCd = args.some((a) => a.text === '-n');
  const d = parseOpts(args.filter((a) => !/^[+-]\d+$/.test(a.text) && a.text !== '-n'), { posix: true }).operands[0];
  if (rotate) {
    sc.cwd = U;
    sc.dirs = undefined;
  } else if (!d) {
    // No operand: swap the two top directories.
    const top = sc.dirs;
    if (top) {
      sc.dirs = { dir: sc.cwd, next: top.next };
      chdir(sc, top.dir);
    } else if (top === undefined) chdir(sc, U);
  } else if (noCd) {
    sc.dirs = { dir: joinPath(sc.cwd, d.text), next: sc.dirs };
  } else {
    sc.dirs = { dir: sc.cwd, next: sc.dirs };
    go(sc, d.text, fr.run.physicalCd, fr, assigns);
  }
  return null;
};

export const popd = (args: Arg[], sc: Scope): Out => {
  const top = sc.dirs;
  if (args.some((a) => /^[+-]\d+$/.test(a.text)) || top === undefined) {
    chdir(sc, U);
    sc.dirs = undefined;
  } else if (top) {
    sc.dirs = top.next;
    if (!args.some((a) => a.text === '-n')) chdir(sc, top.dir);
  }
  return null;
};

/** `dirs -c` empties the stack; other forms only print it. */
export const dirs = (args: Arg[], sc: Scope): Out => {
  if (args.some((a) => a.text === '-c')) sc.dirs = null;
  return null;
};
