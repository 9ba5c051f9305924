// Where `~`, $HOME and the XDG base directories point, for rule bases and config lookup.
// HOME comes from the hook's environment, which the agent's host passes on: an empty or relative
// value (`HOME=`, `HOME=.`) would anchor `~/.ssh/**` to nothing or to the working directory, so such
// a value is ignored and the account's home from the system's user database is used instead.
import * as fs from 'node:fs';
import * as os from 'node:os';
import { GuardError } from '../types.js';

/** A path that names the same place from any working directory (posix `/x`, win32 `C:/x`, `//srv/x`). */
export function isAbsoluteSpelling(p: string | undefined): p is string {
  return !!p && (p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(p));
}

let account: string | null | undefined;
/** The account's home from the user database (not $HOME); null when there is none. Read once: it does not change. */
export function accountHome(): string | null {
  if (account === undefined) {
    try {
      const h = os.userInfo().homedir;
      account = isAbsoluteSpelling(h) ? h : null;
    } catch {
      account = null; // no passwd entry (a container's arbitrary uid)
    }
  }
  return account;
}

/**
 * The homes rules under `~` cover: HOME when it is absolute, and the account's home (tools such
 * as ssh read ~/.ssh from the user database, whatever HOME says). The first is the one shown in
 * messages and used for config lookup. Throws GuardError when neither exists: fail closed.
 */
export function homesOf(home: string | undefined): string[] {
  const out: string[] = [];
  if (isAbsoluteSpelling(home)) out.push(trimSlash(home));
  const acc = accountHome();
  if (acc !== null && !out.includes(trimSlash(acc))) out.push(trimSlash(acc));
  if (out.length === 0) throw new GuardError(`no home directory: HOME ${JSON.stringify(home ?? '')} is not absolute and the account has none`, 'config');
  return out;
}

/** XDG base directories for one home; a relative value is invalid (XDG spec) and ignored. */
export function xdgDir(name: 'XDG_CONFIG_HOME' | 'XDG_STATE_HOME', home: string, env: Record<string, string | undefined>): string {
  const v = env[name];
  if (isAbsoluteSpelling(v)) return v;
  return `${trimSlash(home)}/${name === 'XDG_CONFIG_HOME' ? '.config' : '.local/state'}`;
}

/** Every place the XDG directory can be for these homes: $XDG_* when valid, and the default under each home. */
export function xdgDirs(name: 'XDG_CONFIG_HOME' | 'XDG_STATE_HOME', homes: readonly string[], env: Record<string, string | undefined>): string[] {
  const out = new Set<string>();
  for (const h of homes) {
    out.add(xdgDir(name, h, env));
    out.add(xdgDir(name, h, {}));
  }
  return [...out];
}

function trimSlash(p: string): string {
  return p.length > 1 ? p.replace(/[\\/]+$/, '') || p.slice(0, 1) : p;
}

let accountName: string | null | undefined;
/** The account's login name from the user database; null when there is none. Read once. */
function accountUser(): string | null {
  if (accountName === undefined) {
    try {
      accountName = os.userInfo().username || null;
    } catch {
      accountName = null;
    }
  }
  return accountName;
}

/** Bytes of /etc/passwd read at most (a local file; larger ones are not looked through). */
const MAX_PASSWD = 1 << 20;

/**
 * The home `~name` names, as bash's tilde expansion finds it (getpwnam): the account's own from
 * the user database, another account's from /etc/passwd. null when /etc/passwd does not hold the
 * name: bash then keeps `~name` as written, unless another source of the user database (LDAP,
 * systemd-homed) knows it, which the guard cannot ask.
 */
export function userHome(name: string, passwd = '/etc/passwd'): string | null {
  if (name === accountUser()) return accountHome();
  let text: string;
  try {
    const fd = fs.openSync(passwd, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    try {
      if (!fs.fstatSync(fd).isFile()) return null;
      const buf = Buffer.alloc(MAX_PASSWD);
      text = buf.subarray(0, fs.readSync(fd, buf, 0, MAX_PASSWD, 0)).toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return null;
  }
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f[0] === name && f.length >= 7 && isAbsoluteSpelling(f[5])) return f[5]!;
  }
  return null;
}
