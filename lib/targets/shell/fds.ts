// What each file descriptor of the analyzed shell is bound to, so that a path naming a
// descriptor (`/dev/fd/N`, `/dev/stdout`, `/proc/self/fd/N`) is judged as the file behind it:
// opening such a path reopens that file with the new flags, so `exec 7< .env; echo k >> /dev/fd/7`
// appends to `.env` although fd 7 was opened for reading. Redirections of a statement bind for
// that statement only (a frame, dropped after it); `exec` without a command binds for the rest
// of the shell (in the scope, so branches merge as variables do). A descriptor the command never
// bound is the one the agent's shell inherited (a pipe or a terminal): not a file anyone protects.
import path from 'node:path';
import { UNRESOLVED_SEGMENT as U } from '../../types.js';
import type { Scope, Val } from './scope.js';

/** A binding: an absolute file (may hold U), UNSET (closed, a heredoc, a pipe), with alternatives when unknown. */
export interface Binding {
  value: Val;
  alts?: string[];
  /**
   * An unknown value that is one of `alts` or no file at all (a place the shell may be in, a
   * descriptor the command may not have bound), never a name the command's own output chose.
   */
  given?: boolean;
}

const key = (fd: number): string => `fd ${fd}`;

/** Highest descriptor tracked (bash allows up to the open-file limit; larger numbers are rare and unknown). */
const MAX_FD = 1023;

export class Fds {
  /** Bindings of the statements being walked, innermost last. */
  private readonly frames: Map<number, Binding>[] = [];
  /** The scope of the statement being walked (set by walk.ts). */
  scope: Scope | null = null;

  push(): void {
    this.frames.push(new Map());
  }

  pop(): void {
    this.frames.pop();
  }

  /** The binding of `fd`: undefined when the command never bound it (inherited from the agent). */
  get(fd: number): Binding | undefined {
    for (let k = this.frames.length - 1; k >= 0; k--) {
      const b = this.frames[k]!.get(fd);
      if (b) return b;
    }
    const v = this.scope?.assignedValue(key(fd));
    if (v === undefined) return undefined;
    if (typeof v !== 'string' || !v.includes(U)) return { value: v };
    const alts = this.scope!.alts(key(fd));
    return this.scope!.given(key(fd)) ? { value: v, alts, given: true } : { value: v, alts };
  }

  /**
   * Binds `fd` for the current statement, or (`exec`) for the rest of the shell: in the innermost
   * statement frame that already redirects it (bash restores those after the statement), else in
   * the scope. A redirection inside such a frame made from a subshell cannot be told apart: the
   * binding then keeps both values as alternatives.
   */
  set(fd: number, b: Binding, exec: boolean): void {
    if (fd > MAX_FD) return;
    if (!exec) {
      this.frames[this.frames.length - 1]?.set(fd, b);
      if (this.frames.length > 0) return;
    }
    for (let k = this.frames.length - 1; k >= 0; k--) {
      const old = this.frames[k]!.get(fd);
      if (old) {
        this.frames[k]!.set(fd, either(old, b));
        return;
      }
    }
    this.scope?.set(key(fd), b.value, b.alts, b.given === true);
  }
}

/** One binding or the other: unknown, with the known values of both as alternatives. */
function either(a: Binding, b: Binding): Binding {
  const known = (x: Binding): string[] => (typeof x.value !== 'string' ? [] : x.value.includes(U) ? x.alts ?? [] : [x.value]);
  const alts = [...new Set([...known(a), ...known(b)])];
  const listed = (x: Binding): boolean => typeof x.value !== 'string' || !x.value.includes(U) || x.given === true;
  return listed(a) && listed(b) ? { value: U, alts, given: true } : { value: U, alts };
}

/**
 * The descriptor a path names, when it is `/dev/fd/N`, `/dev/stdin|stdout|stderr` or
 * `/proc/self/fd/N` (`/proc/thread-self/fd/N`) once joined to `base` (textually: these names are
 * the kernel's own, not links a command can make).
 */
export function descriptorOf(p: string, base: string): number | undefined {
  if (p.includes(U) || (!p.startsWith('/') && base.includes(U))) return undefined;
  // `/dev/fd/7/` or `/dev/fd/7/.` uses it as a directory: left to normalization, which refuses it.
  if (p.endsWith('/') || p.endsWith('/.')) return undefined;
  const abs = path.posix.resolve(base, p);
  const std = /^\/dev\/std(in|out|err)$/.exec(abs);
  if (std) return ['in', 'out', 'err'].indexOf(std[1]!);
  const m = /^\/(?:dev|proc\/self|proc\/thread-self)\/fd\/(\d{1,9})$/.exec(abs);
  return m ? Number(m[1]) : undefined;
}
