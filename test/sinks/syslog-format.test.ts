import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_MESSAGE_BYTES, fitSyslog, formatSyslog, octetFrame, sdEscape, severityOf, syslogParts, syslogPort } from '../../sinks/syslog-format.js';
import type { AuditRecord } from '../../lib/types.js';
import { makeRecord } from './helpers/records.js';

/** RFC 5424 header + first SD element, parsed the way a receiver would (SD-PARAM unescaping). */
function parse5424(msg: string): { pri: number; version: string; ts: string; host: string; app: string; procid: string; msgid: string; sdId: string; params: Record<string, string>; rest: string } {
  const m = /^<(\d{1,3})>(\d) (\S+) (\S+) (\S+) (\S+) (\S+) \[/.exec(msg);
  assert.ok(m, `bad header: ${msg.slice(0, 120)}`);
  let i = m[0].length;
  const idEnd = msg.slice(i).search(/[ \]]/);
  const sdId = msg.slice(i, i + idEnd);
  i += idEnd;
  const params: Record<string, string> = {};
  while (msg[i] === ' ') {
    const eq = msg.indexOf('="', i);
    const name = msg.slice(i + 1, eq);
    let j = eq + 2;
    let value = '';
    for (; msg[j] !== '"'; j++) {
      assert.ok(j < msg.length, 'unterminated PARAM-VALUE');
      if (msg[j] === '\\' && ['"', '\\', ']'].includes(msg[j + 1] as string)) j++;
      value += msg[j];
    }
    params[name] = value;
    i = j + 1;
  }
  assert.equal(msg[i], ']', 'SD element must close');
  const [, pri, version, ts, host, app, procid, msgid] = m;
  return { pri: Number(pri), version: version as string, ts: ts as string, host: host as string, app: app as string, procid: procid as string, msgid: msgid as string, sdId, params, rest: msg.slice(i + 1) };
}

test('PRI = facility * 8 + severity from the decision (deny warning, allow info, ask notice, error err)', () => {
  const rows: [Partial<AuditRecord>, Parameters<typeof formatSyslog>[1], number][] = [
    [{ decision: 'deny' }, 'authpriv', 10 * 8 + 4],
    [{ decision: 'allow' }, 'authpriv', 10 * 8 + 6],
    [{ decision: 'ask' }, 'authpriv', 10 * 8 + 5],
    [{ decision: undefined, event: 'SessionStart' }, 'authpriv', 10 * 8 + 6],
    [{ decision: 'deny', error: 'config unreadable' }, 'authpriv', 10 * 8 + 3],
    [{ decision: 'allow' }, 'local7', 23 * 8 + 6],
    [{ decision: 'deny' }, 'kern', 4],
    [{ decision: 'deny' }, 'user', 12],
  ];
  for (const [over, facility, pri] of rows) {
    const rec = makeRecord(1, over);
    assert.equal(parse5424(formatSyslog(rec, facility)).pri, pri, JSON.stringify(over));
  }
  assert.equal(severityOf(makeRecord(0, { decision: 'deny' })), 'warning');
});

test('header: version 1, RFC 3339 timestamp, host, APP-NAME hookwarden, PROCID pid, MSGID event', () => {
  const rec = makeRecord(3, { event: 'PostToolUse', pid: 31337, host: 'build-7' });
  const p = parse5424(formatSyslog(rec));
  assert.equal(p.version, '1');
  assert.equal(p.ts, rec.ts);
  assert.equal(p.host, 'build-7');
  assert.equal(p.app, 'hookwarden');
  assert.equal(p.procid, '31337');
  assert.equal(p.msgid, 'PostToolUse');
  assert.equal(p.sdId, 'hookwarden@32473');
  assert.equal(p.rest, ` ${JSON.stringify(rec)}`, 'MSG is the JSON record, without BOM');
});

test('MSGID is printable ASCII, at most 32 characters; empty fields become NILVALUE', () => {
  const long = formatSyslog(makeRecord(1, { event: 'A very long event name with spaces and ü that goes on' }));
  const p = parse5424(long);
  assert.equal(p.msgid, 'Averylongeventnamewithspacesandt');
  assert.equal(p.msgid.length, 32);
  assert.equal(parse5424(formatSyslog(makeRecord(1, { host: '' }))).host, '-');
  assert.equal(parse5424(formatSyslog(makeRecord(1, { ts: 'yesterday' }))).ts.endsWith('Z'), true, 'a bad ts is replaced by now');
});

test('structured data: the listed params in order, absent ones omitted, values escaped', () => {
  const rec = makeRecord(0, { decision: 'deny', rule: 'a"b\\c]d', tool: 'Bash', session_id: 's-1', event: 'PreToolUse' });
  const msg = formatSyslog(rec);
  assert.ok(msg.includes('[hookwarden@32473 decision="deny" rule="a\\"b\\\\c\\]d" tool="Bash" session="s-1" event="PreToolUse" id="'), msg);
  const p = parse5424(msg);
  assert.deepEqual(Object.keys(p.params), ['decision', 'rule', 'tool', 'session', 'event', 'id']);
  assert.equal(p.params.rule, 'a"b\\c]d');
  const bare = parse5424(formatSyslog(makeRecord(1, { decision: undefined, rule: undefined, tool: undefined, session_id: undefined, event: 'SessionEnd' })));
  assert.deepEqual(Object.keys(bare.params), ['event', 'id']);
});

