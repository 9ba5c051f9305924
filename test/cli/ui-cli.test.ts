// `hookwarden ui` as a process (the built CLI): what it prints, where it listens, how it stops.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, describe, it } from 'node:test';
import { UiOutputSchema } from '../../cli/support/outputs.js';
import path from 'node:path';
import { DIST, sandbox } from '../helpers/hook.js';
import { TrailWriter, writeSession } from '../helpers/trail.js';
import { hw, Running } from './run.js';

/** Local addresses listening on `port` (Linux /proc/net/tcp{,6}: hex address, state 0A = LISTEN). */
function listeners(port: number): string[] {
  const out: string[] = [];
  for (const f of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!fs.existsSync(f)) continue;
    for (const line of fs.readFileSync(f, 'utf8').split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/);
      const [addr, p] = (cols[1] ?? '').split(':');
      if (cols[3] === '0A' && p !== undefined && parseInt(p, 16) === port) out.push(addr as string);
    }
  }
  return out;
}

describe('hookwarden ui (process)', () => {
  const box = sandbox();
  after(() => box.cleanup());

  it('prints {"url"} (schema/ui.schema.json), listens on loopback only, and stops cleanly on SIGINT', async () => {
    const w = new TrailWriter(box.auditFile);
    writeSession(w, { agent: 'codex', session: 'aaaaaaaa-0000-7000-8000-000000000001', project: box.project, calls: 2, seed: 1 });
    w.flush();
    const ui = new Running(['ui', '--no-open', '--json'], { cwd: box.project, env: box.env });
    await ui.waitFor((s) => s.includes('\n'));
    const out = JSON.parse(ui.stdout) as unknown;
    assert.ok(UiOutputSchema.safeParse(out).success, ui.stdout);
    const url = new URL((out as { url: string }).url);
    assert.equal(url.hostname, '127.0.0.1');
    if (process.platform === 'linux') assert.deepEqual(listeners(Number(url.port)), ['0100007F']); // 127.0.0.1, nothing else
    // The index lives in the state folder, beside the trail.
    assert.ok(fs.readdirSync(`${box.env.XDG_STATE_HOME}/hookwarden`).some((f) => /^ui-index-[0-9a-f]{12}\.duckdb$/.test(f)));
    const end = await ui.stop('SIGINT');
    assert.deepEqual(end, { code: 0, signal: null });
    assert.equal(ui.stderr, '');
  });

  it('opens the browser with a one-time token: the opener\'s command line (readable by other users) never holds the printed one', async () => {
    // A real opener process on PATH that writes down the arguments it was started with.
    const bin = fs.mkdtempSync(path.join(box.root, 'bin-'));
    const seen = path.join(bin, 'argv');
    fs.writeFileSync(path.join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${seen}'\n`, { mode: 0o755 });
    const ui = new Running(['ui', '--json'], { cwd: box.project, env: { ...box.env, DISPLAY: ':0', PATH: `${bin}:${box.env.PATH ?? process.env.PATH ?? ''}` } });
    try {
      await ui.waitFor((s) => s.includes('\n'));
      const printed = new URL((JSON.parse(ui.stdout) as { url: string }).url);
      for (const end = Date.now() + 10_000; !fs.existsSync(seen) || fs.readFileSync(seen, 'utf8') === '';) {
        if (Date.now() > end) throw new Error('the opener was not started');
        await new Promise((r) => setTimeout(r, 20));
      }
      const opened = new URL(fs.readFileSync(seen, 'utf8').trim());
      assert.equal(opened.host, printed.host);
      assert.notEqual(opened.searchParams.get('token'), printed.searchParams.get('token'));
      assert.ok(!fs.readFileSync(seen, 'utf8').includes(printed.searchParams.get('token') ?? '?'));
    } finally {
      await ui.stop('SIGINT');
    }
  });

  it('the hooks never load the index: no hook file names DuckDB or the console', () => {
    const dir = path.join(DIST, 'hooks');
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith('.js'))) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      // (package.json is bundled for the version: the dependency's name alone is not a load.)
      assert.ok(!/require\(["']@duckdb|DuckDBInstance|hookwarden_ui_/.test(text), f);
    }
  });

  it('--help gives examples; a bad port is a usage error (exit 2)', () => {
    const help = hw(['ui', '--help'], { cwd: box.project, env: box.env });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /Examples:\n {2}hookwarden ui\n/);
    const bad = hw(['ui', '--port', '99999'], { cwd: box.project, env: box.env });
    assert.equal(bad.status, 2);
  });
});
