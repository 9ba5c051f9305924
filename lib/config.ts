// The layered loading of the config: built-in presets < user < project (or HOOKWARDEN_CONFIG),
// merged into what one call is decided with. One file's schema and parsing: lib/config-file.ts.
import * as path from 'node:path';
import { AuditConfigSchema, type AuditConfig } from './audit-config.js';
import { PRESET_NAMES, PRESETS, presetRules, type Install, type PresetName } from '../rules/index.js';
import { readConfigFile } from './config-read.js';
import { isLink, MAX_PROJECT_ROOTS } from './config-bounds.js';
import { DEFAULT_CALL_LIMITS, UNRESOLVED_MODES, parseConfigFile, type CallLimits, type ConfigFile, type UnresolvedMode } from './config-file.js';
import { MAX_FILE_PATTERNS } from './glob-limits.js';
import { findProjectRoots, lexicalPath, newLookupCache, normalizePath, stillHolds, type LookupCache } from './paths.js';
import { homesOf, isAbsoluteSpelling, xdgDir } from './paths/home.js';
import { compileRule, type CompiledRule, type GlobContext, type Rule } from './rules.js';
import type { McpToolOverride } from './targets/mcp.js';
import { loadCommandRules, type PresetMode } from './commands/layers.js';
import type { CommandIndex, CompiledCommandRule } from './commands/match.js';
import { GuardError, type Budget } from './types.js';

/** Which way each limit tightens the guard (a project may only tighten). */
const TIGHTER: Record<keyof CallLimits, 'lower' | 'higher'> = {
  maxInputBytes: 'lower', budgetMs: 'lower', maxDepth: 'lower', maxShellBytes: 'lower', walkEntries: 'higher',
};

export interface Layer {
  /** `builtin:<preset>` or the config file path. */
  name: string;
  kind: 'builtin' | 'user' | 'project' | 'env';
}

export interface LoadedConfig {
  rules: CompiledRule[];
  /** Command rules of every layer, indexed by command name. */
  commands: CommandIndex;
  commandRules: CompiledCommandRule[];
  unresolved: UnresolvedMode;
  /** Layer that set `unresolved` (absent: the default). */
  unresolvedLayer?: string;
  /** Protected operands of commands the guard does not know (default deny). */
  unknownCommands: UnresolvedMode;
  /** Layer that set `unknownCommands` (absent: the default). */
  unknownCommandsLayer?: string;
  /** Written, deleted or moved paths wholly unknown before the command runs (default deny). */
  unknownTargets: UnresolvedMode;
  /** Layer that set `unknownTargets` (absent: the default). */
  unknownTargetsLayer?: string;
  mcp: Record<string, McpToolOverride>;
  limits: CallLimits;
  audit: AuditConfig;
  /** Some enabled rule covers op `read` (extractors may skip reads otherwise). */
  reads: boolean;
  warnings: string[];
  layers: Layer[];
  /** The project root (paths/project.ts): messages, records, allow rules. */
  root: string;
  /** Every candidate root, nearest first: where deny and ask rules of the user's layers are anchored too. */
  roots: string[];
  /** What the rules were compiled against (lib/target-roots.ts anchors them at targets' projects too). */
  glob?: GlobContext;
}

/** Who may own a project config: this user and root (undefined where there are no uids). */
const OWNERS = typeof process.getuid === 'function' ? [...new Set([process.getuid(), 0])] : undefined;

interface Slot { rule: Rule; layer: string; kind: Layer['kind'] }
type FileLayer = { file: string; kind: 'user' | 'project' | 'env'; root: string };

/**
 * Configs compiled by earlier calls of one process (the daemon's workers serve thousands), each with
 * every lookup of the file system its compilation made. A call whose inputs are the same (the files'
 * texts, the environment, the directory, the project roots) and for which every one of those
 * lookups still gives the same answer gets the same compiled config: what it saves is the compiling
 * (rule bases resolved through links, globs, command rules), never a look at the disk. Held by the
 * caller (hooks/pre-tool-use.ts), so the core keeps no state of its own.
 */
export interface ConfigMemo { readonly entries: Map<string, { config: LoadedConfig; seen: LookupCache }> }
export const newConfigMemo = (): ConfigMemo => ({ entries: new Map() });
/** Configs kept: one per project and environment an agent works in at a time is the common case. */
const MEMO_ENTRIES = 8;

/**
 * Loads and merges every layer for a tool call in `cwd`. Sync (hook start-up); throws GuardError.
 * `budget`, when given, is checked while rules compile (the decision's budget).
 */
