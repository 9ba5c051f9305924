// Surgical edits of Codex's config.toml. The file is the user's (comments, order, spacing), so it
// is read with smol-toml but written by editing text: only whole `[table]` blocks hookwarden owns,
// or single `key = "string"` lines in them, are added, changed or removed. Every edit is re-parsed
// and checked; a table written in a form this editor does not handle (inline, dotted keys) is an
// error, never a guess. Appending and removing a table are exact inverses.
import { parse, stringify } from 'smol-toml';

export type TomlPath = string[];

interface Line { start: number; end: number; text: string }

interface Header { line: number; path: TomlPath; array: boolean }

function lines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl + 1;
    out.push({ start, end, text: text.slice(start, nl < 0 ? text.length : nl) });
    if (nl < 0) return out;
    start = end;
  }
}

/** The key path a `[a."b".c]` / `[[a.b]]` header line names, read by smol-toml itself. */
function headerPath(line: string): { path: TomlPath; array: boolean } | undefined {
  let v: unknown;
  try {
    v = parse(`${line}\n`);
  } catch {
    return undefined;
  }
  const path: TomlPath = [];
  let array = false;
  while (v && typeof v === 'object') {
    if (Array.isArray(v)) {
      array = true;
      v = v[0];
      continue;
    }
    const keys = Object.keys(v);
    if (keys.length !== 1) break;
    path.push(keys[0] as string);
    v = (v as Record<string, unknown>)[keys[0] as string];
  }
  return { path, array };
}

