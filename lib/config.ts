// Config file schema and the layered loading: built-in presets < user < project (or HOOKWARDEN_CONFIG).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as z from 'zod/mini';
import { AuditConfigSchema, type AuditConfig } from '../sinks/config.js';
import { PRESET_NAMES, PRESETS, presetRules, type Install, type PresetName } from '../rules/index.js';
import { findProjectRoot } from './paths.js';
import { RuleSchema, compileRule, xdgDir, type CompiledRule, type GlobContext, type Rule } from './rules.js';
import type { McpToolOverride } from './targets/mcp.js';
import { GuardError } from './types.js';

const int = (min: number, max: number) => z.optional(z.number().check(z.int(), z.gte(min), z.lte(max)));
const LimitsSchema = z.strictObject({
  maxInputBytes: int(1024, 1 << 30),
  budgetMs: int(100, 600_000),
  maxDepth: int(1, 64),
  maxShellBytes: int(1024, 1 << 30),
  walkEntries: int(0, 10_000_000),
});
export type Limits = { [K in keyof z.output<typeof LimitsSchema>]-?: number };
export const DEFAULT_LIMITS: Readonly<Limits> = {
  maxInputBytes: 10 * 1024 * 1024,
  budgetMs: 10_000,
  maxDepth: 8,
  maxShellBytes: 2 * 1024 * 1024,
  walkEntries: 10_000,
};
/** Which way each limit tightens the guard (a project may only tighten). */
const TIGHTER: Record<keyof Limits, 'lower' | 'higher'> = {
  maxInputBytes: 'lower', budgetMs: 'lower', maxDepth: 'lower', maxShellBytes: 'lower', walkEntries: 'higher',
};

const Fields = z.array(z.string().check(z.minLength(1)));
const McpOverrideSchema = z.strictObject({ writes: z.optional(Fields), reads: z.optional(Fields), ignore: z.optional(z.boolean()) });

export const ConfigFileSchema = z.strictObject({
  $schema: z.optional(z.string()),
  /** Switch built-in presets on or off by name (off: user layer / HOOKWARDEN_CONFIG only). */
  presets: z.optional(z.strictObject(
    Object.fromEntries(PRESET_NAMES.map((n) => [n, z.optional(z.boolean())])) as Record<PresetName, z.ZodMiniOptional<z.ZodMiniBoolean>>,
  ).check(z.describe('Switch built-in presets on or off by name; off only from the user config.'))),
  rules: z.optional(z.array(RuleSchema).check(z.describe('Rules added to the built-in presets.'))),
  unresolved: z.optional(z.enum(['allow', 'deny']).check(z.describe(
    'Targets that cannot be resolved statically and match no rule: allow (recorded as unresolved) or deny.',
  ))),
  mcp: z.optional(z.strictObject({ tools: z.optional(z.record(z.string().check(z.minLength(1)), McpOverrideSchema).check(
    z.describe('Per MCP tool (full name or mcp__<server>__*): argument names that are written or read, or ignore.'),
  )) })),
  limits: z.optional(LimitsSchema.check(z.describe('Bounds on input size, time, shell nesting and directory walks.'))),
  /** User layer / HOOKWARDEN_CONFIG only: a cloned repo must not redirect or switch off auditing. */
  audit: z.optional(AuditConfigSchema.check(z.describe('Audit trail settings (user config only).'))),
});
export type ConfigFile = z.output<typeof ConfigFileSchema>;

export interface Layer {
  /** `builtin:<preset>` or the config file path. */
  name: string;
  kind: 'builtin' | 'user' | 'project' | 'env';
}

export interface LoadedConfig {
  rules: CompiledRule[];
  unresolved: 'allow' | 'deny';
  /** Layer that set `unresolved` (absent: the default). */
  unresolvedLayer?: string;
  mcp: Record<string, McpToolOverride>;
  limits: Limits;
  audit: AuditConfig;
  /** Some enabled rule covers op `read` (extractors may skip reads otherwise). */
  reads: boolean;
  warnings: string[];
  layers: Layer[];
  root: string;
}

const MAX_CONFIG_BYTES = 1024 * 1024;

