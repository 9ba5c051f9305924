// Interpreter commands, by family: general-purpose languages (scripts.ts), awk, sed scripts,
// vim/ex/ed command scripts, sqlite3. Loaded only when the shell analysis meets one (load.ts).
import type { Arg } from '../shell/context.js';
import type { CodeCtx } from './load.js';
import type { Lang } from './lex.js';
import { awk } from './awk.js';
import { edScript, vim } from './ex.js';
import { denoBun, invocation, langOf, runInvocation } from './scripts.js';
import { moduleLoads } from './preloads.js';
import { sedScripts } from './sed.js';
import { sqlite } from './sqlite.js';

export function codeCommand(name: string, args: Arg[], x: CodeCtx): void {
  if (name === 'deno' || name === 'bun') return moduleLoads(name, 'js', args, denoBun(name, args, x) ?? { operands: [] }, x);
  if (/awk$/.test(name)) return awk(name, args, x);
  if (name === 'sed' || name === 'gsed') return sedScripts(name, args, x);
  if (/^(?:vim?|nvim|ex|view)$/.test(name)) return vim(name, args, x);
  if (name === 'ed' || name === 'red') return edScript(name, args, x);
  if (/^sqlite3?$/.test(name)) return sqlite(name, args, x);
  const lang = langOf(name);
  if (!lang) return;
  const inv = invocation(name, lang, args, x);
  const ran = inv && inv !== 'module' ? runInvocation(inv, lang, name, x) : { operands: [] };
  // Modules it loads by name: preloads, what the code names, what the call wrote (issue 13).
  moduleLoads(name, lang, args, ran, x);
}

/** A program written in `lang` (pytest, jest): the modules it may load by name (load.ts toolModules). */
export function toolLoads(name: string, lang: Lang, x: CodeCtx): void {
  moduleLoads(name, lang, [], { operands: [] }, x);
}
