import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { parsePayload } from '../../../lib/payload.js';
import { Budget, GuardError, type Op, type RawTarget } from '../../../lib/types.js';

// The dispatcher imports the shell extractor statically; until that module exists this file
// cannot load it, so every case is skipped rather than failed.
const HERE = path.dirname(fileURLToPath(import.meta.url));
const HAS_SHELL = fs.existsSync(path.join(HERE, '../../../lib/targets/shell/index.ts'));
const SKIP = HAS_SHELL ? false : 'lib/targets/shell/index.ts does not exist yet';
const mod = HAS_SHELL ? await import('../../../lib/targets/index.js') : undefined;

const FIXTURES = path.join(HERE, '../../fixtures/payloads');
const HOME = '/home/dev';
const CWD = '/home/dev/project';

type Extra = { reads?: boolean; mcp?: Record<string, { writes?: string[]; reads?: string[]; ignore?: boolean }> };
function extract(tool: string, input: Record<string, unknown>, extra: Extra = {}): RawTarget[] {
  return mod!.extractTargets(tool, input, CWD, { home: HOME, env: { HOME }, budget: new Budget(10_000), ...extra });
}
function fromFixture(name: string, extra: Extra = {}): RawTarget[] {
  const p = parsePayload(fs.readFileSync(path.join(FIXTURES, name), 'utf8'), {});
  assert.equal(p.cwd, CWD);
  return extract(p.tool_name!, p.tool_input!, extra);
}
const short = (ts: RawTarget[]): [Op, string, string][] => ts.map((t) => {
  assert.equal(t.base, CWD);
  return [t.op, t.path, t.via];
});
const abs = (t: RawTarget): string => path.resolve(t.base, t.path);