export function loadConfig(opts: {
  cwd: string;
  home: string;
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  budget?: Budget;
  /** Where the running guard is installed (the hook knows it); its files get locked self rules. */
  install?: Install;
  /** The call's one view of the file system (lookups shared with its targets); a fresh one by default. */
  view?: LookupCache;
  /** Configs of earlier calls, reused when nothing they were built from has changed. */
  memo?: ConfigMemo;
}): LoadedConfig {
  const { cwd, env, platform } = opts;
  const view = opts.view ?? newLookupCache();
  const homes = homesOf(opts.home);
  const home = homes[0] as string;
  const { root, candidates } = findProjectRoots(cwd, homes, view);
  // Each candidate may hold a project config and anchors every deny rule once more: a tree of
  // nested marker folders must not multiply the work without bound.
  if (candidates.length > MAX_PROJECT_ROOTS) {
    throw new GuardError(`${candidates[0]}: more than ${MAX_PROJECT_ROOTS} nested project folders (.git, .claude, .codex, .hookwarden) above it`, 'config');
  }
  const files: FileLayer[] = [];
  const named = env.HOOKWARDEN_CONFIG;
  if (named !== undefined && named !== '') {
    // Relative to what? The agent's cwd is inside the repository: a file there would get user authority.
    if (!isAbsoluteSpelling(named)) throw new GuardError(`HOOKWARDEN_CONFIG ${JSON.stringify(String(named).slice(0, 200))} is not an absolute path`, 'config');
    files.push({ file: path.resolve(named), kind: 'env', root });
  } else {
    const user = path.join(xdgDir('XDG_CONFIG_HOME', home, env), 'hookwarden', 'config.json');
    files.push({ file: user, kind: 'user', root });
    // Outermost first: an inner project (a nested repository, a marker folder) comes last.
    for (const r of [...candidates].reverse()) {
      const project = path.join(r, '.hookwarden', 'config.json');
      if (project !== user) files.push({ file: project, kind: 'project', root: r });
    }
  }

  const warnings: string[] = [];
  // The files are read on every call (a few small reads); what they compile to may be reused.
  const texts: (string | undefined)[] = [];
  for (const f of files) {
    // The user's own files may be links (dotfile managers); a cloned repository's may not, nor
    // may its `.hookwarden` folder (a link to ~/.docker would have the guard read its config.json).
    if (f.kind === 'project' && isLink(path.dirname(f.file))) {
      throw new GuardError(`${f.file}: cannot read config: its folder is a symbolic link`, 'config');
    }
    let text: string | undefined;
    try {
      text = readConfigFile(f.file, { required: f.kind === 'env', followLink: f.kind !== 'project', ...(f.kind === 'project' ? { owners: OWNERS } : {}) });
    } catch (err) {
      if (!(err instanceof GuardError && err.code === 'foreign')) throw err;
      warnings.push(err.message);
    }
    texts.push(text);
  }
  const key = opts.memo && JSON.stringify([cwd, opts.home, platform, opts.install ?? null, root, candidates, files, texts, warnings, env]);
  const known = key === undefined ? undefined : opts.memo?.entries.get(key);
  // Every lookup is asked again through this call's view, which keeps the answers for its targets.
  if (known && stillHolds(known.seen, view)) {
    const glob = known.config.glob && { ...known.config.glob, spell: spellings(home, platform, view) };
    return { ...known.config, warnings: [...known.config.warnings], ...(glob ? { glob } : {}) };
  }
  const config = compileLayers(opts, { view, home, homes, root, candidates, files, texts, warnings });
  if (key !== undefined && opts.memo) {
    const entries = opts.memo.entries;
    entries.delete(key);
    if (entries.size >= MEMO_ENTRIES) entries.delete(entries.keys().next().value as string);
    // A copy: the view goes on to serve this call's targets, which the config did not depend on.
    entries.set(key, { config: { ...config, warnings: [...config.warnings] }, seen: { kinds: new Map(view.kinds), links: new Map(view.links), files: new Map(view.files) } });
  }
  return config;
}

