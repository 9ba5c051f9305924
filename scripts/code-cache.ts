// Build step: writes the V8 code caches beside the built hooks (dist/hooks/*.cache), for the Node
// running the build. Each hook runs once on a representative payload in a throwaway sandbox, and
// what it compiled (its bundle, and the shell parser for the guard) is serialized at exit, so the
// cache holds the functions a real call needs, not only the top level.
//
// A cache only helps the same Node version with the same V8 flags; any other Node rejects it and
// compiles as usual (`hookwarden doctor` says which). Usage: tsx scripts/code-cache.ts [dist]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const dist = path.resolve(process.argv[2] ?? path.join(import.meta.dirname, '..', 'dist'));
const hooksDir = path.join(dist, 'hooks');
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
  };
  // Loaded before the hook (-r): serializes what the hook compiled once it exits.
  const writer = path.join(root, 'write-caches.cjs');
  fs.writeFileSync(writer, `const fs = require('node:fs');
const cc = require(${JSON.stringify(path.join(hooksDir, 'code-cache.js'))});
process.on('exit', () => {
  for (const l of cc.loaded) fs.writeFileSync(cc.cachePath(l.file), cc.cacheBytes(l));
});
`);
  const codex = { session_id: '01a20e99-3e5f-7a10-8f8a-5383ed36a44d', turn_id: '01a20e99-3e72-7051-a559-fe432a2c27a3',
    transcript_path: null, cwd: project, model: 'gpt-5.5', permission_mode: 'bypassPermissions' };
  // Redirections, a heredoc, quoting, expansions, a loop, cd tracking and a file-writing command:
  // the paths most shell calls take through the parser and the extractor.
  const command = [
    'cd src && printf \'%s\\n\' "$HOME" > out.txt 2>&1',
    "cat > gen.ts <<'EOF'\nexport const answer = 42;\nEOF",
    'for f in *.ts; do wc -l "$f"; done >> lines.txt',
    'mkdir -p build && cp -r src build/ && rm -f build/*.o; mv a.txt "b c.txt"',
    'echo "$(date)" | tee -a log.txt >/dev/null',
  ].join('\n');
  const runs: [string, Record<string, unknown>][] = [
    ['pre-tool-use', { ...codex, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: 'call_cache' }],
    ['post-tool-use', { ...codex, hook_event_name: 'PostToolUse', tool_name: 'Bash', tool_input: { command: 'echo hi > out.txt' },
      tool_response: { output: 'hi\n', exit_code: 0 }, tool_use_id: 'call_cache' }],
    ['audit-event', { ...codex, hook_event_name: 'SessionStart', source: 'startup' }],
  ];
  for (const [hook, payload] of runs) {
    const r = spawnSync(process.execPath, ['-r', writer, path.join(hooksDir, `${hook}.js`)], {
      input: JSON.stringify(payload), env, cwd: project, encoding: 'utf8',
    });
    if (r.status !== 0) throw new Error(`${hook} exited ${r.status} while writing its code cache: ${r.stderr.trim()}`);
  }
  const caches = fs.readdirSync(hooksDir).filter((f) => f.endsWith('.cache'));
  for (const f of caches) {
    process.stdout.write(`code cache: dist/hooks/${f} (${(fs.statSync(path.join(hooksDir, f)).size / 1024).toFixed(0)} KiB)\n`);
  }
  if (caches.length < 4) throw new Error(`expected 4 code caches (3 hooks and the shell parser), wrote ${caches.length}`);
} finally {
  fs.rmSync(root, { recursive: true, force: true });
}
