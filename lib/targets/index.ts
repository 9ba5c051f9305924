// Dispatcher: tool name + tool_input -> every path the call touches.
// The shell extractor is imported statically; it loads its heavy parser lazily itself, so this
// module stays cheap for non-shell tools.
import { GuardError, type Budget, type RawTarget } from '../types.js';
import { patchTargets } from './apply-patch.js';
import { fileToolTargets } from './file-tools.js';
import { argumentTargets, overrideOf, type McpToolOverride } from './mcp.js';
import { shellTargets, type ShellOptions } from './shell/index.js';
import { toolCommandTargets } from './tool-commands.js';
import type { GitQuery } from './shell/git-query.js';
import type { SeenCommand } from './shell/seen.js';

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
  /** Filled with every simple command a shell call runs, for command rules. */
  commands?: SeenCommand[];
}

/**
 * Shell tool names. Both hosts send `Bash` today; the others are Codex's internal names,
 * accepted in case a host version ever puts them on stdin (a guard must not skip a shell call).
 */
const SHELL_TOOLS = new Set(['Bash', 'shell', 'local_shell', 'exec_command', 'container.exec']);

/**
 * Tools known to write no file, by their host's contract: Claude Code's search, web, planning
 * and agent tools (a subagent's own tool calls reach the guard one by one), Codex's internal
 * read-only tools. They are allowed without looking at their arguments, which hold patterns,
 * URLs and prompts, not files. Every other tool without an extractor has its path-like
 * arguments judged as writes (mcp.ts), so a tool a host adds later is never waved through.
 */
const READ_ONLY_TOOLS = new Set([
  'Glob', 'Grep', 'LS', 'NotebookRead', 'WebFetch', 'WebSearch', 'TodoWrite', 'TodoRead', 'Task', 'Agent',
  'TaskOutput', 'BashOutput', 'KillShell', 'KillBash', 'ExitPlanMode', 'EnterPlanMode', 'AskUserQuestion',
  'ListMcpResourcesTool', 'ReadMcpResourceTool', 'SlashCommand', 'Skill',
  'view_image', 'update_plan', 'web_search', 'tool_search', 'request_user_input',
]);

/**
 * Targets of one tool call. Tools known to touch no files (Glob, Grep, WebFetch, Task...) yield [].
 * Throws GuardError when the input cannot be judged.
 */
export function extractTargets(
  toolName: string, input: Record<string, unknown>, cwd: string, opts: ExtractOptions,
): RawTarget[] {
  const targets = dispatch(toolName, input, cwd, opts);
  return opts.reads ? targets : targets.filter((t) => t.op !== 'read');
}

function dispatch(tool: string, input: Record<string, unknown>, cwd: string, opts: ExtractOptions): RawTarget[] {
  const shell: Omit<ShellOptions, 'cwd'> = {
    home: opts.home,
    env: opts.env,
    budget: opts.budget,
    reads: opts.reads,
    maxDepth: opts.maxDepth,
    maxBytes: opts.maxShellBytes,
    walkEntries: opts.walkEntries,
    git: opts.git,
    commands: opts.commands,
  };
  if (SHELL_TOOLS.has(tool)) {
    const command = input.command;
    if (typeof command !== 'string') throw new GuardError(`${tool} tool_input.command must be a string`, 'tool_input');
    return shellTargets(command, { ...shell, cwd });
  }
  if (tool === 'apply_patch') {
    const patch = input.command;
    if (typeof patch !== 'string') throw new GuardError('apply_patch tool_input.command must be a string', 'tool_input');
    return patchTargets(patch, cwd);
  }
  if (READ_ONLY_TOOLS.has(tool) && !(opts.mcp && Object.hasOwn(opts.mcp, tool))) return [];
  const file = fileToolTargets(tool, input, cwd);
  if (file) return file;
  const args = argumentTargets(tool, input, cwd, opts.mcp);
  // A command a tool runs is judged as one (tool-commands.ts), unless the user's config says the
  // tool is to be ignored or only reads.
  const override = overrideOf(tool, opts.mcp);
  if (override?.ignore || override?.readOnly) return args;
  return [...args, ...toolCommandTargets(tool, input, cwd, shell, shellTargets)];
}
