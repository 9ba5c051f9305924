// Secret redaction for audit records. Every string value is scanned (object keys too), so a record
// never carries a token whatever field it sits in. Secrets become `[REDACTED:<kind>]`.
//
// Bounded for any input, by counting work rather than trusting patterns:
// - every built-in pattern scans in time linear in its text (see secret-rules.ts; each pattern is
//   checked by test/lib/redact-patterns.test.ts);
// - one call redacts at most `maxChars` characters (all strings and keys together); text past that
//   is replaced by `[REDACTED:over-limit]`, never passed through;
// - every rule run costs the length of the text it scans, and a call that would spend more than
//   `maxWork` fails closed: the string being redacted, and every later one, becomes
//   `[REDACTED:incomplete]`;
// - at most three passes; text that still changes on the third fails closed the same way.
// Redaction is idempotent: text inside a marker is never scanned again.
import { GuardError } from './types.js';
import { CLI_PASSWORD_OPTIONS, FIRST, LAST, SECRET_WORDS, VALUE, type RuleRow } from './secret-rules.js';
import { GITLEAKS_RULES } from './secret-patterns.js';
import { COMMAND_KEYWORDS, commandSecrets, type Span } from './redact-commands.js';

interface Rule {
  kind: string;
  /** Compiled on first use: most rules never run on a given call (their keywords are absent). */
  re: () => RegExp;
  /** Lower-case words of which one must occur in the text for the rule to run (a cheap prefilter). */
  keywords?: readonly string[];
  /** 'keep1': group 1 is context kept, the rest of the match is the secret; a number: that group (0: all). */
  secret: 'keep1' | number;
  /** A command rule: `re` finds the program, `option` (group 1 kept) the secret up to the command's end. */
  option?: () => RegExp;
  /** A shell-shape rule: finds its spans itself (each with its kind), linear in the text. */
  find?: (text: string, spend: (units: number) => void) => Span[];
}

export interface RedactOptions {
  /** Characters redacted per call, all strings and keys together (default DEFAULT_MAX_CHARS). */
  maxChars?: number;
  /** Work units per call (a rule run over n characters costs n + 256); default DEFAULT_MAX_WORK. */
  maxWork?: number;
}

export interface RedactStats {
  /** Work units spent (see RedactOptions.maxWork). */
  work: number;
  /** Regular expression runs (one rule over one segment of text). */
  runs: number;
  /** Strings replaced by `[REDACTED:incomplete]` (budget spent or no fixed point in three passes). */
  incomplete: number;
  /** Strings cut at maxChars (the rest replaced by `[REDACTED:over-limit]`). */
  cut: number;
}

export type Redactor = (value: unknown) => unknown;

export const INCOMPLETE = '[REDACTED:incomplete]';
export const OVER_LIMIT = '[REDACTED:over-limit]';
/**
 * Defaults: 1 Mi characters keeps more than any default record holds (maxInputBytes is 8 KiB), and
 * 32 M work units are about 0.2 s of CPU for the slowest rule mix measured on the project's machine (see
 * docs/threat-model/redact.md), a small share of the hook's 10 s budget.
 */
export const DEFAULT_MAX_CHARS = 1024 * 1024;
export const DEFAULT_MAX_WORK = 32_000_000;
const RUN_COST = 256;
/** A match or keyword hit: one more exec call, slices and string building (measured at about 0.5 us). */
const MATCH_COST = 128;
/** Rules whose scan costs more per character than the rest (measured): their runs are counted so. */
const WEIGHT: Record<string, number> = { 'private-key': 3 };
/** The keyword scan per character, relative to a rule's scan (measured). */
const KEYWORD_WEIGHT = 2;
/** The shell-shape rule per character: lexing plus the one program scan (measured); its other steps count themselves. */
const FIND_WEIGHT = 4;
const MAX_PASSES = 3;
const MARKER_SPLIT = /(\[REDACTED:[a-z0-9-]{1,40}\])/;
const WHOLE_MARKER = /^\[REDACTED:[a-z0-9-]{1,40}\]$/;
/** Object keys that name a secret: their whole string value is redacted. */
const SECRET_KEY = new RegExp(`(?:${SECRET_WORDS}|authorization|cookie)$`, 'i');
const MAX_DEPTH = 64;
const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Where a command ends, for command rules. */
const COMMAND_END = /[;&|\n\r]/g;
/** Where a cut may end: after whitespace or a quote, so no half token is left before the marker. */
const CUT_POINTS = [' ', '\n', '\t', '\r', '"', "'", '`'];

