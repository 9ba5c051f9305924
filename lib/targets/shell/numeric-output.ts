// Command substitutions whose output holds only numbers, whatever the files hold, so that bash
// evaluating it as arithmetic runs nothing (arith.ts): no name (a variable whose value bash
// would evaluate in turn), no `$(…)` or backquote in a subscript. The output of `$(…)` is the
// standard output of its last pipeline stage, or of every command of an `&&`/`||` list:
// - programs that print numbers (`wc -l` on its input, `date +%s`, `git rev-list --count`, `echo 0`,
//   `tr -cd 0-9`, `grep -o '[0-9]*'`);
// - filters that only keep characters or lines of their input (`cut`, `head`, `tail`, `tr -d`,
//   `sort`, `uniq`, `awk '{print $1}'`) fed by such a program;
// - the first field of `wc`'s lines for named files (`wc -l f | cut -d' ' -f1`): the count comes
//   first on each line and a name only after a space (names with a newline or a glob excluded).
// A stage whose standard error joins its output (`2>&1`, `|&` into a filter) is not numeric.
import type * as Sh from './ast.js';
import { plainText } from './ast.js';
import { shellParser } from './parse.js';

export function numericOutput(cs: Sh.CmdSubst): boolean {
  return cs.Stmts.length === 1 && numericStmt(cs.Stmts[0]!, 0);
}

/** The literal argv of a plain call (no assignment), or undefined. */
function argvOf(st: Sh.Stmt): string[] | undefined {
  if (st.Cmd?.type !== 'CallExpr') return undefined;
  const ce = st.Cmd as Sh.CallExpr;
  if (ce.Assigns.length > 0) return undefined;
  const argv = ce.Args.map(plainText);
  return argv.some((a) => a === undefined) || argv.length === 0 ? undefined : (argv as string[]);
}

/** No redirection puts other text on standard output (`2>&1`). */
function quiet(st: Sh.Stmt): boolean {
  const { ops } = shellParser();
  return st.Redirs.every((r) => !(r.Op === ops.dplOut && (r.N === null || r.N.Value !== '1') && r.Word !== null && plainText(r.Word) === '1'));
}

function numericStmt(st: Sh.Stmt, depth: number): boolean {
  if (depth > 8 || st.Background || !quiet(st)) return false;
  const cmd = st.Cmd;
  if (cmd?.type === 'BinaryCmd') {
    const b = cmd as Sh.BinaryCmd;
    const { ops } = shellParser();
    if (!b.X || !b.Y) return false;
    if (b.Op === ops.andStmt || b.Op === ops.orStmt) return numericStmt(b.X, depth + 1) && numericStmt(b.Y, depth + 1);
    if (b.Op === ops.pipe || b.Op === ops.pipeAll) {
      if (numericStmt(b.Y, depth + 1)) return true;
      // Through a filter, the input must be numbers (with `|&`, its standard error joins it).
      const f = argvOf(b.Y);
      if (b.Op !== ops.pipe || !f || !quiet(b.Y) || !keeps(f)) return false;
      return numericStmt(b.X, depth + 1) || countsFirstField(b.X, f);
    }
    return false;
  }
  const argv = argvOf(st);
  return argv !== undefined && printsNumbers(argv);
}

const DIGITS = /^(?:\[0-9\]|\[\[:digit:\]\]|0-9|\[:digit:\]|\\d)$/;

