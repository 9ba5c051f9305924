import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { patchTargets, rustTrim } from '../../../lib/targets/apply-patch.js';
import { GuardError, type Op } from '../../../lib/types.js';

const BASE = '/home/dev/project';
type T = [Op, string, string];
const got = (patch: string): T[] => patchTargets(patch, BASE).map((t) => {
  assert.equal(t.base, BASE);
  assert.equal(t.literal, t.path);
  return [t.op, t.path, t.via];
});
const lines = (...l: string[]): string => l.join('\n');
const ADD = 'apply_patch Add File';
const DEL = 'apply_patch Delete File';
const UPD = 'apply_patch Update File';
const MOV = 'apply_patch Move to';

describe('patchTargets: patches Codex applies', () => {
  const cases: [string, string, T[]][] = [
    ['protocol doc 10.2: add + update/move + delete',
      '*** Begin Patch\n*** Add File: src/new.ts\n+export const x = 1;\n*** Update File: config/secrets.env\n*** Move to: config/secrets.env.bak\n@@\n-API_KEY=old\n+API_KEY=new\n*** Delete File: .env\n*** End Patch\n',
      [['write', 'src/new.ts', ADD], ['move-from', 'config/secrets.env', UPD], ['move-to', 'config/secrets.env.bak', MOV], ['delete', '.env', DEL]]],
    ['no trailing newline', lines('*** Begin Patch', '*** Delete File: .env', '*** End Patch'), [['delete', '.env', DEL]]],
    ['no hunks at all', lines('*** Begin Patch', '*** End Patch'), []],
    ['Add File without + lines (Codex creates an empty file)', lines('*** Begin Patch', '*** Add File: .env', '*** End Patch'), [['write', '.env', ADD]]],
    ['Add File content that looks like headers is content',
      lines('*** Begin Patch', '*** Add File: doc.md', '+*** Delete File: .env', '+*** Move to: x', '*** End Patch'), [['write', 'doc.md', ADD]]],
    ['Update File without @@ on its first chunk', lines('*** Begin Patch', '*** Update File: a.py', ' import os', '+import sys', '*** End Patch'), [['write', 'a.py', UPD]]],
    ['several chunks, blank separators, End of File',
      lines('*** Begin Patch', '*** Update File: a.ts', '@@ function a()', '-1', '+2', '', '@@ function b()', '-3', '+4', '*** End of File', '*** Delete File: b.ts', '*** End Patch'),
      [['write', 'a.ts', UPD], ['delete', 'b.ts', DEL]]],
    ['every header, many hunks',
      lines('*** Begin Patch', '*** Add File: a', '+1', '*** Update File: b', '@@', '-x', '+y', '*** Update File: c', '*** Move to: .git/config', '@@', '+z',
        '*** Delete File: d', '*** Add File: e', '+2', '*** End Patch'),
      [['write', 'a', ADD], ['write', 'b', UPD], ['move-from', 'c', UPD], ['move-to', '.git/config', MOV], ['delete', 'd', DEL], ['write', 'e', ADD]]],
    ['whitespace around markers and headers (Codex trims them)',
      '  \n *** Begin Patch \n\t*** Add File: src/x.ts  \n+x\n   *** Delete File: .env\t\n *** End Patch  \n\n',
      [['write', 'src/x.ts', ADD], ['delete', '.env', DEL]]],
    ['Rust trims U+0085 and U+3000 around headers, as Codex does',
      lines('*** Begin Patch\u0085', '*** Add File: .env\u0085', '+x', '\u3000*** Delete File: .npmrc\u3000', '*** End Patch'),
      [['write', '.env', ADD], ['delete', '.npmrc', DEL]]],
    ['spaces after the colon belong to the path (Codex keeps them)', lines('*** Begin Patch', '*** Delete File:  .env', '*** End Patch'), [['delete', ' .env', DEL]]],
    ['Move to is taken verbatim, trailing spaces included',
      lines('*** Begin Patch', '*** Update File: a', '*** Move to: .env ', '@@', '+x', '*** End Patch'), [['move-from', 'a', UPD], ['move-to', '.env ', MOV]]],
    ['an indented Move to is a context line, not a move',
      lines('*** Begin Patch', '*** Update File: a', '  *** Move to: .env', '+x', '*** End Patch'), [['write', 'a', UPD]]],
    ['an indented header after an update chunk is a context line',
      lines('*** Begin Patch', '*** Update File: a', '@@', '-x', '  *** Delete File: .env', '*** End Patch'), [['write', 'a', UPD]]],
    ['CRLF line ends', '*** Begin Patch\r\n*** Add File: src/win.ts\r\n+x\r\n*** Delete File: .npmrc\r\n*** End Patch\r\n',
      [['write', 'src/win.ts', ADD], ['delete', '.npmrc', DEL]]],
    ['absolute paths', lines('*** Begin Patch', '*** Add File: /home/dev/.ssh/authorized_keys', '+k', '*** End Patch'), [['write', '/home/dev/.ssh/authorized_keys', ADD]]],
    ["heredoc-wrapped <<'EOF'", "<<'EOF'\n*** Begin Patch\n*** Update File: .git/config\n@@\n-a\n+b\n*** End Patch\nEOF\n", [['write', '.git/config', UPD]]],
    ['heredoc-wrapped <<EOF', '<<EOF\n*** Begin Patch\n*** Delete File: .env\n*** End Patch\nEOF', [['delete', '.env', DEL]]],
    ['heredoc-wrapped <<"EOF"', '<<"EOF"\n*** Begin Patch\n*** Delete File: .env\n*** End Patch\nEOF', [['delete', '.env', DEL]]],
  ];
  for (const [name, patch, expected] of cases) {
    test(name, () => assert.deepEqual(got(patch), expected));
  }
});

