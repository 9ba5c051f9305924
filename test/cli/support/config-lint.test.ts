import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lintConfig, lintRules, TOOL_OPS, toolOps } from '../../../cli/support/config-lint.js';
import { ConfigFileSchema } from '../../../lib/config-file.js';
import { RuleSchema, type RuleInput } from '../../../lib/rules.js';
import { extractTargets } from '../../../lib/targets/index.js';
import { Budget, type Op } from '../../../lib/types.js';

const G = { root: '/work/app', home: '/home/dev', env: {}, platform: 'linux' as const };
const rules = (...rs: RuleInput[]) => rs.map((r) => RuleSchema.parse(r));
const lint = (...rs: RuleInput[]) => lintRules(rules(...rs), G).map((p) => [p.severity, p.message]);

describe('TOOL_OPS agrees with the extractors', () => {
  const opts = { home: '/home/dev', env: {}, budget: new Budget(10_000), reads: true };
  const opsOf = (tool: string, inputs: Record<string, unknown>[]): Op[] =>
    [...new Set(inputs.flatMap((input) => extractTargets(tool, input, '/work/app', opts).map((t) => t.op)))].sort();
  const patch = '*** Begin Patch\n*** Add File: a\n+x\n*** Delete File: b\n*** Update File: c\n*** Move to: d\n@@\n-x\n+y\n*** End Patch\n';
  const samples: Record<string, Record<string, unknown>[]> = {
    Bash: [{ command: 'cat a > b; rm c; mv d e' }],
    shell: [{ command: 'cat a > b; rm c; mv d e' }],
    local_shell: [{ command: 'cat a > b; rm c; mv d e' }],
    exec_command: [{ command: 'cat a > b; rm c; mv d e' }],
    'container.exec': [{ command: 'cat a > b; rm c; mv d e' }],
    apply_patch: [{ command: patch }],
    Write: [{ file_path: '/a', content: '' }],
    Edit: [{ file_path: '/a', old_string: 'x', new_string: 'y' }],
    MultiEdit: [{ file_path: '/a', edits: [] }],
    NotebookEdit: [{ notebook_path: '/a.ipynb', new_source: '' }],
    Read: [{ file_path: '/a' }],
  };
  for (const [tool, inputs] of Object.entries(samples)) {
    it(`${tool}: ${[...(TOOL_OPS[tool] ?? [])].join(', ')}`, () => assert.deepEqual(opsOf(tool, inputs), [...(TOOL_OPS[tool] ?? [])].sort()));
  }
  it('covers exactly these tools', () => assert.deepEqual(Object.keys(TOOL_OPS).sort(), Object.keys(samples).sort()));
  it('mcp__ tools have every op', () => {
    const ops = opsOf('mcp__fs__write_file', [{ path: '/a' }]).concat(
      opsOf('mcp__fs__move_file', [{ source: '/a', destination: '/b' }]), opsOf('mcp__fs__delete_file', [{ path: '/a' }]), opsOf('mcp__fs__read_file', [{ path: '/a' }]));
    assert.deepEqual([...new Set(ops)].sort(), [...toolOps('mcp__fs__x')].sort());
  });
  it('other tools have no file targets', () => {
    for (const [tool, input] of [['Glob', { pattern: '**/*', path: '/a' }], ['Grep', { pattern: 'x', path: '/a' }], ['WebFetch', { url: 'https://x' }],
      ['Task', { prompt: 'p' }], ['TodoWrite', { todos: [] }], ['LS', { path: '/a' }]] as const) {
      assert.deepEqual(extractTargets(tool, input, '/work/app', opts), [], tool);
      assert.equal(toolOps(tool).size, 0, tool);
    }
    // `bash` is not the shell tool's name: an unknown tool, whose command argument is judged as
    // any unknown tool's is (lib/targets/tool-commands.ts); the table names only known tools.
    assert.deepEqual(extractTargets('bash', { command: 'rm x' }, '/work/app', opts).map((t) => [t.op, t.path]), [['delete', 'x']]);
    assert.equal(toolOps('bash').size, 0);
  });
  it('patterns: a prefix reaches every tool it starts', () => {
    assert.deepEqual([...toolOps('Wr*')], ['write']);
    assert.deepEqual([...toolOps('Re*')].sort(), ['read']);
    assert.equal(toolOps('mc*').size, 5);
    assert.equal(toolOps('mcp__git__*').size, 5);
    assert.equal(toolOps('Gl*').size, 0);
  });
});

