// Taking a one-time grant (`hookwarden allow --once`) for the call it lets through: the grant's
// file is renamed away, then removed. The rename is atomic, so of two calls racing for one grant
// only one gets it. The core (lib/commands/grants.ts) reads the grants and picks the one that
// matches; this file effect is injected by the hook and by `hookwarden check` (GuardEnv.takeGrant).
import fs from 'node:fs';
import type { TakeGrant } from '../lib/commands/grants.js';

export const takeGrantFile: TakeGrant = (file) => {
  const claimed = `${file}.used-${process.pid}-${Date.now()}`;
  try {
    fs.renameSync(file, claimed);
  } catch {
    return false; // another call took it first
  }
  try {
    fs.unlinkSync(claimed);
  } catch {
    // removed already
  }
  return true;
};
