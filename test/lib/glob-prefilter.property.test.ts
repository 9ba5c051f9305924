import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Minimatch } from 'minimatch';
import { mayMatch, prefilterOf } from '../../lib/glob-prefilter.js';
import { PRESETS } from '../../rules/index.js';
import { compileGlob } from '../../lib/rules.js';

// The prefilter may only skip Minimatch when Minimatch would say no: a wrong "cannot match" lets
// a protected path through. Patterns and paths are drawn from one small alphabet so they collide
// often, with every kind of magic minimatch knows, dot names, case and non-ASCII look-alikes
// (the Kelvin sign and the long s fold to ASCII letters in a case-insensitive RegExp).
const name = fc.constantFrom('a', 'b', 'A', 'ab', '.env', '.env.x', 'id_rsa', 'id_rsa.pub', 'x.pem', '.git', 'secrets',
  'k', '\u212a', 's', '\u017f', 'é', 'E\u0301', '.', 'a.b', '..');
const magic = fc.constantFrom('*', '**', '?', '*.pem', 'id_rsa*', '.env.*', '*a', 'a*', '[ab]', '{a,b}', '+(a|b)', '!(a)',
  '@(a)', '\\*', 'a?', '*.*', '{.env,x.pem}', '[!a]*');
const segment = fc.oneof(name, magic);
const pattern = fc.array(segment, { minLength: 1, maxLength: 5 }).map((s) => s.join('/'));
const relPath = fc.array(name, { minLength: 1, maxLength: 6 }).map((s) => s.join('/'));

const minimatch = (p: string, nocase: boolean): Minimatch =>
  new Minimatch(p, { dot: true, nocase, nocomment: true, nonegate: true });

describe('glob prefilter', () => {
  for (const nocase of [false, true]) {
    it(`never rules out a path minimatch matches (nocase ${nocase})`, () => {
      fc.assert(
        fc.property(pattern, relPath, (p, rel) => {
          const f = prefilterOf(p, nocase);
          // The matcher sees what subjectOf gives it: folded already where the platform folds case.
          const subject = nocase ? rel.toLowerCase() : rel;
          if (f && !mayMatch(f, subject)) assert.equal(minimatch(p, nocase).match(subject), false, `${p} vs ${subject}`);
        }),
        { numRuns: 20_000 },
      );
    });
  }

  it('rules out most ordinary paths for the default presets, and keeps every path they match', () => {
    const g = { root: '/w/proj', home: '/home/u', env: {}, platform: 'linux' as const };
    const globs = Object.values(PRESETS).flatMap((p) => p.rules.flatMap((r) => [...r.paths, ...(r.except ?? [])]));
    const compiled = globs.map((x) => compileGlob(x, g)).filter((c) => c.base === '');
    const ordinary = ['w/proj/src/app.ts', 'w/proj/package.json', 'tmp/build/out.js', 'w/proj/README.md'];
    let skipped = 0;
    let total = 0;
    for (const c of compiled) {
      c.patterns.forEach((p, i) => {
        for (const rel of ordinary) {
          total++;
          if (c.filters[i] && !mayMatch(c.filters[i]!, rel)) skipped++;
          else assert.equal(minimatch(p, false).match(rel), false, `${p} should not match ${rel}`);
        }
      });
    }
    assert.ok(skipped / total > 0.9, `only ${skipped} of ${total} skipped`);
    // And the protected names still reach minimatch and match.
    for (const [glob, rel] of [['**/.env', 'w/proj/.env'], ['**/*.pem', 'a/b/c.pem'], ['**/id_rsa*', 'home/u/.ssh/id_rsa.pub'],
      ['**/secrets/**', 'w/proj/secrets/x/y'], ['**/.env.*', 'w/.env.local'], ['**/.git/**', 'w/proj/.git/config']] as const) {
      const c = compileGlob(glob, g);
      assert.ok(c.patterns.some((p, i) => (!c.filters[i] || mayMatch(c.filters[i]!, rel)) && minimatch(p, false).match(rel)), `${glob} ${rel}`);
    }
  });
});
