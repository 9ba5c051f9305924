// Real-shaped inputs for the benchmark: hook payloads built on the committed fixtures (the hosts'
// exact field sets), a list of ordinary shell commands, shell text of any size, and generated rules.
import fs from 'node:fs';
import path from 'node:path';

const FIXTURES = path.resolve(import.meta.dirname, '..', 'test', 'fixtures', 'payloads');

type Json = Record<string, unknown>;

function fixture(name: string): Json {
  return JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8')) as Json;
}

/** A fixture with its cwd and tool_input replaced (field order and the other fields kept). */
function fromFixture(name: string, cwd: string, toolInput: Json, extra: Json = {}): Json {
  return { ...fixture(name), cwd, tool_input: toolInput, ...extra };
}

/** What ordinary agent sessions run: reads, builds, tests, edits through redirects and tools. */
export const TYPICAL_COMMANDS: readonly string[] = [
  'ls -la',
  'git status --short',
  'git diff HEAD~1 -- src/app.ts',
  'cat package.json',
  'grep -rn "TODO" src --include=*.ts',
  'npm test -- --reporter=dot',
  'npx tsc --noEmit -p .',
  "sed -i 's/port = 3000/port = 8080/' src/app.ts",
  "printf 'export {}\\n' > src/index.ts",
  'echo "built at $(date)" >> build.log',
  'mkdir -p build/out && cp src/app.ts build/out/',
  'rm -rf dist coverage',
  'mv src/old.ts src/new.ts',
  "find src -name '*.ts' | xargs wc -l",
  "cat > src/gen.ts <<'EOF'\nexport const answer = 42;\nEOF",
  'python3 -c "print(1)" 2>/dev/null || true',
  'curl -fsSL https://example.com/data.json -o data/data.json',
  'tar czf release.tgz src package.json',
  'for f in src/*.ts; do wc -l "$f"; done > lines.txt',
  '(cd build && npm pack --silent) && touch build/.done',
];

/** `n` (1..) distinct but equally shaped commands, so long scripts are not one line repeated. */
function variant(i: number): string {
  const base = TYPICAL_COMMANDS[i % TYPICAL_COMMANDS.length] ?? 'true';
  const k = Math.floor(i / TYPICAL_COMMANDS.length);
  return k === 0 ? base : base.replace(/src\//g, `src/m${k}/`).replace(/build\b/g, `build${k}`);
}

/** Ordinary shell text of at most `bytes` bytes (whole commands, newline-separated). */
export function shellText(bytes: number): string {
  const parts: string[] = [];
  let size = 0;
  for (let i = 0; ; i++) {
    const cmd = variant(i);
    const add = Buffer.byteLength(cmd) + (parts.length ? 1 : 0);
    if (size + add > bytes) break;
    parts.push(cmd);
    size += add;
  }
  return parts.join('\n');
}

/** An apply_patch body that adds, updates and deletes `files` files under src/. */
export function patchText(files: number): string {
  const lines = ['*** Begin Patch'];
  for (let i = 0; i < files; i++) {
    const f = `src/mod${i}.ts`;
    if (i % 3 === 0) lines.push(`*** Add File: ${f}`, `+export const v${i} = ${i};`, '+');
    else if (i % 3 === 1) lines.push(`*** Update File: ${f}`, '@@ export function run() {', `-  return ${i};`, `+  return ${i + 1};`);
    else lines.push(`*** Delete File: ${f}`);
  }
  lines.push('*** End Patch', '');
  return lines.join('\n');
}

/** Roughly 1 KB lines of build output: what a PostToolUse tool_response of a noisy command holds. */
export function toolOutput(bytes: number): string {
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `[${String(i).padStart(6, '0')}] compiled src/m${i % 97}/file${i}.ts in ${i % 50} ms `.padEnd(199, '.');
    out.push(line);
    size += line.length + 1;
  }
  return out.join('\n').slice(0, bytes);
}

