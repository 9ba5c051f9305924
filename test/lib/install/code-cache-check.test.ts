import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { codeCacheCheck } from '../../../lib/install/code-cache-check.js';
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
    assert.match(c.fix ?? '', /npm run build/);
  });

  it('warns when there is no built loader at all', () => {
    const c = codeCacheCheck(tmp());
    assert.equal(c.status, 'warn');
    assert.match(c.detail, /not a built hookwarden/);
  });
});
