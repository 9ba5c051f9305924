// The static expansion count (glob-limits.ts) must never under-count what minimatch expands, or a
// bomb could pass the schema; and it must stay a pure function of the text (no expansion).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { braceExpand } from 'minimatch';
import { bracesBalanced, complexityProblem, expansions } from '../../lib/glob-limits.js';

/** Random glob text built from brace-relevant pieces, balanced or not, nested or not. */
const piece: fc.Arbitrary<string> = fc.letrec((tie) => ({
  item: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('a', 'b', '/', '*', '**', '?', '[ab]', '.', ',', '{', '}', '\\{', '\\,', '{}', '{a}', '{1..3}', '{a..c}', '{5..1..2}', '$', '..'),
    fc.array(tie('item'), { minLength: 1, maxLength: 3 }).map((xs) => xs.join('')),
    fc.array(fc.array(tie('item'), { maxLength: 3 }).map((xs) => xs.join('')), { minLength: 2, maxLength: 4 }).map((alts) => `{${alts.join(',')}}`),
  ),
})).item;
const glob = fc.array(piece, { maxLength: 8 }).map((xs) => xs.join(''));

describe('glob expansion bound', () => {
  it('never counts fewer patterns than minimatch makes of an accepted glob', () => {
    fc.assert(fc.property(glob, (g) => {
      const n = expansions(g);
      if (n === 'deep' || !bracesBalanced(g) || n > 5000) return;
      const made = braceExpand(g, { braceExpandMax: 100_000 }).length;
      assert.ok(made <= n, `${JSON.stringify(g)}: counted ${n}, minimatch made ${made}`);
    }), { numRuns: 3000 });
  });

  it('rejects every glob minimatch would expand past the bound', () => {
    fc.assert(fc.property(glob, (g) => {
      if (complexityProblem(g) !== undefined) return;
      assert.ok(braceExpand(g, { braceExpandMax: 100_000 }).length <= 64, JSON.stringify(g));
    }), { numRuns: 3000 });
  });

  it('counts known shapes exactly', () => {
    const cases: [string, number | 'deep'][] = [
      ['a', 1], ['{a,b}', 2], ['{a,b}{c,d,e}', 6], ['{a,{b,c}}', 3], ['x/{1..10}', 10], ['{a..e}', 5], ['{1..10..3}', 4],
      ['\\{a,b}', 1], ['{a}', 1], ['**/{a,b}'.repeat(1), 2], [`**/${'{a,b}'.repeat(17)}`, 131072], ['{a,{b,{c,{d,e}}}}', 'deep'],
    ];
    for (const [g, n] of cases) assert.equal(expansions(g), n, g);
  });
});
