// `task NAME` (go-task): the tasks of the Taskfile it finds (`-t FILE`, `-d DIR`, else the nearest
// Taskfile.yml... at or above the working directory) run through a shell interpreter in the
// task's folder: their `cmds`, the tasks they call and depend on, `preconditions`, `status`, `if`,
// and the dynamic variables (`vars: X: {sh: CMD}`), which go-task runs while it prepares the tasks,
// even for `task --dry` (walked here for any command that reads the Taskfile: a superset). An agent can write the Taskfile in one call and run it in the
// next, so it is read as it is when the call is checked and each command is walked like `sh -c`
// text. What is not read here (a Taskfile this call writes first, bad or hostile YAML, remote or
// unreadable includes, template output the guard cannot know, a reference to no task it can
// find, more tasks than the bound) may do anything: an unresolved write (issue 13).
import { joinPath, U, type Frame } from './context.js';
import { unknown as unknownScripts, walkText } from './project-scripts.js';
import type { Scope } from './scope.js';
import { CMD_KEYS, findTaskfile, inDir, isObj, TASK_KEYS, loadTaskfiles, lookupTask, parseTaskfile, type Loaded, type Obj, type TaskDef, type TFile } from './taskfile-read.js';
import { HOLE_VAR, render, type Vars } from './taskfile-template.js';
import type { Arg } from './types.js';

/** Options taking a value (`-t FILE`, `--dir=D`); pflag also reads `-tFILE`. */
const VALUED_SHORT = new Set(['t', 'd', 'o', 'C', 'I']);
const VALUED_LONG = new Set(['--taskfile', '--dir', '--output', '--concurrency', '--interval', '--output-group-begin', '--output-group-end', '--sort', '--remote-cache-dir', '--cache-expiry', '--timeout', '--trusted-hosts', '--completion']);
/** Options after which task reads no Taskfile. */
const NO_READ = new Set(['--help', '--version', '--completion', '--experiments', '--init']);
/** Options after which task runs no task's commands, only what reading the Taskfile runs (its dynamic variables). */
const READ_ONLY = new Set(['--list-all', '--json', '--summary', '--dry']);
const SHORT_NAMES: Record<string, string> = { h: '--help', i: '--init', l: '--list', a: '--list-all', j: '--json', n: '--dry', g: '--global', t: '--taskfile', d: '--dir' };
/** Bounds on one `task` command: task invocations walked, call depth, items of a `for:` list. */
const MAX_TASKS = 256;
const MAX_CALL_DEPTH = 32;
const MAX_FOR = 32;

