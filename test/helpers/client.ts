// Builds the compiled hook client (client/hookwarden-client.c) for tests, as install does but with
// -Werror, and, where the compiler has them, AddressSanitizer and UndefinedBehaviorSanitizer.
// Undefined without a C compiler: the tests that need it skip.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileClient, configHeader, findCompiler } from '../../cli/install/client-build.js';

export const CLIENT_SOURCE = path.resolve(import.meta.dirname, '..', '..', 'client', 'hookwarden-client.c');
export const SANITIZE = ['-g', '-fno-omit-frame-pointer', '-fsanitize=address,undefined', '-fno-sanitize-recover=undefined'];
/** A sanitizer finding ends the client with this status, which no hook answer has. */
export const SANITIZER_ENV = { ASAN_OPTIONS: 'exitcode=86:detect_leaks=1', UBSAN_OPTIONS: 'halt_on_error=1:exitcode=87:print_stacktrace=1' };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-client-'));
process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));

/** The client built with `extra` flags (and -Werror), or undefined when there is no compiler or they are unsupported. */
export function buildClient(name: string, extra: string[] = [], nodePath = process.execPath): { path?: string; error?: string } {
  const cc = findCompiler(process.env);
  if (!cc) return { error: 'no C compiler (cc) on PATH' };
  const out = path.join(dir, name);
  const error = compileClient(cc, CLIENT_SOURCE, configHeader(nodePath), out, ['-Werror', ...extra]);
  return error ? { error } : { path: out };
}

/** The sanitized client when the compiler can build one, else the plain one (noted). */
export function testClient(): { path?: string; sanitized: boolean; error?: string } {
  const asan = buildClient('hookwarden-client-asan', SANITIZE);
  if (asan.path) return { path: asan.path, sanitized: true };
  const plain = buildClient('hookwarden-client');
  return { ...plain, sanitized: false };
}
