// One setting of git's config files without following includes (`core.hooksPath` when the files
// cannot all be read by git-config-files.ts, which reads aliases and command settings with includes
// followed), and the `[alias]` entries of one text.
import fs from 'node:fs';
import path from 'node:path';
import { U } from './context.js';
import type { GitEnv, Repo } from './git-ctx.js';
import { processNodeOnTheWay } from '../../paths/normalize.js';

const MAX_CONFIG = 256 * 1024;

/** A config file's text: regular files only, bounded, opened without blocking (a FIFO must not stall). */
function readConfig(p: string): string | undefined {
  if (p.includes(U)) return undefined;
  let fd: number | undefined;
  try {
    // Through a per-process link it would be the guard's own file, not git's.
    if (processNodeOnTheWay(p) !== undefined) return undefined;
    fd = fs.openSync(p, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return undefined;
    const buf = Buffer.alloc(Math.min(st.size, MAX_CONFIG));
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    return buf.subarray(0, n).toString('utf8');
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** The `[alias]` entries of one config text (git's syntax: quotes, escapes, comments, continuations). */
export function aliasesIn(text: string, into: Map<string, string>): void {
  entriesIn(text, 'alias', (key, value) => into.set(key, value));
}

/** Each `key = value` of `section` in one config text, in order (keys in lower case). */
function entriesIn(text: string, wanted: string, each: (key: string, value: string) => void): void {
  let section = '';
  const lines = text.replace(/\\\r?\n/g, '').split(/\r?\n/);
  for (const raw of lines) {
    const line = raw.trim();
    const head = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"(?:[^"\\]|\\.)*")?\s*\]\s*(.*)$/.exec(line);
    let rest = line;
    if (head) {
      section = head[1]!.toLowerCase();
      rest = head[2]!.trim();
      if (rest === '') continue;
    }
    if (section !== wanted) continue;
    const kv = /^([A-Za-z][A-Za-z0-9-]*)\s*(?:=\s*(.*))?$/.exec(rest);
    if (!kv) continue;
    each(kv[1]!.toLowerCase(), configValue(kv[2] ?? 'true'));
  }
}

/** A value as git reads it: quotes removed, `\"`, `\\`, `\n`, `\t` escapes, `#`/`;` comments outside quotes. */
function configValue(v: string): string {
  let out = '';
  let quoted = false;
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === '"') quoted = !quoted;
    else if (c === '\\' && i + 1 < v.length) {
      const n = v[++i]!;
      out += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'b' ? '\b' : n;
    } else if (!quoted && (c === '#' || c === ';')) break;
    else out += c;
  }
  return out.trim();
}

/**
 * The last value of `section.key` in git's config files (system, global, the repository's), as git
 * would read it; `uncertain` when a file includes others (`[include]`, not followed here) or cannot
 * be read as it will be (a file this call writes: `written`).
 */
export function configSetting(repo: Repo | undefined, home: string, env: GitEnv, section: string, key: string, written: (file: string) => boolean): { value?: string; uncertain: boolean } {
  let value: string | undefined;
  let uncertain = false;
  for (const f of configFileList(repo, home, env)) {
    if (f.includes(U) || written(f)) {
      uncertain = true;
      continue;
    }
    const text = readConfig(f);
    if (text === undefined) continue;
    if (/^\s*\[\s*include/im.test(text)) uncertain = true;
    entriesIn(text, section, (k, v) => {
      if (k === key) value = v;
    });
  }
  return { ...(value !== undefined ? { value } : {}), uncertain };
}

/** git's config files for a command in `repo`, lowest precedence first (system, global, local). */
export function configFileList(repo: Repo | undefined, home: string, env: GitEnv): string[] {
  const files: string[] = [];
  if (env('GIT_CONFIG_NOSYSTEM') === undefined) files.push(env('GIT_CONFIG_SYSTEM') ?? '/etc/gitconfig');
  const global = env('GIT_CONFIG_GLOBAL');
  if (global !== undefined) files.push(global);
  else {
    const xdg = env('XDG_CONFIG_HOME');
    files.push(path.posix.join(xdg && xdg.startsWith('/') ? xdg : path.posix.join(home, '.config'), 'git/config'), path.posix.join(home, '.gitconfig'));
  }
  if (repo) files.push(path.posix.join(repo.commonDir, 'config'), path.posix.join(repo.gitDir, 'config.worktree'));
  return files;
}
