// Property: how a flag is spelled (short or long, bundled with others, before or after the
// operands, a value attached or separate) never changes a command rule's decision.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { commandSandbox } from '../../helpers/commands.js';

interface Flag { key: string; short?: string; long: string; value?: string }
interface Scenario { head: string; operands: string[]; flags: Flag[]; rule: string; decides(on: Set<string>): boolean }

const SCENARIOS: Scenario[] = [
  {
    head: 'git push', operands: ['origin', 'main'], rule: 'git.push-force',
    flags: [{ key: 'force', short: 'f', long: 'force' }, { key: 'v', short: 'v', long: 'verbose' }, { key: 'u', short: 'u', long: 'set-upstream' },
      { key: 'q', short: 'q', long: 'quiet' }, { key: 'o', short: 'o', long: 'push-option', value: 'ci.skip' }],
    decides: (on) => on.has('force'),
  },
  {
    head: 'rm', operands: ['/srv/data', 'x'], rule: 'fs.rm-recursive',
    flags: [{ key: 'r', short: 'r', long: 'recursive' }, { key: 'f', short: 'f', long: 'force' }, { key: 'v', short: 'v', long: 'verbose' }],
    decides: (on) => on.has('r'),
  },
  {
    head: 'git clean', operands: ['src'], rule: 'git.clean-force',
    flags: [{ key: 'force', short: 'f', long: 'force' }, { key: 'd', short: 'd', long: 'dirs-ignored-x' }, { key: 'n', short: 'n', long: 'dry-run' },
      { key: 'q', short: 'q', long: 'quiet' }, { key: 'e', short: 'e', long: 'exclude', value: '*.log' }],
    decides: (on) => on.has('force') && !on.has('n'),
  },
  {
    head: 'git -C . branch', operands: ['feature'], rule: 'git.branch-force-delete',
    flags: [{ key: 'D', short: 'D', long: 'DUMMY' }, { key: 'v', short: 'v', long: 'verbose' }, { key: 'q', short: 'q', long: 'quiet' }],
    decides: (on) => on.has('D'),
  },
];

const sb = commandSandbox();

/** One spelling: each chosen flag short or long, shorts possibly bundled, words shuffled among the operands. */
function spelled(s: Scenario, on: Flag[], longs: boolean[], bundle: boolean, order: number[], eq: boolean): string {
  const words: string[] = [];
  let pending = '';
  on.forEach((f, k) => {
    const useLong = longs[k] || !f.short || (f.key === 'D');
    if (f.key === 'D') {
      words.push('-D');
      return;
    }
    if (useLong) {
      if (f.value !== undefined) words.push(...(eq ? [`--${f.long}=${f.value}`] : [`--${f.long}`, f.value]));
      else words.push(`--${f.long}`);
    } else if (f.value !== undefined) words.push(eq ? `-${f.short}${f.value}` : `-${f.short}`, ...(eq ? [] : [f.value]));
    else if (bundle) pending += f.short;
    else words.push(`-${f.short}`);
  });
  if (pending) words.push(`-${pending}`);
  // Options and operands interleave; an option's value stays right after it.
  const units: string[][] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    if (next !== undefined && !next.startsWith('-') && (w === '-o' || w === '-e' || w === '--push-option' || w === '--exclude')) {
      units.push([w, next]);
      i++;
    } else units.push([w]);
  }
  const all = [...units, ...s.operands.map((o) => [o])];
  const sorted = order.slice(0, all.length).map((k, i) => [k, i] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1]).map(([, i]) => all[i]!);
  const tail = all.filter((u) => !sorted.includes(u));
  return `${s.head} ${[...sorted, ...tail].flat().map((w) => (/^[\w./=:*-]+$/.test(w) ? w : `'${w}'`)).join(' ')}`;
}

describe('flag spelling never changes a decision', () => {
  for (const s of SCENARIOS) {
    it(`${s.head} (${s.rule})`, () => {
      fc.assert(fc.property(
        fc.subarray(s.flags),
        fc.array(fc.boolean(), { minLength: 6, maxLength: 6 }),
        fc.boolean(),
        fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 10, maxLength: 10 }),
        fc.boolean(),
        (on, longs, bundle, order, eq) => {
          const cmd = spelled(s, on, longs, bundle, order, eq);
          const expected = s.decides(new Set(on.map((f) => f.key)));
          assert.equal(sb.commandRule(cmd) === s.rule, expected, cmd);
        },
      ), { numRuns: 150 });
    });
  }
});

describe('a dry run undone by a later --no- spelling is no dry run (last one wins)', () => {
  const DRY = ['-n', '--dry-run', '--dry-r', '--no-dry-run', '--no-dry'];
  const on = (w: string): boolean => !w.startsWith('--no-');
  for (const [head, rule, tail] of [['git push', 'git.push-force', '-f origin main'], ['git clean', 'git.clean-force', '--force']] as const) {
    it(`${head} (${rule})`, () => {
      fc.assert(fc.property(fc.array(fc.constantFrom(...DRY), { maxLength: 4 }), fc.nat({ max: 4 }), (seq, at) => {
        // The force flag anywhere among the dry-run words: only their order decides.
        const words = [...seq.slice(0, at), tail, ...seq.slice(at)];
        const dry = seq.length > 0 && on(seq.at(-1)!);
        assert.equal(sb.commandRule(`${head} ${words.join(' ')}`) === rule, !dry, words.join(' '));
      }), { numRuns: 120 });
    });
  }
  it('kubectl --dry-run: its last value decides', () => {
    const VALS = ['--dry-run', '--dry-run=client', '--dry-run=server', '--dry-run=none', '--dry-run=None'];
    fc.assert(fc.property(fc.array(fc.constantFrom(...VALS), { maxLength: 3 }), (seq) => {
      const real = seq.length === 0 || /=none$/i.test(seq.at(-1)!);
      assert.equal(sb.commandRule(`kubectl delete ns prod ${seq.join(' ')}`) === 'infra.kubectl-delete-cluster-objects', real, seq.join(' '));
    }), { numRuns: 80 });
  });
});
