import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  RuleSchema, compileGlob, compileRule, expandOps, globMatches, globProblem, ruleApplies, ruleMatches, subjectOf,
  type GlobContext, type RuleInput,
} from '../../lib/rules.js';
import { UNRESOLVED_SEGMENT, type Op } from '../../lib/types.js';

const linux: GlobContext = { root: '/w/proj', home: '/h/me', env: {}, platform: 'linux' };
const match = (glob: string, path: string, g: GlobContext = linux): boolean =>
  globMatches(compileGlob(glob, g), subjectOf(path, g.platform));

describe('globProblem', () => {
  const ok = ['**/.env', '.env', './src/**', '~/.ssh/**', '~', '/etc/hosts', '$HOME/.x', '${XDG_CONFIG_HOME}/hw/**',
    '$XDG_STATE_HOME', '{a,b}/*.pem', 'a$1', 'price$'];
  for (const g of ok) it(`accepts ${JSON.stringify(g)}`, () => assert.equal(globProblem(g), undefined));
  const bad: [string, RegExp][] = [
    ['', /empty/],
    ['x'.repeat(1025), /at most 1024/],
    ['!.env', /negated/],
    ['#x', /"#"/],
    ['~bob/.ssh', /~user/],
    ['$XDG_DATA_HOME/x', /unknown variable \$XDG_DATA_HOME/],
    ['${FOO}/x', /unknown variable \$FOO/],
    ['$HOMEx/y', /unknown variable \$HOMEx/],
    ['$HOME.x', /must be followed by "\/"/],
    ['src/$HOME/x', /may only start/],
    ['a$b', /may only start/],
    ['$HOME/$HOME', /may only start/],
    ['../x/**', /"\." and "\.\."/],
    ['a/./b', /"\." and "\.\."/],
    ['a\0b', /NUL/],
  ];
  for (const [g, re] of bad) it(`rejects ${JSON.stringify(g.slice(0, 40))}`, () => assert.match(globProblem(g) ?? '', re));
});

