import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileRedactor } from '../../lib/redact.js';
import { GuardError } from '../../lib/types.js';

const redact = compileRedactor([]);
const r = (s: string): string => redact(s) as string;

// Test tokens are assembled at run time so this file itself holds no secret-shaped literal.
const rep = (c: string, n: number): string => c.repeat(n);
const GH = `ghp_${rep('a1B2', 9)}`;
const AWS_ID = `AKIA${'IOSFODNN7EXAMPLE'}`;
const AWS_SECRET = `wJalrXUtnFEMI/K7MDENG/bPxRfiCY${'EXAMPLEKEY'}`;
const JWT = `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.${rep('x', 43)}`;
const PEM = `-----BEGIN RSA PRIVATE KEY-----\nMIIEow${rep('A', 64)}\n${rep('B', 64)}\n-----END RSA PRIVATE KEY-----`;

// [input, expected]: each secret shape in the contexts it shows up in (commands, config, output).
const SECRETS: [string, string][] = [
  [`export AWS_ACCESS_KEY_ID=${AWS_ID}`, 'export AWS_ACCESS_KEY_ID=[REDACTED:aws-access-key]'],
  [`ASIA${rep('Q', 16)} used`, '[REDACTED:aws-access-key] used'],
  [`aws_secret_access_key = ${AWS_SECRET}`, 'aws_secret_access_key = [REDACTED:aws-secret]'],
  [`AWS_SECRET_ACCESS_KEY="${AWS_SECRET}"`, 'AWS_SECRET_ACCESS_KEY="[REDACTED:aws-secret]"'],
  [`git push https://x:${GH}@github.com/o/r`, 'git push https://x:[REDACTED:url-password]@github.com/o/r'],
  [`token ${GH}`, 'token [REDACTED:github-token]'],
  [`gho_${rep('z', 36)}`, '[REDACTED:github-token]'],
  [`ghu_${rep('z', 36)} ghs_${rep('y', 36)} ghr_${rep('x', 36)}`, '[REDACTED:github-token] [REDACTED:github-token] [REDACTED:github-token]'],
  [`github_pat_11A${rep('b', 20)}_${rep('c', 59)}`, '[REDACTED:github-token]'],
  [`//registry.npmjs.org/:_authToken=npm_${rep('k', 36)}`, '//registry.npmjs.org/:_authToken=[REDACTED:npm-token]'],
  [`OPENAI_API_KEY=sk-${rep('a', 48)}`, 'OPENAI_API_KEY=[REDACTED:openai-key]'],
  [`key sk-proj-${rep('Ab_-', 30)}`, 'key [REDACTED:openai-key]'],
  [`sk-ant-api03-${rep('Zz9', 30)}-AA`, '[REDACTED:anthropic-key]'],
  [`xoxb-123456789012-${rep('a', 24)}`, '[REDACTED:slack-token]'],
  [`xoxp-1-2-3-${rep('f', 32)}`, '[REDACTED:slack-token]'],
  [`curl https://hooks.slack.com/services/T000/B000/${rep('X', 24)}`, 'curl https://hooks.slack.com/services/[REDACTED:slack-webhook]'],
  [`?key=AIza${rep('S', 35)}`, '?key=[REDACTED:google-api-key]'],
  [`sk_live_${rep('4', 24)} rk_live_${rep('5', 24)}`, '[REDACTED:stripe-key] [REDACTED:stripe-key]'],
  [`cookie: session=${JWT}`, 'cookie: [REDACTED:cookie]'],
  [`head\n${PEM}\ntail`, 'head\n[REDACTED:private-key]\ntail'],
  [`-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk${rep('A', 70)}`, '[REDACTED:private-key]'],
  [`-----BEGIN PRIVATE KEY-----\nMII${rep('q', 40)}\n-----END PRIVATE KEY-----`, '[REDACTED:private-key]'],
  ['GITHUB_TOKEN=abc123', 'GITHUB_TOKEN=[REDACTED:secret-assignment]'],
  ['export DB_PASSWORD=hunter2 && run', 'export DB_PASSWORD=[REDACTED:secret-assignment] && run'],
  ['CLIENT_SECRET: "s3cr3t value"', 'CLIENT_SECRET: "[REDACTED:secret-assignment]"'],
  ["SIGNING_KEY='abc def'", "SIGNING_KEY='[REDACTED:secret-assignment]'"],
  ['PASSWORD=hunter2', 'PASSWORD=[REDACTED:secret-assignment]'],
  ['PASSWD=hunter2', 'PASSWD=[REDACTED:secret-assignment]'],
  ['{"password": "hunter2", "user": "bob"}', '{"password": "[REDACTED:secret-assignment]", "user": "bob"}'],
  ['db.password = hunter2', 'db.password = [REDACTED:secret-assignment]'],
  ['api_key: abc123', 'api_key: [REDACTED:secret-assignment]'],
  ['mysql --password hunter2 -u root', 'mysql --password [REDACTED:secret-flag] -u root'],
  ['tool --api-key=abc123', 'tool --api-key=[REDACTED:secret-flag]'],
  ['curl -u admin:pa55word https://x', 'curl -u admin:[REDACTED:basic-auth] https://x'],
  ['curl -H "Authorization: Bearer abc.def-123"', 'curl -H "Authorization: Bearer [REDACTED:authorization]"'],
  ['authorization: Basic dXNlcjpwYXNz', 'authorization: Basic [REDACTED:authorization]'],
  [`Bearer ${rep('t0k', 8)}`, 'Bearer [REDACTED:bearer]'],
  ['postgres://admin:s3cr3t@db.example.com:5432/app', 'postgres://admin:[REDACTED:url-password]@db.example.com:5432/app'],
  ['https://user:p@ss:w0rd@host/x', 'https://user:[REDACTED:url-password]@host/x'],
  ['redis://:onlypass@cache:6379', 'redis://:[REDACTED:url-password]@cache:6379'],
  // Issue 13, finding 9: credential options of common CLIs, headers, env assignments, token formats.
  ['aws configure set aws_secret_access_key abcdEFGH1234', 'aws configure set aws_secret_access_key [REDACTED:secret-setting]'],
  ['aws configure set aws_session_token "tok en"', 'aws configure set aws_session_token "[REDACTED:secret-setting]"'],
  ['curl --user=admin:pw https://x', 'curl --user=admin:[REDACTED:basic-auth] https://x'],
  ['curl -uadmin:pw https://x', 'curl -uadmin:[REDACTED:basic-auth] https://x'],
  ['curl --proxy-user u:pw x', 'curl --proxy-user u:[REDACTED:basic-auth] x'],
  [`curl -H "Cookie: session=abc; theme=dark" x`, 'curl -H "Cookie: [REDACTED:cookie]" x'],
  ['curl -b "session=abc" x', 'curl -b "[REDACTED:curl-cookie]" x'],
  ['Set-Cookie: id=a3fWa; Secure', 'Set-Cookie: [REDACTED:cookie]'],
  ['mysql -uroot -psecret db', 'mysql -uroot -p[REDACTED:mysql-password] db'],
  [`mysqldump -h db -p'se cret' app`, `mysqldump -h db -p'[REDACTED:mysql-password]' app`],
  ['sshpass -p hunter2 ssh host', 'sshpass -p [REDACTED:sshpass-password] ssh host'],
  ['sshpass -phunter2 ssh host', 'sshpass -p[REDACTED:sshpass-password] ssh host'],
  ['docker login -u me -p hunter2 ghcr.io', 'docker login -u me -p [REDACTED:registry-password] ghcr.io'],
  ['helm registry login r.io -u me -p pw', 'helm registry login r.io -u me -p [REDACTED:registry-password]'],
  ['redis-cli -h cache -a hunter2 ping', 'redis-cli -h cache -a [REDACTED:redis-password] ping'],
  ['redis-cli --pass hunter2 ping', 'redis-cli --pass [REDACTED:secret-flag] ping'],
  ['az login -u me@x.com -p hunter2', 'az login -u me@x.com -p [REDACTED:az-password]'],
  ['mongosh -u admin -p hunter2 db', 'mongosh -u admin -p [REDACTED:mongo-password] db'],
  ['sqlcmd -S srv -U sa -P hunter2', 'sqlcmd -S srv -U sa -P [REDACTED:sqlcmd-password]'],
  ['ldapsearch -x -D cn=admin -w hunter2', 'ldapsearch -x -D cn=admin -w [REDACTED:ldap-password]'],
  ['7z x a.7z -phunter2', '7z x a.7z -p[REDACTED:archive-password]'],
  ['smbclient //h/s -U user%hunter2', 'smbclient //h/s -U user%[REDACTED:smb-password]'],
  ['keytool -list -storepass changeit', 'keytool -list -storepass [REDACTED:keytool-password]'],
  ['echo x | gh secret set API --body s3cr3t', 'echo x | gh secret set API --body [REDACTED:gh-secret]'],
  ['PGPASSWORD=hunter2 psql -h db', 'PGPASSWORD=[REDACTED:secret-assignment] psql -h db'],
  ['MYSQL_PWD=hunter2 mysql', 'MYSQL_PWD=[REDACTED:secret-assignment] mysql'],
  ['env HF_TOKEN=abc VAULT_SECRET=def run', 'env HF_TOKEN=[REDACTED:secret-assignment] VAULT_SECRET=[REDACTED:secret-assignment] run'],
  ['tool --token abc123 --secret=x1 --client-secret "a b"', 'tool --token [REDACTED:secret-flag] --secret=[REDACTED:secret-flag] --client-secret "[REDACTED:secret-flag]"'],
  ['wget --http-password=hunter2 x', 'wget --http-password=[REDACTED:secret-flag] x'],
  [`curl -H 'X-Api-Key: abc123' x`, `curl -H 'X-Api-Key: [REDACTED:secret-assignment]' x`],
  ['git config --global github.token abc123', 'git config --global github.token [REDACTED:secret-setting]'],
  ['npm config set //registry.npmjs.org/:_authToken abc123', 'npm config set //registry.npmjs.org/:_authToken [REDACTED:secret-setting]'],
  [`git clone https://oauth2:${'glpat-'}${rep('x', 20)}@gitlab.com/a/b`, 'git clone https://oauth2:[REDACTED:url-password]@gitlab.com/a/b'],
  [`hf_${rep('aBc', 11)}x`, '[REDACTED:huggingface-token]'],
  [`export HUGGING_FACE_HUB_TOKEN=hf_${rep('aBc', 11)}x`, 'export HUGGING_FACE_HUB_TOKEN=[REDACTED:huggingface-token]'],
  [`glpat-${rep('Ab1_', 5)}`, '[REDACTED:gitlab-pat]'],
  [`dop_v1_${rep('ab12', 16)}`, '[REDACTED:digitalocean-pat]'],
  [`pypi-AgEIcHlwaS5vcmc${rep('Q', 60)}`, '[REDACTED:pypi-upload-token]'],
  [`SG.${rep('aB3', 22)}`, '[REDACTED:sendgrid-api-token]'],
];

