// Paths whose meaning depends on the process that opens them (/proc/self/..., /dev/fd/N/...):
// the guard must never place them through its own /proc/self. Red-team finding: `cd ~/.ssh &&
// echo k >> /proc/self/cwd/authorized_keys` was judged against the guard's cwd and allowed.
// Through the real PreToolUse core (payload, config layers, presets, normalization, decision).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { preToolUse } from '../../lib/guard.js';
import { normalizePath, normalizeTarget, type PathFs } from '../../lib/paths.js';
import type { Decision, Op } from '../../lib/types.js';

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-proc-')));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const home = path.join(root, 'home');
const proj = path.join(root, 'proj');
for (const d of [`${home}/.ssh`, `${home}/.config/hookwarden`, `${home}/.codex`, `${proj}/.git`, `${proj}/src`]) {
  fs.mkdirSync(d, { recursive: true });
}
fs.writeFileSync(`${home}/.ssh/authorized_keys`, 'ssh-ed25519 AAAA me\n');
fs.writeFileSync(`${proj}/.git/config`, '[core]\n');
fs.writeFileSync(`${proj}/evil.json`, '{"presets":{"secrets":false,"vcs":false,"self":false}}\n');
// A link a hostile repository may hold: it leads into whatever directory the shell is in.
fs.symlinkSync('/proc/self/cwd', `${proj}/here`);
fs.symlinkSync('/dev/fd', `${proj}/fds`);

const ENV = { HOME: home, XDG_CONFIG_HOME: `${home}/.config`, CODEX_HOME: `${home}/.codex`, PATH: '/usr/bin:/bin' };

function call(tool: string, input: Record<string, unknown>) {
  const payload = JSON.stringify({
    session_id: 's1', cwd: proj, hook_event_name: 'PreToolUse', tool_name: tool, tool_input: input, tool_use_id: 'toolu_1',
  });
  return preToolUse(payload, { env: ENV, home, agent: 'claude', platform: 'linux' });
}

function table(name: string, cases: [string, Decision][], tool = 'Bash'): void {
  describe(name, () => {
    for (const [cmd, want] of cases) {
      it(`${want}: ${cmd}`, () => {
        const o = tool === 'Bash' ? call('Bash', { command: cmd }) : call(tool, { file_path: cmd, content: 'k\n' });
        assert.equal(o.verdict.decision, want, `${o.verdict.reason ?? ''} ${JSON.stringify(o.verdict.targets)}`);
        if (want === 'deny') {
          // Blocked for the path it cannot place, on one line, not for some other failure.
          assert.match(o.verdict.reason ?? '', /^cannot place "[^"\n]+".*: (it depends on the process|a descriptor of the process) that opens it$/);
        } else {
          assert.equal(o.error, undefined, o.error);
        }
      });
    }
  });
}

const OFF = `'{"presets":{"secrets":false,"vcs":false,"self":false}}'`;

table('the red team\'s forms are blocked', [
  ['cd ~/.ssh && echo k >> /proc/self/cwd/authorized_keys', 'deny'],
  ['cd ~/.config/hookwarden && cp ../../../proj/evil.json /proc/self/cwd/config.json', 'deny'],
  ['cd .git && printf "[core]\\n" >> /proc/self/cwd/config', 'deny'],
  ['exec 7< ~/.ssh; echo k >> /dev/fd/7/authorized_keys', 'deny'],
  ['exec 7< ~/.config/hookwarden; cp evil.json /proc/self/fd/7/config.json', 'deny'],
]);

