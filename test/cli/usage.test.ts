// Usage errors mean "could not check" (exit 2) for every subcommand; --help and --version exit 0.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const CLI = path.resolve(import.meta.dirname, '..', '..', 'dist', 'cli.js');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', env: { ...process.env, HOME: '/nonexistent-home' } });

for (const cmd of ['check', 'verify', 'ship', 'install', 'uninstall', 'doctor', 'validate', 'tail', 'stats', 'schema']) {
  test(`${cmd}: an unknown option exits 2; --help exits 0 with examples`, () => {
    const bad = run([cmd, '--no-such-option']);
    assert.equal(bad.status, 2, bad.stderr);
    assert.match(bad.stderr, /unknown option/);
    const help = run([cmd, '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /Examples?:/);
    assert.match(help.stdout, /Exit codes?/i);
  });
}

test('an unknown command exits 2; --version exits 0', () => {
  assert.equal(run(['no-such-command']).status, 2);
  const v = run(['--version']);
  assert.equal(v.status, 0);
  assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
});
