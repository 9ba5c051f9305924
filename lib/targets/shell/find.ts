// `find`: the files it deletes (-delete), hands to a command (-exec, -execdir, -ok, -okdir) or
// writes (-fprint, -fprint0, -fprintf, -fls). The start points are walked the way find walks them
// and the expression is evaluated on each entry. Name, type and depth are known; every other test
// (-mtime, -size, -newer...) may be true or false, so its entry counts as a match: the guard
// over-approximates rather than misses. What cannot be walked or parsed falls back to "everything
// beneath the start points" (delete) or an unknown file under them (commands).
import fs from 'node:fs';
import path from 'node:path';
import { Minimatch } from 'minimatch';
import { walkBeneath } from '../../paths/walk.js';
import { U, joinPath, trimSlashes, type Arg, type Env } from './context.js';
import type { Scope } from './scope.js';
import type { Out } from './walk.js';

/** false, true, or "may be either" (a test the guard cannot evaluate). */
type Tri = 0 | 1 | 2;
type Action =
  | { kind: 'delete' }
  | { kind: 'exec'; argv: Arg[]; batch: boolean; dir: boolean }
  | { kind: 'print'; sep: string };
type Expr =
  | { op: 'and' | 'or' | 'comma'; a: Expr; b: Expr }
  | { op: 'not'; a: Expr }
  | { op: 'test'; eval: (e: Entry) => Tri }
  | { op: 'action'; id: number; value: Tri };

interface Entry { name: string; kind: string; depth: number }

export interface FindPlan {
  starts: Arg[];
  expr: Expr | undefined;
  actions: Action[];
  /** Files written by -fprint and friends, whatever matches. */
  writes: Arg[];
  minDepth: number;
  maxDepth: number;
}

const ZERO = new Set(['-print', '-print0', '-ls', '-prune', '-quit', '-true', '-false', '-empty', '-readable',
  '-writable', '-executable', '-nouser', '-nogroup', '-depth', '-d', '-xdev', '-mount', '-noleaf', '-follow',
  '-daystart', '-warn', '-nowarn', '-ignore_readdir_race', '-noignore_readdir_race', '-delete']);
const ONE = new Set(['-name', '-iname', '-path', '-ipath', '-wholename', '-iwholename', '-lname', '-ilname', '-regex',
  '-iregex', '-type', '-xtype', '-size', '-mtime', '-atime', '-ctime', '-mmin', '-amin', '-cmin', '-newer', '-anewer',
  '-cnewer', '-user', '-group', '-uid', '-gid', '-perm', '-links', '-inum', '-samefile', '-maxdepth', '-mindepth',
  '-fstype', '-used', '-regextype', '-context', '-printf', '-fprint', '-fprint0', '-fls', '-files0-from']);
const EXEC = new Set(['-exec', '-execdir', '-ok', '-okdir']);

class Unparsable extends Error {}

/** The start points (`.` when none) and where the expression begins. */
function startsOf(args: Arg[]): { starts: Arg[]; i: number } {
  let i = 0;
  for (; i < args.length; i++) {
    const t = args[i]!.text;
    if (t === '-D') i++;
    else if (!/^-([HLP]|O\d*)$/.test(t)) break;
  }
  const starts: Arg[] = [];
  for (; i < args.length; i++) {
    const t = args[i]!.text;
    if ((t.startsWith('-') && t !== '-') || t === '(' || t === '!' || t === ',') break;
    starts.push(args[i]!);
  }
  return { starts: starts.length > 0 ? starts : [{ text: '.', literal: '.' }], i };
}

