// The trail never writes through a link (red team, round 4): a user config may give the audit file
// a relative path (`logs/audit.jsonl`), resolved in the call's own directory, so inside a cloned
// repository. The repository committed `logs/audit.jsonl -> ~/.bashrc`: the hook opened it with
// `a+`, followed the link and appended the record to ~/.bashrc; the record holds the call's command
// verbatim inside a JSON string, so `echo $(touch PWNED)` ran at the next bash start (shown by hand:
// `bash -c 'source ~/.bashrc'` made the file). A committed folder link (`logs -> ~/.bashrc.d`) did
// the same one level up. Now the file must be a regular file reached without a link at its name,
// the folders below the call's directory must not be links, and the call is blocked unrecorded.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { appendRecord, createFileSink, openAppendOnly } from '../../sinks/file.js';
import { appendToSegment } from '../../sinks/spool-files.js';
import { FileSinkSchema, resolveAuditPaths, AuditConfigSchema } from '../../lib/audit-config.js';
import { buildRecord } from '../../lib/record.js';
import { compileRedactor } from '../../lib/redact.js';
import type { AuditRecord } from '../../lib/types.js';
import { tempDirs } from '../helpers/tmp.js';
import { claudePayload, runHookSync, sandbox } from '../helpers/hook.js';

const tmp = tempDirs();
const redact = compileRedactor([]);
const fileCfg = (extra: Record<string, unknown> = {}) => FileSinkSchema.parse({ type: 'file', ...extra });
const rec = (command: string): AuditRecord => buildRecord(
  { agent: 'claude', event: 'PreToolUse', version: 'test', payload: { hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: 't' } },
  { maxInputBytes: 8192, maxResponseBytes: 8192 },
  redact,
);

describe('the audit file and spool segments are opened only as regular files, never through a link at their name', () => {
  it('a link to another file (the target stays as it was), a link to /dev/zero, a dangling link', async () => {
    const dir = tmp();
    const victim = path.join(dir, 'bashrc');
    fs.writeFileSync(victim, '# mine\n');
    for (const to of [victim, '/dev/zero', path.join(dir, 'nowhere')]) {
      const file = path.join(dir, `audit-${path.basename(to)}.jsonl`);
      fs.symlinkSync(to, file);
      await assert.rejects(appendRecord(file, rec('echo $(touch x)'), fileCfg()), /is a symbolic link/);
      assert.throws(() => appendToSegment(file, '{}'), /is a symbolic link/);
    }
    assert.equal(fs.readFileSync(victim, 'utf8'), '# mine\n');
    assert.equal(fs.existsSync(path.join(dir, 'nowhere')), false, 'a dangling link is not followed to create its target');
  });

  it('a FIFO or a folder at the name fails at once (no wait for a reader)', async () => {
    const dir = tmp();
    const fifo = path.join(dir, 'audit.jsonl');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    assert.throws(() => openAppendOnly(fifo), /is not a regular file/);
    await assert.rejects(appendRecord(fifo, rec('ls'), fileCfg()), /is not a regular file/);
    const folder = path.join(dir, 'seg');
    fs.mkdirSync(folder);
    assert.throws(() => appendToSegment(folder, '{}'), /EISDIR|is not a regular file/);
  });

  it('a regular file is appended to as before', async () => {
    const dir = tmp();
    const file = path.join(dir, 'audit.jsonl');
    await appendRecord(file, rec('ls'), fileCfg());
    await appendRecord(file, rec('pwd'), fileCfg());
    assert.equal(fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).length, 2);
  });
});

describe('a relative audit path: no link in the folders below the call directory', () => {
  const sinkAt = (cwd: string, p: string) => {
    const audit = resolveAuditPaths(AuditConfigSchema.parse({ sinks: [{ type: 'file', path: p }] }), cwd);
    const cfg = audit.sinks![0]!;
    assert.equal(cfg.type, 'file');
    return cfg as ReturnType<typeof fileCfg>;
  };
  const write = async (cwd: string, p: string): Promise<string[]> => {
    const errors: string[] = [];
    const sink = createFileSink(sinkAt(cwd, p), { env: {}, home: cwd, onError: (_n, e) => errors.push(String(e)) });
    await sink.write(rec('echo $(touch x)'));
    await sink.close();
    return errors;
  };

  it('a folder link (logs -> a folder of the home), however the path spells it, is refused', async () => {
    const dir = tmp();
    const home = path.join(dir, 'home');
    const repo = path.join(dir, 'repo');
    fs.mkdirSync(path.join(home, '.bashrc.d'), { recursive: true });
    fs.mkdirSync(path.join(repo, 'src'), { recursive: true });
    fs.symlinkSync(path.join(home, '.bashrc.d'), path.join(repo, 'logs'));
    for (const p of ['logs/audit.jsonl', 'src/../logs/audit.jsonl', './logs/a/b.jsonl', 'logs//x.jsonl']) {
      const errors = await write(repo, p);
      assert.equal(errors.length, 1, p);
      assert.match(errors[0]!, /audit folder .* is a symbolic link inside the project/, p);
    }
    assert.deepEqual(fs.readdirSync(path.join(home, '.bashrc.d')), []);
  });

  it('real folders (made when missing) and absolute paths are written as before', async () => {
    const dir = tmp();
    const repo = path.join(dir, 'repo');
    fs.mkdirSync(path.join(repo, 'src'), { recursive: true });
    assert.deepEqual(await write(repo, 'logs/new/audit.jsonl'), []);
    assert.deepEqual(await write(repo, 'src/../top.jsonl'), []);
    assert.ok(fs.statSync(path.join(repo, 'logs', 'new', 'audit.jsonl')).isFile());
    assert.ok(fs.statSync(path.join(repo, 'top.jsonl')).isFile());
    // An absolute path is the user's own layout: a link among its folders is theirs to make.
    fs.mkdirSync(path.join(dir, 'real'));
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'linked'));
    assert.deepEqual(await write(repo, path.join(dir, 'linked', 'a.jsonl')), []);
    assert.ok(fs.statSync(path.join(dir, 'real', 'a.jsonl')).isFile());
  });
});

