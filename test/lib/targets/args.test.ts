// Paths in the arguments of tools without a dedicated extractor (issue 13, finding 8): unknown
// tools and MCP tools, top-level and nested, `file:` URIs, object keys; bounded; no false
// positives on text, URLs and the read-only tools a host has.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { preToolUse } from '../../../lib/guard.js';
import { ARG_LIMITS, PATH_KEYS, TEXT_KEYS, fileUriPath, keyOf, pathArguments, pathLike } from '../../../lib/targets/args.js';
import { extractTargets } from '../../../lib/targets/index.js';
import { Budget, GuardError } from '../../../lib/types.js';
import { claudePayload, codexPayload, runHookSync, sandbox } from '../../helpers/hook.js';
import { tempDirs } from '../../helpers/tmp.js';

const CWD = '/home/dev/project';
const paths = (tool: string, input: Record<string, unknown>): [string, string][] =>
  pathArguments(tool, input).map((f) => [f.field, f.path]);

describe('what looks like a path', () => {
  const yes: [string, string][] = [
    ['/etc/hosts', '/etc/hosts'], ['~', '~'], ['~/.ssh/config', '~/.ssh/config'], ['./a', './a'], ['../a', '../a'], ['.', '.'],
    ['..', '..'], ['C:\\x', 'C:\\x'], ['C:/x', 'C:/x'], ['\\\\srv\\share', '\\\\srv\\share'], ['src/app.ts', 'src/app.ts'],
    ['a\\b', 'a\\b'], ['.env', '.env'], ['.git', '.git'], ['server.pem', 'server.pem'], ['config.toml', 'config.toml'],
    ['/dir with spaces/x', '/dir with spaces/x'], ['~/My Documents/.env', '~/My Documents/.env'],
    ['file:///home/dev/.env', '/home/dev/.env'], ['file://localhost/etc/x', '/etc/x'], ['FILE:///a%20b/.env?x=1#f', '/a b/.env'],
    ['file:///C:/Users/x', 'C:/Users/x'], ['file://server/share/x', '//server/share/x'], ['file:.env', '.env'], ['file://', '/'],
    ['file:///bad%zzescape', '/bad%zzescape'],
  ];
  for (const [s, p] of yes) test(`${JSON.stringify(s)} names ${p}`, () => assert.equal(pathLike(s), p));

  const no = ['', 'hello', 'hello world', 'fix .env loading', 'use a/b testing', 'https://example.com/a/.env', 'HTTP://x/y',
    's3://bucket/key.txt', 'mailto:a@b.c', 'data:text/plain,x/y', 'urn:isbn:1', 'line/one\nline/two', 'tab\there/x', '3.14',
    'gpt-5.5', '1.0.0', 'v2', 'x'.repeat(5000) + '/y', 'general-purpose', 'pending', 'in_progress'];
  for (const s of no) test(`${JSON.stringify(s.slice(0, 40))} does not`, () => assert.equal(pathLike(s), undefined));

  test('fileUriPath leaves other strings alone', () => {
    assert.equal(fileUriPath('/x'), undefined);
    assert.equal(fileUriPath('files/x'), undefined);
  });
});

describe('paths in arguments', () => {
  test('the forms of the issue: other keys, file URIs, nested objects and arrays', () => {
    assert.deepEqual(paths('mcp__x__export', { output: '.env', outfile: 'a', location: 'b', uri: 'file:///home/dev/.ssh/authorized_keys' }),
      [['output', '.env'], ['outfile', 'a'], ['location', 'b'], ['uri', '/home/dev/.ssh/authorized_keys']]);
    assert.deepEqual(paths('FrobnicateFiles', { args: { path: '.env' }, edits: [{ path: 'a.txt', old_string: '/x', new_string: '~/y' }] }),
      [['args.path', '.env'], ['edits[0].path', 'a.txt']]);
  });

  test('under a path key every string counts, URLs excepted; under a text key none', () => {
    assert.deepEqual(paths('T', { path: 'plain', file: ['id_rsa', 'https://x/y'], content: '/etc/passwd', description: './x' }),
      [['path', 'plain'], ['file[0]', 'id_rsa'], ['path+file', 'plain/id_rsa']]);
    assert.deepEqual(paths('T', { files: [{ path: 'a', content: 'text/with/slashes' }, { name: 'b' }] }), [['files[0].path', 'a'], ['files[1].name', 'b']]);
  });

  test('object keys that look like paths are paths (a map of file name to content)', () => {
    assert.deepEqual(paths('T', { changes: { 'src/a.ts': 'x', '.env': 'X=1', note: 'y' } }), [['changes."src/a.ts"', 'src/a.ts'], ['changes.".env"', '.env']]);
  });

  test('key spellings', () => {
    assert.equal(keyOf('File_Path'), 'filepath');
    assert.equal(keyOf('old-string'), 'oldstring');
    for (const k of ['oldstring', 'newstring', 'content', 'description', 'prompt']) assert.ok(TEXT_KEYS.has(k) && !PATH_KEYS.has(k), k);
  });

  test('bounds: too deep, too many values, too many paths are GuardErrors that block', () => {
    let deep: unknown = '.env';
    for (let i = 0; i < ARG_LIMITS.maxDepth + 1; i++) deep = { a: deep };
    assert.throws(() => pathArguments('T', { x: deep }), (e: unknown) => e instanceof GuardError && e.message === 'T tool_input.x is nested too deeply');
    const limits = { maxDepth: 8, maxValues: 100, maxPaths: 5 };
    assert.throws(() => pathArguments('T', { x: Array.from({ length: 200 }, () => 1) }, undefined, { limits }), /holds more than 100 values/);
    assert.throws(() => pathArguments('T', { x: Array.from({ length: 6 }, (_, i) => `/p${i}`) }, undefined, { limits }), /names more than 5 paths/);
    // The same path many times is one path.
    assert.equal(pathArguments('T', { x: Array.from({ length: 50 }, () => '/p') }, undefined, { limits }).length, 1);
  });
});

