import os from 'node:os';
import type { Command } from 'commander';
import { auditFiles, verifyFiles } from '../lib/verify.js';
import { defaultAuditPath } from '../sinks/file.js';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('Walk the hash chain of audit files and report every modified, deleted, reordered, inserted or torn record')
    .argument('[files...]', 'audit files, oldest first (default: the default audit file and its rotated predecessors)')
    .option('--json', 'print {"ok", "records", "problems": [{file, line, problem}], "unreadable"}')
    .addHelpText('after', `
Examples:
  hookwarden verify
  hookwarden verify ~/.local/state/hookwarden/audit-2026-11-24T10-00-00-000Z.jsonl ~/.local/state/hookwarden/audit.jsonl

Exit codes: 0 intact, 1 tampered or torn, 2 unreadable.`)
    .action((files: string[], opts: { json?: boolean }) => {
      const list = files.length > 0 ? files : auditFiles(defaultAuditPath(process.env, process.env.HOME ?? os.homedir()));
      const res = verifyFiles(list);
      const ok = res.problems.length === 0 && res.unreadable.length === 0;
      if (opts.json) {
        process.stdout.write(`${JSON.stringify({ ok, records: res.records, problems: res.problems, unreadable: res.unreadable })}\n`);
      } else {
        for (const p of res.problems) process.stdout.write(`${p.file}:${p.line}: ${p.problem}\n`);
        for (const f of res.unreadable) process.stdout.write(`${f}: unreadable\n`);
        if (ok) process.stdout.write(`intact: ${res.records} records in ${list.length} file(s)\n`);
      }
      process.exitCode = res.unreadable.length > 0 ? 2 : res.problems.length > 0 ? 1 : 0;
    });
}
