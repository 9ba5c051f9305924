// Who a hook call is, read from a payload that was rejected as a whole (not JSON, wrong shape,
// too large): session, call and tool ids, so that `tail --session` and the pairing of Pre and
// Post records still find exactly the calls that looked wrong. Never trusted for a decision: a
// rejected call is blocked whatever these say; they only label its record.
//
// Identity is read only from top-level members of the payload object. Everything nested
// (tool_input, tool_response) is the model's text, so the scanners below track JSON structure
// exactly (strings and escapes included): a `"session_id":"x"` inside a command or an output is
// never taken for the payload's own. Duplicate keys: the last one wins, as JSON.parse (and so the
// valid path) does. No full parse is needed: a truncated or oversized payload is read from a
// bounded head (members in order, complete ones only) and a bounded tail (the members after the
// last large value, read backwards: for Codex and Claude alike `tool_use_id` comes after
// `tool_response`, which is what makes a payload large).

/** The payload fields that say which call, turn, session and agent a record belongs to. */
export const IDENTITY_FIELDS = [
  'session_id', 'turn_id', 'tool_use_id', 'tool_name', 'hook_event_name', 'cwd', 'transcript_path', 'agent_id', 'agent_type',
] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];
export type Identity = Partial<Record<IdentityField, string>>;

/** Marks the stand-in `raw` of a rejected payload (a symbol: never serialized, same in every bundle). */
export const REJECTED: unique symbol = Symbol.for('hookwarden.rejected-payload');

/** Longest identity string kept (a path can be 4096 bytes long); longer ones are cut and marked. */
export const MAX_IDENTITY_CHARS = 4096;
const CUT_MARK = '…';
const FIELDS = new Set<string>(IDENTITY_FIELDS);
/** An escaped key can be 6 times as long as its name: longer keys are skipped without decoding. */
const MAX_KEY_CHARS = 6 * 16 + 2;

export function cutIdentity(s: string): string {
  if (s.length <= MAX_IDENTITY_CHARS) return s;
  let end = MAX_IDENTITY_CHARS;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--; // keep a surrogate pair whole
  return s.slice(0, end) + CUT_MARK;
}

/** From a parsed payload: the identity fields that are strings (others are ignored), cut. */
export function identityOf(raw: unknown): Identity {
  const out: Identity = {};
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return out;
  for (const k of IDENTITY_FIELDS) {
    const v = Object.hasOwn(raw, k) ? (raw as Record<string, unknown>)[k] : undefined;
    if (typeof v === 'string') out[k] = cutIdentity(v);
  }
  return out;
}

const isWs = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const HEX = /^[0-9a-fA-F]{4}$/;
/** A number or a literal, matched where the scan stands (sticky: no copy of the text). */
const LITERAL = /-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null/y;

/** Index just past the string starting at `i` (a `"`), or -1 when it is unterminated or invalid. */
function stringEnd(t: string, i: number): number {
  for (let j = i + 1; j < t.length; j++) {
    const c = t.charCodeAt(j);
    if (c === 0x22) return j + 1;
    if (c < 0x20) return -1; // JSON.parse rejects raw control characters in strings
    if (c === 0x5c) {
      const e = t[j + 1];
      if (e === 'u') {
        if (!HEX.test(t.slice(j + 2, j + 6))) return -1;
        j += 5;
      } else if (e !== undefined && '"\\/bfnrt'.includes(e)) j++;
      else return -1;
    }
  }
  return -1;
}

/** Index just past the value starting at `i`, or -1 (truncated or not a value). */
function valueEnd(t: string, i: number): number {
  const c = t.charCodeAt(i);
  if (c === 0x22) return stringEnd(t, i);
  if (c === 0x7b || c === 0x5b) {
    // Nested: only its extent matters; strings are skipped exactly, brackets counted.
    let depth = 0;
    for (let j = i; j < t.length; j++) {
      const d = t.charCodeAt(j);
      if (d === 0x22) {
        const e = stringEnd(t, j);
        if (e < 0) return -1;
        j = e - 1;
      } else if (d === 0x7b || d === 0x5b) depth++;
      else if (d === 0x7d || d === 0x5d) {
        if (--depth === 0) return j + 1;
      }
    }
    return -1;
  }
  LITERAL.lastIndex = i;
  const m = LITERAL.exec(t);
  if (!m) return -1;
  const end = i + m[0].length;
  // A literal cut by the end of a prefix is not known to be complete.
  return end < t.length ? end : -1;
}

