import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { defineConfig } from 'tsup';

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
  async onSuccess() {
    writeFileSync('dist/package.json', '{"type":"commonjs"}\n');
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
