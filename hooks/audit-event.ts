// Records SessionStart, UserPromptSubmit, PermissionRequest, Stop, SessionEnd (and any other event
// it is registered for). It never blocks and never prints on stdout: for SessionStart and
// UserPromptSubmit plain stdout would become model context.
import { parseEvent } from '../lib/event.js';
import { defaultAudit, emit } from '../audit/emit.js';
import { originOf } from '../audit/origin.js';
import { diagnostics, sinkTime, type HookContext } from './run.js';

export { recordFailure } from '../audit/emit.js';

export async function handle(text: string | Error, ctx: HookContext) {
  const { env, onConfig } = ctx;
  const { agent, payload, config, error, errorCode } = parseEvent(text, { env, onConfig: onConfig && ((c) => onConfig(c.audit, c.root)) });
  const problems = await emit(
    { agent, event: payload?.event ?? 'unknown', payload: payload?.raw, error, errorCode, project: config?.root },
    config?.audit ?? defaultAudit(),
    { ...originOf(ctx), timeoutMs: sinkTime(ctx) },
  );
  ctx.onAudit?.(problems);
  return { exitCode: 0, stdout: '', stderr: diagnostics([error, ...problems]) };
}
