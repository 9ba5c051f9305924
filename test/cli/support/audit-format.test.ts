import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatStats, printable, recordCells, RowPrinter } from '../../../cli/support/audit-format.js';
import { makeRecord } from './audit-fixtures.js';

const at = new Date('2026-11-24T10:00:00.000Z');
const HOME = '/home/dev';

describe('printable', () => {
  it('escapes control characters so a record is one plain line', () => {
    assert.equal(printable('a\nb\tc\rd'), 'a\\nb\\tc\\rd');
    assert.equal(printable('\x1b[31mred\x07'), '\\x1b[31mred\\x07');
    assert.equal(printable('\u009b2J'), '\\x9b2J');
    assert.equal(printable('plain ü → ok'), 'plain ü → ok');
  });
});

describe('recordCells', () => {
  it('a block shows its reason; an allow its first target (~ for home) and how many more', () => {
    const deny = makeRecord({ at, decision: 'deny', rule: 'secrets', reason: 'blocked write to .env (rule secrets)', path: '/p/.env' });
    assert.deepEqual(recordCells(deny, HOME), ['2026-11-24T10:00:00.000Z', 'codex', 'PreToolUse', 'Bash', 'deny', 'secrets', 'blocked write to .env (rule secrets)']);
    const allow = { ...makeRecord({ at, decision: 'allow', path: `${HOME}/src/a.ts` }) };
    allow.targets = [...(allow.targets ?? []), { op: 'delete', path: '/tmp/x' }];
    assert.deepEqual(recordCells(allow, HOME).slice(4), ['allow', '-', 'write ~/src/a.ts (+1)']);
    const start = makeRecord({ at, event: 'SessionStart' });
    assert.deepEqual(recordCells(start, HOME), ['2026-11-24T10:00:00.000Z', 'codex', 'SessionStart', '-', '-', '-', '']);
  });
  it('escapes what a record carries', () => {
    const r = makeRecord({ at, decision: 'deny', rule: 'x', reason: 'bad\x1b]0;title\x07 name' });
    assert.equal(recordCells(r, HOME)[6], 'bad\\x1b]0;title\\x07 name');
  });
});

describe('RowPrinter', () => {
  it('aligns the backlog with the header and widens columns for later rows only when needed', () => {
    let out = '';
    const p = new RowPrinter((s) => (out += s), false, HOME);
    p.start([makeRecord({ at, decision: 'allow', tool: 'Bash', path: '/p/a' })]);
    p.add(makeRecord({ at, decision: 'deny', rule: 'secrets', tool: 'apply_patch', reason: 'blocked' }));
    assert.equal(out, [
      'TS                        AGENT  EVENT       TOOL  DECISION  RULE  TARGET/REASON',
      '2026-11-24T10:00:00.000Z  codex  PreToolUse  Bash  allow     -     write /p/a',
      '2026-11-24T10:00:00.000Z  codex  PreToolUse  apply_patch  deny      secrets  blocked',
      '',
    ].join('\n'));
  });
  it('colours only on a terminal', () => {
    let plain = '';
    let tty = '';
    const rec = makeRecord({ at, decision: 'deny', rule: 'r', reason: 'no' });
    new RowPrinter((s) => (plain += s), false, HOME).start([rec]);
    new RowPrinter((s) => (tty += s), true, HOME).start([rec]);
    assert.ok(!plain.includes('\x1b['));
    assert.ok(tty.includes('\x1b[31mdeny'));
    assert.equal(tty.replace(/\x1b\[\d+m/g, ''), plain);
  });
});

describe('formatStats', () => {
  const r = {
    by: 'rule' as const, total: 12,
    groups: [{ key: 'secrets', count: 10, deny: 9, allow: 0, ask: 1 }, { key: null, count: 2, deny: 0, allow: 2, ask: 0 }],
  };
  it('an aligned table, numbers right-aligned, with a total row', () => {
    assert.equal(formatStats(r, false), [
      'RULE     COUNT  DENY  ALLOW  ASK',
      'secrets     10     9      0    1',
      '-            2     0      2    0',
      'total       12     9      2    1',
      '',
    ].join('\n'));
  });
  it('colour only on a terminal; "no records" when empty', () => {
    assert.equal(formatStats(r, true).replace(/\x1b\[\d+m/g, ''), formatStats(r, false));
    assert.notEqual(formatStats(r, true), formatStats(r, false));
    assert.equal(formatStats({ by: 'decision', total: 0, groups: [] }, false), 'no records\n');
  });
});
