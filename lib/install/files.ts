// Reading and writing the agents' files: atomic replace (a reader never sees half a file), the
// original mode kept, a backup of every existing file before it changes, symlinks written through.
import fs from 'node:fs';
import path from 'node:path';
import { realPathOf } from './codex-trust.js';
import { unifiedDiff } from './diff.js';
import type { FileOutcome } from './result.js';

export type FileAction = 'created' | 'updated' | 'deleted' | 'unchanged';

export function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${file}: cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

export function actionOf(before: string | undefined, after: string | undefined): FileAction {
  if (before === after) return 'unchanged';
  if (before === undefined) return 'created';
  return after === undefined ? 'deleted' : 'updated';
}

/** `<file>.hookwarden-backup-<UTC timestamp>`, never overwriting an earlier backup. */
export function backupName(file: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '');
  let name = `${file}.hookwarden-backup-${stamp}`;
  for (let i = 1; fs.existsSync(name); i++) name = `${file}.hookwarden-backup-${stamp}-${i}`;
  return name;
}

export interface Written { action: FileAction; backup: string | null }

/** Applies one file change. `file` may be a symlink: the file it points at is what changes. */
export function applyChange(file: string, before: string | undefined, after: string | undefined): Written {
  const action = actionOf(before, after);
  if (action === 'unchanged') return { action, backup: null };
  const target = realPathOf(file);
  let backup: string | null = null;
  let mode: number | undefined;
  if (before !== undefined) {
    backup = backupName(target);
    fs.copyFileSync(target, backup, fs.constants.COPYFILE_EXCL);
    mode = fs.statSync(target).mode & 0o7777;
  }
  if (after === undefined) {
    fs.rmSync(target);
    return { action, backup };
  }
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.hookwarden-tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, after, { mode: mode ?? 0o644, flag: 'wx' });
    if (mode !== undefined) fs.chmodSync(tmp, mode);
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`${target}: cannot write: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  return { action, backup };
}

/** Writes the change (or, for a dry run, only describes it with a diff). */
export function commitFile(file: string, kind: FileOutcome['kind'], before: string | undefined, after: string | undefined, dryRun: boolean): FileOutcome {
  if (dryRun) {
    const action = actionOf(before, after);
    return { path: file, kind, action, backup: null, ...(action === 'unchanged' ? {} : { diff: unifiedDiff(file, before, after) }) };
  }
  const w = applyChange(file, before, after);
  return { path: file, kind, action: w.action, backup: w.backup };
}
