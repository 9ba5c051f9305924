// `npm run bench:ui`: the web console on a generated history (default 1,000,000 records over 10
// files): first index build, every view and filter at the server, a new record on the open page.
// Targets (issue 17): build < 60 s; sessions view and any filter < 300 ms; live < 1 s.
// The history is kept in .cache/bench-ui/ (generating it takes minutes); --fresh makes it again.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startUi } from '../cli/ui/server.js';
import { recordHash } from '../lib/canonical.js';
import { uuidv7 } from '../lib/ids.js';
import { writeHistory } from '../test/helpers/trail.js';
import type { AuditRecord } from '../lib/types.js';

const { values } = parseArgs({ options: { records: { type: 'string' }, fresh: { type: 'boolean' }, quick: { type: 'boolean' }, out: { type: 'string' }, 'keep-index': { type: 'boolean' } } });
const N = Number(values.records ?? (values.quick ? 20_000 : 1_000_000));
const root = path.resolve(import.meta.dirname, '..');
const dir = path.join(root, '.cache', 'bench-ui', `h${N}`);
const file = path.join(dir, 'audit.jsonl');
const log = (s: string): void => void process.stderr.write(`bench:ui: ${s}\n`);

function get(port: number, cookie: string, p: string): Promise<{ ms: number; server: number; body: string }> {
  const start = performance.now();
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: p, headers: { Host: `127.0.0.1:${port}`, Cookie: cookie } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString('utf8')));
      res.on('end', () => {
        const server = Number(/dur=([\d.]+)/.exec(String(res.headers['server-timing']))?.[1] ?? NaN);
        if (res.statusCode !== 200) reject(new Error(`${p}: ${res.statusCode} ${body.slice(0, 200)}`));
        else resolve({ ms: performance.now() - start, server, body });
      });
    }).on('error', reject);
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const max = (xs: number[]): number => Math.max(...xs);

/** A record continuing the file's chain, appended as the file sink would; returns its id and when it was written. */
function appendRecord(session: string): { id: string; at: number } {
  const fd = fs.openSync(file, 'r');
  const size = fs.fstatSync(fd).size;
  const tail = Buffer.alloc(Math.min(size, 65536));
  fs.readSync(fd, tail, 0, tail.length, size - tail.length);
  fs.closeSync(fd);
  const text = tail.toString('utf8');
  const last = JSON.parse(text.slice(text.lastIndexOf('\n', text.length - 2) + 1)) as AuditRecord;
  const now = Date.now();
  const rec = { v: 1, id: uuidv7(now), ts: new Date(now).toISOString(), agent: 'codex', event: 'PreToolUse', session_id: session, tool: 'Bash',
    decision: 'deny', rule: 'vcs', reason: 'bench', host: 'bench', user: 'bench', pid: 1, version: '0', prev: last.hash } as AuditRecord;
  rec.hash = recordHash(rec);
  fs.appendFileSync(file, `${JSON.stringify(rec)}\n`);
  return { id: rec.id, at: performance.now() };
}

