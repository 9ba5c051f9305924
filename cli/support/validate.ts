// `hookwarden validate`: lints config files, by default every layer the hooks would load in the
// current directory. Schema errors come from the loader's own parser (same messages as a blocked
// call), then the lint checks (config-lint.ts), then what the layering ignores (loadConfig's
// warnings: a project config weakening a locked rule, switching a preset off, setting audit...).
import path from 'node:path';
import { loadConfig } from '../../lib/config.js';
import { ConfigFileSchema, parseConfigText, type ConfigFile } from '../../lib/config-file.js';
import { findProjectRoot } from '../../lib/paths.js';
import { xdgDir } from '../../lib/rules.js';
import { readConfigFile } from '../../lib/config-read.js';
import { GuardError } from '../../lib/types.js';
import { paint, table, tilde } from '../install/format.js';
import { lintConfig, type LintProblem } from './config-lint.js';
import type { ValidateOutput } from './outputs.js';

export type LayerKind = ValidateOutput['files'][number]['layer'];
export type ValidatedFile = ValidateOutput['files'][number];

export interface ValidateOptions {
  /** Files named on the command line; default: the layers of `cwd`. */
  files?: string[];
  cwd: string;
  home: string;
  env: Record<string, string | undefined>;
  platform: NodeJS.Platform;
  /** Warnings count as problems (exit 1). */
  strict?: boolean;
}

/** lib/config.ts refuses larger files the same way. */
/** Relative globs of a user-level file are relative to every project: compare them under no real root. */
const NO_ROOT = '/\u0000project-root';

type Issue = { code: string; path: PropertyKey[]; message: string; keys?: string[] } & Record<string, unknown>;

const fieldName = (p: PropertyKey[]): string =>
  p.map((k, i) => (typeof k === 'number' ? `[${k}]` : `${i ? '.' : ''}${String(k)}`)).join('');

/**
 * Wording of lib/config.ts for an issue (zod/mini carries no messages of its own). Only used for
 * the issues after the first, which the loader never reports.
 */
function issueText(issue: Issue, value: unknown): string {
  const missing = value === undefined ? 'missing, ' : '';
  switch (issue.code) {
    case 'unrecognized_keys':
      return `unknown field ${(issue.keys ?? []).map((k) => JSON.stringify(k)).join(', ')}`;
    case 'invalid_value':
      return `${missing}expected one of ${(issue.values as unknown[]).map(String).join('|')}`;
    case 'invalid_type':
      return value === undefined ? 'missing' : `expected ${String(issue.expected)}, got ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value}`;
    case 'too_small':
      return issue.origin === 'array' || issue.origin === 'string' ? 'must not be empty' : `must be >= ${String(issue.minimum)}`;
    case 'too_big':
      return `must be <= ${String(issue.maximum)}`;
    case 'invalid_union':
      return Array.isArray(issue.options) ? `${missing}expected one of ${issue.options.map(String).join('|')}` : 'matches no allowed form';
    case 'invalid_format':
      return issue.message !== 'Invalid input' ? issue.message : `invalid ${String(issue.format)}`;
    default:
      return issue.message === 'Invalid input' ? 'invalid value' : issue.message;
  }
}

