// `hookwarden ui --source clickhouse://…` (the built CLI) over a real clickhouse-server on
// 127.0.0.1: every developer's sessions from the team store, records the store receives while the
// page is open (live stream and index, a re-sent batch counted once), and the integrity view
// naming the writer whose record was modified in the store.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { ClickHouseClient } from '../../sinks/clickhouse-client.js';
import { clickhouseRow, insertSql } from '../../sinks/clickhouse-table.js';
import { initStore } from '../../cli/team.js';
import { parseSource } from '../../cli/team/source.js';
import type { AuditRecord } from '../../lib/types.js';
import { ClickHouseServer, clickhouseBinary } from '../helpers/clickhouse.js';
import { sandbox } from '../helpers/hook.js';
import { TrailWriter, writeSession } from '../helpers/trail.js';
import { Running } from './run.js';

const skip = !clickhouseBinary() && 'clickhouse-server is not installed';
let server: ClickHouseServer | undefined;
const box = sandbox();
before(async () => {
  if (!skip) server = await ClickHouseServer.start();
});
after(async () => {
  await server?.stop();
  box.cleanup();
});

/** Inserts lines as the forwarder does (JSONEachRow rows carrying the very line). */
async function insert(db: string, lines: string[]): Promise<void> {
  const c = new ClickHouseClient({ url: server!.url, user: 'default', timeoutMs: 10_000 });
  try {
    await c.exec(insertSql(db, 'audit'), lines.map((l) => clickhouseRow(JSON.parse(l) as AuditRecord, l)).join('\n'));
  } finally {
    await c.close();
  }
}

function get(port: number, p: string, cookie: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: p, headers: { Host: `127.0.0.1:${port}`, Cookie: cookie } }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

