// Property: the parameter operators the guard computes (`#`, `##`, `%`, `%%`, `/`, `//`, `/#`,
// `/%`, `^^`, `,,`, `^`, `,`, `:off:len`) give exactly what bash gives, on random values and
// random patterns; a form the guard does not compute must come out unresolved, never wrong.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { shellTargets } from '../../../../lib/targets/shell/index.js';
import { Budget, UNRESOLVED_SEGMENT } from '../../../../lib/types.js';

const value = fc.array(fc.constantFrom('a', 'b', '/', '.', 'X', 'e'), { maxLength: 10 }).map((cs) => cs.join(''));
const patPiece = fc.constantFrom('a', 'b', '/', '.', '*', '?', '[ab]', '[!a]', '[a-c]', '[[:alpha:]]', '[![:punct:]]', 'X', '\\*', '"."', "'*'");
const pattern = fc.array(patPiece, { maxLength: 4 }).map((ps) => ps.join(''));
const expr = fc.oneof(
  fc.tuple(fc.constantFrom('#', '##', '%', '%%', '^', '^^', ',', ',,'), pattern).map(([op, p]) => `\${V${op}${p}}`),
  fc.tuple(fc.constantFrom('/', '//', '/#', '/%'), pattern, fc.constantFrom('', 'Z', 'q/', '.e')).map(([op, p, r]) => `\${V${op}${p}/${r}}`),
  fc.tuple(fc.integer({ min: -4, max: 8 }), fc.option(fc.integer({ min: -3, max: 6 }))).map(([o, l]) => `\${V:(${o})${l === null ? '' : `:${l}`}}`),
);

describe('parameter operators agree with bash', () => {
  it('random values, operators and patterns', () => {
    const cases = fc.sample(fc.tuple(value, expr), { numRuns: 300, seed: Number(process.env.SEED ?? 13) });
    // One bash for all cases: each result NUL-terminated, the exit status of a failing one kept apart.
    const script = cases.map(([v, e]) => `V='${v}'; ( printf '%s' "${e}" ) 2>/dev/null || printf '<error>'; printf '\\0'`).join('\n');
    const real = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', LC_ALL: 'C' } }).stdout.split('\0');
    let computed = 0;
    cases.forEach(([v, e], k) => {
      const cmd = `V='${v}'; rm "${e}"`;
      const got = shellTargets(cmd, { cwd: '/tmp', home: '/tmp', env: {}, budget: new Budget(10_000) });
      const want = real[k]!;
      if (want === '<error>') return; // bash refused the expansion: the command does not run
      assert.equal(got.length, 1, cmd);
      if (got[0]!.path.includes(UNRESOLVED_SEGMENT)) return;
      computed++;
      assert.equal(got[0]!.path, want, `${cmd}: bash gives ${JSON.stringify(want)}`);
    });
    assert.ok(computed > cases.length * 0.8, `only ${computed} of ${cases.length} computed`);
  });
});
