// The web console in a real Chromium (Debian's chromium, driven by playwright-core), served by the
// built CLI (`npm run build` first) over a generated trail of both agents: each view shows what it
// must, filters and the rule tester work, a record written by a real hook process appears live,
// and nothing on the page is a secret or markup taken from a record. The screenshots go to a temporary
// folder; `npm run screenshots` (HOOKWARDEN_SCREENSHOTS=docs) writes the README's, docs/screenshots/.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runHook, sandbox } from '../helpers/hook.js';
import { TrailWriter, writeSession } from '../helpers/trail.js';
import { Running } from './run.js';

const CHROMIUM = process.env.HOOKWARDEN_CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = process.env.HOOKWARDEN_SCREENSHOTS === 'docs'
  ? path.resolve(import.meta.dirname, '..', '..', 'docs', 'screenshots')
  : fs.mkdtempSync(path.join(os.tmpdir(), 'hw-shots-'));
if (process.env.HOOKWARDEN_SCREENSHOTS !== 'docs') after(() => fs.rmSync(SHOTS, { recursive: true, force: true }));
const CODEX = '01a20e99-3e5f-7a10-8f8a-5383ed36a44d';
const CLAUDE = 'b7c1e2d4-5f60-4a7b-8c9d-0e1f2a3b4c5d';
const SECRET = `ghp_${'a1B2'.repeat(9)}`;
const HOSTILE = '<img src=x onerror="document.title=1">';

