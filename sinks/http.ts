// HTTP sink, hook side: the hook never waits on the network, so `write` only appends the record
// to the sink's spool queue. Delivery (undici) lives in http-deliver.ts, loaded by the forwarder.
import type { HttpSinkConfig } from '../lib/audit-config.js';
import { spooledSink, type SpoolQueue } from './spool.js';
import type { Sink, SinkErrorHandler } from './types.js';

/** Origin and path only: a query string may carry a secret. */
export function httpLabel(cfg: HttpSinkConfig): string {
  try {
    const u = new URL(cfg.url);
    return `http ${u.origin}${u.pathname}`;
  } catch {
    return 'http';
  }
}

const ENV_REF = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Header values with `${NAME}` replaced from the environment, so secrets live in the environment
 * and never in the config file. An unset (or empty) variable is an error: sending a request with
 * a blank credential would only earn a 401 and hide the real problem.
 */
export function resolveHeaders(headers: Record<string, string>, env: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = value.replace(ENV_REF, (_, ref: string) => {
      const v = env[ref];
      if (v === undefined || v === '') throw new Error(`header ${name} references \${${ref}}, which is not set`);
      return v;
    });
  }
  return out;
}

export interface HttpSinkOptions {
  queue: () => SpoolQueue;
  onError?: SinkErrorHandler;
}

export function createHttpSink(cfg: HttpSinkConfig, opts: HttpSinkOptions): Sink {
  return spooledSink(cfg.name ?? httpLabel(cfg), opts);
}
