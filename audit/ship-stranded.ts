// Spool queues of sinks that are no longer configured ("stranded"): a sink without a `name` is
// keyed by where it delivers, so correcting its URL starts a new queue. The forwarder labels each
// queue with its sink, reports stranded ones (they count as remaining), and on `ship --adopt`
// moves their records into a configured sink's queue. Never silently: a new URL may be another
// collector, which is not owed the old records.
import fs from 'node:fs';
import path from 'node:path';
import type { LogFn } from '../sinks/http-deliver.js';
import { SpoolQueue, listQueues } from '../sinks/spool.js';

/** What these functions need of the forwarder's targets. */
export interface QueueOf {
  cfg: { name?: string };
  label: string;
  queue: SpoolQueue;
}

/** A spool queue that no configured sink uses any more, and the records still in it. */
export interface StrandedQueue {
  queue: string;
  records: number;
  /** Where it delivered, as the forwarder last saw it (origin and path, never credentials). */
  sink?: string;
}

/** Beside a queue's segments: which sink it was for, so a stranded queue can be named. */
const SINK_LABEL = 'sink.json';

export function labelQueue(t: QueueOf): void {
  const file = path.join(t.queue.dir, SINK_LABEL);
  const text = `${JSON.stringify({ sink: t.label })}\n`;
  try {
    if (fs.readFileSync(file, 'utf8') === text) return;
  } catch {
    // not labelled yet
  }
  try {
    fs.mkdirSync(t.queue.dir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(`${file}.tmp`, text, { mode: 0o600 });
    fs.renameSync(`${file}.tmp`, file);
  } catch {
    // A label only names a stranded queue in a report; delivery does not need it.
  }
}

function queueLabel(root: string, queue: string): string | undefined {
  try {
    const v = JSON.parse(fs.readFileSync(path.join(root, queue, SINK_LABEL), 'utf8')) as { sink?: unknown };
    return typeof v.sink === 'string' ? v.sink.slice(0, 300) : undefined;
  } catch {
    return undefined;
  }
}

/** Queues under `root` that no configured sink uses, with records still in them. */
export function strandedQueues(root: string, known: Set<string>, maxBytes: number): StrandedQueue[] {
  const out: StrandedQueue[] = [];
  for (const q of listQueues(root)) {
    if (known.has(q)) continue;
    const records = new SpoolQueue(root, q, { maxBytes }).pending();
    if (records === 0) continue;
    const sink = queueLabel(root, q);
    out.push({ queue: q, records, ...(sink ? { sink } : {}) });
  }
  return out;
}

/** Moves the pending records of stranded queue `from` into `into`'s queue, then removes `from`. */
export function adoptQueue(root: string, from: string, into: QueueOf, maxBytes: number, log: LogFn): number {
  const old = new SpoolQueue(root, from, { maxBytes });
  let moved = 0;
  for (let batch = old.read(1000); batch; batch = old.read(1000)) {
    // Unbounded append: adopting must not drop what it moves (the bound applies to new records).
    for (const e of batch.entries) into.queue.appendLine(e.line, e.record, false);
    old.commit(batch);
    moved += batch.entries.length;
  }
  // A crash before this point re-moves the uncommitted rest: at-least-once, as for delivery.
  fs.rmSync(old.dir, { recursive: true, force: true });
  log('info', `moved ${moved} records of spool queue ${from} into ${into.queue.name} (${into.label})`);
  return moved;
}

/** The configured destination stranded records move into: the only one, or the one `--into` names. */
export function adoptionDestination<T extends QueueOf>(queues: T[], into: string | undefined): T {
  if (into === undefined) {
    if (queues.length === 1) return queues[0] as T;
    throw new Error(`--adopt: ${queues.length === 0 ? 'no HTTP or syslog sink is configured' : 'several sinks are configured; name one with --into'}`);
  }
  const t = queues.find((q) => q.cfg.name === into || q.queue.name === into);
  if (!t) throw new Error(`--into: no configured HTTP or syslog sink is named ${JSON.stringify(into)}`);
  return t;
}

