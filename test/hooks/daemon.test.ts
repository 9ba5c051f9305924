// The resident daemon (hooks/daemon.ts) and the hook's side of it (hooks/client.ts,
// hooks/daemon-link.ts), with the real build: each test gets a copy of dist/hooks (its own
// daemon) and a private XDG_RUNTIME_DIR, and stops the daemons it started.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { DIST, claudePayload, codexPayload, daemonsUnder, readAudit, sandbox } from '../helpers/hook.js';

const sb = sandbox();
const P = sb.project;
fs.writeFileSync(path.join(P, '.env'), 'A=1\n');

const started: string[] = [];
after(() => {
  for (const dir of started) for (const pid of daemonsUnder(dir)) kill(pid, 'SIGKILL');
  sb.cleanup();
});

function kill(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

// Upper bounds only (the condition usually holds in milliseconds): generous, since other suites load the machine.
async function waitFor(what: string, cond: () => boolean, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

interface Setup { hooks: string; runDir: string; env: Record<string, string>; socket(): string | undefined }

/** A copy of the build with its own socket folder; `env` runs its hooks with the daemon on. */
function setup(extra: Record<string, string> = {}): Setup {
  const root = fs.mkdtempSync(path.join(sb.root, 'd-'));
  const hooks = path.join(root, 'hooks');
  fs.cpSync(path.join(DIST, 'hooks'), hooks, { recursive: true });
  fs.writeFileSync(path.join(root, 'package.json'), '{"type":"commonjs"}\n');
  const runDir = path.join(root, 'run');
  fs.mkdirSync(runDir, { mode: 0o700 });
  started.push(runDir);
  const sockDir = path.join(runDir, 'hookwarden');
  return {
    hooks, runDir, env: { ...sb.env, XDG_RUNTIME_DIR: runDir, ...extra },
    socket: () => (fs.existsSync(sockDir) ? fs.readdirSync(sockDir).filter((f) => f.endsWith('.sock')).map((f) => path.join(sockDir, f))[0] : undefined),
  };
}

function run(s: Setup | string, payload: unknown, env: Record<string, string>, hook = 'pre-tool-use') {
  const dir = typeof s === 'string' ? s : s.hooks;
  const r = spawnSync(process.execPath, [path.join(dir, `${hook}.js`)], { input: JSON.stringify(payload), env, cwd: P, encoding: 'utf8' });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function runAsync(s: Setup, payload: unknown, env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(s.hooks, 'pre-tool-use.js')], { env, cwd: P });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(JSON.stringify(payload));
  });
}

/** Starts the daemon of `s` (the first call starts it) and waits until it listens. */
async function up(s: Setup): Promise<void> {
  run(s, claudePayload(P, 'Read', { file_path: `${P}/src/a.ts` }), s.env);
  await waitFor('the daemon socket', () => s.socket() !== undefined);
}

/** Only the daemon can answer now: the copy's bundles are gone, so the hook alone cannot load. */
const removeBundles = (s: Setup): void => {
  for (const f of fs.readdirSync(s.hooks)) if (f.endsWith('.code.js')) fs.rmSync(path.join(s.hooks, f));
};

const CASES: [string, Record<string, unknown>][] = [
  ['Bash redirect to .env', codexPayload(P, 'Bash', { command: 'echo hi > .env' })],
  ['Bash ordinary', codexPayload(P, 'Bash', { command: 'git status && npm test 2>&1 | tail -5' })],
  ['Bash git checkout of .env', codexPayload(P, 'Bash', { command: 'git checkout HEAD -- .env' })],
  ['apply_patch into .git', codexPayload(P, 'apply_patch', { command: '*** Begin Patch\n*** Add File: src/ok.ts\n+x\n*** Update File: .git/config\n@@\n-a\n+b\n*** End Patch\n' })],
  ['Write .env', claudePayload(P, 'Write', { file_path: `${P}/.env`, content: 'A=2' })],
  ['Write src', claudePayload(P, 'Write', { file_path: `${P}/src/b.ts`, content: 'x' })],
  ['unknown tool field', codexPayload(P, 'Bash', { cmd: 'rm .env' })],
  ['not JSON', 'not json' as unknown as Record<string, unknown>],
];

