// The side that answers the agent keeps the deadline; the call itself runs in a worker thread
// (hooks/worker.ts). Nothing a call contains (a config bomb, a redaction bomb, a huge or deeply
// nested payload, a slow sink) can then make the answer late: at the cutoff the worker is
// terminated (V8 stops it wherever it is), the file locks it held are removed, a second worker
// records the call with its identity and `error: "deadline: ..."`, and the guard blocks.
// Used by the hook process (hooks/client.ts, one call) and by the daemon (a pool serving many).
import { messageOf, type ErrorCode } from '../lib/errors.js';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { answerError, type Answer } from '../lib/answer.js';
import { soleEvent } from '../lib/hooks-catalog.js';
import type { FailedCall } from '../audit/emit.js';
import type { AuditConfig } from '../lib/audit-config.js';
import { originOf } from '../audit/origin.js';
import { reserveMs, type HookOrigin } from './run.js';
import type { FromWorker, ToWorker, WorkerData } from './worker.js';
import { heldLocks, newLockSlots } from './lock-slots.js';

/** One call: which hook, its stdin (or the read's failure), and where it came from. */
export interface CallRequest extends HookOrigin { hook: string; text: string | Buffer | Error }

export interface Timing {
  /** Epoch ms by which the answer must be out. */
  deadlineAt: number;
  /** The configured deadline (for the reserve and the messages). */
  deadlineMs: number;
}

export { reserveMs } from './run.js';
/** The record of a call given up on must be written this long before the deadline. */
const EXIT_SLACK_MS = 80;
/** A V8 heap bound per worker: an allocation bomb ends the worker, not the process. */
const WORKER_HEAP_MB = 2048;
/**
 * The young generation of each worker. V8's default lets it grow to tens of MB per isolate, and
 * the daemon keeps up to 4 workers: its resident size crept from ~70 MB to ~270 MB over 6,000
 * calls (npm run bench). A call's garbage is small; a bigger nursery only saves scavenges.
 */
const WORKER_YOUNG_MB = 4;
/** A terminated worker that has not stopped by then is stuck in the kernel (see fs-guard.ts). */
const STUCK_MS = 2000;

/** How long the daemon keeps trying to write a record of a call given up on after answering. */
const AFTER_ANSWER_MS = 60_000;

/** Idle workers beyond the spares are ended after this long without being needed. */
const TRIM_MS = 10_000;

let nextId = 1;

/** One worker and the calls it serves, one at a time. */
export class Slot {
  readonly worker: Worker;
  calls = 0;
  /** Lock files the worker reported by message (those that did not fit its lock slots). */
  private readonly reported = new Set<string>();
  private readonly lockSlots = newLockSlots();
  private readonly listeners = new Map<number, (m: FromWorker) => void>();
  dead: Error | undefined;
  onDeath: ((err: Error) => void) | undefined;

  constructor(file: string, data: WorkerData) {
    // stdout/stderr: true keeps anything a bundle prints away from the hook's own stdout.
    this.worker = new Worker(file, { workerData: { ...data, lockSlots: this.lockSlots }, stdout: true, stderr: true, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_YOUNG_MB } });
    this.worker.on('message', (m: FromWorker) => {
      if (m.type === 'lock') {
        if (m.held) this.reported.add(m.dir);
        else this.reported.delete(m.dir);
        return;
      }
      this.listeners.get(m.id)?.(m);
    });
    const die = (err: Error): void => {
      if (this.dead) return;
      this.dead = err;
      this.onDeath?.(err);
    };
    this.worker.on('error', die);
    this.worker.on('exit', (code) => die(new Error(`worker exited (${code})`)));
  }

  /** Lock files (sinks/lock.ts) the worker holds now. */
  get locks(): string[] {
    return [...heldLocks(this.lockSlots), ...this.reported];
  }

  /** Sends a job; `on` gets every message for it. */
  post(job: ToWorker, on: (m: FromWorker) => void): void {
    this.listeners.set(job.id, on);
    this.worker.postMessage(job);
  }

  done(id: number): void {
    this.listeners.delete(id);
  }
}

