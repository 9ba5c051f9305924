// Human output of `tail` and `stats`: aligned columns, colour only on a terminal, and no control
// characters from the records (a file name with an escape sequence must not drive the terminal).
import { paint, table, tilde, type Paint } from '../install/format.js';
import type { AuditRecord } from '../../lib/types.js';
import type { StatsResult } from './stats.js';

/**
 * Control characters (C0, DEL, C1), line and paragraph separators and bidirectional controls
 * (which can make a path read as another) shown escaped, so one record stays one line of plain text.
 */
export function printable(s: string): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    if (c === '\r') return '\\r';
    const code = c.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

export { jsonSafe } from '../../lib/record.js';

/** What the last column shows: the reason of a block, else the targets, else an error. */
function detail(rec: AuditRecord, home: string): string {
  if ((rec.decision === 'deny' || rec.decision === 'ask') && rec.reason) return rec.reason;
  const t = rec.targets ?? [];
  if (t.length > 0) {
    const first = t[0] as NonNullable<AuditRecord['targets']>[number];
    const more = t.length > 1 ? ` (+${t.length - 1})` : '';
    return `${first.op} ${tilde(first.path, home)}${first.unresolved ? ' (unresolved)' : ''}${more}`;
  }
  return rec.error ?? rec.reason ?? '';
}

export const TAIL_HEADER = ['TS', 'AGENT', 'EVENT', 'TOOL', 'DECISION', 'RULE', 'TARGET/REASON'];

/** The columns `ts agent event tool decision rule target/reason` of one record. */
export function recordCells(rec: AuditRecord, home: string): string[] {
  const s = (v: unknown): string => (typeof v === 'string' && v !== '' ? printable(v) : '-');
  return [s(rec.ts), s(rec.agent), s(rec.event), s(rec.tool), s(rec.decision), s(rec.rule), printable(detail(rec, home))];
}

function decisionColor(p: Paint, decision: string): (s: string) => string {
  return decision === 'deny' ? p.bad : decision === 'ask' ? p.warn : decision === 'allow' ? p.ok : (s) => s;
}

/**
 * Rows printed as they come (`--follow`), aligned to the widest cell seen so far: the backlog is
 * measured as a whole, later rows widen a column only when they must.
 */
export class RowPrinter {
  private widths: number[] = [];
  private readonly p: Paint;

  constructor(private readonly write: (s: string) => void, tty: boolean, private readonly home: string) {
    this.p = paint(tty);
  }

  /** The header and the backlog, measured together. */
  start(recs: AuditRecord[]): void {
    const rows = [TAIL_HEADER, ...recs.map((r) => recordCells(r, this.home))];
    for (const r of rows) r.forEach((c, i) => (this.widths[i] = Math.max(this.widths[i] ?? 0, c.length)));
    rows.forEach((r, i) => this.print(r, i === 0));
  }

  add(rec: AuditRecord): void {
    const cells = recordCells(rec, this.home);
    cells.forEach((c, i) => (this.widths[i] = Math.max(this.widths[i] ?? 0, c.length)));
    this.print(cells, false);
  }

  private print(cells: string[], header: boolean): void {
    const last = cells.length - 1;
    const text = cells.map((c, i) => {
      const padded = i === last ? c : c.padEnd(this.widths[i] ?? 0);
      if (header) return this.p.dim(padded);
      if (i === 0) return this.p.dim(padded);
      if (i === 4) return decisionColor(this.p, c)(padded);
      return padded;
    });
    this.write(`${text.join('  ').trimEnd()}\n`);
  }
}

export function formatStats(r: StatsResult, tty: boolean): string {
  const p = paint(tty);
  if (r.total === 0) return p.dim('no records\n');
  const nums = (g: { count: number; deny: number; allow: number; ask: number }) => [g.count, g.deny, g.allow, g.ask].map(String);
  const rows = [
    [r.by.toUpperCase(), 'COUNT', 'DENY', 'ALLOW', 'ASK'],
    ...r.groups.map((g) => [g.key === null ? '-' : printable(g.key), ...nums(g)]),
    ['total', ...nums(r.groups.reduce((a, g) => ({ count: a.count + g.count, deny: a.deny + g.deny, allow: a.allow + g.allow, ask: a.ask + g.ask }), { count: 0, deny: 0, allow: 0, ask: 0 }))],
  ];
  // Numbers right-aligned: pad them to their column's width before the table pads the rest.
  const widths = [1, 2, 3, 4].map((i) => Math.max(...rows.map((row) => (row[i] as string).length)));
  const aligned = rows.map((row) => row.map((c, i) => (i === 0 ? c : c.padStart(widths[i - 1] as number))));
  return table(aligned.map((cells, i) => ({
    cells,
    color: i === 0 || i === aligned.length - 1 ? cells.map(() => p.dim)
      : cells.map((c, j) => (j < 2 ? (s: string) => s : c.trim() === '0' ? p.dim : [p.bad, p.ok, p.warn][j - 2] as (s: string) => string)),
  })));
}
