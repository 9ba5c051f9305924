// The hook entries run their bundles through hooks/code-cache.ts. These tests use the real build
// (dist/, made by `npm test`) or a copy of it, and real V8 code caches.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import vm from 'node:vm';
import { cacheBytes, cachePath, fileHash, loaded, runCached } from '../../hooks/code-cache.js';
import { DIST, claudePayload, codexPayload, sandbox } from '../helpers/hook.js';
import { tempDirs } from '../helpers/tmp.js';

const tmp = tempDirs('hw-cc-');

/** A copy of dist/hooks to break things in. */
function hooksCopy(): string {
  const dir = path.join(tmp(), 'hooks');
  fs.cpSync(path.join(DIST, 'hooks'), dir, { recursive: true });
  fs.writeFileSync(path.join(dir, '..', 'package.json'), '{"type":"commonjs"}\n');
  return dir;
}

function run(hooksDir: string, hook: string, payload: unknown, env: Record<string, string>, cwd: string, preload?: string) {
  const args = [...(preload ? ['-r', preload] : []), path.join(hooksDir, `${hook}.js`)];
  return spawnSync(process.execPath, args, { input: JSON.stringify(payload), env, cwd, encoding: 'utf8' });
}

describe('code cache of the built hooks', () => {
  it('is accepted by this Node for the guard bundle and the shell parser', () => {
    const sb = sandbox();
    try {
      const out = path.join(sb.root, 'states.json');
      const preload = path.join(sb.root, 'states.cjs');
      // The marker the cache writer sets (cli/install/code-cache.ts): the hook lets its worker exit first.
      fs.writeFileSync(preload, `globalThis.__hookwardenCacheWriter = true;
const cc = require(${JSON.stringify(path.join(DIST, 'hooks', 'code-cache.js'))});
process.on('exit', () => cc.loaded.length && require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(cc.loaded.map((l) => [require('node:path').basename(l.file), l.cache]))));`);
      // In-process: with the daemon the hook process loads no bundle at all. The bundles load in
      // the call's worker thread (the preload runs there too, and writes when it exits).
      const env = { ...sb.env, HOOKWARDEN_DAEMON: 'off' };
      const r = run(path.join(DIST, 'hooks'), 'pre-tool-use', codexPayload(sb.project, 'Bash', { command: 'echo hi > out.txt' }), env, sb.project, preload);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(fs.readFileSync(out, 'utf8')), [['pre-tool-use.code.js', 'accepted'], ['mvdan-sh.js', 'accepted']]);
    } finally {
      sb.cleanup();
    }
  });

  it('gives the same answers with the caches removed', () => {
    const bare = hooksCopy();
    for (const f of fs.readdirSync(bare)) if (f.endsWith('.cache')) fs.rmSync(path.join(bare, f));
    const sb = sandbox();
    try {
      const cases = [
        codexPayload(sb.project, 'Bash', { command: 'echo "K=v" > .env' }),
        codexPayload(sb.project, 'Bash', { command: 'cat <<EOF > src/a.ts\nx\nEOF' }),
        claudePayload(sb.project, 'Write', { file_path: path.join(sb.project, '.git', 'config'), content: '' }),
      ];
      for (const p of cases) {
        const cached = run(path.join(DIST, 'hooks'), 'pre-tool-use', p, sb.env, sb.project);
        const uncached = run(bare, 'pre-tool-use', p, sb.env, sb.project);
        assert.deepEqual([uncached.status, uncached.stdout, uncached.stderr], [cached.status, cached.stdout, cached.stderr]);
      }
    } finally {
      sb.cleanup();
    }
  });
});

