// Secret redaction for audit records. Every string value is scanned (object keys too), so a record
// never carries a token whatever field it sits in. In the built-in rules every quantifier is
// bounded and no quantified group is itself quantified, so a scan costs at most (string length x a
// fixed bound) even on hostile input (configured patterns are their author's responsibility).
// Redaction is idempotent: text inside a `[REDACTED:...]` marker is never scanned again.
import { GuardError } from './types.js';

interface Rule {
  kind: string;
  re: RegExp;
}

// Value of an assignment: a quoted string (quotes kept) or a bare word. Bare words starting with `$`
// are references (`TOKEN=$GITHUB_TOKEN`), not secrets, and stay readable.
const VALUE = `(?:"[^"\\n]{1,4096}"|'[^'\\n]{1,4096}'|(?![$"'])[^\\s"'\`;&|<>,(){}\\[\\]]{1,4096})`;
// `NAME=`, `NAME: `, `"NAME": "`, `NAME := `; never `==`.
const SEP = `["']?[ \\t]{0,8}(?::=|=|:)(?!=)[ \\t]{0,8}`;
const SECRET_WORDS =
  'password|passwd|passphrase|secret|token|api[_-]?key|apikey|access[_-]?key|secret[_-]?key|private[_-]?key|client[_-]?secret|credentials?';

/** Built-in rules, most specific first (the first rule that matches names the kind). */
const BUILTIN: readonly [kind: string, source: string, flags?: string][] = [
  ['private-key', '-----BEGIN[A-Z0-9 ]{0,40} PRIVATE KEY(?: BLOCK)?-----(?:[\\s\\S]{0,16384}?-----END[A-Z0-9 ]{0,40} PRIVATE KEY(?: BLOCK)?-----|[\\s\\S]{0,16384})'],
  // scheme://user:password@host: the password up to the last `@` of the authority.
  ['url-password', '\\b([a-zA-Z][a-zA-Z0-9+.-]{0,30}://[^\\s:/@?#"\'<>]{0,256}:)[^\\s/?#"\'<>]{1,1024}(?=@)'],
  ['slack-webhook', '(hooks\\.slack\\.com/services/)[A-Za-z0-9_/-]{8,512}'],
  ['anthropic-key', '\\bsk-ant-[A-Za-z0-9_-]{16,512}'],
  ['openai-key', '\\bsk-[A-Za-z0-9_-]{20,512}'],
  ['github-token', '\\b(?:gh[pousr]_[A-Za-z0-9]{20,255}|github_pat_[A-Za-z0-9_]{20,255})'],
  ['npm-token', '\\bnpm_[A-Za-z0-9]{30,255}'],
  ['slack-token', '\\b(?:xox[abposr]-[A-Za-z0-9-]{10,512}|xapp-[0-9]-[A-Za-z0-9-]{10,512})'],
  ['google-api-key', '\\bAIza[0-9A-Za-z_-]{35}'],
  ['stripe-key', '\\b(?:[sr]k_(?:live|test)_[0-9A-Za-z]{10,255}|whsec_[0-9A-Za-z]{20,255})'],
  ['aws-access-key', '\\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\\b'],
  ['jwt', '(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{2,4096}\\.eyJ[A-Za-z0-9_-]{2,8192}\\.[A-Za-z0-9_-]{0,4096}'],
  // The scheme word itself is never taken for the credential (so a second pass changes nothing).
  ['authorization', '\\b((?:proxy-)?authorization["\']?[ \\t]{0,8}[:=][ \\t]{0,8}["\']?(?:(?:bearer|basic|token|digest|bot)[ \\t]{1,8})?)(?!(?:bearer|basic|token|digest|bot)\\b)[^\\s"\',;]{1,4096}', 'i'],
  ['bearer', '\\b(bearer[ \\t]{1,8})[A-Za-z0-9._~+/-]{16,4096}=*', 'i'],
  ['aws-secret', `\\b((?:aws_?)?secret_?access_?key${SEP}["']?)[A-Za-z0-9/+=]{40}`, 'i'],
  ['basic-auth', '(?<![\\w-])((?:-u|--user)[ \\t]{1,8}["\']?[^\\s:"\']{1,256}:)[^\\s"\']{1,1024}'],
];

/** Contextual rules, after the token shapes and the configured patterns. */
const CONTEXTUAL: readonly [kind: string, source: string, flags?: string][] = [
  // `--password secret`, `--api-key=...` is covered by the assignment rule below.
  ['secret-flag', `(?<![\\w-])(--?[a-z0-9-]{0,60}?(?:${SECRET_WORDS})[ \\t]{1,8})(?!-)${VALUE}`, 'i'],
  // Environment style: `*_TOKEN=`, `*_SECRET=`, `*_KEY=`, `PASSWORD=` (also after `export`, quoted, `: `).
  ['secret-assignment', `\\b((?:[A-Z][A-Z0-9_]{0,80}_(?:TOKEN|SECRET|KEY|PASSWORD|PASSWD|PASS|PWD|CREDENTIALS?)|TOKEN|SECRET|PASSWORD|PASSWD|APIKEY)${SEP})${VALUE}`],
  // Config and code style, any case: `password: x`, `"client_secret": "x"`, `db.password = x`.
  ['secret-assignment', `\\b([a-z0-9_.-]{0,64}?(?:${SECRET_WORDS})${SEP})${VALUE}`, 'i'],
];

