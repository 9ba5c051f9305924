// The layer rules in .dependency-cruiser.cjs, enforced with no exceptions: no outward import from
// the core, no sink importing decision code, no hook importing the CLI, no runtime import cycle
// anywhere, and no import cycle at all (type-only included) in the shell analysis.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const bin = join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const config = join(root, '.dependency-cruiser.cjs');
const layers = ['lib', 'hooks', 'audit', 'sinks', 'cli', 'rules'];

interface Violation { type: string; from: string; to: string; rule: { name: string }; cycle?: { name: string }[] }

function cruise(cwd: string, args: string[]): { status: number | null; out: string } {
  const r = spawnSync(process.execPath, [bin, '--config', config, ...args], { cwd, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('layers (dependency-cruiser)', () => {
  it('no import breaks a layer rule, and no import cycle exists: zero violations, no baseline', () => {
    // 34 violations when the rules were introduced, 10 after the application code left lib/, 11
    // runtime cycles of the shell analysis before its walker took the recursion (issue 16): none now,
    // and no list of known ones to hide a new one behind.
    assert.equal(existsSync(join(root, '.dependency-cruiser-known-violations.json')), false, 'a baseline of known violations is back');
    const r = cruise(root, ['--output-type', 'json', ...layers]);
    const found = (JSON.parse(r.out.slice(r.out.indexOf('{'))) as { summary: { violations: Violation[] } }).summary.violations
      .map((v) => `${v.rule.name}: ${v.cycle ? [v.from, ...v.cycle.map((c) => c.name)].join(' -> ') : `${v.from} -> ${v.to}`}`);
    assert.deepEqual(found, []);
    assert.equal(r.status, 0, r.out);
  });

  it('the rules catch an outward import, a sink deciding, a hook loading the CLI, a cycle and a type-only cycle in the shell analysis', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hw-arch-'));
    try {
      const file = (p: string, text: string) => { mkdirSync(join(dir, p, '..'), { recursive: true }); writeFileSync(join(dir, p), text); };
      file('tsconfig.json', JSON.stringify({ compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', allowImportingTsExtensions: true, noEmit: true } }));
      file('lib/core.ts', "import { w } from '../sinks/file.ts';\nexport const c = w;\n");
      file('sinks/file.ts', "import { decide } from '../lib/decide.ts';\nexport const w = decide;\n");
      file('lib/decide.ts', 'export const decide = 1;\n');
      file('hooks/entry.ts', "import { run } from '../cli/index.ts';\nexport const e = run;\n");
      file('cli/index.ts', 'export const run = 1;\n');
      file('lib/a.ts', "import { b } from './b.ts';\nexport const a = () => b;\n");
      file('lib/b.ts', "import { a } from './a.ts';\nexport const b = () => a;\n");
      file('lib/spawn.ts', "import { spawn } from 'node:child_process';\nexport const s = spawn;\n");
      // Types only, both ways: no runtime cycle, but one the shell analysis does not allow either.
      file('lib/targets/shell/x.ts', "import type { Y } from './y.ts';\nexport interface X { y?: Y }\n");
      file('lib/targets/shell/y.ts', "import type { X } from './x.ts';\nexport interface Y { x?: X }\n");
      const r = cruise(dir, ['--output-type', 'json', 'lib', 'hooks', 'sinks', 'cli']);
      const violations = (JSON.parse(r.out.slice(r.out.indexOf('{'))) as { summary: { violations: Violation[] } }).summary.violations;
      const found = violations.map((v) => v.rule.name);
      for (const rule of ['core-reaches-outward', 'core-does-io', 'sink-imports-decision', 'hook-imports-cli', 'no-runtime-cycle', 'shell-analysis-cycle']) {
        assert.ok(found.includes(rule), `${rule} not reported: ${found.join(', ')}`);
      }
      const shellRuntime = violations.filter((v) => v.rule.name === 'no-runtime-cycle' && v.from.startsWith('lib/targets/shell/'));
      assert.deepEqual(shellRuntime, [], 'a type-only cycle was taken for a runtime one');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * What an import graph cannot show: a file mutation is a call, not an import, and
 * `process.getBuiltinModule` loads a built-in without one. The core reads (a decision may need a
 * file) but never writes, renames or deletes, and reaches no process or socket by any route.
 */
const MUTATIONS = 'rename|unlink|rm|rmdir|write|writeFile|appendFile|mkdir|mkdtemp|copyFile|cp|symlink|link|chmod|chown|truncate|ftruncate|utimes';
/** A mutating call, through `fs.` or destructured (`const { renameSync } = fs`), sync or callback form. */
const MUTATION = new RegExp(`\\b(${MUTATIONS})Sync\\b|\\bfs\\.(${MUTATIONS})\\(|\\bcreateWriteStream\\b`);
const IO_BUILTIN = /(getBuiltinModule|require)\(\s*['"](node:)?(child_process|net|dgram|tls|http|https|http2|cluster|worker_threads)['"]/;
const WRITE_OPEN = /\bopenSync\([^)]*(['"][wa]\+?['"]|O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND)/;

function sources(dir: string): string[] {
  return readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts')).map((f) => join(dir, f));
}

function offending(text: string): string[] {
  return text.split('\n').filter((line) => !/^\s*(\/\/|\*|\/\*)/.test(line) && (MUTATION.test(line) || IO_BUILTIN.test(line) || WRITE_OPEN.test(line)));
}

describe('the core does no I/O an import graph cannot see', () => {
  it('no file in lib/ or rules/ writes, renames or deletes a file, or loads a process or network built-in', () => {
    const found = ['lib', 'rules'].flatMap((d) => sources(d)).flatMap((f) => offending(readFileSync(join(root, f), 'utf8')).map((l) => `${f}: ${l.trim()}`));
    assert.deepEqual(found, []);
  });

  it('the scan sees each form it forbids', () => {
    for (const line of [
      'fs.renameSync(file, claimed);', 'fs.unlinkSync(x)', 'fs.writeFileSync(p, t)', 'fs.mkdirSync(d)', 'fs.rmSync(d, {})',
      'const { renameSync: mv } = fs;', 'fs.rename(a, b, cb)', 'fs.createWriteStream(p)',
      "process.getBuiltinModule('node:child_process')", "require('net')", "fs.openSync(p, 'w')", 'fs.openSync(p, fs.constants.O_WRONLY | fs.constants.O_CREAT)',
    ]) assert.equal(offending(line).length, 1, line);
    for (const line of ["fs.openSync(p, 'r')", 'fs.readlinkSync(p)', 'fs.readFileSync(p)', 'fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK)', "getBuiltinModule('node:module')", '// fs.renameSync(a, b) in a comment']) {
      assert.deepEqual(offending(line), [], line);
    }
  });
});
