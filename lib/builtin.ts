// Packages that only some runs use, loaded on first call instead of at start-up (node:module adds
// 2-3 ms to a fresh process on the benchmark machine). The process and network built-ins the
// layers around the core load the same way live in sinks/lazy-builtins.ts: the core starts no
// process and opens no socket.

/**
 * `require` for packages outside the bundle's static graph (the tests run the sources as ESM,
 * where `require` does not exist). Under the tsup bundle, call sites use the bundler's `require`
 * directly so the package is bundled; this is the fallback for the sources.
 */
export function sourceRequire(from: string): NodeJS.Require {
  return process.getBuiltinModule('node:module').createRequire(from);
}
