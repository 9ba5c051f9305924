// Loads a hook's bundle (`<name>.code.js`) with its V8 code cache: the decision workers do it
// (hooks/worker.ts); the hook process itself never runs a bundle.
import { messageOf } from '../lib/errors.js';
import path from 'node:path';
import type { Hook } from './run.js';

/** A hook that cannot load reports it as such (not as a decision), and the guard still blocks. */
export class LoadError extends Error {}

/** Loads `<name>.code.js` with its V8 code cache. A failure is reported with the file's name. */
export function loadHook(dir: string, name: string): Hook {
  const file = path.join(dir, `${name}.code.js`);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a separate file, read only on this path
    const cc = require(path.join(dir, 'code-cache.js')) as typeof import('./code-cache.js');
    return cc.requireCached(file, require) as Hook;
  } catch (err) {
    throw new LoadError(`cannot load ${path.basename(file)}: ${messageOf(err)}`);
  }
}
