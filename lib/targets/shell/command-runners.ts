// Programs that run a command they are given: the command line in their operands (`taskset 1 sh -c
// …`, `chroot / sh -c …`, `strace -f cmd`), shell text in an operand or an option value
// (`hyperfine 'cmd'`, `zip -TT 'cmd'`, `rsync -e 'cmd'`, `socat - EXEC:'cmd'`). The wrappers the
// guard knows by name are in wrappers.ts; this covers the rest by a rule, so a wrapper the guard has
// never heard of still has its command walked:
// - a program the guard does not know at all: from the first operand that names a program the
//   guard knows (a shell, an interpreter, a command of its tables, a builtin), the rest is a
//   command line it may run; an operand that reads as shell text (a known program followed by
//   words, or shell operators) may be run as `sh -c` text;
// - programs the guard knows, whose data says nothing of what they run: listed below.
// What the walked command does is added to what the program itself does (its operands stay judged).
import type { Arg } from './types.js';
import { cmakeCommand, compilerRuns } from './build-runners.js';

export interface Runs {
  /** Command lines the program may run. */
  argv?: Arg[][];
  /** Shell text it may run (`sh -c TEXT`). */
  shell: Arg[];
  /** Code it may run that the guard cannot read (a gdb script, Python inside gdb). */
  opaque?: string;
  /** Operands of a program never heard of that read as shell text but may be data (a message): walked for files only. */
  maybe?: Arg[];
  /** `chroot DIR cmd`: the command's paths are beneath DIR (anything beneath it may be written). */
  root?: Arg;
  /** Folders the command may run in (`unshare --wd=DIR cmd`), '.' for the program's own; none: its own. */
  cwds?: Arg[];
  /** Files the program itself writes that its data entry does not describe (`gcc -MF F`, `-Wl,-Map=F`). */
  writes?: Arg[];
}

/**
 * Options that name the folder a program runs its command in: long ones of any program
 * (`--wd`, `--chdir`, `--workdir`, `--working-directory`…) and short ones of the programs known to
 * have them (`nsenter -wDIR`, `unshare -w DIR`, `start-stop-daemon -d DIR`, `schroot -d DIR`).
 */
const DIR_OPTIONS = ['--wd', '--cwd', '--chdir', '--workdir', '--work-dir', '--working-dir', '--working-directory', '--directory'];
const DIR_SHORT: Record<string, string[]> = { nsenter: ['-w'], unshare: ['-w'], 'start-stop-daemon': ['-d'], schroot: ['-d'] };

/** The folders the command of `name` may run in: where the program was, and each folder an option names. */
function workDirs(name: string, args: Arg[]): Arg[] | undefined {
  const dirs = values(args, Object.hasOwn(DIR_SHORT, name) ? DIR_SHORT[name]! : [], DIR_OPTIONS).filter((d) => d.text !== '');
  return dirs.length > 0 ? [{ text: '.', literal: name }, ...dirs] : undefined;
}

