// Issue 13: a secret in a credential form never reaches what the hook really writes: the audit file
// and the spool of an HTTP sink whose peer is down. Random forms, quoting and secrets, through the
// built pre-tool-use hook (daemon included), checked in the files on disk.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import fc from 'fast-check';
import { claudePayload, codexPayload, runHook, sandbox } from '../helpers/hook.js';
import { CREDENTIAL_FORMS, QUOTES, SECRET } from '../helpers/credential-forms.js';

const sb = sandbox();
after(() => sb.cleanup());

/** A loopback port nothing listens on: the HTTP sink fails, so every record is spooled. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).map((d) => path.join(d.parentPath, d.name));
}

test('a random secret in each credential form never appears in the audit file or the spool', async () => {
  const spool = path.join(sb.root, 'spool');
  const cfgDir = path.join(sb.env.XDG_CONFIG_HOME!, 'hookwarden');
  fs.mkdirSync(cfgDir, { recursive: true });
  fs.writeFileSync(path.join(cfgDir, 'config.json'), JSON.stringify({ audit: {
    sinks: [{ type: 'file', path: sb.auditFile }, { type: 'http', url: `http://127.0.0.1:${await closedPort()}/ingest` }],
    spool: { dir: spool },
  } }));
  const cases = fc.sample(fc.tuple(fc.constantFrom(...CREDENTIAL_FORMS), SECRET, fc.constantFrom(...QUOTES), fc.boolean()), { numRuns: 40, seed: 1313 });
  // Every form once, then random ones; each through a Bash call of either agent.
  const calls = [...CREDENTIAL_FORMS.map((f, i) => [f, cases[i % cases.length]![1], QUOTES[i % 3]!, i % 2 === 0] as const), ...cases];
  const secrets: string[] = [];
  // Four at a time (the daemon serves them together).
  for (let i = 0; i < calls.length; i += 4) {
    await Promise.all(calls.slice(i, i + 4).map(async ([[, form], secret, q, claude], j) => {
      secrets.push(secret);
      const command = form(secret, q);
      const id = `call_${i + j}`;
      const payload = claude ? claudePayload(sb.project, 'Bash', { command }, id) : codexPayload(sb.project, 'Bash', { command }, id);
      const res = await runHook('pre-tool-use', JSON.stringify(payload), sb.env, sb.project);
      // Allowed, or (on a loaded machine) blocked at the deadline: either way with its record.
      assert.ok(res.status === 0 || res.status === 2, res.stderr);
      assert.ok(!res.stdout.includes(secret), 'the answer holds no secret');
    }));
  }
  // And a JSON credential inside a string argument of an MCP tool.
  const json = 'Qm9vW3pLmN7vR2tYx8';
  secrets.push(json);
  await runHook('pre-tool-use', JSON.stringify(claudePayload(sb.project, 'mcp__db__query', { body: `{"user":"a","password":"${json}"}` })), sb.env, sb.project);
  const audit = fs.readFileSync(sb.auditFile, 'utf8');
  assert.ok(audit.split('\n').filter(Boolean).length >= calls.length + 1, 'every call was recorded');
  const spooled = filesUnder(spool).map((f) => fs.readFileSync(f, 'latin1')).join('\n');
  assert.ok(spooled.includes('stdin-secret'), 'the spool holds the redacted records');
  for (const s of secrets) {
    assert.ok(!audit.includes(s), `audit file holds ${s}`);
    assert.ok(!spooled.includes(s), `spool holds ${s}`);
  }
});