/** A record without what differs between two runs of the same call. */
const stable = (r: Record<string, unknown>): Record<string, unknown> => {
  const { id: _i, ts: _t, time: _m, hash: _h, prev: _p, pid: _d, ...rest } = r;
  return rest;
};

describe('the daemon answers as the hook itself would', () => {
  it('same exit status, stdout, stderr and audit record for every case, with the bundles gone from the hook', async () => {
    const s = setup();
    await up(s);
    removeBundles(s);
    const local = { ...sb.env, HOOKWARDEN_DAEMON: 'off' };
    for (const [name, payload] of CASES) {
      const before = readAudit(sb.auditFile).length;
      const alone = run(path.join(DIST, 'hooks'), payload, local);
      const viaDaemon = run(s, payload, s.env);
      assert.deepEqual(viaDaemon, alone, name);
      const recs = readAudit(sb.auditFile).slice(before);
      assert.equal(recs.length, 2, `${name}: one record per call`);
      assert.deepEqual(stable(recs[1]!), stable(recs[0]!), name);
    }
    assert.equal(daemonsUnder(s.runDir).length, 1);
  });

  it("records the hook process's pid, not the daemon's", async () => {
    const s = setup();
    await up(s);
    const child = spawn(process.execPath, [path.join(s.hooks, 'pre-tool-use.js')], { env: s.env, cwd: P });
    child.stdin.end(JSON.stringify(codexPayload(P, 'Bash', { command: 'echo pid > src/p.txt' }, 'call_pid')));
    const status = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(status, 0);
    const rec = readAudit(sb.auditFile).find((r) => r.tool_use_id === 'call_pid');
    assert.equal(rec?.pid, child.pid);
    assert.ok(!daemonsUnder(s.runDir).includes(child.pid!));
  });

  it("uses each call's environment, and a config edited between calls takes effect at once", async () => {
    const s = setup();
    await up(s);
    removeBundles(s);
    const cfg = path.join(sb.root, 'strict.json');
    const write = claudePayload(P, 'Write', { file_path: `${P}/src/c.ts`, content: 'x' });
    assert.equal(run(s, write, s.env).status, 0);
    fs.writeFileSync(cfg, JSON.stringify({ rules: [{ id: 'no-src', effect: 'deny', paths: ['src/**'] }] }));
    const strict = run(s, write, { ...s.env, HOOKWARDEN_CONFIG: cfg });
    assert.equal(strict.status, 2);
    assert.match(strict.stderr, /\(rule no-src\)/);
    fs.writeFileSync(cfg, JSON.stringify({ rules: [] }));
    assert.equal(run(s, write, { ...s.env, HOOKWARDEN_CONFIG: cfg }).status, 0);
    assert.equal(run(s, write, s.env).status, 0);
  });
});