describe('patchTargets: patches that cannot be parsed are refused', () => {
  const cases: [string, string, string][] = [
    ['empty', '', "first line must be '*** Begin Patch', line 1"],
    ['whitespace only', ' \n\t\n', "first line must be '*** Begin Patch', line 1"],
    ['no Begin marker', lines('*** Add File: .env', '+x', '*** End Patch'), "first line must be '*** Begin Patch', line 1"],
    ['no End marker', lines('*** Begin Patch', '*** Delete File: .env'), "last line must be '*** End Patch', line 2"],
    ['Begin only', '*** Begin Patch', "last line must be '*** End Patch', line 1"],
    ['unknown *** header', lines('*** Begin Patch', '*** Frobnicate File: .env', '*** End Patch'), "unknown hunk header '*** Frobnicate File: .env', line 2"],
    ['Move to without Update File', lines('*** Begin Patch', '*** Move to: .env', '*** End Patch'), "unknown hunk header '*** Move to: .env', line 2"],
    ['Move to not directly after Update File', lines('*** Begin Patch', '*** Update File: a', '', '*** Move to: .env', '@@', '+x', '*** End Patch'),
      "Update File 'a' has no changes, line 2"],
    ['empty path in a header', lines('*** Begin Patch', '*** Add File: ', '+x', '*** End Patch'), "unknown hunk header '*** Add File:', line 2"],
    ['empty Move to path', lines('*** Begin Patch', '*** Update File: a', '*** Move to: ', '@@', '+x', '*** End Patch'), 'empty path in Move to, line 3'],
    ['Add File followed by a non-+ line', lines('*** Begin Patch', '*** Add File: a', '+x', 'plain text', '*** End Patch'), "unknown hunk header 'plain text', line 4"],
    ['Update File without changes', lines('*** Begin Patch', '*** Update File: a', '*** End Patch'), "Update File 'a' has no changes, line 2"],
    ['@@ without lines', lines('*** Begin Patch', '*** Update File: a', '@@', '*** End Patch'), 'update hunk has no lines, line 4'],
    ['End of File right after @@', lines('*** Begin Patch', '*** Update File: a', '@@', '*** End of File', '*** End Patch'), 'update hunk has no lines, line 4'],
    ['junk line opening an update hunk', lines('*** Begin Patch', '*** Update File: a', 'junk', '*** End Patch'), "unexpected line in update hunk 'junk', line 3"],
    ['second chunk without @@', lines('*** Begin Patch', '*** Update File: a', '@@', '-x', 'junk', '*** End Patch'), "expected an @@ context marker in Update File 'a', line 5"],
    ['End of File outside an update', lines('*** Begin Patch', '*** Add File: a', '+x', '*** End of File', '*** End Patch'), "unknown hunk header '*** End of File', line 4"],
    ['End Patch twice', lines('*** Begin Patch', '*** End Patch', '*** Delete File: .env', '*** End Patch'), "unknown hunk header '*** End Patch', line 2"],
    ['heredoc with a broken inner patch', "<<'EOF'\n*** Begin Patch\n*** Delete File: .env\nEOF", "first line must be '*** Begin Patch', line 1"],
    ['heredoc marker not on its own line', "<<'EOF' *** Begin Patch\n*** Delete File: .env\n*** End Patch\nEOF", "first line must be '*** Begin Patch', line 1"],
    ['control characters in a quoted line are masked', lines('*** Begin Patch', '*** Bad\r\u0007: x', '*** End Patch'), "unknown hunk header '*** Bad??: x', line 2"],
  ];
  for (const [name, patch, message] of cases) {
    test(name, () => {
      assert.throws(() => patchTargets(patch, BASE), (e: unknown) => {
        assert.ok(e instanceof GuardError);
        assert.equal(e.message, `cannot parse apply_patch input: ${message}`);
        assert.equal(e.code, 'apply_patch');
        return true;
      });
    });
  }

  test('a long quoted line is cut so the message stays short', () => {
    const patch = lines('*** Begin Patch', `*** ${'x'.repeat(500)}`, '*** End Patch');
    assert.throws(() => patchTargets(patch, BASE), (e: Error) => e.message.length < 140 && e.message.includes('...'));
  });
});