class OutOfBudget extends Error {}

interface Builtin {
  first: Rule[];
  last: Rule[];
  /** Keywords by their first two characters (char codes a * 128 + b, ASCII): one look-up per position. */
  byPair: (string[] | undefined)[];
}

let builtin: Builtin | undefined;

function lazy(source: string, flags: string): () => RegExp {
  let re: RegExp | undefined;
  return () => (re ??= new RegExp(source, flags));
}

function fromRow([kind, source, flags = '', keywords]: RuleRow): Rule {
  return { kind, re: lazy(source, `g${flags}`), keywords, secret: 'keep1' };
}

function builtinRules(): Builtin {
  if (builtin) return builtin;
  const tokens = GITLEAKS_RULES.map(([id, source, keywords, group]): Rule => ({
    kind: id.slice(0, 40),
    re: lazy(source, group > 0 ? 'dg' : 'g'),
    keywords: keywords.length > 0 ? keywords : undefined,
    secret: group,
  }));
  const commands = CLI_PASSWORD_OPTIONS.map(([kind, program, option, keywords]): Rule => ({
    kind,
    keywords,
    re: lazy(`(?<![\\w.-])${program}(?![\\w-])`, 'g'),
    option: lazy(`([ \\t]${option})${VALUE}`, 'g'),
    secret: 'keep1',
  }));
  // First of all: it needs the whole command (a feed and its consumer), before any marker splits it.
  const shell: Rule = { kind: 'stdin-secret', re: lazy('$^', 'g'), keywords: COMMAND_KEYWORDS, secret: 0, find: commandSecrets };
  const first = [shell, ...FIRST.map(fromRow), ...commands, ...tokens];
  const last = LAST.map(fromRow);
  const byPair: (string[] | undefined)[] = new Array(128 * 128);
  for (const k of new Set([...first, ...last].flatMap((r) => r.keywords ?? []))) {
    // Every keyword is lower-case ASCII of two characters or more (checked by test/lib/redact-patterns.test.ts).
    (byPair[k.charCodeAt(0) * 128 + k.charCodeAt(1)] ??= []).push(k);
  }
  return (builtin = { first, last, byPair });
}

/** Extra patterns from config: a regular expression source, or `/source/flags`. */
function compileExtra(pattern: string): Rule {
  const literal = /^\/(.+)\/([imsu]*)$/s.exec(pattern);
  try {
    const re = literal ? new RegExp(literal[1]!, `g${literal[2]}`) : new RegExp(pattern, 'g');
    return { kind: 'custom', re: () => re, secret: 0 };
  } catch (err) {
    const why = err instanceof Error ? err.message.replace(/^Invalid regular expression: /, '') : String(err);
    throw new GuardError(`invalid audit.redact pattern ${JSON.stringify(pattern)}: ${why}`, 'config');
  }
}

interface Ctx {
  rules: Rule[];
  builtin: Builtin;
  charsLeft: number;
  maxWork: number;
  exhausted: boolean;
  stats: RedactStats;
}

function spend(ctx: Ctx, units: number): void {
  ctx.stats.work += units;
  if (ctx.stats.work > ctx.maxWork) throw new OutOfBudget();
}

/** The secret spans [from, to) a rule finds in text, in order (with the kind when the rule names it). */
function* secrets(text: string, rule: Rule, ctx: Ctx): Generator<[number, number, string?]> {
  if (rule.find) {
    // One lexing pass, then at most a few scans of the commands that name a credential program.
    spend(ctx, FIND_WEIGHT * text.length);
    for (const s of rule.find(text, (units) => spend(ctx, units))) {
      spend(ctx, MATCH_COST);
      yield [s.from, s.to, s.kind];
    }
    return;
  }
  const re = rule.re();
  re.lastIndex = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    if (m[0] === '') {
      re.lastIndex++;
      continue;
    }
    spend(ctx, MATCH_COST);
    if (rule.option) {
      // From the program name to the end of its command, once: later names inside it are skipped.
      const start = m.index + m[0].length;
      COMMAND_END.lastIndex = start;
      const end = COMMAND_END.exec(text)?.index ?? text.length;
      // The option pattern may look ahead up to 256 characters from each of its starts (counted: up
      // to 7 steps per character, test/lib/redact-patterns.test.ts), hence the weight.
      spend(ctx, 4 * (end - start) + RUN_COST);
      const span = text.slice(start, end);
      const option = rule.option();
      option.lastIndex = 0;
      for (let o = option.exec(span); o !== null; o = option.exec(span)) {
        spend(ctx, MATCH_COST);
        yield [start + o.index + o[1]!.length, start + o.index + o[0].length];
      }
      re.lastIndex = Math.max(re.lastIndex, end);
      continue;
    }
    let from = m.index;
    let to = m.index + m[0].length;
    if (rule.secret === 'keep1') from += (m[1] ?? '').length;
    else if (rule.secret > 0) {
      const span = m.indices?.[rule.secret];
      if (span) [from, to] = span;
    }
    yield [from, to];
  }
}

