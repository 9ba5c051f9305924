// mktemp makes a NEW name under a known folder (issue 13, finding R9): its output is
// `<folder>/<prefix><?><suffix>` and its effect a write there, so `tmp=$(mktemp -d); rm -rf "$tmp"`
// names something under the temporary folder, never a path that may be anything. The model is
// compared with the real GNU mktemp: random spellings run for real, and the name it printed must
// match the guard's target (and the file it made, the guard's write).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runner, show, tree, U } from './helpers.js';
import { shellTargets } from '../../../../lib/targets/shell/index.js';
import { Budget, type RawTarget } from '../../../../lib/types.js';

const { root, cwd, home } = tree(['proj/src/a.txt'], ['tmp', 'alt', 'proj/sub']);
const run = runner(cwd, home);
const abs = (t: RawTarget): string => (t.path.startsWith('/') ? t.path : `${t.base}/${t.path}`);
const writes = (cmd: string, env: Record<string, string> = {}): string[] =>
  shellTargets(cmd, { cwd, home, env, budget: new Budget(10_000) }).filter((t) => t.op === 'write' && t.via === 'mktemp').map(abs);

describe('mktemp: what it writes (the random part unknown, the folder known)', () => {
  const cases: [cmd: string, env: Record<string, string>, want: string[]][] = [
    ['mktemp', {}, [`/tmp/tmp.${U}`]],
    ['mktemp -d', {}, [`/tmp/tmp.${U}`]],
    ['mktemp -q --directory', {}, [`/tmp/tmp.${U}`]],
    ['mktemp', { TMPDIR: `${root}/tmp` }, [`${root}/tmp/tmp.${U}`]],
    ['mktemp x.XXXXXX', {}, [`${cwd}/x.${U}`]],
    ['mktemp sub/x.XXX.log', {}, [`${cwd}/sub/x.${U}.log`]],
    ['mktemp /var/tmp/job-XXXXXXXX', {}, [`/var/tmp/job-${U}`]],
    ['mktemp -p src', {}, [`${cwd}/src/tmp.${U}`]],
    ['mktemp -psrc x.XXXX', {}, [`${cwd}/src/x.${U}`]],
    ['mktemp --tmpdir', {}, [`/tmp/tmp.${U}`]],
    ['mktemp --tmpdir=src', {}, [`${cwd}/src/tmp.${U}`]],
    ['mktemp --tmp=src', {}, [`${cwd}/src/tmp.${U}`]],
    ['mktemp --tmpdir x.XXXXXX', { TMPDIR: `${root}/tmp` }, [`${root}/tmp/x.${U}`]],
    ['mktemp -t name.XXXX', {}, [`/tmp/name.${U}`]],
    // -t: $TMPDIR first, then -p's folder.
    ['mktemp -t -p src name.XXXX', { TMPDIR: `${root}/tmp` }, [`${root}/tmp/name.${U}`]],
    ['mktemp -t -p src name.XXXX', {}, [`${cwd}/src/name.${U}`]],
    ['mktemp -d -t', {}, [`/tmp/tmp.${U}`]],
    ['mktemp --suffix=.json x.XXXX', {}, [`${cwd}/x.${U}.json`]],
    ['mktemp --suffix .json', {}, [`/tmp/tmp.${U}.json`]],
    ['TMPDIR=alt mktemp', {}, [`${cwd}/alt/tmp.${U}`]],
    [`export TMPDIR=${root}/alt; mktemp -d`, {}, [`${root}/alt/tmp.${U}`]],
    ['f=$(mktemp x.XXXX); cd sub && rm "$f"', {}, [`${cwd}/x.${U}`]],
    ['mktemp -- -x.XXXX', {}, [`${cwd}/-x.${U}`]],
    // Dry run: a name, no file.
    ['mktemp -u', {}, []],
    ['mktemp --dry-run x.XXXX', {}, []],
    ['mktemp --help', {}, []],
    // Under a protected folder: a write there.
    ['mktemp ~/.ssh/XXXXXX', {}, [`${home}/.ssh/${U}`]],
    ['mktemp -p .git', {}, [`${cwd}/.git/tmp.${U}`]],
    ['mktemp -p ~/.ssh -d', {}, [`${home}/.ssh/tmp.${U}`]],
    // A template that is unknown text: unknown from its start.
    ['mktemp "$(cat f)XXXXXX"', {}, [`${cwd}/${U}`]],
  ];
  for (const [cmd, env, want] of cases) {
    it(`${cmd}${Object.keys(env).length ? ` (${Object.keys(env).join(', ')} set)` : ''}`, () => {
      const got = writes(cmd, env);
      assert.deepEqual(got.sort(), want.sort(), show(got));
    });
  }
});

