// The commands a call runs against the command rules: deny beats ask beats allow; the first
// deciding command (in the order the analysis found them) is the one reported. Commands inside
// a container are judged as the container's (container.ts).
import { homesOf } from '../paths/home.js';
import { newLookupCache } from '../paths/normalize.js';
import type { Budget, Decision } from '../types.js';
import type { SeenCommand } from '../targets/shell/seen.js';
import path from 'node:path';
import { U } from '../targets/shell/context.js';
import { containerCommand, hostPathOf, innerCommands, type ContainerView } from './container.js';
import { ruleMatchesCommand, rulesFor, type CommandIndex, type CompiledCommandRule, type MatchContext } from './match.js';
import { tempFolders, type PlaceContext } from './places.js';
import { ranBy, REMOTE_HOME, runsOther } from './runners.js';

export interface CommandJudgement {
  decision: Decision;
  rule: CompiledCommandRule;
  command: SeenCommand;
  /** The command ran inside a container. */
  container?: boolean;
}

export interface JudgeContext {
  root: string;
  roots: readonly string[];
  home: string;
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  budget: Budget;
  maxDepth: number;
}

const CONTAINER_TOOLS = new Set(['docker', 'podman', 'nerdctl', 'kubectl', 'oc', 'docker-compose', 'podman-compose']);

export function judgeCommands(seen: readonly SeenCommand[], index: CommandIndex, ctx: JudgeContext): CommandJudgement | undefined {
  if (index.size === 0 || seen.length === 0) return undefined;
  // Call sites, not analyses: a loop body is walked more than once.
  const sites = new Map<string, Map<object, Set<number>>>();
  for (const c of seen) {
    if (c.fn === undefined || c.fn !== c.name) continue;
    const bySrc = sites.get(c.name) ?? new Map<object, Set<number>>();
    sites.set(c.name, bySrc);
    const src = c.site?.src ?? c;
    const set = bySrc.get(src) ?? new Set<number>();
    bySrc.set(src, set);
    set.add(c.site?.pos ?? -1);
  }
  const selfCalls = new Map([...sites].map(([k, v]) => [k, [...v.values()].reduce((n, s) => n + s.size, 0)]));
  const places = { root: ctx.root, roots: ctx.roots, homes: homesOf(ctx.home), temps: tempFolders(ctx.env), platform: ctx.platform, cache: newLookupCache() };
  const glob = { root: ctx.root, roots: ctx.roots, home: places.homes[0] ?? ctx.home, homes: places.homes, env: ctx.env, platform: ctx.platform };
  const m: MatchContext = { places, selfCalls, glob };
  let ask: CommandJudgement | undefined;
  let allow: CommandJudgement | undefined;
  const visit = (cmds: readonly SeenCommand[], mc: MatchContext, depth: number): CommandJudgement | undefined => {
    for (const c of cmds) {
      const rules = c.unknownName ? index.unnamed : rulesFor(index, c.name, c.fn === c.name);
      for (const r of rules) {
        ctx.budget.check('command rules');
        if (!ruleMatchesCommand(r, c, mc)) continue;
        const j: CommandJudgement = { decision: r.effect, rule: r, command: c, ...(mc.container ? { container: true } : {}) };
        if (r.effect === 'deny') return j;
        if (r.effect === 'ask') ask ??= j;
        else allow ??= j;
      }
      if (depth < 3 && runsOther(c)) {
        const ran = ranBy(c, { home: ctx.home, env: ctx.env, budget: ctx.budget, maxDepth: ctx.maxDepth, named: (n) => named(index, n) });
        if (ran) {
          const found = visit(ran.commands, ran.remote ? { places: remotePlaces(places), selfCalls: mc.selfCalls, glob: mc.glob } : ran.root !== undefined ? rooted(mc, ran.root, c.cwd) : mc, depth + 1);
          if (found) return found;
        }
      }
      if (CONTAINER_TOOLS.has(c.name) && depth < 3) {
        const inner = containerCommand(c, c.cwd);
        if (inner) {
          const view: ContainerView = mc.container ? { mounts: [] } : inner.view;
          const found = visit(innerCommands(inner, ctx.budget, ctx.maxDepth), { ...mc, container: view }, depth + 1);
          if (found) return found;
        }
      }
    }
    return undefined;
  };
  return visit(seen, m, 0) ?? visit(throughFunctions(seen), m, 0) ?? ask ?? allow;
}

/**
 * Below `chroot DIR`: a path P there is DIR/P where the chroot runs (the host, or a container
 * whose mounts say which host folder DIR is); a DIR no mount shows is the container's own.
 */
function rooted(mc: MatchContext, dir: string, cwd: string): MatchContext {
  if (dir.includes(U) || cwd.includes(U)) return { ...mc, container: { mounts: [] } };
  const at = path.posix.resolve(cwd, dir);
  const host = mc.container ? hostPathOf(at, mc.container) : at;
  if (host === '/' && !mc.container) return mc;
  return { ...mc, container: { mounts: host === undefined ? [] : [[host, '/']] } };
}

/** Whether a rule names this command (exactly or by prefix). */
function named(index: CommandIndex, name: string): boolean {
  return index.byName.has(name) || index.prefixed.some(([p]) => name.startsWith(p));
}

/**
 * Places on another machine (`ssh HOST CMD`): no folder there is the project or this machine's
 * home; its home is the remote one, its temp folders the usual ones.
 */
function remotePlaces(local: PlaceContext): PlaceContext {
  return { ...local, root: '\u0000remote', roots: [], homes: [REMOTE_HOME], temps: tempFolders({}) };
}

const ALL_PARAMS = new Set(['"$@"', '$@', '"$*"', '$*', '"${@}"', '${@}']);
const ONE_PARAM = /^"?\$\{?([1-9])\}?"?$/;

/**
 * A function body is analyzed once, with unknown parameters: its commands are judged again for
 * each call of the function found, with the call's arguments in place of `"$@"` and `"$1"`...
 * (`p() { git push "$@"; }; p --force` is a force push).
 */
function throughFunctions(seen: readonly SeenCommand[]): SeenCommand[] {
  const out: SeenCommand[] = [];
  const calls = new Map<string, SeenCommand[]>();
  for (const c of seen) if (c.fn !== undefined) calls.set(c.fn, []);
  if (calls.size === 0) return out;
  for (const c of seen) calls.get(c.name)?.push(c);
  for (const c of seen) {
    if (c.fn === undefined || !c.args.some((a) => ALL_PARAMS.has(a.literal) || ONE_PARAM.test(a.literal))) continue;
    for (const call of (calls.get(c.fn) ?? []).slice(0, 16)) {
      const args = c.args.flatMap((a) => {
        if (ALL_PARAMS.has(a.literal)) return call.args;
        const m = ONE_PARAM.exec(a.literal);
        return m ? call.args.slice(Number(m[1]) - 1, Number(m[1])) : [a];
      });
      out.push({ ...c, args, fn: undefined });
    }
  }
  return out;
}
