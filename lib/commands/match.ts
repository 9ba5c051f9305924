// Command rules compiled and indexed by command name, and judged against the commands the shell
// analysis found. A call that runs no command named by a rule costs one map lookup per command.
import fs from 'node:fs';
import path from 'node:path';
import { Minimatch } from 'minimatch';
import type { Effect } from '../types.js';
import { compileGlobs, globMatches, subjectOf, type CompiledGlob, type GlobContext } from '../rules.js';
import type { SeenCommand } from '../targets/shell/seen.js';
import { U } from '../targets/shell/context.js';
import { withoutChain, parseArgs, type ParsedArgs } from './argv.js';
import { hostPathOf, type ContainerView } from './container.js';
import { placeIs, placeOf, type PlaceContext } from './places.js';
import { programFromNetwork } from './remote.js';
import type { Condition, CommandRule } from './schema.js';
import { sqlKinds } from './sql.js';

export interface CompiledCommandRule {
  id: string;
  effect: Effect;
  reason: string;
  locked: boolean;
  /** `builtin:<preset>` or the config file path. */
  layer: string;
  /** The preset this rule comes from, if any. */
  preset?: string;
  /** Long option names the rule's conditions and syntax mention (for abbreviations). */
  longNames: string[];
  /** `path` conditions' globs, compiled on first use against the call's roots and homes. */
  pathGlobs?: Map<Condition, CompiledGlob[]>;
  source: CommandRule;
}

export interface CommandIndex {
  byName: Map<string, CompiledCommandRule[]>;
  /** Rules whose name ends in `*` (`mkfs*`), tried by prefix. */
  prefixed: [string, CompiledCommandRule][];
  /** `*` rules: tried only on a function's call of itself (their one use is `recursion`). */
  any: CompiledCommandRule[];
  /**
   * The rules a command whose name is unknown (`$(command -v git) push -f`, `$TOOL reset --hard`)
   * is judged against: every named rule with a subcommand or a condition beyond flags (one with
   * neither, `dropdb`, would match every unknown command; flags alone, `wipefs -o`, any `$CC -o`).
   */
  unnamed: CompiledCommandRule[];
  size: number;
}

const DEFAULT_REASON: Record<Effect, string> = {
  deny: 'this command is destructive', ask: 'this command needs confirmation', allow: 'allowed by configuration',
};

export function compileCommandRule(rule: CommandRule, layer: string, effect: Effect = rule.effect): CompiledCommandRule {
  // Operand and value globs are compiled on first use (operandGlob): most rules never meet their command.
  const longNames = new Set<string>();
  for (const c of rule.when ?? []) {
    for (const o of [...(c.flag ?? []), ...(c.noFlag ?? []), ...(c.option ?? []), ...(c.noOption ?? [])]) if (o.startsWith('--')) longNames.add(o);
    // `--no-dry` is git's abbreviation of `--no-dry-run`, which undoes a dry run.
    for (const o of [...(c.noFlag ?? []), ...(c.noOption ?? [])]) if (o.startsWith('--')) longNames.add(negation(o));
  }
  for (const o of [...(rule.syntax?.values ?? []), ...(rule.syntax?.globals ?? [])]) if (o.startsWith('--')) longNames.add(o);
  return {
    id: rule.id, effect, reason: rule.reason ?? DEFAULT_REASON[effect], locked: rule.locked, layer,
    ...(layer.startsWith('builtin:') ? { preset: layer.slice(8) } : {}),
    longNames: [...longNames], source: rule,
  };
}

/** A condition that says more than which flags are present. */
const specific = (c: Condition): boolean => Object.keys(c).some((k) => !['flag', 'noFlag', 'option', 'noOption', 'value', 'at'].includes(k));

export function indexCommandRules(rules: CompiledCommandRule[]): CommandIndex {
  const byName = new Map<string, CompiledCommandRule[]>();
  const prefixed: [string, CompiledCommandRule][] = [];
  const any: CompiledCommandRule[] = [];
  for (const r of rules) {
    for (const n of r.source.command) {
      if (n === '*') any.push(r);
      else if (n.endsWith('*')) prefixed.push([n.slice(0, -1), r]);
      else {
        const list = byName.get(n);
        if (list) list.push(r);
        else byName.set(n, [r]);
      }
    }
  }
  const unnamed = rules.filter((r) => !r.source.command.includes('*') && (r.source.subcommand !== undefined || (r.source.when ?? []).some(specific)));
  return { byName, prefixed, any, unnamed, size: rules.length };
}

