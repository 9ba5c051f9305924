// `find`: the files it deletes (-delete), hands to a command (-exec, -execdir, -ok, -okdir) or
// writes (-fprint, -fprint0, -fprintf, -fls). The start points are walked the way find walks them
// and the expression is evaluated on each entry. Name, type and depth are known; every other test
// (-mtime, -size, -newer...) may be true or false, so its entry counts as a match: the guard
// over-approximates rather than misses. What cannot be walked or parsed falls back to "everything
// beneath the start points" (delete) or an unknown file under them (commands).
import fs from 'node:fs';
import path from 'node:path';
import { walkBeneath } from '../../paths/walk.js';
import { U, joinPath, trimSlashes, type Frame } from './context.js';
import { EXEC, FILE_OUT, Unparsable, evaluate, planFind, startsOf, type Action, type Entry, type FindPlan, type Tri } from './find-expr.js';
import type { Scope } from './scope.js';
import type { Arg, Out } from './types.js';

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
export function runFind(args: Arg[], sc: Scope, fr: Frame, emit: Emit, exec: Exec): Out {
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
  const run = fr.run;
  let total = 0;
  let work = 0;
  /** False once the matches pass limits.maxFields: the caller falls back. */
  const visit = (p: string, x: Entry): boolean => {
    if (x.depth < plan.minDepth || x.depth > plan.maxDepth || !plan.expr) return true;
    work += plan.size + 1;
    if (work > 4096) {
      work = 0;
      run.opts.budget.check('shell analysis'); // entries x expression size: long for huge commands
    }
    const m = new Map<number, Tri>();
    evaluate(plan.expr, x, m, 1);
    for (const [id, v] of m) hits[id]!.push({ path: p, sure: v === 1 });
    total += m.size;
    return total <= run.limits.maxFields;
  };
  for (const start of complete ? plan.starts : []) {
    const shown = start.text;
    const abs = joinPath(sc.cwd, shown);
    let st: fs.Stats | undefined;
    try {
      st = fs.lstatSync(abs, { throwIfNoEntry: false });
      // A start point given as `link/` or `link/.`, or under -H, is the directory the link names.
      if (st?.isSymbolicLink() && (plan.followStarts || /\/\.?$/.test(shown))) st = fs.statSync(abs, { throwIfNoEntry: false });
    } catch {
      complete = false;
      break;
    }
    if (!st) continue;
    if (!visit(shown, { name: path.posix.basename(trimSlashes(shown)) || shown, kind: kindOf(st), depth: 0 })) {
      complete = false;
      break;
    }
    if (!st.isDirectory() || plan.maxDepth === 0) continue;
    const root = abs.endsWith('/') ? abs : `${abs}/`;
    const prefix = shown.endsWith('/') ? shown : `${shown}/`;
    const left = run.limits.maxWalk - run.walked;
    let seen = 0;
    const result = walkBeneath(abs, { maxEntries: left, budget: run.opts.budget }, (p, isDir, d) => {
      seen++;
      const rel = p.slice(root.length);
      const depth = rel.split('/').length;
      if (!visit(prefix + rel, { name: d.name, kind: kindOf(d), depth })) return true;
      return isDir && depth >= plan.maxDepth ? 'skip' : false;
    });
    run.walked += seen;
    if (result !== 'complete') complete = false;
  }
  run.opts.budget.check('shell analysis');
  if (!complete || total > run.limits.maxFields) return fallback(args, plan.starts, emit, exec, plan);
  let out: Out = plan.opaqueOutput ? null : '';
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
  const follows = args.some((a) => a.text === '-L' || a.text === '-follow');
  const unknownUnder = starts.map((s) => ({ text: `${trimSlashes(s.text)}/${U}`, literal: s.literal }));
  if (args.some((a) => a.text === '-delete')) {
    // Known start points are judged like `rm -r` (everything beneath is looked at); with links
    // followed, what lies beyond them is unknown.
    for (const s of starts) emit('delete', s, 'find -delete');
    if (follows) for (const u of unknownUnder) emit('delete', u, 'find -delete');
  }
  const execs = plan ? plan.actions.filter((a) => a.kind === 'exec') : [];
  if (!plan) {
    // Unparsed: every file operand of -fprint and friends, each -exec family command to its end.
    for (let i = 0; i < args.length; i++) {
      const t = args[i]!.text;
      if ((FILE_OUT.has(t) || t === '-fprintf') && args[i + 1]) emit('write', args[i + 1]!, 'find');
      if (!EXEC.has(t)) continue;
      const argv: Arg[] = [];
      for (i++; i < args.length && args[i]!.text !== ';' && !(args[i]!.text === '+' && argv.at(-1)?.text === '{}'); i++) argv.push(args[i]!);
      if (argv.length) execs.push({ kind: 'exec', argv, batch: false, dir: t.endsWith('dir') });
    }
  }
  for (const a of execs) {
    // -execdir runs somewhere beneath a start point: its relative operands are unknown too.
    for (const u of unknownUnder) {
      const argv = a.argv.map((arg) => (arg.text.includes('{}') ? { text: arg.text.split('{}').join(a.dir ? `./${U}` : u.text), literal: arg.literal } : arg));
      exec(argv, a.dir ? u.text : undefined);
    }
  }
  return null;
}
