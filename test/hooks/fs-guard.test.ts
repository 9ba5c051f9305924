// The file guard of the hooks' worker threads (hooks/fs-guard.ts), in a real worker thread with the
// built code: a FIFO, /dev/zero or a terminal as a file must fail at once, never block the thread
// (a thread blocked in the kernel keeps Node from exiting at all), and ordinary files work as before.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { DIST } from '../helpers/hook.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-fsguard-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Runs `body` in a worker that loaded the guard (hooks/recorder.js installs it); resolves its result. */
function inGuardedWorker(body: string): Promise<unknown> {
  const w = new Worker(`
    const fs = require('node:fs');
    require(${JSON.stringify(path.join(DIST, 'hooks', 'recorder.js'))});
    const out = [];
    const attempt = (what, fn) => { try { out.push([what, 'ok', fn()]); } catch (e) { out.push([what, e.code ?? 'error', String(e.message).split('\\n')[0]]); } };
    ${body}
    require('node:worker_threads').parentPort.postMessage(out);
  `, { eval: true });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void w.terminate();
      reject(new Error('the worker blocked'));
    }, 10_000);
    w.once('message', (m) => {
      clearTimeout(timer);
      void w.terminate();
      resolve(m);
    });
    w.once('error', reject);
  });
}

describe('file operations in a guarded worker never block', () => {
  it('a FIFO, /dev/zero and a FIFO config fail at once; regular files read and write as before', async () => {
    const fifo = path.join(dir, 'fifo');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    const file = path.join(dir, 'plain.json');
    fs.writeFileSync(file, '{"a":1}');
    const out = await inGuardedWorker(`
      attempt('fifo read', () => fs.readFileSync(${JSON.stringify(fifo)}, 'utf8'));
      attempt('fifo append', () => fs.appendFileSync(${JSON.stringify(fifo)}, 'x'));
      attempt('dev zero', () => fs.readFileSync('/dev/zero').length);
      attempt('plain read', () => fs.readFileSync(${JSON.stringify(file)}, 'utf8'));
      attempt('plain append', () => { fs.appendFileSync(${JSON.stringify(file)}, '\\n'); return fs.readFileSync(${JSON.stringify(file)}, 'utf8'); });
      attempt('fifo open', () => { const fd = fs.openSync(${JSON.stringify(fifo)}, 'r'); fs.closeSync(fd); return 'opened'; });
    `) as [string, string, unknown][];
    const by = Object.fromEntries(out.map(([what, code, v]) => [what, [code, v]]));
    assert.equal(by['fifo read']![0], 'EINVAL');
    assert.match(String(by['fifo read']![1]), /not a regular file/);
    assert.equal(by['fifo append']![0], 'ENXIO'); // no reader: a non-blocking open for writing fails
    assert.equal(by['dev zero']![0], 'EINVAL');
    assert.deepEqual(by['plain read'], ['ok', '{"a":1}']);
    assert.deepEqual(by['plain append'], ['ok', '{"a":1}\n']);
    assert.deepEqual(by['fifo open'], ['ok', 'opened']); // opening alone does not wait for a writer
  });
});
