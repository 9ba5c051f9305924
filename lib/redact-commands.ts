// Redaction that needs the shape of a shell command, not one pattern: what a credential command reads
// on standard input (pipeline stages before it, here-strings, here-document bodies, process
// substitutions) and the positional arguments that are credentials (`htpasswd -b f user PW`,
// `vault login TOKEN`). The rules are data in secret-rules.ts; this module holds the one lexer.
//
// Linear in the text: one lexing pass (quotes, comments, here-documents), then each table row's
// regular expressions over each command once, and every pipeline stage is visited at most once.
import { POSITIONAL_CREDENTIALS, STDIN_CREDENTIAL_COMMANDS } from './secret-rules.js';

export interface Span { from: number; to: number; kind: string }

/** Counts work against the redaction budget (throws when it is spent). */
export type Spend = (units: number) => void;
const NO_COUNT: Spend = () => {};
/**
 * Work units of the steps whose cost is not a scan of the text (measured on crafted inputs against
 * the budget's scale in lib/redact.ts, about 160 units a microsecond): closing a command, a
 * here-document operator, one word, one character of a command tested against the tables.
 */
const COST = { segment: 400, heredoc: 400, word: 400, tableChar: 8 };

/** A word's span without its surrounding quotes (the marker goes inside them, so a second pass sees an empty word). */
function inner(from: number, to: number, text: string, kind: string): Span | undefined {
  const q = text[from];
  if (q === '"' || q === "'") {
    from++;
    if (to > from && text[to - 1] === q) to--;
  }
  return to > from ? { from, to, kind } : undefined;
}

interface Segment {
  start: number;
  end: number;
  /** The segment is fed by the one before it through `|` or `|&`. */
  piped: boolean;
  /** What ended it (`(` opens a process or command substitution). */
  sep: string;
  /** Here-document bodies declared in it. */
  heredocs: [number, number][];
}

/** A here-document operator and its delimiter (sticky: tried where `<<` stands, never scanned ahead). */
const HEREDOC = /<<(-?)[ \t]{0,8}(?:'([^'\n]{1,64})'|"([^"\n]{1,64})"|\\?([^\s;&|<>()'"]{1,64}))/y;

/** Splits shell text into simple commands at unquoted `; & | && || ( ) \` and newlines. */
export function segments(text: string, spend: Spend = NO_COUNT): Segment[] {
  const out: Segment[] = [];
  const n = text.length;
  let start = 0;
  let piped = false;
  let heredocs: [number, number][] = [];
  let pending: { delim: string; strip: boolean; seg: number }[] = [];
  const close = (end: number, sep: string, nextPiped: boolean): void => {
    spend(COST.segment);
    out.push({ start, end, piped, sep, heredocs });
    heredocs = [];
    piped = nextPiped;
  };
  let i = 0;
  while (i < n) {
    const c = text[i]!;
    if (c === '\\') { i += 2; continue; }
    if (c === "'") { const j = text.indexOf("'", i + 1); i = j < 0 ? n : j + 1; continue; }
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      i = j + 1;
      continue;
    }
    if (c === '#' && (i === 0 || /[\s;&|(]/.test(text[i - 1]!))) {
      const j = text.indexOf('\n', i);
      i = j < 0 ? n : j;
      continue;
    }
    if (c === '<' && text[i + 1] === '<') {
      if (text[i + 2] === '<') { i += 3; continue; }
      spend(COST.heredoc);
      HEREDOC.lastIndex = i;
      const m = HEREDOC.exec(text);
      if (m) {
        pending.push({ delim: m[2] ?? m[3] ?? m[4]!, strip: m[1] === '-', seg: out.length });
        i += m[0].length;
        continue;
      }
      i += 2;
      continue;
    }
    if (c === '\n') {
      close(i, '\n', false);
      i++;
      // Here-document bodies follow the line that declared them, in order.
      for (const p of pending) {
        const bodyStart = i;
        let end = n;
        let next = n;
        for (let line = i; line < n; ) {
          const nl = text.indexOf('\n', line);
          const lineEnd = nl < 0 ? n : nl;
          const content = text.slice(line, lineEnd);
          if ((p.strip ? content.replace(/^\t+/, '') : content) === p.delim) { end = Math.max(i, line - 1); next = nl < 0 ? n : nl + 1; break; }
          line = lineEnd + 1;
        }
        (out[p.seg] ?? out[out.length - 1]!).heredocs.push([bodyStart, Math.max(bodyStart, end)]);
        i = next;
      }
      pending = [];
      start = i;
      continue;
    }
    if (c === '|') {
      if (text[i + 1] === '|') { close(i, '||', false); i += 2; }
      else { close(i, '|', true); i += text[i + 1] === '&' ? 2 : 1; }
      start = i;
      continue;
    }
    if (c === '&') {
      // `>&`, `<&`, `&>` are redirections, not separators.
      if (text[i - 1] === '>' || text[i - 1] === '<' || text[i + 1] === '>') { i++; continue; }
      close(i, '&', false);
      i += text[i + 1] === '&' ? 2 : 1;
      start = i;
      continue;
    }
    if (c === ';' || c === '(' || c === ')' || c === '`') {
      close(i, c, false);
      i++;
      start = i;
      continue;
    }
    i++;
  }
  close(n, '', false);
  if (pending.length > 0) {
    // A here-document with no body line yet: the rest of the text is its body.
    for (const p of pending) out[p.seg]?.heredocs.push([n, n]);
  }
  return out;
}