/** Splits `find [-H|-L|-P] [-D x] [-Olevel] [start...] [expression]`; throws Unparsable. */
export function planFind(args: Arg[]): FindPlan {
  if (args.some((a) => a.text === '-L' || a.text === '-follow')) throw new Unparsable(); // links followed: not walked here
  const { starts, i } = startsOf(args);
  const plan: FindPlan = { starts, expr: undefined, actions: [], writes: [], minDepth: 0, maxDepth: Infinity };
  const toks = args.slice(i);
  let k = 0;
  const peek = (): string | undefined => toks[k]?.text;
  const primary = (): Expr => {
    const tok = toks[k++];
    if (!tok) throw new Unparsable();
    const t = tok.text;
    if (t === '(') {
      const e = comma();
      if (toks[k++]?.text !== ')') throw new Unparsable();
      return e;
    }
    if (t === '!' || t === '-not') return { op: 'not', a: primary() };
    if (EXEC.has(t)) return execAction(t);
    if (ZERO.has(t)) return zero(t);
    if (!ONE.has(t)) throw new Unparsable();
    const v = toks[k++];
    if (!v) throw new Unparsable();
    return one(t, v);
  };
  const execAction = (t: string): Expr => {
    const argv: Arg[] = [];
    for (let tok = toks[k++]; ; tok = toks[k++]) {
      if (!tok) throw new Unparsable();
      if (tok.text === ';') break;
      if (tok.text === '+' && argv.at(-1)?.text === '{}') {
        plan.actions.push({ kind: 'exec', argv, batch: true, dir: t.endsWith('dir') });
        return { op: 'action', id: plan.actions.length - 1, value: 1 };
      }
      argv.push(tok);
    }
    if (argv.length === 0) throw new Unparsable();
    plan.actions.push({ kind: 'exec', argv, batch: false, dir: t.endsWith('dir') });
    return { op: 'action', id: plan.actions.length - 1, value: 2 }; // the command's exit status
  };
  const zero = (t: string): Expr => {
    if (t === '-delete' || t === '-print' || t === '-print0') {
      plan.actions.push(t === '-delete' ? { kind: 'delete' } : { kind: 'print', sep: t === '-print' ? '\n' : '\0' });
      return { op: 'action', id: plan.actions.length - 1, value: 1 };
    }
    if (t === '-false') return { op: 'test', eval: () => 0 };
    const known = ['-true', '-ls', '-prune', '-quit', '-depth', '-d', '-xdev', '-mount', '-noleaf', '-follow', '-daystart',
      '-warn', '-nowarn', '-ignore_readdir_race', '-noignore_readdir_race'];
    return { op: 'test', eval: known.includes(t) ? () => 1 : () => 2 };
  };
  const one = (t: string, v: Arg): Expr => {
    if (t === '-maxdepth' || t === '-mindepth') {
      const n = /^\d+$/.test(v.text) ? Number(v.text) : NaN;
      if (!Number.isSafeInteger(n)) throw new Unparsable();
      if (t === '-maxdepth') plan.maxDepth = n;
      else plan.minDepth = n;
      return { op: 'test', eval: () => 1 };
    }
    if (t === '-fprint' || t === '-fprint0' || t === '-fls') plan.writes.push(v);
    if (t === '-printf' || t === '-fprint' || t === '-fprint0' || t === '-fls' || t === '-regextype') return { op: 'test', eval: () => 1 };
    if (t === '-files0-from') plan.starts = [{ text: U, literal: v.literal }];
    if ((t === '-name' || t === '-iname') && !v.text.includes(U)) {
      // fnmatch without FNM_PERIOD: `*` matches a leading dot, even the start point `.` itself,
      // which minimatch never matches with a wildcard. A common first character sidesteps that.
      const mm = new Minimatch(`_${v.text}`, { dot: true, nobrace: true, noext: true, noglobstar: true, nocomment: true, nonegate: true, nocase: t === '-iname' });
      return { op: 'test', eval: (e) => (v.text.includes('/') ? 0 : mm.match(`_${e.name}`) ? 1 : 0) };
    }
    if (t === '-type' && /^[fdlpscb](,[fdlpscb])*$/.test(v.text)) {
      const kinds = v.text.split(',');
      return { op: 'test', eval: (e) => (kinds.includes(e.kind) ? 1 : 0) };
    }
    return { op: 'test', eval: () => 2 };
  };
  const and = (): Expr => {
    let e = primary();
    for (let t = peek(); t !== undefined && t !== ')' && t !== ',' && t !== '-o' && t !== '-or'; t = peek()) {
      if (t === '-a' || t === '-and') k++;
      e = { op: 'and', a: e, b: primary() };
    }
    return e;
  };
  const or = (): Expr => {
    let e = and();
    while (peek() === '-o' || peek() === '-or') {
      k++;
      e = { op: 'or', a: e, b: and() };
    }
    return e;
  };
  const comma = (): Expr => {
    let e = or();
    while (peek() === ',') {
      k++;
      e = { op: 'comma', a: e, b: or() };
    }
    return e;
  };
  if (toks.length > 0) {
    plan.expr = comma();
    if (k < toks.length) throw new Unparsable();
  }
  // No action but -prune: find prints what the expression is true for.
  if (!plan.actions.some((a) => a.kind !== 'print')) {
    if (plan.actions.length === 0) {
      plan.actions.push({ kind: 'print', sep: '\n' });
      const act: Expr = { op: 'action', id: 0, value: 1 };
      plan.expr = plan.expr ? { op: 'and', a: plan.expr, b: act } : act;
    }
  }
  return plan;
}

