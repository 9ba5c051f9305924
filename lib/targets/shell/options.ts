// GNU-style option parsing for the commands the guard reads: combined short flags (`-rf`),
// values attached or separate (`-tDIR`, `-t DIR`), long options with `=` or a separate value,
// unique prefixes of long options (`--target=` is `--target-directory=`), `--` and `-`.
import type { Arg } from './types.js';

export interface OptSpec {
  /** Short options that take a value (attached, or the next argument). */
  arg?: string;
  /** Short options whose value is optional and only attached (`sed -i.bak`). */
  optArg?: string;
  /** Long options (no dashes) that take a value (`--name=v` or `--name v`). */
  long?: readonly string[];
  /** Other long options, only to resolve abbreviations. */
  flags?: readonly string[];
  /** Options end at the first operand (wrappers: the rest is a command). */
  posix?: boolean;
  /** Long options are never abbreviated (single-dash tools: openssl's `-new` is not `-newkey`). */
  exact?: boolean;
}

export interface Opt {
  name: string;
  value?: Arg;
}

export interface Parsed {
  opts: Opt[];
  operands: Arg[];
  /** Index in `args` where parsing stopped with `posix` (first operand), else args.length. */
  end: number;
}

export function parseOpts(args: Arg[], spec: OptSpec): Parsed {
  const opts: Opt[] = [];
  const operands: Arg[] = [];
  const arg = spec.arg ?? '';
  const optArg = spec.optArg ?? '';
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i]!;
    const t = a.text;
    if (t === '--') {
      i++;
      break;
    }
    if (!t.startsWith('-') || t === '-') {
      if (spec.posix) break;
      operands.push(a);
      continue;
    }
    if (t.startsWith('--')) {
      const eq = t.indexOf('=');
      const name = canon(eq < 0 ? t.slice(2) : t.slice(2, eq), spec);
      if (eq >= 0) opts.push({ name, value: { text: t.slice(eq + 1), literal: a.literal } });
      else if (spec.long?.includes(name) && i + 1 < args.length) opts.push({ name, value: args[++i]! });
      else opts.push({ name });
      continue;
    }
    for (let k = 1; k < t.length; k++) {
      const c = t[k]!;
      if (arg.includes(c)) {
        const rest = t.slice(k + 1);
        if (rest !== '') opts.push({ name: c, value: { text: rest, literal: a.literal } });
        else if (i + 1 < args.length) opts.push({ name: c, value: args[++i]! });
        else opts.push({ name: c });
        break;
      }
      if (optArg.includes(c)) {
        opts.push({ name: c, value: { text: t.slice(k + 1), literal: a.literal } });
        break;
      }
      opts.push({ name: c });
    }
  }
  const end = i;
  for (; i < args.length; i++) operands.push(args[i]!);
  return { opts, operands, end };
}

function canon(name: string, spec: OptSpec): string {
  const all = [...(spec.long ?? []), ...(spec.flags ?? [])];
  if (all.includes(name) || spec.exact) return name;
  const hits = all.filter((n) => n.startsWith(name));
  return hits.length === 1 ? hits[0]! : name;
}

export function has(p: Parsed, ...names: string[]): boolean {
  return p.opts.some((o) => names.includes(o.name));
}

/** Values of the options named (in order). */
export function values(p: Parsed, ...names: string[]): Arg[] {
  const out: Arg[] = [];
  for (const o of p.opts) if (o.value && names.includes(o.name)) out.push(o.value);
  return out;
}