const AP = 'apply_patch';
/** Expected targets of every non-shell tool fixture (reads included), or the GuardError message. */
const EXPECTED: Record<string, [Op, string, string][] | string> = {
  'codex-pre-apply-patch-multi.json': [['write', 'src/new.ts', `${AP} Add File`], ['move-from', 'config/secrets.env', `${AP} Update File`],
    ['move-to', 'config/secrets.env.bak', `${AP} Move to`], ['delete', '.env', `${AP} Delete File`]],
  'codex-pre-apply-patch-code-mode.json': [['write', 'package.json', `${AP} Update File`]],
  'codex-post-apply-patch.json': [['write', 'new.txt', `${AP} Add File`], ['move-from', 'existing.txt', `${AP} Update File`],
    ['move-to', 'moved.txt', `${AP} Move to`], ['delete', 'gone.txt', `${AP} Delete File`]],
  'codex-pre-apply-patch-add-env.json': [['write', '.env', `${AP} Add File`]],
  'codex-pre-apply-patch-update-src.json': [['write', 'src/app.ts', `${AP} Update File`]],
  'codex-pre-apply-patch-env-example.json': [['write', '.env.example', `${AP} Add File`]],
  'codex-pre-apply-patch-move-onto-env.json': [['move-from', 'notes.txt', `${AP} Update File`], ['move-to', '.env', `${AP} Move to`]],
  'codex-pre-apply-patch-heredoc.json': [['write', '.git/config', `${AP} Update File`]],
  'codex-pre-apply-patch-absolute.json': [['write', '/home/dev/.ssh/authorized_keys', `${AP} Add File`]],
  'codex-pre-apply-patch-many.json': [['write', 'docs/notes.md', `${AP} Add File`], ['write', 'src/a.ts', `${AP} Update File`],
    ['delete', 'src/old.ts', `${AP} Delete File`], ['move-from', 'src/b.ts', `${AP} Update File`], ['move-to', 'src/c.ts', `${AP} Move to`],
    ['write', '.codex/config.toml', `${AP} Update File`]],
  'codex-pre-apply-patch-crlf.json': [['write', 'src/win.ts', `${AP} Add File`], ['delete', '.npmrc', `${AP} Delete File`]],
  'codex-pre-apply-patch-unparseable.json': "cannot parse apply_patch input: unknown hunk header '*** Move to: .env', line 2",
  'codex-pre-apply-patch-subagent.json': [['delete', 'secrets/prod.json', `${AP} Delete File`]],
  'codex-pre-mcp-write-note.json': [['write', 'notes/a.md', 'mcp__demo__write_note path']],
  'codex-post-mcp-write-note.json': [['write', 'notes/a.md', 'mcp__demo__write_note path']],
  'codex-pre-mcp-fs-write-file.json': [['write', '/home/dev/project/.env', 'mcp__filesystem__write_file path']],
  'codex-pre-mcp-fs-move-file.json': [['move-from', '/home/dev/project/.env', 'mcp__filesystem__move_file source'],
    ['move-to', '/home/dev/project/env.txt', 'mcp__filesystem__move_file destination']],
  'codex-pre-mcp-fs-read-multiple.json': [['read', '/home/dev/project/.env', 'mcp__filesystem__read_multiple_files paths[0]'],
    ['read', '/home/dev/project/README.md', 'mcp__filesystem__read_multiple_files paths[1]']],
  'claude-pre-write-env.json': [['write', '/home/dev/project/.env', 'Write']],
  'claude-pre-edit-src.json': [['write', '/home/dev/project/src/app.ts', 'Edit']],
  'claude-pre-multiedit-src.json': [['write', '/home/dev/project/src/app.ts', 'MultiEdit']],
  'claude-post-write-src.json': [['write', '/home/dev/project/src/new.ts', 'Write']],
  'claude-pre-write-env-example.json': [['write', '/home/dev/project/.env.example', 'Write']],
  'claude-pre-edit-git-config.json': [['write', '/home/dev/project/.git/config', 'Edit']],
  'claude-pre-write-ssh-config.json': [['write', '/home/dev/.ssh/config', 'Write']],
  'claude-pre-write-settings.json': [['write', '/home/dev/project/.claude/settings.json', 'Write']],
  'claude-pre-notebook-edit.json': [['write', '/home/dev/project/analysis.ipynb', 'NotebookEdit']],
  'claude-pre-read-env.json': [['read', '/home/dev/project/.env', 'Read']],
  'claude-pre-glob.json': [],
  'claude-pre-grep-env.json': [],
  'claude-pre-webfetch.json': [],
  'claude-pre-task.json': [],
  'claude-pre-mcp-fs-edit-file.json': [['write', '/home/dev/project/.npmrc', 'mcp__filesystem__edit_file path']],
  'claude-pre-mcp-fs-create-directory.json': [['write', '/home/dev/project/src/lib', 'mcp__filesystem__create_directory path']],
  'claude-pre-mcp-memory-create-entities.json': [],
  'claude-permission-request-write.json': [['write', '/home/dev/project/.env', 'Write']],
};

/** Shell fixtures: the files the command writes (absolute), with the op; the shell module decides the rest. */
const SHELL: Record<string, [Op, string][]> = {
  'codex-pre-bash-rm-git-hooks.json': [['delete', '/home/dev/project/.git/hooks']],
  'codex-post-bash.json': [],
  'codex-permission-request-bash.json': [['write', '/etc/app.conf']],
  'codex-pre-bash-git-commit.json': [],
  'codex-pre-bash-apply-patch-heredoc.json': [['write', '/home/dev/project/.env']],
  'codex-pre-bash-write-src.json': [['write', '/home/dev/project/src/index.ts']],
  'claude-pre-bash-git-config.json': [['write', '/home/dev/project/.git/config']],
  'claude-pre-bash-observed.json': [],
  'claude-post-bash-observed.json': [],
  'claude-pre-bash-rm-node-modules.json': [['delete', '/home/dev/project/node_modules']],
};

const toolFixtures = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.json'))
  .filter((f) => typeof (JSON.parse(fs.readFileSync(path.join(FIXTURES, f), 'utf8')) as { tool_name?: unknown }).tool_name === 'string');

test('every tool fixture has an expectation here', () => {
  for (const f of toolFixtures) assert.ok(f in EXPECTED || f in SHELL, `no expectation for ${f}`);
  for (const f of [...Object.keys(EXPECTED), ...Object.keys(SHELL)]) assert.ok(toolFixtures.includes(f), `missing fixture ${f}`);
});

