// Turns a verdict into the exact bytes each host understands (protocol doc §5.2, §7, §8).
import { oneLine } from './errors.js';
import type { Agent, Verdict } from './types.js';

export interface Answer {
  exitCode: 0 | 2;
  stdout: string;
  stderr: string;
}

const PREFIX = 'hookwarden: ';

/** One line: hosts show stderr to the model verbatim, and Codex needs it non-empty to block. */
export function reasonLine(text: string): string {
  return oneLine(text, { max: Number.POSITIVE_INFINITY }) || 'blocked';
}

/**
 * PreToolUse. Block = exit 2 + one stderr line + empty stdout on both hosts (the most robust
 * form: Codex ignores stdout on exit 2, and a JSON deny with a blank reason would fail open).
 * `ask` is only understood by Claude; Codex rejects it and would run the tool, so there it blocks.
 * Allow = exit 0 and nothing at all (Codex rejects `permissionDecision: "allow"` without updatedInput).
 */
export function answerPreToolUse(agent: Agent, verdict: Verdict): Answer {
  const reason = reasonLine(verdict.reason ?? `${verdict.decision} (no reason given)`);
  if (verdict.decision === 'deny') return { exitCode: 2, stdout: '', stderr: `${PREFIX}${reason}\n` };
  if (verdict.decision === 'ask') {
    if (agent === 'claude') {
      const out = {
        hookSpecificOutput: {
          hookEventName: 'PreToolUse',
          permissionDecision: 'ask',
          permissionDecisionReason: `${PREFIX}${reason}`,
        },
      };
      return { exitCode: 0, stdout: JSON.stringify(out), stderr: '' };
    }
    return { exitCode: 2, stdout: '', stderr: `${PREFIX}${reason} (confirmation required; Codex cannot ask, so the call is blocked)\n` };
  }
  return { exitCode: 0, stdout: '', stderr: '' };
}

/** A failure before any verdict exists: block with the one-line reason. */
export function answerError(message: string): Answer {
  return { exitCode: 2, stdout: '', stderr: `${PREFIX}blocked: ${reasonLine(message)}\n` };
}