function valueAt(v: unknown, p: PropertyKey[]): unknown {
  for (const k of p) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** Rule id and field of a schema issue (the field relative to the rule, as the messages put it). */
function locate(issue: Issue, raw: unknown): { rule?: string; field?: string; where: string } {
  let rest = issue.path;
  let rule: string | undefined;
  let where = '';
  if (rest[0] === 'rules' && typeof rest[1] === 'number') {
    const r = (raw as { rules?: unknown[] }).rules?.[rest[1]];
    const id = r && typeof r === 'object' ? (r as { id?: unknown }).id : undefined;
    if (typeof id === 'string') rule = id;
    where = `rules[${rest[1]}]${rule === undefined ? '' : ` (id ${JSON.stringify(rule.slice(0, 80))})`}: `;
    rest = rest.slice(2);
  }
  if (issue.code === 'unrecognized_keys' && issue.keys?.length === 1) rest = [...rest, issue.keys[0] as string];
  const field = rest.length ? fieldName(rest) : undefined;
  return { ...(rule !== undefined ? { rule } : {}), ...(field !== undefined ? { field } : {}), where };
}

/**
 * Schema check. The first problem is exactly the loader's message; the loader stops there, so
 * the issues after it carry zod's own wording, with the same rule and field prefix.
 */
function parse(text: string, file: string): { cfg?: ConfigFile; problems: LintProblem[] } {
  try {
    return { cfg: parseConfigText(text, file), problems: [] };
  } catch (err) {
    if (!(err instanceof GuardError)) throw err;
    const first = err.message.startsWith(`${file}: `) ? err.message.slice(file.length + 2) : err.message;
    let raw: unknown;
    try {
      raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    } catch {
      return { problems: [{ severity: 'error', message: first }] };
    }
    const parsed = ConfigFileSchema.safeParse(raw);
    // Schema-valid: the loader refused a duplicate id, which lintConfig reports (all of them).
    if (parsed.success) return { cfg: parsed.data, problems: [] };
    return {
      problems: (parsed.error.issues as unknown as Issue[]).map((issue, i) => {
        const { where, ...loc } = locate(issue, raw);
        if (i === 0) return { severity: 'error', ...loc, message: first };
        const rel = where ? issue.path.slice(2) : issue.path;
        const field = rel.length ? `field ${fieldName(rel)}: ` : '';
        return { severity: 'error', ...loc, message: `${where}${field}${issueText(issue, valueAt(raw, issue.path))}` };
      }),
    };
  }
}

/** Schema and lint problems of one file's text (no layering). */
export function lintConfigText(text: string, file: string, g: { root?: string; home: string; env: Record<string, string | undefined>; platform: NodeJS.Platform }): { cfg?: ConfigFile; problems: LintProblem[] } {
  const { cfg, problems } = parse(text, file);
  if (!cfg) return { problems };
  return { cfg, problems: [...problems, ...lintConfig(cfg, { root: g.root ?? NO_ROOT, home: g.home, env: g.env, platform: g.platform })] };
}

/** loadConfig's warning text (after `<file>: `) as a problem with its rule or field. */
export function warningProblem(text: string): LintProblem {
  const rule = /^rule ("(?:[^"\\]|\\.)*") is locked/.exec(text);
  if (rule) return { severity: 'warning', rule: JSON.parse(rule[1] as string) as string, field: 'id', message: text };
  const field = /^((?:presets|limits|mcp\.tools)\.[^:]+|audit|unresolved|unknownCommands|unknownTargets)[: ]/.exec(text)?.[1];
  return { severity: 'warning', ...(field ? { field } : {}), message: text };
}

/** What the layering ignores in `file`: loaded as the hooks would load it, above the layers below it. */
function layerProblems(file: string, layer: LayerKind, o: ValidateOptions): LintProblem[] {
  const load = (cwd: string, env: Record<string, string | undefined>) => loadConfig({ cwd, home: o.home, env, platform: o.platform }).warnings;
  const mine = (warnings: string[]) => warnings.filter((w) => w.startsWith(`${file}: `)).map((w) => warningProblem(w.slice(file.length + 2)));
  const root = layer === 'project' ? path.dirname(path.dirname(file)) : path.dirname(file);
  // A user-level file is loaded the way HOOKWARDEN_CONFIG is: above the presets, with its privileges.
  const env = layer === 'project' ? { ...o.env, HOOKWARDEN_CONFIG: undefined } : { HOOKWARDEN_CONFIG: file };
  try {
    return mine(load(root, env));
  } catch (err) {
    if (!(err instanceof GuardError)) throw err;
    if (err.message.startsWith(`${file}: `) || layer !== 'project') return []; // this file's own error, reported already
    // The user config cannot be loaded (the hooks block every call then): judge against the presets.
    // XDG_CONFIG_HOME where nothing exists (a missing user config is no layer; ENOTDIR blocks).
    const none = mine(load(root, { ...env, XDG_CONFIG_HOME: path.join(path.dirname(file), `.hookwarden-validate-none-${process.pid}`) }));
    return [{ severity: 'warning', message: `checked against the built-in presets only: ${err.message}` }, ...none];
  }
}

interface Entry { file: string; layer: LayerKind; required: boolean; note?: string }

