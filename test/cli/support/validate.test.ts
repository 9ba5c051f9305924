import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ValidateOutputSchema, type ValidateOutput } from '../../../cli/support/outputs.js';
import { formatValidate, lintConfigText, validateConfigs, warningProblem } from '../../../cli/support/validate.js';
import { parseConfigText } from '../../../lib/config-file.js';
import fc from 'fast-check';
import { tempDirs } from '../../helpers/tmp.js';

const tmp = tempDirs('hw-validate-');

/** A home with a user config dir and a project (with .git) whose cwd is a subdirectory. */
function world(files: { user?: unknown; project?: unknown } = {}) {
  const dir = fs.realpathSync(tmp());
  const home = path.join(dir, 'home');
  const root = path.join(dir, 'proj');
  const cwd = path.join(root, 'src');
  fs.mkdirSync(cwd, { recursive: true });
  fs.mkdirSync(path.join(root, '.git'));
  const userFile = path.join(home, '.config', 'hookwarden', 'config.json');
  const projectFile = path.join(root, '.hookwarden', 'config.json');
  const put = (file: string, v: unknown) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof v === 'string' ? v : JSON.stringify(v));
  };
  if (files.user !== undefined) put(userFile, files.user);
  if (files.project !== undefined) put(projectFile, files.project);
  const run = (o: { files?: string[]; env?: Record<string, string>; strict?: boolean } = {}): ValidateOutput => {
    const r = validateConfigs({ cwd, home, env: o.env ?? {}, platform: 'linux', ...(o.files ? { files: o.files } : {}), ...(o.strict ? { strict: true } : {}) });
    ValidateOutputSchema.parse(r);
    return r;
  };
  return { dir, home, root, cwd, userFile, projectFile, put, run };
}

const messages = (r: ValidateOutput, i: number) => r.files[i]?.problems.map((p) => [p.severity, p.message]);

describe('validate: the default layers', () => {
  it('no config at all: both layers absent, valid', () => {
    const w = world();
    assert.deepEqual(w.run(), {
      ok: true, exitCode: 0, files: [
        { file: w.userFile, layer: 'user', present: false, ok: true, problems: [] },
        { file: w.projectFile, layer: 'project', present: false, ok: true, problems: [] },
      ],
    });
  });
  it('{} is valid in both layers', () => {
    const w = world({ user: {}, project: '\ufeff{"$schema": "../schema/config.schema.json"}' });
    const r = w.run();
    assert.equal(r.exitCode, 0);
    assert.deepEqual(r.files.map((f) => [f.present, f.ok, f.problems]), [[true, true, []], [true, true, []]]);
  });
  it('a full, sound config in each layer is valid', () => {
    const w = world({
      user: {
        presets: { vcs: false }, unresolved: 'deny', limits: { budgetMs: 20000 },
        rules: [{ id: 'ssh', effect: 'deny', paths: ['~/.ssh/**'], locked: true }, { id: 'tmp-ok', effect: 'allow', paths: ['/tmp/**'] }],
        mcp: { tools: { 'mcp__fs__*': { writes: ['target'] } } },
        audit: { log: 'deny', redact: ['ACME-[0-9]{8}'], sinks: [{ type: 'file' }, { type: 'http', url: 'https://logs.example/in' }] },
      },
      project: { rules: [{ id: 'gen', effect: 'ask', paths: ['generated/**'], except: ['generated/README.md'], tools: ['Bash', 'apply_patch', 'Write*'] }], limits: { maxDepth: 4 } },
    });
    assert.deepEqual(w.run().files.map((f) => f.problems), [[], []]);
  });
  it('HOOKWARDEN_CONFIG replaces the user layer; the project file is then ignored, which is said', () => {
    const w = world({ user: '{ broken', project: {} });
    const ci = path.join(w.dir, 'ci.json');
    fs.writeFileSync(ci, '{}');
    const r = w.run({ env: { HOOKWARDEN_CONFIG: ci } });
    assert.deepEqual(r.files.map((f) => [f.file, f.layer]), [[ci, 'env'], [w.projectFile, 'project']]);
    assert.deepEqual(messages(r, 1), [['warning', `ignored: HOOKWARDEN_CONFIG is set, so the hooks load only ${ci}`]]);
    assert.equal(r.exitCode, 0);
    assert.equal(w.run({ env: { HOOKWARDEN_CONFIG: ci }, strict: true }).exitCode, 1);
  });
  it('a missing HOOKWARDEN_CONFIG cannot be read (exit 2), as the hooks cannot', () => {
    const w = world();
    const r = w.run({ env: { HOOKWARDEN_CONFIG: path.join(w.dir, 'gone.json') } });
    assert.equal(r.exitCode, 2);
    assert.deepEqual(messages(r, 0), [['error', 'cannot read config: ENOENT']]);
    assert.equal(r.files[0]?.present, false);
  });
});

