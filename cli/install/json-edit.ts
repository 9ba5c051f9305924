// Surgical edits of JSON text: hooks.json and settings.json belong to the user and to other tools,
// so hookwarden changes only the spans it owns and keeps every other byte (indentation, key order,
// spacing, comments) as it was. jsonc-parser finds the spans; each edit is checked by the caller
// against a fresh parse. Insertions and removals are exact inverses, so uninstall restores the original bytes.

import { parse, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';

export type JsonPath = (string | number)[];

export interface JsonNode {
  kind: 'object' | 'array' | 'scalar';
  start: number;
  /** Offset just past the value. */
  end: number;
  members: { key: string; keyStart: number; value: JsonNode }[];
  items: JsonNode[];
}

/**
 * Scans a whole document with jsonc-parser (the parser VS Code uses for its own settings files), so
 * the comments users keep in settings.json are read and kept; anything else JSON.parse would reject
 * (trailing commas, bad escapes, control characters, trailing text) is an error naming its line.
 */
export function scanJson(text: string): JsonNode {
  const errors: ParseError[] = [];
  // A byte-order mark is not JSON; blanked to a space so every offset still points into `text`.
  const body = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const root = parseTree(body, errors, { disallowComments: false, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  if (first || !root) {
    const at = first?.offset ?? text.length;
    const what = first ? printParseErrorCode(first.error).replace(/(?<=[a-z])(?=[A-Z])/g, ' ').toLowerCase() : 'empty document';
    throw new Error(`invalid JSON: line ${text.slice(0, at).split('\n').length}: ${what}`);
  }
  return convert(root);
}

/** jsonc-parser's node as the spans the edits use. */
function convert(n: Node): JsonNode {
  const node: JsonNode = { kind: n.type === 'object' ? 'object' : n.type === 'array' ? 'array' : 'scalar', start: n.offset, end: n.offset + n.length, members: [], items: [] };
  if (n.type === 'object') {
    for (const prop of n.children ?? []) {
      const [key, value] = prop.children ?? [];
      if (key && value) node.members.push({ key: key.value as string, keyStart: key.offset, value: convert(value) });
    }
  } else if (n.type === 'array') {
    node.items = (n.children ?? []).map(convert);
  }
  return node;
}

/** The document's value; comments allowed, everything else as strict as JSON.parse. */
export function parseJsonc(text: string): unknown {
  scanJson(text);
  return parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, [], { disallowComments: false, allowTrailingComma: false });
}

/** Duplicate keys resolve to the last one, as JSON.parse does. */
export function nodeAt(root: JsonNode, p: JsonPath): JsonNode | undefined {
  let n: JsonNode | undefined = root;
  for (const k of p) {
    if (!n) return undefined;
    if (typeof k === 'number') n = n.kind === 'array' ? n.items[k] : undefined;
    else n = n.kind === 'object' ? n.members.filter((m) => m.key === k).at(-1)?.value : undefined;
  }
  return n;
}

interface Style { unit: string; compact: boolean; eol: string }

/** Indent unit of the file (first indented line), or compact when the document is one line (an empty `{}` is not a style). */
function styleOf(text: string): Style {
  const body = text.trimEnd();
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  if (!body.includes('\n') && !/^\s*(\{\s*\}|\[\s*\])$/.test(body)) return { unit: '', compact: true, eol };
  const m = /\n([ \t]+)\S/.exec(body);
  return { unit: m?.[1] ?? '  ', compact: false, eol };
}

/** Leading whitespace of the line holding `offset`. */
function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart))?.[0] ?? '';
}

function render(value: unknown, indent: string, st: Style): string {
  if (st.compact) return JSON.stringify(value);
  return JSON.stringify(value, null, st.unit).replace(/\n/g, `${st.eol}${indent}`);
}

function need(text: string, p: JsonPath, kind: 'object' | 'array'): JsonNode {
  const n = nodeAt(scanJson(text), p);
  if (!n || n.kind !== kind) throw new Error(`expected an ${kind} at ${p.join('.') || 'the top level'}`);
  return n;
}

const splice = (text: string, start: number, end: number, insert: string): string => text.slice(0, start) + insert + text.slice(end);

/** Child indent: that of the existing first child, else the container's line indent plus one unit. */
function childIndent(text: string, container: JsonNode, first: number | undefined, st: Style): string {
  if (first !== undefined && text.lastIndexOf('\n', first) > container.start) return lineIndent(text, first);
  return lineIndent(text, container.start) + st.unit;
}

/** Inserts `piece` as the last child of `container`, in the file's own style. */
function appendChild(text: string, container: JsonNode, lastEnd: number | undefined, firstStart: number | undefined, piece: (indent: string) => string): string {
  const st = styleOf(text);
  const indent = childIndent(text, container, firstStart, st);
  if (lastEnd !== undefined) return splice(text, lastEnd, lastEnd, st.compact ? `,${piece('')}` : `,${st.eol}${indent}${piece(indent)}`);
  const close = container.end - 1;
  if (st.compact) return splice(text, container.start + 1, close, piece(''));
  return splice(text, container.start + 1, close, `${st.eol}${indent}${piece(indent)}${st.eol}${lineIndent(text, container.start)}`);
}

/** Appends `value` to the array at `p`. */
export function appendItem(text: string, p: JsonPath, value: unknown): string {
  const arr = need(text, p, 'array');
  const st = styleOf(text);
  return appendChild(text, arr, arr.items.at(-1)?.end, arr.items[0]?.start, (ind) => render(value, ind, st));
}

/** Adds `key: value` as the last member of the object at `p` (the key must be absent). */
export function addMember(text: string, p: JsonPath, key: string, value: unknown): string {
  const obj = need(text, p, 'object');
  const st = styleOf(text);
  const sep = st.compact ? ':' : ': ';
  return appendChild(text, obj, obj.members.at(-1)?.value.end, obj.members[0]?.keyStart, (ind) => `${JSON.stringify(key)}${sep}${render(value, ind, st)}`);
}

/** Replaces the value at `p`, rendered at the indent of the line it starts on. */
export function replaceValue(text: string, p: JsonPath, value: unknown): string {
  const n = nodeAt(scanJson(text), p);
  if (!n) throw new Error(`no value at ${p.join('.')}`);
  return splice(text, n.start, n.end, render(value, lineIndent(text, n.start), styleOf(text)));
}

/** Removes child `i` of a container given as sorted [start, end] spans: the inverse of appendChild. */
function removeChild(text: string, container: JsonNode, spans: [number, number][], i: number): string {
  const span = spans[i];
  if (!span) throw new Error(`no child ${i}`);
  if (spans.length === 1) return splice(text, container.start + 1, container.end - 1, '');
  const prev = spans[i - 1];
  if (prev) return splice(text, prev[1], span[1], '');
  const next = spans[i + 1] as [number, number];
  return splice(text, span[0], next[0], '');
}

/** Removes item `index` of the array at `p`, with its separator. */
export function removeItem(text: string, p: JsonPath, index: number): string {
  const arr = need(text, p, 'array');
  return removeChild(text, arr, arr.items.map((n) => [n.start, n.end]), index);
}

/** Removes every member named `key` of the object at `p`, with its separator. */
export function removeMember(text: string, p: JsonPath, key: string): string {
  let out = text;
  for (;;) {
    const obj = need(out, p, 'object');
    const i = obj.members.findIndex((m) => m.key === key);
    if (i < 0) return out;
    out = removeChild(out, obj, obj.members.map((m) => [m.keyStart, m.value.end]), i);
  }
}
