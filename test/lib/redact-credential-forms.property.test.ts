// Issue 13: a secret fed to a credential command (stdin, here-strings, here-documents, positional
// arguments, URL userinfo, assignments, JSON in a string) never survives redaction, in any quoting,
// whatever surrounds the command; and redaction of such text stays idempotent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileRedactor } from '../../lib/redact.js';
import { CREDENTIAL_FORMS, QUOTES, SECRET } from '../helpers/credential-forms.js';

const redact = compileRedactor([]);
const r = (s: string): string => redact(s) as string;

for (const [name, form] of CREDENTIAL_FORMS) {
  test(`credential form "${name}": the secret is redacted`, () => {
    const out = r(form('Zq8xW3pLmN7vR2tYk4', QUOTES[0]!));
    assert.ok(!out.includes('Zq8xW3pLmN7vR2tYk4'), out);
  });
}

const SEPARATORS = fc.constantFrom(' ; ', '\n', ' && ', ' || ', '; ');
const NEIGHBOURS = fc.constantFrom('', 'ls -la', 'git status', 'echo "a;b|c"', "cat 'x|y' > /dev/null", 'cd src', "# a comment with an apostrophe's\ntrue");

test('property: a random secret in each credential form, in random quoting and between random commands, never survives', () => {
  fc.assert(
    fc.property(fc.constantFrom(...CREDENTIAL_FORMS), SECRET, fc.constantFrom(...QUOTES), NEIGHBOURS, SEPARATORS, NEIGHBOURS, SEPARATORS, ([, form], secret, q, before, s1, after, s2) => {
      const text = `${before}${before ? s1 : ''}${form(secret, q)}${after ? s2 : ''}${after}`;
      const out = r(text);
      assert.ok(!out.includes(secret), `${JSON.stringify(out)} still holds ${secret}`);
      assert.ok(!out.includes('[REDACTED:incomplete]'), `no fixed point for ${JSON.stringify(text)}`);
      assert.equal(r(out), out, 'idempotent');
    }),
    { numRuns: 2000 },
  );
});

test('commands that read no credential keep their text (a plain pipe, sudo without -S, a user name in a URL)', () => {
  for (const cmd of [
    'cat notes.txt | sort | uniq -c',
    'echo hello | sudo tee /etc/motd',
    'git clone ssh://git@github.com/o/r.git',
    'git clone https://x-access-token@github.com/o/r.git',
    'docker login -u me ghcr.io',
    'htpasswd -D /etc/nginx/.htpasswd admin',
    'docker run -u 1000:1000 img',
    'echo x | gh secret set API --body from-body',
  ]) {
    assert.ok(!/stdin-secret|positional-secret|url-userinfo/.test(r(cmd)), `${cmd} -> ${r(cmd)}`);
  }
});
