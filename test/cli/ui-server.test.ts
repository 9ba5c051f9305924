// The web console's server and index against real files and a real server on 127.0.0.1: who may
// read the trail (token, Host, Origin, loopback), bad input that must show as problems and never
// crash, and the index following appends, rotation and its own deletion.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startUi, type UiServer } from '../../cli/ui/server.js';
import { TrailIndex } from '../../cli/ui/index-db.js';
import { sessions } from '../../cli/ui/queries.js';
import { auditFiles, verifyFiles } from '../../lib/verify.js';
import { TrailWriter, writeSession } from '../helpers/trail.js';

const ASSETS = path.resolve(import.meta.dirname, '..', '..', 'cli', 'ui', 'assets');

interface Reply { status: number; headers: http.IncomingHttpHeaders; body: string }

function get(port: number, p: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: p, method, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let data = '';
      res.on('data', (d: Buffer) => (data += d.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function until<T>(f: () => Promise<T | undefined> | T | undefined, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const tmp = (): string => fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-ui-')));
const check = () => ({ decision: 'allow' as const, targets: [], rule: null, layer: null, reason: null });

describe('ui server: who can read the trail', () => {
  let dir: string;
  let ui: UiServer;
  let cookie: string;
  before(async () => {
    dir = tmp();
    const w = new TrailWriter(path.join(dir, 'audit.jsonl'));
    writeSession(w, { agent: 'codex', session: '01a20e99-3e5f-7a10-8f8a-5383ed36a44d', project: '/p', calls: 4, seed: 1, blockEvery: 2 });
    w.flush();
    ui = await startUi({ host: '127.0.0.1', port: 0, files: [w.file], assets: ASSETS, check });
    cookie = `hookwarden_ui_${ui.port}=${ui.token}`;
    await until(() => !ui.index.building);
  });
  after(async () => {
    await ui.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers 401 without the token, for the page, its assets and the API', async () => {
    for (const p of ['/', ui.base, `${ui.base}app.js`, `${ui.base}api/sessions`, `${ui.base}api/integrity`, `${ui.base}api/live`]) {
      assert.equal((await get(ui.port, p)).status, 401, p);
    }
    assert.equal((await get(ui.port, `${ui.base}api/sessions`, { Cookie: `hookwarden_ui_${ui.port}=wrong` })).status, 401);
    assert.equal((await get(ui.port, `${ui.base}api/sessions?token=wrong`)).status, 401);
    assert.equal((await get(ui.port, `${ui.base}api/check`, { 'Content-Type': 'application/json' }, 'POST', '{}')).status, 401);
  });

  it('trades the token in the URL for an HttpOnly SameSite=Strict cookie and drops it from the address', async () => {
    const r = await get(ui.port, `/?token=${ui.token}`);
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, ui.base);
    const set = String(r.headers['set-cookie']);
    assert.match(set, new RegExp(`^hookwarden_ui_${ui.port}=${ui.token};`));
    assert.match(set, /HttpOnly/);
    assert.match(set, /SameSite=Strict/);
    // Browsers send a cookie to every port of 127.0.0.1: its Path is a secret folder, so a server
    // another local user runs on another port is never sent it (the browser test shows that).
    assert.match(ui.base, /^\/[\w-]{24,}\/$/);
    assert.ok(!ui.base.includes(ui.token));
    assert.match(set, new RegExp(`; Path=${ui.base}(;|$)`));
    assert.equal((await get(ui.port, '/api/sessions', { Cookie: cookie })).status, 404); // only under the folder
    const page = await get(ui.port, ui.base, { Cookie: cookie });
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-security-policy']), /default-src 'none'/);
    assert.equal((await get(ui.port, `${ui.base}api/sessions`, { Cookie: cookie })).status, 200);
  });

  it('the token in the URL wins over a stale cookie (a console started again on the same port)', async () => {
    const r = await get(ui.port, `/?token=${ui.token}`, { Cookie: `hookwarden_ui_${ui.port}=token-of-the-console-before` });
    assert.equal(r.status, 303);
    assert.match(String(r.headers['set-cookie']), new RegExp(`^hookwarden_ui_${ui.port}=${ui.token};`));
  });

  it('the browser opener gets a one-time token (its command line is readable by other local users), not the printed one', async () => {
    const launch = new URL(ui.launchUrl());
    const once = launch.searchParams.get('token') ?? '';
    assert.notEqual(once, ui.token);
    assert.ok(!launch.href.includes(ui.token));
    const first = await get(ui.port, `/?token=${once}`);
    assert.equal(first.status, 303);
    assert.match(String(first.headers['set-cookie']), new RegExp(`^hookwarden_ui_${ui.port}=${ui.token};`));
    // Spent: whoever read it from ps afterwards gets nothing.
    assert.equal((await get(ui.port, `/?token=${once}`)).status, 401);
    assert.equal((await get(ui.port, `${ui.base}api/sessions`, { Cookie: `hookwarden_ui_${ui.port}=${once}` })).status, 401);
  });

  it('refuses a foreign Host (DNS rebinding) and a foreign Origin, even with the token', async () => {
    for (const host of ['evil.example', `evil.example:${ui.port}`, `127.0.0.1:${ui.port + 1}`, `127.0.0.1.evil.example:${ui.port}`]) {
      assert.equal((await get(ui.port, `${ui.base}api/sessions`, { Cookie: cookie, Host: host })).status, 403, host);
    }
    for (const origin of ['http://evil.example', `http://evil.example:${ui.port}`, 'null', `https://127.0.0.1:${ui.port}`]) {
      assert.equal((await get(ui.port, `${ui.base}api/sessions`, { Cookie: cookie, Origin: origin })).status, 403, origin);
    }
    assert.equal((await get(ui.port, `${ui.base}api/sessions`, { Cookie: cookie, 'Sec-Fetch-Site': 'cross-site' })).status, 403);
    const post = await get(ui.port, `${ui.base}api/check`, { Cookie: cookie, Origin: 'http://evil.example', 'Content-Type': 'application/json' }, 'POST', '{"text":"x","cwd":"/"}');
    assert.equal(post.status, 403);
    // Its own names are fine.
    for (const host of [`localhost:${ui.port}`, `127.0.0.1:${ui.port}`]) {
      assert.equal((await get(ui.port, `${ui.base}api/sessions`, { Cookie: cookie, Host: host, Origin: `http://${host}` })).status, 200, host);
    }
  });

  it('takes the rule tester only as a JSON POST (no form post from another page)', async () => {
    assert.equal((await get(ui.port, `${ui.base}api/check`, { Cookie: cookie })).status, 405);
    assert.equal((await get(ui.port, `${ui.base}api/check`, { Cookie: cookie, 'Content-Type': 'text/plain' }, 'POST', '{}')).status, 405);
    const r = await get(ui.port, `${ui.base}api/check`, { Cookie: cookie, 'Content-Type': 'application/json' }, 'POST', JSON.stringify({ text: 'ls', cwd: 'relative', agent: 'codex' }));
    assert.match(JSON.parse(r.body).error, /absolute/);
  });

  it('sends records appended while the page is open to the live stream', async () => {
    const got = new Promise<string>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port: ui.port, path: `${ui.base}api/live`, headers: { Host: `127.0.0.1:${ui.port}`, Cookie: cookie } }, (res) => {
        let data = '';
        res.on('data', (d: Buffer) => {
          data += d.toString('utf8');
          if (data.includes('live-marker')) {
            resolve(data);
            req.destroy();
          }
        });
      });
      req.on('error', reject);
    });
    await new Promise((r) => setTimeout(r, 300));
    const w = new TrailWriter(path.join(dir, 'audit.jsonl'));
    // Continue the file's chain: a fresh writer starts at prev null, which verify reports; not this test's point.
    w.add({ agent: 'claude', event: 'UserPromptSubmit', session_id: 'live-marker-session', input: { prompt: 'live-marker' } });
    w.flush();
    const data = await got;
    assert.match(data, /event: records/);
  });
});

