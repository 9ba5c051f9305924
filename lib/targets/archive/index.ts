// Archivers: tar (GNU and bsdtar, every spelling of its modes), unzip, 7z, cpio, ar; compressors are
// in compress.ts. Creating or updating writes the archive; extracting writes its members
// (extract.ts), read from the archive on disk when the call is checked. Options that run
// commands (`--to-command`, `--checkpoint-action=exec=`, `-I PROG`) are shell text.
import type { Arg } from '../shell/context.js';
import { U } from '../shell/context.js';
import { has, parseOpts, values, type OptSpec } from '../shell/options.js';
import type { CodeCtx } from '../interp/load.js';
import { compressor } from './compress.js';
import { extractArchive } from './extract.js';

const TAR: OptSpec = {
  arg: 'fCTXbKNgVHLFIs',
  long: ['file', 'directory', 'files-from', 'exclude-from', 'blocking-factor', 'starting-file', 'newer', 'newer-mtime',
    'listed-incremental', 'label', 'exclude', 'transform', 'xform', 'owner', 'group', 'mode', 'use-compress-program',
    'strip-components', 'to-command', 'info-script', 'new-volume-script', 'checkpoint-action', 'format', 'tape-length',
    'rsh-command', 'suffix', 'one-top-level', 'after-date', 'index-file', 'volno-file', 'mtime', 'atime-preserve',
    'record-size', 'occurrence', 'sparse-version', 'quoting-style', 'exclude-tag', 'exclude-tag-under', 'exclude-tag-all', 'options'],
  flags: ['extract', 'get', 'create', 'append', 'update', 'concatenate', 'catenate', 'list', 'diff', 'compare', 'delete',
    'absolute-names', 'to-stdout', 'remove-files', 'keep-old-files', 'overwrite', 'gzip', 'bzip2', 'xz', 'zstd', 'verbose',
    // `--backup[=CONTROL]`: a value only after `=` (`--backup -xf a.tar` is two options).
    'backup'],
};

/** Old-style keys (`tar xfC a.tar dir`): each key taking a value takes the next argument, in order. */
function oldStyle(args: Arg[]): Arg[] {
  const first = args[0];
  if (!first || !/^[A-Za-z]+$/.test(first.text)) return args;
  const out: Arg[] = [];
  let next = 1;
  for (const ch of first.text) {
    if ('fCTXbKNgVHLFI'.includes(ch) && next < args.length) out.push({ text: `-${ch}`, literal: first.literal }, args[next++]!);
    else out.push({ text: `-${ch}`, literal: first.literal });
  }
  return [...out, ...args.slice(next)];
}