/** Parses and validates one config file's text. Throws GuardError naming file, rule and field. */
export function parseConfigText(text: string, file: string): ConfigFile {
  let raw: unknown;
  try {
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    throw new GuardError(`${file}: invalid JSON: ${(err as Error).message.split('\n')[0]}`, 'config');
  }
  const parsed = ConfigFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new GuardError(`${file}: ${issue ? describeIssue(issue as unknown as Issue, raw) : 'invalid config'}`, 'config');
  }
  const seen = new Map<string, number>();
  (parsed.data.rules ?? []).forEach((r, i) => {
    const first = seen.get(r.id);
    if (first !== undefined) {
      throw new GuardError(`${file}: rules[${i}] (id ${JSON.stringify(r.id)}): field id: duplicate of rules[${first}]`, 'config');
    }
    seen.set(r.id, i);
  });
  return parsed.data;
}

/** Reads one config file; a missing file is no layer unless the file was named explicitly. */
function readConfigFile(file: string, required: boolean): ConfigFile | undefined {
  let text: string;
  try {
    const st = fs.statSync(file);
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (st.size > MAX_CONFIG_BYTES) throw Object.assign(new Error('too large'), { code: `larger than ${MAX_CONFIG_BYTES} bytes` });
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (!required && (code === 'ENOENT' || code === 'ENOTDIR')) return undefined;
    throw new GuardError(`${file}: cannot read config: ${code ?? (err as Error).message}`, 'config');
  }
  return parseConfigText(text, file);
}

interface Slot { rule: Rule; layer: string; kind: Layer['kind'] }