export interface PoolOptions {
  /** Idle workers kept ready (the daemon: warm spares; the hook process: none). */
  spare: number;
  /** Most workers at once (the daemon holds a call beyond it unacknowledged; recording a call given up on may exceed it). */
  max: number;
  /** A worker is replaced after this many calls, so nothing a call leaves behind accumulates. */
  recycleAfter: number;
  /** Called when terminated workers do not stop (stuck in the kernel). */
  onStuck?: (count: number) => void;
  /**
   * The daemon: a record of a call given up on may still be written after the answer went out
   * (the daemon outlives the hook). Under overload (dozens of calls timing out at once, all
   * waiting for the audit file's lock) the time before the deadline is not enough for all of them.
   */
  recordAfterAnswer?: boolean;
}

export class Pool {
  private readonly idle: Slot[] = [];
  private readonly busy = new Set<Slot>();
  private stuck = 0;

  /**
   * `warm`: each worker loads the guard and the shell parser at start (the daemon's spares).
   * `files`: bundles and caches by path, read once (the daemon), handed to every worker.
   */
  constructor(readonly dir: string, private readonly opts: PoolOptions, private readonly warm = false, private readonly files?: Map<string, Uint8Array>) {}

  /** Records of calls given up on may be finished after the answer (the daemon). */
  get recordsAfterAnswer(): boolean {
    return this.opts.recordAfterAnswer === true;
  }

  hasIdle(): boolean {
    return this.idle.some((s) => !s.dead);
  }

  get size(): number {
    return this.idle.length + this.busy.size;
  }

  private spawn(): Slot {
    const s = new Slot(path.join(this.dir, 'worker.js'), { dir: this.dir, warm: this.warm, files: this.files });
    s.onDeath = () => {
      const i = this.idle.indexOf(s);
      if (i >= 0) this.idle.splice(i, 1);
    };
    return s;
  }

  /** Starts idle workers up to `spare` (or `n`), each loading `hook` when given. */
  fill(n = this.opts.spare, hook?: string): void {
    while (this.idle.length < n && this.size < this.opts.max) {
      const s = this.spawn();
      if (hook) s.post({ kind: 'load', id: nextId++, hook }, () => undefined);
      // At the far end: a worker still starting is taken only when no warm one is idle (see take).
      this.idle.unshift(s);
    }
  }

  /**
   * An idle worker, or a new one; undefined at `max` unless `force` (recording a call given up on).
   * The one back last goes out first: ordinary calls then keep landing on one worker, whose code V8
   * has optimized and whose caches are hot, instead of taking turns round the spares; the others
   * stay ready for calls that overlap (and `trim` ends the longest idle).
   */
  take(force = false): Slot | undefined {
    while (this.idle.length > 0) {
      const s = this.idle.pop()!;
      if (s.dead) continue;
      this.busy.add(s);
      return s;
    }
    if (this.size >= this.opts.max && !force) return undefined;
    const s = this.spawn();
    this.busy.add(s);
    return s;
  }

  /**
   * A worker back from a call stays ready (a burst keeps its workers: starting one costs more than
   * the calls it serves); `trim` later brings the idle ones back down to `spare`.
   */
  give(s: Slot): void {
    this.busy.delete(s);
    if (s.dead || s.calls >= this.opts.recycleAfter || s.locks.length > 0) this.kill(s);
    else this.idle.push(s);
    if (this.idle.length > Math.max(1, this.opts.spare) && !this.trimTimer) {
      this.trimTimer = setTimeout(() => {
        this.trimTimer = undefined;
        while (this.idle.length > Math.max(1, this.opts.spare)) this.kill(this.idle[0]!);
      }, TRIM_MS);
      this.trimTimer.unref();
    }
  }

  private trimTimer: NodeJS.Timeout | undefined;