describe('compileGlob + globMatches', () => {
  const table: [glob: string, path: string, expected: boolean, g?: GlobContext][] = [
    ['**/.npmrc', '/h/me/.npmrc', true],
    ['**/.npmrc', '/etc/.npmrc', true],
    ['**/.npmrc', '/.npmrc', true],
    ['**/.npmrc', '/w/proj/x.npmrc', false],
    ['**/.env.*', '/w/proj/.env.local', true],
    ['**/.env.*', '/w/proj/.env', false],
    ['**/secrets/**', '/w/proj/a/secrets/b/c', true],
    ['**/secrets/**', '/w/proj/a/secrets', true], // dir/** covers dir
    ['**/secrets/**', '/w/proj/a/secretsx', false],
    ['config/prod/**', '/w/proj/config/prod/app.yml', true],
    ['config/prod/**', '/w/proj/config/prod', true],
    ['config/prod/**', '/w/proj/config', false],
    ['config/prod/**', '/other/config/prod/app.yml', false],
    ['./config/*.yml', '/w/proj/config/a.yml', true],
    ['src', '/w/proj/src', true],
    ['src', '/w/proj/src/a.ts', false],
    ['*.pem', '/w/proj/a.pem', true],
    ['*.pem', '/w/proj/sub/a.pem', false],
    ['~/.ssh/**', '/h/me/.ssh/id_rsa', true],
    ['~/.ssh/**', '/h/me/.ssh', true],
    ['~/.ssh/**', '/h/me/.sshx', false],
    ['~/.kube/config', '/h/me/.kube/config', true],
    ['~/.kube/config', '/h/me/.kube/config.bak', false],
    ['~', '/h/me', true],
    ['/etc/hosts', '/etc/hosts', true],
    ['/etc/*', '/etc/passwd', true],
    ['/etc/*', '/etc', false],
    ['/**', '/anything/at/all', true],
    ['$HOME/.x', '/h/me/.x', true],
    ['$XDG_CONFIG_HOME/hw/**', '/h/me/.config/hw/config.json', true],
    ['${XDG_STATE_HOME}/hw/**', '/h/me/.local/state/hw/audit.jsonl', true],
    ['$XDG_CONFIG_HOME/hw/**', '/x/cfg/hw/a', true, { ...linux, env: { XDG_CONFIG_HOME: '/x/cfg' } }],
    ['$XDG_CONFIG_HOME/hw/**', '/h/me/.config/hw/a', false, { ...linux, env: { XDG_CONFIG_HOME: '/x/cfg' } }],
    // A relative XDG value is ignored, as the XDG spec says.
    ['$XDG_CONFIG_HOME/hw/**', '/h/me/.config/hw/a', true, { ...linux, env: { XDG_CONFIG_HOME: 'rel' } }],
    // Glob characters in root and home are literal.
    ['a/**', '/t/[x]{1,2}*?/a/b', true, { ...linux, root: '/t/[x]{1,2}*?' }],
    ['a/**', '/t/x1/a/b', false, { ...linux, root: '/t/[x]{1,2}*?' }],
    ['~/.ssh/**', '/h/(me)!/.ssh/k', true, { ...linux, home: '/h/(me)!' }],
    // Unknowable parts stay unknowable: literal parts still match.
    ['**/.env', `/w/proj/${UNRESOLVED_SEGMENT}/.env`, true],
    ['**/.env', `/w/proj/${UNRESOLVED_SEGMENT}`, false],
    // Case: only where the file system folds case.
    ['**/.env', '/w/proj/.ENV', false],
    ['**/.env', '/w/proj/.ENV', true, { ...linux, platform: 'darwin' }],
    ['~/.ssh/**', '/H/ME/.SSH/k', true, { ...linux, platform: 'darwin' }],
    ['**/*.PEM', '/w/proj/a.pem', true, { ...linux, platform: 'darwin' }],
    // Windows: the core spells paths with "/", but backslashes and drive letters still work.
    ['**/.env', 'C:/Users/me/proj/.ENV', true, { root: 'C:/Users/me/proj', home: 'C:/Users/me', env: {}, platform: 'win32' }],
    ['~/.ssh/**', 'C:\\Users\\me\\.ssh\\k', true, { root: 'C:/p', home: 'C:\\Users\\me', env: {}, platform: 'win32' }],
    ['C:\\Windows\\**', 'c:/windows/system32', true, { root: 'C:/p', home: 'C:/Users/me', env: {}, platform: 'win32' }],
    ['src/**', 'D:/p/src/a.ts', false, { root: 'C:/p', home: 'C:/Users/me', env: {}, platform: 'win32' }],
  ];
  for (const [glob, path, expected, g] of table) {
    it(`${glob} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(path)} (${g?.platform ?? 'linux'})`, () => {
      assert.equal(match(glob, path, g), expected);
    });
  }

  it('builds minimatch objects once, on first use, and once per process: a later compile of the same glob shares them', () => {
    const glob = '**/.env-built-once'; // compiled by no other test in this process
    const c = compileGlob(glob, linux);
    const built = () => c.mm?.[0]; // a function: the field changes behind the type checker's back
    assert.equal(built(), undefined);
    globMatches(c, subjectOf('/w/proj/.env-built-once', 'linux'));
    const first = built();
    assert.ok(first);
    globMatches(c, subjectOf('/w/proj/a', 'linux'));
    assert.equal(built(), first);
    // The next call's config compiles the glob again: same patterns, same Minimatch.
    assert.equal(compileGlob(glob, linux).mm?.[0], first);
    // Under another base it is another glob.
    assert.notEqual(compileGlob(glob, { ...linux, platform: 'darwin' }), c);
  });

  it('never throws and agrees with "**/<name>" on random paths', () => {
    const seg = fc.stringMatching(/^[a-zA-Z0-9._\-*?[\]{}()!@+ ]{1,8}$/).filter((s) => s !== '.' && s !== '..');
    fc.assert(fc.property(fc.array(seg, { maxLength: 6 }), seg, (dirs, name) => {
      const path = `/${[...dirs, name].join('/')}`;
      for (const glob of [`**/${name}`, name, `~/${name}`, `/${dirs.join('/')}/**`]) {
        if (globProblem(glob) === undefined) match(glob, path);
      }
      const literal = name.replace(/[*?[\]{}()!@+\\]/g, '\\$&');
      return match(`**/${literal}`, path);
    }));
  });
});

