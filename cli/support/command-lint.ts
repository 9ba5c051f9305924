// `hookwarden validate` checks of command rules beyond the schema: what the loader accepts but
// cannot do what the file says. Pure: config in, problems out.
import type { ValidateProblem } from './outputs.js';
import { isInterpreter } from '../../lib/commands/remote.js';
import { globProblem } from '../../lib/rules.js';
import type { CommandRule } from '../../lib/commands/schema.js';
import { isSqlClient } from '../../lib/commands/sql.js';

const EVERYDAY = new Set(['git', 'npm', 'npx', 'node', 'python', 'python3', 'pip', 'docker', 'kubectl', 'ls', 'cat', 'cd', 'echo', 'make', 'cargo', 'go', 'bash', 'sh', 'grep', 'find', 'sed', 'rm', 'cp', 'mv', 'mkdir', 'yarn', 'pnpm']);

export function lintCommandRules(rules: readonly CommandRule[]): ValidateProblem[] {
  const out: ValidateProblem[] = [];
  const seen = new Map<string, number>();
  rules.forEach((r, i) => {
    const at = `commands[${i}] (id ${JSON.stringify(r.id)}): `;
    const p = (severity: 'error' | 'warning', field: string, text: string): void => {
      out.push({ severity, rule: r.id, field, message: `${at}field ${field}: ${text}` });
    };
    const first = seen.get(r.id);
    if (first !== undefined) p('error', 'id', `duplicate of commands[${first}]`);
    else seen.set(r.id, i);
    const when = r.when ?? [];
    if (r.command.includes('*') && !when.some((c) => c.recursion)) p('error', 'command', '"*" rules are tried only on a function calling itself: without "recursion" the rule can never match');
    if (r.effect !== 'allow' && !r.subcommand && when.length === 0) {
      const hit = r.command.filter((n) => EVERYDAY.has(n));
      if (hit.length > 0) p('warning', 'command', `no subcommand and no conditions: every call of ${hit.join(', ')} is ${r.effect === 'deny' ? 'blocked' : 'asked about'}`);
    }
    when.forEach((c, k) => {
      const f = `when[${k}]`;
      const kinds = ['flag', 'noFlag', 'option', 'noOption', 'exists', 'operand', 'noOperand', 'afterSeparator', 'place', 'path', 'sql', 'program', 'recursion'] as const;
      if (!kinds.some((x) => c[x] !== undefined)) p('error', f, 'no condition in it (only modifiers): it always holds');
      if (c.value && !c.option && !c.noOption) p('error', `${f}.value`, '"value" needs "option" or "noOption"; it is ignored');
      if (c.value && c.option && c.noOption) p('error', `${f}.value`, '"value" with both "option" and "noOption" is ambiguous: put them in two conditions');
      if (c.except && !c.operand) p('warning', `${f}.except`, '"except" only applies to "operand"');
      for (const o of [...(c.flag ?? []), ...(c.noFlag ?? []), ...(c.option ?? []), ...(c.noOption ?? [])]) {
        if (/^-[^-]{2,}/.test(o) && !r.syntax?.singleDash) p('error', f, `${JSON.stringify(o)} is read as bundled one-letter flags unless syntax.singleDash is set; it can never be present`);
      }
      for (const [j, g] of (c.path ?? []).entries()) {
        const problem = globProblem(g);
        if (problem) p('error', `${f}.path[${j}]`, problem);
      }
      if (c.sql && !r.command.some(isSqlClient)) p('error', `${f}.sql`, `none of ${r.command.join(', ')} is a database client whose SQL is read (psql, mysql, mariadb, sqlite3, clickhouse-client, mongosh, redis-cli)`);
      if (c.program && !r.command.some((n) => isInterpreter(n) || n.endsWith('*'))) p('error', `${f}.program`, `none of ${r.command.join(', ')} is an interpreter`);
    });
  });
  return out;
}