describe('runCached', () => {
  const moduleIn = (file: string): NodeJS.Module =>
    ({ exports: {}, require: createRequire(file), id: file, filename: file }) as unknown as NodeJS.Module;

  it('ignores a cache made for other code of the same length, which V8 alone would accept', () => {
    const dir = tmp();
    const file = path.join(dir, 'm.js');
    fs.writeFileSync(file, "module.exports = 'AAAA';\n");
    const before = loaded.length;
    assert.equal(runCached(file, moduleIn(file)), 'AAAA');
    fs.writeFileSync(cachePath(file), cacheBytes(loaded[before]!));
    assert.equal(runCached(file, moduleIn(file)), 'AAAA');
    assert.equal(loaded.at(-1)!.cache, 'accepted');

    fs.writeFileSync(file, "module.exports = 'BBBB';\n"); // same length
    // V8 checks the length only: handed the old data directly, it does not reject it.
    const v8data = fs.readFileSync(cachePath(file)).subarray(32);
    const wrapped = (src: string): string => `(function (exports, require, module, __filename, __dirname) { ${src}\n});`;
    const direct = new vm.Script(wrapped("module.exports = 'BBBB';\n"), { filename: file, cachedData: v8data });
    assert.equal(direct.cachedDataRejected, false);
    // runCached compares the file's hash first, so the new code runs.
    assert.equal(runCached(file, moduleIn(file)), 'BBBB');
    assert.equal(loaded.at(-1)!.cache, 'stale');
  });

  it('compiles normally when there is no cache, or V8 rejects the data', () => {
    const dir = tmp();
    const file = path.join(dir, 'm.js');
    fs.writeFileSync(file, '#!/usr/bin/env node\nmodule.exports = __filename;\n');
    assert.equal(runCached(file, moduleIn(file)), file);
    assert.equal(loaded.at(-1)!.cache, 'none');
    // The right hash, but bytes that are not V8 cached data (as from another Node version). New
    // text, so V8's in-process compilation cache does not answer instead of the data.
    fs.writeFileSync(file, '#!/usr/bin/env node\nmodule.exports = __filename; // 2\n');
    fs.writeFileSync(cachePath(file), Buffer.concat([fileHash(fs.readFileSync(file)), Buffer.alloc(64, 7)]));
    assert.equal(runCached(file, moduleIn(file)), file);
    assert.equal(loaded.at(-1)!.cache, 'rejected');
  });
});

describe('hook entries that cannot load their bundle', () => {
  const write = (sb: ReturnType<typeof sandbox>) =>
    claudePayload(sb.project, 'Write', { file_path: path.join(sb.project, 'src', 'a.ts'), content: 'x' });

  for (const [what, breakIt] of [
    ['a missing bundle', (dir: string) => fs.rmSync(path.join(dir, 'pre-tool-use.code.js'))],
    ['a bundle that throws while it loads', (dir: string) => fs.writeFileSync(path.join(dir, 'pre-tool-use.code.js'), 'throw new Error("boom\\nsecond line");')],
    ['a missing loader', (dir: string) => fs.rmSync(path.join(dir, 'code-cache.js'))],
  ] as const) {
    it(`the guard blocks on ${what}, with one line on stderr`, () => {
      const dir = hooksCopy();
      breakIt(dir);
      const sb = sandbox();
      try {
        const r = run(dir, 'pre-tool-use', write(sb), sb.env, sb.project);
        assert.equal(r.status, 2);
        assert.equal(r.stdout, '');
        assert.match(r.stderr, /^hookwarden: cannot load [^\n]+\n$/);
        assert.doesNotMatch(r.stderr, /second line/);
      } finally {
        sb.cleanup();
      }
    });
  }

  for (const broken of ['pre-tool-use.code.js', 'code-cache.js']) {
    it(`the guard still exits 2 when its stderr is a broken pipe (${broken} missing)`, async () => {
      const dir = hooksCopy();
      fs.rmSync(path.join(dir, broken));
      const sb = sandbox();
      try {
        const child = spawn(process.execPath, [path.join(dir, 'pre-tool-use.js')], { env: sb.env, cwd: sb.project });
        child.stderr.destroy(); // the reader is gone before the hook writes its reason: EPIPE
        let stdout = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stdin.end(JSON.stringify(write(sb)));
        const status = await new Promise((resolve) => child.on('close', resolve));
        assert.equal(status, 2);
        assert.equal(stdout, '');
      } finally {
        sb.cleanup();
      }
    });
  }

  it('the recorder does not block when its bundle is missing', () => {
    const dir = hooksCopy();
    fs.rmSync(path.join(dir, 'post-tool-use.code.js'));
    const sb = sandbox();
    try {
      const r = run(dir, 'post-tool-use', { ...codexPayload(sb.project, 'Bash', { command: 'true' }), hook_event_name: 'PostToolUse', tool_response: '' }, sb.env, sb.project);
      assert.equal(r.status, 0);
      assert.match(r.stderr, /^hookwarden: cannot load post-tool-use\.code\.js: /);
    } finally {
      sb.cleanup();
    }
  });
});
