// A necessary condition for a minimatch pattern to match a path, checked before the Minimatch is
// built: building one costs a cold hook about 0.2 ms, and the default presets hold about thirty
// patterns that almost never match. The prefilter only ever answers "cannot match"; when it
// passes, minimatch decides. test/lib/glob-prefilter.property.test.ts checks with random patterns
// and paths that it never rejects a path minimatch accepts.
//
// Reasoning: outside `**`, each pattern segment matches exactly one path segment, and a segment
// without magic characters matches only itself. So every literal segment must occur as a whole
// path segment, and the last pattern segment (unless it is `**`) constrains the last path segment:
// `name` exactly, `prefix*` by its start, `*suffix` by its end.

import { NON_ASCII } from './types.js';

/** Characters that make a segment more than a literal for minimatch (extglob, class, brace, escape). */
export const MAGIC = /[*?[\]{}()!+@\\]/;
// Case folding beyond ASCII differs between String#toLowerCase and a case-insensitive RegExp, so
// a case-insensitive prefilter only handles ASCII patterns and paths.

export interface Prefilter {
  /** Literal segments that must each be a whole segment of the path. */
  segments: string[];
  last?: { kind: 'exact' | 'prefix' | 'suffix'; text: string };
  nocase: boolean;
}

/** The prefilter of a relative minimatch pattern (dot: true), or undefined when none applies. */
export function prefilterOf(pattern: string, nocase: boolean): Prefilter | undefined {
  if (nocase && NON_ASCII.test(pattern)) return undefined;
  const fold = (s: string): string => (nocase ? s.toLowerCase() : s);
  const parts = pattern.split('/').filter((p) => p !== '');
  // minimatch folds `.` and `..` segments away (`a/../b` matches `b`): no literal reasoning there.
  if (parts.length === 0 || parts.some((p) => p === '.' || p === '..')) return undefined;
  const segments = parts.filter((p) => !MAGIC.test(p)).map(fold);
  const tail = parts[parts.length - 1] as string;
  let last: Prefilter['last'];
  if (!MAGIC.test(tail)) last = { kind: 'exact', text: fold(tail) };
  else if (tail.length > 1 && tail.endsWith('*') && !MAGIC.test(tail.slice(0, -1))) last = { kind: 'prefix', text: fold(tail.slice(0, -1)) };
  else if (tail.length > 1 && tail.startsWith('*') && !MAGIC.test(tail.slice(1))) last = { kind: 'suffix', text: fold(tail.slice(1)) };
  if (segments.length === 0 && !last) return undefined;
  return { segments, ...(last ? { last } : {}), nocase };
}

/** `seg` occurs in `path` as a whole `/`-separated segment. */
function hasSegment(path: string, seg: string): boolean {
  for (let i = path.indexOf(seg); i >= 0; i = path.indexOf(seg, i + 1)) {
    const end = i + seg.length;
    if ((i === 0 || path.charCodeAt(i - 1) === 47) && (end === path.length || path.charCodeAt(end) === 47)) return true;
  }
  return false;
}

/** False only when the pattern cannot match `rel` (a relative path, `/`-separated, no trailing slash). */
export function mayMatch(f: Prefilter, rel: string): boolean {
  if (f.nocase && NON_ASCII.test(rel)) return true;
  const path = f.nocase ? rel.toLowerCase() : rel;
  if (f.last) {
    const name = path.slice(path.lastIndexOf('/') + 1);
    const t = f.last.text;
    if (f.last.kind === 'exact' ? name !== t : f.last.kind === 'prefix' ? !name.startsWith(t) : !name.endsWith(t)) return false;
  }
  for (const seg of f.segments) if (!hasSegment(path, seg)) return false;
  return true;
}
