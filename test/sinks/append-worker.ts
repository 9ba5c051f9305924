// A separate process for the cross-process tests of the file sink and the lock (not a test itself).
//   append <file> <count> <tag>   waits for "go" on stdin, appends <count> records, prints "done"
//   hold-torn <file>              takes the lock, writes half a record, prints "holding", hangs
//   loop <file>                   appends records until killed, printing "appended" after each
//   counter <file> <count>        <count> locked read-increment-write cycles of a counter file
import fs from 'node:fs';
import { createFileSink } from '../../sinks/file.js';
import { withLock } from '../../sinks/lock.js';
import { sealRecord } from '../../sinks/chain.js';
import { FileSinkSchema } from '../../lib/audit-config.js';
import { buildRecord } from '../../lib/record.js';
import { compileRedactor } from '../../lib/redact.js';
import type { AuditRecord } from '../../lib/types.js';

const [mode, file, countArg, tag = `p${process.pid}`] = process.argv.slice(2);
if (!mode || !file) throw new Error('usage: append-worker <mode> <file> [count] [tag]');
const count = Number(countArg ?? 1);
const redact = compileRedactor([]);
const limits = { maxInputBytes: 8192, maxResponseBytes: 8192 };

function record(i: number): AuditRecord {
  const payload = {
    session_id: tag, cwd: '/home/dev/project', hook_event_name: 'PreToolUse', tool_name: 'Bash',
    tool_input: { command: `echo ${tag} ${i}` }, tool_use_id: `${tag}-${i}`,
  };
  return buildRecord({ agent: 'codex', event: 'PreToolUse', payload, version: 'test' }, limits, redact);
}

const say = (line: string): void => {
  fs.writeSync(1, `${line}\n`);
};

const sink = () => createFileSink(FileSinkSchema.parse({ type: 'file', path: file }), { env: {}, home: '/nonexistent' });

async function waitForGo(): Promise<void> {
  say('ready');
  await new Promise<void>((resolve) => {
    process.stdin.on('data', (d) => {
      if (d.toString().includes('go')) resolve();
    });
  });
  process.stdin.pause();
}

if (mode === 'append') {
  const s = sink();
  await waitForGo();
  for (let i = 0; i < count; i++) await s.write(record(i));
  await s.close();
  say('done');
  process.exit(0);
} else if (mode === 'hold-torn') {
  await withLock(file, async () => {
    const line = `${JSON.stringify(sealRecord(record(0), null))}\n`;
    fs.appendFileSync(file, line.slice(0, Math.floor(line.length / 2)));
    say('holding');
    await new Promise(() => setInterval(() => undefined, 1000));
  });
} else if (mode === 'loop') {
  const s = sink();
  for (let i = 0; ; i++) {
    await s.write(record(i));
    say('appended');
  }
} else if (mode === 'counter') {
  await waitForGo();
  for (let i = 0; i < count; i++) {
    await withLock(file, async () => {
      const n = Number(fs.readFileSync(file, 'utf8') || '0');
      // Yield inside the critical section so that a broken lock would lose updates.
      await new Promise((resolve) => setTimeout(resolve, 1));
      fs.writeFileSync(file, String(n + 1));
    });
  }
  say('done');
  process.exit(0);
} else {
  throw new Error(`unknown mode ${mode}`);
}