async function until<T>(f: () => Promise<T | undefined | false>, what: string, ms = 20_000): Promise<T> {
  for (const end = Date.now() + ms; ;) {
    const v = await f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error(`${what}: not seen in ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const lines = (file: string): string[] => fs.readFileSync(file, 'utf8').trim().split('\n');

test('ui --source: every writer\'s sessions, new store records live and counted once, the store\'s integrity check by writer', { skip, timeout: 120_000 }, async () => {
  const db = 'uistore';
  await initStore(parseSource(server!.source(db, 'default@'), {}));
  const alice = new TrailWriter(path.join(box.root, 'alice.jsonl'), Date.parse('2026-12-01T09:00:00.000Z'), { host: 'dev-a', user: 'alice' });
  writeSession(alice, { agent: 'codex', session: 'aaaaaaaa-0000-7000-8000-000000000001', project: '/srv/api', calls: 6, seed: 1, blockEvery: 3 });
  alice.flush();
  const bob = new TrailWriter(path.join(box.root, 'bob.jsonl'), Date.parse('2026-12-01T10:00:00.000Z'), { host: 'dev-b', user: 'bob' });
  writeSession(bob, { agent: 'claude', session: 'bbbbbbbb-0000-7000-8000-000000000002', project: '/srv/web', calls: 4, seed: 2 });
  bob.flush();
  await insert(db, [...lines(alice.file), ...lines(bob.file)]);
  // One of bob's records changed in the store (same id and hash, another reason): the table keeps the last copy.
  const bobLines = lines(bob.file);
  const tampered = JSON.parse(bobLines[3]!) as AuditRecord;
  await insert(db, [JSON.stringify({ ...tampered, msg: 'nothing to see' })]);

  const tmpdir = path.join(box.root, 'tmp');
  fs.mkdirSync(tmpdir);
  // A row larger than any record (5 MiB; hookwarden never writes one): cut, not held, not shown.
  const huge = new TrailWriter(path.join(box.root, 'huge.jsonl'), Date.parse('2026-12-01T11:00:00.000Z'), { host: 'dev-c', user: 'carol' });
  huge.add({ agent: 'codex', event: 'SessionStart', session_id: 'dddddddd-0000-7000-8000-000000000004', input: { blob: 'x'.repeat(5 * 1024 * 1024) } });
  huge.flush();
  await insert(db, lines(huge.file));
  const ui = new Running(['ui', '--no-open', '--json', '--source', server!.source(db, 'default@')], { cwd: box.project, env: { ...box.env, TMPDIR: tmpdir } });
  try {
    await ui.waitFor((s) => s.includes('\n'), 30_000);
    const url = new URL((JSON.parse(ui.stdout) as { url: string }).url);
    const port = Number(url.port);
    const cookie = `hookwarden_ui_${port}=${url.searchParams.get('token')}`;
    const base = await new Promise<string>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port, path: `${url.pathname}${url.search}`, headers: { Host: `127.0.0.1:${port}` } }, (res) => {
        res.resume();
        resolve(String(res.headers.location));
      }).on('error', reject);
    });
    const sessionsOf = async (): Promise<{ session: string; agent: string; calls: number; blocks: number }[]> =>
      JSON.parse((await get(port, `${base}api/sessions`, cookie)).body) as { session: string; agent: string; calls: number; blocks: number }[];

    const first = await until(async () => ((await sessionsOf()).length === 2 ? sessionsOf() : undefined), 'both writers\' sessions');
    const a = first.find((s) => s.session.startsWith('aaaaaaaa'));
    assert.deepEqual({ agent: a?.agent, calls: Number(a?.calls), blocks: Number(a?.blocks) }, { agent: 'codex', calls: 6, blocks: 2 });
    assert.equal(first.find((s) => s.session.startsWith('bbbbbbbb'))?.agent, 'claude');
    assert.equal(first.find((s) => s.session.startsWith('dddddddd')), undefined);
    // The private copy, while serving: the huge row was cut to one byte over a record's limit (4 MiB).
    const copies = fs.readdirSync(tmpdir);
    assert.equal(copies.length, 1);
    assert.ok(fs.statSync(path.join(tmpdir, copies[0]!, 'store.jsonl')).size < 4.5 * 1024 * 1024);

    const integrity = JSON.parse((await get(port, `${base}api/integrity`, cookie)).body) as { ok: boolean; summary: string; files: { file: string; problems: { problem: string }[] }[] };
    assert.equal(integrity.ok, false);
    assert.match(integrity.summary, /record modified in the store .*\(bob@dev-b\)/);
    assert.deepEqual(integrity.files.find((f) => f.file.startsWith('alice@dev-a'))?.problems, []);
    assert.ok(integrity.files.find((f) => f.file.startsWith('bob@dev-b'))?.problems.some((p) => p.problem.includes(tampered.id)));

    // Live: records the store receives while the page is open, and a re-sent batch counted once.
    const live: string[] = [];
    const stream = http.get({ host: '127.0.0.1', port, path: `${base}api/live`, headers: { Host: `127.0.0.1:${port}`, Cookie: cookie } }, (res) => {
      res.on('data', (d: Buffer) => live.push(d.toString('utf8')));
    });
    await until(async () => live.length > 0 || undefined, 'the live stream');
    const before = lines(alice.file).length;
    writeSession(alice, { agent: 'codex', session: 'aaaaaaaa-0000-7000-8000-000000000003', project: '/srv/api', calls: 2, seed: 5 });
    alice.flush();
    const added = lines(alice.file).slice(before);
    await insert(db, added);
    await insert(db, added); // the forwarder sent that batch twice
    const last = JSON.parse(added.at(-1)!) as AuditRecord;
    await until(async () => live.join('').includes(last.id) || undefined, 'the new record on the live stream');
    const again = await until(async () => {
      const s = (await sessionsOf()).find((x) => x.session.endsWith('000000000003'));
      return s && Number(s.calls) === 2 ? s : undefined;
    }, 'the new session');
    assert.equal(Number(again.calls), 2);
    const timeline = JSON.parse((await get(port, `${base}api/session?id=${encodeURIComponent('aaaaaaaa-0000-7000-8000-000000000003')}`, cookie)).body) as { records: AuditRecord[] };
    assert.equal(timeline.records.length, added.length); // once each
    assert.ok(timeline.records.every((r) => r.user === 'alice' && r.host === 'dev-a'));
    stream.destroy();
  } finally {
    const end = await ui.stop('SIGINT');
    assert.deepEqual(end, { code: 0, signal: null }, ui.stderr);
  }
  // The private copy of the store went with the console.
  assert.deepEqual(fs.readdirSync(tmpdir), []);
});
