// Build tools whose command line runs other programs or writes files their data entry does not
// describe: compiler drivers (`gcc -wrapper`, plugins, `-MF`, linker maps) and `cmake -E`, walked
// as the shell commands its subcommands stand for (command-runners.ts KNOWN uses both).
import type { Arg } from './types.js';

/** What a compiler driver runs (argv), loads (opaque) and writes besides its data entry. */
export interface CompilerRuns {
  shell: Arg[];
  argv?: Arg[][];
  opaque?: string;
  writes?: Arg[];
}

/**
 * A compiler driver: `-wrapper PROG,ARGS` runs every tool under PROG; plugins, spec files and tool
 * folders (`-fplugin=`, `-specs=`, `-B DIR`) bring code the guard cannot read; dependency, map and
 * dump files are written (`-MF F`, `-aux-info F`, `-Wl,-Map=F`, `-Xlinker -Map=F`, `-fdump-…=F`).
 */
export function compilerRuns(a: Arg[]): CompilerRuns {
  const writes: Arg[] = [];
  const argv: Arg[][] = [];
  let opaque: string | undefined;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const t = x.text;
    const next = (): Arg | undefined => a[++i];
    if (t === '-wrapper') {
      const w = next();
      if (w) argv.push(w.text.split(',').map((p) => ({ ...w, text: p })));
    } else if (/^-(?:fplugin|specs|-specs)(?:=|$)/.test(t) || /^-B/.test(t) || t === '-fplugin-arg') opaque = `${t.replace(/=.*$/, '')}: code the compiler loads`;
    else if (t === '-MF' || t === '-aux-info') {
      const f = next();
      if (f) writes.push(f);
    } else if (t.startsWith('-MF')) writes.push({ ...x, text: t.slice(3) });
    else if (/^-f(?:dump|opt-info)[\w-]*=/.test(t)) writes.push({ ...x, text: t.slice(t.indexOf('=') + 1) });
    else if (t.startsWith('-Wl,') || t === '-Xlinker') {
      const parts = t === '-Xlinker' ? [next()?.text ?? ''] : t.slice(4).split(',');
      for (let k = 0; k < parts.length; k++) {
        const m = /^--?(?:Map|output|dependency-file|o)(?:=(.*))?$/.exec(parts[k]!);
        if (!m) continue;
        const f = m[1] ?? parts[++k] ?? (t === '-Xlinker' && a[i + 1]?.text === '-Xlinker' ? (i++, next()?.text) : undefined);
        if (f) writes.push({ ...x, text: f });
      }
    }
  }
  return { shell: [], ...(argv.length > 0 ? { argv } : {}), ...(opaque ? { opaque } : {}), ...(writes.length > 0 ? { writes } : {}) };
}

/** `cmake -E` file commands, as the shell commands that do the same (copy_directory copies the folder's contents). */
const CMAKE_E: Record<string, string[]> = {
  copy: ['cp'], copy_if_different: ['cp'], copy_if_newer: ['cp'], rename: ['mv'], remove: ['rm', '-f'], rm: ['rm', '-rf'],
  remove_directory: ['rm', '-rf'], touch: ['touch'], touch_nocreate: ['touch'], make_directory: ['mkdir', '-p'],
  create_symlink: ['ln', '-s'], create_hardlink: ['ln'], tar: ['tar'], cat: ['cat'], env: ['env'], time: [],
};

export function cmakeCommand(a: Arg[]): Arg[][] | undefined {
  const i = a.findIndex((x) => x.text === '-E');
  const cmd = a[i + 1];
  if (i < 0 || !cmd) return undefined;
  const rest = a.slice(i + 2);
  const word = (text: string): Arg => ({ ...cmd, text });
  if (cmd.text === 'chdir' && rest.length > 1) return [[word('env'), word('-C'), ...rest]];
  if ((cmd.text === 'copy_directory' || cmd.text === 'copy_directory_if_different') && rest.length > 1) {
    const dest = rest[rest.length - 1]!;
    return rest.slice(0, -1).map((d) => [word('cp'), word('-r'), { ...d, text: `${d.text.replace(/\/+$/, '')}/.` }, dest]);
  }
  const as = Object.hasOwn(CMAKE_E, cmd.text) ? CMAKE_E[cmd.text]! : undefined;
  if (!as) return undefined;
  const argv = [...as.map(word), ...rest];
  return argv.length > 0 ? [argv] : undefined;
}