describe('validate: broken files (exact messages)', () => {
  it('invalid JSON', () => {
    const w = world({ project: '{"rules": [' });
    const r = w.run();
    assert.equal(r.exitCode, 1);
    assert.equal(r.files[1]?.problems.length, 1);
    assert.match(r.files[1]?.problems[0]?.message ?? '', /^invalid JSON: /);
  });
  it('every schema problem, the first worded exactly as the hook blocks with', () => {
    const w = world({ project: { rules: [{ id: 'a', effect: 'block', paths: ['!x'] }, { id: 'b', effect: 'deny', paths: [] }], colour: 1, unresolved: 'maybe', limits: { budgetMs: 5, x: 1 } } });
    const r = w.run();
    assert.equal(r.exitCode, 1);
    assert.deepEqual(r.files[1]?.problems, [
      { severity: 'error', rule: 'a', field: 'effect', message: 'rules[0] (id "a"): field effect: expected one of deny|allow|ask' },
      { severity: 'error', rule: 'a', field: 'paths[0]', message: 'rules[0] (id "a"): field paths[0]: negated globs are not supported (use "except")' },
      { severity: 'error', rule: 'b', field: 'paths', message: 'rules[1] (id "b"): field paths: must not be empty' },
      { severity: 'error', field: 'unresolved', message: 'field unresolved: expected one of allow|ask|deny' },
      { severity: 'error', field: 'limits.budgetMs', message: 'field limits.budgetMs: must be >= 100' },
      { severity: 'error', field: 'limits.x', message: 'field limits: unknown field "x"' },
      { severity: 'error', field: 'colour', message: 'unknown field "colour"' },
    ]);
  });
  it('the first message is the loader\'s, whatever the problem', () => {
    const file = '/x/.hookwarden/config.json';
    const cases = [{ rules: [{ id: 'x y', effect: 'deny', paths: ['a'] }] }, { rules: [{ id: 'r', effect: 'deny', paths: ['$FOO/x'], tools: ['a b'] }] },
      [], { presets: { nope: true } }, { rules: [{ id: 'r', paths: ['a'], locked: 'yes' }] }, { audit: { sinks: [{ type: 'ftp' }] } }, { mcp: { tools: { '': {} } } }];
    for (const cfg of cases) {
      const text = JSON.stringify(cfg);
      assert.throws(() => parseConfigText(text, file), (err: Error) => {
        const { problems } = lintConfigText(text, file, { home: '/home/dev', env: {}, platform: 'linux' });
        assert.equal(`${file}: ${problems[0]?.message}`, err.message);
        assert.ok(problems.every((p) => p.severity === 'error'));
        return true;
      });
    }
  });
  it('duplicate ids, all of them, and no layering warnings for a file the hooks refuse', () => {
    const w = world({ project: { presets: { vcs: false }, rules: [{ id: 'd', effect: 'deny', paths: ['a'] }, { id: 'd', effect: 'deny', paths: ['b'] }, { id: 'd', effect: 'ask', paths: ['c'] }] } });
    assert.deepEqual(messages(w.run(), 1), [
      ['error', 'rules[1] (id "d"): field id: duplicate of rules[0]'],
      ['error', 'rules[2] (id "d"): field id: duplicate of rules[0]'],
    ]);
  });
  it('rules that can never match are errors; the file is not ok', () => {
    const w = world({ user: { rules: [{ id: 'r', effect: 'deny', paths: ['x/**'], tools: ['Read'] }] } });
    const r = w.run();
    assert.deepEqual(messages(r, 0), [['error', 'rules[0] (id "r"): field tools[0]: "Read" has no write, delete or move targets (only read); the rule can never match']]);
    assert.deepEqual([r.ok, r.exitCode, r.files[0]?.ok], [false, 1, false]);
  });
});