/** Everything after reading the files: parsed, merged and compiled (the part a memo may skip). */
function compileLayers(
  opts: Parameters<typeof loadConfig>[0],
  c: { view: LookupCache; home: string; homes: string[]; root: string; candidates: string[]; files: FileLayer[]; texts: (string | undefined)[]; warnings: string[] },
): LoadedConfig {
  const { cwd, env, platform } = opts;
  const { view, home, homes, root, candidates, files, warnings } = c;
  const enabled = new Map<PresetName, PresetMode>(PRESET_NAMES.map((n) => [n, PRESETS[n].enabled]));
  const loaded: (FileLayer & { cfg: ConfigFile })[] = [];
  let projectPatterns = 0;
  files.forEach((f, i) => {
    const text = c.texts[i];
    if (text === undefined) return;
    const { cfg, patterns } = parseConfigFile(text, f.file);
    if (f.kind === 'project' && (projectPatterns += patterns) > MAX_FILE_PATTERNS) {
      throw new GuardError(`${f.file}: the project configs' globs together expand to more than ${MAX_FILE_PATTERNS} patterns`, 'config');
    }
    loaded.push({ ...f, cfg });
  });
  // Presets first: rule ids of switched-off presets are free for other layers.
  for (const { file, kind, cfg } of loaded) {
    for (const [name, on] of Object.entries(cfg.presets ?? {}) as [PresetName, PresetMode | undefined][]) {
      if (on === undefined || enabled.get(name) === on) continue;
      if (on !== true && kind === 'project') warnings.push(`${file}: presets.${name}: a project config cannot switch a preset ${on === false ? 'off' : 'to "ask"'}; ignored`);
      else enabled.set(name, on);
    }
  }
  const layers: Layer[] = [];
  const slots: Slot[] = [];
  const slotOf = new Map<string, number>();
  const put = (slot: Slot) => {
    slotOf.set(slot.rule.id, slots.length);
    slots.push(slot);
  };
  const live = { home, env, cwd, root, platform, install: opts.install, view, configFiles: files.map((f) => f.file),
    layers: loaded.map((l) => ({ file: l.file, kind: l.kind, audit: l.cfg.audit })) };
  for (const name of PRESET_NAMES) {
    if (!enabled.get(name)) continue;
    layers.push({ name: `builtin:${name}`, kind: 'builtin' });
    const ask = enabled.get(name) === 'ask';
    for (const rule of presetRules(name, live)) put({ rule: ask && rule.effect === 'deny' ? { ...rule, effect: 'ask' } : rule, layer: `builtin:${name}`, kind: 'builtin' });
  }

  let unresolved: UnresolvedMode = 'allow';
  let unresolvedLayer: string | undefined;
  let unknownCommands: UnresolvedMode = 'deny';
  let unknownCommandsLayer: string | undefined;
  let unknownTargets: UnresolvedMode = 'deny';
  let unknownTargetsLayer: string | undefined;
  let mcp: Record<string, McpToolOverride> = {};
  const limits: CallLimits = { ...DEFAULT_CALL_LIMITS };
  let audit: AuditConfig | undefined;
  for (const { file, kind, cfg } of loaded) {
    layers.push({ name: file, kind });
    const project = kind === 'project';
    for (const rule of cfg.rules ?? []) {
      const at = slotOf.get(rule.id);
      const lower = at === undefined ? undefined : slots[at];
      if (at === undefined || !lower) put({ rule, layer: file, kind });
      else if (lower.rule.locked) warnings.push(`${file}: rule ${JSON.stringify(rule.id)} is locked by ${lower.layer}; ignored`);
      // A nested project (another repository, a marker folder) must not undo the enclosing one's rules.
      else if (project && lower.kind === 'project') warnings.push(`${file}: rule ${JSON.stringify(rule.id)} is set by ${lower.layer}; ignored`);
      else slots[at] = { rule, layer: file, kind };
    }
    if (cfg.unresolved) {
      if (project && UNRESOLVED_MODES.indexOf(cfg.unresolved) < UNRESOLVED_MODES.indexOf(unresolved)) {
        warnings.push(`${file}: unresolved ${JSON.stringify(cfg.unresolved)} cannot relax ${JSON.stringify(unresolved)} set by ${unresolvedLayer ?? 'a lower layer'}; ignored`);
      } else [unresolved, unresolvedLayer] = [cfg.unresolved, file];
    }
    if (cfg.unknownCommands) {
      // A cloned repository must not let unknown commands through: a project layer only tightens.
      if (project && UNRESOLVED_MODES.indexOf(cfg.unknownCommands) < UNRESOLVED_MODES.indexOf(unknownCommands)) {
        warnings.push(`${file}: unknownCommands ${JSON.stringify(cfg.unknownCommands)} cannot relax ${JSON.stringify(unknownCommands)} set by ${unknownCommandsLayer ?? 'the default'}; ignored`);
      } else [unknownCommands, unknownCommandsLayer] = [cfg.unknownCommands, file];
    }
    if (cfg.unknownTargets) {
      // A cloned repository must not let a write to any path at all through: a project layer only tightens.
      if (project && UNRESOLVED_MODES.indexOf(cfg.unknownTargets) < UNRESOLVED_MODES.indexOf(unknownTargets)) {
        warnings.push(`${file}: unknownTargets ${JSON.stringify(cfg.unknownTargets)} cannot relax ${JSON.stringify(unknownTargets)} set by ${unknownTargetsLayer ?? 'the default'}; ignored`);
      } else [unknownTargets, unknownTargetsLayer] = [cfg.unknownTargets, file];
    }
    if (cfg.mcp?.tools) mcp = project ? mergeProjectMcp(mcp, cfg.mcp.tools, file, warnings) : { ...cfg.mcp.tools };
    for (const [key, value] of Object.entries(cfg.limits ?? {}) as [keyof CallLimits, number | undefined][]) {
      if (value === undefined) continue;
      const tighter = TIGHTER[key] === 'lower' ? value <= limits[key] : value >= limits[key];
      if (project && !tighter) warnings.push(`${file}: limits.${key}: a project config can only tighten limits; ignored`);
      else limits[key] = value;
    }
    if (cfg.audit) {
      if (project) warnings.push(`${file}: audit: only the user config may configure auditing; ignored`);
      else audit = cfg.audit;
    }
  }

  const g: GlobContext = { root, roots: candidates, home, homes, env, platform, spell: spellings(home, platform, view) };
  const rootOf = new Map(loaded.map((l) => [l.file, l.root]));
  const rules = slots.map((s) => {
    opts.budget?.check('loading the config');
    // A project config's relative globs are relative to the folder that holds it.
    const own = s.kind === 'project' ? rootOf.get(s.layer) : undefined;
    return compileRule(s.rule, s.layer, own === undefined ? g : { ...g, root: own, roots: [own] });
  });
  const commands = loadCommandRules(
    PRESET_NAMES.map((name) => ({ name, mode: enabled.get(name) ?? false, commands: PRESETS[name].commands ?? [] })),
    loaded.map((l) => ({ file: l.file, kind: l.kind, commands: l.cfg.commands })),
    warnings,
  );
  return {
    rules,
    commands: commands.index,
    commandRules: commands.rules,
    unresolved,
    ...(unresolvedLayer ? { unresolvedLayer } : {}),
    unknownCommands,
    ...(unknownCommandsLayer ? { unknownCommandsLayer } : {}),
    unknownTargets,
    ...(unknownTargetsLayer ? { unknownTargetsLayer } : {}),
    mcp,
    limits,
    audit: audit ?? AuditConfigSchema.parse({}),
    reads: rules.some((r) => r.ops.has('read')),
    warnings,
    layers,
    root,
    roots: candidates,
    glob: g,
  };
}

