import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { mcpTargets, type McpToolOverride } from '../../../lib/targets/mcp.js';
import { GuardError, type Op } from '../../../lib/types.js';

const BASE = '/home/dev/project';
type T = [Op, string];
const got = (tool: string, input: Record<string, unknown>, overrides?: Record<string, McpToolOverride>): T[] | undefined =>
  mcpTargets(tool, input, BASE, overrides)?.map((t) => {
    assert.equal(t.base, BASE);
    assert.equal(t.literal, t.path);
    assert.ok(t.via.startsWith(`${tool} `));
    return [t.op, t.path];
  });

describe('official filesystem server tools, on any server name', () => {
  const cases: [string, Record<string, unknown>, T[]][] = [
    ['mcp__filesystem__write_file', { path: '/p/.env', content: 'x' }, [['write', '/p/.env']]],
    ['mcp__fs__edit_file', { path: '.npmrc', edits: [{ oldText: 'a', newText: 'b' }], dryRun: true }, [['write', '.npmrc']]],
    ['mcp__filesystem__create_directory', { path: '.git/hooks' }, [['write', '.git/hooks']]],
    ['mcp__filesystem__move_file', { source: '.env', destination: 'env.txt' }, [['move-from', '.env'], ['move-to', 'env.txt']]],
    ['mcp__filesystem__read_file', { path: '.env' }, [['read', '.env']]],
    ['mcp__filesystem__read_text_file', { path: '.env', head: 3 }, [['read', '.env']]],
    ['mcp__filesystem__read_media_file', { path: 'a.png' }, [['read', 'a.png']]],
    ['mcp__filesystem__read_multiple_files', { paths: ['.env', 'README.md'] }, [['read', '.env'], ['read', 'README.md']]],
    ['mcp__filesystem__list_directory', { path: '.' }, [['read', '.']]],
    ['mcp__filesystem__list_directory_with_sizes', { path: '.', sortBy: 'size' }, [['read', '.']]],
    ['mcp__filesystem__directory_tree', { path: 'src', excludePatterns: ['*.env'] }, [['read', 'src']]],
    ['mcp__filesystem__search_files', { path: 'src', pattern: '*.ts' }, [['read', 'src']]],
    ['mcp__filesystem__get_file_info', { path: '.env' }, [['read', '.env']]],
    ['mcp__filesystem__list_allowed_directories', {}, []],
    ['mcp__files__delete_file', { path: '.env' }, [['delete', '.env']]],
    ['mcp__files__remove_directory', { path: 'secrets' }, [['delete', 'secrets']]],
    // A known write tool whose server names the field differently is still caught.
    ['mcp__other__write_file', { file_path: '.env', content: 'x' }, [['write', '.env']]],
    ['mcp__fs__write_file', { path: '~/.ssh/config', content: 'x' }, [['write', '~/.ssh/config']]], // `~` left to the normalizer
  ];
  for (const [tool, input, expected] of cases) test(tool, () => assert.deepEqual(got(tool, input), expected));

  test('a known write tool without any path cannot be judged', () => {
    assert.throws(() => mcpTargets('mcp__fs__write_file', { content: 'x' }, BASE), (e: unknown) =>
      e instanceof GuardError && e.message === 'mcp__fs__write_file tool_input has no path');
    assert.throws(() => mcpTargets('mcp__fs__move_file', { source: 3 }, BASE), GuardError);
  });
});

