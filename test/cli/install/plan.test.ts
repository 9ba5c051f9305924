import { after, before, describe, it } from 'node:test';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { anchoredCommand, hookCommand, isOwnGroup, loader, matcherMatches, ownScript, planFor, resolveScript, scriptPathOf, shellQuote } from '../../../cli/install/plan.js';

describe('planFor', () => {
  it('codex: guard on every tool; recorder on everything else; absolute commands', () => {
    const p = planFor('codex', { distDir: '/opt/hw/dist', nodePath: '/usr/bin/node' });
    assert.deepEqual(p.map((g) => [g.event, g.group.matcher ?? null, g.group.hooks[0]?.timeout]), [
      ['PreToolUse', '*', 30], ['PostToolUse', null, 30], ['SessionStart', null, 10],
      ['UserPromptSubmit', null, 10], ['PermissionRequest', null, 10], ['Stop', null, 10], ['SessionEnd', null, 3],
    ]);
    assert.equal(p[0]?.group.hooks[0]?.command, `"/usr/bin/node" -e '${loader('pre-tool-use')}' "/opt/hw/dist/hooks/pre-tool-use.js" || exit 2`);
    assert.equal(p[1]?.group.hooks[0]?.command, `"/usr/bin/node" -e '${loader('post-tool-use')}' "/opt/hw/dist/hooks/post-tool-use.js"`);
    assert.ok(p.slice(2).every((g) => g.group.hooks[0]?.command.endsWith('/hooks/audit-event.js"')));
    assert.ok(p.every((g) => !g.group.hooks[0]?.command.includes('npx')));
  });
  it('claude: every tool, a tool added in a later release and Read included, with or without the secrets-read preset', () => {
    assert.equal(planFor('claude', { distDir: '/d' })[0]?.group.matcher, '*');
    assert.equal(planFor('claude', { distDir: '/d', guardReads: true })[0]?.group.matcher, '*');
    for (const tool of ['Write', 'Read', 'Bash', 'FrobnicateFiles', 'mcp__s__t']) assert.equal(matcherMatches('*', tool), true, tool);
    assert.equal(planFor('claude', { distDir: '/d' })[6]?.group.hooks[0]?.timeout, 10);
  });
  it('portable (project scope): node from PATH and the hooks relative to the project; no absolute path of this machine', () => {
    const p = planFor('claude', { distDir: '/home/me/app/node_modules/hookwarden/dist', nodePath: '/opt/node/bin/node', relativeDist: 'node_modules/hookwarden/dist' });
    for (const g of p) {
      const c = g.group.hooks[0]?.command ?? '';
      assert.ok(c.startsWith(`node -e '`), c);
      assert.ok(!c.includes('/home/me') && !c.includes('/opt/node'), c);
      assert.match(c, /"node_modules\/hookwarden\/dist\/hooks\/(pre-tool-use|post-tool-use|audit-event)\.js"( \|\| exit 2)?$/);
    }
  });
});

describe('own handlers are recognized by the dist file name', () => {
  const cases: [unknown, string | undefined][] = [
    ['"/usr/bin/node" "/x/dist/hooks/pre-tool-use.js"', 'pre-tool-use'],
    ["node '/a b/hooks/post-tool-use.js'", 'post-tool-use'],
    ['node /x/hooks/audit-event.js --flag', 'audit-event'],
    ['node "${PLUGIN_ROOT}/dist/hooks/pre-tool-use.js"', 'pre-tool-use'],
    ['node /x/hooks/pre-tool-use.json', undefined],
    ['node /x/my-hooks/pre-tool-use.js', undefined],
    ['other-tool check', undefined],
    [42, undefined],
  ];
  for (const [cmd, script] of cases) it(String(cmd), () => assert.equal(ownScript(cmd), script));
  it('isOwnGroup needs every handler to be ours', () => {
    const ours = { type: 'command', command: 'node /x/hooks/audit-event.js' };
    assert.equal(isOwnGroup({ hooks: [ours] }), true);
    assert.equal(isOwnGroup({ hooks: [ours, { type: 'command', command: 'echo' }] }), false);
    assert.equal(isOwnGroup({ hooks: [] }), false);
    assert.equal(isOwnGroup(null), false);
  });
  it('scriptPathOf finds the js file of a quoted command', () => {
    assert.equal(scriptPathOf(hookCommand({ distDir: '/a b/dist', nodePath: '/n/node' }, 'pre-tool-use')), '/a b/dist/hooks/pre-tool-use.js');
  });
  it('a portable command is anchored at the project (doctor probes it from elsewhere)', () => {
    const c = hookCommand({ distDir: '/x', relativeDist: 'node_modules/hookwarden/dist' }, 'pre-tool-use');
    assert.equal(scriptPathOf(c), 'node_modules/hookwarden/dist/hooks/pre-tool-use.js');
    assert.equal(resolveScript('node_modules/hookwarden/dist/hooks/pre-tool-use.js', '/nonexistent/p'), '/node_modules/hookwarden/dist/hooks/pre-tool-use.js');
    assert.equal(scriptPathOf(anchoredCommand(c, '/nonexistent/p')), '/node_modules/hookwarden/dist/hooks/pre-tool-use.js');
  });
});

