// Commands that run another command (`sudo`, `env`, `nice`, `timeout`...): skipped, with their
// options, to reach the command that really runs. Some change where it runs (`env -C`,
// `sudo -D`), pass variables to it (`env X=1`), or write a file of their own (`time -o`, `flock`).
import type { Op } from '../../types.js';
import { has, parseOpts, values } from './options.js';
import { splitWords } from './feed.js';
import type { Arg } from './types.js';

export interface Unwrapped {
  /** The real command and its arguments; empty when nothing is run. */
  args: Arg[];
  /** Directory the command runs in, when a wrapper changes it. */
  cwd?: Arg;
  /** `VAR=value` passed in the command's environment (seen by nested shells). */
  assigns: [string, string][];
  /** `env -i`: the command starts with an empty environment. */
  clear?: boolean;
  /** `env -u NAME`: removed from the command's environment. */
  unset?: string[];
}

type Emit = (op: Op, a: Arg, via: string) => void;
interface State {
  out: Unwrapped;
  emit: Emit;
}
type Wrapper = (rest: Arg[], s: State) => Arg[];

const ASSIGN = /^([A-Za-z_][A-Za-z0-9_]*)=/;

/** Leading `VAR=value` operands (sudo, env) go to the environment. */
function takeAssigns(ops: Arg[], s: State): Arg[] {
  let k = 0;
  for (; k < ops.length; k++) {
    const m = ASSIGN.exec(ops[k]!.text);
    if (!m) break;
    s.out.assigns.push([m[1]!, ops[k]!.text.slice(m[0].length)]);
  }
  return ops.slice(k);
}

const synthetic = (text: string, like: Arg): Arg => ({ text, literal: like.literal });

const sudo: Wrapper = (rest, s) => {
  const p = parseOpts(rest, {
    posix: true, arg: 'ugCDhpTrtUc',
    long: ['user', 'group', 'close-from', 'chdir', 'host', 'prompt', 'role', 'type', 'command-timeout', 'other-user', 'login-class'],
    flags: ['edit', 'login', 'shell', 'list', 'validate', 'non-interactive', 'preserve-env', 'set-home', 'stdin', 'background'],
  });
  const dir = values(p, 'D', 'chdir').pop();
  if (dir) s.out.cwd = dir;
  const ops = takeAssigns(p.operands, s);
  if (has(p, 'e', 'edit')) return ops.length > 0 ? [synthetic('sudoedit', ops[0]!), ...ops] : [];
  return ops;
};

const env: Wrapper = (rest, s) => {
  const p = parseOpts(rest, {
    posix: true, arg: 'uCS', long: ['unset', 'chdir', 'split-string'],
    flags: ['ignore-environment', 'null', 'debug', 'block-signal', 'default-signal', 'ignore-signal', 'list-signal-handling'],
  });
  const dir = values(p, 'C', 'chdir').pop();
  if (dir) s.out.cwd = dir;
  let ops = p.operands;
  if (has(p, 'i', 'ignore-environment')) s.out.clear = true;
  if (ops[0]?.text === '-') {
    s.out.clear = true;
    ops = ops.slice(1);
  }
  for (const u of values(p, 'u', 'unset')) (s.out.unset ??= []).push(u.text);
  // `env -S 'rm .env'`: the string is split into arguments, before the remaining operands.
  const split = values(p, 'S', 'split-string').flatMap((v) =>
    splitWords(v.text).map((t) => ({ text: t, literal: v.literal })));
  return takeAssigns([...split, ...ops], s);
};

const simple = (arg = '', long: string[] = [], stopIf: string[] = []): Wrapper => (rest) => {
  const p = parseOpts(rest, { posix: true, arg, long });
  return stopIf.length > 0 && has(p, ...stopIf) ? [] : p.operands;
};

const time: Wrapper = (rest, s) => {
  const p = parseOpts(rest, { posix: true, arg: 'fo', long: ['format', 'output'], flags: ['append', 'portability', 'verbose', 'quiet'] });
  for (const o of values(p, 'o', 'output')) s.emit('write', o, 'time -o');
  return p.operands;
};

const timeout: Wrapper = (rest) => {
  const p = parseOpts(rest, { posix: true, arg: 'sk', long: ['signal', 'kill-after'], flags: ['foreground', 'preserve-status', 'verbose'] });
  return p.operands.slice(1); // DURATION, then the command
};

/** flock FILE CMD... | flock FILE -c 'CMD' | flock FD. The lock file is created if missing. */
const flock: Wrapper = (rest, s) => {
  const p = parseOpts(rest, { posix: true, arg: 'wEc', long: ['timeout', 'wait', 'conflict-exit-code', 'command'] });
  const [file, ...cmd] = p.operands;
  if (!file || /^\d+$/.test(file.text)) return [];
  s.emit('write', file, 'flock');
  const inline = values(p, 'c', 'command').pop();
  if (cmd[0] && (cmd[0].text === '-c' || cmd[0].text === '--command')) {
    return cmd[1] ? [synthetic('sh', cmd[1]), synthetic('-c', cmd[1]), cmd[1]] : [];
  }
  if (inline) return [synthetic('sh', inline), synthetic('-c', inline), inline];
  return cmd;
};

/** su [-] [USER] -c 'CMD': the command string runs in a shell. */
const su: Wrapper = (rest) => {
  const p = parseOpts(rest, {
    arg: 'cgGsw', long: ['command', 'session-command', 'group', 'supp-group', 'shell', 'whitelist-environment'],
    flags: ['login', 'preserve-environment', 'pty'],
  });
  const cmd = values(p, 'c', 'command', 'session-command').pop();
  return cmd ? [synthetic('sh', cmd), synthetic('-c', cmd), cmd] : [];
};

const WRAPPERS: ReadonlyMap<string, Wrapper> = new Map<string, Wrapper>([
  ['sudo', sudo],
  ['doas', simple('uC')],
  ['env', env],
  ['command', simple('', [], ['v', 'V'])],
  ['builtin', simple()],
  ['exec', simple('a')],
  ['nice', simple('n', ['adjustment'])],
  ['nohup', simple()],
  ['time', time],
  ['timeout', timeout],
  ['stdbuf', simple('ioe', ['input', 'output', 'error'])],
  ['setsid', simple()],
  ['ionice', simple('cnpPu', ['class', 'classdata', 'pid', 'pgid', 'uid'], ['p', 'P', 'u', 'pid', 'pgid', 'uid'])],
  ['flock', flock],
  ['su', su],
  ['busybox', simple()],
]);

export function commandName(a: Arg): string {
  return a.text.slice(a.text.lastIndexOf('/') + 1);
}

/** Strips wrappers (bounded: each step consumes at least the wrapper's own name). */
export function unwrap(args: Arg[], emit: Emit): Unwrapped {
  const s: State = { out: { args, assigns: [] }, emit };
  let cur = args;
  for (;;) {
    const first = cur[0];
    const w = first && WRAPPERS.get(commandName(first));
    if (!w) break;
    cur = w(cur.slice(1), s);
  }
  s.out.args = cur;
  return s.out;
}