test('property: any rule/tool/session text round-trips through SD-PARAM escaping', () => {
  fc.assert(
    fc.property(fc.string(), fc.string(), fc.string({ unit: 'grapheme' }), (rule, tool, session) => {
      const rec = makeRecord(0, { rule, tool, session_id: session });
      const p = parse5424(formatSyslog(rec));
      const blank = (s: string): string => s.replace(/[\u0000-\u001f\u007f]/g, ' ');
      if (rule !== '') assert.equal(p.params.rule, blank(rule));
      if (tool !== '') assert.equal(p.params.tool, blank(tool));
      if (session !== '') assert.equal(p.params.session, blank(session));
      assert.equal(p.rest.slice(1), JSON.stringify(rec));
    }),
    { numRuns: 300 },
  );
  assert.equal(sdEscape(']"\\'), '\\]\\"\\\\');
});

test('octet counting frames count bytes, not characters', () => {
  const msg = formatSyslog(makeRecord(1, { reason: 'naïve – ✓' }));
  const frame = octetFrame(msg);
  const sp = frame.indexOf(0x20);
  assert.equal(Number(frame.subarray(0, sp).toString()), Buffer.byteLength(msg));
  assert.equal(frame.subarray(sp + 1).toString('utf8'), msg);
  assert.equal(syslogPort({ transport: 'tls', port: undefined }), 6514);
  assert.equal(syslogPort({ transport: 'tcp', port: undefined }), 514);
  assert.equal(syslogParts(makeRecord(1), 'authpriv').params.at(-1)?.startsWith('id="'), true);
});

/** A deny record of a long script: `n` targets of `len`-byte paths, and a large input. */
function bigRecord(n: number, len: number, inputBytes = 8000): AuditRecord {
  const targets = Array.from({ length: n }, (_, i) => ({ op: 'write' as const, path: `/p/${String(i).padStart(6, '0')}/${'d'.repeat(len)}` }));
  return makeRecord(0, { decision: 'deny', rule: 'protect-env', msg: 'PreToolUse Bash deny', targets, input: { command: 'x'.repeat(inputBytes) } });
}

test('a record too long for one message is shortened to fit; everything a collector keys on is kept', () => {
  const rows: [string, AuditRecord, number, boolean][] = [
    ['small record, default bound', makeRecord(1), MAX_MESSAGE_BYTES, false],
    ['1,500 targets, default bound (UDP datagram)', bigRecord(1500, 40), MAX_MESSAGE_BYTES, true],
    ['1,500 targets, rsyslog default 8 KiB', bigRecord(1500, 40), 8192, true],
    ['big input only', bigRecord(0, 0, 60000), 8192, true],
    ['one very long path', bigRecord(1, 30000, 10), 4096, true],
    ['just fits', makeRecord(2), Buffer.byteLength(formatSyslog(makeRecord(2))) + 40, false],
  ];
  for (const [name, rec, max, cut] of rows) {
    const { record, message } = fitSyslog(rec, 'authpriv', max);
    assert.ok(Buffer.byteLength(message) <= max, `${name}: ${Buffer.byteLength(message)} > ${max}`);
    assert.equal(message, formatSyslog(record), name);
    const p = parse5424(message);
    const body = JSON.parse(p.rest.slice(1)) as AuditRecord;
    assert.deepEqual(body, record, `${name}: MSG is the JSON of the record returned`);
    if (!cut) {
      assert.equal(record, rec, `${name}: unchanged`);
      continue;
    }
    for (const k of ['id', 'decision', 'rule', 'tool', 'event', 'session_id', 'ts', 'agent'] as const) assert.equal(body[k], rec[k], `${name}: ${k}`);
    assert.deepEqual(p.params, parse5424(formatSyslog(rec)).params, `${name}: structured data as for the whole record`);
    assert.match(body.msg ?? '', new RegExp(`cut to ${max} bytes`), name);
    (body.targets ?? []).forEach((t, i) => {
      const orig = rec.targets?.[i];
      assert.ok(orig && t.op === orig.op && (t.path === orig.path || orig.path.startsWith(t.path.slice(0, -1))), `${name}: targets are a prefix`);
    });
  }
  // As many targets as fit: one more would not.
  const rec = bigRecord(1500, 40);
  const { record } = fitSyslog(rec, 'authpriv', 8192);
  const n = record.targets?.length ?? 0;
  assert.ok(n > 10 && n < 1500, `kept ${n}`);
  assert.match(record.msg ?? '', new RegExp(`targets \\(${n} of 1500 kept\\)`));
  const more = { ...record, targets: rec.targets?.slice(0, n + 1) };
  assert.ok(Buffer.byteLength(formatSyslog(more)) > 8192 - 200, 'the count is the largest that fits');
});

test('property: whatever the record and the bound, the message fits and stays a parsable record', () => {
  fc.assert(fc.property(
    fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 40000 }),
    fc.integer({ min: 2048, max: 70000 }), fc.string({ maxLength: 300, unit: 'grapheme' }),
    (n, len, inputBytes, max, reason) => {
      const rec = { ...bigRecord(n, len, inputBytes), reason };
      const { record, message } = fitSyslog(rec, 'local0', max);
      assert.ok(Buffer.byteLength(message) <= max);
      const body = JSON.parse(parse5424(message).rest.slice(1)) as AuditRecord;
      assert.equal(body.id, rec.id);
      assert.equal(body.decision, 'deny');
      assert.deepEqual(body, record);
    },
  ), { numRuns: 60 });
});