describe('fixtures of both hosts: file tools, apply_patch, MCP, others', { skip: SKIP }, () => {
  for (const [name, expected] of Object.entries(EXPECTED)) {
    test(name, () => {
      if (typeof expected === 'string') {
        assert.throws(() => fromFixture(name, { reads: true }), (e: unknown) => e instanceof GuardError && e.message === expected);
        return;
      }
      assert.deepEqual(short(fromFixture(name, { reads: true })), expected);
      // Reads are only reported when a read rule asks for them.
      assert.deepEqual(short(fromFixture(name)), expected.filter(([op]) => op !== 'read'));
    });
  }
});

describe('fixtures of both hosts: shell commands', { skip: SKIP }, () => {
  for (const [name, writes] of Object.entries(SHELL)) {
    test(name, () => {
      const got = fromFixture(name).filter((t) => t.op !== 'read').map((t): [Op, string] => [t.op, abs(t)]);
      assert.deepEqual(got, writes);
    });
  }
});

describe('dispatch', { skip: SKIP }, () => {
  test('shell tool names of both hosts reach the shell extractor', () => {
    for (const tool of ['Bash', 'shell', 'local_shell', 'exec_command']) {
      const got = extract(tool, { command: 'rm .env' }).map(abs);
      assert.deepEqual(got, ['/home/dev/project/.env'], tool);
    }
  });

  test('a shell call without a string command cannot be judged', () => {
    for (const command of [undefined, 42, ['rm', '.env'], null]) {
      assert.throws(() => extract('Bash', { command }), (e: unknown) => e instanceof GuardError && e.message === 'Bash tool_input.command must be a string');
    }
  });

  test('an apply_patch call without a string command cannot be judged', () => {
    assert.throws(() => extract('apply_patch', { input: '*** Begin Patch\n*** End Patch' }),
      (e: unknown) => e instanceof GuardError && e.message === 'apply_patch tool_input.command must be a string');
  });

  test('file tool errors surface', () => {
    assert.throws(() => extract('Write', { content: 'x' }), { message: 'Write tool_input.file_path must be a non-empty string' });
  });

  test('MCP overrides are passed through', () => {
    const mcp = { 'mcp__demo__*': { ignore: true } };
    assert.deepEqual(extract('mcp__demo__write_note', { path: '.env' }, { mcp }), []);
    assert.deepEqual(short(extract('mcp__demo__publish', { out: '.env' }, { mcp: { mcp__demo__publish: { writes: ['out'] } } })),
      [['write', '.env', 'mcp__demo__publish out']]);
  });

  test('tools known to touch no files', () => {
    for (const tool of ['Glob', 'Grep', 'LS', 'WebFetch', 'WebSearch', 'Task', 'Agent', 'TodoWrite', 'ExitPlanMode', 'BashOutput']) {
      assert.deepEqual(extract(tool, { path: '.env', file_path: '.env', command: 'rm .env' }), [], tool);
    }
  });

  test('a tool the guard does not know has its path-like arguments judged as writes, nested ones too', () => {
    assert.deepEqual(short(extract('FrobnicateFiles', { path: '.env' })), [['write', '.env', 'FrobnicateFiles path']]);
    assert.deepEqual(short(extract('Unknown', { path: '.env', file_path: '.env', command: 'rm .env' })),
      [['write', '.env', 'Unknown path'], ['delete', '.env', 'Unknown command: rm']]);
    assert.deepEqual(short(extract('NewTool', { args: { output: '~/.ssh/config' }, edits: [{ uri: 'file:///home/dev/.bashrc' }] })),
      [['write', '~/.ssh/config', 'NewTool args.output'], ['write', '/home/dev/.bashrc', 'NewTool edits[0].uri']]);
  });

  test('a per-tool override reaches a tool the guard does not know, and a read-only one', () => {
    assert.deepEqual(extract('FrobnicateFiles', { path: '.env' }, { mcp: { FrobnicateFiles: { ignore: true } } }), []);
    assert.deepEqual(short(extract('Grep', { out: 'x' }, { mcp: { Grep: { writes: ['out'] } } })), [['write', 'x', 'Grep out']]);
  });
});
