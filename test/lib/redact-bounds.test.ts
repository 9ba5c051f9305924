// Issue 13, finding 3 (redaction half): redaction is bounded for any input. Work is counted (rule
// runs and characters scanned), never timed; wall time lives in the benchmark.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileCountingRedactor, compileRedactor, DEFAULT_MAX_CHARS, DEFAULT_MAX_WORK, INCOMPLETE, OVER_LIMIT } from '../../lib/redact.js';

const MiB = 1024 * 1024;
const rep = (s: string, size: number): string => s.repeat(Math.ceil(size / s.length)).slice(0, size);
const GH = `ghp_${'a1B2'.repeat(9)}`;
const counting = compileCountingRedactor([]);
const maxChars = DEFAULT_MAX_CHARS;

/** Inputs built to make each pass leave the next secret at a segment edge, or to make rules scan far. */
const CRAFTED: Record<string, string> = {
  // Splicing each later rule's result into the list of segments made this quadratic: 3 s of CPU at 2 MiB.
  'a token and an assignment, repeated': `${GH} PASSWORD=x `,
  'secret at every segment edge': `${GH}PASSWORD=x `,
  'glued secrets': `x=${GH}:`,
  'unclosed quotes': 'PASSWORD="',
  'option names without values': '--password ',
  'program names without options': 'mysql docker login sshpass redis-cli ',
  'credentials and markers': '-u a:[REDACTED:x]',
  'url prefixes': 'a.a.a.a://u:p',
  'private key headers': '-----BEGIN PRIVATE KEY-----',
  'header names': 'Authorization: Bearer Cookie: ',
  'settings': 'a_token b.secret ',
  // The shell-shape rule (lib/redact-commands.ts): many commands, pipelines, here-documents, words.
  'stdin-fed credential commands': 'echo x | sudo -S ',
  'here-documents into a credential command': 'cat <<E | sudo -S\nx\nE\n',
  'here-document operators': '<<a sudo -S ',
  'positional credentials': 'htpasswd -b f u p vault login ',
  'mixed': `mysql -psecret curl -u a:b https://u:p@h PGPASSWORD=x ${GH} hf_${'x'.repeat(34)} `,
};

for (const size of [2 * MiB, 10 * MiB]) {
  for (const [name, unit] of Object.entries(CRAFTED)) {
    test(`a ${size / MiB} MiB command of ${name}: bounded work, nothing of the excess passes through`, () => {
      // Text past the cap, shaped like nothing a rule knows: it must not pass through either.
      const text = `${rep(unit, size)} tail-${'q'.repeat(20)}`;
      const { value, stats } = counting({ tool_input: { command: text } });
      const out = (value as { tool_input: { command: string } }).tool_input.command;
      // The same cap whatever the size: work never depends on what lies past maxChars.
      assert.ok(stats.cut === 1 || stats.incomplete === 1, 'the input was over the cap');
      assert.ok(!out.includes('tail-q'), 'text past the cap passed through');
      assert.ok(out.endsWith(OVER_LIMIT) || out === INCOMPLETE, out.slice(-80));
      assert.ok(!out.includes(GH), 'a planted token passed through');
      const { stats: small } = counting({ tool_input: { command: rep(unit, maxChars * 2) } });
      assert.equal(stats.work, small.work, 'work grew with the input past the cap');
    });
  }
}

test('the work budget is a hard bound, and spending it fails closed', () => {
  const tight = compileCountingRedactor([], { maxWork: 200_000 });
  const text = rep(`${GH} PASSWORD=hunter2 `, 64 * 1024);
  const { value, stats } = tight({ a: text, b: 'PASSWORD=later', c: 3 });
  assert.deepEqual(value, { a: INCOMPLETE, '[REDACTED:incomplete-2]': INCOMPLETE, '[REDACTED:incomplete-4]': 3 });
  assert.ok(stats.work <= 200_000 + 64 * 1024 + 512, `work ${stats.work}`);
  assert.equal(stats.incomplete, 4);
});

test('text past the character cap becomes a marker, cut after whitespace so no half token stays', () => {
  const r = compileRedactor([], { maxChars: 1000 });
  const text = `${'word '.repeat(199)}${GH}${' more'.repeat(100)} PASSWORD=late`;
  const out = r(text) as string;
  assert.ok(out.endsWith(`word ${OVER_LIMIT}`), out.slice(-60));
  assert.ok(!out.includes('ghp_') && !out.includes('late'));
  // The cap is shared by every string of one call, keys included.
  assert.deepEqual(r({ [`k${'x'.repeat(600)}`]: 'y '.repeat(300) }), { [`k${'x'.repeat(600)}`]: `${'y '.repeat(199)}${OVER_LIMIT}` });
});

test('work grows linearly with the text below the cap (counted over random command text)', () => {
  const alphabet = fc.constantFrom('a', 'Z', '0', ' ', '-', '=', ':', '/', '"', "'", '@', '_', '.', 'p', 'mysql ', '--password ', 'PASSWORD=', GH, 'eyJ', '\n', ';');
  fc.assert(
    fc.property(fc.array(alphabet, { minLength: 50, maxLength: 400 }), (parts) => {
      const unit = parts.join('');
      const n = Math.floor(16 * 1024 / unit.length) + 1;
      const one = counting(unit.repeat(n)).stats;
      const two = counting(unit.repeat(2 * n)).stats;
      if (one.incomplete > 0 || two.incomplete > 0 || two.cut > 0) return;
      assert.ok(two.work <= 2.2 * one.work + 10_000, `work ${one.work} -> ${two.work}`);
    }),
    { numRuns: 25 },
  );
});

test('random inputs of up to 2 MiB: bounded work, no planted token survives', () => {
  const chunk = fc.oneof(fc.string({ maxLength: 64 }), fc.constantFrom(GH, 'PASSWORD=', ' -p', 'mysql', '[REDACTED:x]', 'https://u:', '@h ', '\n'));
  fc.assert(
    fc.property(fc.array(chunk, { maxLength: 64 }), fc.integer({ min: 1, max: 2 * MiB }), (parts, size) => {
      const unit = `${parts.join('')} ${GH} `;
      const { value, stats } = counting(rep(unit, size));
      // The last charge may pass the budget by one text (it is counted, then refused, never run).
      assert.ok(stats.work <= DEFAULT_MAX_WORK + maxChars + 1024, `work ${stats.work}`);
      assert.ok(!(value as string).includes(GH));
    }),
    { numRuns: 12 },
  );
});
