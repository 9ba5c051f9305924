// Records SessionStart, UserPromptSubmit, PermissionRequest, Stop, SessionEnd (and any other event
// it is registered for). It never blocks and never prints on stdout: for SessionStart and
// UserPromptSubmit plain stdout would become model context.
import { parseEvent } from '../lib/event.js';
import { defaultAudit, emit } from '../sinks/emit.js';
import { diagnostics, type HookContext } from './run.js';

export const failClosed = false;

export async function handle(text: string | Error, { env, pid }: HookContext) {
  const { agent, payload, config, error } = parseEvent(text, { env });
  const problems = await emit(
    { agent, event: payload?.event ?? 'unknown', payload: payload?.raw, error, project: config?.root },
    config?.audit ?? defaultAudit(),
    { env, pid },
  );
  return { exitCode: 0, stdout: '', stderr: diagnostics([error, ...problems]) };
}
