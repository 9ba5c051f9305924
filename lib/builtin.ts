// Node built-ins and bundled packages that only some runs use, loaded on first call instead of at
// start-up. Each of child_process, net, dgram and node:module adds 2-3 ms to a fresh process on
// the benchmark machine, and a hook that only appends to the file sink needs none of them.

/** The value of `load()`, computed on the first call. */
function once<T>(load: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= load());
}

// process.getBuiltinModule (Node >= 20.16) loads a built-in from anywhere, without `require`.
export const childProcess = once(() => process.getBuiltinModule('node:child_process'));
export const net = once(() => process.getBuiltinModule('node:net'));
export const dgram = once(() => process.getBuiltinModule('node:dgram'));
export const tls = once(() => process.getBuiltinModule('node:tls'));

/**
 * `require` for packages outside the bundle's static graph (the tests run the sources as ESM,
 * where `require` does not exist). Under the tsup bundle, call sites use the bundler's `require`
 * directly so the package is bundled; this is the fallback for the sources.
 */
export function sourceRequire(from: string): NodeJS.Require {
  return process.getBuiltinModule('node:module').createRequire(from);
}
