// Audit records -> OTLP/HTTP JSON logs (opentelemetry-proto LogsData, JSON encoding: int64 as
// decimal strings, enums as numbers, attribute values as AnyValue objects).
import os from 'node:os';
import type { AuditRecord } from '../lib/types.js';
import { severityOf, type Severity } from './syslog-format.js';

interface AnyValue {
  stringValue: string;
}
export interface KeyValue {
  key: string;
  value: AnyValue;
}
export interface OtlpLogRecord {
  timeUnixNano: string;
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  body: AnyValue;
  attributes: KeyValue[];
}

/** OpenTelemetry SeverityNumber ranges: INFO 9-12, WARN 13-16, ERROR 17-20. */
const OTLP_SEVERITY: Record<Severity, [number, string]> = {
  info: [9, 'INFO'],
  notice: [10, 'INFO2'],
  warning: [13, 'WARN'],
  err: [17, 'ERROR'],
};

function unixNano(ts: string): string {
  const ms = Date.parse(ts);
  return (BigInt(Number.isFinite(ms) ? ms : Date.now()) * 1_000_000n).toString();
}

const kv = (key: string, value: string): KeyValue => ({ key, value: { stringValue: value } });

/** One log record; `line` is the record's JSON text, kept verbatim as the body. */
export function otlpLogRecord(record: AuditRecord, line: string = JSON.stringify(record)): OtlpLogRecord {
  const [severityNumber, severityText] = OTLP_SEVERITY[severityOf(record)];
  // OpenTelemetry semantic-convention names where one exists (session, user, GenAI tool calls, the
  // log record's id); hookwarden's own fields under `hookwarden.*`, as the conventions ask of
  // names they do not define.
  const attrs: [string, string | undefined][] = [
    ['event.name', record.event],
    ['hookwarden.decision', record.decision],
    ['hookwarden.rule', record.rule],
    ['gen_ai.tool.name', record.tool],
    ['gen_ai.tool.call.id', record.tool_use_id],
    ['gen_ai.agent.name', record.agent],
    ['session.id', record.session_id],
    ['user.name', record.user],
    ['hookwarden.project', record.project],
    // The chain link, so a collector's store can witness the local trail like the ClickHouse sink.
    ['hookwarden.prev', record.prev ?? undefined],
    ['hookwarden.hash', record.hash],
    // Semantic convention for a log record's unique id: lets a collector drop duplicates.
    ['log.record.uid', record.id],
  ];
  const time = unixNano(record.ts);
  return {
    timeUnixNano: time,
    observedTimeUnixNano: time,
    severityNumber,
    severityText,
    body: { stringValue: line },
    attributes: attrs.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => kv(k, v as string)),
  };
}

export function otlpLogs(entries: { record: AuditRecord; line?: string }[]): object {
  const first = entries[0]?.record;
  const resource = [kv('service.name', 'hookwarden'), kv('host.name', first?.host || os.hostname())];
  if (first?.version) resource.push(kv('service.version', first.version));
  return {
    resourceLogs: [
      {
        resource: { attributes: resource },
        scopeLogs: [
          {
            scope: { name: 'hookwarden', ...(first?.version ? { version: first.version } : {}) },
            logRecords: entries.map((e) => otlpLogRecord(e.record, e.line)),
          },
        ],
      },
    ],
  };
}
