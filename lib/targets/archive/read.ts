// Member names of an archive on disk, read synchronously and within bounds: tar (ustar, GNU long
// names, pax `path`/`linkpath`), zip (central directory, Zip64, symbolic links stored as Unix
// modes), cpio (newc, crc, odc), and tar or cpio inside gzip. The format is sniffed from the bytes,
// as tar, bsdtar and 7z do, never taken from the name. Only headers are read for a plain tar, zip
// or cpio: the data is skipped by offset. Anything else (bzip2, xz, zstd, 7z, rar, a damaged file)
// is unreadable and the caller treats the destination as unknown.
import { withRegularFile } from '../../regular-file.js';
import * as fs from 'node:fs';
import * as zlib from 'node:zlib';
import { readAr } from './read-ar.js';

export interface Member {
  name: string;
  type: 'file' | 'dir' | 'symlink' | 'hardlink' | 'other';
  /** Target of a symbolic or hard link. */
  link?: string;
}

export interface Listing {
  members: Member[];
  /** False when the entry bound stopped the listing early. */
  complete: boolean;
  format: 'tar' | 'zip' | 'cpio' | 'ar';
}

export interface ReadLimits {
  /** Most entries listed (default 10,000). */
  maxEntries: number;
  /** Largest compressed file inflated in memory, and most bytes it may inflate to. */
  maxInflate: number;
  maxInflated: number;
}

export const DEFAULT_LIMITS: ReadLimits = { maxEntries: 10_000, maxInflate: 32 * 1024 * 1024, maxInflated: 64 * 1024 * 1024 };

export interface Source {
  size: number;
  read(pos: number, len: number): Buffer;
}

function bufferSource(b: Buffer): Source {
  return { size: b.length, read: (pos, len) => b.subarray(pos, Math.min(b.length, pos + len)) };
}

function fdSource(fd: number, size: number): Source {
  return {
    size,
    read(pos, len) {
      const n = Math.max(0, Math.min(len, size - pos));
      const buf = Buffer.alloc(n);
      let got = 0;
      while (got < n) {
        const r = fs.readSync(fd, buf, got, n - got, pos + got);
        if (r === 0) break;
        got += r;
      }
      return buf.subarray(0, got);
    },
  };
}


/** The members of the archive at `abs`, or undefined when it cannot be read (absent, not a file, unknown format). */
export function readArchive(abs: string, limits: ReadLimits = DEFAULT_LIMITS, check: () => void = () => {}): Listing | undefined {
  return withRegularFile(abs, (fd, size) => readSource(fdSource(fd, size), limits, check, 0));
}

function readSource(src: Source, limits: ReadLimits, check: () => void, depth: number): Listing | undefined {
  const head = src.read(0, 512);
  if (head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b) {
    if (depth > 0 || src.size > limits.maxInflate) return undefined;
    const inflated = zlib.gunzipSync(src.read(0, src.size), { maxOutputLength: limits.maxInflated });
    return readSource(bufferSource(inflated), limits, check, depth + 1);
  }
  if (head.length >= 4 && head.readUInt32LE(0) === 0x04034b50) return readZip(src, limits, check);
  if (head.length >= 6 && /^0707(?:01|02|07)$/.test(head.subarray(0, 6).toString('latin1'))) return readCpio(src, limits, check);
  if (head.length === 512 && tarChecksumOk(head)) return readTar(src, limits, check);
  if (/^!<(?:arch|thin)>\n/.test(head.subarray(0, 8).toString('latin1'))) return readAr(src, limits, check);
  // An empty zip (only the end record) or one with data before it (self-extracting).
  if (src.size >= 22 && findEocd(src) !== undefined) return readZip(src, limits, check);
  return undefined;
}

function octal(b: Buffer, off: number, len: number): number {
  // GNU base-256 for large values: first byte has the high bit set.
  if (b[off]! & 0x80) {
    let v = 0;
    for (let k = off + 1; k < off + len; k++) v = v * 256 + b[k]!;
    return v;
  }
  const s = b.subarray(off, off + len).toString('latin1').replace(/\0.*$/s, '').trim();
  return s === '' ? 0 : parseInt(s, 8);
}

function cstr(b: Buffer, off: number, len: number): string {
  const part = b.subarray(off, off + len);
  const z = part.indexOf(0);
  return (z < 0 ? part : part.subarray(0, z)).toString('utf8');
}

function tarChecksumOk(h: Buffer): boolean {
  const want = octal(h, 148, 8);
  let sum = 0;
  for (let k = 0; k < 512; k++) sum += k >= 148 && k < 156 ? 32 : h[k]!;
  return sum === want && sum !== 8 * 32;
}