describe('mktemp output used later in the call: a path under the folder, never one that may be anything', () => {
  const used = (cmd: string): RawTarget[] => run(cmd).filter((t) => t.via !== 'mktemp' && t.op !== 'read');
  const cases: [string, string][] = [
    ['tmp=$(mktemp -d); cp src/a.txt "$tmp/"; rm -rf "$tmp"', `/tmp/tmp.${U}`],
    ['cp src/a.txt "$(mktemp)"', `/tmp/tmp.${U}`],
    ['f=`mktemp`; echo hi > $f', `/tmp/tmp.${U}`],
    ['f=$(mktemp /tmp/x.XXXXXX); echo hi > "$f"', `/tmp/x.${U}`],
    ["tmp=$(mktemp -d); trap 'rm -rf \"$tmp\"' EXIT; touch \"$tmp/a\"", `/tmp/tmp.${U}`],
    ['mk() { mktemp -d; }; d=$(mk); rm -rf "$d"', `/tmp/tmp.${U}`],
    ['cd "$(mktemp -d)" && touch a', `/tmp/tmp.${U}`],
    ['out="$(mktemp -p src out.XXXX)"; sort -o "$out" src/a.txt', `${cwd}/src/out.${U}`],
    // Printed as spelled: relative to where the later command runs.
    ['f=$(mktemp x.XXXX); cd sub && rm "$f"', `${cwd}/sub/x.${U}`],
  ];
  for (const [cmd, folderAndName] of cases) {
    it(cmd, () => {
      const got = used(cmd);
      assert.ok(got.length > 0, show(got));
      for (const t of got) {
        const p = abs(t);
        assert.ok(!p.replace(/^\/+/, '').startsWith(U) && p.startsWith('/'), `${show(p)} starts with an unknown part`);
        assert.ok(p.startsWith(folderAndName), `${show(p)} is not under ${show(folderAndName)}`);
      }
    });
  }
});

// The real mktemp, in a scratch folder: the name it prints must be one the guard's target spells.
const hasMktemp = spawnSync('mktemp', ['--version']).status === 0;
const pattern = (p: string): RegExp => new RegExp(`^${p.split(U).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[^/]+')}$`);

describe('mktemp compared with the real program', () => {
  it('random spellings: the printed name matches the modelled output, and the file made matches the modelled write', { skip: !hasMktemp && 'no mktemp' }, () => {
    const opt = fc.constantFrom('', '-d', '-u', '-q', '-t', '-p sub', '-psub', '--tmpdir', '--tmpdir=sub', '-p ""', '--directory', '--suffix=.s', '-d -t');
    const tpl = fc.constantFrom('', 'x.XXXXXX', 'XXX', 'sub/y-XXXXXX.log', 'a.XXXXXXXXXX.b', 'XXXXXXz', 'XXX.XXXX', 'XXXX.XX', 'sub.XXX/z.XXXXXX');
    fc.assert(fc.property(fc.array(opt, { maxLength: 3 }), tpl, fc.boolean(), (opts, template, withTmpdir) => {
      const scratch = fs.mkdtempSync(path.join(root, 'real-'));
      try {
        fs.mkdirSync(path.join(scratch, 'sub'));
        fs.mkdirSync(path.join(scratch, 'tmp'));
        const env: Record<string, string> = withTmpdir ? { TMPDIR: path.join(scratch, 'tmp') } : {};
        const argv = `mktemp ${opts.join(' ')} ${template}`.trim();
        const real = spawnSync('bash', ['-c', argv], { cwd: scratch, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, encoding: 'utf8' });
        if (real.status !== 0) return; // an error: nothing made (the guard judges it as made)
        const printed = path.resolve(scratch, real.stdout.trim());
        const madeWrites = shellTargets(argv, { cwd: scratch, home, env, budget: new Budget(10_000) }).filter((t) => t.op === 'write' && t.via === 'mktemp').map(abs);
        const model = shellTargets(`echo x > "$(${argv})"`, { cwd: scratch, home, env, budget: new Budget(10_000) })
          .filter((t) => t.via === 'redirect >').map(abs);
        try {
          assert.equal(model.length, 1, show(model));
          assert.match(printed, pattern(model[0]!), `${argv}: printed ${printed}, modelled ${show(model)}`);
          if (fs.existsSync(printed)) assert.ok(madeWrites.some((w) => pattern(w).test(printed)), `${argv}: made ${printed}, writes ${show(madeWrites)}`);
          else assert.ok(opts.some((o) => o === '-u'), `${argv}: nothing made without -u`);
        } finally {
          if (fs.existsSync(printed) && printed.startsWith('/')) fs.rmSync(printed, { recursive: true, force: true });
        }
      } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
      }
    }), { numRuns: 150, seed: 9 });
  });
});