describe('shellQuote', () => {
  const paths = ['/usr/bin/node', '/a b/c', "/it's/x", '/$HOME/`x`/"q"', '/back\\slash!'];
  for (const p of paths) {
    it(`sh reads ${p} back unchanged`, () => {
      assert.equal(execFileSync('sh', ['-c', `printf %s ${shellQuote(p)}`], { encoding: 'utf8' }), p);
    });
  }
});

describe('matcherMatches (Codex semantics, protocol doc §4)', () => {
  const cases: [string | undefined, string, boolean][] = [
    [undefined, 'Bash', true], ['', 'x', true], ['*', 'x', true],
    ['Bash', 'BashOutput', false], ['Bash|Write', 'Write', true], ['Ba', 'Bash', false],
    ['^Bash', 'BashOutput', true], ['^(Bash|apply_patch|mcp__.*)$', 'mcp__fs__write', true],
    ['^(Bash|apply_patch|mcp__.*)$', 'Write', false], ['bash', 'Bash', false], ['(', 'x', false],
  ];
  for (const [m, tool, want] of cases) it(`${JSON.stringify(m)} ~ ${tool}: ${want}`, () => assert.equal(matcherMatches(m, tool), want));
});

describe('the registered command fails closed with one readable line', () => {
  // Was: `node X || exit 2` handed Node's multi-line stack trace (MODULE_NOT_FOUND) over as the block reason.
  const shells = ['sh', 'bash', 'dash', 'zsh'].filter((sh) => spawnSync(sh, ['-c', 'exit 0']).status === 0);
  let dir: string;
  before(() => {
    dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-plan-')));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const run = (sh: string, c: string, cwd = dir) => spawnSync(sh, ['-c', c], { input: '{}', encoding: 'utf8', cwd });
  const oneLine = (s: string) => s.trim() !== '' && !s.trim().includes('\n');

  for (const sh of shells) {
    it(`${sh}: a missing bundle, a broken bundle and a missing Node block (exit 2) with one hookwarden: line`, () => {
      const missing = run(sh, hookCommand({ distDir: path.join(dir, 'nowhere') }, 'pre-tool-use'));
      assert.equal(missing.status, 2, 'a missing bundle must block, not exit 1 (agents run the tool on 1)');
      assert.ok(oneLine(missing.stderr), missing.stderr);
      assert.match(missing.stderr, /^hookwarden: cannot load the guard \(MODULE_NOT_FOUND: .*nowhere\/hooks\/pre-tool-use\.js\)\n$/);
      const broken = path.join(dir, 'broken');
      fs.mkdirSync(path.join(broken, 'hooks'), { recursive: true });
      fs.writeFileSync(path.join(broken, 'hooks', 'pre-tool-use.js'), 'this is not javascript (');
      const b = run(sh, hookCommand({ distDir: broken }, 'pre-tool-use'));
      assert.equal(b.status, 2);
      assert.ok(oneLine(b.stderr), b.stderr);
      const noNode = run(sh, hookCommand({ distDir: broken, nodePath: path.join(dir, 'no-node') }, 'pre-tool-use'));
      assert.equal(noNode.status, 2);
      assert.ok(oneLine(noNode.stderr), noNode.stderr);
      const rec = run(sh, hookCommand({ distDir: path.join(dir, 'nowhere') }, 'post-tool-use'));
      assert.equal(rec.status, 1, 'recorders never block');
      assert.ok(oneLine(rec.stderr), rec.stderr);
    });

    it(`${sh}: exit codes 0 and 2, stdout and stderr of the hook pass through unchanged`, () => {
      const ok = path.join(dir, 'ok');
      fs.mkdirSync(path.join(ok, 'hooks'), { recursive: true });
      for (const code of [0, 2]) {
        fs.writeFileSync(path.join(ok, 'hooks', 'pre-tool-use.js'), `let s='';process.stdin.on('data',d=>s+=d).on('end',()=>{process.stdout.write('out'+s);process.stderr.write('hookwarden: r');process.exit(${code})})`);
        const r = run(sh, hookCommand({ distDir: ok }, 'pre-tool-use'));
        assert.deepEqual([r.status, r.stdout, r.stderr], [code, 'out{}', 'hookwarden: r']);
      }
    });

    it(`${sh}: a portable command finds the hooks from the project and from any folder beneath it`, () => {
      const project = path.join(dir, 'proj');
      const hooks = path.join(project, 'node_modules', 'hookwarden', 'dist', 'hooks');
      fs.mkdirSync(hooks, { recursive: true });
      fs.mkdirSync(path.join(project, 'src', 'deep'), { recursive: true });
      fs.writeFileSync(path.join(hooks, 'pre-tool-use.js'), `process.stderr.write('hookwarden: found ' + __dirname);process.exit(2)`);
      const c = hookCommand({ distDir: '/elsewhere', relativeDist: 'node_modules/hookwarden/dist' }, 'pre-tool-use');
      for (const cwd of [project, path.join(project, 'src', 'deep')]) {
        const r = run(sh, c, cwd);
        assert.deepEqual([r.status, r.stderr], [2, `hookwarden: found ${hooks}`]);
      }
      const outside = run(sh, c, dir);
      assert.equal(outside.status, 2, 'no hookwarden in reach: blocked');
      assert.match(outside.stderr, /^hookwarden: cannot load the guard \(MODULE_NOT_FOUND: \/node_modules\/hookwarden\/dist\/hooks\/pre-tool-use\.js\)\n$/);
    });
  }
});
