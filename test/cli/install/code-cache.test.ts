import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { codeCacheCheck, refreshCodeCaches } from '../../../cli/install/code-cache.js';
import { DIST } from '../../helpers/hook.js';
import { tempDirs } from '../../helpers/tmp.js';

const tmp = tempDirs('hw-cccheck-');

/** A copy of the build's hooks folder, as `<dir>/hooks`. */
function distCopy(): string {
  const dir = tmp();
  fs.cpSync(path.join(DIST, 'hooks'), path.join(dir, 'hooks'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), '{"type":"commonjs"}\n');
  return dir;
}

describe('doctor: code cache', () => {
  it('is ok when this Node takes every cache of the build', () => {
    const c = codeCacheCheck(DIST);
    assert.equal(c.status, 'ok', c.detail);
    assert.match(c.detail, new RegExp(`Node ${process.versions.node}`));
  });

  it('warns, naming the file, when a cache belongs to other code or is missing', () => {
    const dir = distCopy();
    fs.appendFileSync(path.join(dir, 'hooks', 'pre-tool-use.code.js'), '\n// changed after the build\n');
    fs.rmSync(path.join(dir, 'hooks', 'mvdan-sh.cache'));
    const c = codeCacheCheck(dir);
    assert.equal(c.status, 'warn');
    assert.match(c.detail, /pre-tool-use\.code\.js \(stale\)/);
    assert.match(c.detail, /mvdan-sh\.js \(none\)/);
    assert.doesNotMatch(c.detail, /post-tool-use/);
    assert.match(c.fix ?? '', /hookwarden install/);
  });

  it('warns when there is no built loader at all', () => {
    const c = codeCacheCheck(tmp());
    assert.equal(c.status, 'warn');
    assert.match(c.detail, /not a built hookwarden/);
  });
});

describe('install: code cache refresh', () => {
  const caches = (dir: string) => fs.readdirSync(path.join(dir, 'hooks')).filter((f) => f.endsWith('.cache')).sort();

  it('leaves caches this Node takes alone', () => {
    const dir = distCopy();
    const before = caches(dir).map((f) => fs.statSync(path.join(dir, 'hooks', f)).mtimeMs);
    assert.equal(refreshCodeCaches(dir), undefined);
    assert.deepEqual(caches(dir).map((f) => fs.statSync(path.join(dir, 'hooks', f)).mtimeMs), before);
  });

  it('rewrites caches made for other code or missing, and this Node then takes them', () => {
    const dir = distCopy();
    for (const f of caches(dir)) fs.writeFileSync(path.join(dir, 'hooks', f), Buffer.alloc(100, 1)); // not for these files
    fs.rmSync(path.join(dir, 'hooks', 'mvdan-sh.cache'));
    assert.equal(codeCacheCheck(dir).status, 'warn');
    assert.match(refreshCodeCaches(dir) ?? '', /^code cache: .* wrote 4 for /);
    assert.equal(codeCacheCheck(dir).status, 'ok', codeCacheCheck(dir).detail);
  });

  it('reports, without throwing, caches it cannot write', () => {
    const dir = distCopy();
    const blocked = path.join(dir, 'hooks', 'pre-tool-use.code.cache');
    fs.rmSync(blocked);
    fs.mkdirSync(blocked); // a directory where the cache file goes: the rename fails
    fs.writeFileSync(path.join(blocked, 'x'), '');
    assert.match(refreshCodeCaches(dir) ?? '', /^code cache: cannot write V8 code caches in .*: slower, same decisions$/);
  });

  it('does nothing for a folder that is not a full build', () => {
    assert.equal(refreshCodeCaches(tmp()), undefined);
  });
});