  /** Terminates a worker, then removes the locks it still held. */
  kill(s: Slot): void {
    this.busy.delete(s);
    const i = this.idle.indexOf(s);
    if (i >= 0) this.idle.splice(i, 1);
    s.onDeath = undefined;
    const timer = setTimeout(() => this.opts.onStuck?.(++this.stuck), STUCK_MS);
    timer.unref();
    s.worker.terminate().then(() => {
      clearTimeout(timer);
      for (const dir of s.locks) {
        try {
          // A lock link (sinks/lock.ts), removed itself and never followed; an empty file or a
          // folder left by an earlier version.
          if (fs.lstatSync(dir).isDirectory()) fs.rmSync(dir, { recursive: true, force: true });
          else fs.unlinkSync(dir);
        } catch {
          // Gone already.
        }
      }
    }, () => clearTimeout(timer));
  }

  /** Lets idle workers exit by themselves (their exit handlers run), waiting at most `ms`; resolves whether all exited cleanly. */
  drain(ms: number): Promise<boolean> {
    const exits = this.idle.map((s) => new Promise<boolean>((resolve) => {
      s.worker.once('error', () => resolve(false));
      s.worker.once('exit', (code) => resolve(code === 0));
      s.post({ kind: 'exit', id: nextId++ }, () => undefined);
    }));
    return Promise.race([Promise.all(exits).then((ok) => ok.every(Boolean)), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
  }

  close(): void {
    for (const s of [...this.idle, ...this.busy]) this.kill(s);
  }
}

/** The bytes of the hook's stdin, or the read failure, as sent to a worker (copied, not transferred). */
function wireText(text: CallRequest['text']): Uint8Array | { error: string } {
  if (text instanceof Error) return { error: text.message };
  return typeof text === 'string' ? Buffer.from(text) : text;
}

const isAnswer = (a: unknown): a is Answer => {
  const x = a as Answer;
  return !!x && (x.exitCode === 0 || x.exitCode === 2) && typeof x.stdout === 'string' && typeof x.stderr === 'string';
};

/** The answer for a call given up on: guards block with one line, recorders let go with a note. */
function givenUpAnswer(error: string, failClosed: boolean, recorded: boolean): Answer {
  if (failClosed) return answerError(error);
  return { exitCode: 0, stdout: '', stderr: `hookwarden: ${error}${recorded ? '' : ' (no audit record)'}\n` };
}

/**
 * Runs one call in a worker of `pool` and answers before `timing.deadlineAt`, whatever the call does.
 * `failClosed`: the hook is a guard (a failure blocks).
 */
export function runCall(pool: Pool, req: CallRequest, timing: Timing, failClosed: boolean): Promise<Answer> {
  const cutoff = timing.deadlineAt - reserveMs(timing.deadlineMs);
  return new Promise<Answer>((resolve) => {
    let audit: AuditConfig | undefined;
    let root: string | undefined;
    let settled = false;
    /** Set when the worker's record ran out of time: the answering side writes one. */
    let lost: string | undefined;
    const id = nextId++;
    const slot = Date.now() < cutoff ? pool.take() : undefined;
    let prepare: NodeJS.Timeout | undefined;
    let timer: NodeJS.Timeout | undefined;
    const giveUp = (error: string, code: ErrorCode): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(prepare);
      if (slot) {
        slot.done(id);
        pool.kill(slot);
      }
      const text = req.text instanceof Error ? '' : req.text.toString();
      const failed: FailedCall = { text, event: soleEvent(req.hook), error, code, audit, project: root, blocked: failClosed };
      recordGivenUp(pool.dir, req, failed, timing.deadlineAt - EXIT_SLACK_MS, pool.recordsAfterAnswer).then((recorded) => resolve(givenUpAnswer(error, failClosed, recorded)));
    };
    if (!slot) {
      return Date.now() < cutoff
        ? giveUp('hookwarden is overloaded: no worker free to decide the call', 'overloaded')
        : giveUp(`deadline: the call was not decided within its ${timing.deadlineMs} ms deadline`, 'deadline');
    }
    slot.calls++;
    timer = setTimeout(() => giveUp(`deadline: the call was not decided within its ${timing.deadlineMs} ms deadline`, 'deadline'), cutoff - Date.now());
    // A call still running a quarter of the way to the cutoff gets the recorder loaded, so that
    // giving up is quick (ordinary calls are long done by then and never load it).
    prepare = setTimeout(() => preloadRecorder(pool.dir), (cutoff - Date.now()) / 4);
    slot.onDeath = (err) => giveUp(`worker failed: ${messageOf(err)}`, 'worker');
    slot.post({ kind: 'call', id, hook: req.hook, text: wireText(req.text), ...originOf(req), doneBy: cutoff - 50 }, (m) => {
      if (m.type === 'config') {
        audit = m.audit as AuditConfig;
        root = m.root;
      } else if (m.type === 'audit') {
        lost = m.problems.find((p) => /took longer than|could not lock/.test(p));
      } else if (m.type === 'answer' && !settled) {
        const a = m.answer as Answer;
        if (a && (a.exitCode as number) === -1) {
          // The hook's bundle cannot load: said as such, and the guard blocks (no record can be built).
          settled = true;
          clearTimeout(timer);
          clearTimeout(prepare);
          pool.kill(slot);
          return resolve({ exitCode: failClosed ? 2 : 0, stdout: '', stderr: `hookwarden: ${a.stderr}\n` });
        }
        if (!isAnswer(a)) return giveUp('worker failed: no answer', 'worker');
        settled = true;
        clearTimeout(timer);
        clearTimeout(prepare);
        slot.done(id);
        slot.onDeath = undefined;
        pool.give(slot);
        if (!lost) return resolve(a);
        // The decision stands (a sink problem never changes one); its record is written here.
        const text = req.text instanceof Error ? '' : req.text.toString();
        const error = `audit: ${lost}; answer: ${(a.stderr.split('\n')[0] ?? '').replace(/^hookwarden: /, '') || 'allowed'}`;
        const failed: FailedCall = { text, event: soleEvent(req.hook), error, code: 'sink', audit, project: root, blocked: failClosed && a.exitCode === 2 };
        void recordGivenUp(pool.dir, req, failed, timing.deadlineAt - EXIT_SLACK_MS, pool.recordsAfterAnswer).then(() => resolve(a));
      }
    });
  });
}

/**
 * A call given up on elsewhere (the compiled client's child, see hooks/client.ts): recorded on this
 * thread with its identity and `f.error`, by the deadline, then answered as runCall answers one.
 */
export async function answerGivenUp(
  dir: string, req: CallRequest, f: { error: string; code: ErrorCode; audit?: AuditConfig; root?: string }, timing: Timing, failClosed: boolean,
): Promise<Answer> {
  const text = req.text instanceof Error ? '' : req.text.toString();
  const failed: FailedCall = { text, event: soleEvent(req.hook), error: f.error, code: f.code, audit: f.audit, project: f.root, blocked: failClosed };
  const recorded = await recordGivenUp(dir, req, failed, timing.deadlineAt - EXIT_SLACK_MS);
  return givenUpAnswer(f.error, failClosed, recorded);
}

type Recorder = typeof import('./recorder.js');
let recorder: Recorder | undefined;

function preloadRecorder(dir: string): void {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a separate file, read only on this path
    recorder ??= require(path.join(dir, 'recorder.js')) as Recorder;
  } catch {
    // recordGivenUp reports it by writing no record.
  }
}

/**
 * Records a call given up on, on this thread, by `until`: a small bundle (hooks/recorder.ts), no
 * tool input, built-in redaction only, file operations that cannot block. Resolves whether the
 * record was written; the answer goes out either way.
 */
function recordGivenUp(dir: string, req: CallRequest, failed: FailedCall, until: number, afterAnswer = false): Promise<boolean> {
  const left = until - Date.now();
  if (left <= 0 && !afterAnswer) return Promise.resolve(false);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- a separate file, read only on this path
    recorder ??= require(path.join(dir, 'recorder.js')) as Recorder;
  } catch {
    return Promise.resolve(false);
  }
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, until - Date.now()))));
  // After the answer, the daemon's record may wait its turn for the lock well past the deadline.
  const timeoutMs = Math.max(1, until - Date.now()) + (afterAnswer ? AFTER_ANSWER_MS : 0);
  const write = recorder.recordFailure(failed, { ...originOf(req), timeoutMs })
    .then((problems) => problems.length === 0, () => false);
  return Promise.race([write, late]).finally(() => clearTimeout(timer));
}
