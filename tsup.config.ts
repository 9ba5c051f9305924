import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { defineConfig } from 'tsup';
import type { Plugin } from 'esbuild';
import { HOOK_SCRIPTS, failsClosed } from './lib/hooks-catalog.js';

/**
 * mvdan-sh is 1.3 MB of JavaScript that only shell commands need. Inside the bundle, V8 compiles
 * it at every hook start, ~40 ms even when the call is a Write (measured by `npm run bench`; as an
 * embedded string it still costs the scan). So it ships once as dist/hooks/mvdan-sh.js and is
 * required only when a shell command arrives. If that file is missing, the load error becomes a
 * block like any parser failure.
 */
const lazyShellParser: Plugin = {
  name: 'lazy-mvdan-sh',
  setup(build) {
    build.onResolve({ filter: /^mvdan-sh$/ }, () => ({ path: 'mvdan-sh', namespace: 'lazy-mvdan-sh' }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-mvdan-sh' }, () => ({
      loader: 'js',
      // Hooks live in dist/hooks, the CLI and demo in dist.
      // Loaded with its V8 code cache (hooks/code-cache.ts), which spares ~40 ms of compiling.
      contents: `const path = require('node:path');
const dir = [__dirname, path.join(__dirname, 'hooks')].find((d) => require('node:fs').existsSync(path.join(d, 'mvdan-sh.js')));
if (!dir) throw new Error('cannot find the shell parser mvdan-sh.js beside ' + __dirname);
module.exports = require(path.join(dir, 'code-cache.js')).requireCached(path.join(dir, 'mvdan-sh.js'), require);`,
    }));
  },
};
/**
 * proper-lockfile wraps fs in graceful-fs, which queues and retries calls on EMFILE for programs
 * holding thousands of descriptors. Loading it cost a hook about 4 ms (it clones fs and pulls in
 * streams, fs/promises and assert). A hook or the forwarder holds a handful of descriptors, so the
 * executables give proper-lockfile plain `node:fs`; the lock protocol itself is unchanged.
 */
const plainFsForLockfile: Plugin = {
  name: 'plain-fs-for-lockfile',
  setup(build) {
    build.onResolve({ filter: /^graceful-fs$/ }, () => ({ path: 'graceful-fs', namespace: 'plain-fs' }));
    build.onLoad({ filter: /.*/, namespace: 'plain-fs' }, () => ({ loader: 'js', contents: "module.exports = require('node:fs');" }));
  },
};
/**
 * signal-exit (through proper-lockfile) requires `assert` for one argument check. Loading assert
 * cost a session's first call ~1.6 ms (it pulls in the terminal-colour and net modules for its
 * error messages). The executables give signal-exit the same check, and nothing else changes.
 */