/** Walks what `task ARGS` runs (called by dispatch for `task` and `go-task`). */
export function task(name: string, args: Arg[], sc: Scope, fr: Frame): void {
  let dir = sc.cwd;
  let file: string | undefined;
  let mode: 'run' | 'read' = 'run';
  let global = false;
  let init = false;
  let listed = false;
  const names: string[] = [];
  const cli: Obj = {};
  let cliArgs: string[] | undefined;
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!.text;
    if (cliArgs) {
      cliArgs.push(t);
      continue;
    }
    if (t === '--') {
      cliArgs = [];
      continue;
    }
    if (t.startsWith('-') && t !== '-') {
      const opts: [string, string | undefined][] = [];
      if (t.startsWith('--')) {
        const eq = t.indexOf('=');
        const key = eq > 0 ? t.slice(0, eq) : t;
        opts.push([key, eq > 0 ? t.slice(eq + 1) : VALUED_LONG.has(key) ? args[++i]?.text : undefined]);
      } else {
        // `-ls`, `-tFILE`, `-t FILE`: letters until one that takes a value.
        for (let k = 1; k < t.length; k++) {
          const c = t[k]!;
          const key = SHORT_NAMES[c] ?? `-${c}`;
          if (!VALUED_SHORT.has(c)) {
            opts.push([key, undefined]);
            continue;
          }
          opts.push([key, k + 1 < t.length ? t.slice(k + 1) : args[++i]?.text]);
          break;
        }
      }
      for (const [key, value] of opts) {
        if (key === '--init') init = true;
        else if (NO_READ.has(key)) return;
        else if (key === '--list') listed = true;
        else if (READ_ONLY.has(key)) mode = 'read';
        else if (key === '--global') global = true;
        else if (key === '--taskfile' && value !== undefined) file = value;
        else if (key === '--dir' && value !== undefined) dir = joinPath(sc.cwd, value);
      }
      continue;
    }
    const assign = /^([^=\s]+)=(.*)$/s.exec(t);
    if (assign) cli[assign[1]!] = assign[2]!;
    else names.push(t);
  }
  // `task --init` writes a new Taskfile.yml in the working folder (newer releases: the path given, or `--dir`).
  if (init) {
    for (const w of new Set(['Taskfile.yml', ...names])) for (const d of new Set([sc.cwd, dir])) fr.run.emit('write', { text: w, literal: w }, d, name);
    return;
  }
  // The Taskfile on standard input, or a remote one (`-t https://…`, an experiment): not read here.
  if (file === '-' || (file !== undefined && /^[A-Za-z][\w+.-]*:\/\/|^[\w.-]+@[\w.-]+:/.test(file))) return unknown(name, sc, fr);
  let found: ReturnType<typeof findTaskfile>;
  if (global) {
    // `--global`: the Taskfile in the home folder, and only there.
    const h = sc.get('HOME');
    found = typeof h === 'string' && h.startsWith('/') && !h.includes(U) ? inDir(h, fr) : { at: U, text: undefined };
  } else found = findTaskfile(dir, file === undefined ? undefined : joinPath(dir, file), fr);
  if (found === 'missing') return; // task fails: no Taskfile
  const data = found.text === undefined ? undefined : parseTaskfile(found.text);
  if (!data) return unknown(name, sc, fr);
  const home = sc.get('HOME');
  const l = loadTaskfiles(found.at, data, found.text!.length, typeof home === 'string' && !home.includes(U) ? home : fr.run.home, fr);
  for (const what of l.unknown) unknown(`${name}: ${what}`, sc, fr);
  // Early v3 releases went on to run the tasks (or `default`) after `--list`: both readings count.
  if (listed) new TaskRun(name, l, sc, fr, cli, cliArgs ?? [], 'read').start(names);
  new TaskRun(name, l, sc, fr, cli, cliArgs ?? [], mode).start(names);
}

/** One `task` command's walk over its Taskfiles. */
class TaskRun {
  private done = new Set<string>();
  private runs = 0;

  constructor(private cmd: string, private l: Loaded, private sc: Scope, private fr: Frame, private cli: Obj, private cliArgs: string[], private mode: 'run' | 'read') {}

  start(names: string[]): void {
    // Reading the Taskfiles computes their variables: the dynamic ones run.
    for (const f of this.l.files) {
      const v = this.vars(f, [], f.runDirs[0]!, '');
      for (const vs of [f.includeVars, f.data.vars, f.data.env]) this.dynamic(vs, f.runDirs, v, this.sc, `Taskfile ${f.at}`);
    }
    if (this.mode === 'read') {
      // `--list`, `--summary`, `--dry` compile the tasks too: their own dynamic variables run (a superset).
      for (const t of new Set(this.l.tasks.values())) {
        const def = isObj(t.def) ? t.def : {};
        this.dynamic(def.vars, t.file.runDirs, this.vars(t.file, [def.vars], t.file.runDirs[0]!, t.name), this.sc, `task ${JSON.stringify(t.name)}`);
      }
      return;
    }
    const wanted = names.length > 0 ? names : ['default'];
    const tasks = wanted.map((n) => lookupTask(this.l, n));
    // task checks every name before it runs any: one it does not have runs nothing.
    if (tasks.some((t) => t === undefined)) return;
    for (const t of tasks) this.run(t!, {}, 0);
  }

