// Issue 13, finding 5: rule bases (`~`, $XDG_*, the project root) are normalized exactly like
// targets, through links; an empty or relative HOME (or XDG value) cannot move `~/` rules away
// from the real home.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { loadConfig } from '../../lib/config.js';
import { decide } from '../../lib/decide.js';
import { normalizeTarget } from '../../lib/paths.js';
import { homesOf } from '../../lib/paths/home.js';
import { Budget, type Verdict } from '../../lib/types.js';
import { tempDirs } from '../helpers/tmp.js';

const T = fs.realpathSync(tempDirs('hw-bases-')());
const real = path.join(T, 'x', 'realhome');
const proj = path.join(T, 'proj');
for (const d of ['.ssh', '.config/hookwarden', '.aws']) fs.mkdirSync(path.join(real, d), { recursive: true });
fs.mkdirSync(path.join(proj, '.git'), { recursive: true });
fs.mkdirSync(path.join(T, 'x', 'deep'), { recursive: true });
// Spellings of the real home: a link (as on systems where /home is one), a chain of links, a
// relative link from another folder, an absolute one, and a link to the home's parent.
fs.symlinkSync('realhome', path.join(T, 'x', 'homelink'));
fs.symlinkSync(path.join(T, 'x', 'homelink'), path.join(T, 'x', 'chain'));
fs.symlinkSync('../realhome', path.join(T, 'x', 'deep', 'up'));
fs.symlinkSync(path.join(T, 'x'), path.join(T, 'xlink'));
const SPELLINGS = [real, path.join(T, 'x', 'homelink'), path.join(T, 'x', 'chain'), path.join(T, 'x', 'deep', 'up'),
  path.join(T, 'xlink', 'realhome'), path.join(T, 'xlink', 'homelink'), `${path.join(T, 'x', 'deep')}/../homelink`];

function decideWrite(home: string, target: string, env: Record<string, string> = {}): Verdict {
  const c = loadConfig({ cwd: proj, home, env, platform: 'linux' });
  const t = normalizeTarget({ op: 'write', path: target, base: proj, via: 'Write' }, { home: path.isAbsolute(home) ? home : '/', platform: 'linux' });
  return decide([t], 'Write', c, { root: c.root, home, platform: 'linux', budget: new Budget(10_000) });
}

describe('HOME through a link covers the real home', () => {
  const link = path.join(T, 'x', 'homelink');
  const cases: [string, string][] = [
    ['.ssh/authorized_keys', 'secrets'],
    ['.config/hookwarden/config.json', 'self'],
    ['.local/state/hookwarden/audit.jsonl', 'self'],
    ['.aws/credentials', 'secrets'],
  ];
  for (const [tail, rule] of cases) {
    it(`HOME=<link>: a write to <real home>/${tail} is blocked (rule ${rule})`, () => {
      const v = decideWrite(link, path.join(real, tail));
      assert.deepEqual([v.decision, v.rule], ['deny', rule]);
    });
    it(`HOME=<real home>: a write through the link to ${tail} is blocked (rule ${rule})`, () => {
      const v = decideWrite(real, path.join(link, tail));
      assert.deepEqual([v.decision, v.rule], ['deny', rule]);
    });
  }
});

describe('an empty, relative or bogus HOME falls back to the account home', () => {
  const account = os.userInfo().homedir;
  for (const home of ['', '.', 'home', '../x', path.join(T, 'no-such-home')]) {
    it(`HOME=${JSON.stringify(home)}: <account home>/.ssh/authorized_keys is still protected`, () => {
      const v = decideWrite(home, path.join(account, '.ssh', 'authorized_keys'));
      assert.deepEqual([v.decision, v.rule], ['deny', 'secrets']);
    });
  }
  it('homesOf: an absolute HOME first, then the account home; nothing relative', () => {
    for (const home of ['', '.', 'home', undefined]) assert.deepEqual(homesOf(home), [account]);
    assert.deepEqual(homesOf('/elsewhere/me/'), account === '/elsewhere/me' ? [account] : ['/elsewhere/me', account]);
  });
});

describe('XDG directories: relative values are ignored, absolute ones are covered in every spelling', () => {
  it('a relative XDG_CONFIG_HOME does not move the protection of ~/.config/hookwarden', () => {
    for (const xdg of ['rel', './rel', '']) {
      const v = decideWrite(real, path.join(real, '.config', 'hookwarden', 'config.json'), { XDG_CONFIG_HOME: xdg });
      assert.deepEqual([v.decision, v.rule], ['deny', 'self'], xdg);
      assert.equal(decideWrite(real, path.join(proj, xdg || 'x', 'hookwarden', 'config.json'), { XDG_CONFIG_HOME: xdg }).decision, 'allow');
    }
  });
  it('an absolute XDG_CONFIG_HOME behind a link: both the real folder and ~/.config stay protected', () => {
    const xreal = path.join(T, 'xdg-real');
    fs.mkdirSync(path.join(xreal, 'hookwarden'), { recursive: true });
    const xlink = path.join(T, 'xdg-link');
    fs.symlinkSync(xreal, xlink);
    for (const target of [path.join(xreal, 'hookwarden', 'config.json'), path.join(xlink, 'hookwarden', 'config.json'),
      path.join(real, '.config', 'hookwarden', 'config.json')]) {
      const v = decideWrite(real, target, { XDG_CONFIG_HOME: xlink });
      assert.deepEqual([v.decision, v.rule], ['deny', 'self'], target);
    }
  });
});

describe('property: a target and a rule base reached through different link spellings match identically', () => {
  const TAILS = ['.ssh/authorized_keys', '.ssh', '.ssh/x/y', 'notes.txt', '.config/hookwarden/config.json', '.config/other',
    '.aws/credentials', '.local/state/hookwarden/audit.jsonl', 'new/.ssh/k'];
  const canonical = new Map<string, string | undefined>();
  const expected = (tail: string): string => {
    if (!canonical.has(tail)) {
      const v = decideWrite(real, path.join(real, tail));
      canonical.set(tail, `${v.decision}/${v.rule}`);
    }
    return canonical.get(tail) as string;
  };
  it('for every spelling of HOME and of the target', () => {
    fc.assert(fc.property(fc.constantFrom(...SPELLINGS), fc.constantFrom(...SPELLINGS), fc.constantFrom(...TAILS), (homeAs, targetAs, tail) => {
      const v = decideWrite(homeAs, path.join(targetAs, tail));
      assert.equal(`${v.decision}/${v.rule}`, expected(tail), `HOME=${homeAs} target=${targetAs}/${tail}`);
    }), { numRuns: 150 });
  });
});
