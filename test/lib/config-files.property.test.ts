// Property: whatever is at a config path (file type, size, nesting) and whatever globs it holds,
// loading and deciding one write answers with a config or a one-line GuardError naming the file,
// and never hangs. All cases of a run load in one child process with a timeout, so a case that
// hangs fails the test instead of the run.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { loadInChild, type Job } from '../helpers/config-child.js';
import { tempDirs } from '../helpers/tmp.js';

const temp = tempDirs('hw-cfgprop-');

const KINDS = ['regular', 'dir', 'fifo', 'dev-link', 'dangling-link', 'link-to-regular', 'sparse', 'parent-fifo', 'deep-json', 'many-rules'] as const;

const globPiece = fc.constantFrom('a', 'b', '/', '*', '**', '?', '[ab]', '{a,b}', '{a,{b,c}}', '{1..9}', '{1..500}', '+(a|b)', '@(x)', '\\{',
  '{', '}', '.env', '~/', '$HOME/', '$XDG_CONFIG_HOME/', '$TMPDIR/', '..', '!', '#');
const glob = fc.array(globPiece, { minLength: 1, maxLength: 12 }).map((xs) => xs.join(''));
const rule = fc.record({
  id: fc.stringMatching(/^[a-z]{1,6}$/),
  effect: fc.constantFrom('deny', 'allow', 'ask', 'block'),
  paths: fc.array(glob, { minLength: 1, maxLength: 5 }),
  except: fc.option(fc.array(glob, { maxLength: 3 }), { nil: undefined }),
});
const config = fc.record({
  rules: fc.array(rule, { maxLength: 6 }),
  repeat: fc.integer({ min: 1, max: 700 }),
  unresolved: fc.option(fc.constantFrom('allow', 'ask', 'deny', 'maybe'), { nil: undefined }),
});
const testCase = fc.record({ kind: fc.constantFrom(...KINDS), layer: fc.constantFrom('user', 'project', 'env'), config, dev: fc.constantFrom('/dev/zero', '/dev/null', '/dev/stderr', '/dev/stdin', '/proc/self/fd/0', '/dev/urandom') });

type Case = typeof testCase extends fc.Arbitrary<infer T> ? T : never;

/** Puts the case's config at `file` in the shape its kind says. */
function make(file: string, c: Case): void {
  const cfg = c.config;
  const rules = Array.from({ length: c.kind === 'many-rules' ? cfg.repeat : 1 }, (_, k) => cfg.rules.map((r, i) => ({ ...r, id: `${r.id}${k}_${i}` }))).flat();
  const text = JSON.stringify({ rules, ...(cfg.unresolved ? { unresolved: cfg.unresolved } : {}) });
  fs.mkdirSync(path.dirname(file), { recursive: true });
  switch (c.kind) {
    case 'regular':
    case 'many-rules':
      fs.writeFileSync(file, text);
      break;
    case 'dir':
      fs.mkdirSync(file);
      break;
    case 'fifo':
      assert.equal(spawnSync('mkfifo', [file]).status, 0);
      break;
    case 'dev-link':
      fs.symlinkSync(c.dev, file);
      break;
    case 'dangling-link':
      fs.symlinkSync(path.join(path.dirname(file), 'nowhere'), file);
      break;
    case 'link-to-regular':
      fs.writeFileSync(`${file}.real`, text);
      fs.symlinkSync(`${file}.real`, file);
      break;
    case 'sparse':
      fs.writeFileSync(file, text);
      fs.truncateSync(file, 2 ** 36);
      break;
    case 'parent-fifo':
      fs.rmSync(path.dirname(file), { recursive: true, force: true });
      assert.equal(spawnSync('mkfifo', [path.dirname(file)]).status, 0);
      break;
    case 'deep-json':
      fs.writeFileSync(file, `{"rules":${'['.repeat(200_000)}${']'.repeat(200_000)}}`);
      break;
  }
}

describe('property: random config files never hang the loader', () => {
  it('answers a config or a one-line GuardError naming the file, for every file type and glob shape', async () => {
    const cases = fc.sample(testCase, { numRuns: 120, seed: Number(process.env.HW_SEED ?? 1313) });
    const jobs: Job[] = [];
    const files: string[] = [];
    for (const c of cases) {
      const dir = fs.realpathSync(temp());
      const home = path.join(dir, 'home');
      const root = path.join(dir, 'proj');
      fs.mkdirSync(path.join(root, '.git'), { recursive: true });
      fs.mkdirSync(home, { recursive: true });
      const file = c.layer === 'user' ? path.join(home, '.config', 'hookwarden', 'config.json')
        : c.layer === 'project' ? path.join(root, '.hookwarden', 'config.json') : path.join(dir, 'named', 'config.json');
      make(file, c);
      files.push(file);
      jobs.push({ cwd: root, home, env: c.layer === 'env' ? { HOOKWARDEN_CONFIG: file } : {}, write: path.join(root, 'a', 'b.env') });
    }
    const run = await loadInChild(jobs, 120_000);
    assert.equal(run.timedOut, false, `the loader hung: ${run.stderr}`);
    assert.equal(run.results.length, jobs.length, run.stderr);
    run.results.forEach((r, i) => {
      const what = `case ${i}: ${JSON.stringify(cases[i]).slice(0, 300)}`;
      if (r.ok) {
        assert.ok(['allow', 'deny', 'ask'].includes(r.decision ?? ''), what);
        return;
      }
      assert.equal(r.guard, true, `${what}: not a GuardError: ${r.message}`);
      assert.ok(!r.message?.includes('\n'), `${what}: one line`);
      assert.ok(r.message?.startsWith(`${files[i]}: `), `${what}: names the file: ${r.message}`);
    });
    // Every kind really occurred, both outcomes too.
    assert.deepEqual(new Set(cases.map((c) => c.kind)), new Set(KINDS));
    assert.ok(run.results.some((r) => r.ok) && run.results.some((r) => !r.ok));
  });
});
