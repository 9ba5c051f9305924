// What the answering side (hooks/runner.ts) loads to record a call it gave up on, in its own
// thread: the sinks without the guard, so it loads in a few ms even on a machine so loaded that a
// worker could not start in time. The record holds no tool input (identity, block, reason), and
// this thread's file operations cannot block in the kernel (fs-guard.ts), so it is bounded work.
import { installFsGuard } from './fs-guard.js';

installFsGuard();

export { recordFailure } from '../audit/emit.js';
