// Writing a one-time grant (lib/commands/grants.ts picks it in the hook, hooks/grant-take.ts takes it). The grant
// is made from an audit record (its command and session) or from a command text given as is.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GRANT_TTL_MS, grantsDir, type Grant } from '../../lib/commands/grants.js';
import { auditFileList, readAudit } from '../support/audit-query.js';
import { configuredAuditFiles, type AuditPlace } from '../support/audit-options.js';

/** Environment variables the agents set for the commands they run: the grant is a person's act. */
const AGENT_MARKERS = ['CLAUDECODE', 'CLAUDE_CODE_ENTRYPOINT', 'CODEX_SANDBOX', 'CODEX_SANDBOX_NETWORK_DISABLED', 'CODEX_THREAD_ID'];

export function agentMarker(env: Record<string, string | undefined>): string | undefined {
  return AGENT_MARKERS.find((k) => env[k] !== undefined && env[k] !== '');
}

const RECORD_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The command and session of the record `id` in the configured audit files (or `file`). */
export function fromRecord(id: string, at: AuditPlace, file?: string): { command: string; session?: string } {
  const files = file ? auditFileList(path.resolve(at.cwd, file)) : configuredAuditFiles(at).files.flatMap((f) => auditFileList(f));
  const hit = readAudit(files, { filter: {} }).entries.find((e) => e.rec.id === id);
  if (!hit) throw new Error(`no audit record with id ${id}`);
  const input = hit.rec.input as { command?: unknown } | undefined;
  const command = input && typeof input.command === 'string' ? input.command : undefined;
  if (command === undefined) throw new Error(`record ${id} holds no shell command`);
  if (command.includes('[REDACTED')) throw new Error(`record ${id}: its command was redacted in the audit trail; give the command text instead`);
  return { command, ...(hit.rec.session_id ? { session: hit.rec.session_id } : {}) };
}

export function isRecordId(s: string): boolean {
  return RECORD_ID.test(s);
}

/** Writes the grant file (private folder, created atomically) and returns the grant. */
export function writeGrant(at: AuditPlace, g: { command: string; session?: string; ttlMs?: number; record?: string }, now = Date.now()): Grant & { file: string } {
  const dir = grantsDir(at.home, at.env);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const id = `g-${now.toString(36)}-${crypto.randomBytes(4).toString('hex')}`;
  const grant: Grant = {
    v: 1, id, command: g.command, ...(g.session ? { session: g.session } : {}), created: now,
    expires: now + (g.ttlMs ?? GRANT_TTL_MS), by: `${os.userInfo().username}@${os.hostname()}`, ...(g.record ? { record: g.record } : {}),
  };
  const file = path.join(dir, `${id}.json`);
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(grant), { mode: 0o600, flag: 'wx' });
  fs.renameSync(tmp, file);
  return { ...grant, file };
}
