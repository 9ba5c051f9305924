// Reading and writing the agents' files as one transaction: every change of a run is planned and
// validated first, then written by atomic replace (temp file, rename: a reader never sees half a
// file), the original mode kept, symlinks written through. What was there before stays in memory;
// when a later write fails, everything already written is put back and the folders made for it
// removed, so a failed install leaves every file as it was. A copy of each changed file goes to
// hookwarden's own state folder, never beside the agent's file (which would stay behind after
// uninstall).
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

/** `<dir>/<name>.hookwarden-backup-<UTC timestamp>`, never overwriting an earlier backup. */
export function backupName(dir: string, file: string, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('.', '');
  const base = path.join(dir, `${path.basename(file)}.hookwarden-backup-${stamp}`);
  let name = base;
  for (let i = 1; fs.existsSync(name); i++) name = `${base}-${i}`;
  return name;
}

/** Whole-file replace: the temp file is beside the target, so the rename stays on one file system. */
export function atomicWrite(target: string, text: string, mode: number | undefined): void {
  const tmp = `${target}.hookwarden-tmp-${process.pid}`;
  try {
    fs.writeFileSync(tmp, text, { mode: mode ?? 0o644, flag: 'wx' });
    if (mode !== undefined) fs.chmodSync(tmp, mode);
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new Error(`${target}: cannot write: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Folders that do not exist yet on the way to `dir`, outermost first. */
function missingDirs(dir: string): string[] {
  const out: string[] = [];
  for (let d = dir; !fs.existsSync(d); d = path.dirname(d)) {
    out.unshift(d);
    if (path.dirname(d) === d) break;
  }
  return out;
}

interface Done { target: string; before: string | undefined; mode: number | undefined }

export class Transaction {
  private readonly done: Done[] = [];
  /** Folders this run created (outermost first); uninstall may remove them again once empty. */
  readonly createdDirs: string[] = [];
  readonly backups: string[] = [];

  /** `backupDir`: where copies of changed files go (undefined: none). */
  constructor(readonly dryRun: boolean, private readonly backupDir?: string) {}

  /** Writes the change (or, for a dry run, only describes it with a diff). */
  write(file: string, kind: FileOutcome['kind'], before: string | undefined, after: string | undefined): FileOutcome {
    const action = actionOf(before, after);
    if (this.dryRun) return { path: file, kind, action, backup: null, ...(action === 'unchanged' ? {} : { diff: unifiedDiff(file, before, after) }) };
    if (action === 'unchanged') return { path: file, kind, action, backup: null };
    const target = realPathOf(file);
    // Changed by someone else since it was read: writing now would drop their change.
    if (readIfExists(target) !== before) throw new Error(`${file} changed while hookwarden was editing it; run the command again`);
    const mode = before === undefined ? undefined : fs.statSync(target).mode & 0o7777;
    const backup = before === undefined ? null : this.backup(target, before);
    this.done.push({ target, before, mode });
    if (after === undefined) {
      fs.rmSync(target);
      return { path: file, kind, action, backup };
    }
    for (const d of missingDirs(path.dirname(target))) {
      fs.mkdirSync(d);
      this.createdDirs.push(d);
    }
    atomicWrite(target, after, mode);
    return { path: file, kind, action, backup };
  }

  private backup(target: string, text: string): string | null {
    if (!this.backupDir) return null;
    fs.mkdirSync(this.backupDir, { recursive: true, mode: 0o700 });
    const name = backupName(this.backupDir, target);
    // The agents' settings can hold credentials (Claude's `env`): readable by the user only.
    fs.writeFileSync(name, text, { mode: 0o600, flag: 'wx' });
    this.backups.push(name);
    return name;
  }

  /** Puts back every file written so far, newest first, and removes the folders made for them. Returns what could not be undone. */
  rollback(): string[] {
    const errors: string[] = [];
    for (const d of this.done.splice(0).reverse()) {
      try {
        // A write that failed before its rename left the file as it was: nothing to put back.
        if (readIfExists(d.target) === d.before) continue;
        if (d.before === undefined) fs.rmSync(d.target, { force: true });
        else atomicWrite(d.target, d.before, d.mode);
      } catch (err) {
        errors.push(`${d.target}: ${(err as Error).message}`);
      }
    }
    for (const dir of this.createdDirs.splice(0).reverse()) {
      try {
        fs.rmdirSync(dir);
      } catch {
        // Not empty (someone else wrote there meanwhile): it stays.
      }
    }
    return errors;
  }
}