/** The rules naming this command (in configured order); `*` rules for a function calling itself. */
export function rulesFor(index: CommandIndex, name: string, selfCall = false): CompiledCommandRule[] {
  const exact = index.byName.get(name);
  if (index.prefixed.length === 0 && !(selfCall && index.any.length > 0)) return exact ?? [];
  const out = exact ? [...exact] : [];
  if (selfCall) out.push(...index.any);
  for (const [p, r] of index.prefixed) if (name.startsWith(p) && !out.includes(r)) out.push(r);
  return out;
}

export interface MatchContext {
  places: PlaceContext;
  /** How many times each shell function calls itself in its own body. */
  selfCalls: Map<string, number>;
  /** Set for commands run inside a container. */
  container?: ContainerView;
  /** What `path` globs are anchored to. */
  glob: GlobContext;
}

/** Help and version output never runs the command. */
function helpOnly(args: readonly string[]): boolean {
  const sep = args.indexOf('--');
  const head = sep < 0 ? args : args.slice(0, sep);
  return head.includes('--help') || head.includes('-help') || head.includes('--version');
}

const negation = (long: string): string => `--no-${long.slice(2)}`;

/**
 * Whether a flag is in force: its last occurrence is one of its spellings, not a later
 * `--no-<long>` that undoes it (git, GNU and Go tools read booleans so; a tool without the
 * negation rejects the word, so reading it so never lets a real run pass for a dry one).
 */
function inForce(p: ParsedArgs, spellings: readonly string[]): boolean {
  const negs = spellings.filter((s) => s.startsWith('--')).map(negation);
  for (let i = p.seq.length - 1; i >= 0; i--) {
    const name = p.seq[i]![0];
    if (spellings.includes(name)) return true;
    if (negs.includes(name)) return false;
  }
  return false;
}

/**
 * `noOption` with `value`: the option's last occurrence has a value matching a glob (a bare
 * occurrence reads as "true": `--dry-run` alone is a dry run, `--dry-run=none` is not).
 */
function optionSetTo(p: ParsedArgs, spellings: readonly string[], globs: readonly string[] | undefined): boolean {
  if (!globs) return inForce(p, spellings);
  for (let i = p.seq.length - 1; i >= 0; i--) {
    const [name, v] = p.seq[i]!;
    if (spellings.includes(name)) return globHit(globs, v ?? 'true');
    if (spellings.some((s) => s.startsWith('--') && name === negation(s))) return false;
  }
  return false;
}

/** Whether the rule matches this command. */
export function ruleMatchesCommand(r: CompiledCommandRule, cmd: SeenCommand, ctx: MatchContext): boolean {
  const texts = cmd.args.map((a) => a.text);
  if (helpOnly(texts)) return false;
  const syntax = r.source.syntax ?? {};
  const rest = r.source.subcommand ? withoutChain(texts, r.source.subcommand, syntax) : texts;
  if (!rest) return false;
  // Global options before the chain and options after it are read alike (`kubectl -n x delete`, `kubectl delete -n x`).
  const p = parseArgs(rest, syntax, r.longNames);
  for (const c of r.source.when ?? []) if (!holds(c, p, r, cmd, ctx)) return false;
  return true;
}

function pick(ops: string[], at: Condition['at'], p: ParsedArgs): string[] {
  if (at === 'first') return ops.slice(0, 1);
  if (at === 'last') return ops.slice(-1);
  if (at === 'rest') return ops.slice(1);
  return ops;
  void p;
}

/**
 * Words are not paths: `*` must match across `/` (`+*` is every +refspec, `+HEAD:refs/heads/x`
 * too), so both the glob and the word have their slashes swapped for a character minimatch does
 * not treat as a separator.
 */
