// Runs `verify --against`: which local files, which writers, which remote copy; and the output.
import fs from 'node:fs';
import os from 'node:os';
import { loadConfig } from '../../lib/config.js';
import { configuredAuditFiles, type AuditPlace } from '../support/audit-options.js';
import { printable } from '../support/audit-format.js';
import { auditFiles, verifyFiles, type VerifyProblem } from '../../lib/verify.js';
import { isStoreSource, parseSource, sourceLabel } from './source.js';
import { storeLinks } from './store.js';
import { compareWriter, describeFinding, readLocalLinks, readNdjsonLinks, writerKey, type Link, type WitnessFinding } from './witness.js';

export interface AgainstResult {
  ok: boolean;
  records: number;
  stored: number;
  writers: { host: string; user: string }[];
  findings: WitnessFinding[];
  /** Problems of the local chain itself (lib/verify.ts). */
  problems: VerifyProblem[];
  unreadable: string[];
}

/** This machine's writer: the account and host name, or the user config's audit.user/audit.host. */
function thisWriter(at: AuditPlace): { host: string; user: string } {
  let audit: { user?: string; host?: string } = {};
  try {
    audit = loadConfig({ cwd: at.home, home: at.home, env: at.env, platform: process.platform }).audit;
  } catch {
    // The config does not load: the system's names.
  }
  let user = '';
  try {
    user = os.userInfo().username;
  } catch {
    user = typeof process.getuid === 'function' ? `uid:${process.getuid()}` : 'unknown';
  }
  return { host: audit.host ?? (os.hostname() || 'unknown'), user: audit.user ?? user };
}

export async function verifyAgainst(target: string, files: string[], at: AuditPlace): Promise<AgainstResult> {
  // The witnessed chain is the first file sink's (sinks/index.ts seals with it).
  let current = files.at(-1);
  if (files.length === 0) {
    const conf = configuredAuditFiles(at);
    if (conf.warning) process.stderr.write(`hookwarden: ${printable(conf.warning)}\n`);
    current = conf.files[0];
    if (current === undefined) throw new Error('no file sink is configured (audit.sinks); name the audit files to compare');
    files = auditFiles(current);
  }
  const local = readLocalLinks(files);
  const chain = verifyFiles(files);
  const writers = new Map<string, { host: string; user: string }>();
  const me = thisWriter(at);
  writers.set(writerKey(me), me);
  for (const l of local.links) if (!writers.has(writerKey(l))) writers.set(writerKey(l), { host: l.host, user: l.user });

  let stored: Link[];
  if (isStoreSource(target)) {
    const src = parseSource(target, at.env);
    stored = [];
    for (const w of writers.values()) {
      try {
        stored.push(...await storeLinks(src, w));
      } catch (err) {
        throw new Error(`${sourceLabel(src)}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  } else {
    stored = readNdjsonLinks(target).filter((l) => writers.has(writerKey(l)));
  }
  const findings: WitnessFinding[] = [];
  for (const w of writers.values()) {
    const k = writerKey(w);
    findings.push(...compareWriter(
      local.links.filter((l) => writerKey(l) === k),
      stored.filter((s) => writerKey(s) === k),
      w,
      current ?? files.at(-1) ?? '',
    ));
  }
  const problem = findings.some((f) => f.kind !== 'unshipped') || chain.problems.length > 0;
  // A deleted file is not "unreadable": its records are what the store reports as lost.
  const unreadable = [...new Set([...local.unreadable, ...chain.unreadable.filter((f) => fs.existsSync(f))])];
  return {
    ok: !problem && unreadable.length === 0,
    records: local.links.length,
    stored: stored.length,
    writers: [...writers.values()],
    findings,
    problems: chain.problems,
    unreadable,
  };
}

export function printAgainst(r: AgainstResult, json: boolean, out: (s: string) => void): void {
  if (json) {
    out(`${JSON.stringify(r)}\n`);
    return;
  }
  for (const p of r.problems) out(`${printable(p.file)}:${p.line}: ${printable(p.problem)}\n`);
  const differs = r.findings.filter((f) => f.kind === 'differs');
  for (const f of r.findings) {
    // A rechained rewrite makes every later record differ: the first 20 are named, then a count.
    if (f.kind === 'differs' && differs.indexOf(f) >= 20) continue;
    out(`${printable(describeFinding(f))}\n`);
  }
  if (differs.length > 20) out(`… and ${differs.length - 20} more records that differ from the store's copy\n`);
  for (const f of r.unreadable) out(`${printable(f)}: unreadable\n`);
  if (r.ok) out(`agree: ${r.records} local records of ${r.writers.map((w) => printable(writerKey(w))).join(', ')}; the store holds ${r.stored}\n`);
}
