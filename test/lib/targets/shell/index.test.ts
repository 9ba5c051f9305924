import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { shellTargets } from '../../../../lib/targets/shell/index.js';
import { Budget, GuardError, WRITE_OPS, type RawTarget } from '../../../../lib/types.js';
import { runner, show, tree } from './helpers.js';

const { cwd, home } = tree();
const run = runner(cwd, home);
const writes = (ts: RawTarget[]): RawTarget[] => ts.filter((t) => WRITE_OPS.includes(t.op));

describe('limits', () => {
  it('a command over maxBytes is refused before parsing', () => {
    assert.throws(() => run('rm .env', { maxBytes: 6 }), (e: unknown) =>
      e instanceof GuardError && e.message === 'shell command too large to check (7 bytes)');
    assert.throws(() => run(`echo ${'é'.repeat(4)}`, { maxBytes: 12 }), /too large to check \(13 bytes\)/);
    assert.throws(() => run(`#${'x'.repeat(2 * 1024 * 1024)}`), /too large to check \(2097153 bytes\)/);
    assert.deepEqual(run('rm .env', { maxBytes: 7 }).length, 1);
  });
  it('an exhausted budget throws GuardError', () => {
    const budget = new Budget(0, Date.now() - 1);
    const cmd = Array.from({ length: 200 }, (_, i) => `rm f${i}`).join('; ');
    assert.throws(() => run(cmd, { budget }), (e: unknown) => e instanceof GuardError && e.code === 'budget');
  });
  it('exponential variable growth is refused', () => {
    assert.throws(() => run(`X=aaaaaaaa; ${'X=$X$X; '.repeat(40)}rm $X`), /expands to more text than can be checked/);
  });
  it('a non-string command is refused', () => {
    assert.throws(() => shellTargets(42 as unknown as string, { cwd, home, env: {}, budget: new Budget(1000) }), GuardError);
  });
  it('no partial answer: a failure anywhere fails the whole command', () => {
    assert.throws(() => run("rm .env; apply_patch <<'EOF'\nnot a patch\nEOF"), GuardError);
    assert.throws(() => run('rm .env; bash -c "echo \\"unclosed"'), /cannot parse shell text run by bash -c/);
  });
});

describe('ordinary work (from the issue) has no protected target', () => {
  const cases: [string, RawTarget[]][] = [
    ['echo x 2>/dev/null', []],
    ['git commit -m "fix .env parsing"', []],
    ['grep KEY .env', []],
    ['npm test', []],
    ['cat .env.example > src/config.ts', [{ op: 'write', path: 'src/config.ts', base: cwd, via: 'redirect >', literal: 'src/config.ts' }]],
    ['rm -rf node_modules', [{ op: 'delete', path: 'node_modules', base: cwd, via: 'rm', literal: 'node_modules' }]],
    ['cp .env.example .env.sample', [{ op: 'write', path: '.env.sample', base: cwd, via: 'cp', literal: '.env.sample' }]],
  ];
  for (const [cmd, want] of cases) it(cmd, () => assert.deepEqual(run(cmd), want));
});

describe('every spelling from the issue reaches .env', () => {
  const spellings = [
    'rm .env', 'echo x > .env', 'echo x >> .env', 'echo x &> .env', 'tee .env', 'cp a .env', 'mv .env b', 'mv b .env',
    'ln -s x .env', 'rm -f .env', 'unlink .env', 'shred .env', 'truncate -s0 .env', 'touch .env', 'chmod 600 .env',
    'sed -i s/a/b/ .env', 'perl -pi -e 1 .env', 'dd if=a of=.env', 'install a .env', 'rsync a .env', 'mkdir .env', 'rmdir .env',
    'true; rm .env', 'true && rm .env', 'false || rm .env', 'echo | rm .env', 'rm .env &', '(rm .env)', '{ rm .env; }',
    'echo $(rm .env)', 'echo `rm .env`', 'cat <(rm .env)', "bash -c 'rm .env'", "sh -c 'rm \"$1\"' _ .env", 'eval "rm .env"',
    "bash <<'EOF'\nrm .env\nEOF", "bash <<< 'rm .env'", "echo 'rm .env' | sh", "printf 'rm .env' | bash", 'echo .env | xargs rm',
    'sudo rm .env', 'env -i rm .env', 'command rm .env', 'builtin eval "rm .env"', 'exec rm .env', 'nice rm .env',
    'nohup rm .env', 'time rm .env', 'timeout 5 rm .env', 'stdbuf -oL rm .env', 'xargs rm <<< .env', 'F=.env; rm $F',
    "rm '.e'nv", 'rm ".env"', 'rm \\.env', "rm $'\\x2eenv'", 'rm .e\\\nnv', 'D=.; rm ${D}env', 'cd sub && rm ../.env',
    "apply_patch <<'EOF'\n*** Begin Patch\n*** Delete File: .env\n*** End Patch\nEOF", '/bin/rm .env', 'rm .env{,.bak}',
  ];
  for (const cmd of spellings) {
    it(JSON.stringify(cmd), () => {
      const ts = writes(run(cmd));
      assert.ok(ts.some((t) => t.path === '.env' || t.path === '../.env'), show(ts));
    });
  }
});
