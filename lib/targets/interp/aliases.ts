// Functions called under another name: `const {execSync: e} = require('child_process')`,
// `import {execSync as e} from 'child_process'`, `from subprocess import run as r`,
// `const e = cp.execSync`, `const run = util.promisify(cp.exec)`. A call of the alias is read as
// a call of the function (resolve.ts `dotted`), so the text it is given is judged as it would be
// given to the function itself (red team 3: a destructured `execSync` ran a shell unseen).
import type { Lang, Token } from './lex.js';

const isId = (t: Token | undefined, v?: string): t is Token & { k: 'id'; v: string } => t?.k === 'id' && (v === undefined || t.v === v);
const isP = (t: Token | undefined, v: string): boolean => t?.k === 'p' && t.v === v;

/** Index of the bracket closing the one at i (or the end). */
function close(t: Token[], i: number): number {
  const open = (t[i] as { v: string }).v;
  const end = open === '(' ? ')' : open === '[' ? ']' : '}';
  let depth = 0;
  for (let k = i; k < t.length; k++) {
    if (isP(t[k], open)) depth++;
    else if (isP(t[k], end) && --depth === 0) return k;
  }
  return t.length;
}

/** alias -> the function's own (last) name. Bounded by the token count. */
export function aliasesOf(t: Token[], lang: Lang): Map<string, string> {
  const out = new Map<string, string>();
  if (lang !== 'js' && lang !== 'python') return out;
  const add = (alias: string, fn: string): void => {
    if (alias !== fn && out.size < 256) out.set(alias, fn);
  };
  for (let i = 0; i < t.length; i++) {
    const x = t[i]!;
    // `NAME as ALIAS` (JS import lists, Python `from m import f as g`).
    if (isId(x, 'as') && isId(t[i - 1]) && isId(t[i + 1])) add((t[i + 1] as { v: string }).v, (t[i - 1] as { v: string }).v);
    // A destructuring pattern (JS): `const {f: g, h: {i: j}} = …`, `import {f as g}`, `({f: g} = …)`.
    if (lang === 'js' && isP(x, '{')) {
      const end = close(t, i);
      const before = t[i - 1];
      const pattern = isId(before, 'const') || isId(before, 'let') || isId(before, 'var') || isId(before, 'import') || isP(t[end + 1], '=');
      if (pattern) {
        for (let k = i + 1; k < end; k++) {
          if (isId(t[k]) && isP(t[k + 1], ':') && isId(t[k + 2]) && (isP(t[k + 3], ',') || isP(t[k + 3], '}') || isP(t[k + 3], '='))) {
            add((t[k + 2] as { v: string }).v, (t[k] as { v: string }).v);
          }
        }
      }
    }
    // `ALIAS = a.b.f` or `ALIAS = require('m').f` to the statement's end, or `ALIAS = promisify(a.f)`.
    if (isId(x) && isP(t[i + 1], '=') && !isP(t[i - 1], '.')) {
      let k = i + 2;
      if (isId(t[k], 'promisify') || (isId(t[k]) && isP(t[k + 1], '.') && isId(t[k + 2], 'promisify'))) {
        k += isId(t[k], 'promisify') ? 1 : 3;
        if (!isP(t[k], '(')) continue;
        k++;
      }
      if (isId(t[k], 'require') && isP(t[k + 1], '(') && t[k + 2]?.k === 'str' && isP(t[k + 3], ')')) k += 4;
      else if (isId(t[k])) k++;
      else continue;
      let last: string | undefined;
      while (isP(t[k], '.') && isId(t[k + 1])) {
        last = (t[k + 1] as { v: string }).v;
        k += 2;
      }
      // A bare name (`run = promisify(exec)`).
      if (last === undefined && isId(t[k - 1]) && !isId(t[k - 1], 'require')) last = (t[k - 1] as { v: string }).v;
      const after = t[k];
      if (last !== undefined && (after === undefined || isP(after, ';') || isP(after, ',') || isP(after, ')') || isP(after, '\n'))) add(x.v, last);
    }
  }
  return out;
}