  /**
   * Runs one task with the variables its caller gave. A task called twice runs twice (go-task's
   * default `run: always`), and the second run may act on what the first made (`ln -s ~/.ssh l`
   * twice writes into ~/.ssh): only `run: once` (by name) and `when_changed` (by variables) run once.
   */
  private run(t: TaskDef, call: Obj, depth: number): void {
    const what = `${this.cmd}: task ${JSON.stringify(t.name)}`;
    if (++this.runs > MAX_TASKS || depth > MAX_CALL_DEPTH) return this.opaque(what);
    const def: Obj | undefined = typeof t.def === 'string' ? { cmds: [t.def] } : Array.isArray(t.def) ? { cmds: t.def } : isObj(t.def) ? t.def : undefined;
    const policy = def?.run ?? t.file.data.run ?? this.l.root.data.run;
    const key = policy === 'once' ? t.name : policy === 'when_changed' ? `${t.name}\u0000${JSON.stringify(call)}` : undefined;
    if (key !== undefined && this.done.has(key)) return;
    if (key !== undefined) this.done.add(key);
    this.fr.run.step();
    if (!def || Object.keys(def).some((k) => !TASK_KEYS.has(k))) this.opaque(what);
    if (!def) return;
    const f = t.file;
    let dirs = f.runDirs;
    if (def.dir !== undefined) {
      const d = typeof def.dir === 'string' ? render(def.dir, this.vars(f, [def.vars, call], f.runDirs[0]!, t.name)) : undefined;
      if (!d?.known) return this.opaque(`${what} dir`);
      dirs = [...new Set(f.runDirs.map((b) => joinPath(b, d.text)))];
    }
    const layers = [def.vars, call];
    const v = this.vars(f, layers, dirs[0]!, t.name);
    // Its environment: the root's, its Taskfile's and its own `env:` (values known or not).
    const env = this.sc.child();
    env.set(HOLE_VAR, U);
    for (const e of [this.l.root.data.env, f === this.l.root ? undefined : f.data.env, def.env]) {
      if (!isObj(e)) continue;
      for (const [k, raw] of Object.entries(e)) {
        const r = typeof raw === 'string' ? render(raw, v) : typeof raw === 'number' || typeof raw === 'boolean' ? { text: String(raw), known: true } : undefined;
        env.set(k, r?.known ? r.text : U);
      }
    }
    // `dotenv:` files set variables the guard does not read: any variable may hold what they set.
    if ([this.l.root.data.dotenv, f.data.dotenv, def.dotenv].some((d) => list(d).length > 0)) env.taint();
    // A task with `sources` keeps its checksum under `.task/` of the root Taskfile's folder (or
    // TASK_TEMP_DIR): a `.task` the repository made a link to another folder puts it there.
    if (list(def.sources).length > 0 && (def.method ?? this.l.root.data.method) !== 'none') {
      const tmp = this.sc.assignedValue('TASK_TEMP_DIR');
      const at = typeof tmp === 'string' ? tmp : '.task';
      this.fr.run.emit('write', { text: at, literal: at }, this.l.root.dir, `${what} checksum`, at.includes(U), true);
    }
    this.dynamic(def.env, dirs, v, env, what);
    this.dynamic(def.vars, dirs, v, env, what);
    this.dynamic(call, dirs, v, env, what);
    for (const dep of list(def.deps)) this.call(dep, f, v, depth, what);
    for (const p of list(def.preconditions)) this.shell(typeof p === 'string' ? p : isObj(p) ? p.sh : undefined, dirs, v, env, `${what} precondition`);
    for (const s of list(def.status)) this.shell(s, dirs, v, env, `${what} status`);
    if (def.if !== undefined) this.shell(def.if, dirs, v, env, `${what} if`);
    const cmds = def.cmds !== undefined ? list(def.cmds) : def.cmd !== undefined ? [def.cmd] : [];
    if (def.cmds !== undefined && !Array.isArray(def.cmds)) this.opaque(what);
    for (const c of cmds) {
      this.fr.run.step();
      if (isObj(c) && Object.keys(c).some((k) => !CMD_KEYS.has(k))) this.opaque(what);
      if (typeof c === 'string') this.shell(c, dirs, v, env, what);
      else if (isObj(c) && c.defer !== undefined) {
        if (typeof c.defer === 'string') this.shell(c.defer, dirs, v, env, `${what} defer`);
        else this.call(c.defer, f, v, depth, what);
      } else if (isObj(c) && c.task !== undefined) this.call(c, f, v, depth, what);
      else if (isObj(c) && typeof c.cmd === 'string') {
        if (c.if !== undefined) this.shell(c.if, dirs, v, env, `${what} if`);
        for (const item of this.items(c)) this.shell(c.cmd, dirs, { ...v, layers: [item, ...v.layers] }, env, what);
      } else this.opaque(what);
    }
  }

