// The computed trust hash, checked against what the real codex 0.169 app-server reports.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { listHooks } from '../../../cli/install/app-server.js';
import { computeHash, eventSnake, keyPathOf, realPathOf, statusFromConfig, trustKey } from '../../../cli/install/codex-trust.js';
import { planFor } from '../../../cli/install/plan.js';
import { codexBin, tmp } from './helpers.js';

describe('eventSnake and trustKey', () => {
  const cases: [string, string][] = [
    ['PreToolUse', 'pre_tool_use'], ['PostToolUse', 'post_tool_use'], ['UserPromptSubmit', 'user_prompt_submit'],
    ['SessionStart', 'session_start'], ['Stop', 'stop'], ['PermissionRequest', 'permission_request'], ['SessionEnd', 'session_end'],
  ];
  for (const [event, snake] of cases) it(`${event} -> ${snake}`, () => assert.equal(eventSnake(event), snake));
  it('key is <file>:<event>:<group>:<handler>', () => assert.equal(trustKey('/h/hooks.json', 'PreToolUse', 2, 1), '/h/hooks.json:pre_tool_use:2:1'));
  it('realPathOf resolves a symlinked folder even when the file does not exist yet', () => {
    const root = tmp();
    fs.mkdirSync(path.join(root, 'real'));
    fs.symlinkSync(path.join(root, 'real'), path.join(root, 'link'));
    assert.equal(realPathOf(path.join(root, 'link', 'sub', 'hooks.json')), path.join(root, 'real', 'sub', 'hooks.json'));
    // Codex canonicalizes the folder but keeps a symlinked hooks.json's own name (see install.test.ts).
    fs.writeFileSync(path.join(root, 'real', 'target.json'), '{}');
    fs.symlinkSync(path.join(root, 'real', 'target.json'), path.join(root, 'real', 'hooks.json'));
    assert.equal(keyPathOf(path.join(root, 'link', 'hooks.json')), path.join(root, 'real', 'hooks.json'));
    fs.rmSync(root, { recursive: true, force: true });
  });
});

describe('statusFromConfig', () => {
  const doc = { hooks: { state: { a: { trusted_hash: 'h1' }, b: { trusted_hash: 'h2', enabled: false } } } };
  it('trusted, modified, untrusted, disabled', () => {
    assert.equal(statusFromConfig(doc, 'a', 'h1'), 'trusted');
    assert.equal(statusFromConfig(doc, 'a', 'h9'), 'modified');
    assert.equal(statusFromConfig(doc, 'c', 'h1'), 'untrusted');
    assert.equal(statusFromConfig(doc, 'b', 'h2'), 'disabled');
  });
});

describe('computeHash equals codex app-server hooks/list currentHash', () => {
  let home: string;
  before(() => {
    home = tmp('hw-codex-home-');
  });
  after(() => fs.rmSync(home, { recursive: true, force: true }));

  // hookwarden's own handlers, plus shapes other tools write: no timeout, a matcher on an event
  // that ignores it, a plain alternative matcher, async, a second handler in one group.
  const ours = planFor('codex', { distDir: '/opt/hook warden/dist', nodePath: '/usr/local/bin/node' });
  const groups: Record<string, unknown[]> = {};
  for (const p of ours) groups[p.event] = [p.group];
  groups.PreToolUse = [
    { matcher: 'Bash|apply_patch', hooks: [{ type: 'command', command: 'echo a' }, { type: 'command', command: 'echo "b c"', timeout: 7, async: false }] },
    ...(groups.PreToolUse ?? []),
  ];
  groups.Stop = [{ matcher: 'ignored', hooks: [{ type: 'command', command: 'echo stop', statusMessage: 'stopping' }] }, ...(groups.Stop ?? [])];
  groups.UserPromptSubmit = [{ matcher: '', hooks: [{ type: 'command', command: 'echo ups', timeout: 1 }] }, ...(groups.UserPromptSubmit ?? [])];

  it('for every handler of a hooks.json with hookwarden\'s and other tools\' handlers', async () => {
    fs.writeFileSync(path.join(home, 'hooks.json'), JSON.stringify({ hooks: groups }, null, 2));
    const listed = await listHooks({ codex: codexBin(), codexHome: home, cwd: home, env: process.env });
    const real = fs.realpathSync(path.join(home, 'hooks.json'));
    const expected = Object.entries(groups).flatMap(([event, gs]) => gs.flatMap((g, gi) => {
      const group = g as { matcher?: string; hooks: Record<string, unknown>[] };
      return group.hooks.map((h, hi) => ({ key: trustKey(real, event, gi, hi), hash: computeHash(event, group.matcher, h) }));
    }));
    assert.equal(listed.hooks.length, expected.length, JSON.stringify(listed.warnings));
    for (const e of expected) {
      const h = listed.hooks.find((x) => x.key === e.key);
      assert.ok(h, `app-server lists ${e.key}`);
      assert.equal(h.currentHash, e.hash, e.key);
      assert.equal(h.trustStatus, 'untrusted');
    }
  });

  it('rejects with a reason when the binary is not codex, and times out on a silent one', async () => {
    await assert.rejects(listHooks({ codex: '/bin/false', codexHome: home, cwd: home, env: process.env }), /exited \(1\) before answering/);
    await assert.rejects(listHooks({ codex: path.join(home, 'missing'), codexHome: home, cwd: home, env: process.env }), /cannot run/);
    const silent = path.join(home, 'silent.sh');
    fs.writeFileSync(silent, '#!/bin/sh\nexec sleep 30\n', { mode: 0o755 });
    await assert.rejects(listHooks({ codex: silent, codexHome: home, cwd: home, env: process.env, timeoutMs: 300 }), /did not answer hooks\/list within 300 ms/);
  });
});
