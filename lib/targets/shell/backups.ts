// Backups: a command that replaces a file may first keep the old one under a name the command
// line chooses, and that name is a write of its own. `cp -b -S rc x ~/.bash` keeps the old
// ~/.bash as ~/.bashrc; GNU sed's and perl's `-i'SUFFIX'` put each `*` of the suffix where the
// file's name goes (`sed -i"$HOME/.bash*" … rc` renames rc to ~/.bashrc); patch's `-B`, `-Y`
// and `-z` put a prefix before the name or a suffix after it.
import { has, values, type Parsed } from './options.js';
import type { Arg, CmdCtx } from './types.js';

/**
 * The backup of `file` kept with `suffix`. `star`: each `*` is replaced by the file's name as
 * given (GNU sed, perl: the result is then relative to the working directory, not to the file's
 * folder), `append`: the suffix is appended as it is (coreutils), `both`: either (ruby's `-i`).
 */
export function backupNames(file: Arg, suffix: string, star: 'star' | 'append' | 'both'): Arg[] {
  if (suffix === '') return [];
  const appended = { text: file.text + suffix, literal: file.literal };
  if (star === 'append' || !suffix.includes('*')) return [appended];
  const starred = { text: suffix.split('*').join(file.text), literal: file.literal };
  return star === 'both' ? [starred, appended] : [starred];
}

/**
 * The coreutils backup of each destination (`cp`, `mv`, `ln`, `install`): made with `-b`,
 * `--backup[=CONTROL]` or `-S`/`--suffix` (which implies a backup); the suffix is `-S`, else
 * SIMPLE_BACKUP_SUFFIX, else `~`. A numbered backup (`DEST.~N~`) keeps DEST's name and folder:
 * only the chosen suffix can reach another name. A suffix not known holds U: unresolved.
 */
export function coreutilsBackups(p: Parsed, dests: Arg[], c: CmdCtx, via: string, beneath = false): void {
  const suffix = values(p, 'S', 'suffix').pop();
  if (!suffix && !has(p, 'b', 'backup')) return;
  const text = suffix?.text ?? c.getenv?.('SIMPLE_BACKUP_SUFFIX') ?? '~';
  for (const d of dests) for (const b of backupNames(d, text, 'append')) c.emit('write', b, `${via} backup`, beneath);
}