table('the nearest forms are blocked too', [
  // Other names of a process directory, another process, a thread.
  ['cd ~/.ssh && echo k >> /proc/thread-self/cwd/authorized_keys', 'deny'],
  ['cd ~/.ssh && echo k >> /proc/$$/cwd/authorized_keys', 'deny'],
  ['echo k >> /proc/1/cwd/authorized_keys', 'deny'],
  ['cd ~/.ssh && echo k >> /proc/self/task/1/cwd/authorized_keys', 'deny'],
  [`echo k >> /proc/self/root${home}/.ssh/authorized_keys`, 'deny'],
  // Other ways to spell the way through.
  ['cd ~/.ssh && echo k >> /proc/self/fd/../cwd/authorized_keys', 'deny'],
  ['cd ~/.ssh/x && echo k >> /proc/self/cwd/../authorized_keys', 'deny'],
  ['cd ~/.ssh && echo k >> /tmp/../proc/self/cwd/authorized_keys', 'deny'],
  ['cd ~/.ssh && echo k >> /proc/self/cwd/./authorized_keys', 'deny'],
  ['echo k >> /dev/stdin/authorized_keys', 'deny'],
  ['echo k >> /dev/stderr/../cwd/authorized_keys', 'deny'],
  ['exec 7< ~/.ssh; echo k | tee -a /dev/fd/7/authorized_keys', 'deny'],
  ['exec 7< ~/.ssh; cp evil.json /proc/self/fd/$N/authorized_keys', 'deny'],
  // Other commands, other operations.
  ['cd ~/.ssh && rm -rf /proc/self/cwd', 'deny'],
  ['cd ~/.ssh && rm /proc/self/cwd/authorized_keys', 'deny'],
  ['cd ~/.ssh && mv /proc/self/cwd/authorized_keys /tmp/k', 'deny'],
  [`cd ~/.config/hookwarden && echo ${OFF} > /proc/self/cwd/config.json`, 'deny'],
  ['cp evil.json /proc/self/exe', 'deny'],
  // Through a link the repository holds, not spelled in the command at all.
  ['cd ~/.ssh && echo k >> ' + `${proj}/here/authorized_keys`, 'deny'],
  ['exec 7< ~/.ssh; echo k >> ' + `${proj}/fds/7/authorized_keys`, 'deny'],
  // A descriptor other than 0-2 reopens whatever the shell holds there (`exec 7< file` makes
  // `/proc/self/fd/7` that file, opened anew for writing): the shell analysis now knows which
  // file that is and blocks it by name (test/lib/targets/shell/descriptors.test.ts).
  // A trailing slash or dot makes the descriptor a directory to copy into.
  ['exec 7< ~/.ssh; cp evil.json /proc/self/fd/7/', 'deny'],
  ['exec 1< ~/.ssh; cp evil.json /proc/self/fd/1/.', 'deny'],
]);

table('file tools: the same paths are blocked', [
  ['/proc/self/cwd/authorized_keys', 'deny'],
  ['/dev/fd/7/config.json', 'deny'],
  ['/dev/fd/7', 'deny'],
  ['/proc/self/root/etc/passwd', 'deny'],
], 'Write');

table('naming a standard descriptor stays allowed', [
  ['echo x > /dev/null', 'allow'],
  ['echo x > /dev/stderr', 'allow'],
  ['echo x > /dev/stdout', 'allow'],
  ['echo x 2> /dev/fd/2', 'allow'],
  ['echo x > /proc/self/fd/1', 'allow'],
  ['echo x > /proc/self/fd/2', 'allow'],
  ['echo x | tee /dev/stderr', 'allow'],
  ['echo x | tee /proc/self/fd/2 > out.txt', 'allow'],
  ['cat /proc/self/status > out.txt', 'allow'],
  ['echo x | tee >(wc -c)', 'allow'],
  ['cat <(echo x) > out.txt', 'allow'],
]);

table('file tools: a standard descriptor stays allowed', [
  ['/dev/stderr', 'allow'],
  ['/dev/fd/1', 'allow'],
  ['/proc/self/fd/2', 'allow'],
  ['/dev/null', 'allow'],
], 'Write');

