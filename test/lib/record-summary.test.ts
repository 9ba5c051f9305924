import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { fitJson, summarizePatch, summarizeResponse } from '../../lib/record-summary.js';

const digestOf = (s: string) => ({ bytes: Buffer.byteLength(s), sha256: createHash('sha256').update(s).digest('hex') });

test('summarizePatch: text before the first header, headers without bodies, CRLF-free trimming, no trailing newline', () => {
  assert.deepEqual(summarizePatch('junk\n*** Begin Patch\n*** Delete File: a\n  *** Add File: b  \n+x\n+y'), [
    { body: digestOf('junk\n') },
    { header: '*** Begin Patch' },
    { header: '*** Delete File: a' },
    { header: '*** Add File: b', body: digestOf('+x\n+y') },
  ]);
  assert.deepEqual(summarizePatch(''), []);
  // `*** End of File` belongs to the hunk it ends.
  assert.deepEqual(summarizePatch('*** Update File: f\n@@\n-a\n+b\n*** End of File\n*** End Patch'), [
    { header: '*** Update File: f', body: digestOf('@@\n-a\n+b\n*** End of File\n') },
    { header: '*** End Patch' },
  ]);
});

test('property: summarizePatch accounts for every byte outside the header lines', () => {
  const line = fc.oneof(fc.constantFrom('*** Begin Patch', '*** Add File: x', '*** Update File: y', '*** Move to: z', '*** Delete File: w', '*** End Patch', '+a', '-b', '@@'), fc.string());
  fc.assert(
    fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
      const patch = lines.join('\n');
      const parts = summarizePatch(patch);
      const headerBytes = parts.reduce((n, p) => n + (p.header === undefined ? 0 : 1), 0);
      const bodyBytes = parts.reduce((n, p) => n + (p.body?.bytes ?? 0), 0);
      assert.ok(bodyBytes <= Buffer.byteLength(patch));
      assert.ok(headerBytes <= lines.length);
    }),
  );
});

test('summarizeResponse: exit codes where a host gives them', () => {
  assert.equal(summarizeResponse('Bash', { stdout: '', stderr: '', exitCode: 2 }).exit, 2);
  assert.equal(summarizeResponse('apply_patch', 'Exit code: 1\nWall time: 0 seconds\nOutput:\nerror\n').exit, 1);
  assert.equal(summarizeResponse('Bash', 'plain output').exit, undefined);
  assert.deepEqual(summarizeResponse('Read', { file: { content: 'secret file body' } }), digestOf(JSON.stringify({ file: { content: 'secret file body' } })));
});

test('fitJson: cuts the longest strings first, keeps short ones (hashes) whole, falls back to a digest', () => {
  const value = { a: 'x'.repeat(1000), b: 'y'.repeat(300), sha: 'f'.repeat(64), n: 1 };
  const fitted = fitJson(value, 400);
  assert.equal(fitted.truncated, true);
  const v = fitted.value as typeof value;
  assert.ok(Buffer.byteLength(JSON.stringify(v)) <= 400);
  assert.equal(v.sha, 'f'.repeat(64));
  assert.equal(v.n, 1);
  assert.ok(v.a.endsWith('…') && v.b.endsWith('…'));
  assert.deepEqual(fitJson({ ok: 1 }, 400), { value: { ok: 1 }, truncated: false });
  const many = Array.from({ length: 500 }, (_, i) => i);
  assert.deepEqual(fitJson(many, 300), { value: { ...digestOf(JSON.stringify(many)), truncated: true }, truncated: true });
});

test('property: fitJson output always fits, and a cut never splits a surrogate pair', () => {
  fc.assert(
    fc.property(fc.jsonValue(), fc.integer({ min: 256, max: 2048 }), (value, limit) => {
      assert.ok(Buffer.byteLength(JSON.stringify(fitJson(value, limit).value) ?? '') <= limit);
    }),
  );
  fc.assert(
    fc.property(fc.array(fc.string({ unit: 'grapheme', minLength: 50 }), { minLength: 1, maxLength: 8 }), fc.integer({ min: 256, max: 1024 }), (texts, limit) => {
      const { value } = fitJson({ texts }, limit);
      const out = (value as { texts?: string[] }).texts ?? [];
      for (const t of out) assert.ok((t as unknown as { isWellFormed(): boolean }).isWellFormed(), JSON.stringify(t));
    }),
  );
});

test('property: redacting only the part a long string can keep (plus context) keeps the same record as redacting all of it', async () => {
  const { redactAndFit } = await import('../../lib/record-summary.js');
  const { compileRedactor } = await import('../../lib/redact.js');
  const redact = compileRedactor([]);
  const filler = (n: number): string => 'build output line .......\n'.repeat(Math.ceil(n / 26)).slice(0, n);
  const secrets = ['ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8', 'AKIAIOSFODNN7EXAMPLE', '-----BEGIN OPENSSH PRIVATE KEY-----\n' + 'b3BlbnNzaC1rZXktdjEAAAAA\n'.repeat(120) + '-----END OPENSSH PRIVATE KEY-----'];
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 12_000 }), fc.integer({ min: 200_000, max: 600_000 }), fc.constantFrom(...secrets), fc.integer({ min: 256, max: 10_000 }), (at, size, secret, limit) => {
      const text = `${filler(at)}\n${secret}\n${filler(size)}`;
      const value = { text, exit: 0 };
      const kept = redactAndFit(value, redact, limit);
      // Without the shortcut: the whole string redacted, then fitted.
      const whole = redactAndFit({ text: redact(text) as string, exit: 0 }, (v) => v, limit);
      assert.deepEqual(kept, whole);
      const json = JSON.stringify(kept);
      for (const piece of [secret.slice(0, 24), secret.slice(-24)]) assert.ok(!json.includes(piece), `kept ${piece}`);
    }),
    { numRuns: 25 },
  );
});

test('redactAndFit: a value nested far deeper than the stack allows is still redacted and fitted, never thrown', async () => {
  const { redactAndFit } = await import('../../lib/record-summary.js');
  const { compileRedactor } = await import('../../lib/redact.js');
  let deep: unknown = 'x'.repeat(200_000);
  for (let i = 0; i < 100_000; i++) deep = [deep];
  const out = redactAndFit({ text: deep }, compileRedactor([]), 8192);
  assert.ok(Buffer.byteLength(JSON.stringify(out)) <= 8192);
});
