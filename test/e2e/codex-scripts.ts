// The model scripts of the Codex block scenarios, as data: the scenario runs them with hookwarden
// installed, the control runs them without and proves that every one of them really writes.
import fs from 'node:fs';
import path from 'node:path';
import type { Sandbox } from './agents.js';
import type { CodexStep } from './codex-model.js';

export interface BlockScript {
  name: string;
  steps: CodexStep[];
  mcp?: boolean;
  setup?(sb: Sandbox): void;
  /** Paths (relative to the project) that the calls create or change when nothing guards them. */
  writes: string[];
}

export const patch = (...lines: string[]): string => ['*** Begin Patch', ...lines, '*** End Patch', ''].join('\n');

const APP = 'export const x = 1;\n';

export const S1: BlockScript = {
  name: 'codex 1 (exec_command echo hi > .env)',
  steps: [{ kind: 'exec', cmd: 'echo hi > .env', callId: 'call_env1' }],
  writes: ['.env'],
};

export const S2: BlockScript = {
  name: 'codex 2 (apply_patch add .env / multi-file with .git/config / move onto .env)',
  steps: [
    { kind: 'patch', callId: 'call_add_env', input: patch('*** Add File: .env', '+API_KEY=1') },
    {
      kind: 'patch', callId: 'call_multi',
      input: patch('*** Add File: src/first.ts', '+export const a = 1;', '*** Update File: .git/config', '@@', ' [core]', '-\trepositoryformatversion = 0', '+\trepositoryformatversion = 1'), // GIT_CONFIG
    },
    { kind: 'patch', callId: 'call_move', input: patch('*** Update File: src/app.ts', '*** Move to: .env', '@@', '-export const x = 1;', '+API_KEY=1') },
  ],
  setup: (sb) => fs.writeFileSync(path.join(sb.project, 'src', 'app.ts'), APP),
  writes: ['.env', 'src/first.ts', '.git/config', 'src/app.ts'],
};

export const S3: BlockScript = {
  name: 'codex 3 (apply_patch heredoc via exec_command)',
  steps: [{ kind: 'exec', cmd: `apply_patch <<'EOF'\n${patch('*** Add File: .env', '+API_KEY=1')}EOF\n`, callId: 'call_heredoc' }],
  writes: ['.env'],
};

export const S4: BlockScript = {
  name: 'codex 4 (bash -c "cd sub && tee ../\'.e\'nv")',
  steps: [{ kind: 'exec', cmd: `bash -c "cd sub && tee ../'.e'nv < /dev/null"`, callId: 'call_wrapped' }],
  setup: (sb) => fs.mkdirSync(path.join(sb.project, 'sub')),
  writes: ['.env'],
};

export const S5: BlockScript = {
  name: 'codex 5 (MCP write_file into .git/)',
  steps: [
    { kind: 'mcp', server: 'demo', tool: 'write_file', args: { path: 'notes/a.md', content: 'hello\n' }, callId: 'call_mcp_ok' },
    { kind: 'mcp', server: 'demo', tool: 'write_file', args: { path: '.git/hooks/pre-commit', content: '#!/bin/sh\n' }, callId: 'call_mcp_git' },
  ],
  mcp: true,
  writes: ['notes/a.md', '.git/hooks/pre-commit'],
};

/** Snapshot of the paths a script writes: content, or null when absent. */
export function snapshot(sb: Sandbox, rels: string[]): Record<string, string | null> {
  return Object.fromEntries(rels.map((rel) => {
    const file = path.join(sb.project, rel);
    return [rel, fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null];
  }));
}