/** Table headers, skipping lines inside multi-line strings. */
function headers(ls: Line[]): Header[] {
  const out: Header[] = [];
  let open: string | undefined;
  ls.forEach((l, i) => {
    if (open) {
      if (l.text.split(open).length % 2 === 0) open = undefined;
      return;
    }
    if (/^\s*\[/.test(l.text)) {
      const h = headerPath(l.text);
      if (h) out.push({ line: i, ...h });
      return;
    }
    const m = /"""|'''/.exec(l.text);
    if (m && l.text.split(m[0]).length % 2 === 0) open = m[0];
  });
  return out;
}

const samePath = (a: TomlPath, b: TomlPath) => a.length === b.length && a.every((k, i) => k === b[i]);
const isBlank = (s: string) => /^\s*(#.*)?$/.test(s);

interface TableSpan { header: number; /** last key/value line of the body (the header when empty) */ last: number; next: number }

function findTable(text: string, path: TomlPath): TableSpan | undefined {
  const ls = lines(text);
  const hs = headers(ls);
  const i = hs.findIndex((h) => !h.array && samePath(h.path, path));
  const h = hs[i];
  if (!h) return undefined;
  const next = hs[i + 1]?.line ?? ls.length;
  let last = h.line;
  for (let j = h.line + 1; j < next; j++) if (!isBlank(ls[j]?.text ?? '')) last = j;
  return { header: h.line, last, next };
}

function valueAt(doc: unknown, path: TomlPath): unknown {
  let v = doc;
  for (const k of path) {
    if (!v || typeof v !== 'object' || Array.isArray(v) || !Object.hasOwn(v, k)) return undefined;
    v = (v as Record<string, unknown>)[k];
  }
  return v;
}

/** Parses TOML text; throws a one-line message naming the file. */
export function parseToml(text: string, file: string): Record<string, unknown> {
  try {
    return parse(text) as Record<string, unknown>;
  } catch (err) {
    throw new Error(`${file}: invalid TOML: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** `"a:b"` / bare key, as smol-toml writes it. */
export function tomlKey(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : tomlString(k);
}
export function tomlString(s: string): string {
  return stringify({ k: s }).replace(/^k = /, '').trim();
}
const headerText = (path: TomlPath) => `[${path.map(tomlKey).join('.')}]`;

const KEY_LINE = /^(\s*)([A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')(\s*=\s*)("(?:[^"\\]|\\.)*"|'[^']*')(.*)$/;
const keyName = (raw: string) => (raw.startsWith('"') ? (JSON.parse(raw) as string) : raw.startsWith("'") ? raw.slice(1, -1) : raw);

function refuseOtherForms(doc: Record<string, unknown>, text: string, path: TomlPath, file: string): void {
  if (valueAt(doc, path) !== undefined && !findTable(text, path)) {
    throw new Error(`${file}: ${path.join('.')} is written in a form hookwarden does not edit (inline table or dotted keys); rewrite it as a [${path.join('.')}] table`);
  }
}

function checked(text: string, file: string, path: TomlPath, expect: (doc: Record<string, unknown>) => boolean): string {
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch (err) {
    // The input parsed, so a parent table is written inline or with dotted keys where a [table] cannot go.
    const why = (err as Error).message.split('\n')[0] ?? '';
    throw new Error(`${file}: adding [${path.join('.')}] would make the file invalid (${why}); it is written in a form hookwarden does not edit (inline table or dotted keys): rewrite it as [table] sections`);
  }
  if (!expect(doc)) throw new Error(`${file}: internal error: the edited TOML does not hold the intended change; nothing written`);
  return text;
}

/** Sets `key = "value"` in table `path`: the line in place when present, else a new line, else a new table at the end. */
export function setTableString(text: string, path: TomlPath, key: string, value: string, file: string): string {
  const doc = parseToml(text, file);
  refuseOtherForms(doc, text, path, file);
  const current = valueAt(doc, [...path, key]);
  if (current === value) return text;
  const span = findTable(text, path);
  const ls = lines(text);
  let out: string;
  if (!span) {
    // A file without a final newline keeps that style, so removing the table gives back its bytes.
    const sep = text === '' ? '' : text.endsWith('\n') ? '\n' : '\n\n';
    const end = text === '' || text.endsWith('\n') ? '\n' : '';
    out = `${text}${sep}${headerText(path)}\n${tomlKey(key)} = ${tomlString(value)}${end}`;
  } else if (current !== undefined) {
    const j = ls.findIndex((l, n) => n > span.header && n < span.next && keyName(KEY_LINE.exec(l.text)?.[2] ?? '\u0000') === key);
    const l = ls[j];
    const m = l ? KEY_LINE.exec(l.text) : null;
    if (!l || !m) throw new Error(`${file}: ${[...path, key].join('.')} is not a one-line string; edit it by hand`);
    out = text.slice(0, l.start) + m[1] + m[2] + m[3] + tomlString(value) + m[5] + text.slice(l.start + l.text.length);
  } else {
    const after = ls[span.last] as Line;
    const line = `${tomlKey(key)} = ${tomlString(value)}`;
    // After a last line without a newline: the new line goes before that line's end instead, so the file still ends as it did.
    out = after.end === after.start + after.text.length
      ? `${text.slice(0, after.end)}\n${line}${text.slice(after.end)}`
      : `${text.slice(0, after.end)}${line}\n${text.slice(after.end)}`;
  }
  return checked(out, file, path, (d) => valueAt(d, [...path, key]) === value);
}

/** Removes one `key = …` line from table `path`; the table goes too when nothing is left in it. */
export function removeTableKey(text: string, path: TomlPath, key: string, file: string): string {
  const doc = parseToml(text, file);
  if (valueAt(doc, [...path, key]) === undefined) return text;
  refuseOtherForms(doc, text, path, file);
  const span = findTable(text, path) as TableSpan;
  const ls = lines(text);
  const j = ls.findIndex((l, n) => n > span.header && n < span.next && keyName(KEY_LINE.exec(l.text)?.[2] ?? '\u0000') === key);
  if (j < 0) throw new Error(`${file}: ${[...path, key].join('.')} is not a one-line string; edit it by hand`);
  const rest = ls.slice(span.header + 1, span.next).filter((l, n) => n + span.header + 1 !== j && !isBlank(l.text));
  if (rest.length === 0) return removeTable(text, path, file);
  const l = ls[j] as Line;
  // The last line of a file without a final newline takes the newline before it along (the inverse of setTableString).
  const from = l.end === text.length && !text.endsWith('\n') && l.start > 0 ? l.start - 1 : l.start;
  return checked(text.slice(0, from) + text.slice(l.end), file, path, (d) => valueAt(d, [...path, key]) === undefined);
}

/** Removes table `path`: header through its last key line, and the blank line that set it apart. */
export function removeTable(text: string, path: TomlPath, file: string): string {
  const doc = parseToml(text, file);
  if (valueAt(doc, path) === undefined) return text;
  refuseOtherForms(doc, text, path, file);
  const span = findTable(text, path) as TableSpan;
  const ls = lines(text);
  const firstLine = span.header > 0 && /^\s*$/.test(ls[span.header - 1]?.text ?? 'x') ? span.header - 1 : span.header;
  const to = (ls[span.last] as Line).end;
  const start = (ls[firstLine] as Line).start;
  // A table ending a file without a final newline takes the newline before it along (the inverse of setTableString).
  const from = to === text.length && !text.endsWith('\n') && start > 0 ? start - 1 : start;
  return checked(text.slice(0, from) + text.slice(to), file, path, (d) => valueAt(d, path) === undefined);
}

/** Renames table `from` to `to` (a trust entry whose hook moved to another index). */
export function renameTable(text: string, from: TomlPath, to: TomlPath, file: string): string {
  const doc = parseToml(text, file);
  const value = valueAt(doc, from);
  if (value === undefined) return text;
  if (valueAt(doc, to) !== undefined) throw new Error(`${file}: cannot move [${from.join('.')}] to [${to.join('.')}]: it exists`);
  refuseOtherForms(doc, text, from, file);
  const span = findTable(text, from) as TableSpan;
  const l = lines(text)[span.header] as Line;
  // Keep the indent and any comment after the header; replace the bracketed key only.
  const m = /^(\s*)(\[(?:[^\]"']|"(?:[^"\\]|\\.)*"|'[^']*')*\])(.*)$/.exec(l.text);
  if (!m) throw new Error(`${file}: cannot read the header of [${from.join('.')}]`);
  const out = text.slice(0, l.start) + m[1] + headerText(to) + m[3] + text.slice(l.start + l.text.length);
  return checked(out, file, to, (d) => valueAt(d, from) === undefined && JSON.stringify(valueAt(d, to)) === JSON.stringify(value));
}

export { valueAt as tomlValueAt };
