import { describe, it, test } from 'node:test';
import path from 'node:path';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { hookCommand, isOwnGroup, matcherMatches, ownScript, planFor, scriptPathOf, shellQuote } from '../../../lib/install/plan.js';

describe('planFor', () => {
  it('codex: guard on every tool; recorder on everything else; absolute commands', () => {
    const p = planFor('codex', { distDir: '/opt/hw/dist', nodePath: '/usr/bin/node' });
    assert.deepEqual(p.map((g) => [g.event, g.group.matcher ?? null, g.group.hooks[0]?.timeout]), [
      ['PreToolUse', '*', 30], ['PostToolUse', null, 30], ['SessionStart', null, 10],
      ['UserPromptSubmit', null, 10], ['PermissionRequest', null, 10], ['Stop', null, 10], ['SessionEnd', null, 3],
    ]);
    assert.equal(p[0]?.group.hooks[0]?.command, '"/usr/bin/node" "/opt/hw/dist/hooks/pre-tool-use.js" || exit 2');
    assert.equal(p[1]?.group.hooks[0]?.command, '"/usr/bin/node" "/opt/hw/dist/hooks/post-tool-use.js"');
    assert.ok(p.slice(2).every((g) => g.group.hooks[0]?.command.endsWith('/hooks/audit-event.js"')));
    assert.ok(p.every((g) => !g.group.hooks[0]?.command.includes('npx')));
  });
  it('claude: every tool, a tool added in a later release and Read included, with or without the secrets-read preset', () => {
    assert.equal(planFor('claude', { distDir: '/d' })[0]?.group.matcher, '*');
    assert.equal(planFor('claude', { distDir: '/d', guardReads: true })[0]?.group.matcher, '*');
    for (const tool of ['Write', 'Read', 'Bash', 'FrobnicateFiles', 'mcp__s__t']) assert.equal(matcherMatches('*', tool), true, tool);
    assert.equal(planFor('claude', { distDir: '/d' })[6]?.group.hooks[0]?.timeout, 10);
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
    assert.equal(scriptPathOf(hookCommand('/a b/dist', 'pre-tool-use', '/n/node')), '/a b/dist/hooks/pre-tool-use.js');
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

test('the registered guard command blocks when its bundle is missing (|| exit 2), and passes exit codes 0 and 2 through', async () => {
  const { spawnSync } = await import('node:child_process');
  const fs = await import('node:fs');
  const os = await import('node:os');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-plan-'));
  try {
    const run = (c: string) => spawnSync('/bin/sh', ['-c', c], { input: '{}', encoding: 'utf8' });
    const missing = run(hookCommand(path.join(dir, 'nowhere'), 'pre-tool-use'));
    assert.equal(missing.status, 2, 'a missing bundle must block, not exit 1 (agents run the tool on 1)');
    assert.match(missing.stderr, /Cannot find module|not found/);
    fs.mkdirSync(path.join(dir, 'hooks'));
    for (const code of [0, 2]) {
      fs.writeFileSync(path.join(dir, 'hooks', 'pre-tool-use.js'), `process.stderr.write('x');process.exit(${code})`);
      assert.equal(run(hookCommand(dir, 'pre-tool-use')).status, code);
    }
    assert.equal(run(hookCommand(path.join(dir, 'nowhere'), 'post-tool-use')).status, 1, 'recorders never block');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
