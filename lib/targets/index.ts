// Dispatcher: tool name + tool_input -> every path the call touches.
// The shell extractor is imported statically; it loads its heavy parser lazily itself, so this
// module stays cheap for non-shell tools.
import { GuardError, type Budget, type RawTarget } from '../types.js';
import { patchTargets } from './apply-patch.js';
import { fileToolTargets } from './file-tools.js';
import { mcpTargets, type McpToolOverride } from './mcp.js';
import { shellTargets } from './shell/index.js';
import type { GitQuery } from './shell/git-query.js';

export interface ExtractOptions {
  home: string;
  env: Record<string, string | undefined>;
  budget: Budget;
  /** Also report reads (only needed when a read rule is active). */
  reads?: boolean;
  mcp?: Record<string, McpToolOverride>;
  maxDepth?: number;
  maxShellBytes?: number;
  walkEntries?: number;
  git?: GitQuery;
}

/**
 * Shell tool names. Both hosts send `Bash` today; the others are Codex's internal names,
 * accepted in case a host version ever puts them on stdin (a guard must not skip a shell call).
 */
const SHELL_TOOLS = new Set(['Bash', 'shell', 'local_shell', 'exec_command', 'container.exec']);

/**
 * Targets of one tool call. Tools that touch no files (Glob, Grep, WebFetch, Task...) yield [].
 * Throws GuardError when the input cannot be judged.
 */
export function extractTargets(
  toolName: string, input: Record<string, unknown>, cwd: string, opts: ExtractOptions,
): RawTarget[] {
  const targets = dispatch(toolName, input, cwd, opts);
  return opts.reads ? targets : targets.filter((t) => t.op !== 'read');
}

function dispatch(tool: string, input: Record<string, unknown>, cwd: string, opts: ExtractOptions): RawTarget[] {
  if (SHELL_TOOLS.has(tool)) {
    const command = input.command;
    if (typeof command !== 'string') throw new GuardError(`${tool} tool_input.command must be a string`, 'tool_input');
    return shellTargets(command, {
      cwd,
      home: opts.home,
      env: opts.env,
      budget: opts.budget,
      reads: opts.reads,
      maxDepth: opts.maxDepth,
      maxBytes: opts.maxShellBytes,
      walkEntries: opts.walkEntries,
      git: opts.git,
    });
  }
  if (tool === 'apply_patch') {
    const patch = input.command;
    if (typeof patch !== 'string') throw new GuardError('apply_patch tool_input.command must be a string', 'tool_input');
    return patchTargets(patch, cwd);
  }
  return fileToolTargets(tool, input, cwd) ?? mcpTargets(tool, input, cwd, opts.mcp) ?? [];
}
