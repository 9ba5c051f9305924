// The oracle's trace reader (test/oracle/strace.ts) on strace's own line shapes: a reader that drops
// lines makes every allowed command look harmless, so the oracle could never fail.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTrace } from './strace.js';

test('lines of pids of every width are read (strace pads a pid below 10000 with extra spaces)', () => {
  for (const pid of ['7', '7067', '27067', '1234567']) {
    const text = [
      `${pid.padEnd(5)} unlink(".env")                    = 0`,
      `${pid.padEnd(5)} openat(AT_FDCWD</p>, "out.txt", O_WRONLY|O_CREAT|O_TRUNC, 0666) = 3</p/out.txt>`,
      `${pid.padEnd(5)} openat(AT_FDCWD</p>, "/etc/passwd", O_RDONLY|O_CLOEXEC) = 3</etc/passwd>`,
      `${pid.padEnd(5)} unlink("missing")                 = -1 ENOENT (No such file or directory)`,
    ].join('\n');
    assert.deepEqual([...parseTrace(text, '/p')].sort(), ['/p/.env', '/p/out.txt'], `pid ${pid}`);
  }
});

test('a call split by another process (<unfinished ...> / resumed) is read whole', () => {
  const text = ['4242  renameat2(AT_FDCWD</p>, "a", AT_FDCWD</p>, ".env", 0 <unfinished ...>', '4243  exit_group(0) = ?',
    '4242  <... renameat2 resumed>)          = 0'].join('\n');
  assert.deepEqual([...parseTrace(text, '/p')].sort(), ['/p/.env', '/p/a']);
});