function decode(raw: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

/** Members seen: a string, or null for a value that is not one (it hides an earlier string). */
type Seen = Map<IdentityField, string | null>;

function keep(out: Seen, key: unknown, rawValue: string): void {
  if (typeof key !== 'string' || !FIELDS.has(key)) return;
  const v = rawValue.charCodeAt(0) === 0x22 ? decode(rawValue) : undefined;
  out.set(key as IdentityField, typeof v === 'string' ? cutIdentity(v) : null);
}

/**
 * Identity from the start of a payload's JSON text (the whole text, or a prefix of it): the
 * complete top-level members in order, up to the first thing that is not valid JSON.
 */
function scanHead(t: string): Seen {
  const out: Seen = new Map();
  let i = 0;
  const ws = (): void => {
    while (i < t.length && isWs(t.charCodeAt(i))) i++;
  };
  ws();
  if (t.charCodeAt(i) !== 0x7b) return out; // not an object (an array, a scalar, nothing)
  i++;
  ws();
  if (t.charCodeAt(i) === 0x7d) return out;
  for (;;) {
    ws();
    if (t.charCodeAt(i) !== 0x22) return out;
    const keyEnd = stringEnd(t, i);
    if (keyEnd < 0) return out;
    const key = keyEnd - i <= MAX_KEY_CHARS ? decode(t.slice(i, keyEnd)) : undefined;
    i = keyEnd;
    ws();
    if (t.charCodeAt(i) !== 0x3a) return out;
    i++;
    ws();
    const start = i;
    const end = valueEnd(t, i);
    if (end < 0) return out;
    keep(out, key, t.slice(start, end));
    i = end;
    ws();
    const sep = t.charCodeAt(i);
    if (sep === 0x7d) return out;
    if (sep !== 0x2c) return out;
    i++;
  }
}

/** Start index of the string whose closing quote is at `j`, or -1 when it begins before `t`. */
function stringStartBack(t: string, j: number): number {
  for (let i = j - 1; i >= 0; i--) {
    if (t.charCodeAt(i) !== 0x22) continue;
    // A quote inside a string is escaped: an odd run of backslashes before it.
    let b = 0;
    while (i - 1 - b >= 0 && t.charCodeAt(i - 1 - b) === 0x5c) b++;
    // A run that reaches the start of a cut text may have lost a backslash: undecidable.
    if (i - b === 0) return -1;
    if (b % 2 === 0) return i;
  }
  return -1;
}

/**
 * Identity from the end of a payload's JSON text (the whole text, or its last bytes): the
 * top-level members after the last object or array value, read backwards from the closing `}`.
 * Sound on a complete valid text: read backwards, a complete string or literal has one reading,
 * and the last `}` closes the payload. On a window of the end, reaching an object's `{` before
 * the window's start means the whole object is in the window: it is the payload itself only if
 * nothing but blanks precede it (a whole text); otherwise the scan found a nested object.
 */
function scanTail(t: string): Seen {
  const found: Seen = new Map();
  let i = t.length - 1;
  const ws = (): void => {
    while (i >= 0 && isWs(t.charCodeAt(i))) i--;
  };
  ws();
  if (t.charCodeAt(i) !== 0x7d) return found;
  i--;
  for (;;) {
    ws();
    // The value, read backwards: a string or a literal; anything else ends the scan.
    let start: number;
    const c = t.charCodeAt(i);
    if (c === 0x22) {
      start = stringStartBack(t, i);
      if (start < 0) return found;
    } else {
      start = i;
      while (start > 0 && /[-+.\w]/.test(t[start - 1] as string)) start--;
      if (start === 0 || start === i + 1 || !/^(?:-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|true|false|null)$/.test(t.slice(start, i + 1))) return found;
    }
    const rawValue = t.slice(start, i + 1);
    i = start - 1;
    ws();
    if (t.charCodeAt(i) !== 0x3a) return found;
    i--;
    ws();
    if (t.charCodeAt(i) !== 0x22) return found;
    const keyStart = stringStartBack(t, i);
    if (keyStart < 0) return found;
    const key = i + 1 - keyStart <= MAX_KEY_CHARS ? decode(t.slice(keyStart, i + 1)) : undefined;
    i = keyStart - 1;
    // Read backwards, the first occurrence is the last in the text: the one JSON.parse keeps.
    if (typeof key === 'string' && !found.has(key as IdentityField)) keep(found, key, rawValue);
    ws();
    const sep = t.charCodeAt(i);
    if (sep === 0x7b) {
      i--;
      ws();
      return i < 0 ? found : new Map(); // the payload's start only at the text's start
    }
    if (sep !== 0x2c) return found; // not JSON: keep the members read so far
    i--;
  }
}

/**
 * Identity from the text of a payload that is not (known to be) valid JSON: the members in `head`
 * (its start), then those at the end of `tail`, which come later and so win for a duplicate key.
 * `tail` must be the end of a COMPLETE text (the input ended there): read backwards, the last `}`
 * is taken for the payload's own, which only holds when nothing was cut off after it. A text
 * that failed to parse may be truncated, so its callers pass no tail.
 */
export function scanIdentity(head: string, tail = ''): Identity {
  const seen = scanHead(head);
  for (const [k, v] of scanTail(tail)) seen.set(k, v);
  const out: Identity = {};
  for (const k of IDENTITY_FIELDS) {
    const v = seen.get(k);
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}

/** The head scan alone (exported for tests). */
export const scanIdentityHead = (t: string): Identity => scanIdentity(t);
/** The tail scan alone (exported for tests). */
export const scanIdentityTail = (t: string): Identity => scanIdentity('', t);

/** How much of the end of a text the backward scan looks at. */
export const TAIL_CHARS = 64 * 1024;
