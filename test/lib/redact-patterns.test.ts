// Every redaction pattern scans in linear time: its steps, counted by a backtracking matcher that
// works like V8's (test/helpers/regex-steps.ts), stay under a fixed number per character on
// adversarial inputs, and grow linearly when the input grows. Counted, never timed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { countSteps, sampleText } from '../helpers/regex-steps.js';
import { CLI_PASSWORD_OPTIONS, FIRST, LAST, POSITIONAL_CREDENTIALS, STDIN_CREDENTIAL_COMMANDS, VALUE } from '../../lib/secret-rules.js';
import { GITLEAKS_RULES } from '../../lib/secret-patterns.js';
import { builtinKeywords, builtinKeywordsIn } from '../../lib/redact.js';

/** Steps per character a pattern may cost on any input (the work budget in lib/redact.ts assumes it). */
const MAX_STEPS_PER_CHAR = 200;
const N = 1000;

const PATTERNS: [name: string, source: string, flags: string][] = [
  ...[...FIRST, ...LAST].map(([kind, source, flags = '']): [string, string, string] => [kind, source, flags]),
  ...CLI_PASSWORD_OPTIONS.flatMap(([kind, program, option]): [string, string, string][] => [
    [`${kind} (program)`, `(?<![\\w./-])${program}(?![\\w-])`, ''],
    [`${kind} (option)`, `([ \\t]${option})${VALUE}`, ''],
  ]),
  ...GITLEAKS_RULES.map(([id, source]): [string, string, string] => [`gitleaks ${id}`, source, '']),
  // The shell-shape rules (lib/redact-commands.ts) run these over each command.
  ...[...STDIN_CREDENTIAL_COMMANDS, ...POSITIONAL_CREDENTIALS].flatMap(([program, , condition], i): [string, string, string][] => [
    [`command row ${i} (program)`, `(?<![\\w.-])${program}(?![\\w-])`, ''],
    ...(typeof condition === 'string' && condition !== '' ? [[`command row ${i} (condition)`, condition, ''] as [string, string, string]] : []),
  ]),
];

/** Units known to hurt patterns of this shape (many starts, long scans that fail at the end). */
const CRAFTED = [
  'T.', '-UA=', 'COOKIE\t-', 'AA++AA0+', '-----BEGIN PRIVATE KEY-----0', 'eyJ', 'eyJa.eyJb.', 'BEARER\t\t\t', 's\0',
  'github_pat_', "-p'&", '&', ':@', 'he', 'skt-', 'npm_n', 'rr', 'x\0', '\t$', "\t'", ' -a\t', '\t-U\t\t', '\t-\tb\t',
  'PASSWORD="', '--password ', 'mysql ', 'docker login ', 'a_token ', 'a.b.', '://u:p', 'Authorization: ', 'Cookie: ',
  '"', "'", ' ', 'a', '0', '-', '_', '.', '=', ':', '/',
];

const fill = (unit: string, n: number): string => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);

for (const [name, source, flags] of PATTERNS) {
  test(`pattern ${name}: bounded steps per character on adversarial input, linear growth`, () => {
    new RegExp(source, `g${flags}`); // valid JavaScript
    let worst = { steps: 0, unit: 'x' };
    const consider = (unit: string): void => {
      if (unit === '') return;
      const { steps } = countSteps(source, flags, fill(unit, N));
      if (steps > worst.steps) worst = { steps, unit };
    };
    CRAFTED.forEach(consider);
    // Fragments of text the pattern itself (nearly) matches, cut and repeated: drives it deep, then fails.
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 2 ** 30 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean()), { minLength: 1, maxLength: 3 }), fc.constantFrom('', ' ', '\n'), (parts, glue) => {
        let seed = parts[0]![0];
        const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
        const unit = parts.map(([, cut, head]) => {
          const t = sampleText(source, flags, rnd);
          const at = Math.floor(cut * (t.length + 1));
          return head ? t.slice(0, at) : t.slice(at);
        }).join(glue);
        consider(unit);
      }),
      { numRuns: 12, seed: 13 },
    );
    assert.ok(worst.steps <= MAX_STEPS_PER_CHAR * N, `${worst.steps / N} steps per character on ${JSON.stringify(worst.unit.slice(0, 80))}`);
    const four = countSteps(source, flags, fill(worst.unit, 4 * N)).steps;
    assert.ok(four <= 4.5 * worst.steps + 1000, `steps ${worst.steps} -> ${four} for 4x the input ${JSON.stringify(worst.unit.slice(0, 80))}`);
  });
}

// The keyword prefilter must never skip a rule that would match: every match holds a keyword.
// (Imported gitleaks rules keep gitleaks' own semantics: a rule applies to text with its keyword.)
const OWN: [name: string, source: string, flags: string, keywords: readonly string[] | undefined][] = [
  ...[...FIRST, ...LAST].map(([kind, source, flags = '', keywords]): [string, string, string, readonly string[] | undefined] => [kind, source, flags, keywords]),
  ...CLI_PASSWORD_OPTIONS.map(([kind, program, , keywords]): [string, string, string, readonly string[]] => [`${kind} (program)`, `(?<![\\w./-])${program}(?![\\w-])`, '', keywords]),
  ...[...STDIN_CREDENTIAL_COMMANDS, ...POSITIONAL_CREDENTIALS].map((row, i): [string, string, string, readonly string[]] => [`command row ${i} (program)`, `(?<![\\w.-])${row[0]}(?![\\w-])`, '', row[row.length - 1] as readonly string[]]),
];
for (const [name, source, flags, keywords] of OWN) {
  test(`rule ${name}: has keywords, and every match holds one`, () => {
    assert.ok(keywords && keywords.length > 0, 'a rule without keywords runs on every text');
    const re = new RegExp(source, flags);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 30 }), fc.string({ maxLength: 8 }), (seed0, noise) => {
        let seed = seed0;
        const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
        const text = `${noise} ${sampleText(source, flags, rnd)} ${noise}`;
        const m = re.exec(text);
        if (m) assert.ok(keywords.some((k) => m[0].toLowerCase().includes(k)), `${JSON.stringify(m[0])} holds none of ${keywords.join(', ')}`);
      }),
      { numRuns: 300 },
    );
  });
}

test('keywords: lower-case ASCII of two characters or more; the scan finds every one a text holds', () => {
  const all = builtinKeywords();
  for (const k of all) assert.match(k, /^[\x20-\x7e]{2,}$/, k);
  for (const k of all) assert.equal(k, k.toLowerCase(), k);
  const text = fc.array(fc.oneof(fc.constantFrom(...all, ...all.map((k) => k.toUpperCase())), fc.string({ maxLength: 4 }), fc.string({ unit: 'grapheme', maxLength: 2 })), { maxLength: 30 }).map((p) => p.join(''));
  fc.assert(
    fc.property(text, (t) => {
      const lower = t.toLowerCase();
      assert.deepEqual(builtinKeywordsIn(t), all.filter((k) => lower.includes(k)));
    }),
    { numRuns: 2000 },
  );
});

test('the step counter sees a quadratic pattern for what it is (it can fail)', () => {
  const quadratic = '\\b[a-z0-9.]*x';
  const one = countSteps(quadratic, '', fill('a.', N)).steps;
  const four = countSteps(quadratic, '', fill('a.', 4 * N)).steps;
  assert.ok(one > MAX_STEPS_PER_CHAR * N || four > 4.5 * one, `${one} -> ${four}`);
  const exponential = '(a|a)*$';
  assert.throws(() => countSteps(exponential, '', `${'a'.repeat(40)}b`, 1_000_000), /step limit/);
});
