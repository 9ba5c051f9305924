// Targets of Claude Code's file tools (Write, Edit, MultiEdit, NotebookEdit, Read).
import { GuardError, type Op, type RawTarget } from '../types.js';

const FILE_TOOLS: Readonly<Record<string, { field: string; op: Op }>> = {
  Write: { field: 'file_path', op: 'write' },
  Edit: { field: 'file_path', op: 'write' },
  MultiEdit: { field: 'file_path', op: 'write' },
  NotebookEdit: { field: 'notebook_path', op: 'write' },
  Read: { field: 'file_path', op: 'read' },
};

/**
 * The one path a Claude file tool touches, or undefined when `tool` is not a file tool.
 * A missing, empty or non-string path field is a GuardError: the call cannot be judged.
 */
export function fileToolTargets(tool: string, input: Record<string, unknown>, base: string): RawTarget[] | undefined {
  if (!Object.hasOwn(FILE_TOOLS, tool)) return undefined;
  const { field, op } = FILE_TOOLS[tool]!;
  const path = input[field];
  if (typeof path !== 'string' || path === '') {
    throw new GuardError(`${tool} tool_input.${field} must be a non-empty string`, 'tool_input');
  }
  return [{ op, path, base, via: tool, literal: path }];
}
