// Shared by the install/doctor tests: the pinned codex binary and temporary homes.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { HOOK_SCRIPTS } from '../../../lib/hooks-catalog.js';

export const REPO = path.resolve(import.meta.dirname, '..', '..', '..');
export const DIST = path.join(REPO, 'dist');

let bin: string | undefined;
/** The pinned codex (scripts/install-agents.sh is idempotent and fast once cached). */
export function codexBin(): string {
  bin ??= execFileSync(path.join(REPO, 'scripts', 'install-agents.sh'), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 600_000 }).trim();
  return path.join(bin, 'codex');
}

export function tmp(prefix = 'hw-install-'): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

/** Builds a fake dist (an empty file per hook of the catalog) for tests that never run the hooks. */
export function fakeDist(root: string): string {
  const dist = path.join(root, 'dist');
  fs.mkdirSync(path.join(dist, 'hooks'), { recursive: true });
  for (const s of HOOK_SCRIPTS) fs.writeFileSync(path.join(dist, 'hooks', `${s}.js`), '');
  return dist;
}

export interface ListedHook { key: string; currentHash: string; trustStatus: string; enabled?: boolean }