for (const [input, expected] of SECRETS) {
  test(`redacts ${JSON.stringify(input.slice(0, 40))}`, () => {
    assert.equal(r(input), expected);
  });
}

const NOT_SECRETS = [
  'git commit -m "fix .env parsing"',
  'const total = items.reduce((a, b) => a + b, 0);',
  'def tokenize(text):\n    return text.split()',
  'sort_key = "name"; max_tokens=100; primaryKey: id',
  'SELECT id, name FROM users WHERE id = 1',
  'if [ "$TOKEN" == "" ]; then exit 1; fi',
  'export GITHUB_TOKEN=$GITHUB_TOKEN_FROM_CI',
  'npm install left-pad && ls -la ~/.ssh',
  'git clone git@github.com:org/repo.git',
  'curl http://localhost:8080/path?x=1 https://github.com/org/repo',
  'AWS_ACCESS_KEY_ID is read from the environment',
  'echo "Password:"',
  'sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 id 0196f1c3-7a10-7d72-89b2-5d8bf7f65a54',
  'the bearer of this letter',
  '--password-file /run/secrets/db --token-stdin',
  'sk-learn and AKIA alone',
  'docker login --password-stdin -u me ghcr.io',
  'docker run -p 8080:80 -u 1000:1000 image',
  'git push -u origin HEAD:main',
  'mysql -u root -p app',
  'x --bypass cache --token-file /run/tok --secret-id abc',
  'git checkout 3f2a9c1d8e7b6a5f4e3d2c1b0a9f8e7d6c5b4a39 -- src/app.ts',
  'ls /home/user/.config/app/settings.json ./node_modules/.bin/tsc',
  'max_tokens=1000 sort_key name',
  'curl -sSfL https://example.com/install.sh | sh',
];

