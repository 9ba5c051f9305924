// Editor command scripts. vim/ex (`-c CMD`, `+CMD`, `-S FILE`, ex commands on stdin with `-e`/`-s`
// or as `ex`): `:w FILE`, `:saveas`, `:wq`, `:x`, `:update` write (with no file: every buffer,
// i.e. the files edited), `:e FILE` adds a buffer, `:r FILE` reads, `:!CMD`, `:w !CMD`, `system()`
// run shell text, `:py3`/`:perl`/`:ruby` run code, `writefile()` and other literals are paths
// written. ed reads commands on stdin: `w`, `W`, `wq`, `e`, `f`, `r`, `!`; text after `a`/`i`/`c`
// up to `.` is text, not commands. An editor with no script (interactive) may save what it edits.
import type { Arg } from '../shell/context.js';
import { U } from '../shell/context.js';
import type { CodeCtx } from './load.js';
import { analyze } from './scripts.js';
import { readScript, stdinText } from './source.js';

interface ExState {
  writes: string[];
  reads: string[];
  shells: string[];
  /** Buffers are saved under their own names. */
  saves: boolean;
  buffers: string[];
  /** Code in another language (`:py3 ...`). */
  code: [string, 'python' | 'perl' | 'ruby'][];
  unknown: boolean;
}

const WRITE = /^(?:w|wr|wri|writ|write|wq|x|xi|xit|exi|exit|up|upd|upda|updat|update|sav|save|savea|saveas|wa|wal|wall|wqa|wqal|wqall|xa|xal|xall|wn|wne|wnex|wnext|wN|wNext|wp|wprevious)$/;
const EDIT = /^(?:e|ed|edi|edit|new|vne|vnew|sp|spl|spli|split|vs|vsp|vspl|vspli|vsplit|tabe|tabed|tabedit|tabnew|bad|badd|f|fi|fil|file|sv|sview|vie|view)$/;
const READ = /^(?:r|re|rea|read|so|sou|sour|sourc|source|ru|run|runt|runti|runtim|runtime)$/;

function strings(s: string): string[] {
  const out: string[] = [];
  for (const m of s.matchAll(/'((?:[^']|'')*)'|"((?:[^"\\]|\\.)*)"/g)) out.push(m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2]!.replace(/\\(.)/g, '$1'));
  return out;
}

