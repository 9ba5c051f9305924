// `task NAME` (go-task) runs the tasks of the nearest Taskfile (their cmds, deps, task calls,
// preconditions, status, and the dynamic `sh:` variables of every Taskfile it reads): read as they
// are on disk and walked like `sh -c` text (issue 13: commands kept for later elsewhere). What is
// not read here (bad YAML, remote includes, template output the guard cannot know) is an
// unresolved write. The real `task` is not installed here, so the claims about reality are tested
// by running the commands a Taskfile names with the real bash (the property test at the end).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseTaskfile, yamlLoaded } from '../../../../lib/targets/shell/taskfile-read.js';
import { guardProject } from '../../../helpers/guard-project.js';

const gp = guardProject();
after(() => gp.cleanup());
const write = (rel: string, text: string): void => {
  fs.mkdirSync(path.dirname(path.join(gp.root, rel)), { recursive: true });
  fs.writeFileSync(path.join(gp.root, rel), text);
};
write('project/Taskfile.yml', `version: '3'
vars:
  DEST: out
  RC: .bashrc
  LATER: {sh: git rev-parse --short HEAD}
tasks:
  default:
    deps: [clean]
    cmds:
      - mkdir -p {{.DEST}}
      - echo built > {{.DEST}}/x
  clean: rm -rf {{.DEST}}
  evil:
    desc: looks harmless
    cmds: ["echo x >> ~/.bashrc"]
  release:
    deps: [evil]
    cmds: [echo done]
  ship:
    cmds:
      - echo shipping
      - task: evil
  later:
    cmds:
      - defer: echo x >> ~/.bashrc
      - echo first
  checked:
    preconditions:
      - sh: echo x >> ~/.bashrc
        msg: no
    cmds: [echo ok]
  stale:
    status: ["rm -f .env"]
    cmds: [echo ok]
  home:
    dir: ../home
    cmds: ["echo x >> {{.RC}}"]
  short: rm .env
  one:
    cmd: rm .env
  aliased:
    aliases: [al]
    cmds: [rm .env]
  loop:
    cmds:
      - for: [.bashrc, .profile]
        cmd: echo x >> ~/{{.ITEM}}
  start-*:
    cmds: [rm .env]
  echo:
    cmds: ["echo {{.CLI_ARGS}}"]
  named:
    cmds: ["echo x > {{.FILE}}"]
  cache: rm -rf "$HOME/build-cache"
  cache-dotenv:
    dotenv: [.env.example]
    cmds: ['rm -rf "$HOME/build-cache"']
  tpl-unknown:
    cmds: ["{{.NOPE}} --now"]
  tpl-if:
    cmds: ["{{if .X}}rm -rf ~/.ssh{{end}}"]
  tpl-dynamic:
    cmds: ["echo {{.LATER}}"]
  tpl-func:
    cmds: ["{{.DEST | upper}} build"]
  call-unknown:
    cmds: [{task: "{{.WHICH}}"}]
  call-missing:
    cmds: [{task: nowhere}]
  linker: ln -s ~/.ssh keys
  twice:
    cmds: [{task: linker}, {task: linker}]
  linker-once:
    run: once
    cmds: [ln -s ~/.ssh keys]
  twice-once:
    cmds: [{task: linker-once}, {task: linker-once}]
  sourced:
    sources: ["*.go"]
    cmds: [echo ok]
  newer-key:
    before_all: [rm .env]
    cmds: [echo ok]
  newer-cmd-key:
    cmds: [{cmd: echo ok, retry: {cmd: rm .env}}]
`);
fs.mkdirSync(path.join(gp.project, 'src', 'deep'), { recursive: true });
write('project/other.yml', `version: '3'\ntasks:\n  wipe: rm -rf ~/.ssh\n`);
write('project/sub/Taskfile.yaml', `version: '3'\ntasks:\n  evil2: echo x > ../.env\n`);
// Dynamic variables run whenever the Taskfile is read: the global ones for any task, even none.
write('dyn/Taskfile.yml', `version: '3'
vars:
  V: {sh: "echo x >> ~/.bashrc"}
tasks:
  build: echo ok
`);
write('dyntask/Taskfile.yml', `version: '3'
tasks:
  build:
    vars:
      V: {sh: "rm .env"}
    cmds: [echo ok]
  other: echo ok
`);
write('dyntask/.env', 'x\n');
write('inc/Taskfile.yml', `version: '3'
includes:
  lib: ./lib
  tools:
    taskfile: ./tools/Tasks.yml
    aliases: [t]
  flat:
    taskfile: ./flat
    flatten: true
  maybe:
    taskfile: ./absent
    optional: true
  rooted: '{{.ROOT_DIR}}/tools/Tasks.yml'
tasks:
  ok: echo ok
`);
write('inc/lib/Taskfile.yml', `version: '3'\ntasks:\n  ok: echo fine\n  evil: echo x >> ~/.bashrc\n  calls-own:\n    cmds: [{task: evil}]\n`);
write('inc/tools/Tasks.yml', `version: '3'\ntasks:\n  wipe: rm -rf ~/.ssh\n`);
write('inc/flat/Taskfile.yml', `version: '3'\ntasks:\n  flatevil: rm ../.env\n`);
write('inc/.env', 'x\n');
write('remote/Taskfile.yml', `version: '3'\nincludes:\n  r: https://example.com/Taskfile.yml\ntasks:\n  ok: echo ok\n`);
write('broken/Taskfile.yml', `version: '3'\ntasks:\n  a: [echo x\n`);
write('dup/Taskfile.yml', `version: '3'\ntasks:\n  a: echo ok\n  a: echo x >> ~/.bashrc\n`);
write('tagged/Taskfile.yml', `version: '3'\ntasks:\n  a: !shell echo ok\n`);
// A billion laughs: each level doubles the one before; the alias bound stops it.
write('bomb/Taskfile.yml', `version: '3'\nx0: &x0 [a, a]\n${Array.from({ length: 30 }, (_, k) => `x${k + 1}: &x${k + 1} [*x${k}, *x${k}]`).join('\n')}\ntasks:\n  a: echo ok\n`);
// Taskfiles including themselves (go-task refuses the cycle): the bounds end the walk, opaque.
write('cycle/Taskfile.yml', `version: '3'\nincludes:\n  a: ./Taskfile.yml\n  b: {taskfile: ., aliases: [c, d]}\ntasks:\n  x: echo ok\n`);
write('huge/Taskfile.yml', `version: '3'\ntasks:\n  a: echo ok\n# ${'x'.repeat(300 * 1024)}\n`);
write('special/Taskfile.yml', `version: '3'\nincludes:\n  z: /dev/zero\n  s: /dev/stdin\ntasks:\n  a: echo ok\n`);
// Variables that each use the next one four times: 4^12 copies if rendered naively.
write('doubling/Taskfile.yml', `version: '3'\nvars:\n${Array.from({ length: 12 }, (_, k) => `  V${k}: '${`{{.V${k + 1}}}`.repeat(4)}'`).join('\n')}\n  V12: '${'x'.repeat(1000)}'\ntasks:\n  a: echo {{.V0}}\n`);
write('benign/Taskfile.yml', `version: '3'
vars:
  BIN: bin/app
tasks:
  default:
    deps: [gen]
    cmds:
      - mkdir -p bin
      - go build -o {{.BIN}} ./...
  gen:
    dir: src
    cmds: [echo generated > gen.txt]
    sources: ["*.go"]
    generates: [gen.txt]
  test:
    cmds: [go test ./..., "echo {{.TASK}} done"]
`);
fs.mkdirSync(path.join(gp.root, 'empty'), { recursive: true });
// Every name go-task looks for, in its order: a committed .dist file counts when no Taskfile.yml is beside it.
write('dist/Taskfile.dist.yaml', `version: '3'\ntasks:\n  x: rm .env\n`);
write('prio/Taskfile.yml', `version: '3'\ntasks:\n  x: echo ok\n`);
write('prio/Taskfile.dist.yml', `version: '3'\ntasks:\n  x: rm .env\n`);
// `task -g` runs the home folder's Taskfile, wherever the command runs.
write('home/Taskfile.yml', `version: '3'\ntasks:\n  g: rm -rf ~/.ssh\n`);