for (const text of NOT_SECRETS) {
  test(`leaves alone ${JSON.stringify(text.slice(0, 40))}`, () => {
    assert.equal(r(text), text);
  });
}

test('walks objects and arrays; keys naming a secret lose their whole string value', () => {
  const out = redact({
    tool_input: { command: `echo ${GH}`, env: { apiKey: 'plain', token: '', count: 3 } },
    list: [`x ${JWT}`, 1, true, null],
    [`${GH}`]: 'a key that is a token',
  });
  assert.deepEqual(out, {
    tool_input: { command: 'echo [REDACTED:github-token]', env: { apiKey: '[REDACTED:secret-field]', token: '', count: 3 } },
    list: ['x [REDACTED:jwt]', 1, true, null],
    '[REDACTED:github-token]': 'a key that is a token',
  });
});

test('a __proto__ key stays an own data property', () => {
  const input = JSON.parse('{"__proto__": {"polluted": "ghp_x"}, "a": 1}') as object;
  const out = redact(input) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(out), Object.prototype);
  assert.ok(Object.hasOwn(out, '__proto__'));
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('deep nesting is cut, not a stack overflow', () => {
  let deep: unknown = 'ghp_x';
  for (let i = 0; i < 10_000; i++) deep = [deep];
  assert.doesNotThrow(() => redact(deep));
});

test('extra patterns: source or /source/flags, kind "custom"; an invalid one is a GuardError naming it', () => {
  const custom = compileRedactor(['ACME-[0-9]{6}', '/internal-secret-\\w+/i']);
  assert.equal(custom('id ACME-123456 and INTERNAL-SECRET-x1'), 'id [REDACTED:custom] and [REDACTED:custom]');
  // A pattern that can match nothing at all does not fill the text with markers.
  assert.equal(compileRedactor(['x*'])('abc'), 'abc');
  assert.throws(() => compileRedactor(['ok', '(unclosed']), (err: unknown) => {
    assert.ok(err instanceof GuardError);
    assert.match(err.message, /invalid audit\.redact pattern "\(unclosed"/);
    return true;
  });
});

test('content digests pass unchanged, even through a pattern that matches hex', () => {
  const sha256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  const custom = compileRedactor(['[0-9]{4,}']);
  assert.deepEqual(custom({ content: { bytes: 0, sha256 }, note: 'id 12345' }), { content: { bytes: 0, sha256 }, note: 'id [REDACTED:custom]' });
});

test('a custom pattern that matches marker text does not touch markers', () => {
  const custom = compileRedactor(['REDACTED', '[a-z]+-token']);
  const once = custom(`x ${GH} REDACTED`) as string;
  assert.equal(once, 'x [REDACTED:github-token] [REDACTED:custom]');
  assert.equal(custom(once), once);
});

// Strings built from fragments of every secret shape and the separators around them, so the
// generator reaches the interesting overlaps (token inside assignment inside URL...).
const FRAGMENTS = [
  GH, JWT, PEM, AWS_ID, AWS_SECRET, 'sk-ant-', 'sk-', `${rep('a', 20)}`, 'ghp_', 'eyJ', '.', '=', ':', ': ', '"', "'", '@', '/',
  '://', 'https://', 'u:p@h', 'PASSWORD', 'TOKEN', '_TOKEN', 'password', 'Authorization: ', 'Bearer ', 'Basic ', '--token ',
  '-u ', 'export ', '[REDACTED:jwt]', '[REDACTED:', ']', ' ', '\n', '$', '-----BEGIN', ' PRIVATE KEY-----', '-----END',
  'hooks.slack.com/services/', 'xoxb-', 'AIza', 'sk_live_', 'npm_', '0123456789', 'ABCDEFGHIJKLMNOP',
];
const secretish = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 4 })), { maxLength: 24 })
  .map((parts) => parts.join(''));

