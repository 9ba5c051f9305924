// `crontab FILE` / `crontab -` installs a table whose commands cron runs later, as this user, from
// the home directory with a plain environment: `echo '* * * * * echo x >> ~/.bashrc' | crontab -`
// writes `~/.bashrc` a minute later. Like `at` (wrappers.ts), the commands are the call's own: each
// one is read from the table (as it is on disk, or the standard input the call gives) and walked
// like `sh -c` text. A table the guard cannot read (`crontab -e`, a file this call writes first, an
// unknown standard input) may run anything: an unresolved write.
import { unparsable } from './parse.js';
import { U, feedStdin, joinPath, type Frame } from './context.js';
import { runScript, scriptText } from './nested.js';
import { has, parseOpts } from './options.js';
import type { Scope } from './scope.js';
import type { Arg, Out } from './types.js';

/** `VAR = value` lines of a table: the environment of the commands below them. */
const ENV_LINE = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;
/** `@reboot CMD`, `@daily CMD`...: a nickname instead of the five time fields. */
const NICKNAME = /^\s*@[a-z]+\s+(.*)$/;
/** Five time fields, then the command (the rest of the line). */
const FIELDS = /^\s*(?:\S+\s+){5}(.*)$/;

/** The commands of a table, each with the variables set above it; `%` (unescaped) ends a command: the rest is its standard input. */
export function cronCommands(table: string): { command: string; env: [string, string][] }[] {
  const out: { command: string; env: [string, string][] }[] = [];
  const env: [string, string][] = [];
  for (const line of table.split('\n')) {
    if (/^\s*(#|$)/.test(line)) continue;
    // cron tries a line as an assignment first (a schedule starts with a time field, never a name and `=`).
    const e = ENV_LINE.exec(line);
    if (e) {
      env.push([e[1]!, e[2]!.trim().replace(/^(['"])(.*)\1$/, '$2')]);
      continue;
    }
    const m = NICKNAME.exec(line) ?? FIELDS.exec(line);
    if (!m) continue; // not a schedule: cron refuses the table
    let command = '';
    const text = m[1]!;
    for (let i = 0; i < text.length; i++) {
      if (text[i] === '\\' && text[i + 1] === '%') {
        command += '%';
        i++;
      } else if (text[i] === '%') break;
      else command += text[i];
    }
    out.push({ command, env: [...env] });
  }
  return out;
}

/** crontab [-u USER] [FILE | -], -l, -r, -e: the commands of the table it installs. */
export function crontab(first: Arg, args: Arg[], sc: Scope, fr: Frame): Out {
  const p = parseOpts(args, { posix: true, arg: 'uc', long: [] });
  if (has(p, 'l', 'r', 'V', 'h')) return null; // list, remove, version: no command installed
  const home = fr.run.home;
  let text: string | 'missing' | undefined;
  if (has(p, 'e')) text = undefined; // edited by hand: anything
  else {
    const file = p.operands[0];
    if (!file || file.text === '-') {
      text = typeof fr.stdin === 'string' ? fr.stdin : fr.stdin === null && fr.stdinFile ? scriptText(fr, fr.stdinFile) : undefined;
    } else if (!file.text.includes(U) && !sc.cwd.includes(U)) text = scriptText(fr, joinPath(sc.cwd, file.text));
  }
  if (text === 'missing') return null; // crontab fails: nothing installed
  if (text !== undefined) {
    try {
      for (const { command, env } of cronCommands(text)) {
        // cron runs each command with /bin/sh in the home directory, with the table's variables.
        const at = sc.child();
        at.cwd = home;
        for (const [k, v] of env) at.set(k, v);
        runScript(command, at, feedStdin(fr, undefined), `crontab ${first.literal}`);
      }
      return null;
    } catch (e) {
      if (!unparsable(e)) throw e;
    }
  }
  fr.run.emit('write', { text: U, literal: first.literal, opaque: true }, home, 'crontab (commands not known)', true);
  return null;
}
