// The daemon's memory over many calls (issue 13: it grew without levelling, 63 -> 110 MB over 1,800
// calls). Calls are sent straight to its socket with the hooks' own wire format (a hook process
// per call would measure Node's start-up 10,000 times, not the daemon), a mix of allowed and
// blocked Bash and Write calls, a few at a time; the daemon's resident size is read from /proc
// (its workers are threads of the same process, so they are counted).
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ACK, encodeRequest, linkFor, type DaemonRequest } from '../hooks/daemon-link.js';
import { codexPayload, claudePayload, daemonsUnder } from '../test/helpers/hook.js';
import { startDaemon } from './peers.js';

export interface MemoryResult { calls: number; samples: [calls: number, rssMb: number][]; failed: number }

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

function ask(socket: string, req: DaemonRequest): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(socket);
    const chunks: Buffer[] = [];
    sock.on('data', (d: Buffer) => chunks.push(d));
    sock.on('error', () => resolve(false));
    sock.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      // The acknowledgement comes only for a call not answered within 10 ms (hooks/daemon.ts).
      const answer = text.startsWith(ACK) ? text.slice(ACK.length) : text;
      resolve(/"exitCode":[02]/.test(answer));
    });
    const [head, body] = encodeRequest(req);
    sock.write(head);
    sock.end(body);
  });
}

export async function measureDaemonMemory(dist: string, env: Record<string, string>, project: string, runDir: string, calls: number, log: (m: string) => void): Promise<MemoryResult> {
  const hooks = path.join(dist, 'hooks');
  // The build id the generated entry passes to client.js (tsup.config.ts).
  const fullBuild = /'([0-9a-f]{64})'\)/.exec(fs.readFileSync(path.join(hooks, 'pre-tool-use.js'), 'utf8'))?.[1] ?? '';
  const daemonEnv = { ...env, XDG_RUNTIME_DIR: runDir, HOOKWARDEN_DAEMON_IDLE_MS: '600000' };
  await startDaemon(dist, daemonEnv, project, runDir);
  const link = linkFor(hooks, fullBuild, daemonEnv);
  const [pid] = daemonsUnder(runDir);
  if (!link || !pid) throw new Error('no daemon to measure');
  const payloads = [
    codexPayload(project, 'Bash', { command: 'echo hi > src/out.txt && cat src/app.ts | wc -l' }),
    codexPayload(project, 'Bash', { command: 'echo x >> .env' }),
    claudePayload(project, 'Write', { file_path: `${project}/src/b.ts`, content: 'export const b = 1;\n' }),
    claudePayload(project, 'Edit', { file_path: `${project}/.git/config`, old_string: 'a', new_string: 'b' }),
  ];
  const samples: [number, number][] = [[0, rssMb(pid)]];
  let failed = 0;
  const PARALLEL = 4;
  for (let done = 0; done < calls;) {
    const batch = Array.from({ length: Math.min(PARALLEL, calls - done) }, (_, i) => {
      const p = payloads[(done + i) % payloads.length]!;
      const req: DaemonRequest = {
        v: 2, hook: 'pre-tool-use', env: daemonEnv, cwd: project, pid: process.pid,
        deadlineAt: Date.now() + 12_000, deadlineMs: 12_000, text: JSON.stringify({ ...p, tool_use_id: `call_mem${done + i}` }),
      };
      return ask(link.socket, req);
    });
    failed += (await Promise.all(batch)).filter((ok) => !ok).length;
    done += batch.length;
    if (done % 1000 === 0) {
      samples.push([done, rssMb(pid)]);
      log(`daemon memory: ${done} calls, ${samples.at(-1)![1].toFixed(0)} MB`);
    }
  }
  return { calls, samples, failed };
}
