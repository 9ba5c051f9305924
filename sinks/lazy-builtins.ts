// Node's process and network built-ins, loaded on first call instead of at start-up: each of
// child_process, net and dgram adds 2-3 ms to a fresh process on the benchmark machine, and a hook
// that only appends to the file sink needs none of them. Used by the sinks, the forwarder, the
// hook's git questions and the CLI; never by the core (lib/), which starts no process and opens no
// socket (test/architecture.test.ts).

/** The value of `load()`, computed on the first call. */
function once<T>(load: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= load());
}

// process.getBuiltinModule (Node >= 20.16) loads a built-in from anywhere, without `require`
// (hooks/worker.ts wraps child_process's sync calls when it is loaded this way).
export const childProcess = once(() => process.getBuiltinModule('node:child_process'));
export const net = once(() => process.getBuiltinModule('node:net'));
export const dgram = once(() => process.getBuiltinModule('node:dgram'));
export const tls = once(() => process.getBuiltinModule('node:tls'));
