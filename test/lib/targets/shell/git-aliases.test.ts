// git's config syntax for [alias] entries, as git reads it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { aliasesIn } from '../../../../lib/targets/shell/git-aliases.js';

describe('aliasesIn', () => {
  const read = (text: string) => Object.fromEntries((() => { const m = new Map<string, string>(); aliasesIn(text, m); return m; })());
  it('reads keys case-insensitively, values with quotes, escapes and comments', () => {
    assert.deepEqual(read('[Alias]\n  PF = push --force ; comment\n  q = "!f() { echo \\"a;b\\"; }; f"\n[user]\n  pf = no\n'), {
      pf: 'push --force', q: '!f() { echo "a;b"; }; f',
    });
  });
  it('joins continued lines and reads an entry on the header line', () => {
    assert.deepEqual(read('[alias] x = reset \\\n --hard\n'), { x: 'reset  --hard' });
  });
  it('ignores other sections and malformed lines', () => {
    assert.deepEqual(read('[core]\n pf = push -f\n[alias]\n = x\n# pf = push -f\n'), {});
  });
});
