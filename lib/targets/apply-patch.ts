// Targets of a Codex `apply_patch` input. The parser mirrors Codex's own
// (codex-rs/apply-patch/src/parser.rs, lenient mode) line for line, because the guard must see
// exactly the files Codex would touch: accepting less than Codex blocks (fine), but reading a
// header differently from Codex would let a write through under another name.
import { GuardError, type RawTarget } from '../types.js';

const BEGIN = '*** Begin Patch';
const END = '*** End Patch';
const ADD = '*** Add File: ';
const DELETE = '*** Delete File: ';
const UPDATE = '*** Update File: ';
const MOVE = '*** Move to: ';
const EOF_MARKER = '*** End of File';

/**
 * Every file a patch adds, deletes, updates or moves, in patch order. Relative paths stay
 * relative to `base`. Throws GuardError for any patch Codex would not parse either.
 * Single pass over the lines: linear in the patch size.
 */
export function patchTargets(patch: string, base: string): RawTarget[] {
  const lines = splitLines(rustTrim(patch));
  const [start, end] = boundaries(lines);
  const out: RawTarget[] = [];
  const fail = (what: string, i: number): never => {
    throw new GuardError(`cannot parse apply_patch input: ${what}, line ${i + 1}`, 'apply_patch');
  };
  const target = (op: RawTarget['op'], path: string, via: string, i: number): void => {
    if (path === '') fail(`empty path in ${via.slice('apply_patch '.length)}`, i);
    out.push({ op, path, base, via, literal: path });
  };

  let i = start;
  while (i < end) {
    const header = rustTrim(lines[i]!);
    const h = i;
    if (header.startsWith(ADD)) {
      target('write', header.slice(ADD.length), 'apply_patch Add File', h);
      i++;
      while (i < end && lines[i]!.startsWith('+')) i++;
    } else if (header.startsWith(DELETE)) {
      target('delete', header.slice(DELETE.length), 'apply_patch Delete File', h);
      i++;
    } else if (header.startsWith(UPDATE)) {
      const path = header.slice(UPDATE.length);
      i++;
      // Codex matches the move line untrimmed and only directly after the Update header.
      const moveLine = i < end && lines[i]!.startsWith(MOVE) ? lines[i]! : undefined;
      if (moveLine !== undefined) {
        target('move-from', path, 'apply_patch Update File', h);
        target('move-to', moveLine.slice(MOVE.length), 'apply_patch Move to', i);
        i++;
      } else {
        target('write', path, 'apply_patch Update File', h);
      }
      i = skipChunks(lines, i, end, path, h, fail);
    } else {
      fail(`unknown hunk header '${shown(header)}'`, i);
    }
  }
  return out;
}

/** Consumes the `@@` chunks of one Update File hunk; returns the index after them. */
function skipChunks(
  lines: string[], i: number, end: number, path: string, header: number,
  fail: (what: string, i: number) => never,
): number {
  let chunks = 0;
  while (i < end) {
    const line = lines[i]!;
    if (rustTrim(line) === '') { i++; continue; } // blank lines between chunks
    if (line.startsWith('*')) break; // next hunk header (validated by the caller)
    if (line === '@@' || line.startsWith('@@ ')) {
      i++;
    } else if (chunks > 0) {
      fail(`expected an @@ context marker in Update File '${shown(path)}'`, i);
    }
    if (i >= end) fail('update hunk has no lines', i);
    let parsed = 0;
    for (; i < end; i++) {
      const l = lines[i]!;
      if (l === EOF_MARKER) {
        if (parsed === 0) fail('update hunk has no lines', i);
        i++;
        break;
      }
      const c = l.charAt(0);
      if (c === '' || c === ' ' || c === '+' || c === '-') { parsed++; continue; }
      if (parsed === 0) fail(`unexpected line in update hunk '${shown(l)}'`, i);
      break; // start of the next chunk or hunk
    }
    chunks++;
  }
  if (chunks === 0) fail(`Update File '${shown(path)}' has no changes`, header);
  return i;
}

/**
 * [first hunk line, end) of the patch body. Like Codex's lenient mode, a patch wrapped in a
 * heredoc (`<<'EOF'` ... `EOF`) is accepted: some models send the shell form to the tool.
 */
function boundaries(lines: string[]): [number, number] {
  const strict = (from: number, to: number): string | undefined => {
    if (to - from < 1 || rustTrim(lines[from]!) !== BEGIN) return "first line must be '*** Begin Patch'";
    if (to - from < 2 || rustTrim(lines[to - 1]!) !== END) return "last line must be '*** End Patch'";
    return undefined;
  };
  const n = lines.length;
  const problem = strict(0, n);
  if (problem === undefined) return [1, n - 1];
  const first = lines[0];
  if ((first === '<<EOF' || first === "<<'EOF'" || first === '<<"EOF"') && n >= 4 && lines[n - 1]!.endsWith('EOF')) {
    const inner = strict(1, n - 1);
    if (inner === undefined) return [2, n - 2];
  }
  throw new GuardError(`cannot parse apply_patch input: ${problem}, line ${problem.startsWith('first') ? 1 : n}`, 'apply_patch');
}

/** Rust `str::lines`: split on `\n`, drop one `\r` before it; no trailing empty line. */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (l.endsWith('\r') && i < lines.length - 1) lines[i] = l.slice(0, -1);
  }
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Rust `str::trim` (Unicode White_Space). JavaScript's trim() differs (it keeps U+0085 and
 * strips U+FEFF); a mismatch would turn `*** Add File: .env\u0085` into a different path than
 * the one Codex writes. Loops, not a regex, so a long whitespace run stays linear.
 */
export function rustTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && isRustSpace(s.charCodeAt(a))) a++;
  while (b > a && isRustSpace(s.charCodeAt(b - 1))) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function isRustSpace(c: number): boolean {
  return (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0x85 || c === 0xa0 || c === 0x1680
    || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f
    || c === 0x3000;
}

/** A patch line quoted in a message: bounded and on one line. */
function shown(s: string): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, '?');
  return clean.length > 60 ? `${clean.slice(0, 57)}...` : clean;
}
