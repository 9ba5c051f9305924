// PostToolUse entry: records the outcome of every tool call. Never blocks, unless the opt-in
// `audit.postCheck` finds that a protected path was written anyway.
import { parseEvent } from '../lib/event.js';
import { postCheck } from '../lib/post-check.js';
import { defaultAudit, emit } from '../sinks/emit.js';
import { deadlineFromEnv, diagnostics, readPayloadText, runHook } from './run.js';

const env = process.env;

runHook(
  async () => {
    const { agent, payload, config, error } = parseEvent(await readPayloadText(env), { env });
    const audit = config?.audit ?? defaultAudit();
    const check = payload && config && audit.postCheck ? postCheck(payload, config, { env }) : undefined;
    const problems = await emit(
      { agent, event: payload?.event ?? 'PostToolUse', payload: payload?.raw, verdict: check?.verdict, error: error ?? check?.error, project: config?.root },
      audit,
      { env },
    );
    return { exitCode: 0, stdout: check?.stdout ?? '', stderr: diagnostics([error, check?.error, ...problems]) };
  },
  { failClosed: false, deadlineMs: deadlineFromEnv(env) },
);
