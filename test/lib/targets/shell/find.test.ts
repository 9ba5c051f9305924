import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { Budget, GuardError, type RawTarget } from '../../../../lib/types.js';
import { runner, show, target, tree, U } from './helpers.js';

const FILES = ['proj/.env', 'proj/src/a.pyc', 'proj/src/sub/b.pyc', 'proj/src/keep.ts', 'proj/build/x.o', 'proj/docs/A.PYC'];
const { cwd, home } = tree(FILES, ['proj/empty']);
const run = runner(cwd, home);
// A link out of the tree, to a directory holding a protected file (only followed as `lnk/` or with -H/-L).
fs.mkdirSync(path.join(cwd, '..', 'other'));
fs.writeFileSync(path.join(cwd, '..', 'other', '.env'), '');
fs.symlinkSync('../other', path.join(cwd, 'lnk'));
const T = target(cwd);
const del = (p: string): RawTarget => T('delete', p, 'find -delete');
const rm = (p: string, literal = p, base = cwd): RawTarget => T('delete', p, 'rm', { literal, base });
const ALL = ['.', './.env', './lnk', './src', './src/a.pyc', './src/sub', './src/sub/b.pyc', './src/keep.ts', './build', './build/x.o',
  './docs', './docs/A.PYC', './empty'];

/** Targets in a stable order: find lists a directory in the order the file system returns it. */
const sorted = (ts: RawTarget[]): RawTarget[] => [...ts].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

describe('find: what -delete, -exec and -fprint touch, from a walk of the real tree', () => {
  const cases: [string, RawTarget[]][] = [
    ["find . -name '*.pyc' -delete", [del('./src/a.pyc'), del('./src/sub/b.pyc')]],
    ["find . -iname '*.pyc' -delete", [del('./src/a.pyc'), del('./src/sub/b.pyc'), del('./docs/A.PYC')]],
    ['find . -delete', ALL.map(del)],
    ['find -delete', ALL.map(del)],
    ["find src -type f -name '*.pyc' -delete", [del('src/a.pyc'), del('src/sub/b.pyc')]],
    ['find . -maxdepth 1 -name .env -delete', [del('./.env')]],
    ['find . -mindepth 3 -delete', [del('./src/sub/b.pyc')]],
    ['find . -type d -empty -delete', ['.', './src', './src/sub', './build', './docs', './empty'].map(del)],
    ["find . ! -name '*.ts' -name '*.pyc' -delete", [del('./src/a.pyc'), del('./src/sub/b.pyc')]],
    ["find . \\( -name '*.pyc' -o -name '*.o' \\) -delete", [del('./src/a.pyc'), del('./src/sub/b.pyc'), del('./build/x.o')]],
    // A test the guard cannot evaluate may be true: every entry it guards counts.
    ['find . -mtime +7 -delete', ALL.map(del)],
    ['find . -name nothing -o -delete', ALL.map(del)],
    ['find . -name nothing -delete', []],
    ['find ./missing -delete', []],
    ['find . -name .env -exec rm {} +', [rm('./.env')]],
    ["find . -name '*.o' -exec rm -f {} \\;", [rm('./build/x.o', '{}')]],
    ['find src -name b.pyc -execdir rm {} \\;', [rm('./b.pyc', '{}', `${cwd}/src/sub`)]],
    ["find . -name '.e*' | xargs rm", [rm('./.env')]],
    ["find . -name '*.pyc' -print0 | xargs -0 rm", [rm('./src/a.pyc'), rm('./src/sub/b.pyc')]],
    ["find . -name '*.pyc' -fprint .env", [T('write', '.env', 'find')]],
    ["find . -fprintf .env '%p\\n' -newermt 2020-01-01", [T('write', '.env', 'find')]],
    ['find . -name .env', []],
    // Not walked: start points unknown, links followed, an expression not understood.
    // D is not set by the command nor in its environment: unknown, but not text the command made.
    ['find "$D" -delete', [T('delete', U, 'find -delete', { literal: '"$D"', unresolved: true, given: true })]],
    ['find -L . -delete', [del('.'), T('delete', `./${U}`, 'find -delete', { literal: '.', unresolved: true })]],
    ['find -L . -maxdepth 0 -fprint .env', [T('write', '.env', 'find')]],
    ['find lnk/ -name .env -delete', [del('lnk/.env')]],
    ['find lnk/. -name .env -delete', [del('lnk/./.env')]],
    ['find -H lnk -name .env -delete', [del('lnk/.env')]],
    ['find lnk -name .env -delete', []],
    ['find -- src -name a.pyc -delete', [del('src/a.pyc')]],
    // -delete fails on a directory that is not empty, and then `-o` goes on.
    ['find . -maxdepth 0 -delete -o -exec rm .env \\;', [del('.'), rm('.env')]],
    // Output of anything but -print is unknown.
    ['find . -name .env -exec echo x \\; | xargs rm', [T('delete', U, 'rm', { literal: 'xargs input', unresolved: true })]],
    ["find . -maxdepth 0 -printf '.env' | xargs rm", [T('delete', U, 'rm', { literal: 'xargs input', unresolved: true })]],
    ['find . -frobnicate -delete', [del('.')]],
    ['find . -newer x | xargs rm', [T('delete', U, 'rm', { literal: 'xargs input', unresolved: true })]],
    ['find . -name .env -exec rm {}', [rm(`./${U}`, '{}')].map((t) => ({ ...t, unresolved: true }))],
  ];
  for (const [cmd, want] of cases) {
    it(JSON.stringify(cmd), () => {
      const got = run(cmd);
      assert.deepEqual(sorted(got), sorted(want), show(got));
    });
  }

  it('-execdir that cannot be walked runs in an unknown directory', () => {
    const got = run('find -L . -execdir rm config \\;');
    assert.ok(got.some((t) => t.op === 'delete' && t.path === 'config' && t.unresolved && t.base.includes(U)), show(got));
  });

  it('many actions over many entries stop at maxFields instead of growing without bound', () => {
    assert.deepEqual(run(`find . ${'-print '.repeat(5000)}`), []);
  });

  it('start points times expression size is bounded by the budget while evaluating, not after', () => {
    // 20,000 start points x 200 tokens. The budget's clock is a counter that advances one "ms" per
    // reading, so the budget runs out after 100 checks whatever the machine's load: a walk that
    // only checked at the end would read the clock a handful of times and throw (if at all) late.
    const cmd = `find ${'. '.repeat(20_000)}-maxdepth 0 ${'-true '.repeat(200)}-false -delete`;
    let reads = 0;
    const budget = new Budget(100, 0, () => reads++);
    assert.throws(() => run(cmd, { budget }), (e: unknown) => e instanceof GuardError && /budget/.test(e.message));
    assert.ok(reads >= 100, `the clock was read ${reads} times: the budget is checked during evaluation`);
    assert.ok(reads <= 110, `the clock was read ${reads} times: the first check past the budget throws`);
  });

  it('past limits.walkEntries the walk stops and -delete counts as deleting the start points', () => {
    assert.deepEqual(run("find . -name '*.pyc' -delete", { walkEntries: 3 }), [del('.')]);
    assert.deepEqual(run('find . -exec rm {} +', { walkEntries: 3 }), [rm(`./${U}`, '{}')].map((t) => ({ ...t, unresolved: true })));
  });
});

