// Commands that run another command (`sudo`, `env`, `nice`, `timeout`...), now or later (`at`,
// `systemd-run`, `tmux new -d`, `screen -dm`, `watch`): skipped, with their options, to reach the
// command that really runs. Some change where it runs (`env -C`,
// `sudo -D`), pass variables to it (`env X=1`), or write a file of their own (`time -o`, `flock`).
import { UNRESOLVED_SEGMENT as U, type Op } from '../../types.js';
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
  /** `setsid -f`: the command runs in the background, alongside what follows (written.ts). */
  detached?: boolean;
  /** No command given: the wrapper starts the user's shell, `$SHELL` (`tmux new -d`, `screen -dm`). */
  shell?: boolean;
}

type Emit = (op: Op, a: Arg, via: string) => void;
interface State {
  out: Unwrapped;
  emit: Emit;
}
type Wrapper = (rest: Arg[], s: State) => Arg[];

// `BASH_FUNC_f%%=() {…}`: how an exported function travels (a started bash defines it: env-files.ts envCode).
const ASSIGN = /^([A-Za-z_][A-Za-z0-9_]*|BASH_FUNC_[^=\s]+%%)=/;

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

/** setsid [-c] [-f] [-w]: `-f` forks, so the command runs in the background without `&`. */
const setsid: Wrapper = (rest, s) => {
  const p = parseOpts(rest, { posix: true, long: [], flags: ['ctty', 'fork', 'wait'] });
  if (has(p, 'f', 'fork')) s.out.detached = true;
  return p.operands;
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

/** The operands as one shell text, as `watch` and `tmux` run them (`sh -c "$*"`). */
const asShell = (ops: Arg[]): Arg[] => {
  if (ops.length === 0) return [];
  const text = ops.map((o) => o.text).join(' ');
  return [synthetic('sh', ops[0]!), synthetic('-c', ops[0]!), { text, literal: ops.map((o) => o.literal).join(' ') }];
};

const quoteWord = (t: string): string => `'${t.split("'").join("'\\''")}'`;

/**
 * Several words a tool joins into shell text (watch) or runs as a command (tmux 3): both readings
 * are judged, one after the other. The model who wrote `watch -n1 psql -c 'DROP TABLE t'` meant the
 * second; `watch echo '$(rm .env)'` runs the first.
 */
const asShellOrArgv = (ops: Arg[]): Arg[] => {
  if (ops.length < 2) return asShell(ops);
  const joined = asShell(ops);
  const text = `${joined[2]!.text}\n${ops.map((o) => quoteWord(o.text)).join(' ')}`;
  return [joined[0]!, joined[1]!, { text, literal: joined[2]!.literal }];
};

/** watch [-n N] CMD…: the words run through `sh -c` (with -x: as a command). */
const watch: Wrapper = (rest) => {
  const p = parseOpts(rest, { posix: true, arg: 'nq', long: ['interval', 'equexit'], flags: ['differences', 'exec', 'beep', 'errexit', 'chgexit', 'color', 'no-title', 'precise', 'no-wrap'] });
  return has(p, 'x', 'exec') ? p.operands : asShellOrArgv(p.operands);
};

/** Keys `tmux send-keys` names that type something a shell reads; other key names type nothing it runs. */
const KEY_TEXT: Record<string, string> = { Enter: '\n', 'C-m': '\n', 'C-j': '\n', KPEnter: '\n', Space: ' ', Tab: '\t', 'C-i': '\t' };

/** tmux: the subcommands that start a shell command run it later, in a server the call leaves behind. */
/** Each such subcommand with its options that take a value (the rest of its words are the command). */
const TMUX_RUNS = new Map<string, string>([
  ['new-session', 'cefFnstxy'], ['new', 'cefFnstxy'], ['new-window', 'cefFnst'], ['neww', 'cefFnst'], ['split-window', 'celFpt'],
  ['splitw', 'celFpt'], ['respawn-pane', 'cet'], ['respawnp', 'cet'], ['respawn-window', 'cet'], ['respawnw', 'cet'],
  ['run-shell', 'cdt'], ['run', 'cdt'], ['display-popup', 'bcdehsStTwxy'], ['popup', 'bcdehsStTwxy'], ['pipe-pane', 't'], ['pipep', 't']]);
const tmux: Wrapper = (rest, s) => {
  const g = parseOpts(rest, { posix: true, arg: 'cfLST', flags: [] });
  // `tmux -c CMD`: the shell command runs at once.
  const inline = values(g, 'c').pop();
  if (inline) return asShell([inline]);
  const [sub, ...more] = g.operands;
  // `send-keys "rm -rf x" Enter`: typed into a pane, where a shell usually reads it.
  if (sub && (sub.text === 'send-keys' || sub.text === 'send')) {
    const p = parseOpts(more, { posix: true, arg: 'Nt', long: [] });
    if (has(p, 'X')) return [];
    const text = p.operands.map((o) => (!has(p, 'l') && Object.hasOwn(KEY_TEXT, o.text) ? KEY_TEXT[o.text]! : /^(?:[CMS]-.|Escape|BSpace|Up|Down|Left|Right|Home|End|[FN]\d+|PageUp|PageDown|PPage|NPage|IC|DC)$/.test(o.text) && !has(p, 'l') ? '' : o.text)).join('');
    return text.trim() === '' ? [] : asShell([{ text, literal: p.operands[0]!.literal }]);
  }
  const arg = sub && TMUX_RUNS.get(sub.text);
  // Bare `tmux` is `tmux new-session`.
  if (arg === undefined) {
    if (!sub) s.out.shell = true;
    return [];
  }
  const p = parseOpts(more, { posix: true, arg, long: [] });
  // Its start directory: `-c DIR` (`-d DIR` for a popup).
  const dir = values(p, /^(?:display-popup|popup)$/.test(sub!.text) ? 'd' : 'c').pop();
  if (dir) s.out.cwd = dir;
  // A new session, window or pane without a command runs the default shell ($SHELL when absolute).
  if (p.operands.length === 0 && !/^(?:run-shell|run|pipe-pane|pipep)$/.test(sub!.text)) s.out.shell = true;
  return asShellOrArgv(p.operands);
};

/** screen [-dm] [-S name] CMD ARGS: the command runs in a session the call leaves behind. */
const screen: Wrapper = (rest, s) => {
  const p = parseOpts(rest, { posix: true, arg: 'ScehpstTX', long: [] });
  if (has(p, 'X', 'Q', 'r', 'R', 'x', 'ls', 'list')) return [];
  // No command: the session runs $SHELL.
  if (p.operands.length === 0) s.out.shell = true;
  return p.operands;
};

/**
 * script [-c CMD] [FILE]: CMD runs in a shell on a new terminal; FILE (default `typescript`) and the
 * log options are the output it writes.
 */
const script: Wrapper = (rest, s) => {
  const p = parseOpts(rest, {
    posix: false, arg: 'cEIOBTm', long: ['command', 'echo', 'log-in', 'log-out', 'log-io', 'log-timing', 'logging-format', 'output-limit'],
    flags: ['append', 'flush', 'force', 'quiet', 'return', 'timing'],
  });
  for (const v of values(p, 'I', 'log-in', 'O', 'log-out', 'B', 'log-io', 'T', 'log-timing')) s.emit('write', v, 'script');
  const file = p.operands[0] ?? (rest[0] ? synthetic('typescript', rest[0]) : undefined);
  if (file && !has(p, 'O', 'log-out', 'B', 'log-io')) s.emit('write', file, 'script');
  const cmd = values(p, 'c', 'command').pop();
  return cmd ? asShell([cmd]) : [];
};

/** systemd-run [options] CMD ARGS: run now or on a timer, as a transient unit. */
const systemdRun: Wrapper = (rest, s) => {
  const p = parseOpts(rest, {
    posix: true, arg: 'upEMHs',
    long: ['unit', 'property', 'description', 'slice', 'setenv', 'uid', 'gid', 'nice', 'working-directory', 'on-active', 'on-boot',
      'on-startup', 'on-unit-active', 'on-unit-inactive', 'on-calendar', 'on-timezone-change', 'on-clock-change', 'timer-property',
      'path-property', 'socket-property', 'service-type', 'machine', 'host', 'expand-environment'],
    flags: ['user', 'system', 'scope', 'pty', 'pipe', 'quiet', 'wait', 'collect', 'no-block', 'remain-after-exit', 'send-sighup', 'same-dir', 'shell'],
  });
  // `--working-directory=DIR`, `-p WorkingDirectory=DIR` (a leading `-` only ignores a missing one;
  // `~` is the home of the unit's user: a folder not known here).
  const prop = values(p, 'p', 'property').map((v) => /^\s*WorkingDirectory\s*=\s*-?(.*)$/s.exec(v.text)).filter((m) => m !== null).pop();
  const dir = values(p, 'working-directory').pop() ?? (prop ? { text: prop[1]!.replace(/^~(?=\/|$)/, U), literal: prop.input } : undefined);
  if (dir) s.out.cwd = dir;
  for (const e of values(p, 'E', 'setenv')) {
    const m = ASSIGN.exec(e.text);
    if (m) s.out.assigns.push([m[1]!, e.text.slice(m[0].length)]);
  }
  return p.operands;
};

/** at/batch TIME: the job is the script on standard input, or in `-f FILE`; run later by atd. */
const at: Wrapper = (rest) => {
  const p = parseOpts(rest, { posix: true, arg: 'qftM', long: [] });
  if (has(p, 'l', 'r', 'd', 'c')) return [];
  const file = values(p, 'f').pop();
  const like: Arg = rest[0] ?? { text: 'at', literal: 'at' };
  return file ? [synthetic('sh', like), file] : [synthetic('sh', like)];
};

const WRAPPERS: ReadonlyMap<string, Wrapper> = new Map<string, Wrapper>([
  ['watch', watch],
  ['tmux', tmux],
  ['screen', screen],
  ['script', script],
  ['systemd-run', systemdRun],
  ['at', at],
  ['batch', at],
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
  ['setsid', setsid],
  ['ionice', simple('cnpPu', ['class', 'classdata', 'pid', 'pgid', 'uid'], ['p', 'P', 'u', 'pid', 'pgid', 'uid'])],
  ['flock', flock],
  ['su', su],
  ['busybox', simple()],
]);

/** A wrapper this module unwraps (`nice`, `timeout`, `sudo`…). */
export function isWrapper(name: string): boolean {
  return WRAPPERS.has(name);
}

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