/** Loads and merges every layer for a tool call in `cwd`. Sync (hook start-up); throws GuardError. */
export function loadConfig(opts: {
  cwd: string;
  home: string;
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  /** Where the running guard is installed (the hook knows it); its files get locked self rules. */
  install?: Install;
}): LoadedConfig {
  const { cwd, home, env, platform } = opts;
  const root = findProjectRoot(cwd, home);
  const files: { file: string; kind: 'user' | 'project' | 'env' }[] = [];
  const named = env.HOOKWARDEN_CONFIG;
  if (named) files.push({ file: path.resolve(cwd, named), kind: 'env' });
  else {
    const user = path.join(xdgDir('XDG_CONFIG_HOME', home, env), 'hookwarden', 'config.json');
    const project = path.join(root, '.hookwarden', 'config.json');
    files.push({ file: user, kind: 'user' });
    if (project !== user) files.push({ file: project, kind: 'project' });
  }

  const enabled = new Map<PresetName, boolean>(PRESET_NAMES.map((n) => [n, PRESETS[n].enabled]));
  const warnings: string[] = [];
  const loaded: { file: string; kind: 'user' | 'project' | 'env'; cfg: ConfigFile }[] = [];
  for (const f of files) {
    const cfg = readConfigFile(f.file, f.kind === 'env');
    if (cfg) loaded.push({ ...f, cfg });
  }
  // Presets first: rule ids of switched-off presets are free for other layers.
  for (const { file, kind, cfg } of loaded) {
    for (const [name, on] of Object.entries(cfg.presets ?? {}) as [PresetName, boolean | undefined][]) {
      if (on === undefined || enabled.get(name) === on) continue;
      if (!on && kind === 'project') warnings.push(`${file}: presets.${name}: a project config cannot switch a preset off; ignored`);
      else enabled.set(name, on);
    }
  }
  const layers: Layer[] = [];
  const slots: Slot[] = [];
  const live = { home, env, cwd, root, platform, install: opts.install, configFiles: files.map((f) => f.file),
    layers: loaded.map((l) => ({ file: l.file, kind: l.kind, audit: l.cfg.audit })) };
  for (const name of PRESET_NAMES) {
    if (!enabled.get(name)) continue;
    layers.push({ name: `builtin:${name}`, kind: 'builtin' });
    for (const rule of presetRules(name, live)) slots.push({ rule, layer: `builtin:${name}`, kind: 'builtin' });
  }

  let unresolved: 'allow' | 'deny' = 'allow';
  let unresolvedLayer: string | undefined;
  let mcp: Record<string, McpToolOverride> = {};
  const limits: Limits = { ...DEFAULT_LIMITS };
  let audit: AuditConfig | undefined;
  for (const { file, kind, cfg } of loaded) {
    layers.push({ name: file, kind });
    const project = kind === 'project';
    for (const rule of cfg.rules ?? []) {
      const at = slots.findIndex((s) => s.rule.id === rule.id);
      const lower = slots[at];
      if (!lower) slots.push({ rule, layer: file, kind });
      else if (lower.rule.locked) warnings.push(`${file}: rule ${JSON.stringify(rule.id)} is locked by ${lower.layer}; ignored`);
      else slots[at] = { rule, layer: file, kind };
    }
    if (cfg.unresolved) {
      if (project && cfg.unresolved === 'allow' && unresolved === 'deny') {
        warnings.push(`${file}: unresolved "allow" cannot relax "deny" set by ${unresolvedLayer ?? 'a lower layer'}; ignored`);
      } else [unresolved, unresolvedLayer] = [cfg.unresolved, file];
    }
    if (cfg.mcp?.tools) mcp = project ? mergeProjectMcp(mcp, cfg.mcp.tools, file, warnings) : { ...cfg.mcp.tools };
    for (const [key, value] of Object.entries(cfg.limits ?? {}) as [keyof Limits, number | undefined][]) {
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

  const g: GlobContext = { root, home, env, platform };
  const rules = slots.map((s) => compileRule(s.rule, s.layer, g));
  return {
    rules,
    unresolved,
    ...(unresolvedLayer ? { unresolvedLayer } : {}),
    mcp,
    limits,
    audit: audit ?? AuditConfigSchema.parse({}),
    reads: rules.some((r) => r.ops.has('read')),
    warnings,
    layers,
    root,
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
    if (o.reads !== undefined || o.ignore !== undefined) {
      warnings.push(`${file}: mcp.tools.${tool}: a project config can only add "writes"; "reads" and "ignore" ignored`);
    }
    if (!o.writes?.length) continue;
    const prev = Object.hasOwn(out, tool) ? out[tool] : undefined;
    out[tool] = { ...prev, writes: [...new Set([...(prev?.writes ?? []), ...o.writes])] };
  }
  return out;
}

// ---- error messages: `rules[2] (id "x"): field effect: expected one of deny|allow|ask` ----

type Issue = { code: string; path: PropertyKey[]; message: string } & Record<string, unknown>;

function describeIssue(issue: Issue, raw: unknown): string {
  const p = issue.path;
  let where = '';
  let rest = p;
  if (p[0] === 'rules' && typeof p[1] === 'number') {
    const r = valueAt(raw, p.slice(0, 2));
    const id = r && typeof r === 'object' && typeof (r as { id?: unknown }).id === 'string' ? (r as { id: string }).id : undefined;
    where = `rules[${p[1]}]${id === undefined ? '' : ` (id ${JSON.stringify(id.slice(0, 80))})`}: `;
    rest = p.slice(2);
  }
  if (issue.code === 'unrecognized_keys') {
    const keys = (issue.keys as string[]).map((k) => JSON.stringify(k)).join(', ');
    return `${where}${rest.length ? `field ${fieldName(rest)}: ` : ''}unknown field ${keys}`;
  }
  const field = rest.length ? `field ${fieldName(rest)}: ` : '';
  return `${where}${field}${issueText(issue, valueAt(raw, p))}`;
}

function issueText(issue: Issue, value: unknown): string {
  const missing = value === undefined ? 'missing, ' : '';
  switch (issue.code) {
    case 'invalid_value':
      return `${missing}expected one of ${(issue.values as unknown[]).map(String).join('|')}`;
    case 'invalid_type':
      return value === undefined ? 'missing' : `expected ${issue.expected}, got ${typeName(value)}`;
    case 'too_small':
      if (issue.origin === 'array' || issue.origin === 'string') return 'must not be empty';
      return `must be >= ${issue.minimum}`;
    case 'too_big':
      return `must be <= ${issue.maximum}`;
    case 'invalid_union':
      return Array.isArray(issue.options) ? `${missing}expected one of ${issue.options.map(String).join('|')}` : 'matches no allowed form';
    case 'invalid_format':
      return issue.message !== 'Invalid input' ? issue.message : `invalid ${issue.format}`;
    default:
      return issue.message === 'Invalid input' ? 'invalid value' : issue.message;
  }
}

function fieldName(p: PropertyKey[]): string {
  return p.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('');
}

function valueAt(v: unknown, p: PropertyKey[]): unknown {
  for (const k of p) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function typeName(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}
