import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { backupName, Transaction } from '../../../cli/install/files.js';
import { unifiedDiff } from '../../../cli/install/diff.js';
import { tmp } from './helpers.js';

describe('Transaction', () => {
  const root = tmp();
  const backups = path.join(root, 'state', 'backups');
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  it('creates folders and files, recording the folders it made; unchanged text is not touched', () => {
    const tx = new Transaction(false, backups);
    const f = path.join(root, 'a', 'b', 'x.json');
    assert.deepEqual(tx.write(f, 'claude-settings', undefined, '{}\n'), { path: f, kind: 'claude-settings', action: 'created', backup: null });
    assert.equal(fs.readFileSync(f, 'utf8'), '{}\n');
    assert.deepEqual(tx.createdDirs, [path.join(root, 'a'), path.join(root, 'a', 'b')]);
    const mtime = fs.statSync(f).mtimeMs;
    assert.equal(tx.write(f, 'claude-settings', '{}\n', '{}\n').action, 'unchanged');
    assert.equal(fs.statSync(f).mtimeMs, mtime);
  });

  it('backs up into the state folder (not beside the file), keeps the mode, leaves no temp file', () => {
    const dir = path.join(root, 'keep');
    fs.mkdirSync(dir);
    const f = path.join(dir, 'cfg.toml');
    fs.writeFileSync(f, 'old', { mode: 0o600 });
    fs.chmodSync(f, 0o600);
    const tx = new Transaction(false, backups);
    const w = tx.write(f, 'codex-config', 'old', 'new');
    assert.equal(w.action, 'updated');
    assert.equal(path.dirname(w.backup as string), backups);
    assert.equal(fs.readFileSync(w.backup as string, 'utf8'), 'old');
    assert.equal(fs.statSync(w.backup as string).mode & 0o777, 0o600);
    assert.equal(fs.readFileSync(f, 'utf8'), 'new');
    assert.equal(fs.statSync(f).mode & 0o777, 0o600);
    assert.equal(tx.write(f, 'codex-config', 'new', undefined).action, 'deleted');
    assert.equal(fs.existsSync(f), false);
    assert.deepEqual(fs.readdirSync(dir), [], 'no backup or temp file beside the file');
  });

  it('rollback puts back every file and removes the folders it made, newest first', () => {
    const dir = path.join(root, 'rb');
    fs.mkdirSync(dir);
    const kept = path.join(dir, 'kept.json');
    fs.writeFileSync(kept, 'before', { mode: 0o640 });
    fs.chmodSync(kept, 0o640);
    const gone = path.join(dir, 'gone.json');
    fs.writeFileSync(gone, 'was here');
    const tx = new Transaction(false);
    tx.write(kept, 'claude-settings', 'before', 'after');
    tx.write(kept, 'claude-settings', 'after', 'again');
    tx.write(gone, 'claude-settings', 'was here', undefined);
    tx.write(path.join(dir, 'new', 'deep', 'n.json'), 'codex-hooks', undefined, 'x');
    assert.deepEqual(tx.rollback(), []);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['gone.json', 'kept.json']);
    assert.equal(fs.readFileSync(kept, 'utf8'), 'before');
    assert.equal(fs.statSync(kept).mode & 0o777, 0o640);
    assert.equal(fs.readFileSync(gone, 'utf8'), 'was here');
  });

  it('refuses to overwrite a file that changed since it was read', () => {
    const f = path.join(root, 'raced.json');
    fs.writeFileSync(f, 'theirs');
    const tx = new Transaction(false);
    assert.throws(() => tx.write(f, 'claude-settings', 'mine', 'new'), /raced\.json changed while hookwarden was editing it/);
    assert.equal(fs.readFileSync(f, 'utf8'), 'theirs');
  });

  it('backup names never collide', () => {
    const now = new Date('2026-01-02T03:04:05.678Z');
    const dir = path.join(root, 'names');
    fs.mkdirSync(dir);
    const first = backupName(dir, '/x/same', now);
    assert.equal(first, path.join(dir, 'same.hookwarden-backup-20260102T030405678Z'));
    fs.writeFileSync(first, '');
    assert.equal(backupName(dir, '/x/same', now), `${first}-1`);
  });

  it('a dry run writes nothing and returns a diff', () => {
    const f = path.join(root, 'dry.json');
    const r = new Transaction(true).write(f, 'claude-settings', undefined, '{\n}\n');
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
