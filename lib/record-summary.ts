// What of a tool call goes into the record: file contents a write carries become {bytes, sha256}
// (over the raw text, so they can be matched against the file on disk), responses are summarized,
// and everything is cut to the configured byte budget after redaction (cutting first could leave
// half a secret that no pattern recognizes any more).
import { sha256Hex } from './canonical.js';

export interface Digest {
  bytes: number;
  sha256: string;
}

type Redact = (v: unknown) => unknown;
type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const jsonBytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v) ?? '');

export function digest(value: unknown): Digest {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  return { bytes: Buffer.byteLength(text), sha256: sha256Hex(text) };
}

/** Fields that carry file contents (or MCP payload bodies): stored as a digest only. */
const CARRIED: Record<string, readonly string[]> = {
  Write: ['content'],
  Edit: ['old_string', 'new_string'],
  NotebookEdit: ['new_source'],
};
const MCP_CARRIED = new Set(['content', 'contents', 'text', 'data', 'oldText', 'newText', 'old_string', 'new_string']);

function replaceKeys(obj: Obj, keys: readonly string[]): Obj {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, keys.includes(k) && v !== undefined ? digest(v) : v]));
}

/** MCP arguments: any `content`/`text`/`data`-like field at any depth (bounded by the JSON itself). */
function replaceMcp(value: unknown, depth = 0): unknown {
  if (depth > 32) return digest(value);
  if (Array.isArray(value)) return value.map((v) => replaceMcp(v, depth + 1));
  if (!isObj(value)) return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, MCP_CARRIED.has(k) && v !== undefined && v !== null ? digest(v) : replaceMcp(v, depth + 1)]),
  );
}

const PATCH_HEADER = /^\*\*\* (?:Begin Patch|End Patch|Add File: |Delete File: |Update File: |Move to: )/;

export interface PatchPart {
  header?: string;
  body?: Digest;
}

/** apply_patch text: the `*** ...` file headers verbatim, each body between them as a digest. */
export function summarizePatch(patch: string): PatchPart[] {
  const parts: PatchPart[] = [];
  let bodyStart = 0;
  let current: PatchPart | undefined;
  const close = (end: number): void => {
    const body = patch.slice(bodyStart, end);
    if (body === '') {
      if (current) parts.push(current);
    } else {
      parts.push({ ...current, body: digest(body) });
    }
  };
  let pos = 0;
  while (pos < patch.length) {
    const nl = patch.indexOf('\n', pos);
    const next = nl === -1 ? patch.length : nl + 1;
    const line = patch.slice(pos, nl === -1 ? patch.length : nl).trim();
    if (PATCH_HEADER.test(line)) {
      close(pos);
      current = { header: line };
      bodyStart = next;
    }
    pos = next;
  }
  close(patch.length);
  return parts;
}

/** tool_input with carried contents replaced (before redaction; digests are of the raw text). */
export function stripContents(tool: string | undefined, input: unknown): unknown {
  if (!isObj(input) || tool === undefined) return input;
  if (tool === 'apply_patch' && typeof input.command === 'string') return { ...input, command: summarizePatch(input.command) };
  if (tool === 'MultiEdit' && Array.isArray(input.edits)) {
    return { ...input, edits: input.edits.map((e) => (isObj(e) ? replaceKeys(e, ['old_string', 'new_string']) : e)) };
  }
  const keys = CARRIED[tool];
  if (keys) return replaceKeys(input, keys);
  if (tool.startsWith('mcp__')) return replaceMcp(input);
  return input;
}

/** Object response fields that are (or may hold) file contents or bulk output: never kept as fields. */
const BULK_FIELDS = new Set(['content', 'contents', 'originalFile', 'oldString', 'newString', 'structuredPatch', 'file', 'stdout', 'stderr', 'text', 'data', 'output']);

/**
 * PostToolUse response: {bytes, sha256} of the raw response, plus what helps an auditor: the
 * output text (Bash, Codex strings, MCP text content), stderr, the exit code where given, and
 * the small scalar fields of an object response (`filePath`, `success`, `isError`...).
 */