describe('lintRules', () => {
  it('a clean rule set has no problems', () => {
    assert.deepEqual(lint(
      { id: 'a', effect: 'deny', paths: ['secrets/**'], except: ['secrets/public/**'] },
      { id: 'b', effect: 'ask', paths: ['~/.ssh/**', '/etc/**'], tools: ['Bash', 'apply_patch', 'mcp__*'] },
      { id: 'c', effect: 'deny', ops: ['read'], paths: ['**/.env'], tools: ['Read', 'Bash'] },
      { id: 'd', effect: 'deny', paths: ['\\*literal-star'] },
    ), []);
  });
  it('duplicate ids: every one, naming the first', () => {
    assert.deepEqual(lint({ id: 'x', effect: 'deny', paths: ['a'] }, { id: 'y', effect: 'deny', paths: ['b'] }, { id: 'x', effect: 'ask', paths: ['c'] }, { id: 'x', effect: 'ask', paths: ['d'] }), [
      ['error', 'rules[2] (id "x"): field id: duplicate of rules[0]'],
      ['error', 'rules[3] (id "x"): field id: duplicate of rules[0]'],
    ]);
  });
  it('tools without targets of the rule\'s ops: an error when none is left, a warning otherwise', () => {
    assert.deepEqual(lint({ id: 'r', effect: 'deny', paths: ['a'], tools: ['Read', 'Glob'] }), [
      ['error', 'rules[0] (id "r"): field tools[0]: "Read" has no write, delete or move targets (only read); the rule can never match'],
      ['error', 'rules[0] (id "r"): field tools[1]: "Glob" never has file targets; the rule can never match'],
    ]);
    assert.deepEqual(lint({ id: 'r', effect: 'deny', ops: ['read'], paths: ['a'], tools: ['Write', 'apply_patch', 'Bash'] }), [
      ['warning', 'rules[0] (id "r"): field tools[0]: "Write" has no read targets (only write)'],
      ['warning', 'rules[0] (id "r"): field tools[1]: "apply_patch" has no read targets (only write, delete, move-from, move-to)'],
    ]);
    assert.deepEqual(lint({ id: 'r', effect: 'deny', paths: ['a'], tools: ['bash', 'MCP__fs__write_file', 'Edit'] }), [
      ['warning', 'rules[0] (id "r"): field tools[0]: "bash" never has file targets (tool names are case-sensitive: "Bash")'],
      ['warning', 'rules[0] (id "r"): field tools[1]: "MCP__fs__write_file" never has file targets (tool names are case-sensitive: "mcp__fs__write_file")'],
    ]);
  });
  it('paths that match nothing or lie inside an except glob', () => {
    assert.deepEqual(lint({ id: 'r', effect: 'deny', paths: ['src/**', './src/**'], except: ['src/**'] }), [
      ['error', 'rules[0] (id "r"): field paths[0]: "src/**" lies inside except[0] "src/**"; the rule can never match'],
      ['error', 'rules[0] (id "r"): field paths[1]: "./src/**" lies inside except[0] "src/**"; the rule can never match'],
    ]);
    assert.deepEqual(lint({ id: 'r', effect: 'deny', paths: ['src/secret/**', 'src', '~/x', '$HOME/.ssh/id'], except: ['src/**', '/home/dev/.ssh/**'] }), [
      ['warning', 'rules[0] (id "r"): field paths[0]: "src/secret/**" lies inside except[0] "src/**"'],
      ['warning', 'rules[0] (id "r"): field paths[1]: "src" lies inside except[0] "src/**"'],
      ['warning', 'rules[0] (id "r"): field paths[3]: "$HOME/.ssh/id" lies inside except[1] "/home/dev/.ssh/**"'],
    ]);
    assert.deepEqual(lint({ id: 'r', effect: 'deny', paths: ['**/.env', '/'], except: ['**'] }), [
      ['error', 'rules[0] (id "r"): field paths[0]: "**/.env" lies inside except[0] "**"; the rule can never match'],
      ['error', 'rules[0] (id "r"): field paths[1]: "/" matches nothing (the root directory itself is never a target); the rule can never match'],
    ]);
  });
  it('does not call a glob dead when the except glob is narrower or elsewhere', () => {
    assert.deepEqual(lint(
      { id: 'a', effect: 'deny', paths: ['src/**'], except: ['src/*.md', 'src/gen/**', 'other/**'] },
      { id: 'b', effect: 'deny', paths: ['**/.env'], except: ['/tmp/**'] },
      { id: 'c', effect: 'deny', paths: ['src'], except: ['src/*'] },
    ), []);
  });
  it('a backslash in a glob (not escaping a glob character)', () => {
    assert.deepEqual(lint({ id: 'w', effect: 'deny', paths: ['C:\\Users\\me\\**', 'a'], except: ['x\\y'] }), [
      ['warning', 'rules[0] (id "w"): field paths[0]: "C:\\\\Users\\\\me\\\\**": a backslash escapes the next character in a glob; separate directories with "/"'],
      ['warning', 'rules[0] (id "w"): field except[0]: "x\\\\y": a backslash escapes the next character in a glob; separate directories with "/"'],
    ]);
    assert.deepEqual(lintRules(rules({ id: 'w', effect: 'deny', paths: ['C:\\Users\\me\\**'] }), { ...G, platform: 'win32' }), []);
  });
  it('rule and field are set on every problem', () => {
    const [p] = lintRules(rules({ id: 'r', effect: 'deny', paths: ['a'], tools: ['Glob'] }), G);
    assert.deepEqual({ rule: p?.rule, field: p?.field, severity: p?.severity }, { rule: 'r', field: 'tools[0]', severity: 'error' });
  });
});

