// Issue 13, finding 2: whatever sits where a config file is expected (a link to a device, a FIFO,
// a socket, a huge or deeply nested file, glob bombs), loading answers promptly: the config, or
// a GuardError whose one-line message names the file. Inputs that hung the loader before run in a
// child process with a timeout, so a regression fails here instead of hanging the run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../lib/config.js';
import { parseConfigText } from '../../lib/config-file.js';
import { MAX_CONFIG_BYTES } from '../../lib/config-read.js';
import { GuardError } from '../../lib/types.js';
import { loadInChild, type Job } from '../helpers/config-child.js';
import { tempDirs } from '../helpers/tmp.js';

const temp = tempDirs('hw-cfgfiles-');

/** A project (with .git) and a home; `put` places something at the project or user config path. */
function world() {
  const dir = fs.realpathSync(temp());
  const home = path.join(dir, 'home');
  const root = path.join(dir, 'proj');
  fs.mkdirSync(path.join(root, '.git'), { recursive: true });
  fs.mkdirSync(path.join(root, '.hookwarden'), { recursive: true });
  fs.mkdirSync(path.join(home, '.config', 'hookwarden'), { recursive: true });
  return {
    dir, home, root,
    projectFile: path.join(root, '.hookwarden', 'config.json'),
    userFile: path.join(home, '.config', 'hookwarden', 'config.json'),
    job: (extra: Partial<Job> = {}): Job => ({ cwd: root, home, ...extra }),
  };
}

const mkfifo = (p: string) => assert.equal(spawnSync('mkfifo', [p]).status, 0, `mkfifo ${p}`);

/** Asserts a prompt one-line GuardError naming `file`, whose reason matches `why`. */
function blockedNaming(r: { ok: boolean; guard?: boolean; message?: string } | undefined, file: string, why: RegExp): void {
  assert.ok(r, 'the child answered');
  assert.equal(r.ok, false, 'loading failed');
  assert.equal(r.guard, true, `a GuardError, not: ${r.message}`);
  assert.ok(r.message?.startsWith(`${file}: `), r.message);
  assert.ok(!r.message?.includes('\n'), 'one line');
  assert.match(r.message ?? '', why);
}

