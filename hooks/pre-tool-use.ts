// PreToolUse: decide, record, answer. All logic lives in lib/ and sinks/; the process plumbing
// (stdin, deadline, the daemon) is hooks/client.ts.
import { failedOutcome, preToolUse, type PreToolUseOutcome } from '../lib/guard.js';
import { answerPreToolUse } from '../lib/answer.js';
import { UNRECORDED, auditPreToolUse } from '../audit/emit.js';
import { shellParser } from '../lib/targets/shell/parse.js';
import { installOf } from '../rules/index.js';
import { originOf } from '../audit/origin.js';
import { diagnostics, sinkTime, type HookContext } from './run.js';
import { askGit } from './git-query.js';
import { takeGrantFile } from './grant-take.js';
import { newConfigMemo, type LoadedConfig } from '../lib/config.js';

/** This bundle's own install (it runs from `<dist>/hooks`): the self preset protects it. */
const install = installOf(typeof __dirname === 'string' ? __dirname : undefined, process.execPath);

/**
 * This process's compiled configs (a daemon worker serves up to 1,000 calls): a call reuses one only
 * when its files, environment and every file-system lookup it was built from are unchanged.
 */
const configMemo = newConfigMemo();

/** The daemon loads the shell parser up front, so no tool call pays for it. */
export function warm(): void {
  try {
    shellParser();
  } catch {
    // A missing parser blocks shell commands when one arrives, as it does without the daemon.
  }
}

export { recordFailure } from '../audit/emit.js';

export async function handle(text: string | Error, ctx: HookContext) {
  const { env, onConfig } = ctx;
  const report = onConfig && ((c: LoadedConfig) => onConfig(c.audit, c.root));
  const outcome: PreToolUseOutcome = text instanceof Error ? failedOutcome(text, { env }) : preToolUse(text, { env, git: askGit, install, takeGrant: takeGrantFile, onConfig: report, configMemo });
  const problems = await auditPreToolUse(outcome, { ...originOf(ctx), timeoutMs: sinkTime(ctx) });
  ctx.onAudit?.(problems);
  // A call the trail does not hold does not run: fail closed (the AuditError record, where a
  // sink still works, says why). The reason names the failure, not a way around it.
  const unrecorded = outcome.verdict.decision !== 'deny' && problems.includes(UNRECORDED);
  const verdict = unrecorded
    ? { ...outcome.verdict, decision: 'deny' as const, reason: `the call could not be recorded (${problems.filter((p) => p !== UNRECORDED)[0] ?? UNRECORDED})` }
    : outcome.verdict;
  const answer = answerPreToolUse(outcome.agent, verdict);
  // Diagnostics go to stderr only when allowing: on a block the one stderr line is the reason.
  if (answer.exitCode === 0 && problems.length > 0) {
    answer.stderr += diagnostics(problems.map((p) => `audit: ${p}`));
  }
  return answer;
}
