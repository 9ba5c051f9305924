// Member names of an ar archive (read.ts sniffs the format): `ar x` and bsdtar extract them.
import type { Listing, Member, ReadLimits, Source } from './read.js';

/** Tables of an ar archive that are no members: the symbol index (GNU, 64-bit, BSD) and GNU's long names. */
const AR_TABLES = new Set(['/', '/SYM64/', '//', '__.SYMDEF', '__.SYMDEF SORTED']);

/**
 * ar (`!<arch>`, and thin `!<thin>` whose members are stored elsewhere): 60-byte headers, GNU names
 * (`name/`, `/OFFSET` into the `//` table) and BSD ones (`#1/LEN`, the name before the data).
 */
export function readAr(src: Source, limits: ReadLimits, check: () => void): Listing | undefined {
  const thin = src.read(0, 8).toString('latin1') === '!<thin>\n';
  const members: Member[] = [];
  const incomplete = (): Listing | undefined => (members.length > 0 ? { members, complete: false, format: 'ar' } : undefined);
  let longNames = '';
  let pos = 8;
  while (pos < src.size) {
    check();
    const h = src.read(pos, 60);
    if (h.length < 60 || h.subarray(58, 60).toString('latin1') !== '`\n') return incomplete();
    const raw = h.subarray(0, 16).toString('latin1').trimEnd();
    const size = Number(h.subarray(48, 58).toString('latin1').trim());
    if (!Number.isInteger(size) || size < 0) return incomplete();
    const data = pos + 60;
    let stored = size;
    if (raw === '//') longNames = src.read(data, Math.min(size, 1 << 20)).toString('latin1');
    else if (!AR_TABLES.has(raw)) {
      let name = raw.replace(/\/$/, '');
      if (/^\/\d+$/.test(raw)) {
        const off = Number(raw.slice(1));
        const end = longNames.indexOf('\n', off);
        name = longNames.slice(off, end < 0 ? undefined : end).replace(/\/$/, '');
      } else if (/^#1\/\d+$/.test(raw)) name = src.read(data, Number(raw.slice(3))).toString('latin1').replace(/\0+$/, '');
      if (name === '') return incomplete();
      members.push({ name, type: 'file' });
      if (members.length >= limits.maxEntries) return { members, complete: false, format: 'ar' };
      if (thin) stored = 0;
    }
    pos = data + stored + (stored % 2);
  }
  return { members, complete: true, format: 'ar' };
}