describe('the tools a host has', () => {
  const extract = (tool: string, input: Record<string, unknown>) =>
    extractTargets(tool, input, CWD, { home: '/home/dev', env: {}, budget: new Budget(10_000), reads: true }).map((t) => [t.op, t.path]);
  test('read-only tools are not looked into: patterns, URLs, prompts and todo texts are not paths', () => {
    const cases: [string, Record<string, unknown>][] = [
      ['Grep', { pattern: '\\.env|id_rsa', path: '.', glob: '**/.env', output_mode: 'content' }],
      ['Glob', { pattern: '**/.ssh/*', path: '/home/dev' }],
      ['LS', { path: '/home/dev/.ssh' }],
      ['WebFetch', { url: 'file:///home/dev/.env', prompt: 'summarize ~/.ssh/config' }],
      ['WebSearch', { query: 'how to edit ~/.bashrc' }],
      ['TodoWrite', { todos: [{ content: 'rewrite .env', status: 'pending', activeForm: 'Rewriting .env' }] }],
      ['Task', { description: 'fix', prompt: 'edit /home/dev/project/.env', subagent_type: 'general-purpose' }],
    ];
    for (const [tool, input] of cases) assert.deepEqual(extract(tool, input), [], tool);
    assert.deepEqual(extract('Read', { file_path: '/home/dev/project/.env', offset: 1 }), [['read', '/home/dev/project/.env']]);
  });
});

describe('decisions (regression: a tool the guard does not know was allowed unseen)', () => {
  const tmp = tempDirs('hw-args-');
  const decide = (payload: Record<string, unknown>, env: Record<string, string>) =>
    preToolUse(JSON.stringify(payload), { env, home: env.HOME }).verdict;
  test('unknown Claude tool, nested MCP arguments and file URIs reach the rules', () => {
    const root = fs.realpathSync(tmp());
    const project = path.join(root, 'p');
    fs.mkdirSync(path.join(project, '.git'), { recursive: true });
    const env = { HOME: path.join(root, 'home'), XDG_CONFIG_HOME: path.join(root, 'c'), XDG_STATE_HOME: path.join(root, 's') };
    const blockedCases: Record<string, unknown>[] = [
      claudePayload(project, 'FrobnicateFiles', { path: '.env' }),
      claudePayload(project, 'FrobnicateFiles', { options: { target: { location: `file://${project}/.git/config` } } }),
      codexPayload(project, 'mcp__fs__bulk_edit', { edits: [{ path: 'src/a.ts' }, { path: '.env' }] }),
      codexPayload(project, 'mcp__x__render', { args: { path: 'out/.npmrc' } }),
      codexPayload(project, 'mcp__x__export', { outfile: '~/.ssh/authorized_keys' }),
      codexPayload(project, 'mcp__x__export', { uri: `file://${env.HOME}/.aws/credentials` }),
    ];
    for (const p of blockedCases) assert.equal(decide(p, env).decision, 'deny', JSON.stringify(p.tool_input));
    const allowedCases: Record<string, unknown>[] = [
      claudePayload(project, 'FrobnicateFiles', { path: 'src/a.ts', message: 'do not touch .env' }),
      claudePayload(project, 'Grep', { pattern: '.env', path: '.' }),
      codexPayload(project, 'mcp__filesystem__read_file', { path: '.env' }),
    ];
    for (const p of allowedCases) assert.equal(decide(p, env).decision, 'allow', JSON.stringify(p.tool_input));
  });
});

test('the built hook blocks an unknown tool writing .env and allows a read-only one at once', () => {
  const s = sandbox();
  try {
    const run = (tool: string, input: Record<string, unknown>) =>
      runHookSync('pre-tool-use', JSON.stringify(claudePayload(s.project, tool, input)), s.env, s.project);
    const frob = run('FrobnicateFiles', { path: '.env' });
    assert.equal(frob.status, 2, frob.stderr);
    assert.match(frob.stderr, /blocked write to \.env \(rule secrets\)/);
    const grep = run('Grep', { pattern: 'API_KEY', path: '.env' });
    assert.equal(grep.status, 0, grep.stderr);
  } finally {
    s.cleanup();
  }
});

