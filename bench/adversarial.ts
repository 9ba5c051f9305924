// The budget target: no input makes the guard exceed its budget. Each case is an input built to
// cost the most that the limits allow (the largest shell text, expansions and walks at their
// caps, nesting past the parser's depth), run through the built hook as a fresh process. A case
// passes when the hook answers as the protocol says (exit 0, or 2 with a one-line reason) within
// the default budget (limits.budgetMs), well inside the host's registered timeout.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_CALL_LIMITS } from '../lib/config-file.js';
import { hookSpec } from '../lib/hooks-catalog.js';
import { codexBash, codexPatch, claudeWrite, heredocText, shellText } from './payloads.js';
import { median } from './stats.js';

const PRE_TIMEOUT = hookSpec('pre-tool-use').timeout;

export interface AdversarialRow {
  label: string;
  bytes: number;
  medianMs: number;
  maxMs: number;
  exit: number | null;
  /** The block reason, or `allowed`. */
  answer: string;
  ok: boolean;
}

export interface AdversarialResult { budgetMs: number; hostTimeoutS: number; rows: AdversarialRow[] }

interface Case { label: string; payload: Record<string, unknown>; env?: Record<string, string> }

function cases(project: string): Case[] {
  const maxShell = DEFAULT_CALL_LIMITS.maxShellBytes;
  const nested = (depth: number): string => `${'echo $('.repeat(depth)}true${')'.repeat(depth)} > out.txt`;
  const quoted = (levels: number): string => {
    let cmd = 'echo hi > out.txt';
    for (let i = 0; i < levels; i++) cmd = `bash -c ${JSON.stringify(cmd)}`;
    return cmd;
  };
  return [
    { label: `largest shell text allowed (${maxShell / 1024 / 1024} MiB of ordinary commands)`, payload: codexBash(project, shellText(maxShell - 1024)) },
    { label: `largest heredoc allowed (${maxShell / 1024 / 1024} MiB)`, payload: codexBash(project, heredocText(maxShell - 1024)) },
    { label: 'shell text over the limit (4 MiB)', payload: codexBash(project, shellText(4 * 1024 * 1024)) },
    { label: 'command substitutions nested 10,000 deep', payload: codexBash(project, nested(10_000)) },
    { label: 'bash -c nested 12 deep (quoting doubles each level)', payload: codexBash(project, quoted(12)) },
    { label: 'brace expansion of 2^40 words', payload: codexBash(project, `touch ${'{a,b}'.repeat(40)}`) },
    { label: 'glob over 20,000 files, 200 times', payload: codexBash(project, Array(200).fill('rm -f big/*').join('; ')) },
    { label: 'rm -rf of a tree of 20,000 files', payload: codexBash(project, 'rm -rf big') },
    { label: 'for loop over 100,000 items with a redirect each', payload: codexBash(project, `for f in $(seq 100000) ${Array.from({ length: 2000 }, (_, i) => `x${i}`).join(' ')}; do echo > "out/$f"; done`) },
    { label: 'apply_patch touching 5,000 files', payload: codexPatch(project, 5000) },
    { label: 'Write of 9 MiB content (largest payload allowed)', payload: claudeWrite(project, 'src/big.ts'), env: { CLAUDE_PROJECT_DIR: project } },
  ];
}

/** Runs every case `runs` times through `hook` (the built pre-tool-use entry). */
export function runAdversarial(hook: string, env: Record<string, string>, project: string, runs: number, log: (m: string) => void): AdversarialResult {
  const big = path.join(project, 'big');
  fs.mkdirSync(big, { recursive: true });
  for (let i = 0; i < 20_000; i++) fs.writeFileSync(path.join(big, `f${i}.o`), '');
  fs.mkdirSync(path.join(project, 'out'), { recursive: true });
  const budgetMs = DEFAULT_CALL_LIMITS.budgetMs;
  const rows = cases(project).map((c): AdversarialRow => {
    if (c.label.startsWith('Write of 9 MiB')) (c.payload.tool_input as Record<string, unknown>).content = 'x'.repeat(9 * 1024 * 1024);
    const input = JSON.stringify(c.payload);
    log(`adversarial: ${c.label}`);
    const times: number[] = [];
    let exit: number | null = null;
    let answer = '';
    let ok = true;
    for (let i = 0; i < runs; i++) {
      const t0 = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [hook], {
        input, env: { ...env, ...c.env }, cwd: project, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: PRE_TIMEOUT * 1000,
      });
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      times.push(ms);
      exit = r.status;
      const reason = r.stderr.trim();
      answer = exit === 0 ? 'allowed' : reason.slice(0, 160);
      const protocol = (exit === 0 && r.stdout === '') || (exit === 2 && /^hookwarden: [^\n]+$/.test(reason) && r.stdout === '');
      if (!protocol || ms > budgetMs) ok = false;
    }
    return { label: c.label, bytes: Buffer.byteLength(input), medianMs: median(times), maxMs: Math.max(...times), exit, answer, ok };
  });
  return { budgetMs, hostTimeoutS: PRE_TIMEOUT, rows };
}