test('rustTrim follows Rust char::is_whitespace, not JavaScript trim', () => {
  assert.equal(rustTrim('\u0085 a \u2028'), 'a');
  assert.equal(rustTrim('\ufeffa'), '\ufeffa'); // BOM is not White_Space in Rust
  assert.equal(rustTrim('\u200ba'), '\u200ba'); // zero-width space neither
  assert.equal(rustTrim(' \t\n\v\f\r'), '');
});

test('a large patch with many hunks yields every target in order', () => {
  const n = 20_000;
  const body: string[] = [];
  for (let i = 0; i < n; i++) body.push(`*** Add File: f${i}`, `+${i}`);
  const targets = patchTargets(lines('*** Begin Patch', ...body, '*** End Patch'), BASE);
  assert.equal(targets.length, n);
  assert.equal(targets[n - 1]!.path, `f${n - 1}`);
});

// ---- properties ----

const WS = [' ', '\t', '\u000b', '\u000c', '\u0085', '\u00a0', '\u3000', '\u2003'];
const text = fc.string({ unit: fc.constantFrom('*', ' ', '\n', '\r', '+', '-', '@', 'a', '.', '/', ':', 'E', '\u0085', 'x') });
const markers = fc.constantFrom('*** Begin Patch', '*** End Patch', '*** Add File: ', '*** Delete File: ', '*** Update File: ',
  '*** Move to: ', '*** End of File', '@@', '@@ ', '+', '-', ' ', '', "<<'EOF'", 'EOF', '.env', '\r');
const patchish = fc.array(fc.array(markers, { maxLength: 4 }).map((a) => a.join('')), { maxLength: 30 }).map((a) => a.join('\n'));

