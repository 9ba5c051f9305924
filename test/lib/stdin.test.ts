import { test } from 'node:test';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { readStdin } from '../../lib/stdin.js';
import { GuardError } from '../../lib/types.js';

test('reads the whole stream as UTF-8, across chunk boundaries', async () => {
  const euro = Buffer.from('{"a":"€"}');
  const s = Readable.from([euro.subarray(0, 7), euro.subarray(7)]);
  assert.equal(await readStdin(1024, s), '{"a":"€"}');
});

test('refuses more than the limit with a GuardError naming the limit', async () => {
  const s = Readable.from([Buffer.alloc(600, 'a'), Buffer.alloc(600, 'b')]);
  await assert.rejects(readStdin(1000, s), (err: unknown) => err instanceof GuardError && err.message === 'hook payload exceeds 1000 bytes');
});

test('exactly at the limit is accepted', async () => {
  assert.equal((await readStdin(4, Readable.from([Buffer.from('abcd')]))).length, 4);
});

test('a stream error becomes a GuardError', async () => {
  const s = new PassThrough();
  const p = readStdin(100, s);
  s.destroy(new Error('EIO'));
  await assert.rejects(p, (err: unknown) => err instanceof GuardError && /cannot read hook payload: EIO/.test(err.message));
});

test('empty input resolves to the empty string (the payload parser rejects it)', async () => {
  assert.equal(await readStdin(10, Readable.from([])), '');
});

// The hooks read file descriptor 0 directly; the tests below use a real file and a real pipe.

function tmpFile(content: Buffer): { fd: number; done(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-stdin-'));
  const file = path.join(dir, 'in');
  fs.writeFileSync(file, content);
  const fd = fs.openSync(file, 'r');
  return { fd, done: () => { fs.closeSync(fd); fs.rmSync(dir, { recursive: true, force: true }); } };
}

test('a file descriptor is read to its end, across 64 KiB reads, as UTF-8', async () => {
  const text = `{"a":"${'€'.repeat(70_000)}"}`; // 210 KB: several reads, a character split between two
  const f = tmpFile(Buffer.from(text));
  try {
    assert.equal(await readStdin(1024 * 1024, f.fd), text);
  } finally {
    f.done();
  }
});

test('a file descriptor over the limit is refused with the same GuardError', async () => {
  const f = tmpFile(Buffer.alloc(200_000, 'a'));
  try {
    await assert.rejects(readStdin(100_000, f.fd), (err: unknown) => err instanceof GuardError && err.message === 'hook payload exceeds 100000 bytes');
  } finally {
    f.done();
  }
});

test('a descriptor that cannot be read (a directory) becomes a GuardError', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-stdin-'));
  const fd = fs.openSync(dir, 'r');
  try {
    await assert.rejects(readStdin(100, fd), (err: unknown) => err instanceof GuardError && /cannot read hook payload: EISDIR/.test(err.message));
  } finally {
    fs.closeSync(fd);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('stdin as a pipe written slowly, in pieces, is read whole by a child process', async () => {
  const script = `import('${path.resolve(import.meta.dirname, '../../lib/stdin.ts').replace(/\\/g, '/')}').then(m => m.readStdin(1 << 20)).then(t => process.stdout.write(String(t.length)))`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  for (let i = 0; i < 5; i++) {
    child.stdin.write('x'.repeat(30_000));
    await new Promise((r) => setTimeout(r, 20));
  }
  child.stdin.end();
  const code = await new Promise((r) => child.on('close', r));
  assert.equal(code, 0);
  assert.equal(out, '150000');
});

test('over the limit: the error keeps the first and last 64 KiB (read to the end), for the record', async () => {
  const head = '{"session_id":"s","tool_response":"';
  const tail = '","tool_use_id":"call_end"}';
  const body = Buffer.concat([Buffer.from(head), Buffer.alloc(3 * 1024 * 1024, 'y'), Buffer.from(tail)]);
  for (const source of ['stream', 'file'] as const) {
    const f = source === 'file' ? tmpFile(body) : undefined;
    try {
      const p = readStdin(1024 * 1024, f ? f.fd : Readable.from([body.subarray(0, 1 << 20), body.subarray(1 << 20)]));
      await assert.rejects(p, (err: unknown) => {
        const input = (err as { input?: { head: string; tail?: string } }).input;
        assert.ok(err instanceof GuardError && /exceeds 1048576 bytes/.test(err.message));
        assert.ok(input?.head.startsWith(head) && input.head.length === 64 * 1024, source);
        assert.ok(input?.tail?.endsWith(tail) && input.tail.length === 64 * 1024, source);
        return true;
      });
    } finally {
      f?.done();
    }
  }
});

test('over the limit and never ending within 64 MiB past it: the head only', async () => {
  const chunks = (function* () {
    for (let i = 0; i < 70; i++) yield Buffer.alloc(1 << 20, 'z');
  })();
  await assert.rejects(readStdin(1 << 20, Readable.from(chunks)), (err: unknown) => {
    const input = (err as { input?: { head: string; tail?: string } }).input;
    return input?.head.length === 64 * 1024 && input.tail === undefined;
  });
});
