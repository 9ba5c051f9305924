// Commands that run other commands the shell analysis does not open: `parallel`, `watch`,
// `script -c`, `tmux`/`screen`, `strace`, `taskset`, a program it does not know at all (`tsp git
// push -f`), and `ssh HOST CMD`, which runs CMD on another machine. Command rules judge what
// they run: a command rules name, found among the arguments, with the words after it; a
// runner's shell text (`watch 'git push -f'`, `parallel 'rm -rf {}' ::: /srv/a`) as a script.
// The targets of what they run are the path guard's business (it treats these commands as
// unknown: their operands may be written), so the analysis here collects commands only.
import path from 'node:path';
import type { Budget } from '../types.js';
import { U } from '../targets/shell/context.js';
import { shellTargets } from '../targets/shell/index.js';
import { unparsable } from '../targets/shell/parse.js';
import type { SeenCommand } from '../targets/shell/seen.js';

export interface RunnerContext {
  home: string;
  env: Record<string, string | undefined>;
  budget: Budget;
  maxDepth: number;
  /** Whether a rule names this command (the words after such a word may be what is run). */
  named(name: string): boolean;
}

/** What a runner runs: shell text, on this machine or another one, or below a new root (`chroot DIR`). */
export interface Ran { commands: SeenCommand[]; remote?: boolean; root?: string }

/** Known programs that run their operands (as argv, or as shell text when one word). */
const ARGV_RUNNERS = new Set(['watch', 'strace', 'ltrace', 'unbuffer', 'caffeinate', 'taskset', 'chrt', 'numactl', 'prlimit', 'cpulimit',
  'proxychains', 'proxychains4', 'torsocks', 'tsocks', 'fakeroot', 'xvfb-run', 'dbus-run-session', 'systemd-run', 'runuser', 'sg', 'unshare',
  'firejail', 'tsp', 'nq', 'parallel', 'sem', 'script', 'tmux', 'screen', 'ssh', 'chroot', 'catchsegv', 'valgrind', 'gdb', 'eatmydata',
  // Package runners run a tool by name (`npx prisma migrate reset`, `pnpm exec …`, `yarn …`).
  'npx', 'pnpx', 'bunx', 'npm', 'pnpm', 'yarn', 'bun', 'uvx', 'pipx', 'poetry', 'uv', 'pipenv', 'bundle']);

/** Runners whose one-word operands are shell text (`watch 'cmd'`, `tmux new 'cmd'`, `script -c 'cmd'`, `parallel 'cmd {}'`). */
const SCRIPT_RUNNERS = new Set(['watch', 'script', 'tmux', 'screen', 'parallel', 'sem', 'sg', 'runuser', 'xvfb-run', 'nq', 'tsp']);

/** ssh options that take a value (OpenSSH); `ssh [opts] HOST [opts] CMD...` runs CMD in the remote shell. */
const SSH_VALUES = new Set(['-B', '-b', '-c', '-D', '-E', '-e', '-F', '-I', '-i', '-J', '-L', '-l', '-m', '-O', '-o', '-p', '-Q', '-R', '-S', '-W', '-w']);

const PACKAGE_MANAGERS = new Set(['npm', 'pnpm', 'yarn', 'bun', 'pipx', 'uv', 'poetry', 'pipenv', 'bundle']);
const PACKAGE_VERBS = new Set(['install', 'i', 'add', 'remove', 'rm', 'uninstall', 'un', 'update', 'up', 'upgrade', 'info', 'view', 'show', 'why',
  'ls', 'list', 'outdated', 'audit', 'publish', 'pack', 'link', 'unlink', 'init', 'create', 'search', 'dedupe', 'prune', 'ci', 'inject', 'pip', 'lock', 'sync']);

const MAX_CANDIDATES = 8;
const MAX_INPUTS = 16;

const quote = (s: string): string => `'${s.split("'").join("'\\''")}'`;

export function runsOther(c: SeenCommand): boolean {
  return c.unknownProgram === true || ARGV_RUNNERS.has(c.name) || SCRIPT_RUNNERS.has(c.name);
}

