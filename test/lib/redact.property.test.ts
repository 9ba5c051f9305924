// Properties of redaction beyond the tables: a planted secret of every known kind never survives,
// wherever it sits and whatever surrounds it; redaction is idempotent; ordinary command text stays.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileRedactor } from '../../lib/redact.js';
import { GITLEAKS_RULES } from '../../lib/secret-patterns.js';
import { sampleText } from '../helpers/regex-steps.js';

const redact = compileRedactor([]);
const r = (s: string): string => redact(s) as string;
const alnum = (min: number, max: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), minLength: min, maxLength: max });
const hex = (n: number): fc.Arbitrary<string> => fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: n, maxLength: n });

/** [kind, the text a program or file would hold, the secret in it]. Values are random. */
const CONTEXTS: [string, (v: string) => string][] = [
  ['env assignment', (v) => `PASSWORD=${v}`],
  ['exported token', (v) => `export DEPLOY_TOKEN=${v}`],
  ['PGPASSWORD', (v) => `PGPASSWORD=${v} psql -h db`],
  ['*_KEY', (v) => `STRIPE_KEY="${v}"`],
  ['--password', (v) => `tool --password ${v}`],
  ['--token=', (v) => `tool --token=${v}`],
  ['--pass', (v) => `redis-cli --pass '${v}'`],
  ['--api-key', (v) => `tool --api-key ${v}`],
  ['mysql -p', (v) => `mysql -uroot -p${v} app`],
  ['sshpass -p', (v) => `sshpass -p ${v} ssh host`],
  ['docker login -p', (v) => `docker login -u me -p ${v} ghcr.io`],
  ['redis-cli -a', (v) => `redis-cli -a ${v} ping`],
  ['az login -p', (v) => `az login -u me -p ${v}`],
  ['curl -u', (v) => `curl -u admin:${v} https://x`],
  ['curl --user=', (v) => `curl --user=admin:${v} https://x`],
  ['url userinfo', (v) => `git clone https://me:${v}@example.com/r.git`],
  ['cookie header', (v) => `curl -H "Cookie: session=${v}" x`],
  ['authorization header', (v) => `curl -H "Authorization: Bearer ${v}" x`],
  ['api key header', (v) => `curl -H 'X-Api-Key: ${v}' x`],
  ['aws configure', (v) => `aws configure set aws_secret_access_key ${v}`],
  ['git config', (v) => `git config --global github.token ${v}`],
  ['json', (v) => `{"client_secret": "${v}"}`],
  ['yaml', (v) => `password: ${v}`],
];

