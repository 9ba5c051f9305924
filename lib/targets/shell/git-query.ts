// Asking git itself which files a command would touch, through an injected function: the core
// never starts a process (the hook layer gives `GitQuery`, hooks/git-query.ts). Every question is
// read-only plumbing whose argv is built here from parsed options, never from the user's text
// (their pathspecs go after `--`, their revisions are resolved to an object id first), with the
// settings through which a repository makes git run programs switched off. An answer is only
// used when it describes the state the command will meet: the git command must be the only one
// of the call that can change the repository (see `quietCall`). Anything else (no query given,
// git missing, slow, failing, too much output) returns undefined: the caller keeps its
// conservative answer.
import { U, type Frame, type Run } from './context.js';
import { litOf, visit, type BinaryCmd, type CallExpr, type Node, type Stmt } from './ast.js';
import { shellParser } from './parse.js';
import type { GitAnswer } from './types.js';

export type { GitAnswer, GitQuery, GitQueryOption, GitQueryRequest } from './types.js';

/** Longest one question may take, all questions of one call together, and time kept for the rest. */
const PER_QUERY_MS = 1000;
const TOTAL_MS = 2000;
const RESERVE_MS = 300;
const MAX_BYTES = 4 * 1024 * 1024;
/** Drivers a repository may define before the guard stops asking (each is one more `-c`). */
const MAX_DRIVERS = 64;

/**
 * Settings that make read-only commands run programs or write: fsmonitor (runs on every index
 * read), hooks, external diff, every transport (a partial clone fetches missing objects: ssh,
 * credential and remote helpers, proxies), optional index writes (untracked cache). `submodule.recurse`
 * is left alone: the listing below must show the repository's own value. Command-line
 * settings win over every config file. Filter and diff drivers are named by the repository, so
 * they are read from its config and switched off one by one (`driverOverrides`).
 */
export const SAFE_SETTINGS: readonly string[] = [
  'core.fsmonitor=false', 'core.useBuiltinFSMonitor=false', 'core.hooksPath=/dev/null', 'core.untrackedCache=false',
  'core.quotePath=false', 'core.pager=cat', 'core.sshCommand=', 'core.gitProxy=', 'core.askPass=',
  'core.alternateRefsCommand=', 'diff.external=', 'credential.helper=', 'protocol.allow=never',
];

/** Per-call state: time spent asking, repositories already set up. */
interface State {
  spent: number;
  /** git commands analyzed so far in this call (through wrappers, xargs, aliases too). */
  gits: number;
  askers: Map<string, Asker | null>;
  quiet?: boolean;
}
const states = new WeakMap<Run, State>();
function stateOf(run: Run): State {
  let s = states.get(run);
  if (!s) states.set(run, (s = { spent: 0, gits: 0, askers: new Map() }));
  return s;
}

export interface Asker {
  /** Standard output of `git <safe settings> <repo options> ...args` when it exits 0. */
  ask(args: string[]): string | undefined;
  /** Top of the working tree, as git sees it (asked once, when first needed). */
  top(): string | undefined;
  /** The repository's config sets `submodule.recurse`: commands may rewrite submodule trees too. */
  recurse: boolean;
}

/**
 * An asker for git run in `cwd` with `repoArgs` (`--git-dir=`, `--work-tree=`, pathspec flags),
 * or undefined when no query is given, the directory is unknown, or the repository cannot be set
 * up (not a repository, a bare one, git failing, settings that cannot be neutralized).
 */
export function asker(run: Run, cwd: string, repoArgs: readonly string[]): Asker | undefined {
  const opt = run.opts.git;
  if (!opt || cwd.includes(U) || repoArgs.some((a) => a.includes(U))) return undefined;
  const st = stateOf(run);
  const key = [cwd, ...repoArgs].join('\0');
  const known = st.askers.get(key);
  if (known !== undefined) return known ?? undefined;
  const call = (argv: string[]): string | undefined => {
    const left = Math.min(PER_QUERY_MS, TOTAL_MS - st.spent, run.opts.budget.deadline - Date.now() - RESERVE_MS);
    if (left < 50) return undefined;
    const start = Date.now();
    let res: GitAnswer | undefined;
    try {
      res = opt.query({ argv, cwd, env: opt.env, timeoutMs: left, maxBytes: MAX_BYTES });
    } catch {
      res = undefined; // an implementation that throws is one that failed
    }
    st.spent += Date.now() - start;
    return res && res.status === 0 ? res.stdout : undefined;
  };
  const base = [...SAFE_SETTINGS.flatMap((s) => ['-c', s]), '--no-pager', '--no-optional-locks', ...repoArgs];
  // The config is listed first (a listing runs nothing): its drivers are switched off in every later question.
  const listed = call([...base, 'config', '-z', '--list']);
  const drivers = listed === undefined ? undefined : driverOverrides(listed);
  let made: Asker | null = null;
  if (drivers) {
    const full = [...drivers.settings.flatMap((s) => ['-c', s]), ...base];
    let top: string | null | undefined;
    made = {
      recurse: drivers.recurse,
      ask: (args) => call([...full, ...args]),
      top: () => {
        if (top === undefined) {
          const t = call([...full, 'rev-parse', '--show-toplevel'])?.replace(/\n$/, '');
          top = t && !t.includes('\n') && t.startsWith('/') ? t : null;
        }
        return top ?? undefined;
      },
    };
  }
  st.askers.set(key, made);
  return made ?? undefined;
}

