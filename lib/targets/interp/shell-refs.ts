// A function that runs a command, reached other than by a call the guard reads: stored in a list
// or a dictionary (`[cp.execSync][0](…)`, `{"r": os.system}`), taken by a computed member
// (`cp["execSync"](…)`, `require("child_process")[m](…)`), or called through `.call`/`.apply`/
// `.bind`. What it is given is not read as shell text, so the code runs a command the guard does
// not see (resolve.ts reports it as names built out of sight). A call under an alias the guard
// follows (aliases.ts: destructuring, `import … as`, `x = cp.execSync`, promisify) is read.
import type { Lang, Token } from './lex.js';

/** Module functions that run a command, by language (the last name part). */
const RUNS: Partial<Record<Lang, { names: RegExp; qualified?: RegExp }>> = {
  js: { names: /^(?:exec|execSync|execFile|execFileSync|spawn|spawnSync|fork)$/ },
  // Python's generic names (`run`, `call`) count only as subprocess's or os's.
  python: { names: /^(?:system|popen|run|call|check_call|check_output|Popen|getoutput|getstatusoutput|exec[lv]p?e?|spawn[lv]p?e?|posix_spawnp?|spawn)$/, qualified: /^(?:os|subprocess|pty|sp)$/ },
};

const isP = (t: Token | undefined, v: string): boolean => t?.k === 'p' && t.v === v;
const idOf = (t: Token | undefined): string | undefined => (t?.k === 'id' ? t.v : undefined);

export function shellRefs(t: Token[], lang: Lang, code: string): boolean {
  const spec = RUNS[lang];
  if (!spec) return false;
  // JS: the child_process module itself subscripted (`require("child_process")[m]`, `cp[m]`).
  const modules = new Set<string>();
  for (let i = 0; i < t.length; i++) {
    const x = t[i]!;
    if (lang !== 'js' || x.k !== 'str' || !(x.parts.length === 1 && typeof x.parts[0] === 'string' && /^(?:node:)?child_process$/.test(x.parts[0]))) continue;
    if (isP(t[i - 1], '(') && idOf(t[i - 2]) === 'require' && isP(t[i + 1], ')')) {
      if (isP(t[i + 2], '[')) return true;
      if (isP(t[i - 3], '=') && idOf(t[i - 4]) !== undefined) modules.add(idOf(t[i - 4])!);
    }
    // `import * as cp from "child_process"`.
    if (idOf(t[i - 1]) === 'from' && idOf(t[i - 3]) === 'as' && isP(t[i - 4], '*')) modules.add(idOf(t[i - 2])!);
  }
  for (let i = 0; i < t.length; i++) {
    const x = t[i]!;
    if (x.k === 'id' && modules.has(x.v) && isP(t[i + 1], '[') && !isP(t[i - 1], '.')) return true;
    // `cp["execSync"]`: a command runner named by a string in a subscript.
    if (x.k === 'str' && isP(t[i - 1], '[') && x.parts.length === 1 && typeof x.parts[0] === 'string' && spec.names.test(x.parts[0]) && (lang === 'js' || isP(t[i + 1], ']'))) {
      if (lang === 'js' || /\b(?:os|subprocess)\b/.test(code)) return true;
    }
    const name = idOf(x);
    if (name === undefined || !spec.names.test(name)) continue;
    const qual = isP(t[i - 1], '.') ? idOf(t[i - 2]) : undefined;
    if (spec.qualified && (qual === undefined || !spec.qualified.test(qual))) continue;
    if (lang === 'js' && qual === undefined && !/\bchild_process\b/.test(code)) continue;
    const next = t[i + 1];
    // A call the guard reads; a name being defined (`const exec = …`).
    if (isP(next, '(') || isP(next, '=')) continue;
    // `.call(`, `.apply(`, `.bind(`: called out of sight.
    if (isP(next, '.') && /^(?:call|apply|bind)$/.test(idOf(t[i + 2]) ?? '')) return true;
    // A destructuring key or shorthand, an import list, `import … as`: aliases.ts follows those.
    if (isP(next, ':') || idOf(next) === 'as' || (!qual && (isP(next, ',') || isP(next, '}')) && (isP(t[i - 1], '{') || isP(t[i - 1], ',')))) continue;
    if (idOf(t[i - 1]) === 'import' || (lang === 'python' && isImportList(t, i))) continue;
    // `promisify(cp.exec)`, `x = cp.execSync` to the statement's end: an alias aliases.ts follows.
    const start = qual !== undefined ? i - 2 : i;
    if (isP(next, ')') && idOf(t[openOf(t, i + 1) - 1]) === 'promisify') continue;
    if ((next === undefined || isP(next, ';') || isP(next, '\n')) && isP(t[start - 1], '=')) continue;
    // Stored, passed or returned: it may be called with any text.
    return true;
  }
  return false;
}

/** `from os import system, popen`: the name is in an import list. */
function isImportList(t: Token[], i: number): boolean {
  for (let k = i - 1; k >= 0 && k > i - 64; k--) {
    const x = t[k]!;
    if (x.k === 'id' && x.v === 'import') return true;
    if (!(x.k === 'id' || isP(x, ',') || isP(x, '(') || isP(x, '.'))) return false;
  }
  return false;
}

/** Index of the `(` matching the `)` at j (or -1). */
function openOf(t: Token[], j: number): number {
  let depth = 0;
  for (let k = j; k >= 0 && k > j - 256; k--) {
    if (isP(t[k], ')')) depth++;
    else if (isP(t[k], '(') && --depth === 0) return k;
  }
  return -1;
}
