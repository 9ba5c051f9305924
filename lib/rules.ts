// Rule schema (zod/mini: on the hook's start-up path) and rules compiled to path matchers.
import { Minimatch } from 'minimatch';
import * as z from 'zod/mini';
import { MAGIC, mayMatch, prefilterOf, type Prefilter } from './glob-prefilter.js';
import { complexityProblem, MAX_GLOB_EXPANSIONS } from './glob-limits.js';
import { caseInsensitive } from './paths.js';
import { xdgDir, xdgDirs } from './paths/home.js';
import type { Effect, Op } from './types.js';
import { CommandRuleSchema } from './commands/schema.js';

export const RULE_OPS = ['write', 'delete', 'move', 'move-from', 'move-to', 'read'] as const;
export type RuleOp = (typeof RULE_OPS)[number];
export const DEFAULT_OPS: RuleOp[] = ['write', 'delete', 'move'];
export const GLOB_VARIABLES = ['HOME', 'XDG_CONFIG_HOME', 'XDG_STATE_HOME'] as const;
const VAR_AT_START = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/;
const ANY_VAR = /\$(?:\{|[A-Za-z_])/;

/** Why a glob is not accepted, or undefined. Static checks only: no Minimatch is built here. */
export function globProblem(glob: string): string | undefined {
  if (glob.length === 0) return 'must not be empty';
  const complex = complexityProblem(glob);
  if (complex) return complex;
  if (glob.includes('\0')) return 'must not contain NUL';
  if (glob.startsWith('!')) return 'negated globs are not supported (use "except")';
  if (glob.startsWith('#')) return 'must not start with "#"';
  if (/^~[^/]/.test(glob)) return '"~user" is not supported (use "~/")';
  const v = VAR_AT_START.exec(glob);
  if (v) {
    const name = v[1] ?? v[2] ?? '';
    if (!(GLOB_VARIABLES as readonly string[]).includes(name)) {
      return `unknown variable $${name} (only ${GLOB_VARIABLES.map((n) => '$' + n).join(', ')})`;
    }
    const after = glob.slice(v[0].length);
    if (after !== '' && !after.startsWith('/')) return `$${name} must be followed by "/"`;
    if (ANY_VAR.test(after)) return 'a variable may only start the glob';
  } else if (ANY_VAR.test(glob)) {
    return 'a variable may only start the glob';
  }
  const segments = glob.replace(/^(\.\/)+/, '').split(/[/\\]/);
  if (segments.some((s) => s === '..' || s === '.')) return '"." and ".." segments are not supported';
  return undefined;
}

const Glob = z.string().check(
  z.superRefine((g, ctx) => {
    const problem = globProblem(g);
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: g });
  }),
);
const ToolName = z.string().check(z.regex(/^[^\s*]+\*?$/, 'must be a tool name, optionally ending in "*"'));

const d = z.describe;
export const RuleSchema = z.strictObject({
  id: z.string().check(z.regex(/^[A-Za-z0-9._-]+$/, 'must be non-empty and use only A-Z a-z 0-9 . _ -'),
    d('Unique id; a higher layer may replace an unlocked rule of a lower layer by using its id.')),
  effect: z.enum(['deny', 'allow', 'ask']).check(d('deny beats ask beats allow')),
  ops: z._default(z.array(z.enum(RULE_OPS)).check(z.minLength(1)), DEFAULT_OPS)
    .check(d('Operations covered; "move" is both move-from and move-to.')),
  paths: z.array(Glob).check(z.minLength(1), d(
    'minimatch globs (dot: true). "**/x" matches anywhere on the file system; "~/x" is under home; '
    + '$HOME, $XDG_CONFIG_HOME, $XDG_STATE_HOME may start a glob; other relative globs are relative to the project root; '
    + '"dir/**" also covers dir itself.',
  )),
  except: z.optional(z.array(Glob).check(d('Globs (same syntax) this rule does not apply to.'))),
  tools: z.optional(z.array(ToolName).check(z.minLength(1), d('Only for these tools; a trailing "*" matches any suffix (mcp__srv__*).'))),
  reason: z.optional(z.string().check(z.minLength(1), d('Told to the model when the rule blocks.'))),
  locked: z._default(z.boolean(), false).check(d('A higher layer cannot replace this rule.')),
});
export type Rule = z.output<typeof RuleSchema>;
export type RuleInput = z.input<typeof RuleSchema>;

