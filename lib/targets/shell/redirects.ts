// Redirections: files written (`>`, `>>`, `>|`, `&>`, `&>>`, `n>`, `<>`, `>&file`), read (`<`),
// and the literal text a heredoc or here-string feeds to the command's standard input.
import type * as Sh from './ast.js';
import { U, joinPath, type Env, type Input } from './context.js';
import { expandArgs } from './glob.js';
import { shellParser } from './parse.js';
import type { Scope } from './scope.js';
import { expandWord, partsAtoms, wordString, type Item } from './words.js';

export interface Redirected {
  /** Set when a redirection decides standard input (a heredoc, here-string, `<`...). */
  stdin?: { value: Input; file?: string };
  /** Standard output goes to a file or another descriptor: nothing reaches a pipe. */
  stdoutTaken: boolean;
}

export function redirects(list: (Sh.Redirect | null)[], sc: Scope, env: Env): Redirected {
  const res: Redirected = { stdoutTaken: false };
  if (list.length === 0) return res;
  const { ops } = shellParser();
  const opText = new Map<number, string>([
    [ops.rdrOut, '>'], [ops.appOut, '>>'], [ops.clbOut, '>|'], [ops.rdrAll, '&>'], [ops.appAll, '&>>'],
    [ops.rdrInOut, '<>'], [ops.dplOut, '>&'], [ops.rdrIn, '<'],
  ]);
  for (const r of list) {
    if (!r) continue;
    const op = r.Op as number;
    const fd = r.N?.Value;
    const onStdin = fd === undefined || fd === '0';
    const onStdout = fd === undefined || fd === '1';
    if (op === ops.hdoc || op === ops.dashHdoc) {
      const text = heredocText(r, op === ops.dashHdoc, sc, env);
      if (onStdin) res.stdin = { value: text };
      continue;
    }
    if (op === ops.wordHdoc) {
      const text = `${wordString(r.Word, sc, env)}\n`;
      if (onStdin) res.stdin = { value: text };
      continue;
    }
    if (!r.Word) continue;
    if (op === ops.dplIn) {
      wordString(r.Word, sc, env);
      if (onStdin) res.stdin = { value: null };
      continue;
    }
    const via = `redirect ${fd ?? ''}${opText.get(op) ?? '>'}`;
    const args = expandArgs(expandWord(r.Word, sc, env), sc.cwd, env.run);
    if (op === ops.dplOut) {
      // `2>&1`, `>&2`, `>&-` duplicate or close a descriptor; `>&file` is `&>file`.
      if (args.length === 1 && /^(\d+|-)$/.test(args[0]!.text)) {
        if (onStdout) res.stdoutTaken = true;
        continue;
      }
      for (const a of args) env.run.emit('write', a, sc.cwd, via);
      if (onStdout) res.stdoutTaken = true;
      continue;
    }
    if (op === ops.rdrIn) {
      for (const a of args) env.run.emit('read', a, sc.cwd, via);
      const one = args.length === 1 ? joinPath(sc.cwd, args[0]!.text) : U;
      if (onStdin) res.stdin = one.includes(U) ? { value: null } : { value: null, file: one };
      continue;
    }
    for (const a of args) env.run.emit('write', a, sc.cwd, via);
    if (op === ops.rdrAll || op === ops.appAll || (op !== ops.rdrInOut && onStdout)) res.stdoutTaken = true;
    if (op === ops.rdrInOut && onStdin) res.stdin = { value: null };
  }
  return res;
}

/**
 * Body of a heredoc. With a quoted delimiter (`<<'EOF'`, `<<"EOF"`, `<<\EOF`) it is data, taken
 * as written; otherwise parameters and command substitutions in it are expanded (and analyzed).
 */
export function heredocText(r: Sh.Redirect, dash: boolean, sc: Scope, env: Env): string {
  const quoted = r.Word?.Parts.some((p) => p.type !== 'Lit' || (p as Sh.Lit).Value.includes('\\')) ?? false;
  const parts = r.Hdoc?.Parts ?? [];
  let text = '';
  if (quoted) {
    for (const p of parts) text += p.type === 'Lit' ? (p as Sh.Lit).Value : env.src.of(p);
  } else {
    for (const p of parts) {
      if (p.type === 'Lit') {
        text += unescapeHeredoc((p as Sh.Lit).Value);
        continue;
      }
      const items: Item[] = [];
      partsAtoms([p], { quoted: true, assign: false }, sc, env, items, false);
      for (const it of items) text += it === 'break' ? ' ' : it.text;
    }
  }
  if (dash) text = text.replace(/^\t+/gm, '');
  return text;
}

/** In an unquoted heredoc a backslash escapes only $ ` \ and newline. */
function unescapeHeredoc(s: string): string {
  return s.includes('\\') ? s.replace(/\\([$`\\\n])/g, (_, c: string) => (c === '\n' ? '' : c)) : s;
}
