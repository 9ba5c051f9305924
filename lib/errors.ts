// The error catalogue: every failure the guard reports has a stable code from this list, with a
// default message. The code goes into the audit record (`error_code`) beside the one-line message,
// so a trail can be searched for "every call blocked because a config did not load" without
// parsing prose. Modelled on undici's lib/core/errors.js and fastify's lib/errors.js.

export const ERROR_CODES = {
  payload: 'the hook payload is not valid',
  tool_input: 'the tool input is not valid',
  apply_patch: 'the apply_patch input cannot be parsed',
  shell: 'the shell command cannot be checked',
  path: 'a path cannot be placed',
  config: 'a config file is not valid',
  foreign: 'a config file is owned by another user',
  budget: 'the check took longer than its budget',
  deadline: 'the hook did not decide within its deadline',
  overloaded: 'no worker was free to decide the call',
  worker: 'the hook worker failed',
  sink: 'an audit sink failed',
  record: 'the record could not be built as configured',
  usage: 'the command line is not valid',
  internal: 'internal error',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export const isErrorCode = (v: unknown): v is ErrorCode => typeof v === 'string' && Object.hasOwn(ERROR_CODES, v);

/** A failure the guard understands: its message names what is wrong (file, rule, field or construct). */
export class GuardError extends Error {
  constructor(message: string, readonly code: ErrorCode = 'internal') {
    super(message || ERROR_CODES[code]);
    this.name = 'GuardError';
  }
}

// By name too: the hook client (its own bundle, its own GuardError class) reads stdin and hands
// its errors to the hook's bundle, where instanceof fails.
const isGuardError = (err: unknown): err is GuardError =>
  err instanceof GuardError || (err instanceof Error && err.name === 'GuardError');

/** The first line of any thrown value's message. */
export function messageOf(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split('\n')[0] ?? '';
}

/** The catalogue code of any thrown value: a GuardError's own, else `internal`. */
export function codeOf(err: unknown): ErrorCode {
  if (isGuardError(err)) {
    const code = (err as { code?: unknown }).code;
    return isErrorCode(code) ? code : 'internal';
  }
  return 'internal';
}

/** One line for a hook's reason or diagnostic: a GuardError says what is wrong; anything else is internal. */
export function describeError(err: unknown): string {
  if (isGuardError(err)) return err.message;
  return `internal error: ${messageOf(err)}`;
}

/**
 * One line of at most `max` characters. Control characters either become spaces (diagnostics) or,
 * with `escape`, stay visible as `\xNN` (reasons quote literals the model wrote, and a hidden
 * character there would be a way to make two reasons look alike).
 */
export function oneLine(text: string, opts: { max?: number; escape?: boolean } = {}): string {
  const max = opts.max ?? 200;
  const line = opts.escape
    ? text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    // eslint-disable-next-line no-control-regex
    : text.replace(/[\u0000-\u001f\u007f\s]+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