/** The span of a command's arguments (everything after its first word), trimmed. */
function argumentsOf(text: string, seg: Segment): [number, number] | undefined {
  let i = seg.start;
  while (i < seg.end && /\s/.test(text[i]!)) i++;
  while (i < seg.end && !/\s/.test(text[i]!)) i++;
  while (i < seg.end && /\s/.test(text[i]!)) i++;
  let end = seg.end;
  while (end > i && /\s/.test(text[end - 1]!)) end--;
  return end > i ? [i, end] : undefined;
}

/** A word; `op` is the redirection operator right before it ('' for an argument). */
interface Word { from: number; to: number; text: string; op: string }

const REDIRECT = /[0-9]{0,2}(<<<|<<-?|>>|<>|>&|<&|&>>|&>|>\||>|<)/y;

/** The words of a command after `from` (quotes kept), redirection operators marked. */
function words(text: string, from: number, to: number, spend: Spend): Word[] {
  const out: Word[] = [];
  let i = from;
  let op = '';
  while (i < to) {
    while (i < to && /\s/.test(text[i]!)) i++;
    if (i >= to) break;
    REDIRECT.lastIndex = i;
    const m = REDIRECT.exec(text);
    if (m) { i += m[0].length; op = m[1]!; continue; }
    const s = i;
    while (i < to && !/\s/.test(text[i]!)) {
      const q = text[i];
      if (q === '"' || q === "'") {
        const j = text.indexOf(q, i + 1);
        i = j < 0 || j >= to ? to : j + 1;
      } else i += q === '\\' ? 2 : 1;
    }
    spend(COST.word);
    out.push({ from: s, to: Math.min(i, to), text: text.slice(s, Math.min(i, to)), op });
    op = '';
  }
  return out;
}

interface Compiled { program: RegExp; condition?: RegExp }
let stdinRows: Compiled[] | undefined;
type Positional = Compiled & { from: number | string };
let positionalRows: Positional[] | undefined;
let anyProgram: RegExp | undefined;

const programRe = (p: string): RegExp => new RegExp(`(?<![\\w.-])${p}(?![\\w-])`);