const TOKENS: [string, fc.Arbitrary<string>][] = [
  ['github', alnum(36, 36).map((s) => `ghp_${s}`)],
  ['github fine-grained', alnum(82, 82).map((s) => `github_pat_${s}`)],
  ['gitlab', alnum(20, 20).map((s) => `glpat-${s}`)],
  ['huggingface', fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'), minLength: 34, maxLength: 34 }).map((s) => `hf_${s}`)],
  ['npm', alnum(36, 36).map((s) => `npm_${s}`)],
  ['anthropic', alnum(40, 90).map((s) => `sk-ant-api03-${s}`)],
  ['openai', alnum(40, 90).map((s) => `sk-proj-${s}`)],
  ['aws access key', fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'), minLength: 16, maxLength: 16 }).map((s) => `AKIA${s}`)],
  ['google', alnum(35, 35).map((s) => `AIza${s}`)],
  ['slack', fc.tuple(fc.stringMatching(/^[0-9]{10,12}$/), alnum(24, 24)).map(([a, b]) => `xoxb-${a}-${b}`)],
  ['stripe', alnum(24, 24).map((s) => `sk_live_${s}`)],
  ['digitalocean', hex(64).map((s) => `dop_v1_${s}`)],
  ['jwt', fc.tuple(alnum(10, 30), alnum(10, 30), alnum(20, 43)).map(([a, b, c]) => `eyJ${a}.eyJ${b}.${c}`)],
  ['private key', alnum(64, 200).map((s) => `-----BEGIN OPENSSH PRIVATE KEY-----\n${s}\n-----END OPENSSH PRIVATE KEY-----`)],
];

const SEPARATORS = fc.constantFrom(' ', '\n', '; ', ' && ', '\t');
const around = fc.string({ maxLength: 40 });

test('property: a planted credential in any known context never survives, whatever surrounds it', () => {
  fc.assert(
    fc.property(fc.constantFrom(...CONTEXTS), alnum(12, 32), around, SEPARATORS, around, SEPARATORS, ([, make], value, before, s1, after, s2) => {
      const out = r(`${before}${s1}${make(value)}${s2}${after}`);
      assert.ok(!out.includes(value), `${JSON.stringify(out)} still holds ${value}`);
    }),
    { numRuns: 3000 },
  );
});

test('property: a planted token of each known format never survives, whatever surrounds it', () => {
  fc.assert(
    fc.property(fc.constantFrom(...TOKENS).chain(([kind, arb]) => arb.map((t) => [kind, t] as const)), around, SEPARATORS, around, SEPARATORS, ([, token], before, s1, after, s2) => {
      const out = r(`${before}${s1}${token}${s2}${after}`);
      // Nothing of the token's random part may be left (a prefix like `ghp_` alone is no secret).
      const body = token.slice(-12);
      assert.ok(!out.includes(body), `${JSON.stringify(out)} still holds ${token}`);
    }),
    { numRuns: 3000 },
  );
});

test('property: a token matching any imported gitleaks rule never survives, whatever surrounds it', () => {
  // As in gitleaks, a rule applies to text holding one of its keywords.
  const rules = GITLEAKS_RULES.map(([id, source, keywords]) => ({ id, re: new RegExp(source), source, keywords }));
  fc.assert(
    fc.property(fc.constantFrom(...rules), fc.integer({ min: 0, max: 2 ** 30 }), around, SEPARATORS, around, SEPARATORS, (rule, seed0, before, s1, after, s2) => {
      let seed = seed0;
      const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
      const token = sampleText(rule.source, '', rnd);
      const m = rule.re.exec(token);
      const keyword = rule.keywords.length === 0 || rule.keywords.some((k) => token.toLowerCase().includes(k));
      fc.pre(keyword && m !== null && m.index === 0 && m[0].length === token.length && token.length >= 8 && !/\s/.test(token));
      const out = r(`${before}${s1}${token}${s2}${after}`);
      assert.ok(!out.includes(token), `${rule.id}: ${JSON.stringify(out)} still holds ${JSON.stringify(token)}`);
    }),
    { numRuns: 3000 },
  );
});

const FRAGMENTS = [
  'ghp_', 'eyJ', '.', '=', ':', ': ', '"', "'", '@', '/', '://', 'https://', 'u:p@h', 'PASSWORD', 'TOKEN', '_TOKEN', 'password',
  'Authorization: ', 'Cookie: ', 'Bearer ', '--token ', '--pass ', '-u ', '-p', 'mysql ', 'docker login ', 'redis-cli -a ', 'export ',
  '[REDACTED:jwt]', '[REDACTED:', ']', ' ', '\n', ';', '$', '-----BEGIN', ' PRIVATE KEY-----', '-----END', 'hf_', 'xoxb-', 'AIza',
  'sk_live_', 'npm_', '0123456789', 'ABCDEFGHIJKLMNOP', 'abcdefghijklmnopqrstuvwxyz', '_', '-',
];

test('property: redaction is idempotent on secret-shaped text', () => {
  const text = fc.array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 6 })), { maxLength: 40 }).map((p) => p.join(''));
  fc.assert(
    fc.property(text, (t) => {
      const once = r(t);
      assert.equal(r(once), once);
    }),
    { numRuns: 3000 },
  );
});

// Text agents run every day: paths, git SHAs, UUIDs, package names, ports, plain URLs.
const word = fc.stringMatching(/^[a-z][a-z0-9]{1,10}$/);
const pathArb = fc.array(fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,14}$/), { minLength: 1, maxLength: 5 }).map((p) => p.join('/'));
const COMMON: fc.Arbitrary<string>[] = [
  fc.tuple(fc.constantFrom('status', 'add', 'diff', 'log -p', 'rm --cached', 'mv'), pathArb).map(([s, p]) => `git ${s} ${p}`),
  hex(40).map((sha) => `git checkout ${sha} -- src/app.ts`),
  hex(64).map((h) => `echo ${h}  dist/app.tgz | sha256sum -c`),
  fc.uuid().map((u) => `kubectl delete pod worker-${u} -n jobs`),
  fc.tuple(word, fc.nat(20), fc.nat(20)).map(([w, a, b]) => `npm install ${w}@${a}.${b}.0 --save-dev`),
  fc.tuple(fc.nat(65535), word).map(([port, img]) => `docker run --rm -p ${port}:80 -u 1000:1000 ${img}:latest`),
  fc.tuple(word, pathArb).map(([w, p]) => `grep -rn "${w}" ${p} | head -20`),
  fc.tuple(fc.domain(), pathArb, word).map(([d, p, w]) => `curl -sSfL https://${d}/${p}?q=${w} -o /tmp/out`),
  fc.tuple(pathArb, word).map(([p, w]) => `cd ${p} && python3 -m ${w} --verbose`),
  fc.tuple(word, word).map(([a, b]) => `NODE_ENV=production ${a} run ${b}`),
  pathArb.map((p) => `ls -la ~/.config/${p} && cat ./${p}.json`),
];

test('property: ordinary command text (paths, SHAs, UUIDs, packages, ports, plain URLs) survives unchanged', () => {
  fc.assert(
    fc.property(fc.oneof(...COMMON), (cmd) => {
      assert.equal(r(cmd), cmd);
    }),
    { numRuns: 3000 },
  );
});
