// Targets + rules -> Verdict. Deny beats ask beats allow; the first denied target (in order) decides.
import { oneLine } from './errors.js';
import * as fs from 'node:fs';
import type { LoadedConfig } from './config.js';
import { displayPath, isDirectory, walkBeneath } from './paths.js';
import { ruleApplies, ruleMatches, subjectOf, type CompiledRule, type Subject } from './rules.js';
import { UNRESOLVED_SEGMENT, type Budget, type Decision, type Op, type Target, type Verdict } from './types.js';
import { judgeUnresolvedNames, type Witness } from './unresolved-names.js';

export interface DecideContext {
  root: string;
  home: string;
  platform: NodeJS.Platform;
  budget: Budget;
}

/** How one target came out. */
interface Judgement {
  decision: Decision;
  rule?: CompiledRule;
  /** For a directory delete/move: the protected path found beneath it. */
  beneath?: string;
  /** Why, when no rule decided (unresolved target, truncated walk). */
  note?: string;
  layer?: string;
  unresolved?: boolean;
  /** Decided as an operand of this unknown command. */
  unknownCommand?: string;
}

const OPWORD: Record<Op, string> = {
  write: 'write to', delete: 'delete of', 'move-from': 'move of', 'move-to': 'move to', read: 'read of',
};

export function decide(targets: Target[], tool: string, config: LoadedConfig, ctx: DecideContext): Verdict {
  let unresolved = targets.some((t) => t.unresolved === true);
  let ask: [Target, Judgement] | undefined;
  let allow: [Target, Judgement] | undefined;
  for (const t of targets) {
    ctx.budget.check('rule matching');
    const j = t.unknownCommand === undefined ? judge(t, tool, config, ctx) : judgeUnknown(t, tool, config, ctx);
    if (j.unresolved) unresolved = true;
    if (j.decision === 'deny') return verdict(t, j, targets, unresolved, ctx);
    if (j.decision === 'ask') ask ??= [t, j];
    else if (j.rule || j.note) allow ??= [t, j];
  }
  if (ask) return verdict(ask[0], ask[1], targets, unresolved, ctx);
  if (allow) return verdict(allow[0], allow[1], targets, unresolved, ctx);
  return { decision: 'allow', targets, unresolved };
}

