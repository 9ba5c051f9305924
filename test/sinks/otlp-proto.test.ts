// The OTLP/JSON the HTTP sink sends, decoded with the official opentelemetry-proto definitions
// (protobufjs code generated from them, shipped by @opentelemetry/otlp-transformer): every field
// name must be one the schema knows (a misspelled key would be dropped silently by a Collector)
// and every value of its type. Encoded to protobuf binary and back, the document must survive.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { otlpLogs } from '../../sinks/otlp.js';
import { makeRecord, makeRecords } from './helpers/records.js';

interface ProtoType {
  verify(o: object): string | null;
  fromObject(o: object): object;
  toObject(m: object, opts: object): object;
  encode(m: object): { finish(): Uint8Array };
  decode(b: Uint8Array): object;
}
const require = createRequire(import.meta.url);
const root = require('@opentelemetry/otlp-transformer/build/src/generated/root.js') as {
  opentelemetry: { proto: { collector: { logs: { v1: { ExportLogsServiceRequest: ProtoType } } } } };
};
const Request = root.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;

/** OTLP/JSON's mapping: int64 as decimal strings, enums as numbers, no defaults added. */
const JSON_OPTS = { longs: String, enums: Number, bytes: String, defaults: false };

function roundTrip(doc: object): object {
  const msg = Request.fromObject(doc);
  const wire = Request.encode(msg).finish();
  return Request.toObject(Request.decode(wire), JSON_OPTS);
}

test('OTLP logs of real-shaped records decode with the official proto definitions, losing nothing', () => {
  const recs = [
    ...makeRecords(5),
    makeRecord(7, { decision: 'deny', rule: 'protect-env', error: 'config: bad', prev: 'a'.repeat(64), hash: 'b'.repeat(64) }),
    makeRecord(8, { event: 'SessionStart', tool: undefined, decision: undefined, tool_use_id: undefined }),
  ];
  const doc = otlpLogs(recs.map((record) => ({ record, line: JSON.stringify(record) })));
  const plain = JSON.parse(JSON.stringify(doc)) as object;
  // verify() checks a decoded message (int64 as Long there; OTLP/JSON writes them as strings).
  assert.equal(Request.verify(Request.fromObject(plain)), null, 'every field has the type the schema gives it');
  assert.deepEqual(roundTrip(plain), plain, 'no field is unknown to the schema (it would be dropped)');
});

test('the check itself catches a misspelled field and a wrongly typed value', () => {
  const doc = JSON.parse(JSON.stringify(otlpLogs([{ record: makeRecord(1) }]))) as {
    resourceLogs: { scopeLogs: { logRecords: Record<string, unknown>[] }[] }[];
  };
  const lr = doc.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!;
  const misspelled = structuredClone(doc);
  const m = misspelled.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!;
  m.severity_number = m.severityNumber;
  delete m.severityNumber;
  assert.notDeepEqual(roundTrip(misspelled), misspelled);
  const wrongType = structuredClone(doc);
  wrongType.resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!.severityNumber = 'WARN-ish';
  assert.notDeepEqual(roundTrip(wrongType), wrongType);
  assert.ok(lr.timeUnixNano);
});
