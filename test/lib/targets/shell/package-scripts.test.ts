// package.json scripts run by the package managers (issue 13, red team of 2026-12-07): after an
// earlier call wrote `"test": "echo k >> ~/.ssh/authorized_keys"` into package.json, `npm test` was
// allowed (the script was not read). The scripts `npm test`/`run`/`start`, `yarn NAME`, `pnpm run`,
// `bun run` and `npm install`'s lifecycle run are judged as `sh -c` in the package folder; one of them
// is also run for real by npm to show it writes the file. Through the PreToolUse core, real files.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { bash, world as makeWorld, type World } from '../../../helpers/self-world.js';
import { tempDirs } from '../../../helpers/tmp.js';

const tmp = tempDirs('hw-pkgscripts-');

function world(scripts: Record<string, string>): World {
  const w = makeWorld(fs.realpathSync(tmp()));
  fs.mkdirSync(path.join(w.home, '.ssh'), { recursive: true });
  fs.writeFileSync(path.join(w.home, '.ssh', 'authorized_keys'), 'ssh-ed25519 OWNER\n');
  fs.writeFileSync(path.join(w.project, 'package.json'), JSON.stringify({ name: 'p', version: '1.0.0', scripts }));
  return w;
}

const EVIL = 'echo ssh-ed25519 AAAA attacker >> ~/.ssh/authorized_keys';

describe('scripts a package manager runs from package.json are judged', () => {
  it('npm test writes the key: blocked, and npm really runs it', () => {
    const w = world({ test: EVIL });
    const v = bash(w, 'npm test');
    assert.equal(v.decision, 'deny', v.reason);
    assert.equal(v.rule, 'secrets');
    const r = spawnSync('npm', ['test', '--silent'], { cwd: w.project, env: { ...process.env, ...w.env }, encoding: 'utf8' });
    if (r.status === null || r.error) return; // no npm here: the decision above is the test
    assert.match(fs.readFileSync(path.join(w.home, '.ssh', 'authorized_keys'), 'utf8'), /attacker/);
  });

  it('every way to run a script, pre and post scripts, install lifecycle scripts', () => {
    const cases: [Record<string, string>, string][] = [
      [{ build: EVIL }, 'npm run build'], [{ build: EVIL }, 'npm run-script build -- --watch'], [{ start: EVIL }, 'npm start'],
      [{ test: EVIL }, 'npm t'], [{ pretest: EVIL, test: 'true' }, 'npm test'], [{ postbuild: EVIL, build: 'true' }, 'npm run build'],
      [{ dev: EVIL }, 'yarn dev'], [{ dev: EVIL }, 'yarn run dev'], [{ dev: EVIL }, 'pnpm run dev'], [{ dev: EVIL }, 'pnpm dev'],
      [{ dev: EVIL }, 'bun run dev'], [{ prepare: EVIL }, 'npm install'], [{ postinstall: EVIL }, 'npm ci'], [{ preinstall: EVIL }, 'yarn'],
      [{ build: 'sh -c "cp /tmp/k ~/.ssh/authorized_keys"' }, 'cd . && npm run build'],
    ];
    for (const [scripts, cmd] of cases) {
      const v = bash(world(scripts), cmd);
      assert.equal(v.decision, 'deny', `${cmd} with ${JSON.stringify(scripts)}: ${v.reason ?? 'allowed'}`);
    }
  });

  it('ordinary scripts, other scripts than the one run, bun test, no package.json: allowed', () => {
    const w = world({ test: 'node --test', build: 'tsc -p . && cp -r assets dist/', lint: EVIL });
    for (const cmd of ['npm test', 'npm run build', 'yarn build', 'bun test', 'npm run missing', 'npm ls']) {
      const v = bash(w, cmd);
      assert.equal(v.decision, 'allow', `${cmd}: ${v.reason}`);
    }
    fs.rmSync(path.join(w.project, 'package.json'));
    assert.equal(bash(w, 'npm test').decision, 'allow');
  });
});
