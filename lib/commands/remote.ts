// `program: network`: an interpreter whose program comes from the network. The program is read
// from standard input (no script operand, or `-`, or `sh -s`) fed by a pipeline whose earlier
// stages fetched something (`curl … | sh`, `curl … | tee x | bash`), or it is a `-c`/`-e`
// text, a script operand (`bash <(curl …)`) or `eval` text holding output substituted from a
// fetch (`sh -c "$(curl …)"`). Downloading to a file and running it later is not this.
import { U, type Arg } from '../targets/shell/context.js';
import type { SeenCommand } from '../targets/shell/seen.js';

const FETCHERS = new Set(['curl', 'wget', 'fetch', 'http', 'https', 'xh', 'aria2c', 'lwp-request', 'GET', 'nc', 'ncat', 'socat']);

interface Interp { code: string[]; module?: string[]; values: string[] }
const SHELL: Interp = { code: ['-c'], values: ['-o', '-O', '--rcfile', '--init-file'] };
const INTERPRETERS: Record<string, Interp> = {
  sh: SHELL, bash: SHELL, zsh: SHELL, dash: SHELL, ksh: SHELL, ash: SHELL, fish: SHELL,
  python: { code: ['-c'], module: ['-m'], values: ['-W', '-X', '-Q'] },
  node: { code: ['-e', '--eval', '-p', '--print'], values: ['-r', '--require', '--import', '--loader', '--input-type'] },
  deno: { code: ['eval'], values: [] },
  bun: { code: ['-e', '--eval'], values: [] },
  perl: { code: ['-e', '-E'], values: ['-I', '-M', '-m'] },
  ruby: { code: ['-e'], values: ['-I', '-r'] },
  php: { code: ['-r'], values: ['-d', '-c'] },
};

export function interpreterOf(name: string): Interp | undefined {
  const base = /^python[0-9.]*$/.test(name) ? 'python' : /^(perl|ruby|node)[0-9.]*$/.test(name) ? name.replace(/[0-9.]+$/, '') : name;
  return Object.hasOwn(INTERPRETERS, base) ? INTERPRETERS[base] : undefined;
}

export function isInterpreter(name: string): boolean {
  return interpreterOf(name) !== undefined || name === 'eval' || name === 'source' || name === '.';
}

/** Whether any of `cmds` fetched from the network, or was itself fed by one that did. */
function networked(cmds: readonly SeenCommand[] | undefined, seen = new Set<SeenCommand>()): boolean {
  for (const c of cmds ?? []) {
    if (seen.has(c)) continue;
    seen.add(c);
    if (FETCHERS.has(c.name) || networked(c.fed, seen) || networked(c.subst, seen)) return true;
  }
  return false;
}

const STDIN = new Set(['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);

export function programFromNetwork(cmd: SeenCommand): boolean {
  const substituted = networked(cmd.subst);
  const fed = networked(cmd.fed);
  if (!substituted && !fed) return false;
  if (cmd.name === 'eval') return substituted;
  // `<(curl …)` reads as /dev/fd/63; `$(curl …)` as an unknown part.
  const unknown = (a: Arg | undefined): boolean => a !== undefined && (a.text.includes(U) || a.text.startsWith('/dev/fd/'));
  if (cmd.name === 'source' || cmd.name === '.') {
    // `. /dev/stdin <<< "$(curl …)"`: the script is standard input.
    if (cmd.args[0] && STDIN.has(cmd.args[0].text)) return fed;
    return substituted && unknown(cmd.args[0]);
  }
  const it = interpreterOf(cmd.name);
  if (!it) return false;
  const args = cmd.args;
  let fromStdinFlag = false;
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!.text;
    if (t === '-' || t === '--') {
      // `bash -s -- args` and `python -` read the program from stdin; `bash -- script` runs the script.
      if (t === '--' && !fromStdinFlag && args[i + 1] && args[i + 1]!.text !== '-') return substituted && unknown(args[i + 1]);
      break;
    }
    const codeOpt = it.code.find((o) => t === o || (o.startsWith('--') ? t.startsWith(`${o}=`) : t.startsWith(o) && o.length === 2 && t.length > 2 && !it.values.includes(o)));
    if (codeOpt || (it === SHELL && /^-[a-zA-Z]*c[a-zA-Z]*$/.test(t))) {
      const inline = t.includes('=') ? t.slice(t.indexOf('=') + 1) : codeOpt && t !== codeOpt ? t.slice(codeOpt.length) : undefined;
      return substituted && (inline !== undefined ? inline.includes(U) : unknown(args[i + 1]));
    }
    if (it.module?.includes(t)) return false; // `python -m json.tool`: the program is a module, stdin is data
    if (it.values.includes(t)) {
      i++;
      continue;
    }
    if (it === SHELL && /^-[a-zA-Z]*s/.test(t)) fromStdinFlag = true;
    if (t.startsWith('-') && t.length > 1) continue;
    // The first operand is the script; a shell given `-s` still reads stdin.
    if (fromStdinFlag) break;
    if (STDIN.has(t)) return fed;
    return substituted && unknown(args[i]);
  }
  return fed;
}
