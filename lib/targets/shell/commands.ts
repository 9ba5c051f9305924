// The commands whose operands are files the call writes, deletes, moves or (opt-in) reads,
// by basename. Each knows its options, so option values (`-m MODE`, `-s SIZE`) are not taken
// for files and operands are found past `--`, combined flags and `--long=value` forms.
import { GREP, RG } from './listings.js';
import type { Op } from '../../types.js';
import { trimSlashes, under, U } from './context.js';
import { has, parseOpts, values, type OptSpec } from './options.js';
import { backupNames, coreutilsBackups } from './backups.js';
import { FETCH_COMMANDS } from './fetchers.js';
import { DOWNLOAD_COMMANDS } from './downloads.js';
import { LINK_COMMANDS } from './links.js';
import type { Arg, CmdCtx, Handler } from './types.js';

const all = (op: Op, via: string, spec: OptSpec = {}): Handler => (args, c) => {
  for (const a of parseOpts(args, spec).operands) if (a.text !== '-' || op !== 'read') c.emit(op, a, via);
};

/** A command whose effect is unknown: every operand may be written (with none, an unknown file). */
export function unknownOperands(rest: Arg[], none: Arg, emit: (a: Arg) => void): void {
  const operands = rest.filter((a) => !a.text.startsWith('-'));
  if (operands.length === 0) emit(none);
  for (const a of operands) emit(a);
}

function dirLike(dest: Arg, sources: number, c: CmdCtx): boolean {
  return sources > 1 || dest.text.endsWith('/') || c.isDir(dest);
}

const COPY: OptSpec = {
  arg: 'tS', long: ['target-directory', 'suffix'],
  flags: ['no-target-directory', 'parents', 'preserve', 'reflink', 'sparse', 'link', 'symbolic-link', 'recursive', 'archive',
    'no-dereference', 'dereference', 'remove-destination', 'backup'],
};
const INSTALL: OptSpec = {
  arg: 'tSgmo', long: ['target-directory', 'suffix', 'group', 'mode', 'owner', 'strip-program'],
  flags: ['no-target-directory', 'directory', 'compare', 'context', 'preserve-timestamps', 'strip', 'verbose', 'backup'],
};

/** cp, install: the destination (or each `dir/source`) is written; sources are read. */
const copy = (spec: OptSpec, via: string): Handler => (args, c) => {
  const p = parseOpts(args, spec);
  if (via === 'install' && has(p, 'd', 'directory')) {
    for (const a of p.operands) {
      c.emit('write', a, via);
      c.made('dir', a);
    }
    return;
  }
  const tdir = values(p, 't', 'target-directory').pop();
  const noDir = has(p, 'T', 'no-target-directory');
  const parents = has(p, 'parents');
  const into = (dir: Arg, src: Arg): Arg =>
    parents ? { text: `${trimSlashes(dir.text)}/${src.text}`, literal: dir.literal } : under(dir, src);
  const sources = tdir ? p.operands : p.operands.slice(0, -1);
  const dest = tdir ?? p.operands[p.operands.length - 1];
  const cp = via === 'cp';
  const recursive = cp && has(p, 'r', 'R', 'a', 'recursive', 'archive');
  // `cp -l`: every source (and, recursively, every file beneath it) gets a second name.
  const hard = cp && has(p, 'l', 'link');
  const sym = cp && has(p, 's', 'symbolic-link');
  const keepsLinks = cp && (has(p, 'P', 'd', 'a', 'no-dereference', 'archive') || (recursive && !has(p, 'L', 'H', 'dereference')));
  if (dest && sources.length > 0) {
    const many = tdir !== undefined || (!noDir && dirLike(dest, sources.length, c));
    // A recursive copy of a folder (or of something whose type is unknown here) writes whatever
    // the folder holds beneath where it lands: `cp -r evil/. ~/.config/` overwrites the guard's
    // config. Where the destination is a folder only through an earlier command of the call, it
    // may not be one when cp runs (then the contents land at DEST itself): both are checked.
    const fills = recursive && !sym;
    const unsure = fills && many && tdir === undefined && sources.length === 1 && !dest.text.endsWith('/') && !c.isDir(dest, true, true);
    for (const s of sources) {
      const d = many ? into(dest, s) : dest;
      c.emit('write', d, via, fills);
      coreutilsBackups(p, unsure ? [d, dest] : [d], c, via, fills);
      if (unsure) c.emit('write', dest, via, true);
      if (sym) c.made('link', d, s.text);
      else if (hard || recursive || keepsLinks) c.made('mirror', d, s);
    }
  }
  for (const s of sources) {
    if (hard) c.emit('write', s, 'cp --link', recursive);
    // A recursive copy reads everything beneath its source (`cp -r . /tmp/snap` copies .env): a
    // read, which the opt-in secrets-read preset judges; the source itself is not changed.
    else c.emit('read', s, via, recursive);
  }
};