function judge(t: Target, tool: string, config: LoadedConfig, ctx: DecideContext): Judgement {
  const subject = subjectOf(t.path, ctx.platform);
  // A link keeps its own name: `.env -> elsewhere` is still a write to `.env`.
  const named = t.lexical !== undefined ? subjectOf(t.lexical, ctx.platform) : undefined;
  let ask: CompiledRule | undefined;
  let allow: CompiledRule | undefined;
  for (const r of config.rules) {
    // Matching builds minimatch objects on first use and a config may hold thousands of patterns:
    // that time is the decision's too.
    ctx.budget.check('rule matching');
    if (!ruleApplies(r, t.op, tool) || !(ruleMatches(r, subject) || (named !== undefined && ruleMatches(r, named)))) continue;
    if (r.effect === 'deny') return { decision: 'deny', rule: r };
    if (r.effect === 'ask') ask ??= r;
    else allow ??= r;
  }
  // A path only partly known may stand for a protected one (lib/unresolved-names.ts).
  if ((t.unresolved || t.prefix) && t.path.includes(UNRESOLVED_SEGMENT)) {
    const w = judgeUnresolvedNames(t.path, t.floating === true, config.rules, ctx.budget, (c) => strongest(subjectOf(c, ctx.platform), t.op, tool, config, ctx));
    if (w?.decision === 'deny') return { decision: 'deny', rule: w.rule };
    if (w) ask ??= w.rule;
  }
  // Deleting or moving a directory takes everything beneath it along (hard-linking it too).
  // A folder copied, moved or linked TO t.path fills it, existing or not: what it may create
  // beneath (`~/.config/hookwarden/config.json` when `~/.config` is absent) is checked too.
  const fills = t.beneath === true && (t.op === 'write' || t.op === 'move-to');
  // `ln -sfn DIR name` over an existing link replaces the link: beneath the name is then DIR's,
  // not the old target's (which is not written): rules anchored beneath the name are what count.
  const relinks = fills && t.via === 'ln' && t.lexical !== undefined && named !== undefined;
  if (!t.unresolved && (t.op === 'delete' || t.op === 'move-from' || t.beneath) && (fills || isDirectory(t.path))) {
    const b = relinks ? beneath({ ...t, path: t.lexical! }, named!, tool, config, ctx, true, false) : beneath(t, subject, tool, config, ctx, fills);
    if (b && (b.decision === 'deny' || !ask)) return b;
  }
  // A written path wholly unknown before the command runs (`> "$(cat f)"`) may be any path, so any
  // protected one: `unknownTargets` decides, whatever allow rule its placeholder spelling matched.
  const floating = config.unknownTargets;
  if (t.floating === true && t.given !== true && t.opaque !== true && t.op !== 'read' && floating !== 'allow' && (floating === 'deny' || !ask)) {
    const lead = floating === 'deny' ? 'blocked' : 'confirm';
    const word = t.literal ?? displayPath(t.path, ctx.root, ctx.home);
    const layer = config.unknownTargetsLayer;
    return { decision: floating, note: `${lead} ${OPWORD[t.op]} a path not known until the command runs: ${word} (${t.via})`, unresolved: true, ...(layer ? { layer } : {}) };
  }
  if (ask) return { decision: 'ask', rule: ask };
  if (t.unresolved && !allow) {
    const what = `target of ${t.via} (${t.literal ?? displayPath(t.path, ctx.root, ctx.home)})`;
    const layer = config.unresolvedLayer;
    if (config.unresolved === 'allow') return { decision: 'allow', note: `unresolved ${what}`, unresolved: true };
    return { decision: config.unresolved, note: `cannot resolve ${what}`, unresolved: true, ...(layer ? { layer } : {}) };
  }
  return allow ? { decision: 'allow', rule: allow } : { decision: 'allow' };
}

/** The first deny rule matching `subject`, else the first ask rule. */
function strongest(subject: Subject, op: Op, tool: string, config: LoadedConfig, ctx: DecideContext): Witness | undefined {
  let ask: Witness | undefined;
  for (const r of config.rules) {
    ctx.budget.check('rule matching');
    if (r.effect === 'allow' || !ruleApplies(r, op, tool) || !ruleMatches(r, subject)) continue;
    if (r.effect === 'deny') return { decision: 'deny', rule: r };
    ask ??= { decision: 'ask', rule: r };
  }
  return ask;
}

/**
 * An operand of a command the guard does not know: it may be written, so a protected one is
 * judged as a write under `unknownCommands` (never laxer than the rule); an unprotected or
 * unresolved one is no concern of the `unresolved` setting (the command may not touch it at all).
 */
function judgeUnknown(t: Target, tool: string, config: LoadedConfig, ctx: DecideContext): Judgement {
  const j = judge({ ...t, unresolved: false }, tool, config, ctx);
  if (!j.rule || j.decision === 'allow') return { decision: 'allow' };
  const mode = config.unknownCommands;
  const decision = mode === 'allow' ? 'allow' : mode === 'ask' || j.decision === 'ask' ? 'ask' : 'deny';
  if (decision === 'allow') return { decision: 'allow', note: `allowed ${t.via} on a protected path (unknownCommands allow)` };
  return { ...j, decision, unknownCommand: t.unknownCommand };
}

