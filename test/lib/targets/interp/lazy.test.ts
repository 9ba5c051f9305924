// The interpreter and archive analyzers load only for commands that need them: an ordinary shell
// call leaves them out of the module cache (in the bundle the same `require` is esbuild's lazy
// module init, see lib/targets/interp/load.ts). Each test file runs in its own process, so the
// cache starts empty of them here.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, it } from 'node:test';
import { shellTargets } from '../../../../lib/targets/shell/index.js';
import { Budget } from '../../../../lib/types.js';

const cache = createRequire(import.meta.url).cache;
const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-lazy-')));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const loaded = (folder: string): string[] => Object.keys(cache).filter((k) => k.includes(`${path.sep}lib${path.sep}targets${path.sep}${folder}${path.sep}`));
const run = (cmd: string): number => shellTargets(cmd, { cwd: dir, home: dir, env: {}, budget: new Budget(10_000) }).length;

it('ordinary shell commands load neither analyzer', () => {
  run('ls -la && git status && npm test > out.log 2>&1; rm -rf build; cp a b; echo hi | tee x; grep -r TODO src | head');
  // `npm test` looks for the package.json scripts it runs: only the bounded file reader loads.
  assert.deepEqual(loaded('interp').map((f) => path.basename(f)), ['source.ts']);
  assert.deepEqual(loaded('archive'), []);
});

it('sed loads its own small module, not the other languages', () => {
  run("sed -i 's/a/b/' f");
  assert.deepEqual(loaded('interp').map((f) => path.basename(f)).sort(), ['sed.ts', 'source.ts']);
});

it('an interpreter loads the interpreter analyzer only', () => {
  assert.ok(run(`python3 -c "open('.env', 'w')"`) > 0);
  assert.ok(loaded('interp').some((f) => f.endsWith(`interp${path.sep}index.ts`)));
  assert.ok(!loaded('archive').some((f) => f.endsWith(`archive${path.sep}index.ts`)));
});

it('an archive command loads the archive analyzer', () => {
  assert.ok(run('tar -xf missing.tar') > 0);
  assert.ok(loaded('archive').some((f) => f.endsWith(`archive${path.sep}index.ts`)));
});