const RSYNC: OptSpec = {
  arg: 'efBMT@',
  long: ['rsh', 'rsync-path', 'filter', 'exclude', 'include', 'exclude-from', 'include-from', 'files-from', 'backup-dir',
    'suffix', 'temp-dir', 'partial-dir', 'compare-dest', 'copy-dest', 'link-dest', 'log-file', 'log-file-format',
    'password-file', 'chmod', 'chown', 'usermap', 'groupmap', 'block-size', 'max-size', 'min-size', 'max-delete',
    'timeout', 'contimeout', 'port', 'sockopts', 'bwlimit', 'out-format', 'modify-window', 'compress-level',
    'skip-compress', 'iconv', 'checksum-choice', 'compress-choice', 'info', 'debug', 'remote-option', 'outbuf',
    'protocol', 'write-batch', 'only-write-batch', 'read-batch', 'address', 'stop-after', 'stop-at', 'max-alloc'],
  flags: ['remove-source-files', 'delete'],
};
const remote = (a: Arg): boolean => /^[^/]*:/.test(a.text) && !a.text.startsWith(U);

/** rsync: local destination written (or `dest/source` for a source without a trailing slash). */
const rsync: Handler = (args, c) => {
  const p = parseOpts(args, RSYNC);
  for (const v of values(p, 'log-file', 'write-batch', 'only-write-batch', 'backup-dir')) c.emit('write', v, 'rsync');
  for (const v of values(p, 'files-from', 'exclude-from', 'include-from', 'password-file', 'read-batch')) c.emit('read', v, 'rsync');
  if (p.operands.length < 2) return;
  const dest = p.operands[p.operands.length - 1]!;
  const sources = p.operands.slice(0, -1).filter((s) => !remote(s));
  if (!remote(dest)) {
    for (const s of p.operands.slice(0, -1)) {
      const contents = s.text.endsWith('/');
      const d = !contents && dirLike(dest, sources.length, c) ? under(dest, s) : dest;
      // Everything the source holds lands beneath d (rsync copies folders with -r/-a, and a
      // source's type is not known here): checked as a folder write.
      c.emit('write', d, 'rsync', true);
      if (remote(s)) c.made('unknown', d);
      else c.made('mirror', d, s);
    }
    // Unchanged files are hard-linked to those of each --link-dest (relative: to the destination).
    for (const v of values(p, 'link-dest')) {
      const abs = v.text.startsWith('/') || v.text.startsWith(U);
      c.emit('write', abs ? v : { text: `${trimSlashes(dest.text)}/${v.text}`, literal: v.literal }, 'rsync --link-dest', true);
    }
  }
  for (const s of sources) c.emit(has(p, 'remove-source-files') ? 'delete' : 'read', s, 'rsync');
};

const MOVE: OptSpec = { arg: 'tS', long: ['target-directory', 'suffix'], flags: ['no-target-directory', 'backup'] };

const mv: Handler = (args, c) => {
  const p = parseOpts(args, MOVE);
  const tdir = values(p, 't', 'target-directory').pop();
  const sources = tdir ? p.operands : p.operands.slice(0, -1);
  const dest = tdir ?? p.operands[p.operands.length - 1];
  if (!dest || sources.length === 0) return;
  const into = tdir !== undefined || (!has(p, 'T', 'no-target-directory') && dirLike(dest, sources.length, c));
  for (const s of sources) {
    const d = into ? under(dest, s) : dest;
    c.emit('move-from', s, 'mv');
    // A moved folder brings whatever it holds beneath d (and may create a protected path's parent).
    c.emit('move-to', d, 'mv', true);
    coreutilsBackups(p, [d], c, 'mv');
    if (into && tdir === undefined && sources.length === 1 && !dest.text.endsWith('/') && !c.isDir(dest, true, true)) c.emit('move-to', dest, 'mv', true);
    c.made('mirror', d, s);
  }
};