// Under strace: every path the real commands changed is one the guard named (its unknown part a
// single name), so what mktemp makes and what is then written through its output lands where the
// guard says: under the temporary folder, never somewhere else.
const hasStrace = spawnSync('strace', ['-V']).status === 0 && spawnSync('strace', ['-f', '-qq', '-o', '/dev/null', 'true']).status === 0;
describe('mktemp forms under strace', { skip: !hasStrace && 'strace is not installed' }, () => {
  const forms = [
    'tmp=$(mktemp -d); cp src/a.txt "$tmp/"; touch "$tmp/b"; rm -rf "$tmp"',
    'f=$(mktemp); echo x > "$f"; rm -f "$f"',
    'f=$(mktemp -p sub x.XXXXXX.log); echo x >> "$f"',
    'f=$(mktemp --tmpdir=sub); mv "$f" "$f.done"',
    "d=$(mktemp -d -t job.XXXX); trap 'rm -rf \"$d\"' EXIT; cd \"$d\" && mkdir -p w && echo hi > w/out",
    'TMPDIR=sub mktemp -d',
    'f=$(mktemp sub/t.XXXXXX); cd sub && echo x > "$(basename "$f")"',
  ];
  for (const form of forms) {
    it(form, async () => {
      const { traceCommand } = await import('../../../oracle/strace.js');
      const scratch = fs.mkdtempSync(path.join(root, 'st-'));
      const tmpdir = path.join(scratch, 'tmp');
      for (const d of ['sub', 'src', 'tmp']) fs.mkdirSync(path.join(scratch, d));
      fs.writeFileSync(path.join(scratch, 'src', 'a.txt'), 'a\n');
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, TMPDIR: tmpdir };
      try {
        const r = await traceCommand(form, scratch, env, path.join(root, `${path.basename(scratch)}.trace`));
        assert.equal(r.status, 0, r.stderr);
        const targets = shellTargets(form, { cwd: scratch, home, env: { TMPDIR: tmpdir }, budget: new Budget(10_000) })
          .filter((t) => t.op !== 'read').map((t) => pattern(path.posix.resolve(t.base, t.path)));
        const changed = [...r.touched].filter((p) => p.startsWith(`${scratch}/`));
        assert.ok(changed.length > 0, 'the trace saw the command change something');
        // A path is named by a target for it or for a folder above it (`rm -rf "$tmp"` removes what is beneath).
        const ancestors = (p: string): string[] => (p === scratch || p === '/' ? [] : [p, ...ancestors(path.dirname(p))]);
        const unnamed = changed.filter((p) => !ancestors(p).some((a) => targets.some((re) => re.test(a))));
        assert.deepEqual(unnamed, [], `changed but not named: ${show(unnamed)}`);
        assert.ok(changed.some((p) => p.startsWith(`${tmpdir}/`) || p.startsWith(`${scratch}/sub/`)), show(changed));
      } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
      }
    });
  }
});