function paxRecords(data: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(' ', i);
    if (sp < 0) break;
    const len = parseInt(data.slice(i, sp), 10);
    if (!(len > 0)) break;
    const rec = data.slice(sp + 1, i + len - 1);
    const eq = rec.indexOf('=');
    if (eq > 0) out.set(rec.slice(0, eq), rec.slice(eq + 1));
    i += len;
  }
  return out;
}

function readTar(src: Source, limits: ReadLimits, check: () => void): Listing | undefined {
  const members: Member[] = [];
  let pos = 0;
  let longName: string | undefined;
  let longLink: string | undefined;
  let pax = new Map<string, string>();
  for (let n = 0; pos + 512 <= src.size; n++) {
    if ((n & 63) === 0) check();
    const h = src.read(pos, 512);
    if (h.length < 512) break;
    if (h.every((v) => v === 0)) break;
    if (!tarChecksumOk(h)) return members.length > 0 ? { members, complete: false, format: 'tar' } : undefined;
    const size = octal(h, 124, 12);
    const type = String.fromCharCode(h[156]!);
    const dataAt = pos + 512;
    pos = dataAt + Math.ceil(size / 512) * 512;
    const meta = (): string => src.read(dataAt, Math.min(size, 1 << 20)).toString('utf8');
    if (type === 'L') {
      longName = meta().replace(/\0.*$/s, '');
      continue;
    }
    if (type === 'K') {
      longLink = meta().replace(/\0.*$/s, '');
      continue;
    }
    if (type === 'x') {
      pax = paxRecords(meta());
      continue;
    }
    if (type === 'g' || type === 'V' || type === 'M') continue;
    const ustar = h.subarray(257, 262).toString('latin1') === 'ustar';
    const prefix = ustar ? cstr(h, 345, 155) : '';
    let name = pax.get('path') ?? longName ?? (prefix ? `${prefix}/${cstr(h, 0, 100)}` : cstr(h, 0, 100));
    const link = pax.get('linkpath') ?? longLink ?? cstr(h, 157, 100);
    longName = undefined;
    longLink = undefined;
    pax = new Map();
    const kind: Member['type'] = type === '5' ? 'dir' : type === '2' ? 'symlink' : type === '1' ? 'hardlink'
      : type === '0' || type === '\0' || type === '7' || type === 'S' ? 'file' : type === 'D' ? 'dir' : 'other';
    if (kind === 'file' && name.endsWith('/')) name = name.replace(/\/+$/, '');
    members.push(kind === 'symlink' || kind === 'hardlink' ? { name, type: kind, link } : { name, type: kind });
    if (members.length >= limits.maxEntries) return { members, complete: pos + 512 > src.size, format: 'tar' };
  }
  return { members, complete: true, format: 'tar' };
}

/** Offset of the end-of-central-directory record, searched in the last 64 KiB. */
function findEocd(src: Source): number | undefined {
  const len = Math.min(src.size, 65_535 + 22);
  const tail = src.read(src.size - len, len);
  for (let k = tail.length - 22; k >= 0; k--) if (tail.readUInt32LE(k) === 0x06054b50) return src.size - len + k;
  return undefined;
}

function readZip(src: Source, limits: ReadLimits, check: () => void): Listing | undefined {
  const at = findEocd(src);
  if (at === undefined) return undefined;
  const e = src.read(at, 22);
  let count = e.readUInt16LE(10);
  let cdSize = e.readUInt32LE(12);
  let cdOff = e.readUInt32LE(16);
  if (cdOff === 0xffffffff || count === 0xffff || cdSize === 0xffffffff) {
    // Zip64: the locator just before the end record points at the Zip64 end record.
    const loc = src.read(at - 20, 20);
    if (loc.length < 20 || loc.readUInt32LE(0) !== 0x07064b50) return undefined;
    const z = src.read(Number(loc.readBigUInt64LE(8)), 56);
    if (z.length < 56 || z.readUInt32LE(0) !== 0x06064b50) return undefined;
    count = Number(z.readBigUInt64LE(32));
    cdSize = Number(z.readBigUInt64LE(40));
    cdOff = Number(z.readBigUInt64LE(48));
  }
  // Data prepended to the archive (a self-extractor) shifts every offset.
  const shift = Math.max(0, at - (cdOff + cdSize));
  if (cdSize > limits.maxInflate) return undefined;
  const cd = src.read(cdOff + shift, cdSize);
  const members: Member[] = [];
  let p = 0;
  for (let n = 0; n < count && p + 46 <= cd.length; n++) {
    if ((n & 63) === 0) check();
    if (cd.readUInt32LE(p) !== 0x02014b50) return members.length > 0 ? { members, complete: false, format: 'zip' } : undefined;
    const madeBy = cd[p + 5]!;
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    const csize = cd.readUInt32LE(p + 20);
    const nlen = cd.readUInt16LE(p + 28);
    const xlen = cd.readUInt16LE(p + 30);
    const clen = cd.readUInt16LE(p + 32);
    const attr = cd.readUInt32LE(p + 38);
    const local = cd.readUInt32LE(p + 42);
    const raw = cd.subarray(p + 46, p + 46 + nlen);
    const name = raw.toString(flags & 0x800 ? 'utf8' : 'latin1');
    p += 46 + nlen + xlen + clen;
    const mode = (attr >>> 16) & 0o170000;
    const unix = madeBy === 3 || madeBy === 19;
    let m: Member;
    if (unix && mode === 0o120000) {
      m = { name, type: 'symlink', link: zipData(src, local + shift, method, csize) ?? '\u0000' };
    } else if (name.endsWith('/') || (unix && mode === 0o040000) || (attr & 0x10) !== 0) m = { name: name.replace(/\/+$/, ''), type: 'dir' };
    else m = { name, type: 'file' };
    members.push(m);
    if (members.length >= limits.maxEntries) return { members, complete: n + 1 >= count, format: 'zip' };
  }
  return { members, complete: true, format: 'zip' };
}

