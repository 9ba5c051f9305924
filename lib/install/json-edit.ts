// Surgical edits of JSON text: hooks.json and settings.json belong to the user and to other tools,
// so hookwarden changes only the spans it owns and keeps every other byte (indentation, key order,
// spacing) as it was. A small scanner finds the spans; each edit is checked against JSON.parse by
// the caller. Insertions and removals are exact inverses, so uninstall restores the original bytes.

export type JsonPath = (string | number)[];

export interface JsonNode {
  kind: 'object' | 'array' | 'scalar';
  start: number;
  /** Offset just past the value. */
  end: number;
  members: { key: string; keyStart: number; value: JsonNode }[];
  items: JsonNode[];
}

// Sticky: matched in place at `lastIndex`, without copying the rest of the text.
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;
const SCALAR = /(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)/y;

class Scanner {
  pos = 0;
  constructor(readonly text: string) {
    if (text.charCodeAt(0) === 0xfeff) this.pos = 1;
  }
  fail(what: string): never {
    const before = this.text.slice(0, this.pos);
    const line = before.split('\n').length;
    throw new Error(`invalid JSON at line ${line}: ${what}`);
  }
  ws(): void {
    while (this.pos < this.text.length && ' \t\r\n'.includes(this.text[this.pos] as string)) this.pos++;
  }
  string(): string {
    STRING.lastIndex = this.pos;
    const m = STRING.exec(this.text);
    if (!m) this.fail('bad string');
    this.pos += m[0].length;
    return JSON.parse(m[0]) as string;
  }
  value(): JsonNode {
    this.ws();
    const start = this.pos;
    const c = this.text[this.pos];
    const node: JsonNode = { kind: 'scalar', start, end: start, members: [], items: [] };
    if (c === '{') {
      node.kind = 'object';
      this.pos++;
      this.ws();
      if (this.text[this.pos] !== '}') {
        for (;;) {
          this.ws();
          const keyStart = this.pos;
          if (this.text[this.pos] !== '"') this.fail('expected a key');
          const key = this.string();
          this.ws();
          if (this.text[this.pos++] !== ':') this.fail('expected ":"');
          node.members.push({ key, keyStart, value: this.value() });
          this.ws();
          const sep = this.text[this.pos++];
          if (sep === '}') break;
          if (sep !== ',') this.fail('expected "," or "}"');
        }
      } else this.pos++;
    } else if (c === '[') {
      node.kind = 'array';
      this.pos++;
      this.ws();
      if (this.text[this.pos] !== ']') {
        for (;;) {
          node.items.push(this.value());
          this.ws();
          const sep = this.text[this.pos++];
          if (sep === ']') break;
          if (sep !== ',') this.fail('expected "," or "]"');
        }
      } else this.pos++;
    } else if (c === '"') {
      this.string();
    } else {
      SCALAR.lastIndex = this.pos;
      const m = SCALAR.exec(this.text);
      if (!m) this.fail('unexpected token');
      this.pos += m[0].length;
    }
    node.end = this.pos;
    return node;
  }
}

/** Scans a whole JSON document; throws on anything JSON.parse would reject. */
export function scanJson(text: string): JsonNode {
  const s = new Scanner(text);
  const root = s.value();
  s.ws();
  if (s.pos !== text.length) s.fail('trailing characters');
  return root;
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