/**
 * A literal rule base in every spelling a normalized target can have: through every link (as
 * target paths are) and as written (as targets' `lexical` form is). One lookup cache per load.
 */
function spellings(home: string, platform: NodeJS.Platform, view: LookupCache): (base: string) => string[] {
  const env = { home, platform, cache: view };
  return (base) => {
    try {
      const out = [normalizePath(base, '/', env), lexicalPath(base, '/', env)];
      return out[0] === out[1] ? [out[0] as string] : out;
    } catch {
      return [base]; // a base that cannot be normalized (a loop): matched as written
    }
  };
}

/**
 * A project may only add write fields: `reads` and `ignore` would hide writes from the guard.
 * Its write fields are added to the user layer's override for the same key.
 */
function mergeProjectMcp(
  base: Record<string, McpToolOverride>, tools: Record<string, McpToolOverride>, file: string, warnings: string[],
): Record<string, McpToolOverride> {
  const out = { ...base };
  for (const [tool, o] of Object.entries(tools)) {
    if (o.reads !== undefined || o.ignore !== undefined || o.readOnly !== undefined) {
      warnings.push(`${file}: mcp.tools.${tool}: a project config can only add "writes"; "reads", "readOnly" and "ignore" ignored`);
    }
    if (!o.writes?.length) continue;
    const prev = Object.hasOwn(out, tool) ? out[tool] : undefined;
    out[tool] = { ...prev, writes: [...new Set([...(prev?.writes ?? []), ...o.writes])] };
  }
  return out;
}