/** The commands `c` runs, as far as command rules are concerned. */
export function ranBy(c: SeenCommand, ctx: RunnerContext): Ran | undefined {
  if (!runsOther(c)) return undefined;
  const words = c.args.map((a) => a.text);
  if (c.name === 'ssh') return ssh(c, words, ctx);
  // `parallel --dry-run` prints the commands it would run.
  if ((c.name === 'parallel' || c.name === 'sem') && (words.includes('--dry-run') || words.includes('--dryrun'))) return undefined;
  // `npm install dropdb` names a package, not a command that runs.
  if (PACKAGE_MANAGERS.has(c.name) && PACKAGE_VERBS.has(words.find((w) => !w.startsWith('-')) ?? '')) return undefined;
  const scripts: string[] = [];
  // A rule-named command among the words, with the words after it (`taskset 3 git push -f`).
  let found = 0;
  for (let i = 0; i < words.length && found < MAX_CANDIDATES; i++) {
    const w = words[i]!;
    const b = path.posix.basename(w);
    // A rule-named command, or another runner (`some-tool script -c '…'`): analyzed from there.
    if (w.includes(U) || !(ctx.named(b) || ARGV_RUNNERS.has(b) || SCRIPT_RUNNERS.has(b))) continue;
    scripts.push(words.slice(i).map(quote).join(' '));
    found++;
  }
  if (SCRIPT_RUNNERS.has(c.name)) {
    if (c.name === 'parallel' || c.name === 'sem') scripts.push(...parallel(words));
    else for (const w of words) if (/\s/.test(w) && !w.startsWith('-')) scripts.push(w.replace(/\\n|\n/g, '\n'));
  }
  if (scripts.length === 0) return undefined;
  // `chroot DIR CMD`: CMD's paths are below DIR (its own `/` is DIR).
  const root = c.name === 'chroot' ? words.find((w) => !w.startsWith('-')) : undefined;
  return { commands: scripts.flatMap((s) => analyzed(s, root === undefined ? c.cwd : '/', ctx.home, ctx.env, ctx)), ...(root !== undefined ? { root } : {}) };
}

/**
 * GNU parallel: the command words before `:::` joined into shell text, each input put in place of
 * `{}`, `{1}`, `{.}`… or appended; no command words: each input is a command. Inputs from stdin
 * or a file are not known.
 */
function parallel(words: string[]): string[] {
  const sep = words.findIndex((w) => /^::::?\+?$/.test(w));
  const head = sep < 0 ? words : words.slice(0, sep);
  // Options come first; the first word that is not one starts the command.
  let k = 0;
  while (k < head.length && head[k]!.startsWith('-')) k += /^-[jPSadnNLlCE]$|^--(jobs|max-procs|sshlogin|arg-file|delimiter|colsep|max-args|max-lines|joblog|results|timeout|delay|retries|tmpdir|workdir|wd|env|halt|memfree|load|nice|basefile|return|tag-string|rpl|block|header|termseq|limit|replace|sshloginfile)$/.test(head[k]!) ? 2 : 1;
  const template = head.slice(k).join(' ');
  const inputs = sep < 0 ? [U] : words.slice(sep + 1).filter((w) => !/^::::?\+?$/.test(w)).slice(0, MAX_INPUTS);
  if (template === '') return inputs.filter((i) => !i.includes(U));
  return inputs.map((input) => (/\{[^}\s]*\}/.test(template) ? template.replace(/\{[^}\s]*\}/g, quote(input)) : `${template} ${quote(input)}`));
}

/** `ssh HOST CMD…`: CMD is shell text for the remote shell, judged as run on another machine. */
function ssh(c: SeenCommand, words: string[], ctx: RunnerContext): Ran | undefined {
  let i = 0;
  let host: string | undefined;
  for (; i < words.length; i++) {
    const w = words[i]!;
    if (w === '--') {
      i++;
      if (host === undefined) host = words[i++];
      break;
    }
    if (w.startsWith('-') && w.length > 1) {
      if (SSH_VALUES.has(w)) i++;
      continue;
    }
    if (host !== undefined) break;
    host = w;
  }
  const text = words.slice(i).join(' ');
  if (host === undefined || text.trim() === '' || words.includes('-N')) return undefined;
  // The remote shell starts in the remote user's home, which is not this machine's.
  return { commands: analyzed(text, REMOTE_HOME, REMOTE_HOME, {}, ctx), remote: true };
}

/** Where the remote shell's home is taken to be (a folder of no local project). */
export const REMOTE_HOME = '/nonexistent-remote-home';

function analyzed(script: string, cwd: string, home: string, env: Record<string, string | undefined>, ctx: RunnerContext): SeenCommand[] {
  const seen: SeenCommand[] = [];
  try {
    shellTargets(script, { cwd, home, env, budget: ctx.budget, maxDepth: ctx.maxDepth, walkEntries: 1000, commands: seen });
  } catch (e) {
    // Text no shell can parse runs nothing (the runner fails too); the budget's end is the call's.
    if (!unparsable(e)) throw e;
  }
  return seen;
}