const lightAssertForSignalExit: Plugin = {
  name: 'light-assert-for-signal-exit',
  setup(build) {
    build.onResolve({ filter: /^(node:)?assert$/ }, (args) => (/[\\/]signal-exit[\\/]/.test(args.importer) ? { path: 'assert', namespace: 'signal-exit-assert' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'signal-exit-assert' }, () => ({
      loader: 'js',
      contents: 'module.exports = { equal(actual, expected, message) { if (actual != expected) throw new Error(message); } };',
    }));
  },
};
/**
 * esbuild turns each module's `import fs from 'node:fs'` (or `import * as`) into its own copy of the
 * built-in's exports (`__toESM`: a getter per export, ~100 for fs): about 70 copies in the guard's
 * bundle, 2 to 3 ms of every hook process's start. Each built-in is imported once, by a small module
 * that every import of it then shares.
 */
const BUILTINS = /^(node:)?(fs|path|os|crypto|util|url|events|buffer|string_decoder|perf_hooks|vm|v8|module|timers)$/;
const sharedBuiltins: Plugin = {
  name: 'shared-builtins',
  setup(build) {
    build.onResolve({ filter: BUILTINS }, (args) => {
      if (args.namespace === 'shared-builtin') return { path: args.path.replace(/^node:/, ''), external: true };
      // ES imports only: a `require()` in a bundled CommonJS package stays a plain require.
      if (args.kind !== 'import-statement') return undefined;
      return { path: args.path.replace(/^node:/, ''), namespace: 'shared-builtin' };
    });
    build.onLoad({ filter: /.*/, namespace: 'shared-builtin' }, (args) => ({
      loader: 'js',
      contents: `import m from '${args.path}';\nexport * from '${args.path}';\nexport default m;\n`,
    }));
  },
};
/**
 * DuckDB (the web console's index, cli/ui/index-db.ts) is a native addon: it stays a package
 * required at run time, loaded only by `hookwarden ui`, never bundled and never reached by a hook.
 */
const duckdbExternal: Plugin = {
  name: 'duckdb-external',
  setup(build) {
    build.onResolve({ filter: /^@duckdb\// }, (args) => ({ path: args.path, external: true }));
  },
};
const parserSource = createRequire(import.meta.url).resolve('mvdan-sh');

// One minified, self-contained CommonJS file per executable: CJS loads faster than ESM and a
// single file means one read at start-up. dist/package.json marks the folder as CommonJS.
// A hook's code goes to hooks/<name>.code.js; hooks/<name>.js is a generated entry that runs
// hooks/client.js, which asks the daemon (hooks/daemon.js) or loads the hook's code through
// hooks/code-cache.js with the V8 code cache `npm run build` writes beside it.
const HOOKS = HOOK_SCRIPTS;
const executables: Record<string, string> = {
  ...Object.fromEntries(HOOKS.map((h) => [`hooks/${h}.code`, `hooks/${h}.ts`])),
  'hooks/code-cache': 'hooks/code-cache.ts',
  'hooks/client': 'hooks/client.ts',
  'hooks/daemon': 'hooks/daemon.ts',
  // The call runs in hooks/worker.js; hooks/runner.js keeps the deadline (in the hook process,
  // loaded only when it decides itself, and in the daemon).
  'hooks/worker': 'hooks/worker.ts',
  'hooks/runner': 'hooks/runner.ts',
  'hooks/recorder': 'hooks/recorder.ts',
  cli: 'cli/index.ts',
  demo: 'scripts/demo.ts',
};

/**
 * The build's identity: the daemon's socket is named by it, so hooks never ask a daemon running
 * other code than their own (the files the daemon loads, hashed).
 */
const buildId = (): string => {
  const h = createHash('sha256');
  for (const f of [...HOOKS.map((n) => `${n}.code.js`), 'mvdan-sh.js', 'code-cache.js', 'client.js', 'daemon.js', 'worker.js', 'runner.js', 'recorder.js']) {
    h.update(readFileSync(`dist/hooks/${f}`));
  }
  return h.digest('hex');
};

/** The entry agents run. A guard that cannot load blocks (exit 2); the recorders never block. */
const hookEntry = (name: string, build: string): string => `#!/usr/bin/env node
'use strict';
// Generated by the build (tsup.config.ts): hooks/client.js answers through the daemon of build
// ${build.slice(0, 16)} or runs ${name}.code.js itself.
try {
  require('./client.js').main(__dirname, '${name}', ${failsClosed(name)}, '${build}');
} catch (err) {
  try {
    require('node:fs').writeSync(2, 'hookwarden: cannot load the hook: ' + String(err && err.message).split('\\n')[0] + '\\n');
  } catch {}
  process.exit(${failsClosed(name) ? 2 : 0});
}
`;

const hooks = defineConfig({
  entry: Object.fromEntries(Object.entries(executables).filter(([, src]) => existsSync(src))),
  outDir: 'dist',
  format: ['cjs'],
  outExtension: () => ({ js: '.js' }),
  platform: 'node',
  target: 'node20',
  bundle: true,
  noExternal: [/.*/],
  splitting: false,
  minify: true,
  sourcemap: false,
  clean: false, // `npm run build` empties dist/ first; two configs share it
  shims: false,
  banner: { js: '#!/usr/bin/env node' },
  // tsup's own node: handling would mark the built-ins external before sharedBuiltins sees them.
  removeNodeProtocol: false,
  esbuildPlugins: [sharedBuiltins, lazyShellParser, plainFsForLockfile, lightAssertForSignalExit, duckdbExternal],
  async onSuccess() {
    writeFileSync('dist/package.json', '{"type":"commonjs"}\n');
    copyFileSync(parserSource, 'dist/hooks/mvdan-sh.js');
    // The web console's page: plain files, served by dist/cli.js from dist/ui.
    mkdirSync('dist/ui', { recursive: true });
    for (const f of readdirSync('cli/ui/assets')) copyFileSync(`cli/ui/assets/${f}`, `dist/ui/${f}`);
    const build = buildId();
    for (const h of HOOKS) writeFileSync(`dist/hooks/${h}.js`, hookEntry(h, build), { mode: 0o755 });
    // The compiled client (client/hookwarden-client.c) names the daemon's socket by it without starting Node.
    writeFileSync('dist/hooks/build.id', `${build}\n`);
    for (const name of ['cli', 'demo']) {
      const file = `dist/${name}.js`;
      if (existsSync(file)) chmodSync(file, 0o755);
    }
  },
});

// The pure core as a typed ESM library (`import { evaluate } from 'hookwarden'`). Bundled like the
// hooks so it behaves the same; `require` is provided for the bundled CommonJS dependencies.
const library = defineConfig({
  entry: { 'lib/index': 'lib/index.ts' },
  outDir: 'dist',
  format: ['esm'],
  outExtension: () => ({ js: '.mjs', dts: '.d.mts' }),
  platform: 'node',
  target: 'node20',
  bundle: true,
  noExternal: [/.*/],
  splitting: false,
  minify: false,
  dts: true,
  clean: false,
  banner: { js: "import { createRequire as __hwCreateRequire } from 'node:module'; const require = __hwCreateRequire(import.meta.url);" },
});

export default [hooks, library];
