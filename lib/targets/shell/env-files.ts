// Files a program writes because a variable of its environment names them, not an argument:
// `GIT_TRACE=$HOME/.ssh/authorized_keys git log -1 $'\nssh-ed25519 KEY\n'` appends a line the
// model chose to authorized_keys; `SSLKEYLOGFILE=.env curl …` appends to .env;
// `HISTFILE=.env; history -w` rewrites it; `TMPDIR=~/.ssh mktemp` creates a file there.
// The variables are data; a value the command itself sets (a prefix assignment, `export`, an
// assignment earlier in the command) is a write target of every command it reaches. An inherited
// value is the user's own setting, the same for every call, and is not a target.
import { UNRESOLVED_SEGMENT as U } from '../../types.js';
import type { Scope } from './scope.js';
import type { Assigns } from './types.js';

/**
 * How a variable names a file: `absolute`: only an absolute path is a file (git reads `1`, `2`,
 * `true` as standard error and ignores relative values); `path`: any value, against the cwd;
 * `dir`: a folder the program creates a new file in.
 */
type Kind = 'absolute' | 'path' | 'dir';

/** Read by any program (git runs under make, npm, IDE helpers; every TLS library reads SSLKEYLOGFILE). */
const ANY_COMMAND: Record<string, Kind> = {
  GIT_TRACE: 'absolute', GIT_TRACE2: 'absolute', GIT_TRACE2_EVENT: 'absolute', GIT_TRACE2_PERF: 'absolute',
  GIT_TRACE_PACKET: 'absolute', GIT_TRACE_PACKFILE: 'absolute', GIT_TRACE_PACK_ACCESS: 'absolute', GIT_TRACE_PERFORMANCE: 'absolute',
  GIT_TRACE_SETUP: 'absolute', GIT_TRACE_CURL: 'absolute', GIT_TRACE_SHALLOW: 'absolute', GIT_TRACE_FSMONITOR: 'absolute',
  GIT_TRACE_REFS: 'absolute', SSLKEYLOGFILE: 'path',
};

/** Read by one program (its history file, its temporary folder). */
const PER_COMMAND: Record<string, Record<string, Kind>> = {
  history: { HISTFILE: 'path' },
  less: { LESSHISTFILE: 'path' },
  node: { NODE_REPL_HISTORY: 'path' }, nodejs: { NODE_REPL_HISTORY: 'path' },
  python: { PYTHON_HISTORY: 'path' }, python3: { PYTHON_HISTORY: 'path' },
  sqlite3: { SQLITE_HISTORY: 'path' },
  mysql: { MYSQL_HISTFILE: 'path' }, mariadb: { MYSQL_HISTFILE: 'path' },
  psql: { PSQL_HISTORY: 'path' },
  'redis-cli': { REDISCLI_HISTFILE: 'path' },
  mktemp: { TMPDIR: 'dir' }, tempfile: { TMPDIR: 'dir' },
  // Folders a package manager installs into, with names the packages choose.
  pip: { PIP_TARGET: 'dir', PIP_PREFIX: 'dir' }, pip3: { PIP_TARGET: 'dir', PIP_PREFIX: 'dir' },
  go: { GOBIN: 'dir', GOPATH: 'dir' }, npm: { npm_config_prefix: 'dir', NPM_CONFIG_PREFIX: 'dir' },
  pnpm: { PNPM_HOME: 'dir', npm_config_global_dir: 'dir', npm_config_global_bin_dir: 'dir', npm_config_modules_dir: 'dir' },
  yarn: { YARN_GLOBAL_FOLDER: 'dir', YARN_PREFIX: 'dir', YARN_MODULES_FOLDER: 'dir', npm_config_prefix: 'dir' },
  bun: { BUN_INSTALL: 'dir', BUN_INSTALL_GLOBAL_DIR: 'dir', BUN_INSTALL_BIN: 'dir' },
  pipx: { PIPX_HOME: 'dir', PIPX_BIN_DIR: 'dir', PIPX_MAN_DIR: 'dir' },
  composer: { COMPOSER_HOME: 'dir', COMPOSER_VENDOR_DIR: 'dir', COMPOSER_BIN_DIR: 'dir' },
  gem: { GEM_HOME: 'dir' }, bundle: { BUNDLE_PATH: 'dir', BUNDLE_BIN: 'dir', GEM_HOME: 'dir' },
  uv: { UV_TOOL_DIR: 'dir', UV_TOOL_BIN_DIR: 'dir', UV_CACHE_DIR: 'dir', UV_INSTALL_DIR: 'dir' },
  deno: { DENO_INSTALL_ROOT: 'dir' }, cargo: { CARGO_INSTALL_ROOT: 'dir', CARGO_HOME: 'dir' },
};

const NOT_A_FILE = /^(?:[0-9]|true|false|yes|no|on|off)$/i;