/** One command writing a file through a quoted heredoc: how agents usually send large shell text. */
export function heredocText(bytes: number): string {
  const head = "cat > src/generated.txt <<'EOF'\n";
  const tail = '\nEOF';
  return head + toolOutput(bytes - head.length - tail.length) + tail;
}

export const codexBash = (cwd: string, command: string): Json => fromFixture('codex-pre-bash-write-src', cwd, { command });
export const codexPatch = (cwd: string, files: number): Json =>
  fromFixture('codex-pre-apply-patch-update-src', cwd, { command: patchText(files) });
export const claudeWrite = (cwd: string, file: string): Json =>
  fromFixture('claude-pre-write-env-example', cwd, { file_path: path.join(cwd, file), content: 'export const port = 8080;\n' });
export const codexPostBash = (cwd: string, command: string, response: string): Json =>
  fromFixture('codex-post-bash', cwd, { command }, { tool_response: response });

export interface SpawnCase {
  id: string;
  label: string;
  hook: 'pre-tool-use' | 'post-tool-use';
  payload: Json;
  /** Exit status the hook must give: 0 allowed/recorded, 2 blocked. */
  expectExit: 0 | 2;
  /** Host environment additions (Claude Code sets CLAUDE_PROJECT_DIR for its hooks). */
  env?: Record<string, string>;
}

/** The spawn cases of issue 6, for a project at `project`. */
export function spawnCases(project: string): SpawnCase[] {
  return [
    { id: 'codex-bash-allow', label: 'Codex `Bash` allowed', hook: 'pre-tool-use', expectExit: 0,
      payload: codexBash(project, "printf 'export {}\\n' > src/index.ts") },
    { id: 'codex-bash-deny', label: 'Codex `Bash` blocked (`.env`)', hook: 'pre-tool-use', expectExit: 2,
      payload: codexBash(project, 'echo "API_KEY=sk-live-0123456789" > .env') },
    { id: 'codex-patch-20', label: 'Codex `apply_patch`, 20 files', hook: 'pre-tool-use', expectExit: 0,
      payload: codexPatch(project, 20) },
    { id: 'claude-write-allow', label: 'Claude `Write` allowed', hook: 'pre-tool-use', expectExit: 0,
      payload: claudeWrite(project, 'src/app.ts'), env: { CLAUDE_PROJECT_DIR: project } },
    { id: 'bash-100k', label: 'Codex `Bash`, 100 KB command', hook: 'pre-tool-use', expectExit: 0,
      payload: codexBash(project, shellText(100 * 1024)) },
    { id: 'post-1mb', label: 'PostToolUse, 1 MB tool response', hook: 'post-tool-use', expectExit: 0,
      payload: codexPostBash(project, 'npm run build', toolOutput(1024 * 1024)) },
  ];
}

export interface GeneratedRule {
  id: string;
  effect: 'deny' | 'ask';
  paths: string[];
  except?: string[];
  tools?: string[];
}

/**
 * `n` rules of the shapes users write (anywhere `**` globs, project-relative trees, home config
 * dirs, extensions with exceptions). None matches the typical commands, so every decision has
 * to try them all: the worst case for the rule scan.
 */
export function generatedRules(n: number): GeneratedRule[] {
  const out: GeneratedRule[] = [];
  for (let i = 0; i < n; i++) {
    const id = `bench.r${i}`;
    switch (i % 4) {
      case 0: out.push({ id, effect: 'deny', paths: [`**/cache-${i}/**`] }); break;
      case 1: out.push({ id, effect: 'deny', paths: [`build-${i}/**`, `out-${i}/*.bin`] }); break;
      case 2: out.push({ id, effect: 'ask', paths: [`~/.config/tool-${i}/**`], tools: ['Bash', 'Write'] }); break;
      default: out.push({ id, effect: 'deny', paths: [`**/*.gen${i}`], except: [`**/keep/*.gen${i}`] });
    }
  }
  return out;
}