/** Random find expressions over what the guard evaluates exactly (name, type, depth, logic). */
const exprArb: fc.Arbitrary<string[]> = fc.letrec((tie) => ({
  leaf: fc.oneof(
    fc.constantFrom('*.pyc', '*', '.*', 'a*', '[ab]*', '*.?', 'sub', 'x.o', '*.PYC').chain((p) =>
      fc.constantFrom(['-name', p], ['-iname', p])),
    fc.constantFrom(['-type', 'f'], ['-type', 'd'], ['-type', 'f,d'], ['-true'], ['-false']),
  ),
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    tie('leaf') as fc.Arbitrary<string[]>,
    fc.tuple(tie('expr') as fc.Arbitrary<string[]>, tie('expr') as fc.Arbitrary<string[]>, fc.constantFrom('-o', '-a', ''))
      .map(([a, b, op]) => ['(', ...a, ...(op ? [op] : []), ...b, ')']),
    (tie('expr') as fc.Arbitrary<string[]>).map((a) => ['!', ...a]),
  ),
})).expr;

describe('find: property, against the real find', () => {
  const have = spawnSync('find', ['--version'], { encoding: 'utf8' }).status === 0;
  it('what the guard says an expression selects is what find selects', { skip: !have && 'no find here' }, () => {
    fc.assert(fc.property(exprArb, fc.constantFrom([], ['-maxdepth', '1'], ['-mindepth', '2']), (expr, depth) => {
      const args = ['.', ...depth, ...expr];
      const real = spawnSync('find', [...args, '-print0'], { cwd, encoding: 'utf8' });
      assert.equal(real.status, 0, real.stderr);
      const quoted = args.map((a) => `'${a}'`).join(' ');
      const got = run(`find ${quoted} -print0 | xargs -0 rm`).map((t) => t.path);
      assert.deepEqual([...got].sort(), real.stdout.split('\0').filter(Boolean).sort(), quoted);
    }), { numRuns: 150 });
  });
});
