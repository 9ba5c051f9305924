import { chmodSync, copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { defineConfig } from 'tsup';
import type { Plugin } from 'esbuild';

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
      contents: `const path = require('node:path');
const here = path.join(__dirname, 'mvdan-sh.js');
module.exports = require(require('node:fs').existsSync(here) ? here : path.join(__dirname, 'hooks', 'mvdan-sh.js'));`,
    }));
  },
};
const parserSource = createRequire(import.meta.url).resolve('mvdan-sh');

// One minified, self-contained CommonJS file per executable: CJS loads faster than ESM and a
// single file means one read at start-up. dist/package.json marks the folder as CommonJS.
const executables = {
  'hooks/pre-tool-use': 'hooks/pre-tool-use.ts',
  'hooks/post-tool-use': 'hooks/post-tool-use.ts',
  'hooks/audit-event': 'hooks/audit-event.ts',
  cli: 'cli/index.ts',
  demo: 'scripts/demo.ts',
};

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
  esbuildPlugins: [lazyShellParser],
  async onSuccess() {
    writeFileSync('dist/package.json', '{"type":"commonjs"}\n');
    copyFileSync(parserSource, 'dist/hooks/mvdan-sh.js');
    for (const name of Object.keys(executables)) {
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
