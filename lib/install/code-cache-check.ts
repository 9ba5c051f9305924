// `hookwarden doctor`: whether this Node takes the V8 code caches the build wrote beside the hooks
// (dist/hooks/*.cache). A rejected or stale cache changes nothing but speed: the hook compiles its
// bundle from source, about 11 ms more per call and 55 ms more for shell commands on the
// benchmark machine. It is checked with the build's own loader, dist/hooks/code-cache.js.
import fs from 'node:fs';
import path from 'node:path';
import { sourceRequire } from '../builtin.js';
import { mk } from './registration.js';
import type { Check } from './result.js';

const FILES = ['pre-tool-use.code.js', 'post-tool-use.code.js', 'audit-event.code.js', 'mvdan-sh.js'];

interface Loader { compileCached(file: string): { cache: 'accepted' | 'rejected' | 'stale' | 'none' } }

export function codeCacheCheck(distDir: string): Check {
  const hooks = path.join(distDir, 'hooks');
  const loaderFile = path.join(hooks, 'code-cache.js');
  const fix = 'rebuild with the Node that runs the hooks: npm run build';
  if (!fs.existsSync(loaderFile)) return mk(null, 'code-cache', 'warn', `no ${loaderFile}: not a built hookwarden`, fix);
  let loader: Loader;
  try {
    loader = sourceRequire(loaderFile)(loaderFile) as Loader;
  } catch (err) {
    return mk(null, 'code-cache', 'warn', `cannot load ${loaderFile}: ${(err as Error).message.split('\n')[0]}`, fix);
  }
  const states = FILES.map((f) => {
    try {
      return [f, loader.compileCached(path.join(hooks, f)).cache] as const;
    } catch (err) {
      return [f, `unreadable (${(err as NodeJS.ErrnoException).code ?? 'error'})`] as const;
    }
  });
  const bad = states.filter(([, s]) => s !== 'accepted');
  if (bad.length === 0) return mk(null, 'code-cache', 'ok', `V8 code caches accepted by Node ${process.versions.node} (${FILES.length} files)`);
  return mk(null, 'code-cache', 'warn',
    `code cache not used by Node ${process.versions.node} for ${bad.map(([f, s]) => `${f} (${s})`).join(', ')}: the hooks compile from source, slower but the same`, fix);
}
