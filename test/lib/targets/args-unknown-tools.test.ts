// Issue 13: MCP and unknown tools. A tool's name never makes it read-only (only the well-known read
// tools and an explicit `mcp.tools.<tool>.readOnly` do); a path split across keys, JSON inside a
// string argument, percent-encoded and `localhost` file URIs and paths in arrays of arrays are seen.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { preToolUse } from '../../../lib/guard.js';
import { pathArguments } from '../../../lib/targets/args.js';
import { codexPayload } from '../../helpers/hook.js';
import { tempDirs } from '../../helpers/tmp.js';
import { toolWorld, type ToolWorld } from '../../helpers/tool-world.js';

const tmp = tempDirs('hw-unknown-tools-');

const world = (config?: unknown): ToolWorld => toolWorld(fs.realpathSync(tmp()), config);

const verdict = (w: ReturnType<typeof world>, tool: string, input: Record<string, unknown>) =>
  preToolUse(JSON.stringify(codexPayload(w.project, tool, input)), { env: w.env, home: w.home }).verdict;

describe('a name never makes a tool read-only', () => {
  test('get*/list*/read*/find*/view* tools that write are judged as writes; the target says which argument', () => {
    const w = world();
    for (const [tool, input] of [
      ['mcp__x__get_and_write_file', { path: '.env' }],
      ['mcp__x__list_and_delete', { dir: '.git/hooks' }],
      ['mcp__x__read_file_then_save', { path: '~/.ssh/authorized_keys' }],
      ['mcp__x__view', { output: '.npmrc' }],
      ['mcp__x__findReplace', { target: '.git/config' }],
      ['mcp__x__getNote', { path: '.env' }],
      ['GetFiles', { path: '.env' }],
    ] as const) {
      const v = verdict(w, tool, input);
      assert.equal(v.decision, 'deny', `${tool}: ${v.reason}`);
      // Explainable (`check --json`, the record): the target names the tool and the argument it came from.
      assert.ok(v.targets.some((t) => t.op === 'write' && t.via.startsWith(`${tool} `)), JSON.stringify(v.targets));
    }
  });

  test('the well-known read tools and an explicit readOnly override read; a project config cannot declare readOnly', () => {
    const w = world({ mcp: { tools: { 'mcp__notes__get_note': { readOnly: true } } } });
    assert.equal(verdict(w, 'mcp__filesystem__read_text_file', { path: '.env' }).decision, 'allow');
    assert.equal(verdict(w, 'mcp__notes__get_note', { path: '.env' }).decision, 'allow');
    assert.equal(verdict(w, 'mcp__notes__get_other', { path: '.env' }).decision, 'deny');
    fs.mkdirSync(path.join(w.project, '.hookwarden'), { recursive: true });
    fs.writeFileSync(path.join(w.project, '.hookwarden', 'config.json'), JSON.stringify({ mcp: { tools: { 'mcp__x__get': { readOnly: true } } } }));
    assert.equal(verdict(w, 'mcp__x__get', { path: '.env' }).decision, 'deny', 'a cloned repository cannot make a tool read-only');
  });
});

describe('paths the arguments spell in other ways', () => {
  test('split across keys, JSON in a string, percent-encoded and localhost file URIs, arrays of arrays', () => {
    const w = world();
    const ssh = `${w.home}/.ssh`;
    for (const input of [
      { directory: '~/.ssh', filename: 'authorized_keys' },
      { dir: '~/.ssh', name: 'authorized_keys' },
      { folder: '~/.ssh', files: ['notes.txt', 'authorized_keys'] },
      { cwd: '~/.ssh', path: 'authorized_keys' },
      { options: { parent: 'file:///' + ssh.slice(1), basename: 'authorized_keys' } },
      { args: '{"path":".env"}' },
      { args: '  [".env"]' },
      { args: JSON.stringify({ nested: JSON.stringify({ target: '.git/config' }) }) },
      { uri: `file://${ssh.replace('/.ssh', '/%2Essh')}/authorized_keys` },
      { uri: `file://${w.home}/x/%2e%2E%2f.ssh/authorized_keys` },
      { uri: `file://localhost${ssh}/authorized_keys` },
      { uri: `FILE://LOCALHOST${ssh}/authorized_keys` },
      { batch: [['src/a.ts', ['.env']]] },
      { paths: [[['~/.ssh/authorized_keys']]] },
    ]) {
      const v = verdict(w, 'mcp__x__do', input);
      assert.equal(v.decision, 'deny', `${JSON.stringify(input)}: ${v.reason ?? 'allowed'}`);
    }
  });

  test('what is not a split path or JSON stays allowed: text keys, a folder with an ordinary file', () => {
    const w = world();
    for (const input of [
      { directory: 'docs', filename: 'guide.md' },
      { content: '{"path":".env"}' },
      { description: 'write {"path": ".git/config"} later' },
      { args: '{not json' },
    ]) assert.equal(verdict(w, 'mcp__x__do', input).decision, 'allow', JSON.stringify(input));
  });

  test('property: a protected file split into any folder key and any name key, at any depth, is found', () => {
    // A folder key with any name key; a key that may also be a path of its own (`path`, `destination`)
    // with a bare name (beside another path it is one: `{"path": "a", "file_path": "a"}`).
    const folderKeys = ['directory', 'dir', 'folder', 'root', 'cwd', 'base_dir', 'parentPath', 'location'];
    const bareNames = ['filename', 'name', 'file', 'files', 'basename', 'fileName', 'entry'];
    const pairs = [
      ...folderKeys.flatMap((d) => [...bareNames, 'relative_path', 'path'].map((n) => [d, n] as const)),
      ...['path', 'destination', 'target'].flatMap((d) => bareNames.map((n) => [d, n] as const)),
    ];
    fc.assert(fc.property(fc.constantFrom(...pairs), fc.nat(3), fc.boolean(), ([dk, nk], depth, asJson) => {
      let value: unknown = { [dk]: '~/.ssh/', [nk]: nk === 'files' ? ['a', 'authorized_keys'] : 'authorized_keys' };
      for (let i = 0; i < depth; i++) value = { wrap: value };
      const input = asJson ? { opts: JSON.stringify(value) } : { opts: value };
      const found = pathArguments('mcp__x__t', input as Record<string, unknown>).map((f) => f.path);
      assert.ok(found.includes('~/.ssh/authorized_keys'), `${JSON.stringify(input)} -> ${JSON.stringify(found)}`);
    }), { numRuns: 300 });
  });
});
