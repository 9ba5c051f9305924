// Bounds on what a config's globs may cost. A glob is compiled by minimatch into one regular
// expression per brace expansion, so `**/{a,b}{a,b}...` (17 groups: 131,072 expansions) written
// 45 times in a cloned repository's config cost 50 s and 3.8 GB before these bounds. Everything
// here is a static look at the text, linear in its length: nothing is expanded to be measured.

/** Longest glob accepted (characters). */
export const MAX_GLOB_CHARS = 1024;
/** Patterns one glob may expand to (`{a,b}{c,d}` is 4). */
export const MAX_GLOB_EXPANSIONS = 64;
/** Braces inside braces (`{a,{b,c}}` is 2). */
export const MAX_BRACE_DEPTH = 3;
/** Rules in one config file. */
export const MAX_RULES = 500;
/** Globs in one rule (`paths` and `except` together). */
export const MAX_RULE_GLOBS = 128;
/** Patterns after brace expansion in one config file, all rules together. */
export const MAX_FILE_PATTERNS = 2048;

const EXTGLOB = /[?*+@!]\(/;

/** Why the glob is too complex to accept, or undefined. */
export function complexityProblem(glob: string): string | undefined {
  return globCost(glob).problem;
}

/** What a glob costs: the patterns it expands to (counted once), or why it is too complex. */
export function globCost(glob: string): { problem?: string; patterns: number } {
  const problem = (why: string) => ({ problem: why, patterns: 0 });
  if (glob.length > MAX_GLOB_CHARS) return problem(`must be at most ${MAX_GLOB_CHARS} characters`);
  // Extglobs become nested regular-expression groups (`+(a|aa)b`): backtracking whose cost
  // depends on the path. Refused rather than read literally: a deny rule that silently matched
  // nothing would fail open.
  if (EXTGLOB.test(glob.replace(/\\./g, ''))) return problem('extglob patterns like "+(a|b)" are not supported (use braces: "{a,b}")');
  if (!bracesBalanced(glob)) return problem('unbalanced braces (write a literal brace as "\\{" or "\\}")');
  const n = expansions(glob);
  if (n === 'deep') return problem(`braces must not be nested more than ${MAX_BRACE_DEPTH} deep`);
  if (n > MAX_GLOB_EXPANSIONS) return problem(`expands to more than ${MAX_GLOB_EXPANSIONS} patterns (braces)`);
  return { patterns: n };
}

/**
 * An upper bound on the number of patterns brace expansion makes of `glob` (exact for
 * well-formed braces; an unbalanced `{` is counted as literal, as minimatch treats it).
 * Sequences `{1..100}` / `{a..z}` count their length. 'deep' when nesting passes the bound.
 */
export function expansions(glob: string): number | 'deep' {
  const close = matchingBraces(glob);
  let deep = false;
  /** Product over the items of glob[from, to) (alternatives split by top-level commas are summed by the caller). */
  const seq = (from: number, to: number, depth: number): number => {
    let total = 1;
    for (let i = from; i < to; i++) {
      const c = glob[i];
      if (c === '\\') {
        i++;
        continue;
      }
      if (c !== '{') continue;
      const end = close.get(i);
      if (end === undefined || end >= to) continue; // unbalanced here: literal
      if (depth + 1 > MAX_BRACE_DEPTH) {
        deep = true;
        return 1;
      }
      total = Math.min(total * group(i + 1, end, depth + 1), Number.MAX_SAFE_INTEGER);
      i = end;
    }
    return total;
  };
  const group = (from: number, to: number, depth: number): number => {
    const commas = topLevelCommas(glob, from, to, close);
    if (commas.length === 0) return Math.max(1, sequenceLength(glob.slice(from, to)) ?? seq(from, to, depth));
    let sum = 0;
    let start = from;
    for (const at of [...commas, to]) {
      sum = Math.min(sum + seq(start, at, depth), Number.MAX_SAFE_INTEGER);
      start = at + 1;
    }
    return sum;
  };
  const n = seq(0, glob.length, 0);
  return deep ? 'deep' : n;
}

/**
 * Every unescaped `{` has its `}` and the other way round. brace-expansion gives stray braces
 * bash's meanings (`a{},b}c` is two patterns), which a count of balanced groups would miss.
 */
export function bracesBalanced(s: string): boolean {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '{') depth++;
    else if (c === '}' && --depth < 0) return false;
  }
  return depth === 0;
}

/** Index of each `{` to its matching `}` (escapes skipped); unmatched braces are absent. */
function matchingBraces(s: string): Map<number, number> {
  const out = new Map<number, number>();
  const open: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '{') open.push(i);
    else if (c === '}') {
      const o = open.pop();
      if (o !== undefined) out.set(o, i);
    }
  }
  return out;
}

function topLevelCommas(s: string, from: number, to: number, close: Map<number, number>): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) {
    const c = s[i];
    if (c === '\\') i++;
    else if (c === '{') i = Math.min(close.get(i) ?? i, to);
    else if (c === ',') out.push(i);
  }
  return out;
}

/** Length of a `{x..y}` or `{x..y..step}` sequence, or undefined when `body` is not one. */
function sequenceLength(body: string): number | undefined {
  const num = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(body);
  if (num) {
    const step = Math.abs(Number(num[3] ?? 1)) || 1;
    return Math.floor(Math.abs(Number(num[2]) - Number(num[1])) / step) + 1;
  }
  const alpha = /^([A-Za-z])\.\.([A-Za-z])(?:\.\.(-?\d+))?$/.exec(body);
  if (alpha) {
    const step = Math.abs(Number(alpha[3] ?? 1)) || 1;
    return Math.floor(Math.abs(alpha[2]!.charCodeAt(0) - alpha[1]!.charCodeAt(0)) / step) + 1;
  }
  return undefined;
}