/** Programs whose output is numbers only. */
function printsNumbers([name, ...rest]: string[]): boolean {
  switch (name) {
    case 'wc': return rest.every((a) => /^-[lcwmL]+$/.test(a));
    case 'date': return rest.every((a) => /^\+(%[sN])+$/.test(a) || a === '-u');
    case 'nproc': return rest.length === 0;
    case 'id': return rest.length === 1 && /^-[ug]$/.test(rest[0]!);
    case 'seq': return rest.length >= 1 && rest.length <= 3 && rest.every((a) => /^-?\d+$/.test(a));
    // One file at most (with several, each line starts with the file's name).
    case 'grep': {
      if (rest.some((a) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a) || a === '--count') && rest.filter((a) => !a.startsWith('-')).length <= 2 && !rest.some((a) => /[*?[]/.test(a))) return true;
      // `grep -o '[0-9]+'` on its input: only the digits it matched.
      // A pattern and one file at most (with several, each line starts with the file's name).
      const ops = rest.filter((a) => !a.startsWith('-'));
      return rest.some((a) => /^-[EPo]*o[EPo]*$/.test(a)) && rest.every((a) => !a.startsWith('-') || /^-[EPo]+$/.test(a)) && ops.length >= 1 && ops.length <= 2
        && DIGITS.test(ops[0]!.replace(/[+*]$|\{\d*,?\d*\}$/, '')) && !ops.slice(1).some((a) => /[*?[]/.test(a));
    }
    case 'stat': {
      const f = rest.findIndex((a) => a === '-c' || a === '--format' || a === '--printf');
      return f >= 0 && /^(%[sbBfhigouXYZWi]|\\n|\s)+$/.test(rest[f + 1] ?? '');
    }
    case 'git': return rest[0] === 'rev-list' && rest.includes('--count');
    case 'echo': return rest.every((a) => /^-?\d+$/.test(a));
    case 'true': case ':': return true;
    // `tr -cd 0-9`: every character but digits (and line ends) deleted.
    case 'tr': return rest.length === 2 && /^-(?:cd|dc|Cd|dC)$/.test(rest[0]!) && /^(?:\[?:digit:\]?|\[\[:digit:\]\]|0-9|0-9\\n|\[:digit:\]\\n|\\n0-9|\\n\[:digit:\])$/.test(rest[1]!);
    default: return false;
  }
}

/** Filters that only keep characters or lines of their input (reading it, no file named). */
function keeps([name, ...rest]: string[]): boolean {
  switch (name) {
    case 'cut': return rest.every((a, i) => /^-(?:[fcbs]+[\d,-]*|d.?|-complement|-only-delimited)$/.test(a) || /^[\d,-]+$/.test(a) || (rest[i - 1] === '-d' && a.length <= 1))
      && !rest.some((a) => a.startsWith('--output'));
    case 'head': case 'tail': return rest.every((a, i) => /^-(?:[nc]?\d*|[nc])$/.test(a) || (/^-[nc]$/.test(rest[i - 1] ?? '') && /^[+-]?\d+$/.test(a)));
    case 'tr': return rest.length === 2 && /^-[ds]+$/.test(rest[0]!);
    case 'sort': return rest.every((a) => /^-[nrug]+$/.test(a));
    case 'uniq': return rest.every((a) => /^-[cdu]*$/.test(a)) && !rest.includes('-c');
    case 'awk': case 'gawk': case 'mawk': return rest.length === 1 && /^\{\s*print\s+\$\d+\s*;?\s*\}$/.test(rest[0]!);
    default: return false;
  }
}

/** `wc [-lcwmL] NAME… | cut -d' ' -f1` (or `awk '{print $1}'`): the counts, never a name. */
function countsFirstField(x: Sh.Stmt, filter: string[]): boolean {
  const w = argvOf(x);
  if (!w || w[0] !== 'wc' || !quiet(x)) return false;
  const names = w.slice(1).filter((a) => !/^-[lcwmL]+$/.test(a));
  if (names.some((n) => n.startsWith('-') || /[\n*?[]/.test(n))) return false;
  const [name, ...rest] = filter;
  if (name === 'awk' || name === 'gawk' || name === 'mawk') return /^\{\s*print\s+\$1\s*;?\s*\}$/.test(rest[0] ?? '');
  // cut on a space, field 1 only (wc pads with spaces: the field is then empty).
  if (name !== 'cut' || rest.includes('--complement')) return false;
  let delim: string | undefined;
  let field: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '-d' || a === '-f') (a === '-d' ? (delim = rest[++i]) : (field = rest[++i]));
    else if (a.startsWith('--delimiter=')) delim = a.slice(12);
    else if (a.startsWith('--fields=')) field = a.slice(9);
    else if (a.startsWith('-d')) delim = a.slice(2);
    else if (a.startsWith('-f')) field = a.slice(2);
  }
  return delim === ' ' && field === '1';
}
