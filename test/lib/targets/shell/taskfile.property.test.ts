// Property: for a random Taskfile of plain tasks (commands as strings and `{cmd:}` maps, `deps`,
// `{task:}` calls, literal variables used as `{{.P}}`), what `task NAME` is judged to write equals
// what the commands it runs are judged to write when given directly, in the order go-task runs
// them (deps, then cmds; a call runs the called task there; a task called twice runs twice). The real `task` is not installed, so
// reality is asked of bash: the same commands run with the real bash in a fresh copy of the
// fixture, and every file that changed must be among the targets the guard found for `task NAME`.
// A second property feeds Taskfiles of any shape (wrong types where go-task expects lists, maps,
// strings): the analysis decides without an internal error.
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import YAML from 'yaml';
import { guardProject } from '../../../helpers/guard-project.js';

const PATHS = ['notes.txt', 'out.txt', 'src/a.ts', 'src', 'newdir', '.env', '~/.bashrc', 'README.md'];
const ACTIONS = ['touch $P', 'echo x > $P', 'echo x >> $P', 'rm -f $P', 'rm -rf $P', 'mkdir -p $P', 'cp notes.txt $P', 'cat $P', 'ls $P', 'mv $P moved.txt', 'sort -o $P notes.txt'];
const TASKS = 4;

interface Cmd { kind: 'str' | 'map' | 'call'; action: number; path: number; viaVar: boolean; to: number }
interface Task { deps: number[]; cmds: Cmd[] }

const cmdArb = fc.record({
  kind: fc.constantFrom<Cmd['kind']>('str', 'map', 'call'),
  action: fc.nat(ACTIONS.length - 1),
  path: fc.nat(PATHS.length - 1),
  viaVar: fc.boolean(),
  to: fc.nat(TASKS - 1),
});
const taskfileArb = fc.array(fc.record({ deps: fc.array(fc.nat(TASKS - 1), { maxLength: 2 }), cmds: fc.array(cmdArb, { maxLength: 3 }) }), { minLength: TASKS, maxLength: TASKS });

/** Calls and deps only point to later tasks, so the graph has no cycle (go-task refuses one). */
const later = (from: number, to: number): number | undefined => (to > from ? to : undefined);

function taskfileText(tasks: Task[]): string {
  const vars = Object.fromEntries(PATHS.map((p, k) => [`P${k}`, p]));
  const out: Record<string, unknown> = {};
  tasks.forEach((t, k) => {
    const deps = t.deps.map((d) => later(k, d)).filter((d) => d !== undefined).map((d) => `t${d}`);
    const cmds = t.cmds.map((c) => {
      const called = later(k, c.to);
      if (c.kind === 'call' && called !== undefined) return { task: `t${called}` };
      const text = ACTIONS[c.action]!.replace('$P', c.viaVar ? `{{.P${c.path}}}` : PATHS[c.path]!);
      return c.kind === 'map' ? { cmd: text } : text;
    });
    out[`t${k}`] = { ...(deps.length > 0 ? { deps } : {}), cmds };
  });
  return YAML.stringify({ version: '3', vars, tasks: out });
}

/** The commands `task t0` runs, in order, as plain shell text. */
function direct(tasks: Task[]): string[] {
  const cmds: string[] = [];
  const run = (k: number): void => {
    for (const d of tasks[k]!.deps) if (later(k, d) !== undefined) run(d);
    for (const c of tasks[k]!.cmds) {
      if (c.kind === 'call' && later(k, c.to) !== undefined) run(c.to);
      else if (c.kind !== 'call' || later(k, c.to) === undefined) cmds.push(ACTIONS[c.action]!.replace('$P', PATHS[c.path]!));
    }
  };
  run(0);
  return cmds;
}