/** One line of ex commands, `|`-separated where vim separates them. */
export function exLine(line: string, st: ExState, depth = 0): void {
  let rest = line;
  for (let guard = 0; rest.trim() !== '' && guard < 256; guard++) {
    let s = rest.replace(/^[\s:]+/, '');
    if (s.startsWith('"')) return; // a comment
    // A range: %, numbers, ., $, marks, patterns, offsets.
    s = s.replace(/^(?:[%.$0-9,;+-]|'[a-zA-Z<>]|\/(?:[^/\\]|\\.)*\/|\?(?:[^?\\]|\\.)*\?)*/, '').replace(/^\s+/, '');
    if (s.startsWith('!')) {
      st.shells.push(s.slice(1));
      return;
    }
    const m = /^([A-Za-z]+|[&<>=@#*~])(!?)\s*/.exec(s);
    if (!m) return;
    const name = m[1]!;
    let args = s.slice(m[0].length);
    // Commands that take the rest of the line (a `|` is theirs).
    if (/^(?:norm|norma|normal|g|gl|glo|glob|globa|global|v|vg|vgl|vglo|vglob|vglobal)$/.test(name)) {
      if (/^(?:g|gl|glo|glob|globa|global|v|vg|vgl|vglo|vglob|vglobal)$/.test(name)) {
        const body = /^(.)(?:(?!\1)[^\\]|\\.)*\1(.*)$/s.exec(args);
        if (body && depth < 4) exLine(body[2]!, st, depth + 1);
      } else if (args.includes(':') && depth < 4) {
        for (const part of args.split(':').slice(1)) exLine(part.replace(/\r|\\<CR>|<CR>/g, ''), st, depth + 1);
      }
      return;
    }
    if (/^(?:py|pyt|pyth|pytho|python|py3|python3|pyx|pythonx|pe|perl|rub|ruby|lua)$/.test(name)) {
      const lang = name.startsWith('pe') ? 'perl' : name.startsWith('rub') ? 'ruby' : 'python';
      if (name !== 'lua') st.code.push([args, lang]);
      else st.unknown = true;
      return;
    }
    const bar = args.search(/(?<!\\)\|/);
    const here = bar < 0 ? args : args.slice(0, bar);
    rest = bar < 0 ? '' : args.slice(bar + 1);
    args = here.trim();
    // Files other commands write: `:redir > F`/`:redir >> F`/`:redir! > F`, `:mksession F`,
    // `:mkvimrc F`, `:mkexrc F`, `:mkview F`, `:wviminfo F`, `:wshada F`.
    if (/^(?:redi|redir)$/.test(name)) {
      const f = /^>>?\s*(.+)$/.exec(args);
      if (f && !/^END$/i.test(args)) st.writes.push(f[1]!.trim().replace(/\\ /g, ' '));
      continue;
    }
    if (/^(?:mks|mksession|mkvie|mkview|mkv|mkvimrc|mkexrc|mkex|wv|wvi|wviminfo|wsh|wshada)$/.test(name)) {
      // Without a file: Session.vim, .vimrc or .exrc here; the viminfo/shada file or a view somewhere of vim's choosing.
      const none = /^mks/.test(name) ? 'Session.vim' : /^mkv(?:i|$)/.test(name) && name !== 'mkvie' && name !== 'mkview' ? '.vimrc' : /^mkex/.test(name) ? '.exrc' : U;
      st.writes.push(args === '' ? none : args.replace(/\\ /g, ' '));
      continue;
    }
    if (WRITE.test(name)) {
      if (args.startsWith('!')) st.shells.push(args.slice(1));
      else if (args.replace(/^>>\s*/, '') !== '') st.writes.push(args.replace(/^>>\s*/, '').replace(/\\ /g, ' '));
      else st.saves = true;
      // `:saveas F` and `:wq F` also name the buffer F afterwards; `:wa`/`:x` save the others.
      continue;
    }
    if (EDIT.test(name)) {
      if (args.startsWith('!')) st.shells.push(args.slice(1));
      else if (args !== '') st.buffers.push(args.replace(/^\+\S+\s+/, '').replace(/\\ /g, ' '));
      continue;
    }
    if (READ.test(name)) {
      if (args.startsWith('!')) st.shells.push(args.slice(1));
      else if (args !== '') st.reads.push(args);
      continue;
    }
    if (/^(?:exe|exec|execu|execut|execute)$/.test(name)) {
      // Text evaluated as commands: literal pieces are read as a command line, the rest is unknown.
      const lit = strings(args);
      if (lit.length > 0 && depth < 4) exLine(lit.join(''), st, depth + 1);
      if (/[a-zA-Z_]\w*\s*(?:\.|$)|\(/.test(args.replace(/'[^']*'|"[^"]*"/g, ''))) st.unknown = true;
      continue;
    }
    // Expressions (`call writefile(l, '.env')`, `let x = system('cmd')`): shell calls run, literals may be paths.
    for (const sys of args.matchAll(/\b(?:system|systemlist|jobstart|job_start|term_start)\s*\(\s*('(?:[^']|'')*'|"(?:[^"\\]|\\.)*")/g)) st.shells.push(strings(sys[1]!)[0]!);
    for (const lit of strings(args)) if (lit !== '' && !/\s/.test(lit)) st.writes.push(lit);
  }
}

function newState(): ExState {
  return { writes: [], reads: [], shells: [], saves: false, buffers: [], code: [], unknown: false };
}

function emitState(st: ExState, name: string, files: Arg[], x: CodeCtx, scripted: boolean): void {
  const via = `${name} script`;
  for (const w of st.writes) x.emit('write', { text: w, literal: w }, `${name} :w`);
  for (const r of st.reads) x.emit('read', { text: r, literal: r }, `${name} :r`);
  for (const sh of st.shells) x.shell(sh, `${name} :!`);
  for (const [code, lang] of st.code) analyze(code, lang, x, `${name} :${lang}`, { operands: [] });
  if (st.unknown) x.emit('write', { text: U, literal: via, opaque: true }, via, true);
  // Saving (or an interactive session, which may save) writes every file being edited.
  if (st.saves || !scripted) {
    for (const f of files) x.emit('write', f, name);
    for (const b of st.buffers) x.emit('write', { text: b, literal: b }, name);
  }
}

/** vim, vi, nvim, ex, view. */
export function vim(name: string, args: Arg[], x: CodeCtx): void {
  const st = newState();
  const files: Arg[] = [];
  let scripted = false;
  let exMode = name === 'ex';
  let ended = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const t = a.text;
    if (ended || (!t.startsWith('-') && !t.startsWith('+'))) {
      files.push(a);
      continue;
    }
    if (t === '--') {
      ended = true;
      continue;
    }
    if (t.startsWith('+')) {
      scripted = true;
      if (t.length > 1 && !/^\+\d+$/.test(t) && !t.startsWith('+/')) exLine(t.slice(1), st);
      continue;
    }
    if (t === '-c' || t === '--cmd') {
      scripted = true;
      const v = args[++i];
      if (v) exLine(v.text, st);
      continue;
    }
    // Logs vim writes: `--startuptime FILE`, `-VNFILE` (verbose messages to FILE).
    if (t === '--startuptime') {
      const v = args[++i];
      if (v) x.emit('write', v, name);
      continue;
    }
    const verbose = /^-V\d*(.+)$/.exec(t);
    if (verbose) {
      x.emit('write', { ...a, text: verbose[1]! }, name);
      continue;
    }
    // In Ex mode (`ex`, `vim -e`) -s means silent, not a script of keys.
    if (t === '-s' && exMode) continue;
    if (t === '-S' || t === '-u' || t === '-s' || t === '-W' || t === '-w' || t === '-T' || t === '-i' || t === '--listen' || t === '--servername' || t === '-U' || t === '-q' || t === '-t') {
      const v = args[++i];
      if (!v) continue;
      if (t === '-W' || t === '-w') x.emit('write', v, name); // every typed key is recorded there
      if (t === '-i') x.emit('write', v, name); // the viminfo/shada file
      if (t === '-S' || t === '-u' || t === '-s') {
        scripted = true;
        const read = v.text === 'NONE' || v.text === 'NORC' ? '' : readScript(x, v);
        const text = read === 'missing' ? '' : read;
        if (text === undefined) st.unknown = true;
        else if (t === '-s') {
          // Normal-mode keys: `:` commands in them are ex commands.
          for (const part of text.split(/\n|\r/)) if (part.includes(':')) exLine(part.slice(part.indexOf(':') + 1), st);
          if (/[ZZ]{2}/.test(text)) st.saves = true;
        } else for (const line of text.split('\n')) exLine(line, st);
      }
      continue;
    }
    if (/^-[a-zA-Z]*[es]/.test(t) && !t.startsWith('--')) exMode = true;
  }
  if (exMode && !scripted) {
    // Ex mode reads its commands from standard input.
    const s = stdinText(x);
    if (s.text !== undefined) {
      scripted = true;
      for (const line of s.text.split('\n')) exLine(line, st);
    } else if (s.unknown) st.unknown = true;
  }
  emitState(st, name, files, x, scripted || st.unknown);
  if (st.unknown) for (const f of files) x.emit('write', f, name, true);
}

/** ed and red: commands on stdin. */
export function edScript(name: string, args: Arg[], x: CodeCtx): void {
  const files = args.filter((a) => !a.text.startsWith('-') || a.text === '-');
  const p = args.findIndex((a) => a.text === '-p');
  if (p >= 0) files.splice(files.indexOf(args[p + 1]!), 1);
  const st = newState();
  const s = stdinText(x);
  if (s.text === undefined) {
    // Commands the guard cannot see (a file this call writes, a pipe) may write any file.
    if (s.unknown) st.unknown = true;
    emitState(st, name, files, x, false);
    return;
  }
  let input = false;
  for (const raw of s.text.split('\n')) {
    if (input) {
      if (raw === '.') input = false;
      continue;
    }
    edCommand(raw, st, () => {
      input = true;
    });
  }
  emitState(st, name, files, x, true);
}

function edCommand(raw: string, st: ExState, textMode: () => void, depth = 0): void {
  const line = raw.replace(/^(?:[\s.$0-9,;+-]|'[a-z]|\/(?:[^/\\]|\\.)*\/|\?(?:[^?\\]|\\.)*\?)*/, '');
  const c = line[0];
  if (!c) return;
  const arg = line.slice(1).replace(/^q/, '').trim();
  if (c === 'a' || c === 'i' || c === 'c') {
    if (line.length === 1 || /^[acil]\s*$/.test(line)) textMode();
    return;
  }
  if (c === '!') st.shells.push(line.slice(1));
  else if (c === 'w' || c === 'W') {
    if (arg.startsWith('!')) st.shells.push(arg.slice(1));
    else if (arg !== '') st.writes.push(arg);
    else st.saves = true;
  } else if (c === 'e' || c === 'E' || c === 'f') {
    if (arg.startsWith('!')) st.shells.push(arg.slice(1));
    else if (arg !== '') st.buffers.push(arg);
  } else if (c === 'r') {
    if (arg.startsWith('!')) st.shells.push(arg.slice(1));
    else if (arg !== '') st.reads.push(arg);
  } else if ((c === 'g' || c === 'v' || c === 'G' || c === 'V') && depth < 2) {
    const body = /^.(.)(?:(?!\1)[^\\]|\\.)*\1(.*)$/s.exec(line);
    if (body) edCommand(body[2]!, st, () => {}, depth + 1);
  }
}
