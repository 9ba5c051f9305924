// `hookwarden tail` through the built CLI, over records written by the real hook and by the real
// file sink (with rotation); --follow is killed once it printed what was expected.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { AuditRecordSchema } from '../../lib/record-schema.js';
import type { AuditRecord } from '../../lib/types.js';
import { codexPayload, runHookSync, sandbox } from '../helpers/hook.js';
import { series, writeAudit } from './support/audit-fixtures.js';
import { hw, Running } from './run.js';

const fileLines = (files: string[]) => files.flatMap((f) => fs.readFileSync(f, 'utf8').split('\n').filter(Boolean));
const jsonLines = (stdout: string) => stdout.split('\n').filter(Boolean).map((l) => AuditRecordSchema.parse(JSON.parse(l)) as AuditRecord);

describe('tail over records the PreToolUse hook wrote', () => {
  const sb = sandbox();
  after(() => sb.cleanup());
  before(() => {
    const blocked = runHookSync('pre-tool-use', JSON.stringify(codexPayload(sb.project, 'Bash', { command: 'echo x > .env' }, 'call_deny')), sb.env, sb.project);
    const allowed = runHookSync('pre-tool-use', JSON.stringify(codexPayload(sb.project, 'Bash', { command: 'echo x > src/a.ts' }, 'call_allow')), sb.env, sb.project);
    assert.deepEqual([blocked.status, allowed.status], [2, 0], blocked.stderr + allowed.stderr);
  });
  const run = (args: string[]) => hw(['tail', ...args], { cwd: sb.project, env: sb.env });

  it('prints an aligned table, no colour when stdout is not a terminal', () => {
    const r = run([]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /^TS {24}AGENT {2}EVENT {7}TOOL {2}DECISION {2}RULE {5}TARGET\/REASON$/);
    assert.match(lines[1]!, /^\d{4}-\d\d-\d\dT[\d:.]+Z {2}codex {2}PreToolUse {2}Bash {2}deny {6}secrets {2}\S.*\.env/);
    assert.match(lines[2]!, new RegExp(`^\\S+ {2}codex {2}PreToolUse {2}Bash {2}allow {5}- {8}write ${sb.project}/src/a\\.ts$`));
    assert.equal(lines[1]!.indexOf('deny'), lines[0]!.indexOf('DECISION'));
    assert.ok(!r.stdout.includes('\x1b['));
  });
  it('--json prints the lines exactly as stored, each a valid record', () => {
    const r = run(['--json']);
    assert.equal(r.stdout, `${fileLines([sb.auditFile]).join('\n')}\n`);
    assert.deepEqual(jsonLines(r.stdout).map((x) => [x.tool_use_id, x.decision]), [['call_deny', 'deny'], ['call_allow', 'allow']]);
  });
  it('--decision deny', () => {
    assert.deepEqual(jsonLines(run(['--json', '--decision', 'deny']).stdout).map((x) => x.tool_use_id), ['call_deny']);
  });
});

describe('tail filters, -n and --since over a rotated trail', () => {
  const sb = sandbox();
  after(() => sb.cleanup());
  let stored: AuditRecord[] = [];
  const T0 = new Date('2026-11-24T10:00:00.000Z');
  before(async () => {
    stored = [
      ...await writeAudit(sb.auditFile, series(30, T0), 4096),
      ...await writeAudit(sb.auditFile, series(4, new Date(T0.getTime() + 3_600_000), { session: 'other', tool: 'mcp__fs__write_file', event: 'PreToolUse' }), 4096),
    ];
  });
  const ids = (args: string[]) => {
    const r = hw(['tail', '--json', ...args], { cwd: sb.project, env: sb.env });
    assert.equal(r.status, 0, r.stderr);
    return jsonLines(r.stdout).map((x) => x.id);
  };

  it('the last 20 by default, oldest first, across rotated files', () => {
    assert.ok(fs.readdirSync(`${sb.root}/state/hookwarden`).filter((f) => /^audit-.*\.jsonl$/.test(f)).length >= 3);
    assert.deepEqual(ids([]), stored.slice(-20).map((r) => r.id));
  });
  it('-n', () => {
    assert.deepEqual(ids(['-n', '3']), stored.slice(-3).map((r) => r.id));
    assert.deepEqual(ids(['-n', '0']), []);
    assert.deepEqual(ids(['-n', '1000']), stored.map((r) => r.id));
  });
  it('--since (duration and RFC 3339): every matching record unless -n is given', () => {
    assert.deepEqual(ids(['--since', stored[5]!.ts]), stored.slice(5).map((r) => r.id));
    assert.deepEqual(ids(['--since', stored[5]!.ts, '-n', '2']), stored.slice(-2).map((r) => r.id));
    assert.deepEqual(ids(['--since', '1h']), []); // these records are from 2026-11-24, hours before any clock running this
  });
  it('--session, --tool (with *), --event, --decision together', () => {
    const want = (f: (r: AuditRecord) => boolean) => stored.filter(f).slice(-20).map((r) => r.id);
    assert.deepEqual(ids(['--session', 'other']), want((r) => r.session_id === 'other'));
    assert.deepEqual(ids(['--tool', 'mcp__fs__*']), want((r) => r.tool === 'mcp__fs__write_file'));
    assert.deepEqual(ids(['--tool', 'Write', '--decision', 'ask', '--event', 'PreToolUse']), want((r) => r.tool === 'Write' && r.decision === 'ask'));
    assert.deepEqual(ids(['--event', 'PostToolUse']), []);
  });
  it('--file reads the named file and its rotated predecessors', () => {
    const copy = `${sb.root}/copy.jsonl`;
    fs.copyFileSync(sb.auditFile, copy);
    const inCurrent = fileLines([sb.auditFile]).length;
    assert.deepEqual(ids(['--file', copy, '-n', '1000']), stored.slice(-inCurrent).map((r) => r.id));
  });
});

