// Properties of the project root against reality: random trees with repositories (`git init`),
// linked worktree style `.git` files and agent-made marker folders. The root agrees with git's own
// `rev-parse --show-toplevel`, and a user's relative deny rule covers the top repository's path
// from every working directory below it, whatever markers lie between.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { loadConfig } from '../../lib/config.js';
import { decide } from '../../lib/decide.js';
import { findProjectRoots, normalizeTarget } from '../../lib/paths.js';
import { Budget } from '../../lib/types.js';
import { tempDirs } from '../helpers/tmp.js';

const temp = tempDirs('hw-rootprop-');
const DIRS = ['a', 'a/b', 'a/b/c', 'a/d', 'a/d/e', 'f'];
const MARKERS = ['git-init', '.claude', '.codex', '.hookwarden', 'none'] as const;

const git = (...args: string[]) => spawnSync('git', args, { encoding: 'utf8', env: { ...process.env, GIT_CEILING_DIRECTORIES: '' } });

describe('property: project roots', () => {
  it('the root is git\'s top level inside a work tree, and deploy/** of the top stays covered from everywhere', () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.constantFrom(...DIRS), fc.constantFrom(...MARKERS)), { maxLength: 5 }),
      fc.constantFrom(...DIRS),
      (marks, cwdRel) => {
        const dir = fs.realpathSync(temp());
        const top = path.join(dir, 'top');
        const home = path.join(dir, 'home');
        for (const d of [...DIRS, 'deploy']) fs.mkdirSync(path.join(top, d), { recursive: true });
        assert.equal(git('init', '-q', top).status, 0);
        fs.mkdirSync(path.join(home, '.config', 'hookwarden'), { recursive: true });
        fs.writeFileSync(path.join(home, '.config', 'hookwarden', 'config.json'),
          JSON.stringify({ rules: [{ id: 'deploy', effect: 'deny', paths: ['deploy/**'], locked: true }] }));
        for (const [d, m] of marks) {
          const at = path.join(top, d);
          if (m === 'git-init') assert.equal(git('init', '-q', at).status, 0);
          else if (m !== 'none') fs.mkdirSync(path.join(at, m), { recursive: true });
        }
        const cwd = path.join(top, cwdRel);
        const gitTop = git('-C', cwd, 'rev-parse', '--show-toplevel').stdout.trim();
        assert.equal(findProjectRoots(cwd, home).root, gitTop, `cwd ${cwdRel}, markers ${JSON.stringify(marks)}`);
        const c = loadConfig({ cwd, home, env: {}, platform: 'linux' });
        const rel = path.relative(cwd, path.join(top, 'deploy', 'app.yaml'));
        const t = normalizeTarget({ op: 'write', path: rel, base: cwd, via: 'redirect >' }, { home, platform: 'linux' });
        const v = decide([t], 'Bash', c, { root: c.root, home, platform: 'linux', budget: new Budget(10_000) });
        assert.deepEqual([v.decision, v.rule], ['deny', 'deploy'], `cwd ${cwdRel}, markers ${JSON.stringify(marks)}`);
      },
    ), { numRuns: 40 });
  });
});
