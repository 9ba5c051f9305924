// Targets of MCP tool calls (`mcp__<server>__<tool>`, same flat name on both hosts) and of any
// other tool the guard has no extractor for. Arguments have no fixed schema, so this is a
// fail-closed heuristic: known file tools by name, otherwise every path-like argument
// (lib/targets/args.ts) counts as a write. A tool's name is chosen by whoever wrote its server and
// says nothing the guard can rely on (`get_and_write_file`, `list_and_delete`): a tool reads only
// when it is one of the well-known read tools below or the config says so (`mcp.tools.<tool>`:
// `readOnly`, `reads`, `ignore`).
import { GuardError, type Op, type RawTarget } from '../types.js';
import { pathArguments } from './args.js';

/** Per-tool override from config; field names are keys of tool_input. */
export interface McpToolOverride { writes?: string[]; reads?: string[]; ignore?: boolean; readOnly?: boolean }

interface Known { fields: Record<string, Op>; op: Op }
const write = (fields: Record<string, Op> = { path: 'write' }): Known => ({ fields, op: 'write' });
const read = (fields: Record<string, Op> = { path: 'read' }): Known => ({ fields, op: 'read' });
const del: Known = { fields: { path: 'delete' }, op: 'delete' };

/** Tools of the official filesystem server (@modelcontextprotocol/server-filesystem) and common kin. */
const KNOWN: Readonly<Record<string, Known>> = {
  write_file: write(),
  edit_file: write(), // also with dryRun: true; the guard does not trust a flag to mean "no write"
  create_directory: write(),
  move_file: write({ source: 'move-from', destination: 'move-to' }),
  delete_file: del,
  remove_file: del,
  delete_directory: del,
  remove_directory: del,
  read_file: read(),
  read_text_file: read(),
  read_media_file: read(),
  read_multiple_files: read({ paths: 'read' }),
  list_directory: read(),
  list_directory_with_sizes: read(),
  directory_tree: read(),
  search_files: read(),
  get_file_info: read(),
  list_allowed_directories: read({}),
};

/**
 * Targets of an MCP call, or undefined when `tool` is not an MCP tool. Override keys are the
 * full tool name or `mcp__<server>__*`; the exact name wins.
 */
export function mcpTargets(
  tool: string, input: Record<string, unknown>, base: string, overrides?: Record<string, McpToolOverride>,
): RawTarget[] | undefined {
  return tool.startsWith('mcp__') ? argumentTargets(tool, input, base, overrides) : undefined;
}

/**
 * Targets of a tool known only by its arguments: an MCP tool, or a tool the guard has no
 * extractor for (one a host adds in a later release). Fail closed: every path in the arguments
 * (lib/targets/args.ts) is written, unless the tool is a well-known read tool or the config says
 * it only reads (`readOnly`). Config overrides (`mcp.tools`, by full name; MCP also `mcp__<server>__*`) name the
 * fields that are written or read, or drop the tool.
 */
export function argumentTargets(
  tool: string, input: Record<string, unknown>, base: string, overrides?: Record<string, McpToolOverride>,
): RawTarget[] {
  const mcp = tool.startsWith('mcp__');
  const rest = tool.slice(5);
  const sep = rest.indexOf('__');
  const name = mcp && sep >= 0 ? rest.slice(sep + 2) : '';
  const override = overrideOf(tool, overrides);
  if (override?.ignore) return [];

  const out: RawTarget[] = [];
  const add = (fields: string[], op: Op, forced?: 'path'): void => {
    for (const f of pathArguments(tool, input, fields, forced ? { forced } : {})) {
      out.push({ op, path: f.path, base, via: `${tool} ${f.field}`, literal: f.literal });
    }
  };
  const decided = new Set<string>();
  const decide = (fields: readonly string[] | undefined, op: Op): void => {
    const fresh = (fields ?? []).filter((f) => !decided.has(f));
    for (const f of fresh) decided.add(f);
    add(fresh, op, 'path');
  };
  decide(override?.writes, 'write');
  decide(override?.reads, 'read');

  const known = mcp && Object.hasOwn(KNOWN, name) ? KNOWN[name] : undefined;
  for (const [field, op] of Object.entries(known?.fields ?? {})) if (!decided.has(field)) decide([field], op);
  const fallback: Op = override?.readOnly ? 'read' : known ? known.op : 'write';
  add(Object.keys(input).filter((f) => !decided.has(f)), fallback);
  if (known && known.op !== 'read' && out.length === 0 && override === undefined) {
    throw new GuardError(`${tool} tool_input has no path`, 'tool_input');
  }
  return out;
}

/** The config's override for `tool`: by its full name, else (MCP) by `mcp__<server>__*`. */
export function overrideOf(tool: string, overrides?: Record<string, McpToolOverride>): McpToolOverride | undefined {
  if (!tool.startsWith('mcp__')) return lookup(overrides, tool);
  const rest = tool.slice(5);
  const sep = rest.indexOf('__');
  return lookup(overrides, tool) ?? lookup(overrides, `mcp__${sep < 0 ? rest : rest.slice(0, sep)}__*`);
}

function lookup(overrides: Record<string, McpToolOverride> | undefined, key: string): McpToolOverride | undefined {
  return overrides && Object.hasOwn(overrides, key) ? overrides[key] : undefined;
}
