// Compressors and decompressors of single files: `gzip F` writes F.gz and deletes F, `gunzip
// F.gz` writes F and deletes F.gz (`-N` takes the name stored in the header), `-k` keeps the
// source, `-c`/`-t`/`-l` write nothing, `-r` reaches every file beneath a folder. zstd and lz4
// keep their source unless told otherwise; `-o FILE` (zstd) or a second operand (lz4) names the output.
import type { Arg } from '../shell/context.js';
import { U, joinPath } from '../shell/context.js';
import type { CodeCtx } from '../interp/load.js';
import { gzipName } from './read.js';

interface Tool {
  /** Suffixes a decompressor strips, and what a few become (`.tgz` -> `.tar`). */
  suffixes: [string, string][];
  /** Suffix a compressor adds. */
  add: string;
  /** The source is kept unless --rm (zstd, lz4). */
  keeps: boolean;
  /** Short options with a value. */
  arg: string;
}

const GZ: Tool = { suffixes: [['.gz', ''], ['-gz', ''], ['.z', ''], ['-z', ''], ['_z', ''], ['.Z', ''], ['.tgz', '.tar'], ['.taz', '.tar']], add: '.gz', keeps: false, arg: 'S' };
const BZ: Tool = { suffixes: [['.bz2', ''], ['.bz', ''], ['.tbz2', '.tar'], ['.tbz', '.tar']], add: '.bz2', keeps: false, arg: '' };
const XZ: Tool = { suffixes: [['.xz', ''], ['.lzma', ''], ['.txz', '.tar'], ['.tlz', '.tar']], add: '.xz', keeps: false, arg: 'SFCTM' };
const ZST: Tool = { suffixes: [['.zst', ''], ['.tzst', '.tar']], add: '.zst', keeps: true, arg: 'oDTM' };
const LZ4: Tool = { suffixes: [['.lz4', '']], add: '.lz4', keeps: true, arg: 'B' };

const TOOLS: Record<string, [Tool, 'c' | 'd' | 'cat']> = {
  gzip: [GZ, 'c'], gunzip: [GZ, 'd'], zcat: [GZ, 'cat'],
  bzip2: [BZ, 'c'], bunzip2: [BZ, 'd'], bzcat: [BZ, 'cat'],
  xz: [XZ, 'c'], unxz: [XZ, 'd'], xzcat: [XZ, 'cat'], lzma: [XZ, 'c'], unlzma: [XZ, 'd'],
  zstd: [ZST, 'c'], unzstd: [ZST, 'd'], zstdcat: [ZST, 'cat'],
  lz4: [LZ4, 'c'], unlz4: [LZ4, 'd'], lz4cat: [LZ4, 'cat'],
};

export function compressor(name: string, args: Arg[], x: CodeCtx): void {
  const entry = TOOLS[name];
  if (!entry) return;
  const [tool, base] = entry;
  let mode: 'c' | 'd' | 'cat' = base;
  let keep = tool.keeps;
  let stdout = base === 'cat';
  let useName = false;
  let recursive = false;
  let suffix: string | undefined;
  let out: Arg | undefined;
  const files: Arg[] = [];
  let ended = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const t = a.text;
    if (ended || !t.startsWith('-') || t === '-') {
      files.push(a);
      continue;
    }
    if (t === '--') {
      ended = true;
      continue;
    }
    if (t.startsWith('--')) {
      const [o, v] = t.includes('=') ? [t.slice(0, t.indexOf('=')), t.slice(t.indexOf('=') + 1)] : [t, undefined];
      if (o === '--decompress' || o === '--uncompress') mode = 'd';
      else if (o === '--stdout' || o === '--to-stdout' || o === '--test' || o === '--list') stdout = true;
      else if (o === '--keep') keep = true;
      else if (o === '--rm') keep = false;
      else if (o === '--name') useName = true;
      else if (o === '--recursive') recursive = true;
      else if (o === '--suffix') suffix = v ?? args[++i]?.text;
      else if (o === '--output' || o === '--output-dir-flat' || o === '--output-dir-mirror') {
        const val = v !== undefined ? { text: v, literal: a.literal } : args[++i];
        if (val) out = o === '--output' ? val : { text: `${val.text}/${U}`, literal: val.literal };
      }
      continue;
    }
    for (let k = 1; k < t.length; k++) {
      const ch = t[k]!;
      if (tool.arg.includes(ch)) {
        const v = k + 1 < t.length ? { text: t.slice(k + 1), literal: a.literal } : args[++i];
        if (ch === 'S' && v) suffix = v.text;
        if (ch === 'o' && v) out = v;
        break;
      }
      if (ch === 'd') mode = 'd';
      else if (ch === 'z') mode = 'c';
      else if (ch === 'c' || ch === 't' || ch === 'l') stdout = true;
      else if (ch === 'k') keep = true;
      else if (ch === 'N') useName = true;
      else if (ch === 'n') useName = false;
      else if (ch === 'r') recursive = true;
    }
  }
  if (mode === 'cat') return;
  // lz4 IN OUT: the second operand is the output.
  if (name.includes('lz4') && !out && files.length === 2 && !files[1]!.text.startsWith('-')) out = files.pop();
  for (const f of files) {
    if (f.text === '-') continue;
    x.emit(stdout || keep ? 'read' : 'delete', f, name, false, recursive);
    if (stdout) continue;
    if (recursive) {
      // Every file beneath the folder is replaced by its (de)compressed form.
      x.emit('write', f, name, false, true);
      continue;
    }
    if (out) {
      x.emit('write', out, name);
      continue;
    }
    if (mode === 'c') {
      x.emit('write', { text: f.text + (suffix ?? tool.add), literal: f.literal }, name);
      continue;
    }
    const stored = useName ? gzipName(joinPath(x.cwd, f.text)) : undefined;
    if (stored !== undefined) {
      // gzip keeps only the last part of the stored name, in the file's folder.
      const dir = f.text.includes('/') ? f.text.slice(0, f.text.lastIndexOf('/') + 1) : '';
      x.emit('write', { text: dir + (stored.slice(stored.lastIndexOf('/') + 1) || 'unnamed'), literal: f.literal }, name);
    }
    const sfx = suffix !== undefined ? [[suffix, ''] as [string, string]] : tool.suffixes;
    const hit = sfx.find(([s]) => f.text.endsWith(s) && f.text.length > s.length);
    x.emit('write', { text: hit ? f.text.slice(0, -hit[0].length) + hit[1] : `${f.text}.out`, literal: f.literal }, name);
  }
}
