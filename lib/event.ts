// Shared first step of the recording hooks: payload and config, with failures kept as data
// (a recorder must still write its record when either is broken).
import { parsePayload, type Payload } from './payload.js';
import { loadConfig, type LoadedConfig } from './config.js';
import { describeError, fallbackAgent, homeOf, type GuardEnv } from './guard.js';
import type { Agent } from './types.js';

export interface EventInput {
  agent: Agent;
  payload?: Payload;
  config?: LoadedConfig;
  error?: string;
}

export function parseEvent(text: string | Error, genv: GuardEnv): EventInput {
  if (text instanceof Error) return { agent: fallbackAgent(genv), error: describeError(text) };
  let payload: Payload | undefined;
  try {
    // Bounded by the hook's read; the config's limits.maxInputBytes applies once it is loaded.
    payload = parsePayload(text, genv.env, { maxBytes: Number.MAX_SAFE_INTEGER, ...(genv.agent ? { agent: genv.agent } : {}) });
    const config = loadConfig({ cwd: payload.cwd, home: homeOf(genv), env: genv.env, platform: genv.platform ?? process.platform });
    genv.onConfig?.(config);
    const max = config.limits.maxInputBytes;
    if (Buffer.byteLength(text) > max) return { agent: payload.agent, payload, config, error: `hook payload exceeds ${max} bytes` };
    return { agent: payload.agent, payload, config };
  } catch (err) {
    return { agent: payload?.agent ?? fallbackAgent(genv), payload, error: describeError(err) };
  }
}