export function summarizeResponse(tool: string | undefined, response: unknown): Obj {
  const out: Obj = { ...digest(response) };
  if (typeof response === 'string') {
    const exit = /^Exit code: (-?\d{1,10})\n/.exec(response);
    if (exit) out.exit = Number(exit[1]);
    out.text = response;
    return out;
  }
  if (!isObj(response)) return out;
  const code = response.exitCode ?? response.exit_code ?? response.returnCode;
  if (typeof code === 'number') out.exit = code;
  if (tool === 'Bash' || tool === 'BashOutput') {
    if (typeof response.stdout === 'string') out.text = response.stdout;
    if (typeof response.stderr === 'string' && response.stderr !== '') out.stderr = response.stderr;
  } else if (Array.isArray(response.content)) {
    const texts = response.content.filter(isObj).map((c) => (typeof c.text === 'string' ? c.text : `[${String(c.type)}]`));
    if (texts.length > 0) out.text = texts.join('\n');
  }
  const fields = Object.entries(response).filter(
    ([k, v]) => !BULK_FIELDS.has(k) && (typeof v === 'boolean' || typeof v === 'number' || v === null || (typeof v === 'string' && v.length <= 256)),
  );
  if (fields.length > 0) out.fields = Object.fromEntries(fields);
  return out;
}

const MIN_CUT = 64; // never cut a string below this (a sha256 is 64 characters)
const CUT_MARK = '…';

function cutString(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--; // keep surrogate pairs whole
  return s.slice(0, end) + CUT_MARK;
}

function cutAll(value: unknown, max: number): unknown {
  if (typeof value === 'string') return cutString(value, max);
  if (Array.isArray(value)) return value.map((v) => cutAll(v, max));
  if (isObj(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, cutAll(v, max)]));
  return value;
}

function longestString(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.reduce((m: number, v) => Math.max(m, longestString(v)), 0);
  if (isObj(value)) return Object.values(value).reduce((m: number, v) => Math.max(m, longestString(v)), 0);
  return 0;
}

/**
 * Cuts the longest strings (all to one common length, found by binary search: O(size x log))
 * until the JSON text fits `limit` bytes. When even that cannot fit (thousands of small fields),
 * the value becomes a digest of its JSON. Returns whether anything was cut.
 */
export function fitJson(value: unknown, limit: number): { value: unknown; truncated: boolean } {
  if (jsonBytes(value) <= limit) return { value, truncated: false };
  let lo = MIN_CUT;
  let hi = longestString(value);
  if (hi < lo || jsonBytes(cutAll(value, lo)) > limit) return { value: { ...digest(value), truncated: true }, truncated: true };
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (jsonBytes(cutAll(value, mid)) <= limit) lo = mid;
    else hi = mid - 1;
  }
  return { value: cutAll(value, lo), truncated: true };
}

const TRUNCATED_KEY_BYTES = ',"truncated":true'.length;

/**
 * Context kept past the cut for redaction. No string of a fitted value keeps more than `limit`
 * characters (each needs at least one byte of JSON), so redacting only the first `limit` plus this
 * many characters of each string finds every secret that starts in the part kept and is shorter
 * than this (a 4096-bit private key is about 3.3 KB), and the end of a long tool response is not
 * scanned just to be thrown away (a 1 MB response took ~20 ms of pattern matching).
 */
const REDACT_CONTEXT = 64 * 1024;

/** Deeper values are left as they are: the redactor bounds its own walk, and these helpers recurse. */
const BOUND_DEPTH = 64;

/** `value` with every string cut to `max` characters; unchanged where nothing is longer, or too deep to walk. */
function boundStrings(value: unknown, max: number, depth: number): unknown {
  if (typeof value === 'string') return value.length > max ? cutString(value, max) : value;
  if (depth >= BOUND_DEPTH || (!Array.isArray(value) && !isObj(value))) return value;
  let changed = false;
  const next = (v: unknown): unknown => {
    const b = boundStrings(v, max, depth + 1);
    if (b !== v) changed = true;
    return b;
  };
  const out = Array.isArray(value) ? value.map(next) : Object.fromEntries(Object.entries(value as Obj).map(([k, v]) => [k, next(v)]));
  return changed ? out : value;
}

/** Redacts, then fits; an object that had to be cut says so with `truncated: true`. */
export function redactAndFit(value: unknown, redact: Redact, limit: number): unknown {
  const scanned = boundStrings(value, limit + REDACT_CONTEXT, 0);
  const fitted = fitJson(redact(scanned), isObj(value) ? limit - TRUNCATED_KEY_BYTES : limit);
  if (!fitted.truncated || !isObj(fitted.value) || fitted.value.truncated === true) return fitted.value;
  return { ...fitted.value, truncated: true };
}
