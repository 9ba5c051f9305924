// The deadline as a design property: the worst inputs we can build (config bombs, a redaction bomb,
// a catastrophic configured pattern, a 10 MB payload, deep JSON, deep shell nesting) fed to the
// built hook in-process (HOOKWARDEN_DAEMON=off), through the daemon, and through the fallback (the
// daemon stopped), each time among 32 concurrent hook processes. Every answer must come within the
// deadline (plus the time a process takes to exit on a loaded machine), as exit 0 or 2, with an
// audit record that keeps the call's identity. This test is timed on purpose: the deadline is the
// property under test. It must hold whatever the config loader or the redactor do, however slow.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DIST, claudePayload, codexPayload, daemonsUnder, readAudit, sandbox } from '../helpers/hook.js';
import { buildClient } from '../helpers/client.js';
import { present } from '../helpers/tmp.js';

/**
 * What 32 Node processes started at once cost this machine before doing anything: the deadline
 * counts from each hook's start, but the test sees the spawn and the exit too. On a shared, loaded
 * machine (32 empty processes took 7 s on 2 cores while other test suites ran) a fixed 3 s would
 * measure the machine, not the hook: the deadline is scaled to it (six times, since an ordinary
 * in-process call costs about four empty processes), and stays far below what the
 * bombs take without preemption (minutes, or no answer at all).
 */
function processCost(): number {
  const t0 = Date.now();
  const r = spawnSync('sh', ['-c', `for i in $(seq 32); do "${process.execPath}" -e '' & done; wait`]);
  assert.equal(r.status, 0);
  return Date.now() - t0;
}
const START_MS = processCost();
/** Scaled to the machine as it is now; each 32-hook run measures again (other suites run beside it). */
const deadlineFor = (cost: number): number => Math.max(4000, Math.round(6 * cost));
const DEADLINE_MS = deadlineFor(START_MS);
/** The answer is due by the deadline; the process's start and exit on the loaded machine come on top. */
const slackFor = (cost: number): number => Math.max(1500, cost);

const sb = sandbox();
const runDir = path.join(sb.root, 'run');
fs.mkdirSync(runDir, { mode: 0o700 });
const base: Record<string, string> = { ...sb.env, HOOKWARDEN_DEADLINE_MS: String(DEADLINE_MS), XDG_RUNTIME_DIR: runDir, HOOKWARDEN_DAEMON_IDLE_MS: '60000' };

