// The plugin form (hooks.json at the package root, loaded by Claude Code with CLAUDE_PLUGIN_ROOT):
// its commands must fail closed with one readable line when the guard cannot be loaded, as the
// registrations `install` writes do (a multi-line Node stack trace would become the block reason).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { loader } from '../../cli/install/plan.js';

interface Group { matcher?: string; hooks: { command: string }[] }
const doc = JSON.parse(fs.readFileSync(new URL('../../hooks.json', import.meta.url), 'utf8')) as { hooks: Record<string, Group[]> };

test('the plugin registers the guard for every tool and its commands use the one-line loader', () => {
  assert.equal(doc.hooks.PreToolUse?.[0]?.matcher, '*');
  for (const groups of Object.values(doc.hooks)) {
    for (const h of groups.flatMap((g) => g.hooks)) {
      const script = /dist\/hooks\/([a-z-]+)\.js/.exec(h.command)?.[1];
      assert.ok(script, h.command);
      assert.ok(h.command.includes(`'${loader(script as 'pre-tool-use')}'`), `${script}: not the loader form`);
    }
  }
});

test('with the plugin root missing, the guard blocks (exit 2) with one line and the recorders do not block', () => {
  const root = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-plugin-')), 'gone');
  for (const [event, groups] of Object.entries(doc.hooks)) {
    const cmd = groups[0]!.hooks[0]!.command;
    const r = spawnSync('sh', ['-c', cmd], { env: { ...process.env, CLAUDE_PLUGIN_ROOT: root }, input: '{}', encoding: 'utf8' });
    const lines = r.stderr.split('\n').filter(Boolean);
    assert.equal(lines.length, 1, `${event}: ${r.stderr}`);
    assert.match(lines[0]!, /^hookwarden: cannot load the (guard|recorder) \(MODULE_NOT_FOUND: /);
    assert.equal(r.status, event === 'PreToolUse' ? 2 : 1, event);
    assert.equal(r.stdout, '');
  }
});
