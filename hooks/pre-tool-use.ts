// PreToolUse entry: read the payload, decide, record, answer. All logic lives in lib/ and sinks/.
import { failedOutcome, preToolUse, type PreToolUseOutcome } from '../lib/guard.js';
import { answerPreToolUse } from '../lib/answer.js';
import { auditPreToolUse } from '../sinks/emit.js';
import { deadlineFromEnv, diagnostics, readPayloadText, runHook } from './run.js';

const env = process.env;

runHook(
  async () => {
    const text = await readPayloadText(env);
    const outcome: PreToolUseOutcome = text instanceof Error ? failedOutcome(text, { env }) : preToolUse(text, { env });
    const answer = answerPreToolUse(outcome.agent, outcome.verdict);
    const problems = await auditPreToolUse(outcome, { env });
    // Diagnostics go to stderr only when allowing: on a block the one stderr line is the reason.
    if (answer.exitCode === 0 && problems.length > 0) {
      answer.stderr += diagnostics(problems.map((p) => `audit: ${p}`));
    }
    return answer;
  },
  { failClosed: true, deadlineMs: deadlineFromEnv(env) },
);