/**
 * The files `name` writes through variables the command set. `all`: the command's prefix
 * assignments (last wins); `sc`: the shell state it runs in.
 */
export function envFiles(name: string, sc: Scope, all: Assigns, emit: (text: string, via: string, given: boolean) => void): void {
  // `given`: the value starts with unknown text given from outside the command (Scope.given).
  const value = (v: string): { x: string; given: boolean } | undefined => {
    for (let k = all.length - 1; k >= 0; k--) if (all[k]![0] === v) return { x: all[k]![1], given: all[k]![2] === true };
    const own = sc.assignedValue(v);
    return typeof own === 'string' ? { x: own, given: sc.given(v) } : undefined;
  };
  const one = (v: string, kind: Kind): void => {
    const got = value(v);
    if (got === undefined) return;
    const { x, given } = got;
    if (x === '' || NOT_A_FILE.test(x)) return;
    if (kind === 'absolute' && !x.startsWith('/') && !x.startsWith(U)) return;
    emit(kind === 'dir' ? `${x}/${U}` : x, `$${v} of ${name}`, given);
  };
  for (const [v, kind] of Object.entries(ANY_COMMAND)) one(v, kind);
  const own = Object.hasOwn(PER_COMMAND, name) ? PER_COMMAND[name]! : undefined;
  if (own) for (const [v, kind] of Object.entries(own)) one(v, kind);
}

/**
 * Agents that read their hooks from config the environment locates: started by the command with
 * another such place (`CODEX_HOME=$(mktemp -d) codex exec …`, `CLAUDE_CONFIG_DIR=/tmp/x claude -p`,
 * `env -i claude -p`), the nested agent runs with none of this guard's hooks.
 */
const AGENT_CONFIG: Record<string, readonly string[]> = {
  codex: ['CODEX_HOME', 'HOME'],
  claude: ['CLAUDE_CONFIG_DIR', 'HOME'],
};

/** The variable by which the command moves `name`'s config away, or undefined. */
export function otherAgentConfig(name: string, sc: Scope, all: Assigns, cleared: (v: string) => boolean): string | undefined {
  const vars = Object.hasOwn(AGENT_CONFIG, name) ? AGENT_CONFIG[name]! : [];
  return vars.find((v) => cleared(v) || all.some(([k]) => k === v) || sc.assignedValue(v) !== undefined);
}

/** ssh options (`-o Key=Value`) naming a file the client writes: known host keys, the control socket. */
const SSH_WRITES = new Set(['userknownhostsfile', 'controlpath']);
const SSH_CLIENTS = new Set(['ssh', 'scp', 'sftp', 'autossh']);

/**
 * The files `ssh -o UserKnownHostsFile=F` (the first of its list) and `-o ControlPath=F` write:
 * `ssh -o UserKnownHostsFile=~/.ssh/authorized_keys -o StrictHostKeyChecking=accept-new host` appends a
 * line the server chooses to authorized_keys.
 */
export function sshOptionFiles(name: string, args: readonly { text: string }[], emit: (text: string, via: string) => void): void {
  if (!SSH_CLIENTS.has(name)) return;
  for (let k = 0; k < args.length; k++) {
    const t = args[k]!.text;
    if (t === '--') break;
    const v = t === '-o' ? args[++k]?.text : t.startsWith('-o') ? t.slice(2) : undefined;
    if (v === undefined) continue;
    const m = /^\s*([A-Za-z]+)\s*(?:=\s*|\s+)(.*)$/s.exec(v);
    if (!m || !SSH_WRITES.has(m[1]!.toLowerCase())) continue;
    const file = m[2]!.trim().split(/\s+/)[0];
    if (file && file.toLowerCase() !== 'none') emit(file, `${name} -o ${m[1]}`);
  }
}

/**
 * Variables whose value a program runs as a command (`sh -c "$PAGER"`): `PAGER='sh -c …' man ls`,
 * `EDITOR=… crontab -e`, `BROWSER=… xdg-open URL`. Like the files above, only values the command
 * itself set: an inherited one is the user's own.
 */
const COMMAND_VARS = ['PAGER', 'MANPAGER', 'SYSTEMD_PAGER', 'PSQL_PAGER', 'AWS_PAGER', 'GH_PAGER', 'BAT_PAGER', 'EDITOR', 'VISUAL',
  'SYSTEMD_EDITOR', 'SUDO_EDITOR', 'KUBE_EDITOR', 'GH_EDITOR', 'PSQL_EDITOR', 'FCEDIT', 'BROWSER', 'SUDO_ASKPASS', 'SSH_ASKPASS',
  'LESSCLOSE', 'TERMINAL', 'DIFFPROG', 'MERGE'];
/** Variables naming libraries the dynamic loader puts into every program the command starts. */
const LOADER_VARS = ['LD_PRELOAD', 'LD_AUDIT', 'LD_LIBRARY_PATH', 'GCONV_PATH', 'LD_ORIGIN_PATH'];

