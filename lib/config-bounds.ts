// Bounds on a config's size that the schema cannot express: rules and globs per file, patterns
// per file and across the project layers, nested project folders. Each error names the file
// and, where there is one, the rule and field.
import * as fs from 'node:fs';
import { complexityProblem, expansions, MAX_FILE_PATTERNS, MAX_RULE_GLOBS, MAX_RULES } from './glob-limits.js';
import { GuardError } from './types.js';

/**
 * Bounds on how many rules and globs one file holds, checked on the parsed value before the
 * schema walks it (glob-limits.ts bounds each glob). Names the file, the rule and the field.
 */
export function checkCounts(raw: unknown, file: string): void {
  const rules = (raw as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules)) return;
  if (rules.length > MAX_RULES) throw new GuardError(`${file}: field rules: more than ${MAX_RULES} rules`, 'config');
  let patterns = 0;
  rules.forEach((r: unknown, i) => {
    if (r === null || typeof r !== 'object') return;
    const id = typeof (r as { id?: unknown }).id === 'string' ? ` (id ${JSON.stringify(((r as { id: string }).id).slice(0, 80))})` : '';
    let globs = 0;
    for (const field of ['paths', 'except'] as const) {
      const list = (r as Record<string, unknown>)[field];
      if (!Array.isArray(list)) continue;
      globs += list.length;
      if (globs > MAX_RULE_GLOBS) throw new GuardError(`${file}: rules[${i}]${id}: field ${field}: more than ${MAX_RULE_GLOBS} globs in one rule`, 'config');
      list.forEach((g: unknown, j) => {
        if (typeof g !== 'string') return;
        const where = `${file}: rules[${i}]${id}: field ${field}[${j}]`;
        const problem = complexityProblem(g);
        if (problem) throw new GuardError(`${where}: ${problem}`, 'config');
        const n = expansions(g);
        patterns += n === 'deep' ? 1 : n;
        if (patterns > MAX_FILE_PATTERNS) {
          throw new GuardError(`${where}: the file's globs expand to more than ${MAX_FILE_PATTERNS} patterns`, 'config');
        }
      });
    }
  });
}

/** Nested project folders (candidate roots) one call may have. */
export const MAX_PROJECT_ROOTS = 16;

export function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p, { throwIfNoEntry: false })?.isSymbolicLink() ?? false;
  } catch {
    return false; // unreadable: the open that follows reports it
  }
}

/** Patterns the file's globs expand to (validated files: every glob is within its bounds). */
export function patternCount(cfg: { rules?: { paths: string[]; except?: string[] }[] }): number {
  let n = 0;
  for (const r of cfg.rules ?? []) for (const g of [...r.paths, ...(r.except ?? [])]) n += expansions(g) as number;
  return n;
}