/** A small member's content (a link target), stored or deflated; undefined when unreadable. */
function zipData(src: Source, local: number, method: number, csize: number): string | undefined {
  if (csize > 64 * 1024) return undefined;
  const h = src.read(local, 30);
  if (h.length < 30 || h.readUInt32LE(0) !== 0x04034b50) return undefined;
  const data = src.read(local + 30 + h.readUInt16LE(26) + h.readUInt16LE(28), csize);
  try {
    if (method === 0) return data.toString('utf8');
    if (method === 8) return zlib.inflateRawSync(data, { maxOutputLength: 64 * 1024 }).toString('utf8');
  } catch {
    return undefined;
  }
  return undefined;
}

function readCpio(src: Source, limits: ReadLimits, check: () => void): Listing | undefined {
  const members: Member[] = [];
  let pos = 0;
  for (let n = 0; pos < src.size; n++) {
    if ((n & 63) === 0) check();
    const magic = src.read(pos, 6).toString('latin1');
    let mode: number;
    let size: number;
    let name: string;
    let dataAt: number;
    let next: number;
    if (magic === '070701' || magic === '070702') {
      const h = src.read(pos, 110).toString('latin1');
      if (h.length < 110) break;
      const hex = (k: number): number => parseInt(h.slice(6 + 8 * k, 14 + 8 * k), 16);
      mode = hex(1);
      size = hex(6);
      const nsize = hex(11);
      if (!Number.isFinite(mode) || !Number.isFinite(size) || !Number.isFinite(nsize)) return undefined;
      name = src.read(pos + 110, nsize).toString('utf8').replace(/\0.*$/s, '');
      dataAt = pos + 110 + nsize;
      dataAt += (4 - (dataAt % 4)) % 4;
      next = dataAt + size;
      next += (4 - (next % 4)) % 4;
    } else if (magic === '070707') {
      const h = src.read(pos, 76).toString('latin1');
      if (h.length < 76) break;
      mode = parseInt(h.slice(18, 24), 8);
      const nsize = parseInt(h.slice(59, 65), 8);
      size = parseInt(h.slice(65, 76), 8);
      if (!Number.isFinite(mode) || !Number.isFinite(size) || !Number.isFinite(nsize)) return undefined;
      name = src.read(pos + 76, nsize).toString('utf8').replace(/\0.*$/s, '');
      dataAt = pos + 76 + nsize;
      next = dataAt + size;
    } else return members.length > 0 ? { members, complete: false, format: 'cpio' } : undefined;
    if (name === 'TRAILER!!!') break;
    const kind = mode & 0o170000;
    if (kind === 0o120000) members.push({ name, type: 'symlink', link: src.read(dataAt, Math.min(size, 4096)).toString('utf8') });
    else members.push({ name, type: kind === 0o040000 ? 'dir' : kind === 0o100000 ? 'file' : 'other' });
    pos = next;
    if (members.length >= limits.maxEntries) return { members, complete: false, format: 'cpio' };
  }
  return { members, complete: true, format: 'cpio' };
}

/** The original name a gzip header stores (FNAME), for `gunzip -N`; undefined when absent or unreadable. */
export function gzipName(abs: string): string | undefined {
  return withRegularFile(abs, (fd, size) => {
    const h = fdSource(fd, size).read(0, 64 * 1024);
    if (h.length < 10 || h[0] !== 0x1f || h[1] !== 0x8b || !(h[3]! & 0x08)) return undefined;
    let p = 10;
    if (h[3]! & 0x04) p += 2 + h.readUInt16LE(p);
    const z = h.indexOf(0, p);
    return z < 0 ? undefined : h.subarray(p, z).toString('latin1');
  });
}
