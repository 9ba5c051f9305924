// Reads a command's arguments with one rule's syntax facts: the subcommand chain (options before
// each step skipped, their values too), then flags in every spelling, option values and operands.
// Nothing here knows a particular command: that is data in the rules.
import type { Syntax } from './schema.js';

export interface ParsedArgs {
  /** Flags as spelled canonically: `-f` per bundled letter, `--force` / `-destroy` without `=value`. */
  flags: string[];
  /** Options with their value (`--git-dir=x`, `-C dir`, `-mmsg`), keyed as in `flags`. */
  values: [string, string][];
  operands: string[];
  /** Index in `operands` of the first operand after `--` (operands.length when none). */
  separator: number;
  /**
   * Every option occurrence in order, with its value when it has one: the last occurrence of a
   * boolean decides for the tools that read them (`--dry-run --no-dry-run`, `--dry-run=none`).
   */
  seq: [string, string | undefined][];
}

/** Skips options before a subcommand word; returns the index of the word, or -1. */
function nextWord(args: readonly string[], from: number, takesValue: (o: string) => boolean): number {
  for (let i = from; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') return -1;
    if (a.length > 1 && a.startsWith('-')) {
      if (!a.includes('=') && takesValue(a)) i++;
      continue;
    }
    return i;
  }
  return -1;
}

/**
 * The arguments without the subcommand chain's words (global options before it stay: their
 * values count too), or undefined when the chain is not there. `-C dir` and `-Cdir` both hold
 * the value: only the exact spelling takes the next word.
 */
export function withoutChain(args: readonly string[], chain: readonly (string | readonly string[])[], syntax: Syntax): string[] | undefined {
  const takes = new Set([...(syntax.globals ?? []), ...(syntax.values ?? [])]);
  const out: string[] = [];
  let at = 0;
  for (const step of chain) {
    const i = nextWord(args, at, (o) => takes.has(o));
    if (i < 0) return undefined;
    const alts = typeof step === 'string' ? [step] : step;
    if (!alts.includes(args[i]!)) return undefined;
    out.push(...args.slice(at, i));
    at = i + 1;
  }
  out.push(...args.slice(at));
  return out;
}

/** Parses `args` (the words after the chain) with the rule's syntax. */
export function parseArgs(args: readonly string[], syntax: Syntax, longNames: readonly string[]): ParsedArgs {
  const out: ParsedArgs = { flags: [], values: [], operands: [], separator: -1, seq: [] };
  const values = new Set([...(syntax.values ?? []), ...(syntax.globals ?? [])]);
  const long = (name: string): string => (syntax.abbrev ? expandAbbrev(name, longNames) : name);
  let expression = false; // leadingOperands: past the first option, words are expression arguments
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') {
      if (out.separator < 0) out.separator = out.operands.length;
      // Past `--` every word is an operand to the command, but a flag spelled there still counts:
      // tools that permute arguments differ, and the safe reading is the one that blocks.
      for (const b of args.slice(i + 1)) {
        out.operands.push(b);
        if (b.startsWith('-') && b.length > 1) addFlags(b, out, syntax, values, long, true);
      }
      break;
    }
    if (a.length < 2 || !a.startsWith('-')) {
      if (!expression) out.operands.push(a);
      continue;
    }
    if (syntax.leadingOperands) expression = true;
    const consumed = addFlags(a, out, syntax, values, long, false);
    if (consumed && i + 1 < args.length) {
      out.values.push([consumed, args[++i]!]);
      out.seq[out.seq.length - 1]![1] = args[i]!;
    }
  }
  if (out.separator < 0) out.separator = out.operands.length;
  return out;
}

/** Records the flags of one option word; returns the option whose value is the next word, if any. */
function addFlags(a: string, out: ParsedArgs, syntax: Syntax, values: Set<string>, long: (n: string) => string, after: boolean): string | undefined {
  if (a.startsWith('--') || syntax.singleDash) {
    const eq = a.indexOf('=');
    const name = long(eq < 0 ? a : a.slice(0, eq));
    if (eq >= 0) {
      out.values.push([name, a.slice(eq + 1)]);
      out.flags.push(name);
      out.seq.push([name, a.slice(eq + 1)]);
      return undefined;
    }
    out.flags.push(name);
    out.seq.push([name, undefined]);
    return !after && values.has(name) ? name : undefined;
  }
  for (let k = 1; k < a.length; k++) {
    const f = `-${a[k]}`;
    out.flags.push(f);
    out.seq.push([f, undefined]);
    if (values.has(f)) {
      if (k + 1 < a.length) {
        out.values.push([f, a.slice(k + 1)]);
        out.seq[out.seq.length - 1]![1] = a.slice(k + 1);
        return undefined;
      }
      return after ? undefined : f;
    }
  }
  return undefined;
}

/** `--forc` is `--force` when it is a prefix of exactly the names the rule knows (fail closed: of any). */
function expandAbbrev(name: string, names: readonly string[]): string {
  if (!name.startsWith('--') || name.length < 4 || names.includes(name)) return name;
  const hit = names.find((n) => n.startsWith('--') && n.startsWith(name));
  return hit ?? name;
}
