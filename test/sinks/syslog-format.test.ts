import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatSyslog, octetFrame, sdEscape, severityOf, syslogParts, syslogPort } from '../../sinks/syslog-format.js';
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