describe('normalization never looks up the guard\'s own process', () => {
  /** The real file system, recording every path looked up. */
  const recording = (): { fs: PathFs; seen: string[] } => {
    const seen: string[] = [];
    return {
      seen,
      fs: {
        lstatSync: (p, o) => (seen.push(p), fs.lstatSync(p, o)),
        readlinkSync: (p) => (seen.push(p), fs.readlinkSync(p)),
      },
    };
  };
  const PER_PROCESS = /^\/(proc\/(self|thread-self|\d+)|dev\/(fd|stdin|stdout|stderr))(\/|$)/;

  for (const p of ['/dev/stderr', '/dev/stdout', '/dev/stdin', '/dev/fd/2', '/dev/fd', '/proc/self/fd/1', '/proc/self/status', '/proc/self', `/proc/${process.pid}/fd/1`, `${proj}/fds/1`]) {
    it(`keeps ${p} as spelled, without a lookup in the guard's /proc`, () => {
      const r = recording();
      const out = normalizePath(p, proj, { home, platform: 'linux', fs: r.fs });
      assert.deepEqual(r.seen.filter((s) => PER_PROCESS.test(s)), []);
      assert.ok(!out.includes(String(process.pid)) || p.includes(String(process.pid)), out);
      assert.match(out, PER_PROCESS);
    });
  }

  it('no form through a per-process link is placed, whatever follows it and for every operation', () => {
    const node = fc.constantFrom('/proc/self', '/proc/thread-self', '/proc/4242', `/proc/${process.pid}`, '/proc/self/task/1', '/dev/fd/7', '/dev/fd/1', '/proc/self/fd/9', '/dev/stdout', '/dev/stdin');
    const link = fc.constantFrom('cwd', 'root', 'exe', 'ns/mnt', 'map_files/1-2', '.', '..', '');
    const tail = fc.array(fc.constantFrom('authorized_keys', '.ssh', '..', '.', 'config.json', 'x y', '.git'), { maxLength: 4 });
    const op = fc.constantFrom<Op>('write', 'delete', 'move-from', 'move-to', 'read');
    fc.assert(fc.property(node, link, tail, op, (n, l, rest, o) => {
      const descriptor = n.startsWith('/dev/std') || /\/fd\/\d+$/.test(n);
      const p = [n, l, ...rest].join('/');
      // `/proc/self/.` is the process directory itself; `/dev/fd/7/.` and `/dev/fd/7/` lead into
      // the directory behind the descriptor; `/dev/fd/7` alone is the descriptor (tested above).
      if (descriptor && p === n) return;
      const parts = [l, ...rest].filter((c) => c !== '' && c !== '.');
      if (!descriptor && parts.every((c) => !['cwd', 'root', 'exe', 'ns', 'map_files', '..'].includes(c.split('/')[0]!))) return;
      const r = recording();
      assert.throws(() => normalizeTarget({ op: o, path: p, base: proj, via: 'redirect >' }, { home, platform: 'linux', fs: r.fs }),
        (e: Error) => e.name === 'GuardError' && e.message.startsWith('cannot place '), p);
      assert.deepEqual(r.seen.filter((s) => PER_PROCESS.test(s)), [], p);
    }), { numRuns: 500 });
  });
});

describe('reality: the kernel resolves these in the process that opens them', { skip: process.platform !== 'linux' }, () => {
  it('bash writes through /proc/self/cwd and /dev/fd/N into its own directories', () => {
    const dir = fs.mkdtempSync(path.join(root, 'real-'));
    fs.mkdirSync(path.join(dir, 'a'));
    fs.mkdirSync(path.join(dir, 'b'));
    const r = spawnSync('bash', ['-c', 'cd a && echo 1 >> /proc/self/cwd/one; exec 7< ../b; echo 2 >> /dev/fd/7/two'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(fs.readFileSync(path.join(dir, 'a/one'), 'utf8'), '1\n');
    assert.equal(fs.readFileSync(path.join(dir, 'b/two'), 'utf8'), '2\n');
  });
});
