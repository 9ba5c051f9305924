// Checks of `hookwarden validate` beyond the schema: things the loader accepts that cannot do what
// the file says. Each check is a clear case (documented in validate's --help):
//   - duplicate rule ids (the loader stops at the first);
//   - a `tools` entry that never has targets of the rule's ops (tool names are matched exactly,
//     and only shell tools, apply_patch, Claude's file tools and mcp__ tools have file targets);
//   - a `paths` glob that matches nothing (`/`) or lies inside an `except` glob;
//   - a backslash in a glob (it escapes the next character; it is not a directory separator);
//   - mcp.tools keys the lookup never asks for, invalid audit.redact patterns, two spooled sinks
//     sharing a queue, and an empty audit.sinks list.
// A rule whose every tool or every glob is dead can never match: an error. One dead entry among
// live ones: a warning.
import type { ConfigFile } from '../../lib/config-file.js';
import { compileRedactor } from '../../lib/redact.js';
import { compileGlob, expandOps, type CompiledGlob, type GlobContext, type Rule } from '../../lib/rules.js';
import { GuardError, type Op } from '../../lib/types.js';
import { queueName } from '../../sinks/spool.js';
import type { ValidateProblem } from './outputs.js';
import { lintCommandRules } from './command-lint.js';

export type LintProblem = ValidateProblem;

const ALL_OPS: readonly Op[] = ['write', 'delete', 'move-from', 'move-to', 'read'];
/**
 * Ops each tool's targets can have (lib/targets: SHELL_TOOLS, apply_patch, FILE_TOOLS; mcp__*
 * tools have all). Any other tool has no file targets. test/cli/support/config-lint.test.ts checks
 * this table against the extractors.
 */
export const TOOL_OPS: Readonly<Record<string, readonly Op[]>> = {
  Bash: ALL_OPS,
  shell: ALL_OPS,
  local_shell: ALL_OPS,
  exec_command: ALL_OPS,
  'container.exec': ALL_OPS,
  apply_patch: ['write', 'delete', 'move-from', 'move-to'],
  Write: ['write'],
  Edit: ['write'],
  MultiEdit: ['write'],
  NotebookEdit: ['write'],
  Read: ['read'],
};
const MCP = 'mcp__';

/** Ops a `tools` entry (a name, or a prefix ending in `*`) can reach. */
export function toolOps(entry: string): Set<Op> {
  const prefix = entry.endsWith('*') ? entry.slice(0, -1) : undefined;
  const hit = (name: string): boolean => (prefix === undefined ? name === entry : name.startsWith(prefix));
  const out = new Set<Op>();
  for (const [name, ops] of Object.entries(TOOL_OPS)) if (hit(name)) ops.forEach((o) => out.add(o));
  const mcp = prefix === undefined ? entry.startsWith(MCP) : prefix.startsWith(MCP) || MCP.startsWith(prefix);
  if (mcp) ALL_OPS.forEach((o) => out.add(o));
  return out;
}

const where = (i: number, id: string): string => `rules[${i}] (id ${JSON.stringify(id)}): `;
const DEAD = '; the rule can never match';

function ruleProblem(severity: LintProblem['severity'], i: number, rule: Rule, field: string, text: string): LintProblem {
  return { severity, rule: rule.id, field, message: `${where(i, rule.id)}field ${field}: ${text}` };
}

function opsWords(ops: readonly string[]): string {
  return ops.length === 1 ? (ops[0] as string) : `${ops.slice(0, -1).join(', ')} or ${ops.at(-1)}`;
}

function lintTools(i: number, rule: Rule): LintProblem[] {
  if (!rule.tools) return [];
  const wanted = expandOps(rule.ops);
  const dead: { j: number; text: string }[] = [];
  rule.tools.forEach((t, j) => {
    const ops = toolOps(t);
    if ([...ops].some((o) => wanted.has(o))) return;
    if (ops.size > 0) {
      dead.push({ j, text: `${JSON.stringify(t)} has no ${opsWords(rule.ops)} targets (only ${[...ops].join(', ')})` });
      return;
    }
    const bare = t.endsWith('*') ? t.slice(0, -1) : t;
    const like = Object.keys(TOOL_OPS).find((n) => n.toLowerCase() === bare.toLowerCase()) ?? (bare.toLowerCase().startsWith(MCP) ? `${MCP}${bare.slice(5)}` : undefined);
    const hint = like !== undefined && like !== bare ? ` (tool names are case-sensitive: ${JSON.stringify(like)})` : '';
    dead.push({ j, text: `${JSON.stringify(t)} never has file targets${hint}` });
  });
  const all = dead.length === rule.tools.length;
  return dead.map((x) => ruleProblem(all ? 'error' : 'warning', i, rule, `tools[${x.j}]`, all ? `${x.text}${DEAD}` : x.text));
}