describe('other MCP tools: path-like arguments', () => {
  const cases: [string, Record<string, unknown>, T[]][] = [
    ['mcp__demo__write_note', { path: 'notes/a.md', text: 'hello' }, [['write', 'notes/a.md']]],
    ['mcp__x__save', { filePath: '.env', filename: 'b', target: 'c', dest: 'd', text: 'not a path' },
      [['write', '.env'], ['write', 'b'], ['write', 'c'], ['write', 'd'], ['write', 'c/b'], ['write', 'd/b']]],
    ['mcp__x__copy', { source: '.env', destination: 'out', file_path: 'f' }, [['write', '.env'], ['write', 'out'], ['write', 'f']]],
    ['mcp__x__bulk', { paths: ['a', '.env'], files: ['x'] }, [['write', 'a'], ['write', '.env'], ['write', 'x']]],
    ['mcp__x__do', { 'file-path': 'a', FILE_NAME: 'b', Directory: 'c' }, [['write', 'a'], ['write', 'b'], ['write', 'c'], ['write', 'c/a'], ['write', 'c/b']]],
    // A name says nothing the guard can rely on: a tool that reads by its name is judged as a write.
    ['mcp__x__read_note', { path: '.env' }, [['write', '.env']]],
    ['mcp__x__getNote', { path: '.env' }, [['write', '.env']]],
    ['mcp__x__list_notes', { dir: 'notes' }, [['write', 'notes']]],
    ['mcp__x__search', { path: 'src' }, [['write', 'src']]],
    ['mcp__x__find_files', { path: 'src' }, [['write', 'src']]],
    ['mcp__x__stat', { path: '.env' }, [['write', '.env']]],
    ['mcp__x__view_file', { path: '.env' }, [['write', '.env']]],
    ['mcp__x__get_and_write_file', { path: '.env' }, [['write', '.env']]],
    ['mcp__x__list_and_delete', { dir: '.git' }, [['write', '.git']]],
    ['mcp__x__find_and_replace', { path: '.env' }, [['write', '.env']]],
    ['mcp__x__readwrite', { path: '.env' }, [['write', '.env']]],
    ['mcp__memory__create_entities', { entities: [{ name: 'a', observations: ['.env'] }] }, []],
    ['mcp__x__nested', { path: { primary: '.env', others: ['a', { deep: 'b' }] } }, [['write', '.env'], ['write', 'a'], ['write', 'b']]],
    ['mcp__x__numbers', { path: 42, target: true, dest: null, file: 'ok' }, [['write', 'ok']]],
    // A server name holding `__` cannot make a write tool look like a read tool.
    ['mcp__a__b__read_file', { path: '.env' }, [['write', '.env']]],
    ['mcp__', { path: '.env' }, [['write', '.env']]],
  ];
  for (const [tool, input, expected] of cases) test(`${tool} ${JSON.stringify(input)}`, () => assert.deepEqual(got(tool, input), expected));

  test('deep nesting is refused instead of walked', () => {
    let v: unknown = '.env';
    for (let i = 0; i < 40; i++) v = [v];
    assert.throws(() => mcpTargets('mcp__x__y', { path: v }, BASE), (e: unknown) =>
      e instanceof GuardError && e.message === 'mcp__x__y tool_input.path is nested too deeply');
  });

  test('non-MCP tools are not handled here', () => {
    for (const tool of ['Write', 'Bash', 'apply_patch', 'mcp_x_write', 'MCP__x__write']) assert.equal(mcpTargets(tool, { path: 'a' }, BASE), undefined);
  });
});

describe('overrides from config', () => {
  const tool = 'mcp__notes__publish';
  test('writes/reads name the fields; other fields keep the default rule', () => {
    assert.deepEqual(got(tool, { out: 'site/.env', src: 'notes', path: 'x' }, { [tool]: { writes: ['out'], reads: ['src'] } }),
      [['write', 'site/.env'], ['read', 'notes'], ['write', 'x']]);
  });
  test('a read override turns a default write into a read', () => {
    assert.deepEqual(got(tool, { path: 'x' }, { [tool]: { reads: ['path'] } }), [['read', 'x']]);
  });
  test('a field named both ways counts as a write', () => {
    assert.deepEqual(got(tool, { path: 'x' }, { [tool]: { reads: ['path'], writes: ['path'] } }), [['write', 'x']]);
  });
  test('ignore drops the tool', () => {
    assert.deepEqual(got(tool, { path: '.env' }, { [tool]: { ignore: true } }), []);
  });
  test('server wildcard, and the exact name wins over it', () => {
    const o = { 'mcp__notes__*': { ignore: true }, [tool]: { writes: ['out'] } };
    assert.deepEqual(got('mcp__notes__other', { path: '.env' }, o), []);
    assert.deepEqual(got(tool, { out: 'a' }, o), [['write', 'a']]);
    assert.deepEqual(got('mcp__notesx__other', { path: '.env' }, o), [['write', '.env']]);
  });
  test('no other glob forms', () => {
    assert.deepEqual(got(tool, { path: '.env' }, { '*__publish': { ignore: true }, 'mcp__*': { ignore: true } }), [['write', '.env']]);
  });
  test('an override lets a known write tool have no path', () => {
    assert.deepEqual(got('mcp__fs__write_file', { content: 'x' }, { 'mcp__fs__write_file': { writes: ['other'] } }), []);
  });
  test('inherited object keys are not overrides', () => {
    assert.deepEqual(got('mcp__x__toString', { path: 'a' }, {}), [['write', 'a']]);
  });
});

test('property: any JSON input yields string paths or a GuardError', () => {
  fc.assert(fc.property(fc.string(), fc.dictionary(fc.constantFrom('path', 'paths', 'source', 'x', 'filePath'), fc.jsonValue()), (name, input) => {
    try {
      for (const t of mcpTargets(`mcp__s__${name}`, input, BASE) ?? []) assert.equal(typeof t.path, 'string');
    } catch (e) {
      if (!(e instanceof GuardError)) throw e;
    }
  }), { numRuns: 1000 });
});