const dd: Handler = (args, c) => {
  for (const a of args) {
    if (a.text.startsWith('of=')) c.emit('write', { text: a.text.slice(3), literal: a.literal }, 'dd');
    else if (a.text.startsWith('if=')) c.emit('read', { text: a.text.slice(3), literal: a.literal }, 'dd');
  }
};

const rmdir: Handler = (args, c) => {
  const p = parseOpts(args, { flags: ['parents', 'ignore-fail-on-non-empty', 'verbose'] });
  for (const a of p.operands) {
    c.emit('delete', a, 'rmdir');
    if (!has(p, 'p', 'parents')) continue;
    // `rmdir -p a/b/c` also removes a/b and a.
    const parts = trimSlashes(a.text).split('/');
    for (let k = parts.length - 1; k > 0; k--) {
      const parent = parts.slice(0, k).join('/');
      if (parent !== '') c.emit('delete', { text: parent, literal: a.literal }, 'rmdir');
    }
  }
};

/** mkdir [-p]: the directories (and with -p their parents) exist for the commands after it. */
const mkdir: Handler = (args, c) => {
  const p = parseOpts(args, { arg: 'm', long: ['mode', 'context'], flags: ['parents', 'verbose'] });
  for (const a of p.operands) {
    c.emit('write', a, 'mkdir');
    const parts = trimSlashes(a.text).split('/');
    const from = has(p, 'p', 'parents') ? 1 : parts.length;
    for (let k = from; k <= parts.length; k++) {
      const d = parts.slice(0, k).join('/');
      if (d !== '') c.made('dir', { text: d, literal: a.literal });
    }
  }
};

/** Writes (or deletes) the operands; option values named in `refs` are files read (`--reference=F`). */
const writes = (via: string, spec: OptSpec, refs: string[] = [], op: Op = 'write'): Handler => (args, c) => {
  const p = parseOpts(args, spec);
  for (const v of values(p, ...refs)) c.emit('read', v, via);
  for (const a of p.operands) c.emit(op, a, via);
};

/** source FILE ARGS...: the file is read (what it runs is not seen). */
const source = (via: string): Handler => (args, c) => {
  const first = parseOpts(args, { posix: true }).operands[0];
  if (first) c.emit('read', first, via);
};

/** chmod: the mode operand (which may look like an option: `-w`) is skipped. */
const chmod: Handler = (args, c) => {
  let mode = false;
  let ends = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const t = a.text;
    if (!ends && t === '--') ends = true;
    else if (!ends && t.startsWith('--reference=')) {
      mode = true;
      c.emit('read', { text: t.slice(12), literal: a.literal }, 'chmod');
    } else if (!ends && t === '--reference' && i + 1 < args.length) {
      mode = true;
      c.emit('read', args[++i]!, 'chmod');
    } else if (!ends && (t.startsWith('--') || /^-[cfvR]+$/.test(t))) continue;
    else if (!mode) mode = true;
    else c.emit('write', a, 'chmod');
  }
};

/** chown, chgrp: the owner operand is skipped unless `--reference` gives it. */
const chown = (via: string): Handler => (args, c) => {
  const p = parseOpts(args, { long: ['from', 'reference'], flags: ['recursive', 'dereference', 'no-dereference'] });
  const refs = values(p, 'reference');
  for (const r of refs) c.emit('read', r, via);
  for (const a of refs.length > 0 ? p.operands : p.operands.slice(1)) c.emit('write', a, via);
};

/** sed: with -i/--in-place the files after the script are written, else read. */
const sed: Handler = (args, c) => {
  let list = args;
  if (c.platform === 'darwin') {
    // BSD sed: `-i SUFFIX` takes the next argument (often '') as the backup suffix.
    const k = list.findIndex((a) => a.text === '-i');
    if (k >= 0 && k + 1 < list.length) list = [...list.slice(0, k + 1), ...list.slice(k + 2)];
  }
  const p = parseOpts(list, {
    arg: 'efl', optArg: 'i', long: ['expression', 'file', 'line-length'],
    flags: ['in-place', 'quiet', 'silent', 'regexp-extended', 'separate', 'null-data', 'zero-terminated', 'posix', 'debug', 'sandbox'],
  });
  for (const f of values(p, 'f', 'file')) c.emit('read', f, 'sed');
  const inPlace = has(p, 'i', 'in-place');
  const files = has(p, 'e', 'f', 'expression', 'file') ? p.operands : p.operands.slice(1);
  for (const a of files) c.emit(inPlace ? 'write' : 'read', a, inPlace ? 'sed -i' : 'sed');
  // `-iSUFFIX`, `--in-place=SUFFIX`: the old file is kept under that name (backups.ts).
  for (const suffix of values(p, 'i', 'in-place')) for (const a of files) for (const b of backupNames(a, suffix.text, 'star')) c.emit('write', b, 'sed -i backup');
};