/** `-c` settings that switch off every filter and diff driver the config names; undefined when one cannot be named. */
export function driverOverrides(listing: string): { settings: string[]; recurse: boolean } | undefined {
  const names = { filter: new Set<string>(), diff: new Set<string>() };
  let recurse = false;
  for (const entry of listing.split('\0')) {
    if (entry === '') continue;
    const nl = entry.indexOf('\n');
    const key = nl < 0 ? entry : entry.slice(0, nl);
    const value = nl < 0 ? 'true' : entry.slice(nl + 1);
    const m = /^(filter|diff)\.(.+)\.(clean|smudge|process|required|textconv|command|cachetextconv)$/.exec(key);
    if (m) {
      // A name `-c` cannot carry (`=` ends the key) or a flood of drivers: do not ask.
      if (m[2]!.includes('=') || m[2]!.includes('\n')) return undefined;
      names[m[1] as 'filter' | 'diff'].add(m[2]!);
    } else if (key === 'submodule.recurse') recurse = !/^(false|no|off|0|)$/i.test(value.trim());
  }
  if (names.filter.size + names.diff.size > MAX_DRIVERS) return undefined;
  const settings: string[] = [];
  for (const n of names.filter) settings.push(`filter.${n}.clean=`, `filter.${n}.smudge=`, `filter.${n}.process=`, `filter.${n}.required=false`);
  for (const n of names.diff) settings.push(`diff.${n}.textconv=`, `diff.${n}.command=`);
  return { settings, recurse };
}

/** Counts a git command of this call; returns how many there were, this one included. */
export function countGit(run: Run): number {
  return ++stateOf(run).gits;
}

/**
 * Commands that change nothing git reads (the only ones allowed before or beside the git command
 * asked about). Not `printf` (`-v` assigns a variable), not `read`.
 */
const QUIET = new Set(['cd', 'pushd', 'popd', 'pwd', 'echo', 'true', 'false', ':', 'test', '[', 'ls', 'cat', 'head', 'tail', 'wc']);

/**
 * Whether git's answer, given now, holds when the command runs: up to and including the git
 * command, the call is a flat list (`a && b`, `a || b`, `a; b`, pipelines) of simple commands with
 * no functions, loops, background jobs or declarations, no output redirection but to /dev/null
 * or a descriptor, and every command before git (or beside it in a pipeline) is one that changes
 * nothing; no substitutions anywhere, and exactly one git command in the whole call. Anything an
 * earlier command (or a loop's earlier round) does to refs, the index or the tree would make the
 * answer stale, so such calls keep the conservative answer. Only for the top-level text.
 */
export function quietCall(fr: Frame): boolean {
  if (fr.depth !== 0) return false;
  const st = stateOf(fr.run);
  if (st.quiet === undefined) {
    try {
      st.quiet = flatPrefix(fr.src.text);
    } catch {
      st.quiet = false;
    }
  }
  return st.quiet;
}

function flatPrefix(text: string): boolean {
  const { ops, parse } = shellParser();
  const file = parse(text);
  let gits = 0;
  let subst = false;
  visit(file, (n: Node) => {
    if (n.type === 'CmdSubst' || n.type === 'ProcSubst') subst = true;
    if (n.type === 'CallExpr' && litOf((n as CallExpr).Args[0]) === 'git') gits++;
    return !subst;
  });
  if (subst || gits !== 1) return false;
  /** Calls in the order they start; `piped`: they run beside the others of their pipeline. */
  const calls: { name: string; piped: boolean }[] = [];
  const flat = (s: Stmt | null, piped: boolean): boolean => {
    if (!s || s.Background || s.Coprocess) return false;
    for (const r of s.Redirs) {
      const out = r.Op === ops.rdrOut || r.Op === ops.appOut || r.Op === ops.clbOut || r.Op === ops.rdrAll || r.Op === ops.appAll || r.Op === ops.rdrInOut;
      if (out && litOf(r.Word) !== '/dev/null') return false;
      if (r.Op === ops.dplOut && !/^(\d+|-)$/.test(litOf(r.Word))) return false; // `>&file` writes a file
    }
    const c = s.Cmd;
    if (!c) return true;
    if (c.type === 'CallExpr') {
      const args = (c as CallExpr).Args;
      if (args.length > 0) calls.push({ name: args[0]!.Parts.length === 1 ? litOf(args[0]) : '', piped });
      return true;
    }
    if (c.type !== 'BinaryCmd') return false;
    const b = c as BinaryCmd;
    const pipe = b.Op === ops.pipe || b.Op === ops.pipeAll;
    if (!pipe && b.Op !== ops.andStmt && b.Op !== ops.orStmt) return false;
    return flat(b.X, piped || pipe) && flat(b.Y, piped || pipe);
  };
  const seen = (): boolean => calls.some((c) => c.name === 'git');
  for (const s of file.Stmts) {
    if (!flat(s, false) || seen()) break;
  }
  const k = calls.findIndex((c) => c.name === 'git');
  if (k < 0) return false;
  // Before git: only quiet commands; beside it in a pipeline, too (they run at the same time).
  return calls.every((c, i) => i === k || (i > k && !c.piped) || QUIET.has(c.name));
}

/** Names from `-z` output (NUL-separated). */
export const zList = (out: string): string[] => out.split('\0').filter((s) => s !== '');

/** A name as git prints it in human output: C-quoted (`"a\"b\303\251"`) when it holds special bytes. */
export function unquote(s: string): string {
  if (!s.startsWith('"') || !s.endsWith('"') || s.length < 2) return s;
  const bytes: number[] = [];
  const ESC: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  for (let i = 1; i < s.length - 1; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length - 1) {
      const d = s[i + 1]!;
      if (/[0-7]/.test(d) && /^[0-7]{3}$/.test(s.slice(i + 1, i + 4))) {
        bytes.push(parseInt(s.slice(i + 1, i + 4), 8));
        i += 3;
        continue;
      }
      if (d in ESC) {
        bytes.push(ESC[d]!);
        i++;
        continue;
      }
    }
    bytes.push(...Buffer.from(c, 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}
