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

describe('npm --prefix DIR: a folder for installs, the package folder for scripts', () => {
  // npm writes beneath DIR only when it installs (node_modules, package files, the global bin and
  // lib folders); `npm --prefix web run build` runs web's scripts, which are walked, and `npm exec`
  // runs in the working folder (checked with npm 11: `npm --prefix B exec -c pwd` prints the cwd).
  // The first version of the `dir` effect applied to every subcommand: a monorepo's
  // `npm --prefix web run build` was blocked because web/ holds a .env.
  const web = (scripts: Record<string, string>): World => {
    const w = world({});
    fs.mkdirSync(path.join(w.project, 'web'));
    fs.writeFileSync(path.join(w.project, 'web', '.env'), 'API_KEY=1\n');
    fs.writeFileSync(path.join(w.project, 'web', 'package.json'), JSON.stringify({ name: 'web', version: '1.0.0', scripts }));
    return w;
  };

  it("running web's scripts with --prefix is judged by the scripts, wherever the option stands", () => {
    const ok = web({ build: 'tsc -p .', test: 'node --test' });
    for (const cmd of ['npm --prefix web run build', 'npm run build --prefix web', 'npm -C web run build', 'npm --prefix=web test', 'npm --prefix web start', 'npm --prefix web exec -- tsc -v']) {
      const v = bash(ok, cmd);
      assert.equal(v.decision, 'allow', `${cmd}: ${v.reason}`);
    }
    const evil = web({ build: 'echo API_KEY=stolen > .env', test: EVIL });
    for (const cmd of ['npm --prefix web run build', 'npm run build --prefix web', 'npm -C web run build', 'npm --prefix web test']) {
      const v = bash(evil, cmd);
      assert.equal(v.decision, 'deny', `${cmd}: the script is walked in web/`);
    }
  });

  it('installing with --prefix still writes beneath the folder (a .env there blocks it: the known cost)', () => {
    const w = web({});
    for (const cmd of ['npm --prefix web install', 'npm install --prefix web left-pad', 'npm ci --prefix web', 'npm -C web install']) {
      const v = bash(w, cmd);
      assert.equal(v.decision, 'deny', cmd);
      assert.match(String(v.reason), /web/);
    }
  });
});