/** `e` excepts every path `p` matches: the same matcher, or `e` is `<dir>/**` (or `**`) over p's base. */
function covers(e: CompiledGlob, p: CompiledGlob): boolean {
  const same = e.baseKey === p.baseKey && e.self === p.self && e.patterns.join('\0') === p.patterns.join('\0');
  if (same) return true;
  if (e.patterns.length !== 1 || e.patterns[0] !== '**') return false;
  if (e.base === '') return true;
  return p.base !== '' && (p.baseKey === e.baseKey || p.baseKey.startsWith(`${e.baseKey}/`));
}

const ESCAPE = /\\([^*?[\]{}()!+@\\])/;

function lintPaths(i: number, rule: Rule, g: GlobContext): LintProblem[] {
  const out: LintProblem[] = [];
  if (g.platform !== 'win32') {
    const fields: [string, string[]][] = [['paths', rule.paths], ['except', rule.except ?? []]];
    for (const [name, globs] of fields) {
      globs.forEach((glob, j) => {
        if (ESCAPE.test(glob)) out.push(ruleProblem('warning', i, rule, `${name}[${j}]`, `${JSON.stringify(glob)}: a backslash escapes the next character in a glob; separate directories with "/"`));
      });
    }
  }
  const paths = rule.paths.map((p) => compileGlob(p, g));
  const except = (rule.except ?? []).map((p) => compileGlob(p, g));
  const dead: { j: number; text: string }[] = [];
  paths.forEach((p, j) => {
    if (p.base === '' && !p.self && p.patterns.length === 0) {
      dead.push({ j, text: `${JSON.stringify(p.glob)} matches nothing (the root directory itself is never a target)` });
      return;
    }
    const k = except.findIndex((e) => covers(e, p));
    if (k !== -1) dead.push({ j, text: `${JSON.stringify(p.glob)} lies inside except[${k}] ${JSON.stringify(except[k]?.glob)}` });
  });
  const all = dead.length === paths.length;
  for (const x of dead) out.push(ruleProblem(all ? 'error' : 'warning', i, rule, `paths[${x.j}]`, all ? `${x.text}${DEAD}` : x.text));
  return out;
}

export function lintRules(rules: Rule[], g: GlobContext): LintProblem[] {
  const out: LintProblem[] = [];
  const first = new Map<string, number>();
  rules.forEach((rule, i) => {
    const seen = first.get(rule.id);
    if (seen !== undefined) out.push(ruleProblem('error', i, rule, 'id', `duplicate of rules[${seen}]`));
    else first.set(rule.id, i);
    out.push(...lintTools(i, rule), ...lintPaths(i, rule, g));
  });
  return out;
}

const MCP_KEY = /^mcp__(?:(?:(?!__)[^*])*__\*|[^*]+)$/;

function lintSections(cfg: ConfigFile): LintProblem[] {
  const out: LintProblem[] = [];
  const warn = (severity: LintProblem['severity'], field: string, text: string) => out.push({ severity, field, message: `field ${field}: ${text}` });
  for (const key of Object.keys(cfg.mcp?.tools ?? {})) {
    if (!MCP_KEY.test(key)) warn('warning', `mcp.tools.${key}`, 'never matches a tool: keys are "mcp__<server>__<tool>" or "mcp__<server>__*"');
  }
  const audit = cfg.audit;
  if (!audit) return out;
  audit.redact.forEach((pattern, j) => {
    try {
      compileRedactor([pattern]);
    } catch (err) {
      if (!(err instanceof GuardError)) throw err;
      warn('error', `audit.redact[${j}]`, err.message);
    }
  });
  if (audit.sinks?.length === 0) warn('warning', 'audit.sinks', 'empty, so nothing is recorded (leave "sinks" out for the default file)');
  const queues = new Map<string, number>();
  (audit.sinks ?? []).forEach((s, j) => {
    if (s.type === 'file' || (s.type === 'syslog' && s.transport === 'udp')) return;
    const q = queueName(s);
    const prev = queues.get(q);
    if (prev === undefined) queues.set(q, j);
    else warn('error', `audit.sinks[${j}]`, `shares spool queue ${q} with audit.sinks[${prev}], which alone receives its records; give it its own "name"`);
  });
  return out;
}

/** Every lint problem of a config that passed the schema. */
export function lintConfig(cfg: ConfigFile, g: GlobContext): LintProblem[] {
  return [...lintRules(cfg.rules ?? [], g), ...lintCommandRules(cfg.commands ?? []), ...lintSections(cfg)];
}
