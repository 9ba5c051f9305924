// Build step: writes the V8 code caches beside the built hooks (dist/hooks/*.cache) for the Node
// running the build (cli/install/code-cache.ts says how). A cache only helps the same Node version
// with the same V8 flags; any other Node rejects it and compiles as usual (`hookwarden doctor`
// says which, and `hookwarden install` rewrites them). Usage: tsx scripts/code-cache.ts [dist]
import fs from 'node:fs';
import path from 'node:path';
import { writeCodeCaches } from '../cli/install/code-cache.js';

const dist = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..', 'dist'));
const written = writeCodeCaches(dist);
for (const f of written) {
  process.stdout.write(`code cache: ${path.relative(process.cwd(), f)} (${(fs.statSync(f).size / 1024).toFixed(0)} KiB)\n`);
}
if (written.length < 4) throw new Error(`expected 4 code caches (3 hooks and the shell parser), wrote ${written.length}`);
