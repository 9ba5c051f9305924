// Shared first step of the recording hooks: payload and config, with failures kept as data
// (a recorder must still write its record when either is broken).
import { codeOf, type ErrorCode } from './errors.js';
import { parsePayload, standInFor, type Payload } from './payload.js';
import { loadConfig, type LoadedConfig } from './config.js';
import { describeError, homeOf, rejectedCall, userAuditConfig, type GuardEnv } from './guard.js';
import type { Agent } from './types.js';

export interface EventInput {
  agent: Agent;
  /**
   * The payload; for a rejected one, its stand-in (`rejected: true`, `raw` = the identity fields
   * that could be read) so the record still says which session and call it was.
   */
  payload?: Payload;
  config?: LoadedConfig;
  error?: string;
  /** The catalogue code of `error`. */
  errorCode?: ErrorCode;
}

export function parseEvent(text: string | Error, genv: GuardEnv): EventInput {
  let payload: Payload | undefined;
  try {
    if (text instanceof Error) throw text;
    // Bounded by the hook's read; the config's limits.maxInputBytes applies once it is loaded.
    payload = parsePayload(text, genv.env, { maxBytes: Number.MAX_SAFE_INTEGER, ...(genv.agent ? { agent: genv.agent } : {}) });
    const config = loadConfig({ cwd: payload.cwd, home: homeOf(genv), env: genv.env, platform: genv.platform ?? process.platform });
    genv.onConfig?.(config);
    const max = config.limits.maxInputBytes;
    // Refused as a whole, like a payload over the read limit: identity only, no input or response.
    if (Buffer.byteLength(text) > max) return { agent: payload.agent, payload: standInFor(payload), config, error: `hook payload exceeds ${max} bytes`, errorCode: 'payload' };
    return { agent: payload.agent, payload, config };
  } catch (err) {
    // The config did not load: the record still goes to the user's sinks (see userAuditConfig).
    if (payload) return { agent: payload.agent, payload, config: userAuditConfig(genv), error: describeError(err), errorCode: codeOf(err) };
    const rejected = rejectedCall(err, genv);
    return { agent: rejected.agent, payload: rejected.payload, config: rejected.config, error: describeError(err), errorCode: codeOf(err) };
  }
}