const MARKER = /\[REDACTED:[a-z0-9-]{1,40}\]/;
const MARKER_SPLIT = /(\[REDACTED:[a-z0-9-]{1,40}\])/;
/** Object keys that name a secret: their whole string value is redacted. */
const SECRET_KEY = new RegExp(`(?:${SECRET_WORDS}|authorization|cookie)$`, 'i');
const MAX_DEPTH = 64;
const SHA256_HEX = /^[0-9a-f]{64}$/;

let builtin: { first: Rule[]; last: Rule[] } | undefined;

function compile(list: readonly [string, string, string?][]): Rule[] {
  return list.map(([kind, source, flags = '']) => ({ kind, re: new RegExp(source, `g${flags}`) }));
}

/** Extra patterns from config: a regular expression source, or `/source/flags`. */
function compileExtra(pattern: string): Rule {
  const literal = /^\/(.+)\/([imsu]*)$/s.exec(pattern);
  try {
    const re = literal ? new RegExp(literal[1]!, `g${literal[2]}`) : new RegExp(pattern, 'g');
    return { kind: 'custom', re };
  } catch (err) {
    const why = err instanceof Error ? err.message.replace(/^Invalid regular expression: /, '') : String(err);
    throw new GuardError(`invalid audit.redact pattern ${JSON.stringify(pattern)}: ${why}`, 'config');
  }
}

function applyRule(text: string, rule: Rule): string {
  return text.replace(rule.re, (match: string, ...rest: unknown[]) => {
    if (match === '') return '';
    // Group 1, when the rule has one, is context to keep (`PASSWORD=`, `https://user:`).
    const keep = typeof rest[0] === 'string' && rule.kind !== 'custom' ? rest[0] : '';
    const secret = match.slice(keep.length);
    const quote = secret.length > 1 && (secret[0] === '"' || secret[0] === "'") && secret.endsWith(secret[0]) ? secret[0] : '';
    return `${keep}${quote}[REDACTED:${rule.kind}]${quote}`;
  });
}

/**
 * Rules run in order over the text between markers (a redacted part is never rescanned), repeated
 * until nothing changes: a replacement can put new context next to a rule that ran before it. Each
 * pass that changes something turns unredacted text into a marker, so this settles quickly; the cap
 * only bounds hostile input.
 */
function redactString(text: string, rules: Rule[]): string {
  let out = text;
  for (let pass = 0; pass < 4; pass++) {
    const next = redactSegments(out, rules);
    if (next === out) break;
    out = next;
  }
  return out;
}

function redactSegments(text: string, rules: Rule[]): string {
  const parts = MARKER.test(text) ? text.split(MARKER_SPLIT) : [text];
  for (const rule of rules) {
    for (let i = 0; i < parts.length; i += 2) {
      const part = parts[i]!;
      if (part === '') continue;
      const next = applyRule(part, rule);
      if (next !== part) {
        const split = next.split(MARKER_SPLIT);
        parts.splice(i, 1, ...split);
        i += split.length - 1;
      }
    }
  }
  return parts.join('');
}

function walk(value: unknown, rules: Rule[], depth: number): unknown {
  if (typeof value === 'string') return redactString(value, rules);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[TRUNCATED:depth]';
  if (Array.isArray(value)) return value.map((item) => walk(item, rules, depth + 1));
  const entries = Object.entries(value as Record<string, unknown>).map(([key, item]): [string, unknown] => {
    // Content digests are not secrets, and a configured pattern must not garble them.
    if (key === 'sha256' && typeof item === 'string' && SHA256_HEX.test(item)) return [key, item];
    const secretField = typeof item === 'string' && item !== '' && SECRET_KEY.test(key) && !/^\[REDACTED:[a-z0-9-]{1,40}\]$/.test(item);
    return [redactString(key, rules), secretField ? '[REDACTED:secret-field]' : walk(item, rules, depth + 1)];
  });
  // fromEntries defines own properties, so a `__proto__` key stays data.
  return Object.fromEntries(entries);
}

/**
 * A redactor for every string in a JSON-like value (object keys included; a key that names a
 * secret, like `password` or `apiKey`, has its whole string value redacted). Secrets become
 * `[REDACTED:<kind>]`. Extra patterns are JavaScript regular expressions (`source` or
 * `/source/flags`); an invalid one throws a GuardError naming it.
 */
export function compileRedactor(extraPatterns: string[]): (value: unknown) => unknown {
  builtin ??= { first: compile(BUILTIN), last: compile(CONTEXTUAL) };
  const rules = [...builtin.first, ...extraPatterns.map(compileExtra), ...builtin.last];
  return (value: unknown) => walk(value, rules, 0);
}