function compiled(): { stdin: Compiled[]; positional: Positional[] } {
  stdinRows ??= STDIN_CREDENTIAL_COMMANDS.map(([p, c]) => ({ program: programRe(p), condition: c ? new RegExp(c) : undefined }));
  positionalRows ??= POSITIONAL_CREDENTIALS.map(([p, from, c]) => ({ program: programRe(p), from, condition: c ? new RegExp(c) : undefined }));
  // One scan tells whether a command names any of the programs, so most commands cost one scan.
  anyProgram ??= new RegExp(`(?<![\\w.-])(?:${[...STDIN_CREDENTIAL_COMMANDS, ...POSITIONAL_CREDENTIALS].map((row) => row[0]).join('|')})(?![\\w-])`);
  return { stdin: stdinRows, positional: positionalRows };
}

/** Every keyword of the command tables (the redaction prefilter). */
export const COMMAND_KEYWORDS: readonly string[] = [...new Set([...STDIN_CREDENTIAL_COMMANDS, ...POSITIONAL_CREDENTIALS].flatMap((row) => row[row.length - 1] as readonly string[]))];

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_.-]{0,128}=/;

/** The secret spans of credential commands in a text, in order, not overlapping. */
export function commandSecrets(text: string, spend: Spend = NO_COUNT): Span[] {
  const { stdin, positional } = compiled();
  const any = anyProgram!;
  const segs = segments(text, spend);
  const spans: Span[] = [];
  // Pipeline stages already redacted: a walk back stops there, so each stage is visited once.
  let covered = -1;
  for (let k = 0; k < segs.length; k++) {
    const seg = segs[k]!;
    const body = text.slice(seg.start, seg.end);
    if (!any.test(body)) continue;
    // Every row's expressions over this command: counted per character and row.
    spend(COST.tableChar * body.length * (stdin.length + positional.length) + COST.segment);
    const consumer = stdin.some((r) => r.program.test(body) && (!r.condition || r.condition.test(body)));
    if (consumer) {
      for (const [from, to] of seg.heredocs) if (to > from) spans.push({ from, to, kind: 'stdin-secret' });
      for (const w of words(text, seg.start, seg.end, spend)) {
        const span = w.op === '<<<' ? inner(w.from, w.to, text, 'stdin-secret') : undefined;
        if (span) spans.push(span);
      }
      for (let j = k; j > covered && segs[j]!.piped; j--) {
        const feed = segs[j - 1]!;
        const args = argumentsOf(text, feed);
        const span = args && inner(args[0], args[1], text, 'stdin-secret');
        if (span) spans.push(span);
        for (const [from, to] of feed.heredocs) if (to > from) spans.push({ from, to, kind: 'stdin-secret' });
      }
      covered = k;
      // `cmd < <(echo PW)`: the substitution that follows.
      if (seg.sep === '(' && /<[ \t]*<?[ \t]*$/.test(body) && segs[k + 1]) {
        const args = argumentsOf(text, segs[k + 1]!);
        const span = args && inner(args[0], args[1], text, 'stdin-secret');
        if (span) spans.push(span);
      }
    }
    for (const r of positional) {
      const m = r.program.exec(body);
      if (!m || (r.condition && !r.condition.test(body))) continue;
      const args = words(text, seg.start + m.index + m[0].length, seg.end, spend).filter((w) => w.op === '' && !w.text.startsWith('-') && !ASSIGNMENT.test(w.text));
      // Counted from the start, never from the end: a second pass (which sees the text before a
      // marker only) must find nothing more.
      const at = typeof r.from === 'number' ? r.from - 1 : args.findIndex((w) => w.text === r.from) + 1;
      for (const w of at > 0 || typeof r.from === 'number' ? args.slice(at) : []) {
        const span = inner(w.from, w.to, text, 'positional-secret');
        if (span) spans.push(span);
      }
    }
  }
  spans.sort((a, b) => a.from - b.from || b.to - a.to);
  const merged: Span[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.from < last.to) last.to = Math.max(last.to, s.to);
    else merged.push({ ...s });
  }
  return merged;
}
