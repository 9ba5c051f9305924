import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeEscapes, echoOutput, printfOutput } from '../../../../lib/targets/shell/escapes.js';

// Expected values checked against bash 5.2 (printf widths are ignored on purpose: they only add blanks).
describe('ANSI-C quoting ($\'...\')', () => {
  const cases: [string, string][] = [
    ['\\x2eenv', '.env'],
    ['\\056env', '.env'],
    ['\\u002eenv', '.env'],
    ['\\U0000002eenv', '.env'],
    ['a\\tb\\nc\\\\d', 'a\tb\nc\\d'],
    ["\\'\\\"\\?", '\'"?'],
    ['\\e[0m', '\x1b[0m'],
    ['\\cA', '\x01'],
    ['\\101\\0101', 'A\b1'],
    ['\\x4', '\x04'],
    ['\\xg', '\\xg'],
    ['\\q', '\\q'],
    ['.env\\0junk', '.env'],
    ['a\\x00b', 'a'],
    ['trailing\\', 'trailing\\'],
  ];
  for (const [src, want] of cases) it(src, () => assert.equal(decodeEscapes(src, 'ansi').text, want));
});

describe('echo', () => {
  const cases: [string[], string][] = [
    [['rm', '.env'], 'rm .env\n'],
    [['-n', 'x'], 'x'],
    [['-e', 'a\\nb'], 'a\nb\n'],
    [['-ne', 'a\\tb'], 'a\tb'],
    [['-E', 'a\\nb'], 'a\\nb\n'],
    [['-e', 'a\\101\\0101'], 'a\\101A\n'],
    [['-e', 'a\\cb', 'c'], 'a'],
    [['-x', 'y'], '-x y\n'],
    [['a\\nb'], 'a\\nb\n'],
  ];
  for (const [args, want] of cases) it(args.join(' '), () => assert.equal(echoOutput(args), want));
});

describe('printf', () => {
  const cases: [string, string[], string][] = [
    ['rm %s\\n', ['.env'], 'rm .env\n'],
    ['%s\\n', ['a', 'b'], 'a\nb\n'],
    ['%s-%s\\n', ['a', 'b', 'c'], 'a-b\nc-\n'],
    ['x\\n', ['a', 'b'], 'x\n'],
    ['%b', ['a\\tb\\0101'], 'a\tbA'],
    ['%5s|%-3d|%%', ['a', '7'], 'a|7|%'],
    ['%c', ['xyz'], 'x'],
    ['\\101\\0101', [], 'A\b1'],
    ['%s', [], ''],
    ['%*s', ['5', 'a'], 'a'],
  ];
  for (const [fmt, args, want] of cases) it(`${fmt} ${args.join(' ')}`, () => assert.equal(printfOutput(fmt, args), want));
  it('output past the bound is unknown', () => {
    assert.equal(printfOutput('%s', Array.from({ length: 100 }, () => 'abcdef'), 50), null);
  });
});