function entries(o: ValidateOptions): Entry[] {
  const user = path.join(xdgDir('XDG_CONFIG_HOME', o.home, o.env), 'hookwarden', 'config.json');
  const named = o.env.HOOKWARDEN_CONFIG ? path.resolve(o.cwd, o.env.HOOKWARDEN_CONFIG) : undefined;
  if (o.files?.length) {
    return o.files.map((f) => {
      const file = path.resolve(o.cwd, f);
      const layer: LayerKind = file === named ? 'env' : file === user ? 'user'
        : path.basename(file) === 'config.json' && path.basename(path.dirname(file)) === '.hookwarden' ? 'project' : 'file';
      return { file, layer, required: true };
    });
  }
  const project = path.join(findProjectRoot(o.cwd, o.home), '.hookwarden', 'config.json');
  const first: Entry = named ? { file: named, layer: 'env', required: true } : { file: user, layer: 'user', required: false };
  if (project === first.file) return [first];
  const note = named ? `ignored: HOOKWARDEN_CONFIG is set, so the hooks load only ${named}` : undefined;
  return [first, { file: project, layer: 'project', required: false, ...(note ? { note } : {}) }];
}

/** Read as the hooks read it (config-read.ts: no FIFO, device or oversized file; no link for a project file). */
function readText(file: string, layer: LayerKind): string {
  try {
    const text = readConfigFile(file, { required: true, followLink: layer !== 'project' });
    if (text === undefined) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    return text;
  } catch (err) {
    if (!(err instanceof GuardError)) throw err;
    const why = err.message.slice(err.message.indexOf(': cannot read config: ') + ': cannot read config: '.length);
    throw Object.assign(new Error(why), { code: why });
  }
}

function checkFile(e: Entry, o: ValidateOptions): ValidatedFile & { unreadable: boolean } {
  const base = { file: e.file, layer: e.layer };
  let text: string;
  try {
    text = readText(e.file, e.layer);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    if (!e.required && (code === 'ENOENT' || code === 'ENOTDIR')) return { ...base, present: false, ok: true, problems: [], unreadable: false };
    const present = code !== 'ENOENT' && code !== 'ENOTDIR';
    return { ...base, present, ok: false, problems: [{ severity: 'error', message: `cannot read config: ${code}` }], unreadable: true };
  }
  const root = e.layer === 'project' ? path.dirname(path.dirname(e.file)) : undefined;
  const { cfg, problems } = lintConfigText(text, e.file, { ...(root ? { root } : {}), home: o.home, env: o.env, platform: o.platform });
  if (e.note) problems.push({ severity: 'warning', message: e.note });
  else if (cfg) problems.push(...layerProblems(e.file, e.layer, o));
  const ok = !problems.some((p) => p.severity === 'error' || o.strict);
  return { ...base, present: true, ok, problems, unreadable: false };
}

export function validateConfigs(o: ValidateOptions): ValidateOutput {
  const checked = entries(o).map((e) => checkFile(e, o));
  const exitCode = checked.some((f) => f.unreadable) ? 2 : checked.some((f) => !f.ok) ? 1 : 0;
  return { ok: exitCode === 0, exitCode, files: checked.map(({ unreadable: _u, ...f }) => f) };
}

/** Human output: one aligned line per file without problems and per problem. */
export function formatValidate(r: ValidateOutput, tty: boolean, home: string): string {
  const p = paint(tty);
  const rows: { cells: string[]; color?: ((s: string) => string)[] }[] = [];
  for (const f of r.files) {
    const name = tilde(f.file, home);
    if (!f.present && f.ok) rows.push({ cells: ['absent', f.layer, `${name} (nothing to check)`], color: [p.dim, p.dim, p.dim] });
    else if (f.problems.length === 0) rows.push({ cells: ['ok', f.layer, name], color: [p.ok] });
    for (const x of f.problems) rows.push({ cells: [x.severity, f.layer, `${name}: ${x.message}`], color: [x.severity === 'error' ? p.bad : p.warn] });
  }
  const n = (k: 'error' | 'warning') => r.files.reduce((a, f) => a + f.problems.filter((x) => x.severity === k).length, 0);
  const [errors, warnings] = [n('error'), n('warning')];
  const plural = (c: number, w: string) => `${c} ${w}${c === 1 ? '' : 's'}`;
  const verdict = r.exitCode === 0
    ? p.ok(warnings ? `valid, with ${plural(warnings, 'warning')}` : 'valid')
    : p.bad(`${plural(errors, 'error')}, ${plural(warnings, 'warning')}`);
  return `${table(rows)}${verdict}\n`;
}
