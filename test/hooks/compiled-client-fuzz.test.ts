// Fuzzes the compiled client's reading of the daemon's answer: a fake daemon on a real Unix socket
// answers random, mutated and truncated bytes. Whatever comes back, the client either relays
// exactly the answer the Node client would take from those bytes (JSON.parse + isAnswer), byte for
// byte, or hands the call to the Node hook (here a stand-in that reports the stdin it got, whole).
// It never relays anything else. Runs the ASan+UBSan build where the compiler has it.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { linkFor } from '../../hooks/daemon-link.js';
import { SANITIZER_ENV, testClient } from '../helpers/client.js';

const client = testClient();
const skip = client.path ? false : `no compiled client: ${client.error}`;
const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-cfuzz-')));
after(() => fs.rmSync(root, { recursive: true, force: true }));

const hooks = path.join(root, 'dist', 'hooks');
const runDir = path.join(root, 'run');
const BUILD = '0123456789abcdef'.repeat(4);
fs.mkdirSync(hooks, { recursive: true });
fs.mkdirSync(runDir, { mode: 0o700 });
fs.writeFileSync(path.join(hooks, 'build.id'), `${BUILD}\n`);
// The Node hook's stand-in: says it ran, and how many bytes of stdin reached it.
fs.writeFileSync(path.join(hooks, 'pre-tool-use.js'), "const b=require('fs').readFileSync(0);require('fs').writeSync(2,'FALLBACK:'+b.length);process.exit(3)\n");
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', XDG_RUNTIME_DIR: runDir, HOOKWARDEN_DEADLINE_MS: '10000', ...SANITIZER_ENV };
const link = linkFor(hooks, BUILD, env)!;
fs.mkdirSync(link.dir, { mode: 0o700 });

type Mode = { kind: 'answer'; bytes: Buffer } | { kind: 'reset'; bytes: Buffer } | { kind: 'silent' };
let mode: Mode = { kind: 'silent' };
let requests: Buffer[] = [];
const conns = new Set<net.Socket>();
const server = net.createServer({ allowHalfOpen: true }, (c) => {
  conns.add(c);
  c.on('close', () => conns.delete(c));
  const chunks: Buffer[] = [];
  c.on('error', () => undefined);
  c.on('data', (d: Buffer) => chunks.push(d));
  c.on('end', () => {
    requests.push(Buffer.concat(chunks));
    if (mode.kind === 'answer') c.end(mode.bytes);
    else if (mode.kind === 'reset') c.write(mode.bytes, () => c.destroy()); // cut off mid-answer
  });
});

function runClient(payload: Buffer): Promise<{ status: number | null; stdout: Buffer; stderr: Buffer }> {
  return new Promise((resolve) => {
    const child = spawn(client.path!, [path.join(hooks, 'pre-tool-use.js')], { env, cwd: root });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.stdin.on('error', () => undefined);
    child.on('close', (status) => resolve({ status, stdout: Buffer.concat(out), stderr: Buffer.concat(err) }));
    child.stdin.end(payload);
  });
}

/** What the Node client takes from these bytes (daemon-link.ts askDaemon), or undefined. */
function nodeReading(bytes: Buffer): { exitCode: number; stdout: string; stderr: string } | undefined {
  try {
    const text = bytes.toString('utf8');
    const a = JSON.parse(text.startsWith('+') ? text.slice(1) : text) as { exitCode: unknown; stdout: unknown; stderr: unknown };
    return a && (a.exitCode === 0 || a.exitCode === 2) && typeof a.stdout === 'string' && typeof a.stderr === 'string' ? a as { exitCode: number; stdout: string; stderr: string } : undefined;
  } catch {
    return undefined;
  }
}

