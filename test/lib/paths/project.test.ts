import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { displayPath, findProjectRoot } from '../../../lib/paths.js';
import { UNRESOLVED_SEGMENT as U } from '../../../lib/types.js';

const T = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-')));
after(() => fs.rmSync(T, { recursive: true, force: true }));
for (const d of ['git/.git', 'git/a/b', 'codex/.codex', 'codex/x', 'claude/.claude', 'hw/.hookwarden', 'hw/sub/.git', 'plain/a', 'home/.codex', 'home/.claude', 'home/work/x', 'dotfiles/.git', 'dotfiles/w']) {
  fs.mkdirSync(`${T}/${d}`, { recursive: true });
}
fs.mkdirSync(`${T}/worktree/src`, { recursive: true });
fs.writeFileSync(`${T}/worktree/.git`, 'gitdir: /elsewhere\n'); // a linked worktree's .git is a file
/** Does anything above T mark a project? Then "else cwd" cannot be observed here. */
const markedAbove = (() => {
  for (let d = path.dirname(T); ; d = path.dirname(d)) {
    if (['.git', '.codex', '.claude', '.hookwarden'].some((m) => fs.existsSync(path.join(d, m)))) return true;
    if (path.dirname(d) === d) return false;
  }
})();

describe('findProjectRoot', () => {
  const cases: [string, string, string][] = [
    ['.git two levels up', `${T}/git/a/b`, `${T}/git`],
    ['cwd itself (inclusive)', `${T}/git`, `${T}/git`],
    ['.codex', `${T}/codex/x`, `${T}/codex`],
    ['.claude', `${T}/claude`, `${T}/claude`],
    ['.hookwarden', `${T}/hw`, `${T}/hw`],
    ['the nearest marker wins', `${T}/hw/sub`, `${T}/hw/sub`],
    ['.git as a file (worktree)', `${T}/worktree/src`, `${T}/worktree`],
    ['trailing slash on cwd', `${T}/git/a/`, `${T}/git`],
  ];
  for (const [what, cwd, expected] of cases) it(what, () => assert.equal(findProjectRoot(cwd, `${T}/home`), expected));

  it('home is not a project because of ~/.codex or ~/.claude', { skip: markedAbove && 'a project marker above the temp dir' }, () => {
    assert.equal(findProjectRoot(`${T}/home/work/x`, `${T}/home`), `${T}/home/work/x`);
  });
  it('without home given, the same dir counts through .codex', () => {
    assert.equal(findProjectRoot(`${T}/home/work/x`, ''), `${T}/home`);
  });
  it('home counts through .git (a dotfiles repository)', () => {
    assert.equal(findProjectRoot(`${T}/dotfiles/w`, `${T}/dotfiles`), `${T}/dotfiles`);
  });
  it('no marker anywhere: cwd', { skip: markedAbove && 'a project marker above the temp dir' }, () => {
    assert.equal(findProjectRoot(`${T}/plain/a`, `${T}/home`), `${T}/plain/a`);
  });
  it('a missing cwd still terminates', { skip: markedAbove && 'a project marker above the temp dir' }, () => {
    assert.equal(findProjectRoot(`${T}/nope/deeper`, `${T}/home`), `${T}/nope/deeper`);
  });
});

describe('displayPath', () => {
  const root = '/w/proj';
  const home = '/home/me';
  const cases: [string, string, string, string, string][] = [
    ['inside root: relative', '/w/proj/src/a.ts', root, home, 'src/a.ts'],
    ['root itself', '/w/proj', root, home, '.'],
    ['a sibling with the root as prefix is not inside', '/w/project/x', root, home, '/w/project/x'],
    ['under home', '/home/me/.ssh/id_rsa', root, home, '~/.ssh/id_rsa'],
    ['home itself', '/home/me', root, home, '~'],
    ['root under home wins', '/home/me/p/.env', '/home/me/p', home, '.env'],
    ['elsewhere: absolute', '/etc/hosts', root, home, '/etc/hosts'],
    ['root of / does not make everything relative', '/etc/hosts', '/', home, '/etc/hosts'],
    ['trailing slash on root', '/w/proj/a', '/w/proj/', home, 'a'],
    ['win32 spelling', 'C:/Users/me/.aws/credentials', 'C:/p', 'C:/Users/me', '~/.aws/credentials'],
    ['placeholder shown readably', `/w/proj/${U}/.env`, root, home, '<unresolved>/.env'],
    ['control characters escaped: one line', '/w/proj/a\nb\u0000', root, home, 'a\\x0ab\\x00'],
  ];
  for (const [what, p, r, h, expected] of cases) it(what, () => assert.equal(displayPath(p, r, h), expected));
});
