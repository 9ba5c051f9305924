// `npm test`, `npm run NAME`, `yarn NAME`, `pnpm run NAME`, `bun run NAME`, and `npm install`'s
// lifecycle scripts run shell text that package.json holds: an agent that edited package.json in an
// earlier call (`"test": "echo k >> ~/.ssh/authorized_keys"`) then writes through `npm test`. The
// guard reads those scripts where it reads other scripts on disk (one non-blocking open of a regular
// file, bounded) and judges each as `sh -c TEXT` in the package folder. A package.json written by
// the same call is not known yet (as any script the call writes).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { withRegularFile } from '../../regular-file.js';
import type { Arg } from './types.js';

/** Largest package.json read (bigger ones: their scripts are not known). */
const MAX_BYTES = 1024 * 1024;

/** The scripts `npm install`/`ci` runs for the package itself (npm docs, "Life Cycle Operation Order"). */
const INSTALL = ['preinstall', 'install', 'postinstall', 'prepublish', 'preprepare', 'prepare', 'postprepare'];
/** Subcommands that run the script of their own name. */
const NAMED = new Set(['test', 'start', 'stop', 'restart']);
const RUN = new Set(['run', 'run-script', 'rum', 'urn']);
const ALIASES: Record<string, string> = { t: 'test', tst: 'test' };
const INSTALLS = new Set(['install', 'i', 'in', 'ins', 'inst', 'insta', 'instal', 'isnt', 'isnta', 'isntal', 'isntall', 'ci', 'clean-install', 'add']);

export interface PackageScript { name: string; text: string }

/** The package.json scripts `pm ARGS` runs in `cwd`, in order (empty when none is known). */
export function packageScripts(pm: string, args: Arg[], cwd: string): PackageScript[] {
  const words = args.map((a) => a.text).filter((t) => !t.startsWith('-'));
  const sub = words[0];
  if (sub === undefined) return pm === 'yarn' ? lifecycle(cwd) : [];
  const scripts = (): Record<string, string> => scriptsAt(cwd);
  if (INSTALLS.has(sub)) {
    // `npm install NAME` installs a package into this one: the package's own scripts run too.
    return lifecycle(cwd);
  }
  let name: string | undefined;
  if (RUN.has(sub)) name = words[1];
  else if (NAMED.has(sub) || ALIASES[sub]) name = ALIASES[sub] ?? sub;
  else if ((pm === 'yarn' || pm === 'pnpm' || pm === 'bun') && Object.hasOwn(scripts(), sub)) name = sub; // `yarn build`
  if (name === undefined || (pm === 'bun' && sub === 'test')) return []; // `bun test` is bun's own runner
  const all = scripts();
  return [`pre${name}`, name, `post${name}`].flatMap((n) => (Object.hasOwn(all, n) ? [{ name: n, text: all[n]! }] : []));
}

function lifecycle(cwd: string): PackageScript[] {
  const all = scriptsAt(cwd);
  return INSTALL.flatMap((n) => (Object.hasOwn(all, n) ? [{ name: n, text: all[n]! }] : []));
}

function scriptsAt(cwd: string): Record<string, string> {
  const text = withRegularFile(path.join(cwd, 'package.json'), (fd, size) => {
    if (size > MAX_BYTES) return undefined;
    const buf = Buffer.alloc(size);
    const n = fs.readSync(fd, buf, 0, size, 0);
    return buf.subarray(0, n).toString('utf8');
  });
  if (text === undefined) return {};
  try {
    const pkg = JSON.parse(text) as { scripts?: unknown };
    const s = pkg.scripts;
    if (!s || typeof s !== 'object' || Array.isArray(s)) return {};
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(s as Record<string, unknown>)) if (typeof v === 'string') out[k] = v;
    return out;
  } catch {
    return {};
  }
}
