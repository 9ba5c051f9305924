// Red team, round 4, redaction. (1) A secret split across the items of an array of words: an MCP
// tool's `args`, an argv-form `command` (`["sshpass", "-p", "PW", "ssh", "h"]`, which the shell tool
// rejects and records all the same), `["--token", "T"]`: each item was redacted alone, where no rule
// sees the option or program before it, and the record kept the secret in clear; now each word is
// redacted in the context of its program and the words before it. (2) A program named by its path
// (`/usr/bin/sshpass -p PW`) escaped the password-option rules. (3) Prefixed token formats the
// imported gitleaks set lacks. (4) A secret under a secret-named key that is not a string, or in
// the name/value form (`{"name": "DB_PASSWORD", "value": …}`).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileRedactor } from '../../lib/redact.js';
import { CREDENTIAL_FORMS, SECRET } from '../helpers/credential-forms.js';

const redact = compileRedactor([]);
const clear = (v: unknown, secret: string): boolean => !JSON.stringify(v).includes(secret);

describe('a secret split across the words of an array', () => {
  const cases: [string[], string][] = [
    [['--token', 'tok_abcdefgh12345678'], 'tok_abcdefgh12345678'],
    [['sshpass', '-p', 'Hunter2Secret', 'ssh', 'host'], 'Hunter2Secret'],
    [['mysql', '-uroot', '-pS3cretPw'], 'S3cretPw'],
    [['docker', 'login', '-p', 'S3cretPw', 'reg'], 'S3cretPw'],
    [['curl', '-u', 'bob:S3cretPw', 'https://x'], 'S3cretPw'],
    [['redis-cli', '-a', 'S3cretPw'], 'S3cretPw'],
    [['vault', 'login', 's.abcdefghijklmnop'], 's.abcdefghijklmnop'],
    [['--password', 'two words'], 'words'],
    [['--password', "it's-Secret9"], 'Secret9'],
    [['htpasswd', '-b', '/etc/nginx/.htpasswd', 'admin', 'Pw5ecretXyz'], 'Pw5ecretXyz'],
    [[`/opt/${'x'.repeat(5000)}/sshpass`, '-p', 'Hunter2Secret'], 'Hunter2Secret'],
  ];
  for (const [words, secret] of cases) {
    it(`${JSON.stringify(words).slice(0, 80)}: the secret does not survive, the other words do`, () => {
      const out = redact(words) as string[];
      assert.ok(clear(out, secret), JSON.stringify(out));
      assert.equal(out.length, words.length);
      words.forEach((w, k) => {
        if (!w.includes(secret)) assert.equal(out[k], w, `word ${k} kept`);
      });
    });
  }

  it('also nested in a tool input (an MCP tool\'s args)', () => {
    const out = redact({ server: 'db', args: ['psql', '--password', 'Pa55wordXy'] });
    assert.ok(clear(out, 'Pa55wordXy'), JSON.stringify(out));
  });

  it('ordinary word lists are kept as they are', () => {
    for (const words of [['git', 'commit', '-m', 'fix the password prompt'], ['a.ts', 'b.ts', 'src/c.ts'], ['--token-file', 'path/to/f'], ['ls', '-la', '.']]) {
      assert.deepEqual(redact(words), words);
    }
  });

  it('property: a credential form given as an array of words never keeps its secret', () => {
    // The forms that are one plain command (no pipe, redirection or quoting of their own).
    const forms = CREDENTIAL_FORMS.filter(([, form]) => !/[|<>;&\n'"{}]/.test(form('SECRET', (s) => s)));
    assert.ok(forms.length >= 10, `${forms.length} forms`);
    fc.assert(fc.property(fc.constantFrom(...forms), SECRET, ([name, form], secret) => {
      const words = form(secret, (s) => s).split(' ').filter(Boolean);
      const out = redact(words);
      assert.ok(clear(out, secret), `${name}: ${JSON.stringify(out)}`);
    }), { numRuns: 300 });
  });
});

describe('a program named by its path takes its password options as by its name', () => {
  // `(?<![\w./-])program` left out every program given with a folder: `/usr/bin/sshpass -p PW` kept PW.
  for (const [text, secret] of [
    ['/usr/bin/sshpass -p Hunter2Secret ssh host', 'Hunter2Secret'],
    ['/usr/local/mysql/bin/mysql -uroot -pS3cretPw db', 'S3cretPw'],
    ['./redis-cli -a S3cretPw ping', 'S3cretPw'],
    ['cd /srv && /usr/bin/docker login -p S3cretPw reg', 'S3cretPw'],
  ] as const) {
    it(text, () => assert.ok(clear(redact(text), secret), String(redact(text))));
  }
  it('a folder or file merely named like the program is not a command', () => {
    assert.equal(redact('ls /var/lib/mysql -la'), 'ls /var/lib/mysql -la');
  });
});

describe('token formats the imported gitleaks set lacks', () => {
  const a = 'Ab3dEf6hIj9lMn2pQr5tUv8xYz1bCd4fGh7jKl0n';
  const hex = '0123456789abcdef';
  for (const token of [
    `ya29.${a}`, `GOCSPX-${a.slice(0, 28)}`, `xai-${a}${a}`, `gsk_${a}${a.slice(0, 12)}`, `r8_${a.slice(0, 37)}`, `tvly-dev-${a.slice(0, 32)}`,
    `figd_${a}`, `nfp_${a.slice(0, 36)}`, `rnd_${a.slice(0, 32)}`, `napi_${hex.repeat(4)}`, `HRKU-${a}${a.slice(0, 20)}`, `ATATT3xFfGF0${a}${a}`,
    `ntn_${'12345678901'}${a.slice(0, 35)}`, `sbp_${hex.repeat(2)}01234567`, `fo1_${a.slice(0, 36)}xyzw123`, `dckr_pat_${a.slice(0, 27)}`, `NRAK-${'A1B2C3D4E5'.repeat(2)}ABCDEFG`, `sk_${hex.repeat(3)}`,
  ]) {
    it(`${token.slice(0, 12)}…: redacted in a command, a header and JSON`, () => {
      for (const text of [`export K=${token}`, `curl -H "X-Key: ${token}" https://x`, JSON.stringify({ key: token })]) {
        assert.ok(clear(redact(text), token.slice(-16)), String(redact(text)));
      }
    });
  }
});

describe('a secret under a secret-named key that is not a string, or beside a name that names one', () => {
  // The key rule took only string values: `{"password": ["PW"]}`, `{"api_key": {"value": "K"}}`,
  // `{"password": 12345678}` and the env-entry form `{"name": "DB_PASSWORD", "value": "PW"}` kept it.
  for (const [input, secret] of [
    [{ password: ['Hunter2Secret'] }, 'Hunter2Secret'],
    [{ api_key: { value: 'Abc123Xyz789' } }, 'Abc123Xyz789'],
    [{ password: 987654321 }, '987654321'],
    [{ secret: [['Nested9Secret']] }, 'Nested9Secret'],
    [{ env: [{ name: 'DB_PASSWORD', value: 'Hunter2Secret' }] }, 'Hunter2Secret'],
    [{ headers: [{ key: 'X-Api-Key', value: 'Abc123Xyz789' }] }, 'Abc123Xyz789'],
    [{ params: [{ Name: 'GITHUB_TOKEN', Value: 'Abc123Xyz789' }] }, 'Abc123Xyz789'],
  ] as const) {
    it(JSON.stringify(input), () => {
      const out = redact(input);
      assert.ok(clear(out, secret), JSON.stringify(out));
    });
  }

  it('the structure, nulls, booleans and the names stay; other fields are untouched', () => {
    assert.deepEqual(redact({ token: null, ok: true, password: { prod: 'Hunter2Secret', empty: '' } }), { token: null, ok: true, password: { prod: '[REDACTED:secret-field]', empty: '' } });
    assert.deepEqual(redact({ env: [{ name: 'DB_PASSWORD', value: 'x1' }, { name: 'PORT', value: '5432' }] }),
      { env: [{ name: 'DB_PASSWORD', value: '[REDACTED:secret-field]' }, { name: 'PORT', value: '5432' }] });
    assert.deepEqual(redact({ name: 'reset_password', content: 'def reset(): pass', count: 3 }), { name: 'reset_password', content: 'def reset(): pass', count: 3 });
  });
});

describe('word arrays when the work budget runs out', () => {
  it('a word is a marker, never its clear text and never an empty string', () => {
    const tight = compileRedactor([], { maxWork: 40_000 });
    const words = ['sshpass', '-p', 'Hunter2Secret', 'ssh', ...Array.from({ length: 200 }, (_, i) => `host${i}`)];
    const out = tight(words) as string[];
    assert.ok(clear(out, 'Hunter2Secret'), JSON.stringify(out.slice(0, 5)));
    assert.ok(out.every((w) => w !== ''), 'no word became empty');
  });
});
