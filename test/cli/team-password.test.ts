// A password given in a clickhouse:// URL on the command line: other local users read every
// process's command line (ps, /proc/PID/cmdline), and errors are pasted into tickets. The CLI
// hides it from its own command line at once, says where to put it instead, still uses it
// (X-ClickHouse-Key), and never prints it. A real server on 127.0.0.1 that reads the request
// and never answers keeps the CLI running while its command line is read.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import { after, test } from 'node:test';
import { sandbox } from '../helpers/hook.js';
import { hw, Running } from './run.js';
import { redactUrlPasswords } from '../../cli/team/source.js';

const box = sandbox();
after(() => box.cleanup());
const SECRET = 'S3cretPw-7f3a';

test('credentials in any URL are redacted in text, everything else kept', () => {
  assert.equal(redactUrlPasswords(`clickhouse://alice:${SECRET}@db:8123/hw?table=t`), 'clickhouse://alice:***@db:8123/hw?table=t');
  assert.equal(redactUrlPasswords(`open 'http://u:${SECRET}@127.0.0.1:1/x' failed`), "open 'http://u:***@127.0.0.1:1/x' failed");
  assert.equal(redactUrlPasswords('clickhouse://alice@db:8123/hw'), 'clickhouse://alice@db:8123/hw');
  assert.equal(redactUrlPasswords('a:b@c and mailto:x@y'), 'a:b@c and mailto:x@y');
});

test('a password in --source: gone from the process\'s command line while it runs, still sent as X-ClickHouse-Key, a warning names the variable', { skip: process.platform !== 'linux' && 'reads /proc' }, async () => {
  const heard: string[] = [];
  const server = net.createServer((s) => s.on('data', (d) => heard.push(d.toString('latin1'))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  const cli = new Running(['tail', '--source', `clickhouse://alice:${SECRET}@127.0.0.1:${port}/hw`], { cwd: box.project, env: box.env });
  try {
    for (const end = Date.now() + 15_000; !heard.join('').includes('\r\n\r\n');) {
      if (Date.now() > end) throw new Error(`no request reached the server; stderr: ${cli.stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    const cmdline = fs.readFileSync(`/proc/${cli.child.pid}/cmdline`, 'latin1');
    assert.ok(!cmdline.includes(SECRET), cmdline);
    assert.match(cmdline, /clickhouse:\/\/alice:\*\*\*@/);
    assert.match(heard.join(''), new RegExp(`x-clickhouse-key: ${SECRET}`, 'i'));
    assert.match(cli.stderr, /HOOKWARDEN_CLICKHOUSE_PASSWORD/);
    assert.ok(!cli.stderr.includes(SECRET));
  } finally {
    await cli.stop('SIGKILL');
    server.close();
  }
});

test('a URL with a password inside a command given to check is not a store address: no warning', () => {
  const r = hw(['check', '--command', `curl https://u:${SECRET}@example.com/x -o out.txt`], { cwd: box.project, env: box.env });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
});

test('no error message repeats a password given in a URL', () => {
  for (const args of [
    ['verify', '--against', `http://u:${SECRET}@127.0.0.1:1/x`],
    ['tail', '--source', `clickhouse://u:${SECRET}@127.0.0.1:1/db`],
    ['stats', '--source', `clickhouse://u:${SECRET}@127.0.0.1/db`],
    ['team', 'init', '--source', `clickhouse://u:${SECRET}@127.0.0.1:1/bad-name`],
    ['verify', '--source', `clickhouse://u:${SECRET}@[::1/db`],
  ]) {
    const r = hw(args, { cwd: box.project, env: box.env });
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.ok(!`${r.stdout}${r.stderr}`.includes(SECRET), `${args.join(' ')}: ${r.stderr}`);
  }
});