export interface EnvCode {
  /** Shell text a program may run. */
  shell(text: string, via: string): void;
  /** A program run by its name or path (`$SHELL -c …`). */
  program(path: string, via: string): void;
  /** Code the guard cannot read (a library, a value not known). */
  opaque(via: string): void;
}

/**
 * Variables that move a program's configuration, whose options may make it write any file or run
 * code (`CURL_HOME=. curl …` reads ./.curlrc: `output = ~/.bashrc`): set by the command, the
 * configuration is not read here, so what the program writes is not known.
 */
const CONFIG_VARS: Record<string, string[]> = {
  curl: ['CURL_HOME', 'XDG_CONFIG_HOME', 'HOME'], wget: ['WGETRC', 'SYSTEM_WGETRC', 'HOME'], psql: ['PSQLRC', 'HOME'],
  mysql: ['MYSQL_HOME', 'HOME'], mariadb: ['MYSQL_HOME', 'HOME'], sqlite3: ['HOME'],
  // A configuration that loads engines and providers (shared libraries), and the folders they are found in.
  openssl: ['OPENSSL_CONF', 'OPENSSL_ENGINES', 'OPENSSL_MODULES'],
};

/** Variables holding options a program reads as if given on its command line. */
const OPTION_VARS: Record<string, string[]> = { tar: ['TAR_OPTIONS'], zip: ['ZIPOPT'], unzip: ['UNZIP'], zipinfo: ['ZIPINFO'], gzip: ['GZIP'] };

/** The code that variables the command set make the programs it starts run. */
export function envCode(name: string, sc: Scope, all: Assigns, c: EnvCode): void {
  const value = (v: string): string | undefined => {
    for (let k = all.length - 1; k >= 0; k--) if (all[k]![0] === v) return all[k]![1];
    const own = sc.assignedValue(v);
    return typeof own === 'string' ? own : undefined;
  };
  for (const v of COMMAND_VARS) {
    const x = value(v);
    if (x === undefined || x === '') continue;
    if (x.includes(U)) c.opaque(`$${v}: a command not known`);
    else c.shell(`${x} FILE`, `$${v}`);
  }
  const shell = value('SHELL');
  if (shell !== undefined && shell !== '') {
    if (shell.includes(U)) c.opaque('$SHELL: a program not known');
    else c.program(shell, '$SHELL');
  }
  // Options a program takes from its environment (`TAR_OPTIONS='--to-command=…' tar -x`): not read here.
  for (const v of Object.hasOwn(OPTION_VARS, name) ? OPTION_VARS[name]! : []) {
    const x = value(v);
    if (x !== undefined && x !== '') c.opaque(`$${v}: options of ${name} not read`);
  }
  // rsync runs RSYNC_RSH (and RSYNC_CONNECT_PROG) on this machine.
  if (name === 'rsync') {
    for (const v of ['RSYNC_RSH', 'RSYNC_CONNECT_PROG']) {
      const x = value(v);
      if (x !== undefined && x !== '') {
        if (x.includes(U)) c.opaque(`$${v}: a command not known`);
        else c.shell(`${x} host rsync`, `$${v}`);
      }
    }
  }
  for (const v of Object.hasOwn(CONFIG_VARS, name) ? CONFIG_VARS[name]! : []) {
    const x = value(v);
    if (x !== undefined && x !== '') c.opaque(`$${v}: ${name} reads a configuration not known`);
  }
  for (const v of LOADER_VARS) {
    const x = value(v);
    // Library folders of the system (`LD_LIBRARY_PATH=/usr/local/lib`) hold no code the call chose.
    if (v === 'LD_LIBRARY_PATH' && x !== undefined && !x.includes(U) && x.split(':').every((d) => /^\/(?:usr\/(?:local\/)?lib\w*|lib\w*|opt)(?:\/|$)/.test(d))) continue;
    if (x !== undefined && x !== '') c.opaque(`$${v}: libraries loaded into every program`);
  }
  // `PERL5DB='BEGIN{…}' perl -d`: the debugger perl loads is that code (with -d on the command
  // line or in PERL5OPT; any perl counts).
  if (/^perl/.test(name)) {
    const x = value('PERL5DB');
    if (x !== undefined && x !== '') {
      if (x.includes(U)) c.opaque('$PERL5DB: code not known');
      else c.shell(`perl -e '${x.split("'").join("'\\''")}'`, '$PERL5DB');
    }
  }
  // `env 'BASH_FUNC_ls%%=() { …; }' bash -c ls`: a started bash defines the function from it.
  for (const [k, x] of all) {
    const m = /^BASH_FUNC_(.+)%%$/.exec(k);
    if (!m) continue;
    if (x.includes(U) || !x.startsWith('()')) c.opaque(`$${k}: a function not known`);
    else c.shell(`hw_imported_function${x}\nhw_imported_function`, `$${k}`);
  }
}
