// go-task renders every command, `dir:` and variable through Go's text/template before its shell
// runs the result, so template output is shell code, not data: `{{.X}}` with X = `; rm -rf ~`
// runs the rm. An action is known only when it is a plain variable (`{{.NAME}}`) whose value the
// guard knows exactly (a literal in the Taskfile, a `NAME=value` word of the command line, the
// arguments after `--`, the special folder variables); anything else (functions, pipelines,
// conditionals, dynamic `sh:` values, a name two layers define differently) leaves the text
// unknown: the caller reports it as opaque code and walks the rest with an unknown variable in
// the action's place, so the literal parts still count.
import { U } from './context.js';
import type { Scope } from './scope.js';
import { isObj, type Obj } from './taskfile-read.js';

/** An unset shell variable the walk scope marks unknown, standing for an action not known. */
export const HOLE_VAR = '__hookwarden_template';
const HOLE = `\${${HOLE_VAR}}`;
/** Bounds: nested variable renders, and text one render may produce (doubling values). */
const MAX_DEPTH = 8;
const MAX_TEXT = 256 * 1024;

export interface Vars {
  /** Variable layers a name may come from (task, call, include, Taskfile, root, root env): two different values are not known. */
  layers: Obj[];
  /** go-task's special variables (TASK, ROOT_DIR, TASKFILE_DIR, USER_WORKING_DIR, CLI_ARGS...). */
  special: Map<string, string>;
  /** The environment the command runs in (templates see it too). */
  sc: Scope;
}

/**
 * `text` with its template actions done; `known` false when some action's output is not known.
 * `room` is shared by the nested renders of one call: variables that each use the next one twice
 * would otherwise double the work at every level.
 */
export function render(text: string, v: Vars, depth = 0, room = { left: MAX_TEXT }): { text: string; known: boolean } {
  if ((room.left -= text.length) < 0) return { text: HOLE, known: false };
  if (!text.includes('{{')) return { text, known: true };
  let out = '';
  let known = depth <= MAX_DEPTH;
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) {
      out += text.slice(i);
      break;
    }
    out += text.slice(i, open);
    const close = text.indexOf('}}', open + 2);
    if (close < 0) return { text: out + HOLE, known: false }; // Go rejects the template: not known what runs
    let body = text.slice(open + 2, close);
    i = close + 2;
    // `{{- x -}}` trims the white space before and after the action.
    if (/^-\s/.test(body)) {
      out = out.trimEnd();
      body = body.slice(1);
    }
    if (/\s-$/.test(body)) {
      body = body.slice(0, -1);
      while (i < text.length && /\s/.test(text[i]!)) i++;
    }
    body = body.trim();
    if (body.startsWith('/*') && body.endsWith('*/')) continue;
    const m = /^\.([A-Za-z_][A-Za-z0-9_]*)$/.exec(body);
    const value = m && known ? lookup(m[1]!, v, depth, room) : undefined;
    if (value === undefined) {
      known = false;
      out += HOLE;
    } else out += value;
    if (out.length > MAX_TEXT || room.left < 0) return { text: out.slice(0, MAX_TEXT), known: false };
  }
  return { text: out, known };
}

/** The one value `name` has in every layer defining it, a special variable, or the environment's; undefined when not known. */
export function lookup(name: string, v: Vars, depth = 0, room = { left: MAX_TEXT }): string | undefined {
  const defined = v.layers.filter((l) => Object.hasOwn(l, name)).map((l) => l[name]);
  if (defined.length === 0) {
    const s = v.special.get(name);
    if (s !== undefined) return s;
    const e = v.sc.get(name);
    return typeof e === 'string' ? (e.includes(U) ? undefined : e) : ''; // unset: Go renders it empty
  }
  const values = defined.map((raw) => valueOf(raw, v, depth + 1, room));
  return values.every((x) => x !== undefined && x === values[0]) ? values[0] : undefined;
}

/** A variable's value as YAML gives it: a string (rendered), number or boolean; undefined for `sh:`, `ref:`, maps, lists, null. */
export function valueOf(raw: unknown, v: Vars, depth: number, room = { left: MAX_TEXT }): string | undefined {
  if (isObj(raw) && Object.keys(raw).every((k) => k === 'value' || k === 'secret')) raw = raw.value;
  if (typeof raw === 'number' || typeof raw === 'boolean') return String(raw);
  if (typeof raw !== 'string') return undefined;
  const r = render(raw, v, depth, room);
  return r.known ? r.text : undefined;
}