describe('rules', () => {
  const rule = (r: Partial<RuleInput>) =>
    compileRule(RuleSchema.parse({ id: 'r', effect: 'deny', paths: ['**/x'], ...r }), 'test', linux);

  it('applies the schema defaults', () => {
    const r = rule({});
    assert.deepEqual([...r.ops].sort(), ['delete', 'move-from', 'move-to', 'write']);
    assert.equal(r.locked, false);
    assert.equal(r.reason, 'this path is protected');
    assert.equal(rule({ effect: 'ask' }).reason, 'this path needs confirmation');
    assert.equal(r.layer, 'test');
  });

  it('expands "move" to both sides', () => {
    assert.deepEqual([...expandOps(['move'])], ['move-from', 'move-to']);
    assert.deepEqual([...expandOps(['move-to', 'read'])], ['move-to', 'read']);
  });

  const ops: [string[], Op, boolean][] = [
    [['write'], 'write', true], [['write'], 'delete', false], [['delete'], 'delete', true],
    [['move'], 'move-from', true], [['move'], 'move-to', true], [['move-to'], 'move-from', false],
    [['read'], 'read', true], [['write', 'delete', 'move'], 'read', false],
  ];
  for (const [o, op, expected] of ops) {
    it(`ops ${o.join('+')} ${expected ? 'cover' : 'do not cover'} ${op}`, () => {
      assert.equal(ruleApplies(rule({ ops: o as RuleInput['ops'] }), op, 'Write'), expected);
    });
  }

  const tools: [string[] | undefined, string, boolean][] = [
    [undefined, 'anything', true], [['Bash'], 'Bash', true], [['Bash'], 'bash', false], [['Bash'], 'Bash2', false],
    [['mcp__fs__*'], 'mcp__fs__write_file', true], [['mcp__fs__*'], 'mcp__fsx__write_file', false],
    [['Write', 'apply_patch'], 'apply_patch', true],
  ];
  for (const [t, tool, expected] of tools) {
    it(`tools ${JSON.stringify(t)} ${expected ? 'cover' : 'do not cover'} ${tool}`, () => {
      assert.equal(ruleApplies(rule({ ...(t ? { tools: t } : {}) }), 'write', tool), expected);
    });
  }

  it('except globs take paths out of the rule', () => {
    const r = rule({ paths: ['**/.env.*'], except: ['**/.env.example', 'fixtures/**'] });
    assert.equal(ruleMatches(r, subjectOf('/w/proj/.env.local', 'linux')), true);
    assert.equal(ruleMatches(r, subjectOf('/w/proj/.env.example', 'linux')), false);
    assert.equal(ruleMatches(r, subjectOf('/w/proj/fixtures/.env.test', 'linux')), false);
    assert.equal(ruleMatches(r, subjectOf('/w/other/fixtures/.env.test', 'linux')), true);
  });

  it('rejects bad tool names and empty lists', () => {
    for (const bad of [{ tools: ['a b'] }, { tools: ['*x'] }, { tools: [] }, { paths: [] }, { ops: [] }, { ops: ['chmod'] }]) {
      assert.equal(RuleSchema.safeParse({ id: 'r', effect: 'deny', paths: ['x'], ...bad }).success, false, JSON.stringify(bad));
    }
  });
});