// ---- properties ----

const textKeys = [...TEXT_KEYS];
/** Keys a generator may use: anything, except keys that hold text (where a path is data by design). */
const key = fc.string({ maxLength: 12 }).filter((k) => !TEXT_KEYS.has(keyOf(k)) && k !== '__proto__');
const leaf = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 20 }));
const sibling: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  v: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leaf, fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(key, tie('v'), { maxKeys: 3 })),
})).v;
const PLANTED: [string, string][] = [
  ['/home/dev/project/.env', '/home/dev/project/.env'], ['~/.ssh/authorized_keys', '~/.ssh/authorized_keys'], ['./.git/config', './.git/config'],
  ['.env', '.env'], ['deploy/.npmrc', 'deploy/.npmrc'], ['file:///home/dev/.aws/credentials', '/home/dev/.aws/credentials'],
  ['file://localhost/home/dev/My%20Keys/id_rsa', '/home/dev/My Keys/id_rsa'], ['C:\\Users\\dev\\.env', 'C:\\Users\\dev\\.env'],
];
type Step = { kind: 'key'; key: string } | { kind: 'index'; at: number };
const step: fc.Arbitrary<Step> = fc.oneof(
  key.map((k): Step => ({ kind: 'key', key: k })),
  fc.nat(4).map((at): Step => ({ kind: 'index', at })),
);

test('property: a protected path planted at any depth (within the bound) under any non-text key is found', () => {
  fc.assert(fc.property(
    fc.constantFrom(...PLANTED), fc.array(step, { minLength: 1, maxLength: ARG_LIMITS.maxDepth - 4 }), fc.array(sibling, { maxLength: 4 }),
    ([planted, expected], steps, siblings) => {
      let value: unknown = planted;
      for (const s of [...steps].reverse()) {
        if (s.kind === 'key') {
          const obj: Record<string, unknown> = {};
          siblings.forEach((v, i) => { obj[`s${i}`] = v; });
          obj[s.key] = value;
          value = obj;
        } else {
          const arr = [...siblings];
          arr.splice(Math.min(s.at, arr.length), 0, value);
          value = arr;
        }
      }
      const input = (steps[0]!.kind === 'key' ? value : { top: value }) as Record<string, unknown>;
      const found = pathArguments('mcp__s__t', input).map((f) => f.path);
      assert.ok(found.includes(expected), `${expected} not found in ${JSON.stringify(input).slice(0, 300)}`);
    },
  ), { numRuns: 500 });
});

test('property: words, sentences, URLs and multi-line text are not paths, under any key but a path key', () => {
  const word = fc.stringMatching(/^[A-Za-z0-9_-]{1,10}$/);
  const notPath = fc.oneof(
    word.filter((w) => !/\.[A-Za-z]/.test(w)),
    fc.array(word, { minLength: 2, maxLength: 6 }).chain((ws) => fc.constantFrom(' ', '\t').map((sep) => ws.join(sep))),
    fc.tuple(fc.constantFrom('http', 'https', 's3', 'git+ssh'), fc.webPath()).map(([s, p]) => `${s}://example.com${p}`),
    fc.tuple(fc.string(), fc.string()).map(([a, b]) => `${a}\n${b}`),
    fc.tuple(word, fc.array(word, { minLength: 1, maxLength: 4 })).map(([w, ws]) => `${w} ${ws.join('/')}`),
  );
  fc.assert(fc.property(notPath, (s) => assert.equal(pathLike(s), undefined, JSON.stringify(s))), { numRuns: 1000 });
  const otherKey = key.filter((k) => !PATH_KEYS.has(keyOf(k)) && pathLike(k) === undefined);
  fc.assert(fc.property(fc.dictionary(otherKey, fc.oneof(notPath, fc.array(notPath, { maxLength: 3 }), fc.dictionary(otherKey, notPath, { maxKeys: 3 }))),
    (input) => assert.deepEqual(pathArguments('mcp__s__t', input), [])), { numRuns: 300 });
});

test('property: text keys hide what is in them, whatever it looks like', () => {
  fc.assert(fc.property(fc.constantFrom(...textKeys), fc.constantFrom(...PLANTED.map(([p]) => p)), (k, p) => {
    assert.deepEqual(pathArguments('mcp__s__t', { [k]: p, [k.toUpperCase() + '_']: [p], x: { [k]: p } }), []);
  }));
});

test('property: any JSON arguments yield string paths or a GuardError, within the value bound', () => {
  fc.assert(fc.property(fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 40 })), (input) => {
    try {
      for (const f of pathArguments('T', input)) assert.equal(typeof f.path, 'string');
    } catch (e) {
      if (!(e instanceof GuardError)) throw e;
    }
  }), { numRuns: 500 });
});
