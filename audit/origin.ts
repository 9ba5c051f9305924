// Where a recorded call came from, in a module of its own: the hook client copies it on every call
// and must not load the audit layer to do so.

/**
 * The hook process a call came from. It travels with the call from the hook's client through the
 * daemon and a worker to the handler and the record (hooks/run.ts `HookOrigin`); every hop copies
 * it with `originOf`, so a field added here reaches the record without touching each hop.
 */
export interface CallOrigin {
  env: Record<string, string | undefined>;
  /** The hook process recorded (the daemon passes its client's). */
  pid?: number;
  /** The hook process's working directory: relative sink paths resolve against it (never process.cwd()). */
  cwd?: string;
}

/** The origin fields of anything that carries them (a hook's context, a request, a worker message). */
export function originOf<O extends CallOrigin>(o: O): Pick<O, keyof CallOrigin> {
  return { env: o.env, pid: o.pid, cwd: o.cwd };
}