/** A built-in preset as stored in rules/*.json. */
export const PresetSchema = z.strictObject({
  $schema: z.optional(z.string()),
  name: z.string().check(z.regex(/^[a-z0-9-]+$/)),
  description: z.string(),
  /** On when no config says otherwise. */
  enabled: z.boolean(),
  rules: z.array(RuleSchema),
  /** Command rules (lib/commands/schema.ts). */
  commands: z.optional(z.array(CommandRuleSchema)),
});
export type Preset = z.output<typeof PresetSchema>;

const DEFAULT_REASON: Record<Effect, string> = {
  deny: 'this path is protected',
  ask: 'this path needs confirmation',
  allow: 'allowed by configuration',
};

/** What globs are resolved against. */
export interface GlobContext {
  root: string;
  home: string;
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  /** Every home `~` covers (default: [home]); see paths/home.ts homesOf. */
  homes?: readonly string[];
  /** Where a deny or ask rule's relative globs are anchored (default: [root]); allow rules use `root` only. */
  roots?: readonly string[];
  /**
   * The spellings of a literal base that targets can take (the path through every link, and as
   * written); default: the base as written. A rule base must be normalized exactly like a target,
   * or `HOME=/home/me` misses writes to `/data/home/me` when /home is a link.
   */
  spell?: (base: string) => readonly string[];
}

/**
 * A glob split into a literal absolute directory (`base`, '' = anywhere) and the pattern below it.
 * Matching a base by prefix keeps root and home out of minimatch (no escaping) and makes most
 * non-matches a failed `startsWith`.
 */
export interface CompiledGlob {
  glob: string;
  /** Literal absolute prefix as written (for existence checks); '' for `**` globs. */
  base: string;
  /** `base` folded for comparison (lower case on case-insensitive platforms). */
  baseKey: string;
  /** The base itself matches (`dir`, `dir/**`). */
  self: boolean;
  /** Patterns relative to base ('' base: the whole path without leading slashes). */
  patterns: string[];
  nocase: boolean;
  /** Per pattern: a cheap test that rules a path out before any Minimatch is built. */
  filters: (Prefilter | undefined)[];
  /** Per pattern, built on first use: most patterns are ruled out by their filter (shared by spellings of one glob). */
  mm?: (Minimatch | undefined)[];
}

/** A rule as seen from one anchoring of its relative globs. */
export interface RuleView {
  paths: CompiledGlob[];
  except: CompiledGlob[];
}

export interface CompiledRule {
  id: string;
  effect: Effect;
  ops: ReadonlySet<Op>;
  reason: string;
  locked: boolean;
  /** `builtin:<preset>` or the config file path. */
  layer: string;
  /** Every glob of every view (for lookups by base). */
  paths: CompiledGlob[];
  /** The first view's exceptions. */
  except: CompiledGlob[];
  /** The rule matches a path when, in some view, a `paths` glob matches and no `except` glob does. */
  views: RuleView[];
  tools?: { exact: ReadonlySet<string>; prefixes: string[] };
  source: Rule;
}


function slashes(p: string, win: boolean): string {
  const s = win ? p.replace(/\\/g, '/') : p;
  return s.length > 1 ? s.replace(/\/+$/, '') : s;
}

export { xdgDir };

