// Targets of MCP tool calls (`mcp__<server>__<tool>`, same flat name on both hosts).
// MCP arguments have no fixed schema, so this is a fail-closed heuristic: known file tools by
// name, otherwise path-like argument names count as writes unless the tool's name says it
// only reads. Config overrides refine it per tool.
import { GuardError, type Op, type RawTarget } from '../types.js';

/** Per-tool override from config; field names are keys of tool_input. */
export interface McpToolOverride { writes?: string[]; reads?: string[]; ignore?: boolean }

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

/** Argument names (lower-cased, `_`/`-` removed) that hold paths on unknown tools. */
const PATH_KEYS = new Set([
  'path', 'paths', 'filepath', 'filepaths', 'filename', 'filenames', 'file', 'files',
  'source', 'sources', 'src', 'sourcepath', 'destination', 'destinationpath', 'dest', 'destpath', 'dst',
  'target', 'targetpath', 'dir', 'directory', 'newpath', 'oldpath', 'outputpath',
]);

const READ_VERBS = ['read', 'get', 'list', 'search', 'find', 'stat', 'view'];
// A name holding one of these is never read-only (`find_and_replace`, `get_or_create_file`).
// Long stems match inside words (`readwrite`); short ones only as whole words (`get_settings`).
const WRITE_STEMS = ['write', 'edit', 'create', 'delete', 'remove', 'move', 'rename', 'replace', 'update',
  'upload', 'insert', 'append', 'modify', 'overwrite', 'truncate', 'mkdir', 'save', 'unlink'];
const WRITE_WORDS = new Set(['set', 'put', 'add', 'rm', 'mv', 'cp', 'copy', 'make', 'apply', 'touch', 'store', 'patch']);

const MAX_NESTING = 16;

/**
 * Targets of an MCP call, or undefined when `tool` is not an MCP tool. Override keys are the
 * full tool name or `mcp__<server>__*`; the exact name wins.
 */
export function mcpTargets(
  tool: string, input: Record<string, unknown>, base: string, overrides?: Record<string, McpToolOverride>,
): RawTarget[] | undefined {
  if (!tool.startsWith('mcp__')) return undefined;
  const rest = tool.slice(5);
  const sep = rest.indexOf('__');
  const server = sep < 0 ? rest : rest.slice(0, sep);
  const name = sep < 0 ? '' : rest.slice(sep + 2);
  const override = lookup(overrides, tool) ?? lookup(overrides, `mcp__${server}__*`);
  if (override?.ignore) return [];

  const out: RawTarget[] = [];
  const add = (field: string, op: Op): void => {
    for (const path of stringsIn(input[field], 0, tool, field)) {
      out.push({ op, path, base, via: `${tool} ${field}`, literal: path });
    }
  };
  const decided = new Set<string>();
  for (const f of override?.writes ?? []) { if (!decided.has(f)) { decided.add(f); add(f, 'write'); } }
  for (const f of override?.reads ?? []) { if (!decided.has(f)) { decided.add(f); add(f, 'read'); } }

  const known = Object.hasOwn(KNOWN, name) ? KNOWN[name] : undefined;
  const fallback: Op = known ? known.op : isReadOnlyName(name) ? 'read' : 'write';
  for (const field of Object.keys(input)) {
    if (decided.has(field)) continue;
    const op = known && Object.hasOwn(known.fields, field) ? known.fields[field]! : undefined;
    if (op) add(field, op);
    else if (PATH_KEYS.has(field.toLowerCase().replace(/[_-]/g, ''))) add(field, fallback);
  }
  if (known && known.op !== 'read' && out.length === 0 && override === undefined) {
    throw new GuardError(`${tool} tool_input has no path`, 'tool_input');
  }
  return out;
}

function lookup(overrides: Record<string, McpToolOverride> | undefined, key: string): McpToolOverride | undefined {
  return overrides && Object.hasOwn(overrides, key) ? overrides[key] : undefined;
}

/** True when the tool's name says it only reads: its first word is a read verb, and no word writes. */
export function isReadOnlyName(name: string): boolean {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const first = words[0];
  if (first === undefined) return false;
  if (words.some((w) => WRITE_WORDS.has(w) || WRITE_STEMS.some((s) => w.includes(s)))) return false;
  if (name === 'directory_tree') return true;
  return READ_VERBS.some((v) => first.startsWith(v));
}

/**
 * Every string in a path argument. Fail closed: an array or object where a path was expected
 * contributes all its strings; numbers, booleans and null name no file and are skipped.
 */
function stringsIn(value: unknown, depth: number, tool: string, field: string, out: string[] = []): string[] {
  if (typeof value === 'string') out.push(value);
  else if (typeof value === 'object' && value !== null) {
    if (depth >= MAX_NESTING) throw new GuardError(`${tool} tool_input.${field} is nested too deeply`, 'tool_input');
    for (const v of Array.isArray(value) ? value : Object.values(value)) stringsIn(v, depth + 1, tool, field, out);
  }
  return out;
}
