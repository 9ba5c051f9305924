// Differential oracle (issue 14 item 6): random commands from test/oracle/grammar.ts really run under
// strace in a throwaway copy of the fixture; every protected path a run changed must have been
// blocked by the guard beforehand (soundness). Precision (guard targets the run did not change) is
// reported. ORACLE_RUNS sets the count (npm test: a few hundred; npm run test:oracle: thousands).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { guardProject, writeFixture } from '../helpers/guard-project.js';
import { commandArb } from './grammar.js';
import { traceCommand } from './strace.js';

const RUNS = Number(process.env.ORACLE_RUNS ?? 200);
const PARALLEL = Math.max(1, Math.min(4, Number(process.env.ORACLE_PARALLEL ?? 2)));
const hasStrace = spawnSync('strace', ['-V']).status === 0 && spawnSync('strace', ['-f', '-qq', '-o', '/dev/null', 'true']).status === 0;

const g = guardProject();
const scratch = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-oracle-')));
after(() => {
  g.cleanup();
  fs.rmSync(scratch, { recursive: true, force: true });
  for (const d of fs.readdirSync(os.tmpdir())) if (d.startsWith('hw-oracle-snap-')) fs.rmSync(path.join(os.tmpdir(), d), { recursive: true, force: true });
});

/** Protected paths of the fixture, relative to its root (a path is protected at or beneath one). */
const PROTECTED = ['project/.env', 'project/.git', 'home/.ssh', 'home/.config/hookwarden', 'home/.bashrc'];
const isProtected = (rel: string): boolean => PROTECTED.some((p) => rel === p || rel.startsWith(`${p}/`));

/** What strace said when it could not run a command (reported with the counts). */
const harnessErrors = new Set<string>();
/** The first run whose trace held no changed path (for the report when the grammar seems to reach nothing). */
let firstEmpty: string | undefined;
const straceFailed = (r: { stderr: string; touched: Set<string> }): boolean => r.touched.size === 0 && /^strace: /m.test(r.stderr);

interface Result { command: string; touched: string[]; decision: string; targets: string[]; reason?: string }

async function one(command: string, k: number): Promise<Result> {
  const root = path.join(scratch, `r${k}`);
  const { project, home } = writeFixture(root);
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, LC_ALL: 'C' };
  const v = g.check(command);
  let r = await traceCommand(command, project, env, path.join(root, 'trace.txt'));
  // strace itself failing (its own message on stderr, no trace written) says nothing about the
  // command: in two full-suite runs every run of this test failed so at once, then never alone.
  // Such a run is tried again on a fresh copy; the message is kept for the report.
  for (let tries = 0; tries < 3 && straceFailed(r); tries++) {
    harnessErrors.add(r.stderr.split('\n').find((l) => l.startsWith('strace')) ?? r.stderr.slice(0, 200));
    await new Promise((res) => setTimeout(res, 200));
    fs.rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
    writeFixture(root);
    r = await traceCommand(command, project, env, path.join(root, 'trace.txt'));
  }
  if (r.touched.size === 0 && firstEmpty === undefined) firstEmpty = `status ${r.status}${r.timedOut ? ', timed out' : ''}, ${r.touched.size} paths traced, stderr ${JSON.stringify(r.stderr.slice(0, 300))}: ${command}`;
  const touched = [...r.touched].filter((p) => p.startsWith(`${root}/`)).map((p) => path.relative(root, p));
  fs.rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 }); // a process substitution may still be writing
  const targets = v.targets.filter((t) => t.op !== 'read' && !t.unresolved).map((t) => path.relative(g.root, t.path));
  return { command, touched, decision: v.decision, targets, ...(v.reason ? { reason: v.reason } : {}) };
}

test(`oracle: ${RUNS} random commands run under strace; every protected path changed was blocked`, { skip: !hasStrace && 'strace is not installed', timeout: 30 * 60_000 }, async () => {
  const commands = fc.sample(commandArb, { numRuns: RUNS, seed: Number(process.env.ORACLE_SEED ?? 14) });
  const runAll = async (): Promise<Result[]> => {
    const out: Result[] = [];
    let next = 0;
    await Promise.all(Array.from({ length: PARALLEL }, async () => {
      while (next < commands.length) {
        const k = next++;
        out[k] = await one(commands[k]!, k);
      }
    }));
    return out;
  };
  let results = await runAll();
  // A batch in which no command changed anything at all is the harness failing, not the guard (in
  // some full-suite runs every strace run here came back empty, and never when the file ran alone):
  // it is run once more, and the report below says what the first empty run looked like.
  const emptyBatch = results.every((r) => r.touched.length === 0);
  if (emptyBatch) {
    console.log(`oracle: no command changed anything; the batch is run again (first: ${firstEmpty})`);
    await new Promise((res) => setTimeout(res, 2000));
    results = await runAll();
  }
  const unsound = results.filter((r) => r.decision === 'allow' && r.touched.some(isProtected));
  let predicted = 0;
  let untouched = 0;
  let blockedWithoutTouch = 0;
  for (const r of results) {
    for (const t of r.targets) {
      predicted++;
      if (!r.touched.some((p) => p === t || p.startsWith(`${t}/`))) untouched++;
    }
    if (r.decision !== 'allow' && !r.touched.some(isProtected)) blockedWithoutTouch++;
  }
  const touchedProtected = results.filter((r) => r.touched.some(isProtected)).length;
  console.log(`oracle: ${results.length} runs, ${touchedProtected} changed a protected path (all must be blocked), `
    + `${results.filter((r) => r.decision !== 'allow').length} blocked, ${blockedWithoutTouch} blocked without changing one `
    + `(failed at run time, or a guess); precision: ${predicted - untouched}/${predicted} predicted targets really changed`
    + (harnessErrors.size ? `; strace failed and was retried: ${[...harnessErrors].slice(0, 3).join(' | ')}` : ''));
  assert.deepEqual(unsound.map((r) => ({ command: r.command, touched: r.touched.filter(isProtected), targets: r.targets })), []);
  assert.ok(touchedProtected > results.length / 10, `the grammar reaches protected paths${harnessErrors.size ? ` (strace: ${[...harnessErrors].join(' | ')})` : ''}; first run that changed nothing: ${firstEmpty}`);
});