/**
 * The expression's value for one entry (Kleene logic), noting in `hits` each action it reaches:
 * 1 when surely reached, 2 when only maybe (behind a test the guard cannot evaluate).
 */
function evaluate(e: Expr, x: Entry, hits: Map<number, Tri>, reach: 1 | 2): Tri {
  switch (e.op) {
    case 'test':
      return e.eval(x);
    case 'action':
      hits.set(e.id, reach);
      return e.value;
    case 'not': {
      const v = evaluate(e.a, x, hits, reach);
      return v === 2 ? 2 : v === 1 ? 0 : 1;
    }
    case 'comma':
      evaluate(e.a, x, hits, reach);
      return evaluate(e.b, x, hits, reach);
    case 'and': {
      const a = evaluate(e.a, x, hits, reach);
      if (a === 0) return 0;
      const b = evaluate(e.b, x, hits, a === 1 ? reach : 2);
      return a === 1 || b === 0 ? b : 2;
    }
    case 'or': {
      const a = evaluate(e.a, x, hits, reach);
      if (a === 1) return 1;
      const b = evaluate(e.b, x, hits, a === 0 ? reach : 2);
      return a === 0 || b === 1 ? b : 2;
    }
  }
}

function kindOf(d: fs.Dirent | fs.Stats): string {
  if (d.isFile()) return 'f';
  if (d.isDirectory()) return 'd';
  if (d.isSymbolicLink()) return 'l';
  if (d.isFIFO()) return 'p';
  if (d.isSocket()) return 's';
  if (d.isCharacterDevice()) return 'c';
  return d.isBlockDevice() ? 'b' : '?';
}

type Emit = (op: 'delete' | 'write', a: Arg, via: string) => void;
/** Runs a command line; `dir` is the directory it runs in (-execdir), else the shell's. */
type Exec = (argv: Arg[], dir?: string) => void;

