import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { applyChange, backupName, commitFile } from '../../../lib/install/files.js';
import { unifiedDiff } from '../../../lib/install/diff.js';
import { tmp } from './helpers.js';

describe('applyChange', () => {
  const root = tmp();
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('creates folders and files; unchanged text is not touched', () => {
    const f = path.join(root, 'a', 'b', 'x.json');
    assert.deepEqual(applyChange(f, undefined, '{}\n'), { action: 'created', backup: null });
    assert.equal(fs.readFileSync(f, 'utf8'), '{}\n');
    const mtime = fs.statSync(f).mtimeMs;
    assert.deepEqual(applyChange(f, '{}\n', '{}\n'), { action: 'unchanged', backup: null });
    assert.equal(fs.statSync(f).mtimeMs, mtime);
  });

  it('backs up before updating or deleting, keeps the mode, leaves no temp file', () => {
    const f = path.join(root, 'cfg.toml');
    fs.writeFileSync(f, 'old', { mode: 0o600 });
    fs.chmodSync(f, 0o600);
    const w = applyChange(f, 'old', 'new');
    assert.equal(w.action, 'updated');
    assert.equal(fs.readFileSync(w.backup as string, 'utf8'), 'old');
    assert.equal(fs.readFileSync(f, 'utf8'), 'new');
    assert.equal(fs.statSync(f).mode & 0o777, 0o600);
    const d = applyChange(f, 'new', undefined);
    assert.equal(d.action, 'deleted');
    assert.equal(fs.existsSync(f), false);
    assert.equal(fs.readFileSync(d.backup as string, 'utf8'), 'new');
    assert.deepEqual(fs.readdirSync(root).filter((n) => n.includes('hookwarden-tmp')), []);
  });

  it('backup names never collide', () => {
    const f = path.join(root, 'same');
    const now = new Date('2026-01-02T03:04:05.678Z');
    const first = backupName(f, now);
    assert.equal(first, `${f}.hookwarden-backup-20260102T030405678Z`);
    fs.writeFileSync(first, '');
    assert.equal(backupName(f, now), `${first}-1`);
  });

  it('commitFile with dryRun writes nothing and returns a diff', () => {
    const f = path.join(root, 'dry.json');
    const r = commitFile(f, 'claude-settings', undefined, '{\n}\n', true);
    assert.deepEqual({ ...r, diff: undefined }, { path: f, kind: 'claude-settings', action: 'created', backup: null, diff: undefined });
    assert.equal(r.diff, `--- /dev/null\n+++ ${f}\n@@ -0,0 +1,2 @@\n+{\n+}\n`);
    assert.equal(fs.existsSync(f), false);
  });
});

describe('unifiedDiff', () => {
  it('hunks with context; nothing for no change', () => {
    assert.equal(unifiedDiff('f', 'a\nb\nc\n', 'a\nb\nc\nd\n'), '--- f\n+++ f\n@@ -1,3 +1,4 @@\n a\n b\n c\n+d\n');
    assert.equal(unifiedDiff('f', 'a\n', 'a\n'), '');
    assert.equal(unifiedDiff('f', 'a\n', undefined), '--- f\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-a\n');
  });
});