describe('ui index: bad input shows as problems, never a crash', () => {
  it('reports a torn line, a non-record line, a missing and an unreadable file and a 50 MB line, and keeps answering', async () => {
    const dir = tmp();
    try {
      const live = path.join(dir, 'audit.jsonl');
      const w = new TrailWriter(live);
      writeSession(w, { agent: 'codex', session: 'aaaaaaaa-0000-7000-8000-000000000001', project: '/p', calls: 2, seed: 1 });
      w.raw('{"ts":"2026-12-01T09:00:00.000Z","event":"Pre'); // torn
      w.raw('hello, not a record');
      w.raw('{"hello":1}');
      w.raw(`{"big":"${'x'.repeat(50 * 1024 * 1024)}"}`);
      writeSession(w, { agent: 'claude', session: 'bbbbbbbb-0000-7000-8000-000000000002', project: '/p', calls: 2, seed: 2 });
      const rotated = w.rotate();
      // A directory where a rotated file should be: unreadable, listed by name like any rotated file.
      fs.mkdirSync(path.join(dir, 'audit-2026-11-30T00-00-00-000Z.jsonl'));
      fs.writeFileSync(live, '{"v":1,"ts":"2026-12-02T00:00:00.000Z","event":"PreToolUse"'); // torn tail of the live file
      const missing = path.join(dir, 'other', 'audit.jsonl');
      const idx = await TrailIndex.open(undefined, [live, missing]);
      await idx.update();
      const { integrity } = await import('../../cli/ui/queries.js');
      const r = await integrity(idx);
      const problems = r.files.flatMap((f) => f.problems.map((p) => `${path.basename(f.file)}:${p.line}: ${p.problem}`));
      const base = path.basename(rotated);
      const sessionLines = 2 + 2 * 2 + 1; // start, prompt, 2 Pre/Post pairs, stop
      assert.ok(problems.includes(`${base}:${sessionLines + 1}: torn record (invalid JSON)`), problems.join('\n'));
      assert.ok(problems.includes(`${base}:${sessionLines + 2}: torn record (invalid JSON)`), problems.join('\n'));
      assert.ok(problems.includes(`${base}:${sessionLines + 3}: not an audit record (no hash)`), problems.join('\n'));
      assert.ok(problems.some((p) => p.startsWith(`${base}:${sessionLines + 4}: line too long to be a record`)), problems.join('\n'));
      assert.ok(problems.includes('audit-2026-11-30T00-00-00-000Z.jsonl:0: unreadable (not a regular file)'), problems.join('\n'));
      assert.ok(problems.includes('audit.jsonl:1: torn record (incomplete line)'), problems.join('\n'));
      assert.ok(r.files.some((f) => f.file === missing && f.problems.some((p) => /missing/.test(p.problem))));
      assert.equal(r.ok, false);
      // The records around the bad lines are all there, and the chain past the long line is not blamed.
      assert.equal(problems.filter((p) => /prev/.test(p) || /reordered/.test(p)).length, 0, problems.join('\n'));
      const s = await sessions(idx, {});
      assert.deepEqual(s.map((x) => x.session).sort(), ['aaaaaaaa-0000-7000-8000-000000000001', 'bbbbbbbb-0000-7000-8000-000000000002']);
      idx.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('finds the same chain problems as hookwarden verify (a modified record, a deleted one)', async () => {
    const dir = tmp();
    try {
      const live = path.join(dir, 'audit.jsonl');
      const w = new TrailWriter(live);
      writeSession(w, { agent: 'codex', session: 'cccccccc-0000-7000-8000-000000000003', project: '/p', calls: 6, seed: 3, blockEvery: 3 });
      w.flush();
      const lines = fs.readFileSync(live, 'utf8').split('\n');
      lines[6] = (lines[6] as string).replace('"decision":"deny"', '"decision":"allow"');
      lines.splice(8, 1);
      fs.writeFileSync(live, lines.join('\n'));
      const idx = await TrailIndex.open(undefined, [live]);
      await idx.update();
      const { integrity } = await import('../../cli/ui/queries.js');
      const ui = (await integrity(idx)).files.flatMap((f) => f.problems.map((p) => `${p.line}: ${p.problem}`));
      const cli = verifyFiles(auditFiles(live)).problems.map((p) => `${p.line}: ${p.problem}`);
      assert.ok(cli.length >= 2);
      assert.deepEqual(ui, cli);
      idx.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ui index: several file sinks', () => {
  it('takes records from the first file sink only and verifies every one (each sink holds the same records)', async () => {
    const dir = tmp();
    try {
      const files = ['a', 'b'].map((n) => path.join(dir, n, 'audit.jsonl'));
      for (const f of files) {
        const w = new TrailWriter(f);
        writeSession(w, { agent: 'codex', session: 's1', project: '/p', calls: 2, seed: 1 });
        w.flush();
      }
      const second = fs.readFileSync(files[1] as string, 'utf8').split('\n');
      second[2] = (second[2] as string).replace('"PreToolUse"', '"PostToolUse"');
      fs.writeFileSync(files[1] as string, second.join('\n'));
      const idx = await TrailIndex.open(undefined, files, 1);
      await idx.update();
      const s = await sessions(idx, {});
      assert.equal(s.length, 1);
      assert.equal(Number(s[0]?.records), 2 + 2 * 2 + 1);
      const { integrity } = await import('../../cli/ui/queries.js');
      const r = await integrity(idx);
      assert.deepEqual(r.files.map((f) => [f.file, f.records, f.problems.map((p) => `${p.line}: ${p.problem}`)]), [
        [files[0], 7, []],
        [files[1], 7, ['3: record modified (hash mismatch)']],
      ]);
      idx.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ui index: incremental, across rotation, rebuilt when deleted', () => {
  it('indexes only what was appended, follows a rotation without loss or repeat, and rebuilds the same from the files', async () => {
    const dir = tmp();
    try {
      const live = path.join(dir, 'audit.jsonl');
      const db = path.join(dir, 'index.duckdb');
      const w = new TrailWriter(live);
      writeSession(w, { agent: 'codex', session: 's1', project: '/p', calls: 3, seed: 1 });
      w.flush();
      let idx = await TrailIndex.open(db, [live]);
      const first = await idx.update();
      assert.equal(first.added, 2 + 2 * 3 + 1);
      assert.equal((await idx.update()).added, 0);
      idx.close();
      // Reopened: nothing read again.
      idx = await TrailIndex.open(db, [live]);
      assert.equal((await idx.update()).added, 0);
      writeSession(w, { agent: 'claude', session: 's2', project: '/q', calls: 2, seed: 2 });
      w.rotate(); // what was appended before the rotation is in the renamed file
      writeSession(w, { agent: 'codex', session: 's3', project: '/p', calls: 1, seed: 3 });
      w.flush();
      const next = await idx.update();
      assert.equal(next.added, (2 + 2 * 2 + 1) + (2 + 2 * 1 + 1));
      assert.deepEqual([...new Set(next.fresh.map((f) => f.rec.session_id))], ['s2', 's3']);
      const count = async (i: TrailIndex) => Number((await i.conn.runAndReadAll('SELECT count(*) FROM records')).getRows()[0]?.[0]);
      const total = await count(idx);
      assert.equal(total, fs.readFileSync(auditFiles(live)[0] as string, 'utf8').split('\n').filter(Boolean).length + fs.readFileSync(live, 'utf8').split('\n').filter(Boolean).length);
      const { integrity } = await import('../../cli/ui/queries.js');
      assert.equal((await integrity(idx)).ok, true, JSON.stringify((await integrity(idx)).files));
      idx.close();
      // Deleted: rebuilt from the files, the same.
      fs.rmSync(db);
      fs.rmSync(`${db}.wal`, { force: true });
      idx = await TrailIndex.open(db, [live]);
      await idx.update();
      assert.equal(await count(idx), total);
      assert.deepEqual((await sessions(idx, {})).map((s) => s.session), ['s3', 's2', 's1']);
      assert.deepEqual((await sessions(idx, { agent: 'claude' })).map((s) => s.session), ['s2']);
      assert.deepEqual((await sessions(idx, { project: '/p' })).map((s) => s.session), ['s3', 's1']);
      assert.deepEqual((await sessions(idx, { q: 'S2' })).map((s) => s.session), ['s2']);
      idx.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