const slashless = (s: string): string => s.replace(/\//g, '\u2215');

/**
 * Compiled operand globs by pattern. Every call loads its config afresh, and compiling the presets'
 * globs each time cost about a millisecond per call; a Minimatch depends on its pattern alone (the
 * options are fixed), so one compiled for an earlier call is the same object this call would build.
 * Bounded: a config with more distinct patterns than this only compiles the excess again.
 */
const compiled = new Map<string, Minimatch>();
const MAX_COMPILED = 2000;

function operandGlob(g: string): Minimatch {
  let m = compiled.get(g);
  if (!m) {
    m = new Minimatch(slashless(g), { nocase: true, dot: true, nocomment: true, nonegate: true, braceExpandMax: 64 });
    if (compiled.size >= MAX_COMPILED) compiled.clear();
    compiled.set(g, m);
  }
  return m;
}

function globHit(globs: readonly string[] | undefined, s: string): boolean {
  if (!globs || globs.length === 0) return false;
  const w = slashless(s);
  return globs.some((g) => operandGlob(g).match(w));
}

/** The files `cat` (the last stage before this one) pipes into it: `cat a.sql b.sql | psql`. */
function catFiles(cmd: SeenCommand): string[] | undefined {
  const last = cmd.fed?.at(-1);
  if (!last || last.name !== 'cat' || last.cwd.includes(U)) return undefined;
  return last.args.map((a) => a.text).filter((t) => !t.startsWith('-') && !t.includes(U)).map((t) => path.posix.resolve(last.cwd, t));
}

/** Existence as `lstat` sees it (a dangling link is a file there); a failure reads as absent. */
function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** An operand made entirely of an unknown expansion is not taken for any word (documented). */
const known = (s: string): boolean => !s.startsWith(U);

function holds(c: Condition, p: ParsedArgs, r: CompiledCommandRule, cmd: SeenCommand, ctx: MatchContext): boolean {
  if (c.flag && !c.flag.some((f) => p.flags.includes(f))) return false;
  if (c.noFlag && inForce(p, c.noFlag)) return false;
  if (c.noOption && optionSetTo(p, c.noOption, c.value)) return false;
  if (c.option) {
    const vals = p.values.filter(([k]) => c.option!.includes(k)).map(([, v]) => v);
    if (c.value ? !vals.some((v) => globHit(c.value, v)) : vals.length === 0 && !c.option.some((f) => p.flags.includes(f))) return false;
  }
  const ops = pick(p.operands, c.at, p).filter(known);
  if (c.operand && !ops.some((o) => globHit(c.operand, o) && !globHit(c.except, o))) return false;
  if (c.noOperand && ops.some((o) => globHit(c.noOperand, o))) return false;
  if (c.afterSeparator && p.separator >= p.operands.length) return false;
  const hostPath = (o: string): string | undefined => {
    const at = placeOf(o, cmd.cwd, ctx.places);
    return at === undefined ? undefined : ctx.container ? hostPathOf(at, ctx.container) : at;
  };
  if (c.place && !ops.some((o) => {
    const host = hostPath(o);
    return host !== undefined && placeIs(host, c.place!, ctx.places);
  })) return false;
  if (c.exists && !ops.some((o) => {
    const host = hostPath(o);
    return host !== undefined && exists(host);
  })) return false;
  if (c.path) {
    const cache = (r.pathGlobs ??= new Map());
    let globs: CompiledGlob[] | undefined = cache.get(c);
    if (!globs) cache.set(c, (globs = c.path.flatMap((g: string) => compileGlobs(g, ctx.glob))));
    const hit = ops.some((o) => {
      const host = hostPath(o);
      if (host === undefined) return false;
      const s = subjectOf(host, ctx.places.platform);
      return globs!.some((g: CompiledGlob) => globMatches(g, s));
    });
    if (!hit) return false;
  }
  // A command whose name is unknown is judged as the (first) command the rule names.
  const as = cmd.unknownName ? (r.source.command.find((n) => !n.endsWith('*')) ?? cmd.name) : cmd.name;
  if (c.sql) {
    const kinds = sqlKinds(as, p, { stdin: cmd.stdin, stdinFile: cmd.stdinFile, fedFiles: catFiles(cmd), cwd: cmd.cwd });
    if (!c.sql.some((k) => kinds.has(k))) return false;
  }
  if (c.program === 'network' && !programFromNetwork(as === cmd.name ? cmd : { ...cmd, name: as })) return false;
  if (c.recursion && !(cmd.fn === cmd.name && (ctx.selfCalls.get(cmd.name) ?? 0) >= 2)) return false;
  return true;
}