after(() => {
  for (const pid of daemonsUnder(runDir)) {
    try {
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  sb.cleanup();
});

interface Case { name: string; cwd: string; env: Record<string, string>; payload: string; id: string; hook?: string }

let seq = 0;
function project(name: string): string {
  const dir = path.join(sb.root, `p-${name}`);
  fs.mkdirSync(path.join(dir, '.git'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  fs.mkdirSync(path.join(dir, '.hookwarden'), { recursive: true });
  fs.writeFileSync(path.join(dir, '.env'), 'A=1\n');
  return dir;
}

/** A private config home for cases that need a user config of their own. */
function userConfig(name: string, content: string | 'fifo'): Record<string, string> {
  const dir = path.join(sb.root, `cfg-${name}`);
  fs.mkdirSync(path.join(dir, 'hookwarden'), { recursive: true });
  const file = path.join(dir, 'hookwarden', 'config.json');
  if (content === 'fifo') spawnSync('mkfifo', [file]);
  else fs.writeFileSync(file, content);
  return { XDG_CONFIG_HOME: dir };
}

const bash = (cwd: string, command: string, id: string): string => JSON.stringify(codexPayload(cwd, 'Bash', { command }, id));

/** The worst inputs, each in a project (and config) of its own. */
function bombs(mode: string): Case[] {
  const cases: Case[] = [];
  const add = (name: string, cwd: string, payload: (id: string) => string, env: Record<string, string> = {}, hook?: string) => {
    const id = `call_${mode}_${name}_${seq++}`;
    cases.push({ name, cwd, env: { ...base, ...env }, payload: payload(id), id, hook });
  };
  const fifo = project(`${mode}-fifo`);
  spawnSync('mkfifo', [path.join(fifo, '.hookwarden', 'config.json')]);
  add('project config is a FIFO', fifo, (id) => bash(fifo, 'echo x > src/a', id));
  const zero = project(`${mode}-zero`);
  fs.symlinkSync('/dev/zero', path.join(zero, '.hookwarden', 'config.json'));
  add('project config is /dev/zero', zero, (id) => bash(zero, 'echo x > src/a', id));
  const stderr = project(`${mode}-stderr`);
  fs.symlinkSync('/dev/stderr', path.join(stderr, '.hookwarden', 'config.json'));
  add('project config is /dev/stderr', stderr, (id) => bash(stderr, 'echo x > src/a', id));
  const plain = project(`${mode}-plain`);
  add('user config is a FIFO', plain, (id) => bash(plain, 'echo x > src/a', id), userConfig(`${mode}-fifo`, 'fifo'));
  const globs = project(`${mode}-globs`);
  const brace = `**/${'{a,b}'.repeat(17)}x`;
  fs.writeFileSync(path.join(globs, '.hookwarden', 'config.json'), JSON.stringify({
    rules: [{ id: 'bomb', effect: 'deny', paths: Array.from({ length: 45 }, (_, i) => `${brace}${i}`) }],
  }));
  add('45 brace-heavy globs', globs, (id) => bash(globs, 'echo x > src/a', id));
  // Overlapping secret-like tokens, 2 MiB: every redaction pass has work at every offset.
  const tokens = ['TOKEN=', 'password=', 'ghp_', 'sk-', 'AKIA', 'eyJ', 'Bearer ', '--password ', 'https://u:'];
  let cmd = 'echo ';
  for (let i = 0; cmd.length < 2 * 1024 * 1024 - 64; i++) cmd += tokens[i % tokens.length]! + 'A'.repeat(i % 37);
  add('redaction bomb (2 MiB command)', plain, (id) => bash(plain, cmd, id));
  // A configured pattern with catastrophic backtracking on the call's own text.
  add('catastrophic configured redact pattern', plain, (id) => bash(plain, `echo ${'x'.repeat(4000)}`, id),
    userConfig(`${mode}-redos`, JSON.stringify({ audit: { redact: ['(x+x+)+y'] } })));
  add('10 MB payload', plain, (id) => JSON.stringify(claudePayload(plain, 'Write', { file_path: `${plain}/src/big.txt`, content: 'password=hunter2 '.repeat(580_000) }, id)));
  add('deep JSON nesting', plain, (id) => JSON.stringify(claudePayload(plain, 'Write', { file_path: `${plain}/.env`, content: 'x' }, id))
    .replace('"content":"x"', `"content":"x","deep":${'['.repeat(200_000)}${']'.repeat(200_000)}`));
  add('deeply nested shell command', plain, (id) => bash(plain, `${'echo $('.repeat(3000)}x${')'.repeat(3000)} > .env`, id));
  add('deeply nested subshells', plain, (id) => bash(plain, `${'('.repeat(20_000)}echo x > .env${')'.repeat(20_000)}`, id));
  add('a PostToolUse with a 10 MB response', plain, (id) => JSON.stringify({
    ...claudePayload(plain, 'Bash', { command: 'cat big' }, id), hook_event_name: 'PostToolUse', tool_response: { stdout: 'TOKEN=x '.repeat(1_300_000) },
  }), {}, 'post-tool-use');
  return cases;
}

/** Ordinary calls that make up the rest of the 32 concurrent hook processes. */
function fillers(mode: string, n: number): Case[] {
  const dir = project(`${mode}-fill`);
  return Array.from({ length: n }, (_, i) => {
    const id = `call_${mode}_fill${i}_${seq++}`;
    return { name: `filler ${i}`, cwd: dir, env: base, id, payload: bash(dir, i % 2 ? `echo ${i} > .env` : `echo ${i} > src/f${i}`, id) };
  });
}

interface Result { c: Case; status: number | null; stderr: string; ms: number }

/** The compiled client (client/hookwarden-client.c), plain build: its own deadline keeping is under test. */
const client = buildClient('hookwarden-client-deadline');

function runCase(c: Case, extra: Record<string, string>, bin?: string): Promise<Result> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const hook = path.join(DIST, 'hooks', `${c.hook ?? 'pre-tool-use'}.js`);
    const child = bin ? spawn(bin, [hook], { env: { ...c.env, ...extra }, cwd: c.cwd }) : spawn(process.execPath, [hook], { env: { ...c.env, ...extra }, cwd: c.cwd });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', () => undefined);
    child.stdin.on('error', () => undefined); // a hook that answered before reading all of it
    child.on('close', (status) => resolve({ c, status, stderr, ms: Date.now() - t0 }));
    child.stdin.end(c.payload);
  });
}

async function runAll(mode: string, extra: Record<string, string>, bin?: string): Promise<void> {
  const b = bombs(mode);
  const all = [...b, ...fillers(mode, 32 - b.length)];
  const cost = processCost();
  const deadlineMs = Math.max(DEADLINE_MS, deadlineFor(cost));
  const slackMs = slackFor(cost);
  extra = { ...extra, HOOKWARDEN_DEADLINE_MS: String(deadlineMs) };
  const results = await Promise.all(all.map((c) => runCase(c, extra, bin)));
  const records = readAudit(sb.auditFile);
  const problems: string[] = [];
  for (const r of results) {
    const what = `${mode}: ${r.c.name}`;
    if (r.ms > deadlineMs + slackMs) problems.push(`${what}: answered after ${r.ms} ms (deadline ${deadlineMs} ms)`);
    if (r.status !== 0 && r.status !== 2) problems.push(`${what}: exit ${r.status} (${r.stderr.trim().split('\n')[0]})`);
    if (r.stderr.split('\n').filter(Boolean).length > 1 && r.status === 2) problems.push(`${what}: more than one line on stderr for a block`);
    // The last record of the call: a worker may have recorded its decision just before the
    // deadline record that goes with the block.
    const rec = records.filter((x) => x.tool_use_id === r.c.id && x.event !== 'AuditError').at(-1);
    if (!rec) {
      problems.push(`${what}: no audit record (exit ${r.status}, ${r.ms} ms, ${r.stderr.trim().split('\n').join(' / ')})`);
      continue;
    }
    if (!rec.session_id || !rec.tool) problems.push(`${what}: record lost its identity`);
    if (r.status === 2 && rec.decision !== 'deny') problems.push(`${what}: blocked, but the record says ${String(rec.decision)}`);
  }
  assert.deepEqual(problems, []);
}

async function waitFor(what: string, cond: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe(`no input makes a hook answer after its deadline (${DEADLINE_MS} ms; 32 empty processes took ${START_MS} ms)`, { timeout: 600_000 }, () => {
  it('in-process (HOOKWARDEN_DAEMON=off), 32 hooks at once', async () => {
    await runAll('inproc', { HOOKWARDEN_DAEMON: 'off' });
  });

  // No daemon answers, so the compiled client has each call decided on the main thread of a Node
  // child and keeps the deadline itself (a session's first call): it kills a child still deciding at
  // the cutoff and has the call recorded as given up on.
  it('through the compiled client deciding in a child it watches (no daemon), 32 hooks at once', { skip: client.path ? false : `no compiled client: ${client.error}` }, async () => {
    await runAll('inline', { HOOKWARDEN_DAEMON: 'off' }, client.path);
  });

  describe('with the daemon', () => {
    before(async () => {
      const dir = project('warm');
      await runCase({ name: 'warm', cwd: dir, env: base, id: 'call_warm', payload: bash(dir, 'echo x > src/w', 'call_warm') }, {});
      await waitFor('the daemon', () => daemonsUnder(runDir).length > 0 && fs.readdirSync(path.join(runDir, 'hookwarden')).some((f) => f.endsWith('.sock')));
    });

    it('through the daemon, 32 hooks at once', async () => {
      await runAll('daemon', {});
    });

    it('through the fallback (the daemon stopped), 32 hooks at once', async () => {
      const pids = daemonsUnder(runDir);
      assert.ok(pids.length > 0);
      for (const pid of pids) process.kill(pid, 'SIGSTOP');
      try {
        await runAll('fallback', {});
      } finally {
        for (const pid of pids) process.kill(pid, 'SIGCONT');
      }
    });

    it('dozens of calls timing out at once against a slow config: every one gets its audit record', async () => {
      const dir = project('slowcfg');
      // Every call runs a configured pattern with catastrophic backtracking to its deadline; the
      // daemon takes 4 of them, the rest decide in their own process: all give up together and
      // all want the audit file's lock at once.
      const env = { ...base, ...userConfig('slowcfg', JSON.stringify({ audit: { redact: ['(x+x+)+y'] } })) };
      const cases: Case[] = Array.from({ length: 24 }, (_, i) => {
        const id = `call_slow${i}_${seq++}`;
        return { name: `slow ${i}`, cwd: dir, env, id, payload: bash(dir, `echo ${'x'.repeat(4000)}`, id) };
      });
      const deadlineMs = Math.max(DEADLINE_MS, deadlineFor(processCost()));
      const results = await Promise.all(cases.map((c) => runCase(c, { HOOKWARDEN_DEADLINE_MS: String(deadlineMs) })));
      for (const r of results) assert.equal(r.status, 2, `${r.c.name}: ${r.stderr}`);
      // A record the daemon could not write before the deadline is written after the answer.
      const missing = (): string[] => {
        const ids = new Set(readAudit(sb.auditFile).map((x) => x.tool_use_id));
        return cases.filter((c) => !ids.has(c.id)).map((c) => c.name);
      };
      await waitFor(`every record (missing: ${missing().join(', ')})`, () => missing().length === 0, 90_000).catch(() => assert.deepEqual(missing(), []));
      const recs = readAudit(sb.auditFile).filter((x) => cases.some((c) => c.id === x.tool_use_id));
      for (const r of recs) assert.equal(r.decision, 'deny');
    });

    it('a heavy call in the daemon does not hold up an ordinary one', async () => {
      const dir = project('heavy');
      const heavyId = `call_heavy_${seq++}`;
      // A configured pattern with catastrophic backtracking keeps its worker busy to the deadline.
      const env = { ...base, ...userConfig('heavy', JSON.stringify({ audit: { redact: ['(x+x+)+y'] } })) };
      const heavy = runCase({ name: 'heavy', cwd: dir, env, id: heavyId, payload: bash(dir, `echo ${'x'.repeat(4000)}`, heavyId) }, {});
      await new Promise((r) => setTimeout(r, 300));
      let heavyDone = false;
      void heavy.then(() => (heavyDone = true));
      const light = await runCase({ name: 'light', cwd: dir, env: base, id: 'call_light', payload: bash(dir, 'echo x > .env', 'call_light') }, {});
      assert.equal(light.status, 2);
      assert.equal(heavyDone, false, 'the ordinary call was answered while the heavy one still ran');
      const h = await heavy;
      assert.equal(h.status, 2);
      const rec = readAudit(sb.auditFile).find((x) => x.tool_use_id === heavyId);
      assert.match(String(rec?.error), /^deadline/);
      assert.equal(rec?.error_code, 'deadline');
      assert.equal(rec?.tool, 'Bash');
      assert.equal(present(`${sb.auditFile}.lock`), false, 'no lock left behind');
    });
  });
});