describe('the hook never depends on the daemon', () => {
  it('a daemon killed with SIGKILL: the next call decides alone and starts a new one', async () => {
    const s = setup();
    await up(s);
    const [pid] = daemonsUnder(s.runDir);
    kill(pid!, 'SIGKILL');
    await waitFor('the daemon to exit', () => !daemonsUnder(s.runDir).includes(pid!));
    assert.ok(s.socket(), 'a stale socket file is left behind');
    const r = run(s, codexPayload(P, 'Bash', { command: 'rm .env' }), s.env);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /\.env \(rule secrets\)/);
    await waitFor('a new daemon', () => daemonsUnder(s.runDir).some((p) => p !== pid));
  });

  it('a daemon that stops answering: the call is decided alone, before the deadline', async () => {
    // The decision itself (not the deadline's block) proves it was decided alone in time; the
    // deadline is generous so that a loaded machine does not turn the decision into a deadline block.
    const s = setup({ HOOKWARDEN_DEADLINE_MS: '10000' });
    await up(s);
    const [pid] = daemonsUnder(s.runDir);
    kill(pid!, 'SIGSTOP');
    try {
      const t0 = Date.now();
      const r = run(s, codexPayload(P, 'Bash', { command: 'echo x >> .env' }), s.env);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /\.env \(rule secrets\)/);
      assert.ok(Date.now() - t0 < 10_000, 'answered before the deadline');
    } finally {
      kill(pid!, 'SIGCONT');
    }
  });

  it('answers that are not a hook answer are ignored', async () => {
    const s = setup();
    await up(s);
    const socket = s.socket()!;
    for (const pid of daemonsUnder(s.runDir)) kill(pid, 'SIGKILL');
    fs.rmSync(socket, { force: true });
    // Exit 1 would make the agent run the tool: never taken from a daemon.
    const fake = net.createServer({ allowHalfOpen: true }, (c) => {
      c.on('data', () => undefined);
      c.on('end', () => c.end('{"exitCode":1,"stdout":"","stderr":""}'));
    });
    await new Promise<void>((r) => fake.listen(socket, r));
    let asked = 0;
    fake.on('connection', () => asked++);
    try {
      // Spawned asynchronously: this process serves the fake answer meanwhile.
      // A long deadline: a hook that waited out the daemon (half of it) is told apart from one
      // that decided at once even on a loaded machine.
      const t0 = Date.now();
      const r = await runAsync(s, codexPayload(P, 'Bash', { command: 'cp a .env' }), { ...s.env, HOOKWARDEN_DEADLINE_MS: '60000' });
      assert.equal(asked, 1, 'the hook asked the fake daemon');
      assert.equal(r.status, 2);
      assert.match(r.stderr, /\.env \(rule secrets\)/);
      assert.ok(Date.now() - t0 < 20_000, 'decided at once, not after waiting out the daemon');
    } finally {
      await new Promise((r) => fake.close(r));
    }
  });

  it('a socket folder others can enter is not used', async () => {
    const s = setup();
    await up(s);
    removeBundles(s);
    fs.chmodSync(path.dirname(s.socket()!), 0o755);
    const r = run(s, claudePayload(P, 'Write', { file_path: `${P}/src/d.ts`, content: 'x' }), s.env);
    // The hook did not ask the daemon: alone, it cannot load its (removed) bundle, and blocks.
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^hookwarden: cannot load pre-tool-use\.code\.js/);
  });

  it('a working directory that was removed: the call is still decided, without the daemon', async () => {
    const s = setup();
    await up(s);
    const gone = path.join(sb.root, 'gone');
    const script = `mkdir -p "${gone}" && cd "${gone}" && rmdir "${gone}" && exec "${process.execPath}" "${path.join(s.hooks, 'pre-tool-use.js')}"`;
    for (const [file, status] of [['.env', 2], ['src/f.ts', 0]] as const) {
      const r = spawnSync('sh', ['-c', script], { input: JSON.stringify(claudePayload(P, 'Write', { file_path: `${P}/${file}`, content: 'x' })), env: s.env, encoding: 'utf8' });
      assert.equal(r.status, status, r.stderr);
    }
  });

  it('HOOKWARDEN_DAEMON=off: no daemon is started', () => {
    const s = setup({ HOOKWARDEN_DAEMON: 'off' });
    assert.equal(run(s, claudePayload(P, 'Write', { file_path: `${P}/src/e.ts`, content: 'x' }), s.env).status, 0);
    assert.equal(fs.existsSync(path.join(s.runDir, 'hookwarden')), false);
    assert.deepEqual(daemonsUnder(s.runDir), []);
  });

  it('leaves after HOOKWARDEN_DAEMON_IDLE_MS without a call, and removes its socket', async () => {
    // Long enough that a loaded machine still sees it listen (1.5 s was missed once with CI and a
    // test-heavy session sharing two cores).
    const s = setup({ HOOKWARDEN_DAEMON_IDLE_MS: '4000' });
    await up(s);
    await waitFor('the daemon to leave', () => daemonsUnder(s.runDir).length === 0 && s.socket() === undefined, 20_000);
  });

  it('a burst of first calls starts one daemon', async () => {
    const s = setup();
    const calls = Array.from({ length: 8 }, (_, i) => new Promise<number | null>((resolve) => {
      const child = spawn(process.execPath, [path.join(s.hooks, 'pre-tool-use.js')], { env: s.env, cwd: P });
      child.stdin.end(JSON.stringify(codexPayload(P, 'Bash', { command: `echo ${i} > src/burst${i}` }, `call_b${i}`)));
      child.on('close', resolve);
    }));
    assert.deepEqual(await Promise.all(calls), Array(8).fill(0));
    await waitFor('the daemon socket', () => s.socket() !== undefined);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(daemonsUnder(s.runDir).length, 1);
  });
});
