// Bounds on a config's size that the schema cannot express: rules and globs per file, patterns
// per file and across the project layers, nested project folders. Each error names the file
// and, where there is one, the rule and field.
import * as fs from 'node:fs';
import { globCost, MAX_FILE_PATTERNS, MAX_RULE_GLOBS, MAX_RULES } from './glob-limits.js';
import { GuardError } from './types.js';

/**
 * Bounds on how many rules and globs one file holds, checked on the parsed value before the
 * schema walks it (glob-limits.ts bounds each glob). Names the file, the rule and the field.
 * Returns the patterns the file's globs expand to (the project layers' sum is bounded too).
 */
export function checkCounts(raw: unknown, file: string): number {
  const rules = (raw as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules)) return 0;
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
        const cost = globCost(g);
        if (cost.problem) throw new GuardError(`${where}: ${cost.problem}`, 'config');
        patterns += cost.patterns;
        if (patterns > MAX_FILE_PATTERNS) {
          throw new GuardError(`${where}: the file's globs expand to more than ${MAX_FILE_PATTERNS} patterns`, 'config');
        }
      });
    }
  });
  return patterns;
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
