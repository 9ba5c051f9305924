// `hookwarden install` with the compiled hook client: built with the system's cc into the state
// folder, registered (keeping `|| exit 2`), answering through the daemon as the agent's shell runs
// it, reported by doctor, removed by uninstall; without a compiler the Node client is registered
// and install says why. Through the built CLI in a sandbox.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { findCompiler } from '../../cli/install/client-build.js';
import type { InstallResult } from '../../cli/install/result.js';
import { DIST, daemonsUnder } from '../helpers/hook.js';
import { cli, json, makeEnv, ok, type Env } from './install-fixtures.js';

const skip = findCompiler(process.env) ? false : 'no C compiler (cc) on PATH';
const envs: Env[] = [];
after(() => {
  for (const e of envs) {
    for (const pid of daemonsUnder(path.join(e.root, 'run'))) process.kill(pid, 'SIGKILL');
    e.cleanup();
  }
});

function compiledEnv(): Env {
  const e = makeEnv();
  envs.push(e);
  delete e.env.HOOKWARDEN_INSTALL_CLIENT;
  const run = path.join(e.root, 'run');
  fs.mkdirSync(run, { mode: 0o700 });
  e.env.XDG_RUNTIME_DIR = run;
  return e;
}

const preCommand = (e: Env): string => {
  const doc = JSON.parse(fs.readFileSync(path.join(e.home, '.claude', 'settings.json'), 'utf8')) as { hooks: Record<string, { hooks: { command: string }[] }[]> };
  return doc.hooks.PreToolUse!.at(-1)!.hooks[0]!.command;
};

describe('install with a C compiler', { skip }, () => {
  it('builds the client into the state folder, registers it with || exit 2, and it answers as the agent runs it', async () => {
    const e = compiledEnv();
    const r = json<InstallResult>(ok(cli(e, ['install', '--agent', 'claude', '--json'])));
    assert.match(r.client ?? '', /^compiled client .*hookwarden-client-[0-9a-f]{16} \(built with /);
    const bin = /^compiled client (\S+)/.exec(r.client!)![1]!;
    assert.equal(path.dirname(bin), path.join(e.env.XDG_STATE_HOME!, 'hookwarden', 'install', 'client'));
    assert.ok(fs.statSync(bin).mode & 0o100);
    const command = preCommand(e);
    assert.ok(command.startsWith(`"${bin}" "`), command);
    assert.ok(command.endsWith('hooks/pre-tool-use.js" || exit 2'), command);
    // As Claude Code runs it: sh -c '<command>', payload on stdin. First call (Node decides and
    // starts the daemon), then calls the daemon answers.
    const payload = (file: string) => JSON.stringify({ session_id: 's', transcript_path: null, cwd: e.project, hook_event_name: 'PreToolUse', tool_name: 'Write', tool_input: { file_path: path.join(e.project, file), content: 'x' }, tool_use_id: 't' });
    for (let i = 0; i < 3; i++) {
      const blocked = spawnSync('sh', ['-c', command], { input: payload('.env'), env: e.env, cwd: e.project, encoding: 'utf8' });
      assert.equal(blocked.status, 2, blocked.stderr);
      assert.match(blocked.stderr, /^hookwarden: blocked write to \.env/);
      const allowed = spawnSync('sh', ['-c', command], { input: payload('src.txt'), env: e.env, cwd: e.project, encoding: 'utf8' });
      assert.equal(allowed.status, 0, allowed.stderr);
      if (i === 0) for (let t = 0; t < 300 && daemonsUnder(path.join(e.root, 'run')).length === 0; t++) await new Promise((res) => setTimeout(res, 50));
    }
    // Doctor names it.
    const doctor = cli(e, ['doctor', '--agent', 'claude', '--json']);
    const checks = (json<{ checks: { name: string; status: string; detail: string }[] }>(doctor)).checks.filter((c) => c.name === 'client');
    assert.equal(checks.length, 1);
    assert.equal(checks[0]!.status, 'ok');
    assert.match(checks[0]!.detail, /^compiled client /);
    // A missing binary is a failure doctor reports (every call would be blocked).
    fs.renameSync(bin, `${bin}.away`);
    const missing = json<{ checks: { name: string; status: string; detail: string }[] }>(cli(e, ['doctor', '--agent', 'claude', '--json'])).checks.find((c) => c.name === 'client');
    assert.equal(missing?.status, 'fail');
    fs.renameSync(`${bin}.away`, bin);
    // Uninstall removes it (and its folder).
    ok(cli(e, ['uninstall', '--agent', 'claude']));
    assert.equal(fs.existsSync(bin), false);
    assert.equal(fs.existsSync(path.dirname(bin)), false);
  });

  it('a portable project registration keeps the Node client and says why', () => {
    const e = compiledEnv();
    const dist = path.join(e.project, 'dist');
    fs.cpSync(DIST, dist, { recursive: true });
    const r = json<InstallResult>(ok(cli(e, ['install', '--agent', 'claude', '--scope', 'project', '--dist', dist, '--json'])));
    assert.match(r.client ?? '', /^Node client: a portable project registration/);
    assert.ok(r.handlers.every((h) => h.command.startsWith('node -e ')));
  });
});

describe('install without a C compiler', () => {
  it('registers the Node client and says so', () => {
    const e = makeEnv();
    envs.push(e);
    delete e.env.HOOKWARDEN_INSTALL_CLIENT;
    const bin = path.join(e.root, 'bin-without-cc');
    fs.mkdirSync(bin);
    e.env.PATH = bin; // not even /usr/bin: no cc anywhere on it
    const r = json<InstallResult>(ok(cli(e, ['install', '--agent', 'claude', '--json'])));
    assert.match(r.client ?? '', /^Node client: no C compiler \(cc\) on PATH/);
    assert.ok(preCommand(e).startsWith(`"${process.execPath}" -e '`));
    assert.equal(fs.existsSync(path.join(e.env.XDG_STATE_HOME!, 'hookwarden', 'install', 'client')), false);
    const human = ok(cli(e, ['install', '--agent', 'claude']));
    assert.match(human.stdout, /^client: Node client: no C compiler/m);
  });
});