/** A deny/ask rule matching something beneath the directory `t.path`, or the unresolved setting past the bound. */
function beneath(t: Target, dir: Subject, tool: string, config: LoadedConfig, ctx: DecideContext, fills = false, walk = true): Judgement | undefined {
  const guards = config.rules.filter((r) => r.effect !== 'allow' && ruleApplies(r, t.op, tool));
  if (guards.length === 0) return undefined;
  let ask: Judgement | undefined;
  const hit = (r: CompiledRule, p: string): Judgement | undefined => {
    const j: Judgement = { decision: r.effect === 'deny' ? 'deny' : 'ask', rule: r, beneath: p };
    if (j.decision === 'deny') return j;
    ask ??= j;
    return undefined;
  };
  // Anchored globs first (`~/.ssh/**` under `rm -rf ~`): one lstat each instead of a walk that
  // might give up before it reaches them.
  const prefix = dir.key.endsWith('/') ? dir.key : `${dir.key}/`;
  for (const r of guards) {
    ctx.budget.check('rule matching');
    for (const g of r.paths) {
      if (g.base === '' || !g.baseKey.startsWith(prefix) || !ruleMatches(r, subjectOf(g.base, ctx.platform))) continue;
      if (!fills && !exists(g.base)) continue; // a fill may create it
      const j = hit(r, g.base);
      if (j) return j;
    }
  }
  if (!walk) return ask;
  let found: Judgement | undefined;
  const result = walkBeneath(t.path, { maxEntries: config.limits.walkEntries, budget: ctx.budget }, (abs) => {
    const s = subjectOf(abs, ctx.platform);
    // Past the budget: stop; the check after the walk blocks.
    if (ctx.budget.expired()) return true;
    for (const r of guards) {
      if (ruleMatches(r, s)) found = hit(r, abs);
      if (found) return true; // a deny: stop walking
    }
    return false;
  });
  // The walk stops quietly at the deadline; past the budget is a block, not "truncated".
  ctx.budget.check('directory walk');
  if (found) return found;
  if (result !== 'truncated') return ask;
  const what = `everything beneath ${displayPath(t.path, ctx.root, ctx.home)} for ${t.via}`;
  const layer = config.unresolvedLayer;
  if (config.unresolved === 'deny') return { decision: 'deny', note: `cannot check ${what}`, ...(layer ? { layer } : {}) };
  if (ask) return { ...ask, unresolved: true };
  if (config.unresolved === 'ask') return { decision: 'ask', note: `cannot check ${what}`, unresolved: true, ...(layer ? { layer } : {}) };
  return { decision: 'allow', note: `did not check ${what}`, unresolved: true };
}

/** Unreadable counts as absent here: the walk that follows reports what it cannot see. */
function exists(p: string): boolean {
  try {
    return fs.lstatSync(p, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false;
  }
}

function verdict(t: Target, j: Judgement, targets: Target[], unresolved: boolean, ctx: DecideContext): Verdict {
  const v: Verdict = { decision: j.decision, target: t, targets, unresolved };
  const r = j.rule;
  if (r) {
    v.rule = r.id;
    v.layer = r.layer;
    const shown = displayPath(t.path, ctx.root, ctx.home);
    const what = j.beneath ? `${shown}, which holds ${displayPath(j.beneath, ctx.root, ctx.home)}` : shown;
    const lead = j.decision === 'deny' ? 'blocked' : j.decision === 'ask' ? 'confirm' : 'allowed';
    // An unknown command's operand: say which command the guard did not know, not how to avoid it.
    const by = j.unknownCommand === undefined ? '' : ` by ${j.unknownCommand}, whose effect on it the guard does not know`;
    v.reason = `${lead} ${OPWORD[t.op]} ${what}${by} (rule ${r.id}): ${r.reason}`;
  } else if (j.note) {
    v.reason = j.note;
    if (j.layer) v.layer = j.layer;
  }
  if (v.reason !== undefined) v.reason = reasonLine(v.reason);
  return v;
}

/** Reasons are one line: literals, tool names and configured reasons may hold control characters. */
const reasonLine = (s: string): string => oneLine(s, { escape: true, max: 1000 });