describe('config files that are not regular files: a one-line block naming the file, never a hang', () => {
  const servers: net.Server[] = [];
  after(() => servers.forEach((s) => s.close()));

  it('a committed project config linked to /dev/stderr, /dev/zero, /dev/null, /proc/self/fd/0: refused as a link', async () => {
    const cases = ['/dev/stderr', '/dev/zero', '/dev/null', '/proc/self/fd/0'].map((to) => {
      const w = world();
      fs.symlinkSync(to, w.projectFile);
      return { w, to };
    });
    const run = await loadInChild(cases.map((c) => c.w.job()));
    assert.equal(run.timedOut, false, `the loader hung: ${run.stderr}`);
    cases.forEach((c, i) => blockedNaming(run.results[i], c.w.projectFile, /is a symbolic link/));
  });

  it('a user config (links allowed there) that is a FIFO, a link to a device, /proc/self/fd/0 or /dev/stderr: not a regular file', async () => {
    const made: [ReturnType<typeof world>, RegExp][] = [];
    let w = world();
    mkfifo(w.userFile);
    made.push([w, /not a regular file \(a FIFO\)/]);
    for (const to of ['/dev/zero', '/dev/null', '/dev/stderr', '/proc/self/fd/0']) {
      w = world();
      fs.symlinkSync(to, w.userFile);
      made.push([w, /not a regular file/]);
    }
    const run = await loadInChild(made.map(([x]) => x.job()));
    assert.equal(run.timedOut, false, `the loader hung: ${run.stderr}`);
    made.forEach(([x, why], i) => blockedNaming(run.results[i], x.userFile, why));
  });

  it('a FIFO named by HOOKWARDEN_CONFIG, and a file whose parent folder is a FIFO', async () => {
    const a = world();
    const fifo = path.join(a.dir, 'cfg.fifo');
    mkfifo(fifo);
    const b = world();
    fs.rmSync(path.join(b.root, '.hookwarden'), { recursive: true });
    mkfifo(path.join(b.root, '.hookwarden'));
    const run = await loadInChild([a.job({ env: { HOOKWARDEN_CONFIG: fifo } }), b.job()]);
    assert.equal(run.timedOut, false, `the loader hung: ${run.stderr}`);
    blockedNaming(run.results[0], fifo, /not a regular file \(a FIFO\)/);
    blockedNaming(run.results[1], b.projectFile, /a folder on its path is not a folder/);
  });

  it('a directory and a Unix socket where the file should be', async () => {
    const d = world();
    fs.rmSync(d.userFile, { force: true });
    fs.mkdirSync(d.userFile);
    assert.throws(() => loadConfig({ cwd: d.root, home: d.home, env: {}, platform: 'linux' }),
      (e: unknown) => e instanceof GuardError && e.message === `${d.userFile}: cannot read config: not a regular file (a directory)`);
    const s = world();
    const server = net.createServer();
    servers.push(server);
    await new Promise<void>((res) => server.listen(s.projectFile, res));
    assert.throws(() => loadConfig({ cwd: s.root, home: s.home, env: {}, platform: 'linux' }),
      (e: unknown) => e instanceof GuardError && e.message.startsWith(`${s.projectFile}: cannot read config: not a regular file`));
  });

  it('a huge sparse file and a file one byte over the cap: refused without reading it', () => {
    const w = world();
    fs.writeFileSync(w.userFile, '');
    fs.truncateSync(w.userFile, 2 ** 40); // 1 TiB of holes
    assert.throws(() => loadConfig({ cwd: w.root, home: w.home, env: {}, platform: 'linux' }),
      (e: unknown) => e instanceof GuardError && e.message === `${w.userFile}: cannot read config: larger than ${MAX_CONFIG_BYTES} bytes`);
    const v = world();
    fs.writeFileSync(v.projectFile, `{}${' '.repeat(MAX_CONFIG_BYTES - 1)}`);
    assert.throws(() => loadConfig({ cwd: v.root, home: v.home, env: {}, platform: 'linux' }), /larger than 1048576 bytes/);
  });

  it('a committed link to a secret is not read, so its text cannot surface in the reason', () => {
    const w = world();
    const secret = path.join(w.dir, 'id_rsa');
    fs.writeFileSync(secret, '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAA\n');
    fs.symlinkSync(secret, w.projectFile);
    assert.throws(() => loadConfig({ cwd: w.root, home: w.home, env: {}, platform: 'linux' }),
      (e: unknown) => e instanceof GuardError && !/BEGIN|b3Bl/.test(e.message));
  });

  it('a parse error in a user config (which may be a link) does not quote the file', () => {
    for (const text of ['{"a": sk-secretvalue}', 'AKIAIOSFODNN7EXAMPLE', '{"rules": [1,]}']) {
      assert.throws(() => parseConfigText(text, '/c.json'), (e: unknown) => e instanceof GuardError
        && e.message.startsWith('/c.json: invalid JSON: ') && !/secret|AKIA|\[1/.test(e.message));
    }
  });
});

describe('config bombs: bounded, and an over-bound config is an error naming file, rule and field', () => {
  it('the reported bomb: 45 globs of 17 brace pairs (131,072 expansions each)', async () => {
    const w = world();
    const bomb = `**/${'{a,b}'.repeat(17)}`;
    fs.writeFileSync(w.projectFile, JSON.stringify({ rules: [{ id: 'bomb', effect: 'deny', paths: Array(45).fill(bomb) }] }));
    const run = await loadInChild([w.job({ write: path.join(w.root, 'x') })]);
    assert.equal(run.timedOut, false, `the loader hung: ${run.stderr}`);
    blockedNaming(run.results[0], w.projectFile, /^[^:]+: rules\[0\] \(id "bomb"\): field paths\[0\]: expands to more than 64 patterns/);
  });

  const F = '/p/.hookwarden/config.json';
  const rule = (paths: string[], extra: Record<string, unknown> = {}) => ({ id: 'r', effect: 'deny', paths, ...extra });
  const cases: [string, unknown, RegExp][] = [
    ['1,000,000 levels of nesting', undefined, /nested deeper than 32 levels/],
    ['deep nesting inside a rule', { rules: [rule(['a'], { tools: JSON.parse(`${'['.repeat(40)}${']'.repeat(40)}`) })] }, /nested deeper than 32 levels/],
    ['too many rules', { rules: Array.from({ length: 501 }, (_, i) => ({ id: `r${i}`, effect: 'deny', paths: ['x'] })) }, /field rules: more than 500 rules/],
    ['too many globs in a rule', { rules: [rule(Array(100).fill('a'), { except: Array(29).fill('b') })] }, /rules\[0\] \(id "r"\): field except: more than 128 globs/],
    ['too many patterns in a file', { rules: Array.from({ length: 40 }, (_, i) => rule(['{a,b,c,d,e,f,g,h}{1,2,3,4,5,6,7,8}'], { id: `r${i}` })) },
      /rules\[32\] \(id "r32"\): field paths\[0\]: the file's globs expand to more than 2048 patterns/],
    ['a numeric sequence', { rules: [rule(['x/{1..100000}'])] }, /field paths\[0\]: expands to more than 64 patterns/],
    ['braces nested 4 deep', { rules: [rule(['{a,{b,{c,{d,e}}}}'])] }, /field paths\[0\]: braces must not be nested more than 3 deep/],
    ['an extglob', { rules: [rule(['ok', '**/+(a|aa)b'])] }, /field paths\[1\]: extglob patterns/],
    ['an unbalanced brace (bash reads "a{},b}c" as two patterns)', { rules: [rule(['a{},b}c'])] }, /field paths\[0\]: unbalanced braces/],
    ['a glob over 1024 characters', { rules: [rule([`${'a/'.repeat(600)}x`])] }, /field paths\[0\]: must be at most 1024 characters/],
  ];
  for (const [what, cfg, why] of cases) {
    it(what, () => {
      const text = cfg === undefined ? `${'['.repeat(500_000)}${']'.repeat(500_000)}` : JSON.stringify(cfg);
      assert.throws(() => parseConfigText(text, F), (e: unknown) => {
        assert.ok(e instanceof GuardError && e.code === 'config', String(e));
        assert.ok(e.message.startsWith(`${F}: `) && !e.message.includes('\n'), e.message);
        assert.match(e.message, why);
        return true;
      });
    });
  }

  it('a committed .hookwarden folder that is a link (to ~/.docker, say) is not read through', () => {
    const w = world();
    const docker = path.join(w.home, '.docker');
    fs.mkdirSync(docker);
    fs.writeFileSync(path.join(docker, 'config.json'), JSON.stringify({ auths: { 'r.io': { auth: 'c2VjcmV0' } } }));
    fs.rmSync(path.join(w.root, '.hookwarden'), { recursive: true });
    fs.symlinkSync(docker, path.join(w.root, '.hookwarden'));
    assert.throws(() => loadConfig({ cwd: w.root, home: w.home, env: {}, platform: 'linux' }),
      (e: unknown) => e instanceof GuardError && e.message === `${w.projectFile}: cannot read config: its folder is a symbolic link`);
  });

  it('nested project folders: 16 load, 17 are an error; their configs share one pattern bound', () => {
    const w = world();
    let dir = w.root; // a candidate through .git; 15 more below it through .claude
    for (let i = 1; i <= 15; i++) {
      dir = path.join(dir, `d${i}`);
      fs.mkdirSync(path.join(dir, '.claude'), { recursive: true });
    }
    assert.equal(loadConfig({ cwd: dir, home: w.home, env: {}, platform: 'linux' }).roots.length, 16);
    fs.mkdirSync(path.join(dir, 'd16', '.claude'), { recursive: true });
    assert.throws(() => loadConfig({ cwd: path.join(dir, 'd16'), home: w.home, env: {}, platform: 'linux' }),
      (e: unknown) => e instanceof GuardError && /more than 16 nested project folders/.test(e.message));
    // 1,500 patterns in the top config and 1,000 in a nested one: each file is within its bound, together they are not.
    const big = (n: number) => JSON.stringify({ rules: Array.from({ length: n }, (_, i) => ({ id: `r${i}`, effect: 'deny', paths: [`{a,b,c,d,e,f,g,h,i,j}/x${i}`] })) });
    fs.writeFileSync(w.projectFile, big(150));
    const inner = path.join(w.root, 'd1', '.hookwarden', 'config.json');
    fs.mkdirSync(path.dirname(inner));
    fs.writeFileSync(inner, big(100));
    assert.throws(() => loadConfig({ cwd: path.join(w.root, 'd1'), home: w.home, env: {}, platform: 'linux' }),
      (e: unknown) => e instanceof GuardError && e.message === `${inner}: the project configs' globs together expand to more than 2048 patterns`);
  });

  it('a config at every bound loads and decides within the child timeout', async () => {
    const w = world();
    // 32 rules x 64 expansions = 2048 patterns, every one anchored nowhere so that each target meets them all.
    const rules = Array.from({ length: 32 }, (_, i) => ({ id: `r${i}`, effect: 'deny', paths: [`**/{a,b,c,d,e,f,g,h}${i}{1,2,3,4,5,6,7,8}*x`] }));
    fs.writeFileSync(w.userFile, JSON.stringify({ rules }));
    const run = await loadInChild([w.job({ write: path.join(w.root, 'h', 'h31', 'h38zzx') }), w.job({ write: path.join(w.root, 'q') })]);
    assert.equal(run.timedOut, false, `the loader hung: ${run.stderr}`);
    assert.deepEqual(run.results.map((r) => [r.ok, r.decision]), [[true, 'deny'], [true, 'allow']]);
  });
});

before(() => assert.equal(spawnSync('mkfifo', ['--version']).status, 0, 'mkfifo is installed'));