/** Runs the plan against the file system: emits targets, runs -exec commands; returns the output. */
export function runFind(args: Arg[], sc: Scope, env: Env, emit: Emit, exec: Exec): Out {
  let plan: FindPlan;
  try {
    plan = planFind(args);
  } catch (e) {
    if (!(e instanceof Unparsable)) throw e;
    return fallback(args, startsOf(args).starts, emit, exec);
  }
  for (const w of plan.writes) emit('write', w, 'find');
  const hits = plan.actions.map(() => [] as { path: string; sure: boolean }[]);
  let complete = !plan.starts.some((s) => s.text.includes(U) || sc.cwd.includes(U));
  const run = env.run;
  for (const start of complete ? plan.starts : []) {
    const shown = start.text;
    const abs = joinPath(sc.cwd, shown);
    const visit = (p: string, x: Entry): void => {
      if (x.depth < plan.minDepth || x.depth > plan.maxDepth || !plan.expr) return;
      const m = new Map<number, Tri>();
      evaluate(plan.expr, x, m, 1);
      for (const [id, v] of m) hits[id]!.push({ path: p, sure: v === 1 });
    };
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(abs, { throwIfNoEntry: false });
    } catch {
      complete = false;
      break;
    }
    if (!st) continue;
    visit(shown, { name: path.posix.basename(trimSlashes(shown)) || shown, kind: kindOf(st), depth: 0 });
    if (!st.isDirectory() || plan.maxDepth === 0) continue;
    const root = abs.endsWith('/') ? abs : `${abs}/`;
    const prefix = shown.endsWith('/') ? shown : `${shown}/`;
    const left = run.limits.maxWalk - run.walked;
    let seen = 0;
    const result = walkBeneath(abs, { maxEntries: left, budget: run.opts.budget }, (p, isDir, d) => {
      seen++;
      const rel = p.slice(root.length);
      const depth = rel.split('/').length;
      visit(prefix + rel, { name: d.name, kind: kindOf(d), depth });
      return isDir && depth >= plan.maxDepth ? 'skip' : false;
    });
    run.walked += seen;
    if (result !== 'complete') complete = false;
  }
  run.opts.budget.check('shell analysis');
  const total = hits.reduce((n, h) => n + h.length, 0);
  if (!complete || total > run.limits.maxFields) return fallback(args, plan.starts, emit, exec, plan);
  let out: Out = '';
  plan.actions.forEach((a, id) => {
    const h = hits[id]!;
    if (a.kind === 'delete') for (const x of h) emit('delete', { text: x.path, literal: x.path }, 'find -delete');
    else if (a.kind === 'exec') execOn(a, h.map((x) => x.path), exec);
    else if (out !== null) out = h.every((x) => x.sure) ? out + h.map((x) => x.path + a.sep).join('') : null;
  });
  return out;
}

function execOn(a: Extract<Action, { kind: 'exec' }>, paths: string[], exec: Exec): void {
  if (paths.length === 0) return;
  const sub = (arg: Arg, p: string): Arg => (arg.text.includes('{}') ? { text: arg.text.split('{}').join(p), literal: arg.literal } : arg);
  if (a.batch && !a.dir) {
    exec([...a.argv.slice(0, -1), ...paths.map((p) => ({ text: p, literal: p }))]);
    return;
  }
  for (const p of paths) {
    // -execdir runs in the entry's directory, with `{}` as ./name.
    const slash = p.lastIndexOf('/');
    if (a.dir && slash >= 0) exec(a.argv.map((arg) => sub(arg, `./${p.slice(slash + 1)}`)), p.slice(0, slash) || '/');
    else exec(a.argv.map((arg) => sub(arg, p)));
  }
}

/**
 * Not walked (unknown start, a walk cut short, an expression not understood, too many matches):
 * -delete counts as deleting each start point with everything beneath it, and commands get an
 * unknown file beneath a start point.
 */
function fallback(args: Arg[], starts: Arg[], emit: Emit, exec: Exec, plan?: FindPlan): Out {
  const pts = starts.length ? starts : [{ text: '.', literal: '.' }];
  // Known start points are judged like `rm -r` (everything beneath is looked at).
  if (args.some((a) => a.text === '-delete')) for (const s of pts) emit('delete', s, 'find -delete');
  const unknownUnder = pts.map((s) => `${trimSlashes(s.text)}/${U}`);
  const execs = plan ? plan.actions.filter((a) => a.kind === 'exec') : [];
  if (!plan) {
    // Unparsed: each -exec family command up to its terminator.
    for (let i = 0; i < args.length; i++) {
      if (!EXEC.has(args[i]!.text)) continue;
      const argv: Arg[] = [];
      for (i++; i < args.length && args[i]!.text !== ';' && args[i]!.text !== '+'; i++) argv.push(args[i]!);
      if (argv.length) execs.push({ kind: 'exec', argv, batch: false, dir: false });
    }
  }
  for (const a of execs) execOn({ ...a, batch: false }, unknownUnder, exec);
  return null;
}
