// Records SessionStart, UserPromptSubmit, PermissionRequest, Stop, SessionEnd (and any other event
// it is registered for). It never blocks and never prints on stdout: for SessionStart and
// UserPromptSubmit plain stdout would become model context.
import { parseEvent } from '../lib/event.js';
import { defaultAudit, emit } from '../sinks/emit.js';
import { deadlineFromEnv, diagnostics, readPayloadText, runHook } from './run.js';

const env = process.env;

runHook(
  async () => {
    const { agent, payload, config, error } = parseEvent(await readPayloadText(env), { env });
    const problems = await emit(
      { agent, event: payload?.event ?? 'unknown', payload: payload?.raw, error, project: config?.root },
      config?.audit ?? defaultAudit(),
      { env },
    );
    return { exitCode: 0, stdout: '', stderr: diagnostics([error, ...problems]) };
  },
  { failClosed: false, deadlineMs: deadlineFromEnv(env) },
);
