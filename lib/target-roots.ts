// A user rule relative to "the project" (`deploy/**`) is anchored at the project of the call's
// directory. A call made from elsewhere (cwd /tmp, a Write to /repo/deploy/app.yaml) would then
// escape it: the target's own project is another one. So the deny and ask rules of the user's own
// layers (built-in, user, HOOKWARDEN_CONFIG) are anchored at every project root of every target
// too. A project layer's rules stay relative to the folder that holds them.
import * as path from 'node:path';
import type { LoadedConfig } from './config.js';
import { MAX_PROJECT_ROOTS } from './config-bounds.js';
import { findProjectRoots, lookupKind, type LookupCache } from './paths.js';
import { compileRule, isRootRelative, type CompiledRule } from './rules.js';
import { GuardError, type Budget, type Target } from './types.js';

/** What makes a folder a project of its own (as in paths/project.ts: a home only through the first two). */
const HOME_MARKERS = ['.git', '.hookwarden'];
const MARKERS = [...HOME_MARKERS, '.codex', '.claude'];


/** Distinct target projects one call may reach beyond its own (each anchors every such rule once more). */
const MAX_TARGET_ROOTS = MAX_PROJECT_ROOTS;

/** `config` with its root-relative deny/ask rules also anchored at the targets' own project roots. */
export function withTargetRoots(config: LoadedConfig, targets: readonly Target[], budget: Budget, view?: LookupCache): LoadedConfig {
  const g = config.glob;
  if (!g) return config;
  const homes = g.homes ?? [g.home];
  const known = new Set(config.roots);
  const extra: string[] = [];
  const seenDirs = new Set<string>();
  for (const t of targets) {
    if (t.unresolved) continue;
    for (const p of new Set([t.path, t.lexical ?? t.path])) {
      const dir = path.posix.dirname(p);
      if (seenDirs.has(dir)) continue;
      seenDirs.add(dir);
      budget.check('project roots of the targets');
      for (const r of findProjectRoots(dir, homes, view).candidates) {
        // A folder with no marker is no project (findProjectRoots falls back to the directory itself).
        const markers = homes.includes(r) ? HOME_MARKERS : MARKERS;
        if (known.has(r) || !markers.some((m) => lookupKind(path.posix.join(r, m), view) !== 'missing')) continue;
        known.add(r);
        extra.push(r);
      }
    }
  }
  if (extra.length === 0) return config;
  if (extra.length > MAX_TARGET_ROOTS) throw new GuardError(`the call's targets lie in more than ${MAX_TARGET_ROOTS} other projects`, 'tool_input');
  const kinds = new Map(config.layers.map((l) => [l.name, l.kind]));
  const rules = config.rules.map((r): CompiledRule => {
    if (r.effect === 'allow' || kinds.get(r.layer) === 'project') return r;
    if (![...r.source.paths, ...(r.source.except ?? [])].some((p) => isRootRelative(p, g))) return r;
    budget.check('loading the config');
    const more = compileRule(r.source, r.layer, { ...g, roots: extra });
    return { ...r, views: [...r.views, ...more.views], paths: [...r.paths, ...more.paths] };
  });
  return { ...config, rules };
}