describe('lintConfig: other sections', () => {
  const cfg = (v: unknown) => ConfigFileSchema.parse(v);
  it('mcp.tools keys the lookup never asks for', () => {
    const ps = lintConfig(cfg({ mcp: { tools: { 'mcp__fs__write_file': { writes: ['p'] }, 'mcp__fs__*': { ignore: true }, 'fs__write': {}, 'mcp__*': {}, 'mcp__a__b*': {} } } }), G);
    assert.deepEqual(ps.map((p) => [p.severity, p.field, p.message]), ['fs__write', 'mcp__*', 'mcp__a__b*'].map((k) => [
      'warning', `mcp.tools.${k}`, `field mcp.tools.${k}: never matches a tool: keys are "mcp__<server>__<tool>" or "mcp__<server>__*"`,
    ]));
  });
  it('invalid redact patterns, an empty sink list, spooled sinks sharing a queue', () => {
    const ps = lintConfig(cfg({ audit: { redact: ['ok-[0-9]+', '(unclosed', '/a(/i', '/x/q'], sinks: [] } }), G);
    assert.deepEqual(ps.map((p) => [p.severity, p.message]), [
      ['error', 'field audit.redact[1]: invalid audit.redact pattern "(unclosed": /(unclosed/g: Unterminated group'],
      ['error', 'field audit.redact[2]: invalid audit.redact pattern "/a(/i": /a(/gi: Unterminated group'],
      ['warning', 'field audit.sinks: empty, so nothing is recorded (leave "sinks" out for the default file)'],
    ]);
    const sinks = [
      { type: 'http', url: 'https://a.example/x' }, { type: 'syslog', transport: 'udp' }, { type: 'syslog', transport: 'udp' },
      { type: 'http', url: 'https://a.example/x' }, { type: 'http', name: 'n', url: 'https://b.example' }, { type: 'syslog', transport: 'tcp', name: 'n' },
      { type: 'http', name: 'n', url: 'https://c.example' }, { type: 'file' }, { type: 'file' },
    ];
    assert.deepEqual(lintConfig(cfg({ audit: { sinks } }), G).map((p) => [p.severity, p.field]), [['error', 'audit.sinks[3]'], ['error', 'audit.sinks[6]']]);
    assert.match(lintConfig(cfg({ audit: { sinks } }), G)[0]!.message, /^field audit\.sinks\[3\]: shares spool queue http-[0-9a-f]{12} with audit\.sinks\[0\], which alone receives its records; give it its own "name"$/);
  });
});