const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('', 'hookwarden: blocked write to .env\n', '{"hookSpecificOutput":{}}', '\u0000\u001f\u2028"\\/'));
const answer = fc.record({ exitCode: fc.constantFrom(0, 2), stdout: text, stderr: text });
const canonical = fc.tuple(answer, fc.boolean()).map(([a, ack]) => Buffer.from(`${ack ? '+' : ''}${JSON.stringify(a)}`));
const mutated = fc.tuple(canonical, fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom('truncate', 'insert', 'replace', 'double', 'exit1', 'extra', 'spaces', 'exitfloat')).map(([b, at, byte, how]) => {
  const i = b.length ? at % b.length : 0;
  const s = b.toString('latin1');
  switch (how) {
    case 'truncate': return b.subarray(0, i);
    case 'insert': return Buffer.concat([b.subarray(0, i), Buffer.from([byte]), b.subarray(i)]);
    case 'replace': return Buffer.concat([b.subarray(0, i), Buffer.from([byte]), b.subarray(i + 1)]);
    case 'double': return Buffer.concat([b, b]);
    case 'exit1': return Buffer.from(s.replace(/"exitCode":\d/, '"exitCode":1'), 'latin1');
    case 'extra': return Buffer.from(s.replace('{', '{"more":true,'), 'latin1');
    case 'spaces': return Buffer.from(s.replace(/([{,:])/g, ' \n$1\t '), 'latin1');
    default: return Buffer.from(s.replace(/"exitCode":(\d)/, '"exitCode":$1.0'), 'latin1');
  }
});
const modes: fc.Arbitrary<Mode> = fc.oneof(
  { weight: 3, arbitrary: canonical.map((bytes): Mode => ({ kind: 'answer', bytes })) },
  { weight: 5, arbitrary: mutated.map((bytes): Mode => ({ kind: 'answer', bytes })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((u): Mode => ({ kind: 'answer', bytes: Buffer.from(u) })) },
  { weight: 1, arbitrary: canonical.map((b): Mode => ({ kind: 'reset', bytes: b.subarray(0, b.length >> 1) })) },
  { weight: 1, arbitrary: fc.constant<Mode>({ kind: 'silent' }) },
);

describe('the compiled client reads the daemon answer exactly, or leaves the call to Node', { skip }, () => {
  it(`random, mutated and truncated answers (${client.sanitized ? 'ASan+UBSan build' : 'plain build'})`, async () => {
    await new Promise<void>((r, j) => server.once('error', j).listen(link.socket, r));
    let canonicalSeen = 0;
    let canonicalRelayed = 0;
    try {
      await fc.assert(fc.asyncProperty(modes, fc.string({ unit: 'binary', maxLength: 300 }), async (m, body) => {
        mode = m;
        requests = [];
        const payload = Buffer.from(JSON.stringify({ hook_event_name: 'PreToolUse', body }));
        const r = await runClient(payload);
        assert.equal(requests.length, 1, 'the client sent one request');
        const req = requests[0]!;
        const nl = req.indexOf(0x0a);
        assert.deepEqual(req.subarray(nl + 1), payload, 'the payload went out as it came');
        const head = JSON.parse(req.subarray(0, nl).toString('utf8')) as Record<string, unknown>;
        assert.equal(head.hook, 'pre-tool-use');
        assert.equal((head.env as Record<string, string>).XDG_RUNTIME_DIR, runDir);
        const fellBack = r.status === 3 && r.stdout.length === 0 && r.stderr.toString() === `FALLBACK:${payload.length}`;
        const a = m.kind === 'answer' ? nodeReading(m.bytes) : undefined;
        if (!a) return assert.ok(fellBack, `not an answer, so Node decides; got ${r.status} ${r.stderr.toString().slice(0, 300)}`);
        const isCanonical = !lone.test(a.stdout + a.stderr) && (m as { bytes: Buffer }).bytes.toString('latin1') === Buffer.from(`${(m as { bytes: Buffer }).bytes[0] === 0x2b ? '+' : ''}${JSON.stringify(a)}`).toString('latin1');
        if (isCanonical) canonicalSeen++;
        // Stricter than JSON.parse is allowed (and a slow answer is left to Node): never a different answer.
        if (fellBack) return;
        if (isCanonical) canonicalRelayed++;
        assert.deepEqual({ status: r.status, stdout: r.stdout, stderr: r.stderr }, { status: a.exitCode, stdout: Buffer.from(a.stdout), stderr: Buffer.from(a.stderr) });
      }), { numRuns: Number(process.env.HW_FUZZ_RUNS) || 80 });
      // The answers the daemon really writes (JSON.stringify) are relayed, not left to Node.
      assert.ok(canonicalRelayed >= canonicalSeen / 2, `${canonicalRelayed} of ${canonicalSeen} canonical answers relayed`);
    } finally {
      for (const c of conns) c.destroy(); // the silent ones are still open
      await new Promise((r) => server.close(r));
    }
  });
});
