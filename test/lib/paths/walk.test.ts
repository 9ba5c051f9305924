import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { isDirectory, walkBeneath } from '../../../lib/paths.js';
import { Budget } from '../../../lib/types.js';

const T = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-')));
after(() => fs.rmSync(T, { recursive: true, force: true }));

// config/ holds 2 dirs + 3 files + 2 links (7 entries); outside/ must never be entered through the link.
const C = `${T}/config`;
for (const d of ['config/secrets', 'config/empty', 'outside/deep']) fs.mkdirSync(`${T}/${d}`, { recursive: true });
for (const f of ['config/a.json', 'config/secrets/key.pem', 'outside/deep/x', 'outside/y']) fs.writeFileSync(`${T}/${f}`, '');
fs.symlinkSync(`${T}/outside`, `${C}/linked-dir`);
fs.symlinkSync('missing', `${C}/dangling`);
const ALL = ['a.json', 'dangling', 'empty', 'linked-dir', 'secrets', 'secrets/key.pem'].map((e) => `${C}/${e}`);

function walk(dir: string, maxEntries: number, stopAt?: string, budget = new Budget(10_000)) {
  const seen: [string, boolean][] = [];
  const result = walkBeneath(dir, { maxEntries, budget }, (p, isDir) => (seen.push([p, isDir]), p === stopAt));
  return { result, seen, paths: seen.map(([p]) => p).sort() };
}

describe('walkBeneath', () => {
  it('visits every entry once, with isDir, and completes', () => {
    const { result, seen, paths } = walk(C, 100);
    assert.equal(result, 'complete');
    assert.deepEqual(paths, ALL);
    const dirs = new Map(seen);
    assert.equal(dirs.get(`${C}/secrets`), true);
    assert.equal(dirs.get(`${C}/a.json`), false);
  });
  it('visits a symlinked dir as an entry (not a dir) and does not follow it', () => {
    const { seen } = walk(C, 100);
    assert.deepEqual(seen.find(([p]) => p === `${C}/linked-dir`), [`${C}/linked-dir`, false]);
    assert.ok(seen.every(([p]) => !p.startsWith(`${C}/linked-dir/`)));
  });
  it('is depth-first: a directory\'s entries come right after it', () => {
    const { seen } = walk(C, 100);
    const i = seen.findIndex(([p]) => p === `${C}/secrets`);
    assert.equal(seen[i + 1]?.[0], `${C}/secrets/key.pem`);
  });
  it('exactly maxEntries entries is complete; one fewer is truncated after maxEntries visits', () => {
    assert.equal(walk(C, ALL.length).result, 'complete');
    const short = walk(C, ALL.length - 1);
    assert.equal(short.result, 'truncated');
    assert.equal(short.seen.length, ALL.length - 1);
    assert.deepEqual(walk(C, 0), { result: 'truncated', seen: [], paths: [] });
  });
  it('stops as soon as visit returns true', () => {
    const { result, seen } = walk(C, 100, `${C}/secrets/key.pem`);
    assert.equal(result, 'stopped');
    assert.deepEqual(seen[seen.length - 1], [`${C}/secrets/key.pem`, false]);
  });
  it('a big directory costs maxEntries visits, not its size', () => {
    const big = `${T}/big`;
    fs.mkdirSync(big);
    for (let i = 0; i < 500; i++) fs.writeFileSync(`${big}/f${i}`, '');
    const { result, seen } = walk(big, 10);
    assert.equal(result, 'truncated');
    assert.equal(seen.length, 10);
  });
  it('an expired budget truncates instead of throwing', () => {
    const { result, seen } = walk(`${T}/big`, 10_000, undefined, new Budget(0, Date.now() - 1000));
    assert.equal(result, 'truncated');
    assert.ok(seen.length < 500);
  });
  it('nothing beneath a missing path, a file, or an empty dir', () => {
    for (const dir of [`${T}/missing`, `${C}/a.json`, `${C}/empty`]) assert.deepEqual(walk(dir, 10), { result: 'complete', seen: [], paths: [] });
  });
  it('a trailing slash on dir does not double the separator', () => {
    assert.deepEqual(walk(`${C}/secrets/`, 10).paths, [`${C}/secrets/key.pem`]);
  });
});

describe('isDirectory', () => {
  const cases: [string, string, boolean][] = [
    ['a directory', C, true],
    ['a link to a directory', `${C}/linked-dir`, true],
    ['a file', `${C}/a.json`, false],
    ['a dangling link', `${C}/dangling`, false],
    ['a missing path', `${T}/missing`, false],
    ['below a file', `${C}/a.json/x`, false],
    ['a NUL byte', `${C}\u0000`, false],
    ['empty', '', false],
  ];
  for (const [what, p, expected] of cases) it(what, () => assert.equal(isDirectory(p), expected));
});