test('property: never throws and is idempotent on secret-shaped text', () => {
  fc.assert(
    fc.property(secretish, (text) => {
      const once = r(text);
      assert.equal(typeof once, 'string');
      assert.equal(r(once), once);
    }),
    { numRuns: 3000 },
  );
});

test('property: never throws and is idempotent on any JSON value', () => {
  const custom = compileRedactor(['[0-9]{4,}']);
  fc.assert(
    fc.property(fc.jsonValue(), fc.anything(), (json, anything) => {
      const once = custom(json);
      assert.deepEqual(custom(once), once);
      assert.doesNotThrow(() => custom(anything));
    }),
    { numRuns: 1000 },
  );
});

test('property: no token of a known shape survives, whatever surrounds it', () => {
  const tokens = [GH, JWT, AWS_ID, `sk-ant-api03-${rep('k', 40)}`, `npm_${rep('n', 36)}`, `AIza${rep('g', 35)}`, `xoxb-${rep('1', 20)}`];
  const context = fc.string({ maxLength: 6 }).map((s) => s.replace(/[A-Za-z0-9_-]/g, ' '));
  fc.assert(
    fc.property(context, fc.constantFrom(...tokens), context, (before, token, after) => {
      const out = r(`${before}${token}${after}`);
      assert.ok(!out.includes(token), `${JSON.stringify(out)} still holds the token`);
    }),
  );
});
