import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RawTarget } from '../../../../lib/types.js';
import { runner, show, target, tree } from './helpers.js';

const { root, cwd, home } = tree([], ['etc']);
const run = runner(cwd, home);
const T = target(cwd);
const rm = (p = '.env', more: { base?: string; literal?: string } = {}): RawTarget => T('delete', p, 'rm', more);

describe('wrappers are skipped to reach the real command', () => {
  const cases: [string, RawTarget[]][] = [
    ['sudo rm .env', [rm()]],
    ['sudo -u root -E rm .env', [rm()]],
    ['sudo --user=root -- rm .env', [rm()]],
    ['sudo -n -H FOO=1 rm .env', [rm()]],
    [`sudo -D ${root}/etc rm x`, [rm('x', { base: `${root}/etc` })]],
    ['sudo -e .env', [T('write', '.env', 'sudoedit')]],
    ['sudo -l', []],
    ['doas -u root rm .env', [rm()]],
    ['env rm .env', [rm()]],
    ['env -i PATH=/bin rm .env', [rm()]],
    ['env -u HOME -- rm .env', [rm()]],
    ['env - X=1 Y=2 rm .env', [rm()]],
    [`env -C ${root}/etc rm x`, [rm('x', { base: `${root}/etc` })]],
    ['env -S "rm .env"', [rm('.env', { literal: '"rm .env"' })]],
    ['command rm .env', [rm()]],
    ['command -p rm .env', [rm()]],
    ['command -v rm .env', []],
    ['builtin eval "rm .env"', [rm()]],
    ['exec rm .env', [rm()]],
    ['exec -a name rm .env', [rm()]],
    ['nice rm .env', [rm()]],
    ['nice -n 10 rm .env', [rm()]],
    ['nice -10 rm .env', [rm()]],
    ['nohup rm .env &', [rm()]],
    ['time rm .env', [rm()]],
    ['time -p rm .env', [rm()]],
    ['/usr/bin/time -v rm .env', [rm()]],
    ['/usr/bin/time -o .env true', [T('write', '.env', 'time -o')]],
    ['timeout 5 rm .env', [rm()]],
    ['timeout -s KILL -k 1 5s rm .env', [rm()]],
    ['timeout --signal=TERM 5 rm .env', [rm()]],
    ['stdbuf -oL -e 0 rm .env', [rm()]],
    ['stdbuf --output=L rm .env', [rm()]],
    ['setsid -f rm .env', [rm()]],
    ['ionice -c 3 rm .env', [rm()]],
    ['ionice -p 123', []],
    ['flock /tmp/lock rm .env', [T('write', '/tmp/lock', 'flock'), rm()]],
    ['flock -w 5 .lock -c "rm .env"', [T('write', '.lock', 'flock'), rm()]],
    ['flock 9', []],
    ['su -c "rm .env" root', [rm()]],
    ['busybox rm .env', [rm()]],
    ['sudo env FOO=1 nice -n 5 timeout 10 nohup /bin/rm -f .env', [rm()]],
    ['xargs sudo rm <<< .env', [rm()]],
  ];
  for (const [cmd, want] of cases) {
    it(cmd, () => {
      const got = run(cmd);
      assert.deepEqual(got, want, show(got));
    });
  }
});

describe('variables a wrapper passes reach nested shells', () => {
  it('env VAR=value bash -c', () => {
    assert.deepEqual(run("env F=.env bash -c 'rm $F'"), [rm('.env', { literal: '$F' })]);
  });
  it('sudo VAR=value sh -c', () => {
    assert.deepEqual(run("sudo F=.env sh -c 'rm \"$F\"'"), [rm('.env', { literal: '"$F"' })]);
  });
});
