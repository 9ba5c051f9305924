// The protected paths an unresolved path may stand for. A word only partly known (the output of
// `$(cat f)`, an unknown variable) keeps its known text around a placeholder. When the unknown part
// sits inside a name (`~/.config/hook<?>/config.json`, `.en<?>`) or before known names
// (`$XDG_CONFIG_HOME/<?>/config.json`), the known text pins the path near names a rule protects, and
// the model may have written the rest in an earlier call: that path is judged as each such name.
// An unknown LAST name in an unprotected folder (`> "$(cat f)"`, `~/<?>`) is not pinned to anything
// and stays the `unresolved` setting's concern, as before.
//
// Which names are tried for an unknown part, given the folder it is in:
//  - the folder's entries (the names that exist there; the pattern of the known text filters them);
//  - the next name of every anchored rule base under that folder (`hookwarden` for `~/.config`);
//  - when the part has known text of its own (`.en<?>`), every literal name of every rule
//    (`.env`, `.git`, `hookwarden`), so that a protected name not yet created counts too.
// The unknown part is taken as one name (no `/`): a value that holds a folder path is unresolved.
import * as fs from 'node:fs';
import { MAGIC } from './glob-prefilter.js';
import type { CompiledRule } from './rules.js';
import { UNRESOLVED_SEGMENT, type Budget, type Decision } from './types.js';

/** Paths tried for one target at most; past it the target stays unresolved (the setting decides). */
export const MAX_WITNESSES = 2048;
/** Entries read from one folder. */
const MAX_LISTED = 1024;

export interface Witness { decision: Exclude<Decision, 'allow'>; rule: CompiledRule }

/**
 * The strongest deny/ask `judgeOne` gives for a concrete path `p` may stand for, deny first;
 * undefined when there is none or `p` is not pinned (see above). `judgeOne` is the caller's rule
 * test for one concrete path (it may hold a trailing placeholder: `dir/<?>` under `dir/**`).
 */
export function judgeUnresolvedNames(p: string, floating: boolean, rules: CompiledRule[], budget: Budget, judgeOne: (candidate: string) => Witness | undefined): Witness | undefined {
  if (!p.startsWith('/') || !p.includes(UNRESOLVED_SEGMENT)) return undefined;
  const segs = p.slice(1).split('/');
  // A word that starts with an unknown part (`$OUT/result.txt`) is not placed under the folder it
  // was resolved against: that first part alone pins nothing (it may be any absolute folder).
  const first = segs.findIndex((s) => s.includes(UNRESOLVED_SEGMENT));
  const pinned = (i: number): boolean => segs[i]!.includes(UNRESOLVED_SEGMENT)
    && (segs[i] !== UNRESOLVED_SEGMENT || (i < segs.length - 1 && !(floating && i === first)));
  if (!segs.some((_, i) => pinned(i))) return undefined;
  let literalNames: string[] | undefined;
  let tried = 0;
  let ask: Witness | undefined;
  const walk = (prefix: string, i: number): Witness | undefined => {
    // The path with the rest still unknown: a protected folder reached here decides at once.
    const rest = segs.slice(i).join('/');
    const whole = rest === '' ? prefix || '/' : `${prefix}/${rest}`;
    if (++tried > MAX_WITNESSES) return undefined;
    budget.check('rule matching');
    const j = judgeOne(whole);
    if (j?.decision === 'deny') return j;
    if (j) ask ??= j;
    let k = i;
    while (k < segs.length && !pinned(k)) k++;
    if (k >= segs.length) return undefined;
    const parent = [prefix, ...segs.slice(i, k)].join('/');
    const seg = segs[k]!;
    const re = patternOf(seg);
    const names = new Set<string>();
    for (const n of listed(parent || '/')) if (re.test(n)) names.add(n);
    for (const n of nextBaseNames(rules, parent)) if (re.test(n)) names.add(n);
    if (seg !== UNRESOLVED_SEGMENT) for (const n of (literalNames ??= ruleLiteralNames(rules))) if (re.test(n)) names.add(n);
    for (const n of names) {
      if (n === '.' || n === '..') continue;
      const w = walk(`${parent}/${n}`, k + 1);
      if (w) return w;
      if (tried > MAX_WITNESSES) break;
    }
    return undefined;
  };
  return walk('', 0) ?? ask;
}

/** The segment as a whole-name pattern: known text literal, each unknown part any run of characters. */
function patternOf(seg: string): RegExp {
  const parts = seg.split(UNRESOLVED_SEGMENT).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`, 's');
}

function listed(dir: string): string[] {
  const out: string[] = [];
  let d: fs.Dir | undefined;
  try {
    d = fs.opendirSync(dir);
    for (let e = d.readSync(); e && out.length < MAX_LISTED; e = d.readSync()) out.push(e.name);
  } catch {
    // absent or unreadable: only the rules' names are tried
  } finally {
    try {
      d?.closeSync();
    } catch {
      // already closed
    }
  }
  return out;
}

/** The name after `parent/` in each anchored glob base below `parent`. */
function nextBaseNames(rules: CompiledRule[], parent: string): Set<string> {
  const out = new Set<string>();
  const prefix = parent.endsWith('/') ? parent : `${parent}/`;
  for (const r of rules) {
    if (r.effect === 'allow') continue;
    for (const g of r.paths) {
      if (g.base.length > prefix.length && g.base.startsWith(prefix)) out.add(g.base.slice(prefix.length).split('/')[0]!);
    }
  }
  return out;
}

/** Every name (segment without glob magic) in the deny/ask rules' bases and patterns. */
function ruleLiteralNames(rules: CompiledRule[]): string[] {
  const out = new Set<string>();
  for (const r of rules) {
    if (r.effect === 'allow') continue;
    for (const g of r.paths) {
      for (const s of g.base.split('/')) if (s) out.add(s);
      for (const pat of g.patterns) for (const s of pat.split('/')) if (s && !MAGIC.test(s)) out.add(s);
    }
  }
  return [...out];
}
