// Code the guard reads from disk: a script file named on the command line, a file fed as
// standard input. Read the way config files are (config-read.ts): one non-blocking open, the
// type checked on that descriptor, never past the size bound, so a FIFO, device or huge file
// named by a hostile repository cannot stall or flood the hook.
import * as fs from 'node:fs';
import { withRegularFile } from '../../regular-file.js';
import { U, physicalJoin, type Arg } from '../shell/context.js';
import type { CodeCtx } from './load.js';


/** The file's text, or undefined when it is not a readable regular file within the bound. */
export function readBounded(abs: string, maxBytes: number): string | undefined {
  if (abs.includes(U)) return undefined;
  return withRegularFile(abs, (fd, size) => {
    if (size > maxBytes) return undefined;
    // One byte more than the bound: a file that grew since fstat is refused, not cut.
    const buf = Buffer.allocUnsafe(Math.min(Math.max(size, 1), maxBytes) + 1);
    let total = 0;
    for (;;) {
      const n = fs.readSync(fd, buf, total, buf.length - total, null);
      if (n === 0) break;
      total += n;
      if (total > maxBytes || total === buf.length) return undefined;
    }
    return buf.subarray(0, total).toString('utf8');
  });
}

/** An argument as an absolute path (unknown parts kept). */
export function absPath(x: CodeCtx, a: Arg | string): string {
  return physicalJoin(x.cwd, typeof a === 'string' ? a : a.text);
}

/**
 * A script named by `a`: its text; `missing` when there is no such file (the interpreter fails
 * before running anything); undefined when its content is unknown (the same command line writes
 * it first, or it is not a readable regular file within the bound).
 */
export function readScript(x: CodeCtx, a: Arg): string | 'missing' | undefined {
  const abs = absPath(x, a);
  if (abs.includes(U)) return undefined;
  if (x.written(abs)) return x.known?.(abs);
  return readAt(abs, x.maxBytes);
}

/** The text at an absolute path, `missing`, or undefined (not a readable regular file within the bound). */
export function readAt(abs: string, maxBytes: number): string | 'missing' | undefined {
  const text = readBounded(abs, maxBytes);
  if (text !== undefined) return text;
  try {
    fs.lstatSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT' || (e as NodeJS.ErrnoException).code === 'ENOTDIR') return 'missing';
  }
  return undefined;
}

/** What the command reads on standard input: text, or undefined when unknown / nothing. */
export function stdinText(x: CodeCtx): { text?: string; unknown: boolean } {
  if (typeof x.stdin === 'string') return { text: x.stdin, unknown: false };
  if (x.stdin === null && x.stdinFile) {
    const text = x.written(x.stdinFile) ? x.known?.(x.stdinFile) : readBounded(x.stdinFile, x.maxBytes);
    return text === undefined ? { unknown: true } : { text, unknown: false };
  }
  return { unknown: x.stdin === null };
}

/**
 * The interpreter a script's `#!` line names (`#!/usr/bin/env python3` is `python3`), with its
 * options; undefined when the file is not a readable regular file starting with `#!`.
 */
export function shebangOf(abs: string): string[] | undefined {
  return shebangOfText(readHead(abs, 256));
}

/** The interpreter named by the `#!` line at the start of `head`. */
export function shebangOfText(head: string | undefined): string[] | undefined {
  if (!head?.startsWith('#!')) return undefined;
  const words = head.slice(2).split('\n')[0]!.trim().split(/[ \t]+/).filter(Boolean);
  if (words.length === 0) return undefined;
  // A relative interpreter path (`#!./w`) stays a path: the kernel runs that file, from the working directory.
  if (words[0]!.startsWith('/')) words[0] = words[0]!.slice(words[0]!.lastIndexOf('/') + 1);
  // env [-S] [-i] [NAME=value]... PROGRAM ARGS
  if (words[0] === 'env') {
    let k = 1;
    while (k < words.length && (words[k]!.startsWith('-') || /^[A-Za-z_]\w*=/.test(words[k]!))) k++;
    const rest = words.slice(k);
    if (rest.length === 0) return undefined;
    rest[0] = rest[0]!.slice(rest[0]!.lastIndexOf('/') + 1);
    return rest;
  }
  return words;
}

function readHead(abs: string, n: number): string | undefined {
  return withRegularFile(abs, (fd) => {
    const buf = Buffer.alloc(n);
    return buf.subarray(0, fs.readSync(fd, buf, 0, n, 0)).toString('utf8');
  });
}
