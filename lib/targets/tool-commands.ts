// Shell commands in the arguments of a tool the guard has no extractor for (an MCP server's
// `execute_command {"command": "…"}`, `run {"cmd": ["sh", "-c", "…"]}`, a tool a host adds later).
// A command there is not a path, and the argument walk (args.ts) took no string with blanks for
// one: `{"command": "echo x > .env"}` was allowed. Such a string is read as the shell text it is
// most likely to be, with its targets and commands judged like a shell call's, in the folder the
// tool's own `cwd`/`workdir` argument names. Text that is not shell the guard can read (another
// language, too deep, too large) still counts: each word of it that looks like a path is written.
import { unparsable } from './shell/parse.js';
import * as path from 'node:path';
import { GuardError, type RawTarget } from '../types.js';
import { keyOf, pathLike } from './args.js';
import type { ShellOptions } from './shell/index.js';

/** Keys whose string (or array of words) is a command line a tool runs. */
const COMMAND_KEYS: ReadonlySet<string> = new Set([
  'command', 'commands', 'cmd', 'cmds', 'cmdline', 'commandline', 'script', 'scripts', 'shell', 'shellcommand',
  'bash', 'sh', 'zsh', 'run', 'exec', 'execute', 'argv',
]);
/** Keys naming the folder the command runs in. */
const CWD_KEYS: ReadonlySet<string> = new Set(['cwd', 'workdir', 'workingdirectory', 'workingdir', 'dir', 'directory']);
/** Command strings judged per call: more cannot be judged. */
const MAX_COMMANDS = 64;
const MAX_DEPTH = 32;

/** A word as bash reads it back: single-quoted unless it needs no quoting. */
const quoted = (w: string): string => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`);

interface Found { text: string; cwd: string; field: string }

/** Every command string in `input` (at any depth), with the folder it runs in. */
function commandsIn(tool: string, input: Record<string, unknown>, base: string): Found[] {
  const out: Found[] = [];
  const walk = (value: unknown, field: string, depth: number, cwd: string): void => {
    if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return;
    if (Array.isArray(value)) {
      value.forEach((v, i) => walk(v, `${field}[${i}]`, depth + 1, cwd));
      return;
    }
    const obj = value as Record<string, unknown>;
    let here = cwd;
    for (const k in obj) {
      const v = obj[k];
      if (Object.hasOwn(obj, k) && CWD_KEYS.has(keyOf(k)) && typeof v === 'string' && v !== '') here = path.resolve(cwd, v);
    }
    for (const k in obj) {
      if (!Object.hasOwn(obj, k)) continue;
      const v = obj[k];
      const at = field ? `${field}.${k}` : k;
      if (COMMAND_KEYS.has(keyOf(k))) {
        // An array is an argv (`["sh", "-c", "…"]`) or a list of command lines (`"commands": ["npm
        // test", "…"]`): judged both ways.
        const texts = typeof v === 'string' ? [v]
          : Array.isArray(v) && v.length > 0 && v.every((w) => typeof w === 'string') ? [(v as string[]).map(quoted).join(' '), ...(v.length > 1 ? v as string[] : [])]
            : [];
        for (const text of texts) {
          if (text.trim() === '') continue;
          if (out.length >= MAX_COMMANDS) throw new GuardError(`${tool} tool_input holds more than ${MAX_COMMANDS} commands`, 'tool_input');
          out.push({ text, cwd: here, field: at });
        }
      }
      walk(v, at, depth + 1, here);
    }
  };
  walk(input, '', 0, base);
  return out;
}

/** Words of a text split where the shell would split or end them, that look like paths. */
function pathWords(text: string): string[] {
  return text.split(/[\s;&|<>()`$"'{}]+/).filter((w) => pathLike(w) !== undefined);
}

/**
 * Targets of the commands in a tool's arguments, read with `shell` (lib/targets/shell). A text the
 * shell reader cannot judge gives its path-like words as written targets instead.
 */
export function toolCommandTargets(
  tool: string, input: Record<string, unknown>, base: string, opts: Omit<ShellOptions, 'cwd'>,
  shell: (command: string, opts: ShellOptions) => RawTarget[],
): RawTarget[] {
  const out: RawTarget[] = [];
  for (const c of commandsIn(tool, input, base)) {
    let targets: RawTarget[];
    try {
      targets = shell(c.text, { ...opts, cwd: c.cwd });
    } catch (err) {
      // Text that is not shell at all (SQL, another language): its path-like words. Shell that is
      // too deep or too large to check is judged as in a shell call: it blocks.
      if (!unparsable(err) || !err.message.startsWith('cannot parse shell command') || /nested too deeply/.test(err.message)) throw err;
      targets = pathWords(c.text).map((w) => ({ op: 'write' as const, path: w, base: c.cwd, via: `${tool} ${c.field}`, literal: w }));
    }
    for (const t of targets) out.push({ ...t, via: `${tool} ${c.field}: ${t.via}` });
  }
  return out;
}
