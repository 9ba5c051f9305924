import type { Command } from 'commander';
import { auditFiles, verifyFiles, type VerifyResult } from '../lib/verify.js';
import { configuredAuditFiles, placeOfProcess } from './support/audit-options.js';
import { printable } from './support/audit-format.js';
import { printAgainst, verifyAgainst } from './team/against.js';
import { parseSource, sourceLabel } from './team/source.js';
import { storeLinks } from './team/store.js';
import { checkStoredChains } from './team/chains.js';
import type { VerifyOutput } from './support/outputs.js';

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description('Walk the hash chain of audit files and report every modified, deleted, reordered, inserted or torn record')
    .argument('[files...]', 'audit files, oldest first (default: every configured file sink, else the default audit file, each with its rotated predecessors)')
    .option('--json', 'print {"ok", "records", "problems": [{file, line, problem}], "unreadable"}')
    .option('--against <store>', 'compare the local files with the copy of this writer (host and user) in a team store (clickhouse://…) or an NDJSON file an HTTP collector received')
    .option('--source <store>', 'check every writer\'s chain in a team store (clickhouse://…) for gaps, forks and modified records')
    .addHelpText('after', `
Without files, each file sink of the config (user config or HOOKWARDEN_CONFIG) is checked as its own
chain, with the rotated files beside it; with no audit.sinks configured, the default audit file.

Examples:
  hookwarden verify
  hookwarden verify ~/.local/state/hookwarden/audit-2026-11-24T10-00-00-000Z.jsonl ~/.local/state/hookwarden/audit.jsonl
  hookwarden verify --against clickhouse://reader@db.internal:8123/hookwarden
  hookwarden verify --against received.ndjson
  hookwarden verify --source clickhouse://reader@db.internal:8123/hookwarden

--against reports records the store holds that the local files lost (a cut tail, a deleted file),
records whose hash differs from the store's copy (a rewrite, even a fully rechained one), and how
many records are not shipped yet and since when (not a problem: hookwarden ship sends them).

Exit codes: 0 intact, 1 tampered or torn, 2 unreadable.`)
    .action(async (files: string[], opts: { json?: boolean; against?: string; source?: string }) => {
      const out = (s: string): void => void process.stdout.write(s);
      if (opts.against !== undefined) {
        const r = await verifyAgainst(opts.against, files, placeOfProcess());
        printAgainst(r, opts.json === true, out);
        process.exitCode = r.unreadable.length > 0 ? 2 : r.ok ? 0 : 1;
        return;
      }
      if (opts.source !== undefined) {
        const src = parseSource(opts.source, process.env);
        const r = checkStoredChains(await storeLinks(src, undefined, true));
        const ok = r.findings.length === 0;
        const records = r.writers.reduce((n, w) => n + w.records, 0);
        const doc: VerifyOutput = { ok, records, problems: [], unreadable: [], writers: r.writers, findings: r.findings.map((f) => ({ kind: 'chain' as const, ...f })) };
        if (opts.json) out(`${JSON.stringify(doc)}\n`);
        else {
          for (const f of r.findings) out(`${printable(`${f.user}@${f.host}`)}: ${f.id} (${f.ts}): ${printable(f.problem)}\n`);
          if (ok) out(`intact: ${records} records of ${r.writers.length} writer(s) in ${sourceLabel(src)}\n`);
        }
        process.exitCode = ok ? 0 : 1;
        return;
      }
      // Each chain on its own: every file sink links its own records.
      let chains: string[][];
      if (files.length > 0) chains = [files];
      else {
        const conf = configuredAuditFiles(placeOfProcess());
        if (conf.warning) process.stderr.write(`hookwarden: ${conf.warning}\n`);
        if (conf.files.length === 0) throw new Error('no file sink is configured (audit.sinks); name the audit files to verify');
        chains = conf.files.map((f) => auditFiles(f));
      }
      const res: VerifyResult = { problems: [], records: 0, unreadable: [] };
      for (const chain of chains) {
        const r = verifyFiles(chain);
        res.problems.push(...r.problems);
        res.records += r.records;
        res.unreadable.push(...r.unreadable);
      }
      const ok = res.problems.length === 0 && res.unreadable.length === 0;
      if (opts.json) {
        const doc: VerifyOutput = { ok, records: res.records, problems: res.problems, unreadable: res.unreadable };
        process.stdout.write(`${JSON.stringify(doc)}\n`);
      } else {
        // File names come from the config and the file system: no control character reaches the terminal.
        for (const p of res.problems) process.stdout.write(`${printable(p.file)}:${p.line}: ${printable(p.problem)}\n`);
        for (const f of res.unreadable) process.stdout.write(`${printable(f)}: unreadable\n`);
        const n = chains.reduce((sum, c) => sum + c.length, 0);
        if (ok) process.stdout.write(`intact: ${res.records} records in ${n} file(s)\n`);
      }
      process.exitCode = res.unreadable.length > 0 ? 2 : res.problems.length > 0 ? 1 : 0;
    });
}
