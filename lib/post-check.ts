// PostToolUse core: optionally re-checks a call that already ran. A write to a protected path that
// got through (a tool that fired no PreToolUse, a guard that was not registered yet) is reported
// back to the model; the tool has run, so this can only inform, never undo.
import type { LoadedConfig } from './config.js';
import type { Payload } from './payload.js';
import { evaluatePayload, describeError, type GuardEnv } from './guard.js';
import type { Verdict } from './types.js';

export interface PostOutcome {
  verdict?: Verdict;
  /** The JSON both hosts understand as "show this to the model instead of / beside the output". */
  stdout: string;
  error?: string;
}

export function postCheck(payload: Payload, config: LoadedConfig, genv: GuardEnv): PostOutcome {
  // A rejected payload's stand-in, or the audit-only config of a call whose config did not load:
  // nothing to check (the failure is already the record's error).
  if (payload.rejected || typeof config.root !== 'string') return { stdout: '' };
  try {
    const verdict = evaluatePayload(payload, config, genv);
    if (verdict.decision === 'allow') return { verdict, stdout: '' };
    const reason = `hookwarden: this call touched a protected path after all: ${verdict.reason ?? verdict.decision}. The change has been recorded in the audit log.`;
    return { verdict, stdout: JSON.stringify({ decision: 'block', reason }) };
  } catch (err) {
    return { stdout: '', error: describeError(err) };
  }
}