describe('tail: errors', () => {
  const sb = sandbox();
  after(() => sb.cleanup());
  const run = (args: string[]) => hw(['tail', ...args], { cwd: sb.project, env: sb.env });
  it('no audit file yet: nothing, exit 0', () => {
    assert.deepEqual(run([]), { status: 0, stdout: '', stderr: '' });
  });
  it('a named file that does not exist, bad --since, -n or --decision: exit 2 with the reason', () => {
    const r = run(['--file', `${sb.root}/nope.jsonl`]);
    assert.deepEqual([r.status, r.stderr], [2, `hookwarden: ${sb.root}/nope.jsonl: no such audit file\n`]);
    for (const [args, msg] of [[['--since', '3x'], /--since <when>.*expected a duration/], [['-n', '-1'], /-n, --lines <n>.*whole number/], [['--decision', 'block'], /Allowed choices are deny, allow, ask/]] as const) {
      const e = run([...args]);
      assert.equal(e.status, 2, e.stderr);
      assert.match(e.stderr, msg);
    }
  });
  it('skips torn lines and says so on stderr', async () => {
    const recs = await writeAudit(sb.auditFile, series(1, new Date('2026-11-24T10:00:00Z')));
    fs.appendFileSync(sb.auditFile, '{"torn\n');
    const r = run(['--json']);
    assert.deepEqual(jsonLines(r.stdout).map((x) => x.id), recs.map((x) => x.id));
    assert.equal(r.stderr, 'hookwarden: skipped 1 line that are not audit records (run hookwarden verify)\n');
  });
  it('--help has examples and exit codes', () => {
    const r = run(['--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Examples:\n {2}hookwarden tail\n/);
    assert.match(r.stdout, /Exit codes: 0 success/);
  });
});

describe('tail --follow', () => {
  const sb = sandbox();
  after(() => sb.cleanup());
  const T0 = new Date('2026-11-24T10:00:00.000Z');

  it('prints appended records, across rotations, then exits 0 on SIGTERM', async () => {
    const backlog = await writeAudit(sb.auditFile, series(3, T0), 4096);
    const tail = new Running(['tail', '--follow', '--json'], { cwd: sb.project, env: sb.env });
    try {
      await tail.waitFor((out) => out.split('\n').filter(Boolean).length === 3);
      const more = await writeAudit(sb.auditFile, series(24, T0), 4096); // ~600-byte records: several rotations
      const all = [...backlog, ...more].map((r) => r.id);
      await tail.waitFor((out) => out.split('\n').filter(Boolean).length >= all.length);
      const { code } = await tail.stop('SIGTERM');
      assert.equal(code, 0, tail.stderr);
      assert.deepEqual(jsonLines(tail.stdout).map((r) => r.id), all);
      assert.ok(fs.readdirSync(`${sb.root}/state/hookwarden`).filter((f) => /^audit-.*\.jsonl$/.test(f)).length >= 2);
    } finally {
      tail.child.kill('SIGKILL');
    }
  });

  it('human rows with the filter applied; SIGINT stops it too', async () => {
    const tail = new Running(['tail', '-f', '--decision', 'deny', '-n', '0'], { cwd: sb.project, env: sb.env });
    try {
      await tail.waitFor((out) => out.startsWith('TS '));
      const recs = await writeAudit(sb.auditFile, series(8, T0), 4096);
      const denies = recs.filter((r) => r.decision === 'deny');
      await tail.waitFor((out) => out.trimEnd().split('\n').length === 1 + denies.length);
      const { code } = await tail.stop('SIGINT');
      assert.equal(code, 0, tail.stderr);
      const rows = tail.stdout.trimEnd().split('\n').slice(1);
      assert.deepEqual(rows.map((l) => l.split(/ {2,}/)[4]), denies.map(() => 'deny'));
      assert.deepEqual(rows.map((l) => l.split(/ {2,}/)[0]), denies.map((r) => r.ts));
    } finally {
      tail.child.kill('SIGKILL');
    }
  });
});