  /** A task call (`deps:` entry, `{task: NAME, vars: ...}`): the task it names, run with those variables. */
  private call(c: unknown, from: TFile, v: Vars, depth: number, what: string): void {
    const o: Obj | undefined = typeof c === 'string' ? { task: c } : isObj(c) ? c : undefined;
    if (!o || typeof o.task !== 'string') return this.opaque(what);
    if (o.if !== undefined) this.shell(o.if, from.runDirs, v, this.sc, `${what} if`);
    const n = render(o.task, v);
    if (!n.known) return this.opaque(what);
    // In an included Taskfile a name is its own namespace's first; `:name` is the root's.
    const t = n.text.startsWith(':') ? lookupTask(this.l, n.text) : lookupTask(this.l, from.ns + n.text) ?? lookupTask(this.l, n.text);
    if (!t) return this.opaque(what);
    const given = isObj(o.vars) ? o.vars : {};
    for (const item of this.items(o)) {
      // The values a call passes are the caller's templates, rendered where it calls.
      const passed: Obj = {};
      for (const [k, raw] of Object.entries(given)) {
        const r = typeof raw === 'string' ? render(raw, { ...v, layers: [item, ...v.layers] }) : undefined;
        passed[k] = r ? (r.known ? r.text : {}) : raw;
      }
      this.run(t, passed, depth + 1);
    }
  }

  /** The loop variables of a `for:` (one empty set without one): a literal list's items, else the variable unknown. */
  private items(o: Obj): Obj[] {
    if (o.for === undefined) return [{}];
    const as = isObj(o.for) && typeof o.for.as === 'string' ? o.for.as : 'ITEM';
    if (Array.isArray(o.for) && o.for.length <= MAX_FOR && o.for.every((x) => typeof x === 'string' || typeof x === 'number')) {
      return o.for.length === 0 ? [] : o.for.map((x) => ({ [as]: x }));
    }
    return [{ [as]: {}, KEY: {} }];
  }

  /** Walks the `sh:` of each dynamic variable in `vars`. */
  private dynamic(vars: unknown, dirs: string[], v: Vars, env: Scope, what: string): void {
    if (!isObj(vars)) return;
    for (const [k, raw] of Object.entries(vars)) {
      if (isObj(raw) && raw.sh !== undefined) this.shell(raw.sh, dirs, v, env, `${what} variable ${k}`);
    }
  }

  /** A command a shell runs: rendered, then walked in each folder it may run in; unknown template output makes it opaque. */
  private shell(text: unknown, dirs: string[], v: Vars, env: Scope, what: string): void {
    if (typeof text !== 'string') return this.opaque(what);
    const variants = new Set<string>();
    let known = true;
    for (const cliArgs of this.cliVariants()) {
      const r = render(text, { ...v, special: new Map([...v.special, ['CLI_ARGS', cliArgs]]) });
      known &&= r.known;
      variants.add(r.text);
    }
    if (!known) this.opaque(what);
    const sc = env === this.sc ? holed(env) : env;
    for (const t of variants) for (const d of dirs) walkText(t, what, d, sc, this.fr, 'tasks');
  }

  /** CLI_ARGS as the words after `--` joined, and (when quoting changes them) each word shell-quoted: go-task's versions differ. */
  private cliVariants(): string[] {
    const plain = this.cliArgs.join(' ');
    const quoted = this.cliArgs.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
    return plain === quoted ? [plain] : [plain, quoted];
  }

  /** The variables a task's text sees: its layers, its Taskfile's, the root's, and go-task's special ones. */
  private vars(f: TFile, layers: unknown[], dir: string, name: string): Vars {
    const root = this.l.root;
    // `NAME=value` words of the command line override the root Taskfile's variables.
    const rootVars = { ...(isObj(root.data.vars) ? root.data.vars : {}), ...this.cli };
    const all = [...layers, f.includeVars, f === root ? rootVars : f.data.vars, f === root ? undefined : rootVars, root.data.env].filter(isObj);
    const special = new Map<string, string>([
      ['ROOT_DIR', root.dir], ['ROOT_TASKFILE', root.at], ['TASKFILE', f.at], ['TASKFILE_DIR', f.dir], ['USER_WORKING_DIR', this.sc.cwd], ['TASK_DIR', dir],
    ]);
    if (name !== '') special.set('TASK', name);
    return { layers: all, special, sc: this.sc };
  }

  private opaque(what: string): void {
    unknown(what, this.sc, this.fr);
  }
}

const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

/** A child scope where the unknown-template variable is unknown. */
function holed(sc: Scope): Scope {
  const c = sc.child();
  c.set(HOLE_VAR, U);
  return c;
}

const unknown = (what: string, sc: Scope, fr: Frame): void => unknownScripts(what, sc, fr, 'tasks');