test('property: any text either parses or throws GuardError, never anything else', () => {
  fc.assert(fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), text, patchish), (input) => {
    try {
      for (const t of patchTargets(input, BASE)) {
        assert.ok(['write', 'delete', 'move-from', 'move-to'].includes(t.op));
        assert.notEqual(t.path, '');
        assert.ok(!t.path.includes('\n'));
      }
    } catch (e) {
      if (!(e instanceof GuardError)) throw e;
      assert.ok(!e.message.includes('\n'));
    }
  }), { numRuns: 3000 });
});

const pathChar = fc.constantFrom('a', 'b', '.', '/', '_', '-', 'é', ' ', '\u0085', '~', '*', '@');
// Header paths: Codex trims the header, so a path never starts or ends with whitespace.
const headerPath = fc.string({ unit: pathChar, minLength: 1, maxLength: 12 }).filter((p) => p !== '' && rustTrim(p) === p);
// Move to is matched untrimmed: any non-empty text without a line break.
const movePath = fc.string({ unit: pathChar, minLength: 1, maxLength: 12 });
const ws = fc.string({ unit: fc.constantFrom(...WS), maxLength: 2 });
const content = fc.string({ unit: fc.constantFrom('a', ' ', '*', '+', '-', '@', 'E'), maxLength: 8 });
const diffLine = fc.tuple(fc.constantFrom(' ', '+', '-'), content).map(([p, c]) => p + c);
const chunk = fc.tuple(fc.constantFrom('-', '+'), fc.stringMatching(/^[a-z]{1,5}$/), fc.array(fc.oneof(diffLine, fc.constant('')), { maxLength: 3 }))
  .map(([p, w, rest]) => [p + w, ...rest]);

type Hunk =
  | { kind: 'add'; path: string; body: string[] }
  | { kind: 'delete'; path: string }
  | { kind: 'update'; path: string; move?: string; chunks: string[][]; eof: boolean };
const hunk: fc.Arbitrary<Hunk> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), path: headerPath, body: fc.array(content.map((c) => `+${c}`), { maxLength: 3 }) }),
  fc.record({ kind: fc.constant('delete' as const), path: headerPath }),
  fc.record({ kind: fc.constant('update' as const), path: headerPath, move: fc.option(movePath, { nil: undefined }),
    chunks: fc.array(chunk, { minLength: 1, maxLength: 3 }), eof: fc.boolean() }),
);

test('property: generated valid patches with N hunks yield exactly the expected targets', () => {
  fc.assert(fc.property(fc.array(hunk, { maxLength: 8 }), ws, ws, fc.boolean(), fc.boolean(), (hunks, pre, post, heredoc, crlf) => {
    const out: string[] = [`${pre}*** Begin Patch${post}`];
    const expected: T[] = [];
    let prevUpdate = false;
    for (const h of hunks) {
      // After an update chunk an indented line is a context line, so only decorate elsewhere.
      const lead = prevUpdate ? '' : pre;
      if (h.kind === 'add') {
        out.push(`${lead}*** Add File: ${h.path}${post}`, ...h.body);
        expected.push(['write', h.path, ADD]);
      } else if (h.kind === 'delete') {
        out.push(`${lead}*** Delete File: ${h.path}${post}`);
        expected.push(['delete', h.path, DEL]);
      } else {
        out.push(`${lead}*** Update File: ${h.path}${post}`);
        if (h.move !== undefined) {
          out.push(`*** Move to: ${h.move}`);
          expected.push(['move-from', h.path, UPD], ['move-to', h.move, MOV]);
        } else {
          expected.push(['write', h.path, UPD]);
        }
        h.chunks.forEach((c, i) => out.push(...(i === 0 && c[0]!.startsWith('-') ? [] : ['@@']), ...c));
        if (h.eof) out.push('*** End of File');
      }
      prevUpdate = h.kind === 'update';
    }
    out.push(`*** End Patch${post}`);
    let patch = out.join(crlf ? '\r\n' : '\n');
    if (heredoc) patch = `<<'EOF'\n${patch}\nEOF\n`;
    assert.deepEqual(got(patch), expected);
  }), { numRuns: 2000 });
});