describe('validate: what the layering ignores (loadConfig warnings)', () => {
  const weakening = {
    presets: { vcs: false }, audit: {}, unresolved: 'allow', limits: { budgetMs: 60000 }, mcp: { tools: { 'mcp__fs__*': { ignore: true } } },
    rules: [{ id: 'secrets', effect: 'allow', paths: ['x'] }, { id: 'mine', effect: 'allow', paths: ['x/**'] }],
  };
  const user = { unresolved: 'deny', rules: [{ id: 'mine', effect: 'deny', paths: ['x/**'], locked: true }] };
  it('a project config weakening locked rules and presets: warnings naming rule and field, exit 0 (1 with --strict)', () => {
    const w = world({ user, project: weakening });
    const r = w.run();
    assert.deepEqual(r.files[1]?.problems, [
      { severity: 'warning', field: 'presets.vcs', message: 'presets.vcs: a project config cannot switch a preset off; ignored' },
      { severity: 'warning', rule: 'secrets', field: 'id', message: 'rule "secrets" is locked by builtin:secrets; ignored' },
      { severity: 'warning', rule: 'mine', field: 'id', message: `rule "mine" is locked by ${w.userFile}; ignored` },
      { severity: 'warning', field: 'unresolved', message: `unresolved "allow" cannot relax "deny" set by ${w.userFile}; ignored` },
      { severity: 'warning', field: 'mcp.tools.mcp__fs__*', message: 'mcp.tools.mcp__fs__*: a project config can only add "writes"; "reads", "readOnly" and "ignore" ignored' },
      { severity: 'warning', field: 'limits.budgetMs', message: 'limits.budgetMs: a project config can only tighten limits; ignored' },
      { severity: 'warning', field: 'audit', message: 'audit: only the user config may configure auditing; ignored' },
    ]);
    assert.deepEqual([r.exitCode, r.files[1]?.ok], [0, true]);
    const strict = w.run({ strict: true });
    assert.deepEqual([strict.exitCode, strict.ok, strict.files[0]?.ok, strict.files[1]?.ok], [1, false, true, false]);
  });
  it('the same file named on the command line is judged as the project layer it is', () => {
    const w = world({ user, project: weakening });
    const r = w.run({ files: [path.relative(w.cwd, w.projectFile)] });
    assert.deepEqual(r.files.map((f) => [f.file, f.layer, f.problems.length]), [[w.projectFile, 'project', 7]]);
  });
  it('with a broken user config the project is judged against the presets, and says so', () => {
    const w = world({ user: '{', project: weakening });
    const r = w.run({ files: [w.projectFile] });
    assert.match(r.files[0]?.problems[0]?.message ?? '', new RegExp(`^checked against the built-in presets only: ${w.userFile.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid JSON: `));
    assert.deepEqual(r.files[0]?.problems.slice(1).map((p) => p.field), ['presets.vcs', 'id', 'mcp.tools.mcp__fs__*', 'limits.budgetMs', 'audit']);
  });
  it('a user config replacing a locked built-in rule is warned about too', () => {
    const w = world({ user: { rules: [{ id: 'vcs', effect: 'allow', paths: ['.git/**'] }] } });
    assert.deepEqual(messages(w.run(), 0), [['warning', 'rule "vcs" is locked by builtin:vcs; ignored']]);
  });
});

