// The program make runs each recipe line with: `$(SHELL) $(.SHELLFLAGS) 'line'` (default
// `/bin/sh -c`). A makefile (or `make SHELL=…`, MAKEFLAGS) may set either, globally or for one
// target (`a: SHELL = ./x`): the recipes then run through that program, not a shell the guard
// reads (red team 3: `SHELL=./evil.sh` in a Makefile the call wrote). make never takes SHELL from
// the environment.

/** How recipe lines run: as shell text (a known shell with its usual flags), or as this command prefix. */
export type RecipeRunner = { plain: true } | { plain: false; prefix: string };

/** A known shell, by path or name, whose `-c` text the guard walks as shell text. */
const SHELLS = /^(?:(?:\/usr)?(?:\/local)?\/bin\/)?(?:sh|bash|dash)$/;
/** Flags that only set shell options before `-c` (`-eu -o pipefail -c`). */
const FLAGS = /^(?:(?:-[euxvo]+|[+][euxvo]+|pipefail|errexit|nounset|xtrace)\s+)*-[euxv]*c$/;

function quote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Each way the recipes may run, given the SHELL and .SHELLFLAGS values make may use (global, then
 * each target-specific one); undefined values are not known (a function, a name not read).
 */
export function recipeRunners(shells: (string | undefined)[], flags: (string | undefined)[]): RecipeRunner[] | undefined {
  const out: RecipeRunner[] = [];
  for (const sh of shells) {
    for (const fl of flags) {
      if (sh === undefined || fl === undefined) return undefined;
      const s = sh.trim();
      const f = fl.trim();
      if (SHELLS.test(s) && FLAGS.test(f)) out.push({ plain: true });
      else out.push({ plain: false, prefix: `${quote(s)} ${f}` });
      if (out.length > 8) return undefined;
    }
  }
  return out;
}

/** `SHELL`/`.SHELLFLAGS` assignments in MAKEFLAGS (`MAKEFLAGS='SHELL=./x' make`, `-- SHELL=x`). */
export function makeflagsVars(mf: string): [string, string][] {
  const out: [string, string][] = [];
  for (const w of mf.split(/\s+/)) {
    const m = /^([A-Za-z_.][\w.]*)[:+?]?=(.*)$/s.exec(w);
    if (m) out.push([m[1]!, m[2]!]);
  }
  return out;
}

export { quote as makeQuote };

/** A shell whose `-c` text the guard walks as shell text (`/bin/sh`, `bash`). */
export function knownShell(s: string): boolean {
  return SHELLS.test(s.trim());
}