function applyRule(text: string, rule: Rule, ctx: Ctx): string {
  spend(ctx, text.length * (WEIGHT[rule.kind] ?? 1) + RUN_COST);
  ctx.stats.runs++;
  let out = '';
  let last = 0;
  for (const [from, to, kind = rule.kind] of secrets(text, rule, ctx)) {
    if (to <= from || from < last) continue;
    const secret = text.slice(from, to);
    const q = secret[0] === '"' || secret[0] === "'" ? secret[0] : '';
    const closed = q !== '' && secret.length > 1 && secret.endsWith(q);
    out += `${text.slice(last, from)}${q}[REDACTED:${kind}]${closed ? q : ''}`;
    last = to;
  }
  return last === 0 ? text : out + text.slice(last);
}

/**
 * The keywords the text holds, in one scan: at each position a table look-up by the next two
 * characters, then a comparison with the few keywords that start so. (One `includes` per keyword
 * cost 0.4 s for 1 MiB; an alternation of all keywords 40 ms, and up to 180 counted steps a character.)
 */
function presentKeywords(lower: string, ctx: Ctx): Set<string> {
  const { byPair } = ctx.builtin;
  const found = new Set<string>();
  spend(ctx, KEYWORD_WEIGHT * lower.length + RUN_COST);
  for (let i = 0; i + 1 < lower.length; i++) {
    const a = lower.charCodeAt(i);
    const b = lower.charCodeAt(i + 1);
    if (a > 127 || b > 127) continue;
    const list = byPair[a * 128 + b];
    if (list) for (const k of list) if (!found.has(k) && lower.startsWith(k, i)) found.add(k);
  }
  return found;
}

/** The built-in keywords a text holds (for tests: the prefilter must see every occurrence). */
export function builtinKeywordsIn(text: string): string[] {
  const stats = { work: 0, runs: 0, incomplete: 0, cut: 0 };
  const ctx: Ctx = { rules: [], builtin: builtinRules(), charsLeft: Infinity, maxWork: Infinity, exhausted: false, stats };
  return [...presentKeywords(text.toLowerCase(), ctx)].sort();
}

/** Every built-in keyword (for tests). */
export function builtinKeywords(): string[] {
  return builtinRules().byPair.flatMap((list) => list ?? []).sort();
}

/**
 * One pass: every rule in order over the text between markers (a redacted part is never rescanned).
 * `present` are the keywords of the first pass: later passes only see less text (markers split it,
 * they never join it), so no keyword can appear.
 */
function redactPass(text: string, ctx: Ctx, present: Set<string>): string {
  spend(ctx, text.length);
  let parts = text.split(MARKER_SPLIT);
  for (const rule of ctx.rules) {
    if (rule.keywords && !rule.keywords.some((k) => present.has(k))) continue;
    const next: string[] = [];
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      if (i % 2 === 1 || part === '') next.push(part);
      else for (const piece of applyRule(part, rule, ctx).split(MARKER_SPLIT)) next.push(piece);
    }
    // Adjacent plain parts merged again, so plain text and markers alternate for the next rule.
    parts = normalize(next);
  }
  return parts.join('');
}

/** Rebuilds the strict alternation plain, marker, plain, ... from a list that may break it. */
function normalize(list: string[]): string[] {
  const out: string[] = [''];
  for (const part of list) {
    if (WHOLE_MARKER.test(part)) out.push(part, '');
    else out[out.length - 1] += part;
  }
  return out;
}

function redactText(text: string, ctx: Ctx): string {
  let out = text;
  spend(ctx, text.length);
  const present = presentKeywords(text.toLowerCase(), ctx);
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const next = redactPass(out, ctx, present);
    if (next === out) return out;
    out = next;
  }
  // Still changing after the last pass: a further pass might find more, so nothing of it is kept.
  throw new OutOfBudget();
}