/** perl -i: files after the program (or after the script file when there is no -e). */
const perl: Handler = (args, c) => {
  let inPlace = false;
  let suffix = '';
  let code = false;
  let i = 0;
  scan: for (; i < args.length; i++) {
    const t = args[i]!.text;
    if (t === '--') {
      i++;
      break;
    }
    if (!t.startsWith('-') || t === '-') break;
    for (let k = 1; k < t.length; k++) {
      const ch = t[k]!;
      if (ch === 'e' || ch === 'E') {
        code = true;
        if (k + 1 === t.length) i++; // the program is the next argument
        continue scan;
      }
      if (ch === 'i') {
        inPlace = true;
        suffix = t.slice(k + 1);
      }
      if ('iIMmDFCxd'.includes(ch)) {
        if (ch === 'I' && k + 1 === t.length) i++;
        continue scan; // the rest of the cluster is this option's value
      }
      if (ch === 'l' || ch === '0') while (k + 1 < t.length && /[0-7xA-Fa-f]/.test(t[k + 1]!)) k++;
    }
  }
  if (!inPlace) return;
  for (const a of args.slice(i + (code ? 0 : 1))) {
    c.emit('write', a, 'perl -i');
    // `-iEXT`: the old file is kept under that name (backups.ts).
    for (const b of backupNames(a, suffix, 'star')) c.emit('write', b, 'perl -i backup');
  }
};

/** grep family: the first operand is the pattern unless -e/-f gives it. */
const grep = (via: string, spec: OptSpec): Handler => (args, c) => {
  const p = parseOpts(args, spec);
  for (const f of values(p, 'f', 'file')) c.emit('read', f, via);
  for (const a of has(p, 'e', 'f', 'regexp', 'file') ? p.operands : p.operands.slice(1)) c.emit('read', a, via);
};
const HEAD: OptSpec = { arg: 'nc', long: ['lines', 'bytes', 'pid', 'sleep-interval', 'max-unchanged-stats'] };

export const FILE_COMMANDS: ReadonlyMap<string, Handler> = new Map<string, Handler>([
  ['tee', all('write', 'tee')],
  ['cp', copy(COPY, 'cp')],
  ['install', copy(INSTALL, 'install')],
  ['rsync', rsync],
  ['dd', dd],
  ['mv', mv],
  ...LINK_COMMANDS,
  ['rm', all('delete', 'rm')],
  ['rmdir', rmdir],
  ['unlink', all('delete', 'unlink')],
  ['shred', writes('shred', { arg: 'ns', long: ['iterations', 'size', 'random-source'] }, ['random-source'], 'delete')],
  ['truncate', writes('truncate', { arg: 'sr', long: ['size', 'reference'] }, ['r', 'reference'])],
  ['touch', writes('touch', { arg: 'dtr', long: ['date', 'reference', 'time'] }, ['r', 'reference'])],
  ['mkdir', mkdir],
  ['chmod', chmod],
  ['chown', chown('chown')],
  ['chgrp', chown('chgrp')],
  ['sed', sed],
  ['perl', perl],
  ['sudoedit', writes('sudoedit', { arg: 'ugCDhpTrt', long: ['user', 'group'] })],
  ['cat', all('read', 'cat')],
  ['tac', all('read', 'tac', { arg: 's', long: ['separator'] })],
  ['less', all('read', 'less', { arg: 'bhjkoOpPtTxyz' })],
  ['more', all('read', 'more', { arg: 'n' })],
  ['head', all('read', 'head', HEAD)],
  ['tail', all('read', 'tail', HEAD)],
  ['grep', grep('grep', GREP)],
  ['egrep', grep('egrep', GREP)],
  ['fgrep', grep('fgrep', GREP)],
  ['rg', grep('rg', RG)],
  ['source', source('source')],
  ['.', source('.')],
  ...FETCH_COMMANDS,
  ...DOWNLOAD_COMMANDS,
]);
