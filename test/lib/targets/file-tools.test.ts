import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { fileToolTargets } from '../../../lib/targets/file-tools.js';
import { GuardError, type Op } from '../../../lib/types.js';

const BASE = '/home/dev/project';

describe('Claude file tools', () => {
  const cases: [string, Record<string, unknown>, Op, string][] = [
    ['Write', { file_path: '/home/dev/project/.env', content: 'API_KEY=xyz\n' }, 'write', '/home/dev/project/.env'],
    ['Edit', { file_path: '/home/dev/project/src/app.ts', old_string: 'a', new_string: 'b', replace_all: false }, 'write', '/home/dev/project/src/app.ts'],
    ['MultiEdit', { file_path: '/home/dev/project/src/app.ts', edits: [{ old_string: 'a', new_string: 'b' }] }, 'write', '/home/dev/project/src/app.ts'],
    ['NotebookEdit', { notebook_path: '/home/dev/project/a.ipynb', new_source: 'x', edit_mode: 'delete' }, 'write', '/home/dev/project/a.ipynb'],
    ['Read', { file_path: '/home/dev/project/.env', offset: 1, limit: 10 }, 'read', '/home/dev/project/.env'],
    ['Write', { file_path: 'relative/.env', content: '' }, 'write', 'relative/.env'],
    ['Write', { file_path: '~/.ssh/config', content: '' }, 'write', '~/.ssh/config'],
  ];
  for (const [tool, input, op, path] of cases) {
    test(`${tool} ${path}`, () => {
      assert.deepEqual(fileToolTargets(tool, input, BASE), [{ op, path, base: BASE, via: tool, literal: path }]);
    });
  }
});

describe('a path field that is missing or not a string cannot be judged', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['Write', { content: 'x' }, 'Write tool_input.file_path must be a non-empty string'],
    ['Edit', { file_path: 42 }, 'Edit tool_input.file_path must be a non-empty string'],
    ['MultiEdit', { file_path: ['/a', '/b'] }, 'MultiEdit tool_input.file_path must be a non-empty string'],
    ['NotebookEdit', { file_path: '/a.ipynb' }, 'NotebookEdit tool_input.notebook_path must be a non-empty string'],
    ['Read', { file_path: '' }, 'Read tool_input.file_path must be a non-empty string'],
    ['Write', { file_path: null }, 'Write tool_input.file_path must be a non-empty string'],
  ];
  for (const [tool, input, message] of cases) {
    test(message, () => {
      assert.throws(() => fileToolTargets(tool, input, BASE), (e: unknown) => e instanceof GuardError && e.message === message);
    });
  }
});

test('other tools are not file tools', () => {
  for (const tool of ['Bash', 'Glob', 'Grep', 'apply_patch', 'write', 'mcp__fs__write_file', 'toString', '__proto__', 'hasOwnProperty', '']) {
    assert.equal(fileToolTargets(tool, { file_path: '/x' }, BASE), undefined, tool);
  }
});
