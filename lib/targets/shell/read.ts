// `read` and `mapfile` fed literal text (a here-string, a heredoc, `echo … |`): the variables get
// the words of the input. Which line a `read` gets depends on how many ran before it (a loop), so
// with several lines each variable is unknown with every line's value as an alternative, all
// checked as paths. Input that is not literal leaves them unknown, as before.
import { U, type Frame } from './context.js';
import { parseOpts } from './options.js';
import { UNSET, type Scope } from './scope.js';
import { setArray } from './arrays.js';
import type { Arg, Out } from './types.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MAX_LINES = 8;

/** IFS as the command set it (bash ignores an inherited one); null when set to something unknown. */
function ifsOf(sc: Scope, prefix?: string): string | null {
  if (prefix !== undefined) return prefix.includes(U) ? null : prefix;
  if (!sc.assigned('IFS')) return ' \t\n';
  const v = sc.get('IFS');
  return v === UNSET ? ' \t\n' : v.includes(U) ? null : v;
}

/** One record split into `n` fields as `read` does: the last takes the rest of the line. */
function fields(line: string, n: number, ifs: string): string[] {
  const ws = [...ifs].filter((c) => c === ' ' || c === '\t' || c === '\n').join('');
  const isWs = (c: string): boolean => ws.includes(c);
  const isSep = (c: string): boolean => ifs.includes(c);
  let i = 0;
  const skipWs = (): void => {
    while (i < line.length && isWs(line[i]!)) i++;
  };
  skipWs();
  const out: string[] = [];
  while (out.length < n - 1 && i < line.length) {
    let j = i;
    while (j < line.length && !isSep(line[j]!)) j++;
    out.push(line.slice(i, j));
    i = j;
    skipWs();
    if (i < line.length && isSep(line[i]!) && !isWs(line[i]!)) {
      i++;
      skipWs();
    }
  }
  let rest = line.slice(i);
  let e = rest.length;
  while (e > 0 && isWs(rest[e - 1]!)) e--;
  rest = rest.slice(0, e);
  if (n > 0) out.push(rest);
  while (out.length < n) out.push('');
  return out;
}

/** Splits all fields of a line (read -a). */
function allFields(line: string, ifs: string): string[] {
  return fields(line, 1 << 20, ifs).filter((f, k, a) => f !== '' || k < a.length - 1).filter((f) => f !== '');
}

function records(input: string, delim: string | undefined, raw: boolean): string[] {
  const sep = delim === undefined ? '\n' : delim === '' ? '\u0000' : delim[0]!;
  let text = input;
  if (!raw) text = text.replace(/\\\n/g, '').replace(/\\(.)/g, '$1');
  const recs = text.split(sep);
  if (recs.length > 1 && recs[recs.length - 1] === '') recs.pop();
  return recs;
}

/** `ifs`: the value of an `IFS=… read` prefix assignment. */
export const readBuiltin = (args: Arg[], sc: Scope, fr: Frame, ifs0?: string): Out => {
  const p = parseOpts(args, { arg: 'adinNptu' });
  const opt = (n: string): Arg | undefined => p.opts.find((o) => o.name === n)?.value;
  const names = p.operands.map((a) => a.text).filter((n) => NAME.test(n));
  const arr = opt('a')?.text;
  const unknownAll = (): Out => {
    if (arr && NAME.test(arr)) setArray(sc, arr, null);
    for (const n of names.length > 0 || arr ? names : ['REPLY']) sc.set(n, U);
    return null;
  };
  if (typeof fr.stdin !== 'string' || fr.stdin.includes(U) || p.opts.some((o) => 'nNu'.includes(o.name))) return unknownAll();
  const recs = records(fr.stdin, opt('d')?.text, p.opts.some((o) => o.name === 'r'));
  if (recs.length === 0 || recs.length > MAX_LINES) return unknownAll();
  const ifs = ifsOf(sc, ifs0);
  if (ifs === null) return unknownAll();
  if (arr && NAME.test(arr)) {
    setArray(sc, arr, recs.length === 1 ? allFields(recs[0]!, ifs) : null);
    return null;
  }
  // Without names the whole line goes to REPLY, untrimmed.
  const targets = names.length > 0 ? names : ['REPLY'];
  const per = recs.map((r) => (names.length > 0 ? fields(r, targets.length, ifs) : [r]));
  targets.forEach((n, k) => {
    const vals = [...new Set(per.map((f) => f[k] ?? ''))];
    if (vals.length === 1 && recs.length === 1) sc.set(n, vals[0]!);
    // Which line this read gets is not known (a loop, an earlier read): any of them, or none. The
    // lines are all listed, so it is one of known paths, not text that may be any path (given).
    else sc.set(n, U, [...vals, ''], true);
  });
  return null;
};

/** `mapfile -t arr <<< TEXT`: one element per line. */
export const mapfileBuiltin = (args: Arg[], sc: Scope, fr: Frame): Out => {
  const p = parseOpts(args, { arg: 'dnOsuCc' });
  const name = p.operands[0]?.text ?? 'MAPFILE';
  if (!NAME.test(name)) return null;
  const known = typeof fr.stdin === 'string' && !fr.stdin.includes(U) && p.opts.every((o) => 'td'.includes(o.name));
  if (!known) {
    setArray(sc, name, null);
    return null;
  }
  const delim = p.opts.find((o) => o.name === 'd')?.value?.text;
  const sep = delim === undefined ? '\n' : delim === '' ? '\u0000' : delim[0]!;
  const trim = p.opts.some((o) => o.name === 't');
  const parts = (fr.stdin as string).split(sep);
  const items = parts.map((x, k) => (trim || k === parts.length - 1 ? x : x + sep));
  if (items.length > 0 && items[items.length - 1] === '') items.pop();
  setArray(sc, name, items);
  return null;
};
