import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { delimiter, splitWords, xargsItems } from '../../../../lib/targets/shell/feed.js';
import { UNRESOLVED_SEGMENT as U } from '../../../../lib/types.js';

describe('splitWords (xargs default input, env -S)', () => {
  const cases: [string, string[]][] = [
    ['a b\tc\nd', ['a', 'b', 'c', 'd']],
    ["'.e'nv \"x y\" z\\ w", ['.env', 'x y', 'z w']],
    ["''", ['']],
    ['  ', []],
    ["'unterminated", ['unterminated']],
    [`a${U}b c`, [`a${U}b`, 'c']],
  ];
  for (const [input, want] of cases) it(JSON.stringify(input), () => assert.deepEqual(splitWords(input), want));
});

describe('xargsItems', () => {
  it('-0 splits on NUL without breaking unknown parts', () => {
    assert.deepEqual(xargsItems(`.env\0x${U}y\0`, { delim: '\0' }), ['.env', `x${U}y`]);
  });
  it('-d splits on the delimiter', () => assert.deepEqual(xargsItems('a,b,', { delim: ',' }), ['a', 'b']));
  it('-I takes whole lines, leading blanks dropped', () => {
    assert.deepEqual(xargsItems('  a b\n\nc\n', { lines: true }), ['a b', 'c']);
  });
  it('delimiter escapes', () => {
    assert.equal(delimiter('\\n'), '\n');
    assert.equal(delimiter('\\x2c'), ',');
    assert.equal(delimiter(','), ',');
  });
});
