// Paths whose meaning depends on the process that opens them: `/proc/self/...`,
// `/proc/thread-self/...`, `/proc/<pid>/...`, `/dev/fd/...`, `/dev/stdin|stdout|stderr`.
// The guard runs in another process than the shell that will open them, so looking them up in
// the guard's file system view (its own /proc/self) would place them wrongly: `cd ~/.ssh && echo k
// >> /proc/self/cwd/authorized_keys` would be judged against the guard's cwd. They are classified
// by name only, never looked up.
import { UNRESOLVED_SEGMENT } from '../types.js';

/**
 * - `plain`: a file of the process directory itself (`/proc/self/status`) or one of its
 *   directories (`/proc/self/fd`): kept as spelled.
 * - `stdio`: a whole path naming descriptor 0, 1 or 2 (`/dev/stderr`, `/dev/fd/2`,
 *   `/proc/self/fd/1`): kept as spelled (`echo x > /dev/stderr` is everyday use).
 * - `descriptor`: a whole path naming another descriptor (`/dev/fd/7`): opening it reopens
 *   whatever file the shell holds there, which the guard cannot see.
 * - `through`: goes through a per-process link into some directory or file (`/proc/self/cwd/x`,
 *   `/proc/self/root/...`, `/dev/fd/7/x`, `/proc/self/exe`): the guard cannot place it.
 */
export type ProcessKind = 'plain' | 'stdio' | 'descriptor' | 'through';

/** Entries of a process directory that are links resolved per process (or directories of them). */
const LINKS = new Set(['cwd', 'root', 'exe', 'map_files', 'ns']);
const STDIO = new Map([['stdin', '0'], ['stdout', '1'], ['stderr', '2']]);

/**
 * Is `[a, b]` (the first two components below `/`) a process-relative node? Returns the
 * components that node stands for below a process directory, or undefined.
 */
export function processNode(a: string, b: string): string[] | undefined {
  if (a === 'proc') {
    // An unknown pid (`/proc/$PID`) may be the shell's own.
    if (b === 'self' || b === 'thread-self' || /^[0-9]+$/.test(b) || b.includes(UNRESOLVED_SEGMENT)) return [];
    return undefined;
  }
  if (a === 'dev') {
    if (b === 'fd') return ['fd'];
    const n = STDIO.get(b);
    if (n !== undefined) return ['fd', n];
  }
  return undefined;
}

/**
 * Classifies the components below a process directory (`rest`: already free of `''` and `.`).
 * Anything spelled with `..` or an unknown part below the node is `through`: after a link `..` is
 * the parent of wherever the link leads, and an unknown part may be `cwd`.
 */
export function classifyProcess(rest: readonly string[]): ProcessKind {
  if (rest.some((c) => c === '..' || c.includes(UNRESOLVED_SEGMENT))) return 'through';
  const [first, second] = rest;
  if (first === undefined) return 'plain';
  // /proc/<pid>/task/<tid>/... mirrors the process directory, per thread.
  if (first === 'task') return rest.length <= 2 ? 'plain' : classifyProcess(rest.slice(2));
  if (first === 'fd') {
    if (second === undefined) return 'plain';
    if (rest.length > 2) return 'through';
    return second === '0' || second === '1' || second === '2' ? 'stdio' : 'descriptor';
  }
  return LINKS.has(first) ? 'through' : 'plain';
}
