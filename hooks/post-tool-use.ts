// PostToolUse: records the outcome of every tool call. Never blocks, unless the opt-in
// `audit.postCheck` finds that a protected path was written anyway.
import { parseEvent } from '../lib/event.js';
import { postCheck } from '../lib/post-check.js';
import { defaultAudit, emit } from '../audit/emit.js';
import { originOf } from '../audit/origin.js';
import { diagnostics, sinkTime, type HookContext } from './run.js';

export { recordFailure } from '../audit/emit.js';

export async function handle(text: string | Error, ctx: HookContext) {
  const { env, onConfig } = ctx;
  const { agent, payload, config, error, errorCode } = parseEvent(text, { env, onConfig: onConfig && ((c) => onConfig(c.audit, c.root)) });
  const audit = config?.audit ?? defaultAudit();
  const check = payload && config && audit.postCheck ? postCheck(payload, config, { env }) : undefined;
  const problems = await emit(
    { agent, event: payload?.event ?? 'PostToolUse', payload: payload?.raw, verdict: check?.verdict, error: error ?? check?.error, errorCode: error ? errorCode : undefined, project: config?.root },
    audit,
    { ...originOf(ctx), timeoutMs: sinkTime(ctx) },
  );
  ctx.onAudit?.(problems);
  return { exitCode: 0, stdout: check?.stdout ?? '', stderr: diagnostics([error, check?.error, ...problems]) };
}
