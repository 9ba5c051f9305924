// Runs a shell command under `strace -f` and returns every path it really changed: files opened for
// writing, created, truncated, removed, renamed (both names), linked, made (mkdir, mknod, symlink),
// re-moded or re-timed. Only calls that succeeded count. Relative paths resolve through the
// directory file descriptors strace decodes (-y) and, for the old calls without one (mkdir, creat,
// chmod...), through each process's working directory (followed across fork and chdir).
import { spawn } from 'node:child_process';
import path from 'node:path';

const SYSCALLS = ['open', 'openat', 'openat2', 'creat', 'truncate', 'unlink', 'unlinkat', 'rename', 'renameat', 'renameat2', 'link',
  'linkat', 'symlink', 'symlinkat', 'mkdir', 'mkdirat', 'rmdir', 'chmod', 'fchmodat', 'chown', 'lchown', 'fchownat', 'mknod',
  'mknodat', 'utimensat', 'utimes', 'utime', 'futimesat', 'chdir', 'fchdir', 'clone', 'clone3', 'fork', 'vfork', 'setxattr', 'removexattr'];

export interface Traced {
  /** Absolute paths changed (as the kernel saw them: the last component not resolved). */
  touched: Set<string>;
  status: number | null;
  timedOut: boolean;
  stderr: string;
}

/** Runs `bash -c command` in `cwd` with `env`, under strace. */
export function traceCommand(command: string, cwd: string, env: Record<string, string>, traceFile: string, timeoutMs = 10_000): Promise<Traced> {
  return new Promise((resolve, reject) => {
    const child = spawn('strace', ['-f', '-qq', '-y', '-s', '4096', '-e', `trace=${SYSCALLS.join(',')}`, '-e', 'signal=none', '-o', traceFile,
      'bash', '-c', command], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let timedOut = false;
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 4096) stderr += d.toString();
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', async (status) => {
      clearTimeout(timer);
      try {
        const { readFile } = await import('node:fs/promises');
        const text = await readFile(traceFile, 'utf8').catch(() => '');
        resolve({ touched: parseTrace(text, cwd), status, timedOut, stderr });
      } catch (e) {
        reject(e);
      }
    });
  });
}

/** A C string literal as strace prints it (\", \\, \n, \t, \xHH, octal). */
function unquote(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = s[++i]!;
    if (n === 'x') {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (/[0-7]/.test(n)) {
      let j = i;
      while (j < i + 3 && /[0-7]/.test(s[j] ?? '')) j++;
      out += String.fromCharCode(parseInt(s.slice(i, j), 8));
      i = j - 1;
    } else out += ({ n: '\n', t: '\t', r: '\r', v: '\v', f: '\f' } as Record<string, string>)[n] ?? n;
  }
  return out;
}

/** Arguments of a syscall line: quoted strings unquoted, `N</path>` fds kept as their path. */
function splitArgs(s: string): string[] {
  const args: string[] = [];
  let cur = '';
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
      cur += `"${s.slice(i + 1, j)}"`;
      i = j;
      continue;
    }
    if (c === '<') {
      const j = s.indexOf('>', i);
      cur += s.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === '{' || c === '[' || c === '(') depth++;
    if (c === '}' || c === ']' || c === ')') depth--;
    if (c === ',' && depth === 0) {
      args.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur.trim() !== '') args.push(cur.trim());
  return args;
}

const str = (a: string | undefined): string | undefined => (a && a.startsWith('"') ? unquote(a.slice(1, a.endsWith('"') ? -1 : undefined)) : undefined);
/** `AT_FDCWD</dir>` or `3</dir>`: the directory; undefined when not decoded. */
const dirOf = (a: string | undefined): string | undefined => (a ? /<(.*)>$/.exec(a)?.[1] : undefined);

export function parseTrace(text: string, startCwd: string): Set<string> {
  const touched = new Set<string>();
  const cwd = new Map<string, string>();
  const pending = new Map<string, string>();
  const cwdOf = (pid: string): string => cwd.get(pid) ?? startCwd;
  for (let line of text.split('\n')) {
    // strace pads the pid to five columns: `7067  unlink(...)`, `27067 unlink(...)`. A pid below 10000
    // (pid_max wraps at 32768 here) once made every line unreadable, and the run looked as if it
    // changed nothing: an allowed command could not fail the oracle.
    const m0 = /^(\d+)\s+(.*)$/.exec(line);
    if (!m0) continue;
    const pid = m0[1]!;
    let rest = m0[2]!;
    // -f interleaves: `openat(... <unfinished ...>` then `<... openat resumed>...) = 3`.
    if (rest.endsWith('<unfinished ...>')) {
      pending.set(pid, rest.slice(0, -'<unfinished ...>'.length));
      continue;
    }
    const res = /^<\.\.\. \w+ resumed>(.*)$/.exec(rest);
    if (res) {
      rest = (pending.get(pid) ?? '') + res[1]!;
      pending.delete(pid);
    }
    line = rest;
    const m = /^(\w+)\((.*)\)\s+=\s+(-?\d+|\?)(?:<(.*?)>)?/.exec(line);
    if (!m) continue;
    const [, name, argText, retText, retPath] = m;
    const ret = Number(retText);
    if (name === 'clone' || name === 'clone3' || name === 'fork' || name === 'vfork') {
      if (ret > 0) cwd.set(String(ret), cwdOf(pid));
      continue;
    }
    if (ret < 0 || retText === '?') continue;
    const args = splitArgs(argText!);
    const abs = (p: string | undefined, dir?: string): string | undefined =>
      p === undefined ? undefined : path.resolve(dir ?? cwdOf(pid), p);
    const at = (k: number): string | undefined => abs(str(args[k + 1]), dirOf(args[k]) ?? (args[k]?.startsWith('AT_FDCWD') ? cwdOf(pid) : undefined));
    const add = (p: string | undefined): void => {
      if (p !== undefined) touched.add(p);
    };
    switch (name) {
      case 'chdir':
        cwd.set(pid, abs(str(args[0]))!);
        break;
      case 'fchdir': {
        const d = dirOf(args[0]);
        if (d) cwd.set(pid, d);
        break;
      }
      case 'open':
      case 'openat':
      case 'openat2': {
        const flags = name === 'open' ? args[1] ?? '' : args[2] ?? '';
        if (!/O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND/.test(flags)) break;
        // The fd's decoded path is where it really went (through links).
        add(name === 'open' ? abs(str(args[0])) : at(0));
        if (retPath) add(retPath);
        break;
      }
      case 'creat': case 'truncate': case 'unlink': case 'rmdir': case 'mkdir': case 'chmod': case 'chown': case 'lchown':
      case 'mknod': case 'utimes': case 'utime': case 'setxattr': case 'removexattr':
        add(abs(str(args[0])));
        break;
      case 'unlinkat': case 'mkdirat': case 'fchmodat': case 'fchownat': case 'mknodat': case 'futimesat':
        add(at(0));
        break;
      case 'utimensat':
        // utimensat(fd</path>, NULL, ...) touches the fd's file.
        add(args[1] === 'NULL' ? dirOf(args[0]) : at(0));
        break;
      case 'rename':
      case 'link':
        add(abs(str(args[0])));
        add(abs(str(args[1])));
        break;
      case 'renameat': case 'renameat2': case 'linkat':
        add(at(0));
        add(at(2));
        break;
      case 'symlink':
        add(abs(str(args[1])));
        break;
      case 'symlinkat':
        add(abs(str(args[2]), dirOf(args[1])));
        break;
    }
  }
  return touched;
}
