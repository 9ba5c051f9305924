// A guarded fixture for commands whose effect is compared with real bash: the project prepared by
// `prepare`, the same fixture again with `unresolved: deny`, and `reallyWrites`, which runs a
// command with bash in a fresh copy of the fixture and says whether it changed ~/.bashrc.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { after, it } from 'node:test';
import type { LoadedConfig } from '../../lib/config.js';
import type { Verdict } from '../../lib/types.js';
import { decideWith, guardProject, loadWith, writeFixture, type GuardProject } from './guard-project.js';

export interface BashReference {
  /** The fixture with the default config. */
  gp: GuardProject;
  /** The same fixture, and its config with `unresolved: deny`. */
  sp: GuardProject;
  strict: LoadedConfig;
  reallyWrites(cmd: string): boolean;
  /**
   * One test per command: bash really writes ~/.bashrc with it, the guard does not allow it silently,
   * and blocks it under `unresolved: deny`. `open` marks findings not yet closed as todo (with why).
   */
  notSilent(cmds: string[], open?: [RegExp, string][]): void;
}

const UNSAFE = /\benv\s+(?:-\S*i|-\s|--ignore-environment)|(?<![-\w])(?:runuser|sudo|doas|pkexec|login|machinectl)\b|(?<![-\w])su\s|\bunset\s+HOME\b|\bHOME=(?:\s|$|;)/;

/** Registers its own cleanup (node:test `after`). */
export function bashReference(prepare: (project: string) => void): BashReference {
  const gp = guardProject();
  prepare(gp.project);
  const sp = guardProject();
  prepare(sp.project);
  const strict = loadWith(sp, { unresolved: 'deny' });
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-bash-ref-'));
  after(() => {
    gp.cleanup();
    sp.cleanup();
    fs.rmSync(scratch, { recursive: true, force: true });
  });
  let runs = 0;
  const reallyWrites = (cmd: string): boolean => {
    // Never run what would find the machine's own home instead of the throwaway one: a cleared
    // environment (`~` then comes from the password database), a new login (runuser, su, sudo).
    if (UNSAFE.test(cmd)) throw new Error(`not run for real (it would reach this machine's own home): ${cmd}`);
    const { project, home } = writeFixture(path.join(scratch, String(runs++)));
    prepare(project);
    const before = fs.readFileSync(path.join(home, '.bashrc'), 'utf8');
    spawnSync('bash', ['-c', `${cmd}\nwait`], {
      cwd: project, env: { PATH: process.env.PATH, HOME: home }, stdio: 'ignore', timeout: 10_000,
    });
    return fs.readFileSync(path.join(home, '.bashrc'), 'utf8') !== before;
  };
  const notSilent = (cmds: string[], open: [RegExp, string][] = []): void => {
    for (const cmd of cmds) {
      const todo = open.find(([re]) => re.test(cmd))?.[1];
      it(cmd.split('\n').join(' / '), todo ? { todo } : {}, () => {
        assert.ok(reallyWrites(cmd), 'bash really writes ~/.bashrc');
        const v = gp.check(cmd);
        assert.ok(!silent(v), show(v));
        assert.equal(decideWith(sp, strict, cmd).decision, 'deny');
      });
    }
  };
  return { gp, sp, strict, reallyWrites, notSilent };
}

/** Allowed with nothing unresolved: what a bypass looks like. */
export const silent = (v: Verdict): boolean => v.decision === 'allow' && !v.targets.some((t) => t.unresolved);

export const show = (v: Verdict): string => `${v.decision} ${v.reason ?? ''} ${JSON.stringify(v.targets.map((t) => `${t.op} ${t.path}${t.unresolved ? ' ?' : ''}`))}`;