/** Where a glob is anchored: its candidate bases (before literal segments are hoisted) and the rest. */
function anchor(glob: string, g: GlobContext, all: boolean): { bases: readonly string[]; rest: string; relative: boolean } {
  let s = g.platform === 'win32' ? glob.replace(/\\/g, '/') : glob;
  s = s.replace(/^(\.\/)+/, '');
  const homes = all ? g.homes ?? [g.home] : [g.home];
  const v = VAR_AT_START.exec(s);
  if (s === '**' || s.startsWith('**/')) return { bases: [''], rest: s, relative: false };
  if (s === '~' || s.startsWith('~/')) return { bases: homes, rest: s.slice(2), relative: false };
  if (v) {
    const name = v[1] ?? v[2];
    const rest = s.slice(v[0].length + 1);
    if (name === 'HOME') return { bases: homes, rest, relative: false };
    const xdg = name as 'XDG_CONFIG_HOME' | 'XDG_STATE_HOME';
    return { bases: all ? xdgDirs(xdg, homes, g.env) : [xdgDir(xdg, g.home, g.env)], rest, relative: false };
  }
  if (s.startsWith('/')) return { bases: [''], rest: s.replace(/^\/+/, ''), relative: false };
  if (g.platform === 'win32' && /^[A-Za-z]:\//.test(s)) return { bases: [s.slice(0, 2)], rest: s.slice(3), relative: false };
  return { bases: all ? g.roots ?? [g.root] : [g.root], rest: s, relative: true };
}

/** The glob with its base as written (`~` is `g.home`, a relative glob is under `g.root`). */
export function compileGlob(glob: string, g: GlobContext): CompiledGlob {
  const a = anchor(glob, g, false);
  return finish(glob, a.bases[0] ?? '', a.rest, g);
}

/**
 * Every anchoring of the glob a target can meet: each home, XDG directory and root it may stand
 * for, each in every spelling `g.spell` gives (through links, as written). Spellings share one
 * Minimatch per pattern.
 */
export function compileGlobs(glob: string, g: GlobContext): CompiledGlob[] {
  const a = anchor(glob, g, true);
  const out = new Map<string, CompiledGlob>();
  for (const b of a.bases) {
    const c = finish(glob, b, a.rest, g);
    const spellings = c.base !== '' && g.spell ? g.spell(c.base) : [c.base];
    for (const spelled of spellings.length ? spellings : [c.base]) {
      const sp = spelled === '/' ? '' : spelled; // a base resolving to `/` is no base (as in finish)
      const key = caseInsensitive(g.platform) ? sp.toLowerCase() : sp;
      if (!out.has(key)) out.set(key, { ...c, base: sp, baseKey: key });
    }
  }
  return [...out.values()];
}

/** Whether the glob is anchored at the project root. */
export function isRootRelative(glob: string, g: GlobContext): boolean {
  return anchor(glob, g, false).relative;
}

/**
 * Compiled globs by everything `finish` reads. Every call loads its config afresh (a file may have
 * changed since the last call), but a glob under the same base compiles to the same patterns,
 * prefilters and (built on first match) Minimatch objects: computed once per process, not per
 * call. A pure memo: the file system is asked before (the bases' spellings), never here.
 * Bounded: past the bound it starts again (a config with that many patterns only recompiles).
 */
const finished = new Map<string, CompiledGlob>();
const MAX_FINISHED = 4000;

function finish(glob: string, base0: string, s: string, g: GlobContext): CompiledGlob {
  const key = `${g.platform}\0${glob}\0${base0}\0${s}`;
  let c = finished.get(key);
  if (!c) {
    c = finishUncached(glob, base0, s, g.platform);
    if (finished.size >= MAX_FINISHED) finished.clear();
    finished.set(key, c);
  }
  return c;
}

function finishUncached(glob: string, base0: string, s: string, platform: NodeJS.Platform): CompiledGlob {
  const g = { platform };
  const win = g.platform === 'win32';
  const nocase = caseInsensitive(g.platform);
  let base = slashes(base0, win);
  if (base === '/') base = '';
  // Hoist leading literal segments into the base; a glob under `/` gets base `/x`.
  const parts = s.split('/').filter((p) => p !== '');
  let i = 0;
  for (; i < parts.length && !MAGIC.test(parts[i] as string); i++) base = `${base}/${parts[i]}`;
  const rest = parts.slice(i).join('/');
  const patterns: string[] = [];
  let self = rest === '' || rest === '**';
  if (rest !== '') patterns.push(rest);
  // `dir/**` also covers `dir` itself: creating, deleting or moving the directory.
  if (rest.endsWith('/**')) patterns.push(rest.slice(0, -3));
  if (base === '' && self) self = false; // `/` itself is nobody's target
  const filters = patterns.map((p) => prefilterOf(p, nocase));
  return { glob, base, baseKey: nocase ? base.toLowerCase() : base, self, patterns, nocase, filters, mm: [] };
}

/** A normalized absolute path in the form matchers take: computed once per path, tried on every glob. */
export interface Subject {
  /** `/` separators, no trailing slash; lower case where the file system folds case. */
  key: string;
  /** `key` without leading slashes, for `**` globs anchored nowhere. */
  rel: string;
}

export function subjectOf(path: string, platform: NodeJS.Platform): Subject {
  const s = slashes(path, platform === 'win32');
  const key = caseInsensitive(platform) ? s.toLowerCase() : s;
  let i = 0;
  while (key.charCodeAt(i) === 47 /* / */) i++;
  return { key, rel: key.slice(i) };
}

export function globMatches(c: CompiledGlob, subject: Subject): boolean {
  const { key } = subject;
  let rel: string;
  if (c.base === '') rel = subject.rel;
  else if (key.length === c.baseKey.length) return c.self && key === c.baseKey;
  else if (key.startsWith(c.baseKey) && key.charCodeAt(c.baseKey.length) === 47 /* / */) {
    rel = key.slice(c.baseKey.length + 1);
  } else return false;
  for (let i = 0; i < c.patterns.length; i++) {
    const f = c.filters[i];
    if (f && !mayMatch(f, rel)) continue;
    const mm = (c.mm ??= []);
    // braceExpandMax: a second bound behind the schema's (glob-limits.ts), should a glob get past it.
    const m = (mm[i] ??= new Minimatch(c.patterns[i] as string, {
      dot: true, nocase: c.nocase, nocomment: true, nonegate: true, braceExpandMax: MAX_GLOB_EXPANSIONS,
    }));
    if (m.match(rel)) return true;
  }
  return false;
}

export function expandOps(ops: readonly RuleOp[]): Set<Op> {
  const out = new Set<Op>();
  for (const op of ops) {
    if (op === 'move') out.add('move-from').add('move-to');
    else out.add(op);
  }
  return out;
}

/**
 * A deny or ask rule is anchored at every root in `g.roots` (one view each): a marker folder
 * made below the real project root must not move a protected path out of its reach. An allow
 * rule widens nothing that way: it is anchored at `g.root` only.
 */
export function compileRule(rule: Rule, layer: string, g: GlobContext): CompiledRule {
  const globs = [...rule.paths, ...(rule.except ?? [])];
  const anchored = globs.some((p) => isRootRelative(p, g));
  const roots = rule.effect === 'allow' || !anchored ? [g.root] : g.roots?.length ? g.roots : [g.root];
  const views = roots.map((root): RuleView => {
    const gv = { ...g, root, roots: [root] };
    return { paths: rule.paths.flatMap((p) => compileGlobs(p, gv)), except: (rule.except ?? []).flatMap((p) => compileGlobs(p, gv)) };
  });
  const out: CompiledRule = {
    id: rule.id,
    effect: rule.effect,
    ops: expandOps(rule.ops),
    reason: rule.reason ?? DEFAULT_REASON[rule.effect],
    locked: rule.locked,
    layer,
    paths: views.flatMap((v) => v.paths),
    except: views[0]?.except ?? [],
    views,
    source: rule,
  };
  if (rule.tools) {
    const exact = new Set<string>();
    const prefixes: string[] = [];
    for (const t of rule.tools) t.endsWith('*') ? prefixes.push(t.slice(0, -1)) : exact.add(t);
    out.tools = { exact, prefixes };
  }
  return out;
}

/** The rule covers this operation by this tool. */
export function ruleApplies(rule: CompiledRule, op: Op, tool: string): boolean {
  if (!rule.ops.has(op)) return false;
  const t = rule.tools;
  return !t || t.exact.has(tool) || t.prefixes.some((p) => tool.startsWith(p));
}

/** Some `paths` glob matches and no `except` glob does. */
export function ruleMatches(rule: CompiledRule, subject: Subject): boolean {
  for (const v of rule.views) {
    if (v.paths.some((c) => globMatches(c, subject)) && !v.except.some((c) => globMatches(c, subject))) return true;
  }
  return false;
}
