// Generated audit trails for the web console's tests and benchmark: chained records of real shape
// (as lib/record.ts writes them), several sessions of both agents, written with rotation.
import fs from 'node:fs';
import path from 'node:path';
import { recordHash } from '../../lib/canonical.js';
import { uuidv7 } from '../../lib/ids.js';
import { rotationStamp } from '../../lib/verify.js';
import type { AuditRecord } from '../../lib/types.js';

export type Partial1 = Partial<AuditRecord> & Pick<AuditRecord, 'agent' | 'event'>;

/** Appends chained records to `file` (prev linked to the file's last record); returns the lines written. */
export class TrailWriter {
  private prev: string | null = null;
  private t: number;
  private buf: string[] = [];

  /** `who`: the writer (host and user) every record names, for trails of several developers. */
  constructor(readonly file: string, start = Date.parse('2026-12-01T09:00:00.000Z'), readonly who = { host: 'devbox', user: 'dev' }) {
    this.t = start;
    fs.mkdirSync(path.dirname(file), { recursive: true });
  }

  /** The record as the hooks would have written it. */
  make(r: Partial1, stepMs = 1000): AuditRecord {
    this.t += stepMs;
    const rec: AuditRecord = {
      v: 1, id: uuidv7(this.t), ts: new Date(this.t).toISOString(), time: this.t, level: r.decision === 'deny' ? 40 : 30,
      msg: `${r.event}${r.tool ? ` ${r.tool}` : ''}`, host: this.who.host, user: this.who.user, pid: 4242, version: '0.1.0',
      ...r, prev: this.prev,
    } as AuditRecord;
    rec.hash = recordHash(rec);
    this.prev = rec.hash;
    return rec;
  }

  add(r: Partial1, stepMs?: number): AuditRecord {
    const rec = this.make(r, stepMs);
    this.buf.push(JSON.stringify(rec));
    if (this.buf.length >= 4096) this.flush();
    return rec;
  }

  raw(line: string): void {
    this.buf.push(line);
  }

  flush(): void {
    if (this.buf.length === 0) return;
    fs.appendFileSync(this.file, `${this.buf.join('\n')}\n`);
    this.buf = [];
  }

  /** Renames the file as the sink rotates it; the chain goes on in the fresh file. */
  rotate(): string {
    this.flush();
    const to = path.join(path.dirname(this.file), `${path.basename(this.file, '.jsonl')}-${rotationStamp(new Date(this.t))}.jsonl`);
    fs.renameSync(this.file, to);
    return to;
  }
}

const PROJECTS = ['/home/dev/src/shop', '/home/dev/src/api', '/home/dev/src/infra', '/home/dev/src/docs'];
const RULES = ['vcs', 'secrets', 'ci', 'lockfiles', 'self'];
const TOOLS = { codex: ['Bash', 'apply_patch', 'mcp__fs__write_file'], claude: ['Bash', 'Write', 'Edit'] } as const;

/**
 * A session of `calls` tool calls: SessionStart, prompt, Pre/Post pairs (one in `blockEvery`
 * denied, asks now and then), Stop. Deterministic in `seed`.
 */
export function writeSession(w: TrailWriter, o: { agent: 'codex' | 'claude'; session: string; project: string; calls: number; seed: number; blockEvery?: number; stepMs?: number }): void {
  const { agent, session, project } = o;
  const base = { agent, session_id: session, cwd: project, project } as const;
  const step = o.stepMs ?? 1000;
  w.add({ ...base, event: 'SessionStart', input: { source: 'startup', model: 'gpt-5.5', permission_mode: 'default' } }, step);
  w.add({ ...base, event: 'UserPromptSubmit', input: { prompt: 'tidy up the build', permission_mode: 'default' } }, step);
  for (let i = 0; i < o.calls; i++) {
    const n = o.seed + i;
    const tool = TOOLS[agent][n % 3] as string;
    const id = `${agent === 'codex' ? 'call' : 'toolu'}_${session.slice(0, 8)}_${i}`;
    const blocked = o.blockEvery !== undefined && i % o.blockEvery === o.blockEvery - 1;
    const ask = !blocked && n % 17 === 5;
    const rule = blocked || ask ? (RULES[n % RULES.length] as string) : undefined;
    const file = blocked ? `${project}/.git/hooks/pre-commit` : `${project}/src/file${n % 50}.ts`;
    const input = tool === 'Bash' ? { command: blocked ? `echo x > .git/hooks/pre-commit` : `npm test -- --grep case${n % 9}` } : { file_path: file, content: { bytes: 120, sha256: 'a'.repeat(64) } };
    w.add({
      ...base, event: 'PreToolUse', tool, tool_use_id: id, targets: [{ op: 'write', path: file }], input,
      decision: blocked ? 'deny' : ask ? 'ask' : 'allow',
      ...(rule ? { rule, layer: `builtin:${rule}`, reason: blocked ? `${file} is protected by rule ${rule}` : `${file} needs a confirmation (rule ${rule})` } : {}),
    }, step);
    if (!blocked) w.add({ ...base, event: 'PostToolUse', tool, tool_use_id: id, input, response: { bytes: 12, sha256: 'b'.repeat(64), exit: 0 } }, step);
  }
  w.add({ ...base, event: 'Stop', input: { stop_hook_active: false, permission_mode: 'default' } }, step);
}

/** A history of `records` records (about), across `rotations + 1` files; for the benchmark. */
export function writeHistory(file: string, records: number, rotations: number): { files: string[]; records: number } {
  const w = new TrailWriter(file, Date.parse('2026-01-01T00:00:00.000Z'));
  let written = 0;
  let s = 0;
  const perFile = Math.ceil(records / (rotations + 1));
  let inFile = 0;
  while (written < records) {
    const agent = s % 2 === 0 ? 'codex' : 'claude';
    const calls = 20 + (s % 40);
    const session = `${(0x10000000 + s * 7919).toString(16)}-${s.toString(16).padStart(4, '0')}-7000-8000-${s.toString(16).padStart(12, '0')}`;
    writeSession(w, { agent, session, project: PROJECTS[s % PROJECTS.length] as string, calls, seed: s, blockEvery: 7, stepMs: 2000 });
    const n = 3 + calls * 2 - Math.floor(calls / 7);
    written += n;
    inFile += n;
    s++;
    if (inFile >= perFile && written < records) {
      w.rotate();
      inFile = 0;
    }
  }
  w.flush();
  return { files: fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith('.jsonl')).map((f) => path.join(path.dirname(file), f)), records: written };
}
