// A decision worker: runs hook calls for the side that answers (hooks/runner.ts, in the hook
// process or the daemon), which keeps the deadline. It can be terminated at any instant: nothing
// it does may block its thread in the kernel (fs-guard.ts), and it marks the file locks it holds
// (lock-slots.ts) so that the terminating side can remove them (sinks/lock.ts).
import fs from 'node:fs';
import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import { parentPort, workerData } from 'node:worker_threads';
import type childProcess from 'node:child_process';
import { guardChildProcess, installFsGuard } from './fs-guard.js';
import { HOOK_SPECS, failsClosed } from '../lib/hooks-catalog.js';
import { loadHook } from './load-hook.js';
import { LockSlotWriter } from './lock-slots.js';
import { originOf } from '../audit/origin.js';
import { failureAnswer, type Hook, type HookContext, type HookOrigin } from './run.js';

/** What the answering side sends. `text` is the hook's stdin bytes, or the message of a read failure. */
export type ToWorker =
  | ({ kind: 'call'; id: number; hook: string; text: Uint8Array | { error: string }; doneBy: number } & HookOrigin)
  | { kind: 'load'; id: number; hook: string }
  | { kind: 'exit'; id: number };

/** What a worker reports. Locks carry id 0: they belong to the worker, not to one call. */
export type FromWorker =
  | { id: number; type: 'config'; audit: unknown; root?: string }
  | { id: number; type: 'answer'; answer: unknown }
  | { id: number; type: 'audit'; problems: string[] }
  | { id: number; type: 'loaded' }
  | { id: 0; type: 'lock'; dir: string; held: boolean };

export interface WorkerData {
  dir: string;
  warm?: boolean;
  /** Bundles and caches the daemon read at its start, by path (see code-cache.ts). */
  files?: Map<string, Uint8Array>;
  /** Where the worker marks the lock files it holds (lock-slots.ts). */
  lockSlots?: SharedArrayBuffer;
}

function guardBuiltins(): void {
  // child_process is loaded on demand (sinks/lazy-builtins.ts), so its sync calls are wrapped when it is.
  const get = process.getBuiltinModule?.bind(process);
  if (!get) return installFsGuard();
  let cp: typeof childProcess | undefined;
  installFsGuard();
  (process as { getBuiltinModule: (id: string) => unknown }).getBuiltinModule = (id: string) => {
    const m = get(id as 'node:fs');
    if ((id === 'node:child_process' || id === 'child_process') && !cp) {
      cp = m as unknown as typeof childProcess;
      guardChildProcess(cp);
    }
    return m;
  };
}

/**
 * Lowers this thread's scheduling priority (Linux: setpriority on the thread id). On a machine
 * running more threads than it has cores, the thread that must answer on time then gets the CPU
 * before the decisions it is waiting for, instead of queueing behind them.
 */
function yieldToTheAnsweringThread(): void {
  try {
    const tid = Number(/task\/(\d+)$/.exec(fs.readlinkSync('/proc/thread-self'))?.[1]);
    if (tid > 0) os.setPriority(tid, Math.min(19, os.getPriority(tid) + NICE));
  } catch {
    // Not Linux, or not allowed: the deadline still holds, with less margin under load.
  }
}
/** Enough for the scheduler to favour the answering thread about 3:1 over a busy worker. */
const NICE = 5;

/**
 * A full garbage collection every GC_EVERY calls, after the answer is out. A call's objects outlive
 * the tiny young generation (runner.ts caps it at 4 MB) and land in the old one, which V8 lets grow
 * long before it collects it: the daemon's resident size rose by ~60 MB over 10,000 calls, the live
 * heap by under 1 MB. A collection of a worker's heap takes a few milliseconds, here and only here.
 */
const GC_EVERY = 100;
let served = 0;
let gc: (() => void) | undefined;
function collectNow(): void {
  if (++served % GC_EVERY !== 0) return;
  try {
    if (!gc) {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    }
    gc();
  } catch {
    // No collector to call: V8 collects by itself, later.
  }
}

function main(): void {
  const port = parentPort;
  if (!port) return;
  const { dir, warm, files, lockSlots } = workerData as WorkerData;
  if (files) (globalThis as { __hookwardenFiles?: Map<string, Uint8Array> }).__hookwardenFiles = files;
  yieldToTheAnsweringThread();
  guardBuiltins();
  const slots = lockSlots && new LockSlotWriter(lockSlots);
  (globalThis as { __hookwardenLocks?: unknown }).__hookwardenLocks = {
    held: (d: string) => slots?.held(d) || port.postMessage({ id: 0, type: 'lock', dir: d, held: true }),
    released: (d: string) => slots?.released(d) || port.postMessage({ id: 0, type: 'lock', dir: d, held: false }),
  };
  const hooks = new Map<string, Hook>();
  const hook = (name: string): Hook => {
    let h = hooks.get(name);
    if (!h) hooks.set(name, (h = loadHook(dir, name)));
    return h;
  };
  if (warm) {
    // The guard is loaded up front (its shell parser too): no tool call waits for it.
    for (const spec of HOOK_SPECS.filter((h) => h.role === 'guard')) {
      try {
        hook(spec.script).warm?.();
      } catch {
        // Reported by the first call that needs it.
      }
    }
  }
  port.on('message', (m: ToWorker) => {
    if (m.kind === 'exit') process.exit(0); // ends this worker only; its exit handlers run
    if (m.kind === 'load') {
      try {
        hook(m.hook);
      } finally {
        port.postMessage({ id: m.id, type: 'loaded' });
      }
      return;
    }
    const text = 'error' in m.text ? new Error(m.text.error) : Buffer.from(m.text.buffer, m.text.byteOffset, m.text.byteLength).toString('utf8');
    const ctx: HookContext = {
      ...originOf(m), doneBy: m.doneBy,
      onConfig: (audit, root) => port.postMessage({ id: m.id, type: 'config', audit, root }),
      onAudit: (problems) => port.postMessage({ id: m.id, type: 'audit', problems }),
    };
    let h: Hook;
    try {
      h = hook(m.hook);
    } catch (err) {
      // The answering side reports a bundle that cannot load as such; the guard blocks.
      port.postMessage({ id: m.id, type: 'answer', answer: { exitCode: -1, stdout: '', stderr: (err as Error).message } });
      return;
    }
    h.handle(text, ctx)
      .catch((err: unknown) => failureAnswer(err, failsClosed(m.hook)))
      .then((answer) => {
        port.postMessage({ id: m.id, type: 'answer', answer });
        collectNow();
      });
  });
}

main();