/** Extraction is judged here; creating, appending, deleting: false, the shell table's tar handler judges it (-C, reads beneath, --remove-files). */
function tar(name: string, args: Arg[], x: CodeCtx): boolean | void {
  const p = parseOpts(oldStyle(args), TAR);
  const via = name === 'bsdtar' ? 'bsdtar' : 'tar';
  for (const cmd of values(p, 'to-command', 'info-script', 'F', 'new-volume-script', 'use-compress-program', 'I', 'rsh-command')) x.shell(cmd.text, via);
  for (const a of values(p, 'checkpoint-action')) if (a.text.startsWith('exec=')) x.shell(a.text.slice(5), via);
  for (const f of values(p, 'index-file', 'volno-file')) x.emit('write', f, via);
  const creates = has(p, 'c', 'r', 'u', 'A', 'create', 'append', 'update', 'concatenate', 'catenate', 'delete');
  if (creates) return false;
  const files = values(p, 'f', 'file');
  for (const v of files) if (v.text !== '-') x.emit('read', v, via);
  if (!has(p, 'x', 'extract', 'get')) return;
  if (has(p, 'O', 'to-stdout') || values(p, 'to-command').length > 0) return;
  const strip = values(p, 'strip-components').pop();
  const top = p.opts.filter((o) => o.name === 'one-top-level').pop();
  const archive = files.pop();
  let oneTop: string | undefined;
  if (top) oneTop = top.value?.text ?? (archive ? archive.text.replace(/^.*\//, '').replace(/\.(?:tar(?:\.\w+)?|t\w\w|tgz|tbz2?|txz)$/, '') : U);
  const dirs = values(p, 'C', 'directory');
  // `--backup` keeps a replaced file under its name plus `--suffix` (or SIMPLE_BACKUP_SUFFIX, or `~`).
  const backup = p.opts.some((o) => o.name === 'backup');
  const backupSuffix = backup ? values(p, 'suffix').pop()?.text ?? x.getenv('SIMPLE_BACKUP_SUFFIX') ?? '~' : undefined;
  const spec = {
    archive, via: `${via} -x`, like: args[0]!, ...(backupSuffix ? { backupSuffix } : {}),
    absolute: has(p, 'P', 'absolute-names'),
    renamed: values(p, 'transform', 'xform', ...(name === 'bsdtar' ? ['s'] : [])).length > 0,
    keepDotDot: has(p, 'P', 'absolute-names'),
    ...(strip ? { strip: Math.max(0, parseInt(strip.text, 10) || 0) } : {}),
    ...(oneTop !== undefined ? { oneTop } : {}),
  };
  // -C applies from where it stands: each directory given may receive members.
  if (dirs.length === 0) extractArchive(x, spec);
  for (const d of dirs) extractArchive(x, { ...spec, dest: d });
}

/** unzip [-opts] ZIP [members] [-x members] [-d DIR]; options may follow the archive. */
function unzip(args: Arg[], x: CodeCtx): void {
  let dest: Arg | undefined;
  let junk = false;
  let listOnly = false;
  let dotdot = false;
  const ops: Arg[] = [];
  let excluding = false;
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!.text;
    if (t.startsWith('-') && t.length > 1) {
      excluding = false;
      for (let k = 1; k < t.length; k++) {
        const ch = t[k]!;
        if (ch === 'd' || ch === 'P') {
          const v = k + 1 < t.length ? { text: t.slice(k + 1), literal: args[i]!.literal } : args[++i];
          if (ch === 'd' && v) dest = v;
          break;
        }
        if (ch === 'x') excluding = true;
        if (ch === 'j') junk = true;
        if (ch === ':') dotdot = true;
        if ('lvtzZpc'.includes(ch)) listOnly = true;
      }
      continue;
    }
    if (!excluding) ops.push(args[i]!);
  }
  const zip = ops[0];
  if (listOnly || !zip) return;
  x.emit('read', zip, 'unzip');
  const archive = /\.zip$/i.test(zip.text) || zip.text.includes('*') ? zip : { text: zip.text, literal: zip.literal };
  extractArchive(x, { archive, via: 'unzip', like: zip, junk, keepDotDot: dotdot, ...(dest ? { dest } : {}) });
}

/** 7z x|e ARCHIVE [-oDIR]: extraction; a, u, d, rn: the archive is written. */
function sevenZip(name: string, args: Arg[], x: CodeCtx): void {
  const mode = args[0]?.text;
  const rest = args.slice(1);
  const sw = rest.filter((a) => a.text.startsWith('-'));
  const ops = rest.filter((a) => !a.text.startsWith('-'));
  if (mode === 'a' || mode === 'u' || mode === 'd' || mode === 'rn') {
    if (ops[0]) x.emit('write', ops[0], name);
    return;
  }
  if (mode !== 'x' && mode !== 'e') return;
  if (sw.some((a) => a.text === '-so')) return;
  const out = sw.find((a) => a.text.startsWith('-o'));
  const si = sw.some((a) => a.text.startsWith('-si'));
  const archive = si ? undefined : ops[0];
  if (archive) x.emit('read', archive, name);
  extractArchive(x, {
    archive, via: name, like: args[0]!, junk: mode === 'e', keepDotDot: true,
    ...(out ? { dest: { text: out.text.slice(2), literal: out.literal } } : {}),
  });
}

const CPIO: OptSpec = {
  arg: 'DEFHIMORsCc', long: ['directory', 'pattern-file', 'file', 'format', 'message', 'owner', 'rsh-command', 'block-size'],
  flags: ['extract', 'create', 'pass-through', 'list', 'no-absolute-filenames', 'to-stdout', 'link', 'make-directories', 'rename'],
};

/** cpio -i (the archive on stdin or -F/-I), cpio -o (the archive written), cpio -p DIR. */
function cpio(args: Arg[], x: CodeCtx): void {
  const p = parseOpts(args, CPIO);
  const dir = values(p, 'D', 'directory').pop();
  const file = values(p, 'F', 'file', 'I', 'O').pop();
  if (has(p, 'o', 'create')) {
    if (file) x.emit('write', file, 'cpio -o');
    return;
  }
  if (has(p, 'i', 'extract')) {
    if (has(p, 't', 'list', 'to-stdout')) return;
    if (file) x.emit('read', file, 'cpio');
    extractArchive(x, {
      archive: file, via: 'cpio -i', like: args[0]!, keepDotDot: true,
      absolute: !has(p, 'no-absolute-filenames'), renamed: has(p, 'r', 'rename'), ...(dir ? { dest: dir } : {}),
    });
    return;
  }
  if (has(p, 'p', 'pass-through')) {
    const d = p.operands[0] ?? dir ?? { text: '.', literal: args[0]!.literal };
    const inside = { text: `${d.text.replace(/\/+$/, '')}/${U}`, literal: d.literal };
    x.emit('write', inside, 'cpio -p');
    x.c.made('unknown', inside);
    if (has(p, 'l', 'link')) x.emit('write', { text: U, literal: args[0]!.literal }, 'cpio --link', false, true);
  }
}

/**
 * ar KEY[MODIFIERS] [--output DIR] [RELPOS] [COUNT] ARCHIVE [MEMBER...]: `x` writes the members
 * named (by their last part), else every member of the archive as read from disk, into the working
 * directory or `--output DIR`. Any other key is the data entry's (the archive written or read).
 */
function ar(args: Arg[], x: CodeCtx): boolean | void {
  let key: string | undefined;
  let dest: Arg | undefined;
  const ops: Arg[] = [];
  for (let i = 0; i < args.length; i++) {
    const t = args[i]!.text;
    if (t.startsWith('--output')) {
      dest = t.includes('=') ? { ...args[i]!, text: t.slice(t.indexOf('=') + 1) } : args[++i];
      continue;
    }
    if (t === '--plugin' || t === '--target') {
      i++;
      continue;
    }
    if (key === undefined && /^-?[a-zA-Z]+$/.test(t)) key = t.replace(/^-/, '');
    else if (!t.startsWith('--')) ops.push(args[i]!);
  }
  if (key === undefined || !key.includes('x')) return false;
  // Modifiers that take an operand before the archive: a/b/i a member to place by, N a count.
  const skip = (/[abi]/.test(key) ? 1 : 0) + (key.includes('N') ? 1 : 0);
  const archive = ops[skip];
  const members = ops.slice(skip + 1);
  if (archive) x.emit('read', archive, 'ar');
  const via = 'ar x';
  const at = dest ?? { text: '.', literal: args[0]?.literal ?? 'ar' };
  if (members.length === 0) extractArchive(x, { archive, dest: at, via, like: args[0]!, format: 'ar', keepDotDot: true });
  for (const m of members) x.emit('write', { text: `${at.text.replace(/\/+$/, '')}/${m.text.slice(m.text.lastIndexOf('/') + 1)}`, literal: m.literal }, via);
}

export function codeCommand(name: string, args: Arg[], x: CodeCtx): boolean | void {
  if (name === 'tar' || name === 'gtar' || name === 'bsdtar') return tar(name, args, x);
  if (name === 'ar') return ar(args, x);
  if (name === 'unzip') return unzip(args, x);
  if (/^7z/.test(name)) return sevenZip(name, args, x);
  if (name === 'cpio') return cpio(args, x);
  return compressor(name, args, x);
}
