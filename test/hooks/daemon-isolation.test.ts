// One daemon serves many calls and projects at once: nothing of one call may leak into another
// (issue 13, finding 10), there is one daemon per user and build whatever TMPDIR says, and a socket
// folder squatted by another account neither disables it nor goes unreported. Also: the configured
// `limits.maxInputBytes` is the limit the hook applies, above the default too.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { socketDir, socketDirReport, type SocketPlaces } from '../../hooks/daemon-link.js';
import { DIST, codexPayload, claudePayload, daemonsUnder, readAudit, sandbox } from '../helpers/hook.js';

const sb = sandbox();
const started: string[] = [];
after(() => {
  for (const dir of started) for (const pid of daemonsUnder(dir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  sb.cleanup();
});

function run(hooks: string, payload: string, env: Record<string, string>, cwd: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(hooks, 'pre-tool-use.js')], { env, cwd });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', () => undefined);
    child.stdin.on('error', () => undefined); // a hook that stopped reading: its answer says why
    child.on('close', (status) => resolve({ status, stderr }));
    child.stdin.end(payload);
  });
}

async function waitFor(what: string, cond: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A copy of the build (its own daemon: the socket is named by the install folder). */
function buildCopy(): string {
  const root = fs.mkdtempSync(path.join(sb.root, 'build-'));
  fs.cpSync(path.join(DIST, 'hooks'), path.join(root, 'hooks'), { recursive: true });
  fs.writeFileSync(path.join(root, 'package.json'), '{"type":"commonjs"}\n');
  started.push(root);
  return path.join(root, 'hooks');
}

function project(name: string): string {
  const dir = path.join(sb.root, name);
  fs.mkdirSync(path.join(dir, '.git'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'src'), { recursive: true });
  return dir;
}

describe('the daemon keeps calls apart', () => {
  it('two projects calling at once: every record lands in the audit file its own cwd names', async () => {
    const hooks = buildCopy();
    const runDir = fs.mkdtempSync(path.join(sb.root, 'run-'));
    fs.chmodSync(runDir, 0o700);
    const cfgHome = path.join(sb.root, 'cfg-rel');
    fs.mkdirSync(path.join(cfgHome, 'hookwarden'), { recursive: true });
    // A relative file sink path: relative to the directory each hook runs in. The second sink
    // fails (its spool folder cannot exist), so every call also writes an AuditError record to
    // the file sink after its first await: the moment another call may be running.
    fs.writeFileSync(path.join(cfgHome, 'hookwarden', 'config.json'), JSON.stringify({ audit: {
      sinks: [{ type: 'file', path: 'logs/audit.jsonl' }, { type: 'syslog', transport: 'tcp', host: '127.0.0.1', port: 9, timeoutMs: 100 }],
      spool: { dir: '/dev/null/spool' },
    } }));
    const env = { ...sb.env, XDG_CONFIG_HOME: cfgHome, XDG_RUNTIME_DIR: runDir, HOOKWARDEN_DAEMON_IDLE_MS: '20000' };
    const a = project('proj-a');
    const b = project('proj-b');
    await run(hooks, JSON.stringify(codexPayload(a, 'Bash', { command: 'echo warm > src/w' }, 'call_warm')), env, a);
    await waitFor('the daemon', () => daemonsUnder(runDir).length > 0 && fs.existsSync(path.join(runDir, 'hookwarden')) && fs.readdirSync(path.join(runDir, 'hookwarden')).some((f) => f.endsWith('.sock')));
    // 30 calls of each project, 10 at a time (5 of each) so that they overlap in the daemon.
    const allowed: Record<string, string[]> = { a: [], b: [] };
    for (let wave = 0; wave < 6; wave++) {
      const calls: Promise<void>[] = [];
      for (let i = wave * 5; i < wave * 5 + 5; i++) {
        for (const [dir, tag] of [[a, 'a'], [b, 'b']] as const) {
          const id = `call_${tag}${i}`;
          calls.push(run(hooks, JSON.stringify(codexPayload(dir, 'Bash', { command: `echo ${i} > src/f${i}` }, id)), env, dir)
            .then((r) => void (r.status === 0 && allowed[tag]!.push(id))));
        }
      }
      await Promise.all(calls);
    }
    const ids = (dir: string) => readAudit(path.join(dir, 'logs', 'audit.jsonl')).map((r) => String(r.tool_use_id)).filter((id) => id !== 'call_warm');
    for (const [dir, tag, other] of [[a, 'a', 'b'], [b, 'b', 'a']] as const) {
      const got = ids(dir);
      assert.deepEqual(got.filter((id) => !id.startsWith(`call_${tag}`)), [], `records of ${other} in ${tag}'s audit file`);
      // Every call decided in time (all are, on a machine that is not overloaded) is in its own file.
      assert.deepEqual(allowed[tag]!.filter((id) => !got.includes(id)), [], `allowed calls of ${tag} missing from its file`);
    }
    assert.ok(allowed.a!.length + allowed.b!.length >= 30, `most calls were decided (${allowed.a!.length + allowed.b!.length} of 60)`);
    assert.equal(daemonsUnder(runDir).length, 1, 'one daemon served both');
  });
});

describe('one daemon per user and build', () => {
  const places = (): SocketPlaces => {
    const root = fs.mkdtempSync(path.join(sb.root, 'places-'));
    return { uid: process.getuid!(), runUser: path.join(root, 'run-user'), tmp: path.join(root, 'tmp-hookwarden'), home: path.join(root, 'home') };
  };

  it('the socket folder does not depend on TMPDIR', () => {
    const p = places();
    const dirs = new Set(['/tmp', '/var/tmp', path.join(sb.root, 'x'), ''].map((t) => socketDir({ TMPDIR: t }, p)));
    assert.deepEqual([...dirs], [p.tmp]);
  });

  it('hooks run with different TMPDIRs start one daemon', async () => {
    const hooks = buildCopy();
    const dir = project('proj-tmpdir');
    const envs = ['t1', 't2', 't3'].map((t) => {
      const tmp = path.join(sb.root, `tmpdir-${t}`);
      fs.mkdirSync(tmp, { recursive: true });
      const { XDG_RUNTIME_DIR: _x, ...rest } = { ...sb.env, TMPDIR: tmp, HOOKWARDEN_DAEMON_IDLE_MS: '3000' } as Record<string, string>;
      return rest;
    });
    for (const env of envs) await run(hooks, JSON.stringify(codexPayload(dir, 'Bash', { command: 'echo x > src/a' })), env, dir);
    await waitFor('a daemon', () => daemonsUnder(path.dirname(hooks)).length > 0);
    for (const env of envs) await run(hooks, JSON.stringify(codexPayload(dir, 'Bash', { command: 'echo x > src/a' })), env, dir);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(daemonsUnder(path.dirname(hooks)).length, 1);
  });

  it('a folder another account made first: a private folder in our home is used, and doctor says so', () => {
    const p = places();
    fs.mkdirSync(p.tmp, { mode: 0o777 });
    fs.chmodSync(p.tmp, 0o777); // as a squatter leaves it for us (we cannot chown in a test)
    assert.equal(socketDir({}, p), path.join(p.home, '.cache', 'hookwarden', 'run'));
    const report = socketDirReport({}, p);
    assert.equal(report.status, 'warn');
    assert.match(report.detail, /not a private folder of this account.*uses .*\.cache\/hookwarden\/run instead/);
    fs.chmodSync(p.tmp, 0o700);
    assert.equal(socketDir({}, p), p.tmp);
    assert.equal(socketDirReport({}, p).status, 'ok');
  });
});

describe('limits.maxInputBytes is the limit the hook applies', () => {
  const cfgHome = path.join(sb.root, 'cfg-big');
  fs.mkdirSync(path.join(cfgHome, 'hookwarden'), { recursive: true });
  fs.writeFileSync(path.join(cfgHome, 'hookwarden', 'config.json'), JSON.stringify({ limits: { maxInputBytes: 32 * 1024 * 1024 } }));
  const dir = project('proj-big');
  const payload = (id: string) => JSON.stringify(claudePayload(dir, 'Write', { file_path: `${dir}/src/big.txt`, content: 'y'.repeat(20_000_000) }, id));

  for (const daemon of ['off', 'on']) {
    it(`a 20 MB payload is decided when the config allows 32 MiB (daemon ${daemon})`, async () => {
      const runDir = fs.mkdtempSync(path.join(sb.root, 'run-'));
      fs.chmodSync(runDir, 0o700);
      started.push(runDir);
      const env = { ...sb.env, XDG_CONFIG_HOME: cfgHome, XDG_RUNTIME_DIR: runDir, HOOKWARDEN_DAEMON: daemon };
      if (daemon === 'on') {
        await run(path.join(DIST, 'hooks'), JSON.stringify(claudePayload(dir, 'Read', { file_path: `${dir}/src/a` })), env, dir);
        await waitFor('the daemon', () => daemonsUnder(runDir).length > 0);
      }
      const r = await run(path.join(DIST, 'hooks'), payload(`toolu_big_${daemon}`), env, dir);
      assert.equal(r.status, 0, r.stderr);
      const rec = readAudit(sb.auditFile).find((x) => x.tool_use_id === `toolu_big_${daemon}`);
      assert.equal(rec?.decision, 'allow');
    });
  }

  it('without that config the same payload is blocked at the default 10 MiB', async () => {
    const r = await run(path.join(DIST, 'hooks'), payload('toolu_big_default'), { ...sb.env, HOOKWARDEN_DAEMON: 'off' }, dir);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /exceeds 10485760 bytes/);
  });
});
