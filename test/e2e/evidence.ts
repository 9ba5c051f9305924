// What a failing scenario reports: which scenario, what the agent did (exit, stdout/stderr tails,
// the requests it made to the scripted model), what the CLI said and what the audit log holds.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { tail, type AgentRun, type CliResult, type Sandbox } from './agents.js';

export type AuditLine = Record<string, unknown> & {
  event?: string; tool?: string; tool_use_id?: string; decision?: string; reason?: string; rule?: string;
};

export function readAudit(file: string): AuditLine[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => {
    try {
      return JSON.parse(l) as AuditLine;
    } catch {
      return { unparsable: l };
    }
  });
}

export class Evidence {
  readonly runs: AgentRun[] = [];
  readonly cli: CliResult[] = [];
  constructor(readonly sb: Sandbox, private readonly requests: () => string) {}

  audit(): AuditLine[] {
    return readAudit(this.sb.auditFile);
  }

  /** Records of one event (`PreToolUse`, `PostToolUse`...) for one tool call. */
  records(event: string, toolUseId: string): AuditLine[] {
    return this.audit().filter((r) => r.event === event && r.tool_use_id === toolUseId);
  }

  explain(): string {
    const out = [`scenario: ${this.sb.name} (sandbox ${this.sb.root})`];
    for (const run of this.runs) {
      out.push(`agent: ${run.command}`, `  exit ${run.status}${run.signal ? ` signal ${run.signal}` : ''}${run.timedOut ? ' (TIMED OUT, killed)' : ''} after ${run.ms} ms`);
      out.push(`  stdout tail:\n${indent(tail(run.stdout, 25))}`, `  stderr tail:\n${indent(tail(run.stderr, 15))}`);
    }
    out.push(`requests to the scripted model:\n${this.requests()}`);
    for (const c of this.cli) out.push(`hookwarden ${c.args.join(' ')}: exit ${c.status}\n${indent(tail(`${c.stdout}${c.stderr}`, 15))}`);
    const audit = this.audit();
    out.push(`audit log ${this.sb.auditFile}: ${audit.length} records`);
    for (const [i, r] of audit.entries()) {
      const fields = [r.event, r.tool, r.tool_use_id, r.decision, r.rule, r.reason, r.error].filter((f) => f !== undefined);
      out.push(`  ${i + 1}. ${fields.map(String).join(' | ')}${'unparsable' in r ? ` UNPARSABLE ${String(r.unparsable)}` : ''}`);
    }
    return out.join('\n');
  }

  /** assert.ok with the whole story in the message. */
  check(cond: unknown, what: string): asserts cond {
    if (!cond) assert.fail(`${this.sb.name}: ${what}\n\n${this.explain()}`);
  }

  /** `check` without narrowing, callable on an inferred binding (TS needs explicit types for asserts). */
  ok(cond: unknown, what: string): void {
    this.check(cond, what);
  }
}

const indent = (s: string): string => s.split('\n').map((l) => `    ${l}`).join('\n');