describe('web console in Chromium', { skip: !fs.existsSync(CHROMIUM) && `no ${CHROMIUM}` }, () => {
  const box = sandbox();
  let ui: Running;
  let browser: Browser;
  let page: Page;
  let rotated: string;
  let tamperedLine = 0;
  const consoleErrors: string[] = [];

  before(async () => {
    const w = new TrailWriter(box.auditFile, Date.now() - 3 * 3_600_000);
    writeSession(w, { agent: 'codex', session: CODEX, project: box.project, calls: 9, seed: 1, blockEvery: 4 });
    // A Codex call that asks to run outside its sandbox.
    w.add({ agent: 'codex', session_id: CODEX, cwd: box.project, event: 'PreToolUse', tool: 'shell', tool_use_id: 'call_esc', decision: 'allow', targets: [],
      input: { command: ['bash', '-lc', 'npm install'], sandbox_permissions: 'require_escalated', justification: 'needs the network' } });
    rotated = w.rotate();
    writeSession(w, { agent: 'claude', session: CLAUDE, project: `${box.root}/api`, calls: 6, seed: 5, blockEvery: 3 });
    const base = { agent: 'claude', session_id: CLAUDE, cwd: `${box.root}/api` } as const;
    w.add({ ...base, event: 'PermissionRequest', tool: 'Bash', input: { permission_mode: 'default', tool_name: 'Bash', tool_input: { command: 'rm -rf build' } } });
    w.add({ ...base, event: 'UserPromptSubmit', input: { prompt: 'just do it', permission_mode: 'bypassPermissions' } });
    // A path a hostile repository chose: shown as text, never as markup.
    w.add({ ...base, event: 'PreToolUse', tool: 'Write', tool_use_id: 'toolu_hostile', decision: 'deny', rule: 'vcs', layer: 'builtin:vcs',
      reason: `blocked write to ${HOSTILE} (rule vcs)`, targets: [{ op: 'write', path: `${box.root}/api/.git/${HOSTILE}` }], input: { file_path: `.git/${HOSTILE}` } });
    writeSession(w, { agent: 'codex', session: 'c0ffee00-1111-7222-8333-444455556666', project: box.project, calls: 3, seed: 9 });
    w.flush();
    // Tamper with the rotated file: one record's decision changed after the fact.
    const lines = fs.readFileSync(rotated, 'utf8').split('\n');
    const at = lines.findIndex((l) => l.includes('"decision":"deny"'));
    // ... and its targets made a string, a shape the hooks never write: the page must still show the session.
    lines[at] = (lines[at] as string).replace('"decision":"deny"', '"decision":"allow"').replace(/"targets":\[[^\]]*\]/, '"targets":"not a list"');
    fs.writeFileSync(rotated, lines.join('\n'));
    tamperedLine = at + 1;

    ui = new Running(['ui', '--no-open', '--json'], { cwd: box.project, env: { ...box.env, DISPLAY: '' } });
    await ui.waitFor((s) => s.includes('\n'));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
    page.on('pageerror', (e) => consoleErrors.push(String(e)));
    fs.mkdirSync(SHOTS, { recursive: true });
  });

  after(async () => {
    await browser?.close();
    await ui?.stop('SIGINT');
    box.cleanup();
  });

  const shot = (name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });

  it('prints {"url"} on 127.0.0.1 with a token, and the token becomes a cookie', async () => {
    const { url } = JSON.parse(ui.stdout) as { url: string };
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    const bare = url.replace(/\?token=.*/, '');
    const refused = await page.goto(`${bare}api/sessions`);
    assert.equal(refused?.status(), 401);
    await page.goto(url);
    // The token left the address bar; the console lives under a secret folder that scopes its cookie.
    assert.match(page.url(), new RegExp(`^${bare.replace(/[.]/g, '\\.')}[\\w-]{24,}/$`));
    await page.waitForSelector('#sessions tbody tr');
  });

  it('another server on another loopback port (another local user\'s) is never sent the console\'s cookie', async () => {
    const heard: string[] = [];
    const other = http.createServer((req, res) => {
      heard.push(`${req.url} cookie=${req.headers.cookie ?? ''}`);
      res.end('other');
    });
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', () => r()));
    const port = (other.address() as AddressInfo).port;
    try {
      // A tab of the console's own browser context, where its cookie lives.
      const mine = page.context();
      assert.ok((await mine.cookies()).some((c) => c.name.startsWith('hookwarden_ui_')), 'the console has its cookie');
      const tab = await mine.newPage();
      for (const p of ['/', '/api/sessions', '/app.js']) await tab.goto(`http://127.0.0.1:${port}${p}`);
      await tab.close();
      assert.ok(heard.length >= 3, heard.join('\n'));
      assert.deepEqual(heard.filter((h) => !h.endsWith(' cookie=')), []);
    } finally {
      other.close();
    }
  });

  it('Sessions: one row per session, newest first, filterable', async () => {
    const ids = await page.$$eval('#sessions tbody tr', (rows) => rows.map((r) => (r as HTMLElement).dataset.session));
    assert.deepEqual(ids, ['c0ffee00-1111-7222-8333-444455556666', CLAUDE, CODEX]);
    const codexRow = await page.$$eval(`#sessions tbody tr[data-session="${CODEX}"] td`, (tds) => tds.map((t) => t.textContent));
    assert.equal(codexRow.at(-1), '1'); // its escalation
    const text = await page.textContent('#sessions');
    assert.ok(text?.includes(CODEX.slice(0, 8)));
    await shot('sessions');
    await page.selectOption('select[name=agent]', 'claude');
    await page.waitForFunction(() => document.querySelectorAll('#sessions tbody tr').length === 1);
    assert.equal(await page.getAttribute('#sessions tbody tr', 'data-session'), CLAUDE);
    await page.selectOption('select[name=agent]', '');
    await page.fill('input[name=q]', 'c0ffee');
    await page.click('#filters button[type=submit]');
    await page.waitForFunction(() => document.querySelectorAll('#sessions tbody tr').length === 1);
    assert.equal(await page.getAttribute('#sessions tbody tr', 'data-session'), 'c0ffee00-1111-7222-8333-444455556666');
    await page.click('#filters button[type=button]'); // Clear
    await page.waitForFunction(() => document.querySelectorAll('#sessions tbody tr').length === 3);
  });

  it('Session timeline: Pre paired with Post, the blocked call stands out with its reason; hostile text stays text', async () => {
    await page.click(`#sessions tbody tr[data-session="${CLAUDE}"]`);
    await page.waitForSelector('#timeline .ev');
    const blocked = await page.$$eval('#timeline .ev.blocked', (els) => els.map((e) => e.textContent ?? ''));
    assert.ok(blocked.length >= 2);
    assert.ok(blocked.some((t) => t.includes('is protected by rule') && t.includes('BLOCKED')));
    assert.ok(blocked.some((t) => t.includes(HOSTILE)));
    assert.equal(await page.$$eval('#view img', (els) => els.length), 0);
    assert.notEqual(await page.title(), '1');
    // An allowed call carries its PostToolUse; no Post stands alone.
    const paired = await page.$$eval('#timeline .ev[data-event=PreToolUse]', (els) => els.filter((e) => e.querySelector('.post')).length);
    assert.ok(paired >= 3);
    assert.equal(await page.$$eval('#timeline .ev[data-event=PostToolUse]', (els) => els.length), 0);
    await page.evaluate(() => document.querySelector('#timeline .ev.blocked')?.scrollIntoView());
    await shot('timeline');
  });

  it('a tampered record of a shape the hooks never write does not hide the rest of its session', async () => {
    await page.goto(page.url().replace(/#.*$/, '') + `#/session/${CODEX}`);
    await page.waitForSelector('#timeline .ev');
    assert.ok(await page.$$eval('#timeline .ev[data-event=PreToolUse]', (els) => els.length) >= 9);
    assert.ok((await page.textContent('#timeline'))?.includes('not a list'));
    await page.goto(page.url().replace(/#.*$/, '') + '#/sessions');
    await page.waitForSelector('#sessions tbody tr');
  });

  it('Escalations: the PermissionRequest and the mode change default -> bypassPermissions', async () => {
    await page.click('nav a[data-view=escalations]');
    await page.waitForSelector('#escalations tbody tr');
    const text = await page.textContent('#escalations');
    assert.match(text ?? '', /permission_mode default → bypassPermissions/);
    assert.match(text ?? '', /PermissionRequest for Bash/);
    assert.match(text ?? '', /escalated sandbox permissions asked by shell/);
    await shot('escalations');
  });

  it('Integrity: the badge names the tampered record, the view gives its file and line', async () => {
    const line = tamperedLine;
    await page.waitForFunction(() => document.getElementById('badge')?.classList.contains('bad'));
    assert.match(await page.textContent('#badge') ?? '', /record modified \(hash mismatch\)/);
    await page.click('nav a[data-view=integrity]');
    await page.waitForSelector('#integrity .card');
    const text = await page.textContent('#integrity');
    assert.ok(text?.includes(path.basename(rotated)));
    assert.ok(text?.includes(`line ${line}: record modified (hash mismatch)`), text ?? '');
    await shot('integrity');
  });

  it('Rule tester: typing a command gives the decision of hookwarden check', async () => {
    await page.click('nav a[data-view=tester]');
    await page.waitForSelector('#tester');
    await page.fill('#tester input[name=cwd]', box.project);
    await page.type('#tester input[name=text]', 'echo hi > .git/config');
    await page.waitForSelector('#verdict .decision.deny');
    const text = await page.textContent('#verdict');
    assert.match(text ?? '', /rule vcs \(builtin:vcs\)/);
    assert.ok(text?.includes(`${box.project}/.git/config`));
    await shot('rule-tester');
    await page.fill('#tester input[name=text]', 'ls -la');
    await page.waitForSelector('#verdict .decision.allow');
  });

  it('Charts: calls and blocks over time, blocks by rule, tool and project', async () => {
    await page.click('nav a[data-view=charts]');
    // Drawn, not necessarily visible: the first bar is 0 high when its time bucket holds no call.
    await page.waitForSelector('#charts svg rect', { state: 'attached' });
    const labels = await page.$$eval('#charts svg', (els) => els.map((e) => e.getAttribute('aria-label')));
    assert.deepEqual(labels, ['calls and blocks over time', 'blocks by rule', 'blocks by tool', 'blocks by project']);
    const byRule = await page.$$eval('#charts svg[aria-label="blocks by rule"] text', (els) => els.map((e) => e.textContent));
    assert.ok(byRule.includes('vcs'), byRule.join(' '));
    await shot('charts');
  });

  it('Live: a record written by a real hook process appears without a reload, and its secret does not', async () => {
    await page.click('nav a[data-view=live]');
    await page.waitForSelector('#live');
    const payload = {
      session_id: 'live0001-aaaa-4bbb-8ccc-ddddeeeeffff', transcript_path: null, cwd: box.project, hook_event_name: 'PreToolUse',
      permission_mode: 'default', tool_name: 'Bash', tool_input: { command: `echo ${SECRET} > .git/config` }, tool_use_id: 'toolu_live',
    };
    const r = await runHook('pre-tool-use', JSON.stringify(payload), box.env, box.project);
    assert.notEqual(r.status, null, r.stderr);
    await page.waitForFunction(() => document.querySelector('#live tbody')?.textContent?.includes('live0001'), undefined, { timeout: 10_000 });
    await shot('live');
    const all = await page.evaluate(() => document.body.innerText);
    assert.ok(!all.includes(SECRET));
    // The stored record holds no secret, and neither does the session's timeline.
    assert.ok(!fs.readFileSync(box.auditFile, 'utf8').includes(SECRET));
    // The live view reads the file as it grows; the session view asks the index, which takes the
    // record in a moment later: on a loaded machine the first look may come before it.
    const sessionUrl = page.url().replace(/#.*$/, '') + '#/session/live0001-aaaa-4bbb-8ccc-ddddeeeeffff';
    for (let tries = 0; ; tries++) {
      await page.goto(sessionUrl);
      await page.reload();
      try {
        await page.waitForSelector('#timeline .ev.blocked', { timeout: 5_000 });
        break;
      } catch (err) {
        if (tries >= 8) throw err;
      }
    }
    const timeline = await page.evaluate(() => document.body.innerText);
    assert.ok(timeline.includes('.git/config'));
    assert.ok(!timeline.includes(SECRET));
  });

  it('the page ran without a script error or a Content-Security-Policy violation', () => {
    // The 401 asked for on purpose in the first test is the one error expected.
    assert.deepEqual(consoleErrors.filter((e) => !/401/.test(e)), []);
  });
});