async function main(): Promise<void> {
  if (values.fresh) fs.rmSync(dir, { recursive: true, force: true });
  let genMs: number | undefined;
  if (!fs.existsSync(file)) {
    log(`generating ${N} records in ${path.relative(root, dir)}`);
    const t = performance.now();
    fs.mkdirSync(dir, { recursive: true });
    writeHistory(file, N, 9);
    genMs = performance.now() - t;
  }
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.jsonl'));
  const bytes = files.reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0);
  const indexPath = path.join(dir, 'index.duckdb');
  // --keep-index: measure the views and the live stream over the index a previous run built.
  if (!values['keep-index']) for (const f of [indexPath, `${indexPath}.wal`]) fs.rmSync(f, { force: true });
  const assets = path.join(root, 'cli', 'ui', 'assets');
  const check = () => ({ decision: 'allow' as const, targets: [], rule: null, layer: null, reason: null });

  log('first index build');
  const load0 = os.loadavg()[0] as number;
  const cpu0 = process.cpuUsage();
  let t = performance.now();
  let ui = await startUi({ host: '127.0.0.1', port: 0, files: [file], indexPath, assets, check });
  while (ui.index.building) await new Promise((r) => setTimeout(r, 50));
  const buildMs = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  const buildCpuMs = (cpu.user + cpu.system) / 1000;
  const records = Number((await ui.index.conn.runAndReadAll('SELECT count(*) FROM records')).getRows()[0]?.[0]);
  const indexBytes = [indexPath, `${indexPath}.wal`].reduce((n, f) => n + (fs.existsSync(f) ? fs.statSync(f).size : 0), 0);
  const cookie = `hookwarden_ui_${ui.port}=${ui.token}`;

  const sessions = JSON.parse((await get(ui.port, cookie, `${ui.base}api/sessions`)).body) as { session: string }[];
  const some = sessions[Math.floor(sessions.length / 2)]?.session ?? '';
  const day = Date.parse('2026-01-05T00:00:00Z');
  const cases: [string, string][] = [
    ['sessions (no filter)', `${ui.base}api/sessions`],
    ['filter agent', `${ui.base}api/sessions?agent=claude`],
    ['filter project', `${ui.base}api/sessions?project=shop`],
    ['filter decision', `${ui.base}api/sessions?decision=deny`],
    ['filter rule', `${ui.base}api/sessions?rule=vcs`],
    ['filter tool', `${ui.base}api/sessions?tool=mcp__*`],
    ['filter time range', `${ui.base}api/sessions?from=${day}&to=${day + 86_400_000}`],
    ['text search', `${ui.base}api/sessions?q=case3`],
    ['all filters at once', `${ui.base}api/sessions?agent=codex&decision=deny&rule=vcs&tool=Bash&q=pre-commit&from=${day}`],
    ['session timeline', `${ui.base}api/session?id=${encodeURIComponent(some)}`],
    ['escalations', `${ui.base}api/escalations`],
    ['integrity', `${ui.base}api/integrity`],
    ['charts', `${ui.base}api/charts`],
    ['facets', `${ui.base}api/facets`],
  ];
  const rows: string[] = [];
  for (const [name, p] of cases) {
    const server: number[] = [];
    const total: number[] = [];
    for (let i = 0; i < 7; i++) {
      const r = await get(ui.port, cookie, p);
      server.push(r.server);
      total.push(r.ms);
    }
    rows.push(`| ${name} | ${median(server).toFixed(0)} | ${max(server).toFixed(0)} | ${median(total).toFixed(0)} |`);
    log(`${name}: ${median(server).toFixed(0)} ms`);
  }

  log('live');
  const live: number[] = [];
  await new Promise<void>((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port: ui.port, path: `${ui.base}api/live`, headers: { Host: `127.0.0.1:${ui.port}`, Cookie: cookie } }, (res) => {
      let pending: { id: string; at: number } | undefined;
      let seen = '';
      const next = (): void => {
        if (live.length === 10) {
          req.destroy();
          resolve();
          return;
        }
        setTimeout(() => {
          pending = appendRecord('bench-live-session');
        }, 300);
      };
      res.on('data', (d: Buffer) => {
        seen += d.toString('utf8');
        if (pending && seen.includes(pending.id)) {
          live.push(performance.now() - pending.at);
          pending = undefined;
          seen = '';
          next();
        }
      });
      next();
    });
    req.on('error', reject);
  });

  await ui.close();
  log('restart over the kept index');
  t = performance.now();
  ui = await startUi({ host: '127.0.0.1', port: 0, files: [file], indexPath, assets, check });
  while (ui.index.building) await new Promise((r) => setTimeout(r, 20));
  const restartMs = performance.now() - t;
  await ui.close();

  const md = `# hookwarden web console benchmark (npm run bench:ui)

Written on ${new Date().toISOString()}: ${os.cpus().length} CPUs (${os.cpus()[0]?.model ?? '?'}), Node ${process.version},
load average ${load0.toFixed(1)} at the start of the build (other work on the machine slows the wall-clock numbers).

History: ${records.toLocaleString('en')} records indexed (${N.toLocaleString('en')} asked) in ${files.length} files, ${(bytes / 1e6).toFixed(0)} MB${genMs ? `; generated in ${(genMs / 1000).toFixed(0)} s` : ''}.

| what | target | measured |
| --- | --- | --- |
| ${values['keep-index'] ? 'start over the index kept from the last run (--keep-index)' : 'first index build (wall clock)'} | < 60 s | ${(buildMs / 1000).toFixed(1)} s |
| first index build (CPU time of the process) | | ${(buildCpuMs / 1000).toFixed(1)} s |
| index size | | ${(indexBytes / 1e6).toFixed(0)} MB |
| restart over the kept index (nothing new to read) | | ${restartMs.toFixed(0)} ms |
| new record on the open page (live stream), median / max of 10 | < 1 s | ${median(live).toFixed(0)} / ${max(live).toFixed(0)} ms |

Views at the server (Server-Timing, 7 runs each), ms; target < 300 for the sessions view and every filter:

| request | median | max | round trip median |
| --- | --- | --- | --- |
${rows.join('\n')}
`;
  const out = values.out ?? path.join(root, 'bench', 'UI-RESULTS.md');
  fs.writeFileSync(out, md);
  process.stdout.write(md);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:ui: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