function redactString(text: string, ctx: Ctx): string {
  if (text === '' || WHOLE_MARKER.test(text)) return text;
  if (ctx.exhausted) {
    ctx.stats.incomplete++;
    return INCOMPLETE;
  }
  let body = text;
  let tail = '';
  if (text.length > ctx.charsLeft) {
    ctx.stats.cut++;
    body = text.slice(0, ctx.charsLeft);
    body = body.slice(0, Math.max(...CUT_POINTS.map((c) => body.lastIndexOf(c))) + 1);
    tail = OVER_LIMIT;
  }
  ctx.charsLeft -= body.length;
  try {
    return redactText(body, ctx) + tail;
  } catch (err) {
    if (!(err instanceof OutOfBudget)) throw err;
    ctx.exhausted = true;
    ctx.stats.incomplete++;
    return INCOMPLETE;
  }
}

/** Context kept of each word before a word of an argv (a rule needs the program and the option). */
const CONTEXT_CHARS = 256;
/** Words before a word kept as its context (`htpasswd -b FILE USER PW`: the flag is three back). */
const CONTEXT_WORDS = 16;

/**
 * An array of strings may be a command's words (a tool's `args`, an argv-form `command`): a secret
 * there is split across items (`["--token", "T"]`, `["sshpass", "-p", "PW"]`), and no rule sees
 * it in one item. When the words joined find a secret that the words alone do not, each word is
 * redacted in the context a rule needs, the program and the words before it (as the record's
 * `command.argv`, lib/record.ts); a word whose context changes under redaction in a way that
 * cannot be told apart is withheld whole. Context text is redacted against the work budget, not
 * the size cap: it is never written.
 */
function redactWords(words: readonly string[], ctx: Ctx): string[] {
  const own = words.map((w) => redactString(w, ctx));
  const probe = (text: string): string => {
    const left = ctx.charsLeft;
    ctx.charsLeft = Math.max(left, text.length);
    try {
      return redactString(text, ctx);
    } finally {
      ctx.charsLeft = left;
    }
  };
  const joined = words.join(' ');
  const found = probe(joined);
  if (found === joined || found === own.join(' ')) return own;
  const tail = (w: string): string => (w.length > CONTEXT_CHARS ? w.slice(-CONTEXT_CHARS) : w);
  const inContextOf = (w: string, k: number): string => {
    const prefix = `${[words[0]!, ...words.slice(Math.max(1, k - CONTEXT_WORDS), k)].map(tail).join(' ')} `;
    const before = probe(prefix);
    const alone = wordInContext(w, before, probe(prefix + w));
    if (alone !== w || k === words.length - 1) return alone;
    // A rule may need what follows (`-u TOKEN:` then the URL): the word again, with the next one.
    const next = tail(words[k + 1]!);
    const whole = probe(`${prefix}${w} ${next}`);
    return whole.startsWith(`${before}${w} `) ? w : '[REDACTED:context]';
  };
  return words.map((w, k) => {
    if (k === 0 || w === '') return own[k]!;
    const inContext = inContextOf(w, k);
    // Each way found something else: neither can be trusted to hold all of it.
    return inContext === w || inContext === own[k] ? own[k]! : own[k] === w ? inContext : '[REDACTED:context]';
  });
}

/**
 * The redacted form of word `w` out of `whole`, the redaction of its context plus the word. A rule
 * reads the joined text as shell words, so in a word holding blanks or quotes (one argument, `x y`)
 * it would take only the first part for the secret: such a word, once a secret is found in it, is
 * withheld whole, as is one whose context changed in a way that cannot be told apart.
 */
