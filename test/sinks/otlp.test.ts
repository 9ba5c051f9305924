import { test } from 'node:test';
import assert from 'node:assert/strict';
import { otlpLogRecord, otlpLogs } from '../../sinks/otlp.js';
import { makeRecord, makeRecords } from './helpers/records.js';

type Attr = { key: string; value: { stringValue: string } };
const attrs = (list: Attr[]): Record<string, string> => Object.fromEntries(list.map((a) => [a.key, a.value.stringValue]));

test('log record: nanosecond time as a decimal string, severity from the decision, body = the JSON record', () => {
  const rows = [
    [{ decision: 'deny' as const }, 13, 'WARN'],
    [{ decision: 'allow' as const }, 9, 'INFO'],
    [{ decision: 'ask' as const }, 10, 'INFO2'],
    [{ decision: 'deny' as const, error: 'bad config' }, 17, 'ERROR'],
  ] as const;
  for (const [over, number, text] of rows) {
    const rec = makeRecord(2, { ...over, ts: '2025-03-04T05:06:07.891Z' });
    const lr = otlpLogRecord(rec);
    assert.equal(lr.timeUnixNano, '1741064767891000000');
    assert.equal(lr.severityNumber, number);
    assert.equal(lr.severityText, text);
    assert.deepEqual(JSON.parse(lr.body.stringValue), rec);
  }
});

test('attributes: semantic-convention names (event.name, session.id, user.name, gen_ai.tool.*), hookwarden.* for the rest, the record id as log.record.uid', () => {
  const rec = makeRecord(0, { decision: 'deny', rule: 'protect-env', prev: 'p'.repeat(64), hash: 'h'.repeat(64) });
  const a = attrs(otlpLogRecord(rec).attributes);
  assert.deepEqual(a, {
    'event.name': 'PreToolUse', 'hookwarden.decision': 'deny', 'hookwarden.rule': 'protect-env', 'gen_ai.tool.name': rec.tool,
    'gen_ai.tool.call.id': rec.tool_use_id, 'gen_ai.agent.name': rec.agent, 'session.id': rec.session_id, 'user.name': rec.user,
    'hookwarden.project': rec.project, 'hookwarden.prev': 'p'.repeat(64), 'hookwarden.hash': 'h'.repeat(64), 'log.record.uid': rec.id,
  });
  const bare = attrs(otlpLogRecord(makeRecord(1, { event: 'Stop', decision: undefined, rule: undefined, tool: undefined, tool_use_id: undefined, project: undefined })).attributes);
  assert.deepEqual(Object.keys(bare).sort(), ['event.name', 'gen_ai.agent.name', 'log.record.uid', 'session.id', 'user.name']);
});

test('LogsData envelope: one resource (service.name, host.name, service.version), scope hookwarden', () => {
  const recs = makeRecords(3);
  const doc = otlpLogs(recs.map((record) => ({ record, line: JSON.stringify(record) }))) as {
    resourceLogs: { resource: { attributes: Attr[] }; scopeLogs: { scope: { name: string }; logRecords: { body: { stringValue: string } }[] }[] }[];
  };
  assert.equal(doc.resourceLogs.length, 1);
  const rl = doc.resourceLogs[0]!;
  assert.deepEqual(attrs(rl.resource.attributes), { 'service.name': 'hookwarden', 'host.name': recs[0]!.host, 'service.version': '0.1.0' });
  assert.equal(rl.scopeLogs[0]!.scope.name, 'hookwarden');
  assert.deepEqual(rl.scopeLogs[0]!.logRecords.map((l) => JSON.parse(l.body.stringValue).id), recs.map((r) => r.id));
});