const at = (dir: string): string => path.join(gp.root, dir);
const verdict = (cmd: string, dir = 'project') => gp.check(cmd, at(dir));
const unresolved = (cmd: string, dir = 'project'): boolean => verdict(cmd, dir).targets.some((t) => t.unresolved);

describe('task (go-task)', () => {
  it('the YAML parser is loaded by a task command only', () => {
    gp.check('ls -la && echo x > out.txt && make -n');
    assert.equal(yamlLoaded(), false);
    gp.check('task clean');
    assert.equal(yamlLoaded(), true);
  });
  const denied: [string, string?][] = [
    ['task evil'], ['go-task evil'], ['task release'], ['task ship'], ['task later'], ['task checked'], ['task stale'], ['task home'],
    ['task short'], ['task one'], ['task al'], ['task loop'], ['task start-web'], ['task named FILE=.env'], ['task echo -- "; rm .env"'],
    ['task -t other.yml wipe'], ['task --taskfile=other.yml wipe'], ['task --taskfile other.yml wipe'], ['task -d sub evil2'], ['task -dsub evil2'], ['task --dir=sub evil2'],
    ['task evil', 'project/src/deep'], ['cd sub && task evil2'], ['env -C sub task evil2'], ['sh -c "task evil"'], ['echo evil | xargs task'], ['npx task evil'], ['task -x -f evil'], ['task :evil'], ['task -g g', 'empty'], ['task x', 'dist'], ['task --global g'], ['task evil --force'], ['task clean evil'],
    ['task build', 'dyn'], ['task', 'dyn'], ['task --list', 'dyn'], ['task --dry build', 'dyn'], ['task -n build', 'dyn'], ['task no-such-task', 'dyn'],
    ['task build', 'dyntask'], ['task --list-all', 'dyntask'],
    ['task lib:evil', 'inc'], ['task lib:calls-own', 'inc'], ['task tools:wipe', 'inc'], ['task t:wipe', 'inc'], ['task rooted:wipe', 'inc'], ['task flatevil', 'inc'],
  ];
  for (const [cmd, dir] of denied) {
    it(`deny: ${cmd}${dir ? ` (in ${dir})` : ''}`, () => assert.equal(verdict(cmd, dir).decision, 'deny', JSON.stringify(verdict(cmd, dir).targets)));
  }
  const allowed: [string, string?][] = [
    ['task'], ['task clean'], ['task --version'], ['task --help'], ['task -l'], ['task --summary evil'], ['task -n evil'], ['task --dry release'],
    ['task echo -- hello world'], ['task nothing-here'], ['task evil', 'empty'], ['task', 'empty'],
    ['task other', 'dyntask'], ['task x', 'prio'], ['task ok', 'inc'], ['task lib:ok', 'inc'],
    ['task', 'benign'], ['task test', 'benign'], ['task gen', 'benign'],
  ];
  for (const [cmd, dir] of allowed) {
    it(`allow: ${cmd}${dir ? ` (in ${dir})` : ''}`, () => {
      const v = verdict(cmd, dir);
      assert.equal(v.decision, 'allow', JSON.stringify(v.targets));
    });
  }
  it('a benign Taskfile leaves no unresolved target, and its writes are seen where the task runs', () => {
    for (const cmd of ['task', 'task test', 'task gen']) assert.equal(unresolved(cmd, 'benign'), false, cmd);
    const paths = verdict('task', 'benign').targets.map((t) => t.path);
    assert.ok(paths.includes(path.join(at('benign'), 'bin/app')), JSON.stringify(paths));
    assert.ok(paths.includes(path.join(at('benign'), 'src/gen.txt')), JSON.stringify(paths));
  });
  it('dotenv files set variables not read here: the environment the commands see is not known', () => {
    assert.equal(unresolved('task cache'), false);
    assert.ok(unresolved('task cache-dotenv'));
  });
  it('the environment of the task command reaches its commands', () => {
    const v = verdict('HOME=/srv/other task evil');
    assert.ok(v.targets.some((t) => t.path === '/srv/other/.bashrc'), JSON.stringify(v.targets));
  });
  it('a task called twice runs twice, on what its first run made (run: once: one run)', () => {
    // Reality: the second `ln -s DIR keys` puts a link inside DIR (bash in a scratch home).
    const scratch = fs.mkdtempSync(path.join(gp.root, 'ln-'));
    fs.mkdirSync(path.join(scratch, '.ssh'));
    execFileSync('bash', ['-c', 'ln -s ~/.ssh keys; ln -s ~/.ssh keys'], { cwd: scratch, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: scratch } });
    assert.ok(fs.lstatSync(path.join(scratch, '.ssh', '.ssh')).isSymbolicLink());
    assert.equal(verdict('task linker').decision, 'allow');
    assert.equal(verdict('task twice').decision, 'deny');
    assert.equal(verdict('task twice-once').decision, 'allow');
  });
  it('a task with sources writes its checksum under .task (a link the repository planted there is followed)', () => {
    const v = verdict('task sourced');
    assert.ok(v.targets.some((t) => t.op === 'write' && t.path === path.join(gp.project, '.task') && t.beneath), JSON.stringify(v.targets));
    fs.symlinkSync(path.join(gp.home, '.ssh'), path.join(gp.project, '.task'));
    try {
      assert.equal(verdict('task sourced').decision, 'deny');
    } finally {
      fs.rmSync(path.join(gp.project, '.task'));
    }
  });
  it('no Taskfile anywhere: task fails and runs nothing', () => {
    const v = verdict('task evil', 'empty');
    assert.deepEqual(v.targets, []);
  });
  it('template output the guard cannot know is opaque code (never an empty string)', () => {
    for (const t of ['tpl-unknown', 'tpl-if', 'tpl-dynamic', 'tpl-func', 'call-unknown', 'call-missing']) {
      assert.ok(unresolved(`task ${t}`), t);
    }
    assert.ok(unresolved('task a', 'doubling'));
    // The literal parts of a templated command still count.
    assert.equal(verdict('task tpl-if').decision, 'deny');
  });
  it('a task or command key outside go-task\'s schema (a newer form may run commands) is opaque', () => {
    for (const t of ['newer-key', 'newer-cmd-key']) assert.ok(unresolved(`task ${t}`), t);
    assert.equal(unresolved('task evil'), false);
  });
  it('what is not read here is an unresolved write', () => {
    const cases: [string, string][] = [
      ['task a', 'broken'], ['task a', 'dup'], ['task a', 'tagged'], ['task ok', 'remote'], ['task x', 'cycle'], ['task a', 'huge'], ['task a', 'special'], ['task a:b:a:x', 'cycle'], ['task -t - ok', 'project'], ['task -t https://example.com/Taskfile.yml ok', 'empty'],
      ['some-tool > Taskfile.yml && task x', 'empty'],
    ];
    for (const [cmd, dir] of cases) assert.ok(unresolved(cmd, dir), `${cmd} in ${dir}: ${JSON.stringify(verdict(cmd, dir).targets)}`);
    fs.rmSync(path.join(at('empty'), 'Taskfile.yml'), { force: true });
    // Written by the same call with known text (shell/written.ts): read as that text.
    assert.equal(verdict(`printf 'version: "3"\\ntasks:\\n  x: echo y >> ~/.bashrc\\n' > Taskfile.yml && task x`, 'empty').decision, 'deny');
  });
  it('an alias bomb fails closed', () => {
    assert.equal(parseTaskfile(fs.readFileSync(path.join(at('bomb'), 'Taskfile.yml'), 'utf8')), undefined);
    assert.ok(unresolved('task a', 'bomb'));
  });
  it('the YAML reader: plain documents, merge keys, and what it refuses', () => {
    assert.deepEqual(parseTaskfile('version: "3"\ntasks:\n  a: echo\n'), { version: '3', tasks: { a: 'echo' } });
    assert.deepEqual(parseTaskfile('base: &b {cmds: [x]}\ntasks:\n  a:\n    <<: *b\n')?.tasks, { a: { cmds: ['x'] } });
    assert.equal(parseTaskfile('- a\n- b\n'), undefined);
    assert.equal(parseTaskfile('a: 1\na: 2\n'), undefined);
    assert.equal(parseTaskfile('['.repeat(20000)), undefined);
  });
  it('task --init writes a Taskfile in the folder', () => {
    const v = verdict('task --init', 'empty');
    assert.ok(v.targets.some((t) => t.op === 'write' && t.path === path.join(at('empty'), 'Taskfile.yml')), JSON.stringify(v.targets));
  });
});