export function wordInContext(w: string, before: string, whole: string): string {
  // A spent budget makes both one marker: nothing of the word can be told.
  if (!whole.startsWith(before) || WHOLE_MARKER.test(whole) || whole.endsWith(OVER_LIMIT)) return '[REDACTED:context]';
  const out = whole.slice(before.length);
  return out !== w && /[\s'"`\\]/.test(w) ? '[REDACTED:context]' : out;
}

function walk(value: unknown, ctx: Ctx, depth: number): unknown {
  if (typeof value === 'string') return redactString(value, ctx);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[TRUNCATED:depth]';
  if (Array.isArray(value)) {
    if (value.length > 1 && value.every((item) => typeof item === 'string')) return redactWords(value as string[], ctx);
    return value.map((item) => walk(item, ctx, depth + 1));
  }
  const obj = value as Record<string, unknown>;
  const pair = namesSecret(obj);
  const entries = Object.entries(obj).map(([key, item]): [string, unknown] => {
    // Content digests are not secrets, and a configured pattern must not garble them.
    if (key === 'sha256' && typeof item === 'string' && SHA256_HEX.test(item)) return [key, item];
    // A key that names a secret is short; a longer one is not tested (that test is not counted work).
    const secretField = key.length <= 256 && (SECRET_KEY.test(key) || (pair && VALUE_KEYS.has(keyName(key))));
    // Once the budget is spent, keys stay distinct markers (one marker for all would merge them).
    const safeKey = ctx.exhausted && key !== '' ? `[REDACTED:incomplete-${++ctx.stats.incomplete}]` : redactString(key, ctx);
    return [safeKey, secretField ? secretValue(item, ctx, depth + 1) : walk(item, ctx, depth + 1)];
  });
  // fromEntries defines own properties, so a `__proto__` key stays data.
  return Object.fromEntries(entries);
}

const SECRET_FIELD = '[REDACTED:secret-field]';
/** A key's spelling for the lists below: lower case, `_` and `-` removed. */
const keyName = (key: string): string => key.toLowerCase().replace(/[_-]/g, '');
/** Keys naming the variable, header or parameter whose value sits beside them. */
const NAME_KEYS: ReadonlySet<string> = new Set(['name', 'key', 'variable', 'var', 'envvar', 'env', 'param', 'parameter', 'header', 'field', 'secretname', 'id']);
/** Keys holding the value of the variable the name key names. */
const VALUE_KEYS: ReadonlySet<string> = new Set(['value', 'val', 'values', 'data', 'secret', 'string', 'plaintext', 'secretvalue', 'secretstring']);

/** `{"name": "DB_PASSWORD", "value": …}` (an env entry, a header, a parameter): a name key names a secret. */
function namesSecret(obj: Record<string, unknown>): boolean {
  for (const k in obj) {
    if (!Object.hasOwn(obj, k) || !NAME_KEYS.has(keyName(k))) continue;
    const v = obj[k];
    if (typeof v === 'string' && v.length <= 256 && SECRET_KEY.test(v)) return true;
  }
  return false;
}

/**
 * What a secret-named key holds, whatever its shape: every string and number in it (a list of
 * passwords, `{"value": …}`, a numeric PIN) becomes the marker; empty strings, nulls, booleans and
 * markers stay, and keys are redacted as text.
 */
function secretValue(value: unknown, ctx: Ctx, depth: number): unknown {
  if (typeof value === 'string') return value === '' || WHOLE_MARKER.test(value) ? value : SECRET_FIELD;
  if (typeof value === 'number' || typeof value === 'bigint') return SECRET_FIELD;
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[TRUNCATED:depth]';
  if (Array.isArray(value)) return value.map((item) => secretValue(item, ctx, depth + 1));
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [redactString(k, ctx), secretValue(v, ctx, depth + 1)]));
}

/**
 * Like compileRedactor, but each call also returns what it cost (for tests and the benchmark).
 */
export function compileCountingRedactor(extraPatterns: string[], opts: RedactOptions = {}): (value: unknown) => { value: unknown; stats: RedactStats } {
  const builtin = builtinRules();
  const { first, last } = builtin;
  const rules = [...first, ...extraPatterns.map(compileExtra), ...last];
  const maxChars = opts.maxChars ?? DEFAULT_MAX_CHARS;
  const maxWork = opts.maxWork ?? DEFAULT_MAX_WORK;
  return (value: unknown) => {
    const ctx: Ctx = { rules, builtin, charsLeft: maxChars, maxWork, exhausted: false, stats: { work: 0, runs: 0, incomplete: 0, cut: 0 } };
    return { value: walk(value, ctx, 0), stats: ctx.stats };
  };
}

/**
 * A redactor for every string in a JSON-like value (object keys included; a key that names a
 * secret, like `password` or `apiKey`, has its whole string value redacted). Secrets become
 * `[REDACTED:<kind>]`. Extra patterns are JavaScript regular expressions (`source` or
 * `/source/flags`); an invalid one throws a GuardError naming it. Each call is bounded (see
 * RedactOptions); what does not fit becomes a marker, never clear text.
 */
export function compileRedactor(extraPatterns: string[], opts: RedactOptions = {}): Redactor {
  const counting = compileCountingRedactor(extraPatterns, opts);
  return (value: unknown) => counting(value).value;
}
