// `just RECIPE` runs the recipes of the nearest justfile (and the ones they depend on): read as they
// are on disk and walked like `sh -c` text, like Makefile recipes (issue 13: commands kept for later
// elsewhere). What is not read here makes an unresolved write.
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseJustfile } from '../../../../lib/targets/shell/justfile.js';
import { guardProject } from '../../../helpers/guard-project.js';

const gp = guardProject();
after(() => gp.cleanup());
fs.writeFileSync(path.join(gp.project, 'justfile'), [
  'dest := "out"',
  'key := \'.env\'',
  '',
  'default: build',
  '',
  'build: clean',
  '    mkdir -p {{dest}}',
  '    echo built > {{dest}}/x',
  '',
  'clean:',
  '    rm -rf {{dest}}',
  '',
  'evil:',
  '    echo x >> ~/.bashrc',
  '',
  'release: evil',
  '    echo done',
  '',
  'deploy env="prod":',
  '    cp config/{{env}}.json {{key}}',
  '',
  'alias r := release',
  '',
  'script:',
  '    #!/usr/bin/env bash',
  '    set -e',
  '    cd src && rm ../.env',
  '',
  'py:',
  '    #!/usr/bin/env python3',
  "    open('notes.txt', 'w')",
  '',
  'ticks:',
  '    echo `cat list.txt` > notes.txt',
  '',
].join('\n'));
fs.mkdirSync(path.join(gp.project, 'src', 'deep'), { recursive: true });

describe('just', () => {
  for (const cmd of ['just evil', 'just release', 'just r', 'just deploy', 'just deploy staging', 'just script', 'cd src/deep && just evil', 'just --justfile justfile evil', 'just -f justfile evil', 'just build evil']) {
    it(`deny: ${cmd}`, () => assert.equal(gp.check(cmd).decision, 'deny', JSON.stringify(gp.check(cmd).targets)));
  }
  for (const cmd of ['just', 'just build', 'just --list', 'just -n evil', 'just --show evil', 'just --dry-run release']) {
    it(`allow: ${cmd}`, () => assert.equal(gp.check(cmd).decision, 'allow', JSON.stringify(gp.check(cmd).targets)));
  }
  it('what is not read here is an unresolved write', () => {
    for (const cmd of ['just py', 'just ticks', 'just --command rm .env', 'some-tool > justfile && just x']) {
      assert.ok(gp.check(cmd).targets.some((t) => t.unresolved), `${cmd}: ${JSON.stringify(gp.check(cmd).targets)}`);
    }
    // Written by the same call with known text (shell/written.ts): read as that text.
    assert.equal(gp.check('printf "x:\\n  echo y >> ~/.bashrc\\n" > new.just && just -f new.just x').decision, 'deny');
  });
  it('the justfile syntax: imports, settings and computed values are not read', () => {
    assert.equal(parseJustfile('import "other.just"\na:\n    echo\n').known, false);
    assert.equal(parseJustfile('set shell := ["python3", "-c"]\na:\n    echo\n').known, false);
    assert.equal(parseJustfile('set quiet\na:\n    echo\n').known, true);
    const jf = parseJustfile('x := `date`\ny := "lit"\n[private]\na b="1": c\n    @echo {{y}}\nc:\n    -true\n');
    assert.deepEqual([jf.vars.get('x'), jf.vars.get('y')], [undefined, 'lit']);
    assert.deepEqual(jf.recipes.get('a')?.params, [{ name: 'b', dflt: '1' }]);
    assert.deepEqual(jf.recipes.get('a')?.deps, ['c']);
    assert.equal(jf.first, 'a');
  });
});
