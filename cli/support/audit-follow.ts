// `tail --follow`: keeps reading lines appended to the audit file, and carries on into the new
// file when the sink rotates it (renames it to `audit-<stamp>.jsonl` and starts a fresh one).
import fs from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { rotatedFiles } from '../../lib/verify.js';
import { parseRecordLine, recordMatches, scanLines, type AuditEntry, type AuditFilter, type OpenAudit } from './audit-query.js';

export interface FollowOptions {
  filter: AuditFilter;
  onEntry: (e: AuditEntry) => void;
  /** Stops following (after one last read). */
  signal: AbortSignal;
  intervalMs?: number;
}

const inoOf = (file: string): number | undefined => {
  try {
    return fs.statSync(file).ino;
  } catch {
    return undefined;
  }
};

/**
 * Polls `start.file` from `start.offset` (taking over `start.fd`) until `signal` aborts. On
 * rotation it finishes the old file through its descriptor, then reads every file rotated after it,
 * then the new file from its start, so no record is lost or repeated. Returns the skipped-line count.
 */
export async function followAudit(start: OpenAudit, opts: FollowOptions): Promise<{ skipped: number }> {
  const { file } = start;
  let fd = start.fd;
  let offset = start.offset;
  let ino = fd === undefined ? undefined : fs.fstatSync(fd).ino;
  let skipped = 0;
  const emit = (line: string): void => {
    const rec = parseRecordLine(line);
    if (!rec) skipped++;
    else if (recordMatches(rec, opts.filter)) opts.onEntry({ rec, line });
  };
  const drain = (): void => {
    if (fd === undefined) return;
    if (fs.fstatSync(fd).size < offset) offset = 0; // truncated in place
    offset = scanLines(fd, offset, emit);
  };
  const readWhole = (f: string): void => {
    let rfd: number | undefined;
    try {
      rfd = fs.openSync(f, 'r');
      scanLines(rfd, 0, emit);
    } catch {
      // deleted meanwhile: nothing left to show
    } finally {
      if (rfd !== undefined) fs.closeSync(rfd);
    }
  };

  const tick = (): void => {
    drain();
    const now = inoOf(file);
    if (now === undefined || now === ino) return; // not there (yet, or mid-rotation), or unchanged
    let next: number;
    try {
      next = fs.openSync(file, 'r');
    } catch {
      return; // renamed again between stat and open: the next poll sees the newer file
    }
    const nextIno = fs.fstatSync(next).ino;
    if (fd !== undefined) {
      drain(); // the rest of the old file (a torn last line stays unread)
      fs.closeSync(fd);
      // Files rotated between the one we held and the one now open (several rotations per poll).
      const rotated = rotatedFiles(file);
      const from = rotated.findIndex((f) => inoOf(f) === ino);
      if (from !== -1) {
        for (const f of rotated.slice(from + 1)) {
          if (inoOf(f) === nextIno) break;
          readWhole(f);
        }
      }
    }
    [fd, ino, offset] = [next, nextIno, 0];
    drain();
  };

  try {
    while (!opts.signal.aborted) {
      tick();
      await sleep(opts.intervalMs ?? 250, undefined, { signal: opts.signal }).catch(() => undefined);
    }
    tick();
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
  return { skipped };
}
