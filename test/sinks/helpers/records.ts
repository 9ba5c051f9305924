// Real-shaped audit records for the sink tests (as lib/record.ts would build them, already redacted).
import os from 'node:os';
import { uuidv7 } from '../../../lib/ids.js';
import type { AuditRecord } from '../../../lib/types.js';

export function makeRecord(i: number, over: Partial<AuditRecord> = {}): AuditRecord {
  const deny = i % 3 === 0;
  const now = Date.now();
  return {
    v: 1,
    id: uuidv7(now),
    ts: new Date(now).toISOString(),
    agent: i % 2 === 0 ? 'codex' : 'claude',
    event: 'PreToolUse',
    session_id: `sess-${Math.floor(i / 10)}`,
    turn_id: `turn-${i}`,
    tool_use_id: `call_${i}`,
    tool: i % 2 === 0 ? 'Bash' : 'Write',
    cwd: '/home/dev/project',
    project: '/home/dev/project',
    targets: [{ op: 'write', path: deny ? '/home/dev/project/.env' : `/home/dev/project/src/f${i}.ts` }],
    decision: deny ? 'deny' : 'allow',
    ...(deny ? { rule: 'protect-env', reason: 'writes to .env are blocked' } : {}),
    input: i % 2 === 0 ? { command: `echo ${i} > ${deny ? '.env' : `src/f${i}.ts`}` } : { file_path: `src/f${i}.ts`, content: { bytes: 12, sha256: 'ab'.repeat(32) } },
    host: os.hostname(),
    user: 'dev',
    pid: 4242 + i,
    version: '0.1.0',
    ...over,
  };
}

export const makeRecords = (n: number, over: Partial<AuditRecord> = {}): AuditRecord[] =>
  Array.from({ length: n }, (_, i) => makeRecord(i, over));