const SHELL_SYNTAX = /[;&|<>`]|\$\(|\$\{|\$[A-Za-z_]/;
/** Options that hold text, not a command (as keys that hold text are not paths in tool arguments). */
const TEXT_OPTION = /^--?(?:m|message|msg|title|body|description|desc|summary|comment|text|note|notes|subject|label|reason|content|prompt|query|search|pattern|match|grep|name)(?:=|$)/;

/** Option values of the form `-X VALUE`/`--long VALUE`/`--long=VALUE`/`-XVALUE` among `args`. */
function values(args: Arg[], short: string[], long: string[]): Arg[] {
  const out: Arg[] = [];
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!.text;
    if (t === '--') break;
    for (const s of short) {
      if (t === s && args[i + 1]) out.push(args[i + 1]!);
      else if (t.startsWith(`${s}=`)) out.push({ ...args[i]!, text: t.slice(s.length + 1) });
      else if (t.startsWith(s) && t.length > s.length && !t.startsWith('--')) out.push({ ...args[i]!, text: t.slice(s.length) });
    }
    for (const l of long) {
      if (t === l && args[i + 1]) out.push(args[i + 1]!);
      else if (t.startsWith(`${l}=`)) out.push({ ...args[i]!, text: t.slice(l.length + 1) });
    }
  }
  return out;
}

/** Operands after options (`--` ends options); `valued`: options that take the next word. */
function operands(args: Arg[], valued: Set<string> = new Set()): Arg[] {
  const out: Arg[] = [];
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!.text;
    if (t === '--') return [...out, ...args.slice(i + 1)];
    if (t.startsWith('-') && t !== '-') {
      if (valued.has(t)) i++;
      continue;
    }
    out.push(args[i]!);
  }
  return out;
}

/** The command line starting at the first operand (after options), when there is one. */
function fromFirst(args: Arg[], valued?: Set<string>, skip = 0): Arg[] | undefined {
  let seen = 0;
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!.text;
    if (t === '--') return args.slice(i + 1 + skip).length > 0 ? args.slice(i + 1 + skip) : undefined;
    if (t.startsWith('-') && t !== '-') {
      if (valued?.has(t)) i++;
      continue;
    }
    if (seen++ === skip) return args.slice(i);
  }
  return undefined;
}

const set = (s: string): Set<string> => new Set(s.split(' '));
const one = (argv: Arg[] | undefined): Arg[][] | undefined => (argv && argv.length > 0 ? [argv] : undefined);
/** Bound on the command lines tried in an unknown program's operands. */
const MAX_TAILS = 4;

function sshCommands(a: Arg[]): Arg[] {
  return values(a, ['-o'], []).flatMap((o) => {
    const m = /^\s*(ProxyCommand|LocalCommand|KnownHostsCommand)\s*(?:=\s*|\s+)(.*)$/is.exec(o.text);
    return m && m[2]!.trim().toLowerCase() !== 'none' ? [{ ...o, text: m[2]! }] : [];
  });
}

/** Programs the guard knows whose command line or shell text is in their arguments. */
const KNOWN: Record<string, (args: Arg[]) => Runs> = {
  chroot: (a) => {
    // Inside another root the command's paths are beneath it; `chroot /` is this machine's own.
    const root = fromFirst(a, set('--userspec --groups'))?.[0];
    if (root && root.text.replace(/\/+$/, '') !== '') return { shell: [], root };
    return { argv: one(fromFirst(a, set('--userspec --groups'), 1)), shell: [] };
  },
  parallel: (a) => parallelRuns(a),
  sem: (a) => parallelRuns(a),
  entr: (a) => ({ argv: one(fromFirst(a)), shell: [] }),
  'ssh-agent': (a) => ({ argv: one(fromFirst(a, set('-a -E -P -t'))), shell: [] }),
  nodemon: (a) => ({ shell: values(a, ['-x'], ['--exec']) }),
  hyperfine: (a) => ({
    shell: [...operands(a, set('-w --warmup -r --runs -m --min-runs -M --max-runs -p --prepare -s --setup -c --cleanup -n --command-name -S --shell -P --parameter-scan -L --parameter-list --export-json --export-csv --export-markdown --export-asciidoc --export-orgmode -u --time-unit -i --output --input --style --sort -D --parameter-step-size')),
      ...values(a, ['-p', '-s', '-c'], ['--prepare', '--setup', '--cleanup', '--conclude'])],
  }),
  zip: (a) => ({ shell: values(a, ['-TT'], ['--unzip-command']) }),
  rsync: (a) => ({ shell: values(a, ['-e'], ['--rsh']) }),
  su: (a) => ({ shell: values(a, ['-c'], ['--command', '--session-command']) }),
  socat: (a) => ({
    // Addresses EXEC:cmd and SYSTEM:cmd (options after a comma).
    shell: operands(a).flatMap((o) => {
      const m = /^(exec|system):(.*)$/is.exec(o.text);
      return m ? [{ ...o, text: m[1]!.toLowerCase() === 'exec' ? m[2]!.split(',')[0]! : m[2]!.replace(/,[a-z-]+(=[^,]*)?$/i, '') }] : [];
    }),
  }),
  sdiff: (a) => ({ shell: [], argv: values(a, [], ['--diff-program']).map((p) => [p]) }),
  diff3: (a) => ({ shell: [], argv: values(a, [], ['--diff-program']).map((p) => [p]) }),
  sort: (a) => ({ shell: [], argv: values(a, [], ['--compress-program']).map((p) => [p]) }),
  // `split --filter=CMD` runs CMD with the shell for each piece (getopt takes any unambiguous abbreviation).
  split: (a) => ({ shell: values(a, [], ['--f', '--fi', '--fil', '--filt', '--filte', '--filter']) }),
  // ProxyCommand, LocalCommand and KnownHostsCommand run on this machine (`-o Name=cmd`, `-oName cmd`).
  // `-F FILE`: a configuration whose ProxyCommand or `Match exec` runs here; not read: code not seen.
  ssh: (a) => ({ shell: sshCommands(a), ...(values(a, ['-F'], []).some((f) => f.text !== '/dev/null') ? { opaque: 'ssh -F (a configuration not read)' } : {}) }),
  scp: (a) => {
    // With no host in any operand, scp copies on this machine, as `cp -r` would.
    const ops = operands(a, set('-c -F -i -J -l -o -P -S -D -X'));
    const local = ops.length >= 2 && !ops.some((o) => /^[^/]*:/.test(o.text));
    const cp: Arg[][] = local ? [[{ ...ops[0]!, text: 'cp' }, ...(a.some((x) => /^-[a-zA-Z]*r/.test(x.text)) ? [{ ...ops[0]!, text: '-r' }] : []), ...ops]] : [];
    return { shell: sshCommands(a), argv: [...values(a, ['-S'], []).map((p) => [p]), ...cp] };
  },
  sftp: (a) => ({ shell: sshCommands(a), argv: values(a, ['-S'], []).map((p) => [p]) }),
  autossh: (a) => ({ shell: sshCommands(a) }),
  gdb: (a) => {
    const cmds = values(a, ['-ex', '-iex', '-eval-command', '-init-eval-command'], ['--eval-command', '--init-eval-command', '--ex', '--iex']);
    const shell = cmds.flatMap((c) => {
      const m = /^\s*(?:!|shell\s+|pipe\s+[^|]*\|)(.*)$/s.exec(c.text);
      return m ? [{ ...c, text: m[1]! }] : [];
    });
    const code = cmds.some((c) => /^\s*(python|pi|py|guile|gu|source|define)\b/.test(c.text))
      || values(a, ['-x', '-ix', '-command', '-init-command'], ['--command', '--init-command', '--x']).length > 0;
    const at = a.findIndex((x) => x.text === '--args');
    return { shell, argv: at >= 0 ? one(a.slice(at + 1)) : undefined, ...(code ? { opaque: 'gdb' } : {}) };
  },
  cmake: (a) => ({ argv: cmakeCommand(a), shell: [] }),
  ...Object.fromEntries(['gcc', 'g++', 'cc', 'c++', 'clang', 'clang++'].map((n) => [n, compilerRuns])),
  // An engine or provider is a shared library openssl loads (`engine dynamic -pre SO_PATH:x.so`, `-engine x.so`).
  openssl: (a) => ({
    shell: [],
    ...(a[0]?.text === 'engine' || a.some((x) => /^-(?:engine|provider|provider-path|pre|post|keyform=?engine)(?:=|$)/.test(x.text)) ? { opaque: 'openssl: an engine or provider library' } : {}),
  }),
  strace: (a) => ({
    argv: one(fromFirst(a, set('-o -e -p -P -s -S -u -E -a -b -I -X -O'))),
    shell: values(a, ['-o'], ['--output']).filter((o) => /^[|!]/.test(o.text)).map((o) => ({ ...o, text: o.text.slice(1) })),
  }),
  ltrace: (a) => ({
    argv: one(fromFirst(a, set('-o -e -p -s -u -a -A -D -F -l -L -n -x'))),
    shell: values(a, ['-o'], ['--output']).filter((o) => /^[|!]/.test(o.text)).map((o) => ({ ...o, text: o.text.slice(1) })),
  }),
};

/**
 * GNU parallel: the command template before `:::`/`::::` (`{}` replaced by each input, else the
 * inputs appended), for the first inputs; `--dry-run` runs nothing; a one-word template is shell text.
 */
function parallelRuns(a: Arg[]): Runs {
  if (a.some((x) => x.text === '--dry-run' || x.text === '--dryrun')) return { shell: [] };
  const sep = a.findIndex((x) => /^:::[+]?$|^::::[+]?$/.test(x.text));
  const head = sep < 0 ? a : a.slice(0, sep);
  const inputs = sep < 0 ? [] : a.slice(sep + 1).filter((x) => !/^:{3,4}\+?$/.test(x.text)).slice(0, MAX_TAILS);
  const template = fromFirst(head, set('-j --jobs -S --sshlogin --sshloginfile -a --arg-file --joblog --results --tmpdir -d --delimiter -E --colsep -I --replace -N -n --max-args -L --timeout --delay --retries --memfree --load --nice --tag --tagstring --workdir --wd -X --xargs')) ?? [];
  if (template.length === 0) return { shell: [] };
  const fill = (x: Arg | undefined): Arg[] => {
    const t = template.map((w) => (x && w.text.includes('{}') ? { ...w, text: w.text.replaceAll('{}', x.text) } : w));
    return x && !template.some((w) => w.text.includes('{}')) ? [...t, x] : t;
  };
  const lines = inputs.length > 0 ? inputs.map(fill) : [fill(undefined)];
  if (template.length === 1 && /\s/.test(template[0]!.text)) return { shell: lines.map((l) => l[0]!) };
  return { argv: lines, shell: [] };
}

/**
 * Programs whose command runs on another machine or in a machine of its own (a VM, a system
 * container with its own files): not walked as a command of this one.
 */
const ELSEWHERE = new Set(['vagrant', 'lxc', 'incus', 'multipass', 'pdsh', 'pssh', 'parallel-ssh', 'clush', 'mosh', 'tsh', 'salt-ssh',
  'mussh', 'virsh', 'minikube', 'kind', 'gcloud', 'az', 'aws', 'heroku', 'fly', 'flyctl', 'railway', 'oc', 'kubectl', 'docker', 'podman',
  'nerdctl', 'ctr', 'crictl', 'buildah', 'ssh', 'autossh',
  // Agents and model CLIs: their operands are prompts in words, not commands (starting an agent
  // without this guard's hooks is the `self` rules' concern).
  'codex', 'claude', 'gemini', 'aider', 'opencode', 'cursor-agent', 'amp', 'goose', 'llm', 'ollama', 'sgpt', 'chatgpt', 'copilot']);

/** Source files an interpreter runs by name. */
const SOURCE = /\.(?:py|pyw|js|mjs|cjs|ts|mts|cts|pl|pm|rb|php|sh|bash|zsh|lua|tcl|r|R|jl|awk|sed|sql|vim)$/;

/**
 * What a program may run, given its (expanded) arguments; `known`: the guard has data on it;
 * `interpreter`: the name runs code (an interpreter, awk, sed, an archiver): as a package name
 * (`asdf install nodejs 20`, `apt-get install lua5.4`) it starts a command line only when an
 * option or a source file follows it.
 */
export function commandsRun(name: string, args: Arg[], known: boolean, isProgram: (name: string) => boolean, interpreter: (name: string) => boolean = () => false,
  isScript: (path: string) => boolean = () => false): Runs | undefined {
  const runs = programRuns(name, args, known, isProgram, interpreter, isScript);
  const cwds = runs && workDirs(name, args);
  return cwds ? { ...runs, cwds } : runs;
}

function programRuns(name: string, args: Arg[], known: boolean, isProgram: (name: string) => boolean, interpreter: (name: string) => boolean,
  isScript: (path: string) => boolean): Runs | undefined {
  const k = Object.hasOwn(KNOWN, name) ? KNOWN[name] : undefined;
  if (k) return k(args);
  if (known || ELSEWHERE.has(name)) return undefined;
  const maybe: Arg[] = [];
  // Each operand naming a program may start the command line (`perf stat sh -c …`: `stat` and `sh`).
  const argv: Arg[][] = [];
  args.forEach((a, i) => {
    if (a.text.startsWith('-') || (i > 0 && TEXT_OPTION.test(args[i - 1]!.text) && !args[i - 1]!.text.includes('='))) return;
    const base = a.text.slice(a.text.lastIndexOf('/') + 1);
    // A program given by its path (`taskset 1 ./tool`): an executable file, or one the call wrote.
    if (a.text.includes('/') && !/\s/.test(a.text) && isScript(a.text)) {
      if (argv.length < MAX_TAILS) argv.push(args.slice(i));
      return;
    }
    if (base !== '' && !/\s/.test(a.text) && isProgram(base)) {
      const next = args[i + 1]?.text;
      const runs = !interpreter(base) || (next !== undefined && (next.startsWith('-') || SOURCE.test(next)));
      if (runs && argv.length < MAX_TAILS) argv.push(args.slice(i));
      return;
    }
    // Shell text: operators or a known program followed by words.
    const first = /^\s*([^\s;&|<>]+)\s/.exec(a.text)?.[1];
    if (/\s/.test(a.text) && (SHELL_SYNTAX.test(a.text) || (first !== undefined && isProgram(first.slice(first.lastIndexOf('/') + 1))))) maybe.push(a);
  });
  // `--exec 'cmd'`, `-c 'cmd'`: an option value of shell text (the next word, or after `=`).
  for (const a of args) {
    const eq = a.text.indexOf('=');
    if (a.text.startsWith('--') && eq > 0 && !TEXT_OPTION.test(a.text)) {
      const v = a.text.slice(eq + 1);
      if (/\s/.test(v) && SHELL_SYNTAX.test(v)) maybe.push({ ...a, text: v });
    }
  }
  return argv.length > 0 || maybe.length > 0 ? { ...(argv.length > 0 ? { argv } : {}), shell: [], maybe } : undefined;
}