describe('validate: named files', () => {
  it('layers: the user path, HOOKWARDEN_CONFIG, a .hookwarden/config.json, anything else', () => {
    const w = world({ user: {}, project: {} });
    const other = path.join(w.dir, 'team.json');
    const ci = path.join(w.dir, 'ci.json');
    for (const f of [other, ci]) fs.writeFileSync(f, '{}');
    const r = w.run({ files: [w.userFile, ci, w.projectFile, other], env: { HOOKWARDEN_CONFIG: ci } });
    assert.deepEqual(r.files.map((f) => f.layer), ['user', 'env', 'project', 'file']);
    assert.equal(r.exitCode, 0);
  });
  it('a named file that is missing, a directory or too large cannot be read: exit 2', () => {
    const w = world();
    const dir = path.join(w.dir, 'adir');
    const big = path.join(w.dir, 'big.json');
    fs.mkdirSync(dir);
    fs.writeFileSync(big, `{"$schema":"${'x'.repeat(1024 * 1024)}"}`);
    const r = w.run({ files: [path.join(w.dir, 'nope.json'), dir, big] });
    assert.equal(r.exitCode, 2);
    assert.deepEqual(r.files.map((f) => [f.present, f.ok, f.problems[0]?.message]), [
      [false, false, 'cannot read config: ENOENT'],
      [true, false, 'cannot read config: not a regular file (a directory)'],
      [true, false, 'cannot read config: larger than 1048576 bytes'],
    ]);
  });
});

describe('lintConfigText never throws', () => {
  const glob = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('**', '/', '~/x/**', '$HOME/a', 'src/**', './src', '**/.env', 'a\\b', '/etc/**', 'x/*.md'));
  const rule = fc.record({
    id: fc.oneof(fc.constantFrom('a', 'b', 'secrets'), fc.string({ maxLength: 4 })),
    effect: fc.constantFrom('deny', 'allow', 'ask', 'block'),
    paths: fc.array(glob, { maxLength: 3 }),
    except: fc.option(fc.array(glob, { maxLength: 3 }), { nil: undefined }),
    tools: fc.option(fc.array(fc.constantFrom('Bash', 'Read', 'Glob', 'mcp__*', 'Wr*', 'bash', 'a b'), { minLength: 1, maxLength: 3 }), { nil: undefined }),
    ops: fc.option(fc.array(fc.constantFrom('write', 'read', 'move', 'delete', 'x'), { maxLength: 3 }), { nil: undefined }),
  }, { requiredKeys: ['id', 'effect', 'paths'] });
  const configish = fc.record({ rules: fc.array(rule, { maxLength: 4 }), mcp: fc.constant({ tools: { 'mcp__*': {} } }) }, { requiredKeys: ['rules'] }).map((c) => JSON.stringify(c));
  it('on any text, JSON value or rule-shaped config: only problems, each one line', () => {
    fc.assert(fc.property(fc.oneof(fc.string(), fc.json(), configish), (text) => {
      const { problems } = lintConfigText(text, '/p/.hookwarden/config.json', { root: '/p', home: '/home/dev', env: {}, platform: 'linux' });
      for (const p of problems) assert.ok(!p.message.includes('\n'), p.message);
    }), { numRuns: 1000 });
  });
});

describe('warningProblem', () => {
  it('takes rule and field from loadConfig\'s wording', () => {
    assert.deepEqual(warningProblem('rule "a\\"b" is locked by builtin:x; ignored'), { severity: 'warning', rule: 'a"b', field: 'id', message: 'rule "a\\"b" is locked by builtin:x; ignored' });
    assert.deepEqual(warningProblem('something new'), { severity: 'warning', message: 'something new' });
  });
});

describe('formatValidate', () => {
  it('one aligned line per file or problem, a verdict, colour only on a terminal', () => {
    const r: ValidateOutput = {
      ok: false, exitCode: 1, files: [
        { file: '/home/dev/.config/hookwarden/config.json', layer: 'user', present: false, ok: true, problems: [] },
        { file: '/w/.hookwarden/config.json', layer: 'project', present: true, ok: false, problems: [{ severity: 'error', message: 'bad' }, { severity: 'warning', message: 'meh' }] },
        { file: '/w/ok.json', layer: 'file', present: true, ok: true, problems: [] },
      ],
    };
    const plain = formatValidate(r, false, '/home/dev');
    assert.equal(plain, [
      'absent   user     ~/.config/hookwarden/config.json (nothing to check)',
      'error    project  /w/.hookwarden/config.json: bad',
      'warning  project  /w/.hookwarden/config.json: meh',
      'ok       file     /w/ok.json',
      '1 error, 1 warning',
      '',
    ].join('\n'));
    assert.equal(formatValidate(r, true, '/home/dev').replace(/\x1b\[\d+m/g, ''), plain);
    assert.equal(formatValidate({ ok: true, exitCode: 0, files: [] }, false, '/h'), 'valid\n');
  });
});
