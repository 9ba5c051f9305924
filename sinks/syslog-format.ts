// RFC 5424 message formatting for audit records (pure; shared by the syslog sink and the forwarder).
//   <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [hookwarden@32473 ...] MSG
import { fitJson, redactAndFit } from '../lib/record-summary.js';
import type { AuditRecord } from '../lib/types.js';
import type { SyslogSinkConfig } from '../lib/audit-config.js';

export type Facility = SyslogSinkConfig['facility'];

export const FACILITY_CODES: Record<Facility, number> = {
  kern: 0, user: 1, mail: 2, daemon: 3, auth: 4, syslog: 5, lpr: 6, news: 7, uucp: 8, cron: 9,
  authpriv: 10, ftp: 11, local0: 16, local1: 17, local2: 18, local3: 19, local4: 20, local5: 21,
  local6: 22, local7: 23,
};

export type Severity = 'err' | 'warning' | 'notice' | 'info';
export const SEVERITY_CODES: Record<Severity, number> = { err: 3, warning: 4, notice: 5, info: 6 };

/** errors = err, deny = warning, ask = notice (a user is asked), everything else = info. */
export function severityOf(record: AuditRecord): Severity {
  if (record.error !== undefined) return 'err';
  if (record.decision === 'deny') return 'warning';
  if (record.decision === 'ask') return 'notice';
  return 'info';
}

export const SD_ID = 'hookwarden@32473';
export const APP_NAME = 'hookwarden';

export function syslogPort(cfg: Pick<SyslogSinkConfig, 'transport' | 'port'>): number {
  return cfg.port ?? (cfg.transport === 'tls' ? 6514 : 514);
}

/** Header fields are PRINTUSASCII (33..126) with a maximum length; empty becomes NILVALUE. */
function printable(value: string | undefined, max: number): string {
  const s = (value ?? '').replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return s === '' ? '-' : s;
}

/** PARAM-VALUE: `"`, `\` and `]` are escaped (RFC 5424 6.3.3); control characters are blanked. */
export function sdEscape(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/["\\\]]/g, (c) => `\\${c}`);
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

export interface SyslogParts {
  pri: number;
  facility: Facility;
  severity: Severity;
  timestamp: string;
  hostname: string;
  procid: string;
  msgid: string;
  /** `name="escaped value"`, in order; absent fields are omitted. */
  params: string[];
  msg: string;
}

export function syslogParts(record: AuditRecord, facility: Facility): SyslogParts {
  const severity = severityOf(record);
  const fields: [string, string | undefined][] = [
    ['decision', record.decision],
    ['rule', record.rule],
    ['tool', record.tool],
    ['session', record.session_id],
    ['event', record.event],
    // The record id lets a collector drop the duplicates at-least-once delivery can produce.
    ['id', record.id],
  ];
  return {
    pri: FACILITY_CODES[facility] * 8 + SEVERITY_CODES[severity],
    facility,
    severity,
    timestamp: RFC3339.test(record.ts) ? record.ts : new Date().toISOString(),
    hostname: printable(record.host, 255),
    procid: printable(String(record.pid), 128),
    msgid: printable(record.event, 32),
    params: fields.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `${k}="${sdEscape(v as string)}"`),
    // No BOM: rsyslog keeps it in %msg%, which breaks JSON parsing downstream (RFC 5424 allows MSG-ANY).
    msg: JSON.stringify(record),
  };
}

/**
 * Default bound of one message: fits one IPv4 UDP datagram (65,507 bytes) and a receiver set to
 * 64 KiB (rsyslog `maxMessageSize="64k"`). The biggest records are those of long shell scripts,
 * with one target per file they touch.
 */
export const MAX_MESSAGE_BYTES = 65000;
/** The largest UDP payload: 65,535 less the IP and UDP headers (IPv6 headers do not count). */
export const UDP_MAX_BYTES = { udp4: 65507, udp6: 65527 } as const;
const SHORT_FIELD_BYTES = 1024;
const NOTE_BYTES = 200;

/**
 * The record and its message, shortened when the message would pass `max` bytes. Receivers cut an
 * over-long message (rsyslog at its maxMessageSize) into broken JSON, and UDP cannot send one at
 * all; so `input` and `response` are cut to 1 KiB, then `targets` to as many as fit, and `msg`
 * says what was cut. Decision, rule, tool and ids are kept; the file sink holds the whole record.
 */
export function fitSyslog(record: AuditRecord, facility: Facility, max: number): { record: AuditRecord; message: string } {
  const message = formatSyslog(record, facility);
  const size = Buffer.byteLength(message);
  if (size <= max) return { record, message };
  const budget = max - (size - Buffer.byteLength(syslogParts(record, facility).msg)) - NOTE_BYTES;
  const cut: string[] = [];
  const short: AuditRecord = { ...record };
  for (const k of ['input', 'response'] as const) {
    if (short[k] === undefined || jsonBytes(short[k]) <= SHORT_FIELD_BYTES) continue;
    short[k] = redactAndFit(short[k], (v) => v, SHORT_FIELD_BYTES); // redacted already
    cut.push(k);
  }
  const targets = record.targets ?? [];
  const fits = (n: number): boolean => jsonBytes({ ...short, targets: targets.slice(0, n) }) <= budget;
  let keep = targets.length;
  if (!fits(keep)) {
    let lo = 0;
    let hi = targets.length - 1;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (fits(mid)) lo = mid;
      else hi = mid - 1;
    }
    keep = lo;
    short.targets = targets.slice(0, keep);
    cut.push(`targets (${keep} of ${targets.length} kept)`);
  }
  short.msg = `${record.msg ?? ''} [syslog copy cut to ${max} bytes: ${cut.join(', ') || 'strings'}; the file sink holds the whole record]`.trim();
  let out = short;
  if (jsonBytes(out) > budget + NOTE_BYTES) out = fitJson(out, budget + NOTE_BYTES).value as AuditRecord; // long reason or paths
  return { record: out, message: formatSyslog(out, facility) };
}

function jsonBytes(v: unknown): number {
  return Buffer.byteLength(JSON.stringify(v));
}

export function formatSyslog(record: AuditRecord, facility: Facility = 'authpriv'): string {
  const p = syslogParts(record, facility);
  const sd = `[${[SD_ID, ...p.params].join(' ')}]`;
  return `<${p.pri}>1 ${p.timestamp} ${p.hostname} ${APP_NAME} ${p.procid} ${p.msgid} ${sd} ${p.msg}`;
}

/** RFC 6587 octet counting: `MSG-LEN SP SYSLOG-MSG`, the length in bytes. */
export function octetFrame(msg: string): Buffer {
  const body = Buffer.from(msg, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `, 'ascii'), body]);
}