describe('the built hook in a repository that commits a link where a relative audit path points', () => {
  for (const daemon of ['off', 'on']) {
    it(`the call is blocked unrecorded and ~/.bashrc is untouched (daemon ${daemon})`, () => {
      const sb = sandbox();
      try {
        const bashrc = path.join(sb.env.HOME!, '.bashrc');
        fs.writeFileSync(bashrc, '# mine\n');
        fs.mkdirSync(path.join(sb.env.XDG_CONFIG_HOME!, 'hookwarden'), { recursive: true });
        fs.writeFileSync(path.join(sb.env.XDG_CONFIG_HOME!, 'hookwarden', 'config.json'), JSON.stringify({ audit: { sinks: [{ type: 'file', path: 'logs/audit.jsonl' }] } }));
        fs.mkdirSync(path.join(sb.project, 'logs'));
        fs.symlinkSync(bashrc, path.join(sb.project, 'logs', 'audit.jsonl'));
        const env = { ...sb.env, HOOKWARDEN_DAEMON: daemon };
        const r = runHookSync('pre-tool-use', JSON.stringify(claudePayload(sb.project, 'Bash', { command: 'echo $(touch pwned) > notes.txt' })), env, sb.project);
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, /^hookwarden: [^\n]*could not be recorded[^\n]*symbolic link[^\n]*\n$/);
        assert.equal(fs.readFileSync(bashrc, 'utf8'), '# mine\n');
      } finally {
        sb.cleanup();
      }
    });
  }
});

// The same repository could hand the syslog sink its own CA file (`certs/ca.pem`, committed: no
// link needed) or a link to another socket, so the syslog sink's paths are absolute or `~/`.
describe('the syslog sink\'s socket and TLS files: absolute or ~/ only', () => {
  it('a relative socket, ca, cert or key is a config error that names the field; absolute and ~/ parse', () => {
    for (const [k, extra] of [
      ['path', { transport: 'unix', path: 'run/syslog.sock' }],
      ['ca', { transport: 'tls', ca: 'certs/ca.pem' }],
      ['cert', { transport: 'tls', cert: './client.pem' }],
      ['key', { transport: 'tls', key: '../keys/client.key' }],
    ] as const) {
      const r = AuditConfigSchema.safeParse({ sinks: [{ type: 'syslog', ...extra }] });
      assert.equal(r.success, false, k);
      assert.deepEqual(r.error!.issues[0]!.path, ['sinks', 0, k]);
      assert.match(r.error!.issues[0]!.message, /absolute path or start with ~\//);
    }
    for (const extra of [{ transport: 'unix', path: '/dev/log' }, { transport: 'tls', ca: '~/certs/ca.pem', cert: '/etc/ssl/c.pem', key: '~/k.key' }, { transport: 'udp' }]) {
      assert.equal(AuditConfigSchema.safeParse({ sinks: [{ type: 'syslog', ...extra }] }).success, true, JSON.stringify(extra));
    }
  });

  it('the built hook blocks with the config error, and the repository\'s CA file is never read', () => {
    const sb = sandbox();
    try {
      fs.mkdirSync(path.join(sb.env.XDG_CONFIG_HOME!, 'hookwarden'), { recursive: true });
      fs.writeFileSync(path.join(sb.env.XDG_CONFIG_HOME!, 'hookwarden', 'config.json'), JSON.stringify({ audit: { sinks: [{ type: 'syslog', transport: 'tls', port: 6514, ca: 'certs/ca.pem' }] } }));
      const r = runHookSync('pre-tool-use', JSON.stringify(claudePayload(sb.project, 'Write', { file_path: path.join(sb.project, 'notes.txt'), content: 'x' })), { ...sb.env, HOOKWARDEN_DAEMON: 'off' }, sb.project);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /^hookwarden: [^\n]*ca[^\n]*absolute path or start with ~\/[^\n]*\n$/);
    } finally {
      sb.cleanup();
    }
  });
});