/** Every path under `root` with what it is now (type, size, content hash, mtime). */
function snapshot(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (p: string): void => {
    const st = fs.lstatSync(p);
    const hash = st.isFile() ? crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex') : '';
    out.set(p, `${st.mode}:${st.size}:${st.mtimeMs}:${hash}`);
    if (st.isDirectory()) for (const e of fs.readdirSync(p)) walk(path.join(p, e));
  };
  walk(root);
  return out;
}

const key = (t: { op: string; path: string }): string => `${t.op} ${t.path}`;

describe('task: property', () => {
  it('a random Taskfile is judged as the commands it runs, and covers what bash changes running them', () => {
    fc.assert(fc.property(taskfileArb, (tasks) => {
      const gp = guardProject();
      try {
        const tf = taskfileText(tasks);
        fs.writeFileSync(path.join(gp.project, 'Taskfile.yml'), tf);
        const viaTask = gp.check('task t0');
        const cmds = direct(tasks);
        const viaShell = cmds.length > 0 ? gp.check(cmds.map((c) => `(${c})`).join('\n')) : { decision: 'allow', targets: [], unresolved: false };
        assert.equal(viaTask.decision, viaShell.decision, tf);
        assert.equal(viaTask.unresolved, viaShell.unresolved, tf);
        assert.deepEqual([...new Set(viaTask.targets.map(key))].sort(), [...new Set(viaShell.targets.map(key))].sort(), tf);
        // Reality: bash runs the commands; each path that changed is a target found for `task t0`.
        const before = snapshot(gp.root);
        fs.rmSync(path.join(gp.project, 'Taskfile.yml'));
        before.delete(path.join(gp.project, 'Taskfile.yml'));
        execFileSync('bash', ['-c', [...cmds.map((c) => `(${c}) 2>/dev/null`), 'true'].join('\n')], { cwd: gp.project, env: gp.env, stdio: 'ignore' });
        const after = snapshot(gp.root);
        const written = viaTask.targets.filter((t) => t.op !== 'read').map((t) => t.path);
        const covered = (p: string): boolean => written.some((w) => p === w || p.startsWith(`${w}/`));
        for (const p of new Set([...before.keys(), ...after.keys()])) {
          if (before.get(p) === after.get(p) || p === gp.project) continue;
          // A folder's own entry changes when a name inside it is made or removed: that name is the target.
          if (before.has(p) && after.has(p) && fs.statSync(p).isDirectory()) continue;
          assert.ok(covered(p), `${p} changed but no target covers it\n${tf}\n${JSON.stringify(written)}`);
        }
      } finally {
        gp.cleanup();
      }
    }), { numRuns: 25 });
  });

  it('a Taskfile of any shape is decided without an internal error', () => {
    const gp = guardProject();
    const KEYS = ['cmds', 'cmd', 'deps', 'task', 'vars', 'sh', 'dir', 'defer', 'for', 'env', 'if', 'status', 'preconditions', 'taskfile', 'includes', 'dotenv', 'aliases', 'flatten', 'as', 'value', 'X'];
    const { v: value } = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null),
        fc.constantFrom('t0', 't1', '{{.X}}', 'echo hi', ':t0', 'rm .env', './sub', '.', '*'),
        fc.array(tie('v'), { maxLength: 3 }), fc.dictionary(fc.constantFrom(...KEYS), tie('v'), { maxKeys: 4 })),
    }));
    const doc = fc.record({ version: fc.constant('3'), vars: value, env: value, includes: value, tasks: fc.dictionary(fc.constantFrom('t0', 't1', 'default', 'a*'), value, { maxKeys: 3 }) });
    try {
      fc.assert(fc.property(doc, (d) => {
        fs.writeFileSync(path.join(gp.project, 'Taskfile.yml'), YAML.stringify(d));
        for (const cmd of ['task t0', 'task', 'task --list', 'task t1 -- x']) {
          const v = gp.check(cmd);
          assert.doesNotMatch(v.reason ?? '', /internal/i, `${cmd}\n${YAML.stringify(d)}`);
        }
      }), { numRuns: 150 });
    } finally {
      gp.cleanup();
    }
  });
});
