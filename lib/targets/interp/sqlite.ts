// sqlite3: the database file (unless -readonly), dot-commands that write files (`.output`,
// `.once`, `.save`, `.backup`, `.clone`, `.log`, `.trace`, `.restore` into the database, `.open`), those that
// read (`.read` runs another script, `.import`), shell escapes (`.shell`, `.system`, `.output |cmd`),
// and SQL: `ATTACH 'f'`, `VACUUM INTO 'f'`, `writefile('f', ...)` and every other string literal
// but `readfile()`'s are paths that may be written. SQL and dot-commands come from the operands
// after the database, `-cmd`, `-init FILE` and standard input.
import type { Arg } from '../shell/context.js';
import { U } from '../shell/context.js';
import type { CodeCtx } from './load.js';
import { readScript, stdinText } from './source.js';
import { splitWords } from '../shell/feed.js';

const VALUE_OPTS = new Set(['cmd', 'init', 'separator', 'nullvalue', 'newline', 'vfs', 'mmap', 'lookaside', 'pagecache', 'heap', 'maxsize', 'A', 'archive', 'escape']);
const WRITE_DOTS = /^(?:output|once|save|backup|clone|log|excel|open|restore|trace|iotrace)$/;

interface State {
  x: CodeCtx;
  name: string;
  depth: number;
}

/** SQL text and dot-command lines. */
function script(text: string, s: State): void {
  let sql = '';
  for (const line of text.split('\n')) {
    s.x.check();
    if (/^\s*\./.test(line) && sql.trim() === '') {
      dot(line.trim().slice(1), s);
      continue;
    }
    sql += `${line}\n`;
  }
  sqlLiterals(sql, s);
}

/**
 * The dot-commands that touch files or run commands. The shell takes any prefix of a name
 * (`.outp FILE` is `.output`, `.rea '|cmd'` is `.read`, `.tr FILE` is `.trace`; which one wins an
 * ambiguous prefix depends on its order and minimum lengths): a prefix counts as every command it
 * begins.
 */
const DOTS = ['output', 'once', 'save', 'backup', 'clone', 'log', 'excel', 'open', 'restore', 'trace', 'iotrace', 'shell', 'system', 'read', 'import', 'cd', 'load', 'archive'];

function dot(line: string, s: State): void {
  const [word = '', ...args] = splitWords(line);
  if (word === '') return;
  for (const cmd of DOTS.filter((d) => d.startsWith(word))) dotCommand(cmd, line, word, args, s);
}

function dotCommand(cmd: string, line: string, word: string, args: string[], s: State): void {
  const { x, name } = s;
  const via = `${name} .${word}`;
  const files = args.filter((a) => !a.startsWith('-'));
  if (cmd === 'shell' || cmd === 'system') {
    x.shell(line.slice(line.indexOf(word) + word.length), via);
    return;
  }
  if (WRITE_DOTS.test(cmd)) {
    const f = cmd === 'backup' || cmd === 'restore' ? files[files.length - 1] : files[0];
    if (f === undefined) return;
    if (f.startsWith('|')) {
      x.shell(line.slice(line.indexOf('|') + 1), via);
      return;
    }
    // `.restore` overwrites the database from the file: the file is read, the database written (emitted by the caller).
    x.emit(cmd === 'restore' ? 'read' : 'write', { text: f, literal: f }, via);
    return;
  }
  if (cmd === 'read' && files[0] !== undefined) {
    if (files[0].startsWith('|')) {
      x.shell(files[0].slice(1), via);
      return;
    }
    const text = s.depth < 4 ? readScript(x, { text: files[0], literal: files[0] }) : undefined;
    x.emit('read', { text: files[0], literal: files[0] }, via);
    if (text === 'missing') return;
    if (text === undefined) x.emit('write', { text: U, literal: files[0] , opaque: true }, via, true);
    else script(text, { ...s, depth: s.depth + 1 });
    return;
  }
  if (cmd === 'import' && files[0] !== undefined) x.emit('read', { text: files[0], literal: files[0] }, via);
  if (cmd === 'cd' || cmd === 'load' || cmd === 'archive') x.emit('write', { text: U, literal: line , opaque: true }, via, true);
}

/** String literals of SQL ('' escapes a quote; line and block comments dropped). */
function sqlLiterals(sql: string, s: State): void {
  const code = sql.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, ' ');
  for (const m of code.matchAll(/(\w*)\s*\(?\s*'((?:[^']|'')*)'/g)) {
    const text = m[2]!.replace(/''/g, "'");
    if (text === '' || text.includes('\n')) continue;
    const fn = m[1]!.toLowerCase();
    if (fn === 'load_extension') {
      s.x.emit('write', { text: U, literal: text , opaque: true }, `${s.name} load_extension`, true);
      continue;
    }
    s.x.emit(fn === 'readfile' ? 'read' : 'write', { text, literal: text }, `${s.name} sql`);
  }
}

export function sqlite(name: string, args: Arg[], x: CodeCtx): void {
  const s: State = { x, name, depth: 0 };
  const ops: Arg[] = [];
  const cmds: string[] = [];
  let readonly = false;
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!.text;
    if (!t.startsWith('-') || ops.length > 0) {
      ops.push(args[i]!);
      continue;
    }
    const opt = t.replace(/^--?/, '');
    if (opt === 'readonly') readonly = true;
    if (opt === 'A' || opt === 'archive' || /^A[xtc]/.test(opt)) x.emit('write', { text: U, literal: t }, `${name} -A`, true);
    if (VALUE_OPTS.has(opt)) {
      const v = args[++i];
      if (!v) continue;
      if (opt === 'cmd') cmds.push(v.text);
      if (opt === 'init') {
        const text = readScript(x, v);
        x.emit('read', v, name);
        if (text === 'missing') return;
        if (text === undefined) x.emit('write', { text: U, literal: v.literal , opaque: true }, `${name} -init`, true);
        else script(text, s);
      }
    }
  }
  const db = ops[0];
  if (db && db.text !== ':memory:' && db.text !== '') x.emit(readonly ? 'read' : 'write', db, name);
  for (const c of cmds) script(c, s);
  const sql = ops.slice(1);
  for (const a of sql) script(a.text, s);
  if (sql.length === 0) {
    const st = stdinText(x);
    if (st.text !== undefined) script(st.text, s);
    else if (st.unknown) x.emit('write', { text: U, literal: `${name} stdin` , opaque: true }, `${name} stdin`, true);
  }
}
