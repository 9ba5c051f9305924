// The V8 code caches beside the built hooks (dist/hooks/*.cache): whether this Node takes them
// (`hookwarden doctor`), and writing them for a given Node (`npm run build`, and `hookwarden install`
// when the build's caches are for another Node). A rejected or stale cache changes nothing but
// speed: the hook compiles its bundle from source, about 15 ms more per call and 70 ms more for
// shell commands on the benchmark machine (`npm run bench`, setup "no code cache"). Both use the build's own loader, dist/hooks/code-cache.js.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sourceRequire } from '../../lib/builtin.js';
import { HOOK_SCRIPTS, type HookScript } from '../../lib/hooks-catalog.js';
import { mk } from './registration.js';
import type { Check } from './result.js';

const FILES = [...HOOK_SCRIPTS.map((h) => `${h}.code.js`), 'mvdan-sh.js'];

interface Loader { compileCached(file: string): { cache: 'accepted' | 'rejected' | 'stale' | 'none' } }

/** Each cached file of the build and what this Node makes of its cache. */
export function codeCacheStates(distDir: string): { file: string; state: string }[] | string {
  const hooks = path.join(distDir, 'hooks');
  const loaderFile = path.join(hooks, 'code-cache.js');
  if (!fs.existsSync(loaderFile)) return `no ${loaderFile}: not a built hookwarden`;
  let loader: Loader;
  try {
    loader = sourceRequire(loaderFile)(loaderFile) as Loader;
  } catch (err) {
    return `cannot load ${loaderFile}: ${(err as Error).message.split('\n')[0]}`;
  }
  return FILES.map((file) => {
    try {
      return { file, state: loader.compileCached(path.join(hooks, file)).cache };
    } catch (err) {
      return { file, state: `unreadable (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
    }
  });
}

export function codeCacheCheck(distDir: string): Check {
  const fix = 'run: hookwarden install (it rewrites the caches for the Node it installs with)';
  const states = codeCacheStates(distDir);
  if (typeof states === 'string') return mk(null, 'code-cache', 'warn', states, fix);
  const bad = states.filter((s) => s.state !== 'accepted');
  if (bad.length === 0) return mk(null, 'code-cache', 'ok', `V8 code caches accepted by Node ${process.versions.node} (${FILES.length} files)`);
  return mk(null, 'code-cache', 'warn',
    `code cache not used by Node ${process.versions.node} for ${bad.map((s) => `${s.file} (${s.state})`).join(', ')}: the hooks compile from source, slower but the same`, fix);
}

/**
 * Writes the caches for `nodePath`: each hook runs once, under that Node, on a representative
 * payload in a throwaway sandbox, and what it compiled (its bundle, and the shell parser for the
 * guard) is serialized when it exits, so the cache holds the functions a real call needs. Each
 * file is written whole (temp file, then rename): a hook reading it meanwhile sees the old or the
 * new cache. Returns the cache files written; throws when a hook fails or a file cannot be written.
 */
export function writeCodeCaches(distDir: string, nodePath: string = process.execPath): string[] {
  const hooksDir = path.join(distDir, 'hooks');
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-code-cache-')));
  try {
    const project = path.join(root, 'project');
    fs.mkdirSync(path.join(project, '.git'), { recursive: true });
    fs.mkdirSync(path.join(project, 'src'), { recursive: true });
    const env = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: path.join(root, 'home'),
      XDG_STATE_HOME: path.join(root, 'state'),
      XDG_CONFIG_HOME: path.join(root, 'config'),
      HOOKWARDEN_DAEMON: 'off', // the caches are of what the hook itself compiles
    };
    const list = path.join(root, 'written.txt');
    // Loaded before the hook (-r): serializes what the hook compiled once it exits.
    const writer = path.join(root, 'write-caches.cjs');
    fs.writeFileSync(writer, `const fs = require('node:fs');
globalThis.__hookwardenCacheWriter = true;
const cc = require(${JSON.stringify(path.join(hooksDir, 'code-cache.js'))});
process.on('exit', () => {
  for (const l of cc.loaded) {
    const out = cc.cachePath(l.file);
    fs.writeFileSync(out + '.' + process.pid, cc.cacheBytes(l));
    fs.renameSync(out + '.' + process.pid, out);
    fs.appendFileSync(${JSON.stringify(list)}, out + '\\n');
  }
});
`);
    for (const [hook, payload] of samplePayloads(project)) {
      const r = spawnSync(nodePath, ['-r', writer, path.join(hooksDir, `${hook}.js`)], {
        input: JSON.stringify(payload), env, cwd: project, encoding: 'utf8',
      });
      if (r.status !== 0) throw new Error(`${hook} exited ${r.status} while writing its code cache: ${(r.stderr ?? '').trim().split('\n')[0]}`);
    }
    return [...new Set(fs.readFileSync(list, 'utf8').split('\n').filter(Boolean))];
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** One call per hook of the catalog (a hook without a sample does not compile), taking the paths most calls take. */
function samplePayloads(project: string): [HookScript, Record<string, unknown>][] {
  const codex = { session_id: '01a20e99-3e5f-7a10-8f8a-5383ed36a44d', turn_id: '01a20e99-3e72-7051-a559-fe432a2c27a3',
    transcript_path: null, cwd: project, model: 'gpt-5.5', permission_mode: 'bypassPermissions' };
  // Redirections, a heredoc, quoting, expansions, a loop, cd tracking and file-writing commands:
  // the parser and the shell extractor, the rules, the record and the file sink.
  const command = [
    'cd src && printf \'%s\\n\' "$HOME" > out.txt 2>&1',
    "cat > gen.ts <<'EOF'\nexport const answer = 42;\nEOF",
    'for f in *.ts; do wc -l "$f"; done >> lines.txt',
    'mkdir -p build && cp -r src build/ && rm -f build/*.o; mv a.txt "b c.txt"',
    'echo "$(date)" | tee -a log.txt >/dev/null',
  ].join('\n');
  const samples: Record<HookScript, Record<string, unknown>> = {
    'pre-tool-use': { ...codex, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: 'call_cache' },
    'post-tool-use': { ...codex, hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: 'echo hi > out.txt' },
      tool_response: { output: 'hi\n', exit_code: 0 }, tool_use_id: 'call_cache' },
    'audit-event': { ...codex, hook_event_name: 'SessionStart', source: 'startup' },
  };
  return HOOK_SCRIPTS.map((h) => [h, samples[h]]);
}

/** Whether `nodePath` takes every cache of the build (asked in a process of that Node). */
function acceptedBy(distDir: string, nodePath: string): boolean {
  const script = `const path = require('node:path'); const cc = require(path.join(process.argv[1], 'code-cache.js'));
const files = ${JSON.stringify(FILES)};
process.exit(files.every((f) => cc.compileCached(path.join(process.argv[1], f)).cache === 'accepted') ? 0 : 3);`;
  return spawnSync(nodePath, ['-e', script, path.join(distDir, 'hooks')], { stdio: 'ignore' }).status === 0;
}

/**
 * For `hookwarden install`: when the build's caches are not taken by the Node the hooks will run
 * under (a package built elsewhere, a Node upgrade), writes them for that Node. Returns a line for
 * the install's warnings when it wrote or could not write them; nothing when they were fine or the
 * build has no loader (nothing to cache).
 */
export function refreshCodeCaches(distDir: string, nodePath: string = process.execPath): string | undefined {
  if (!fs.existsSync(path.join(distDir, 'hooks', 'code-cache.js'))) return undefined;
  if (acceptedBy(distDir, nodePath)) return undefined;
  try {
    const written = writeCodeCaches(distDir, nodePath);
    return `code cache: the build's V8 code caches were not for ${nodePath}; wrote ${written.length} for it`;
  } catch (err) {
    return `code cache: cannot write V8 code caches in ${path.join(distDir, 'hooks')} (${(err as Error).message.split('\n')[0]}); `
      + 'the hooks compile from source: slower, same decisions';
  }
}
