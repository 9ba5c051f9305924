// GNU `patch`: the file named on the command line, or the files the patch names (`-p N` stripped;
// without -p, patch may use the name as written or its last component: both count), in `-d DIR`.
import type { Op } from '../../types.js';
import { U, joinPath, type Frame } from './context.js';
import { changeTargets } from './git-apply.js';
import { has, parseOpts, values } from './options.js';
import { fileChanges, patchText, strip } from './unified-diff.js';
import type { Arg } from './types.js';

const PATCH = {
  arg: 'BDdFiopVYzrg',
  long: ['prefix', 'ifdef', 'directory', 'fuzz', 'input', 'output', 'strip', 'reject-file', 'version-control',
    'basename-prefix', 'suffix', 'get', 'quoting-style', 'read-only', 'reject-format'],
  flags: ['dry-run', 'forward', 'reverse', 'remove-empty-files', 'binary', 'posix', 'merge', 'verbose', 'silent', 'quiet',
    'batch', 'force', 'ignore-whitespace', 'normal', 'context', 'unified', 'ed', 'no-backup-if-mismatch', 'follow-symlinks', 'backup'],
};

/** A hunk that fails leaves NAME.rej, and a backup may be kept as NAME.orig. */
const BACKUPS = ['.orig', '.rej'];

export function patchCommand(args: Arg[], cwd: string, fr: Frame, emit: (op: Op, a: Arg, base: string, unknown?: boolean) => void, getenv: (name: string) => string | undefined = () => undefined): void {
  const p = parseOpts(args, PATCH);
  if (has(p, 'dry-run')) return;
  const dir = values(p, 'd', 'directory').pop();
  const base = dir ? joinPath(cwd, dir.text) : cwd;
  for (const r of values(p, 'r', 'reject-file')) if (r.text !== '-') emit('write', r, cwd);
  const out = values(p, 'o', 'output').pop();
  const [original, file] = p.operands;
  // Backups of each file changed: NAME.orig and NAME.rej, NAME with the suffix of `-z` or
  // SIMPLE_BACKUP_SUFFIX, `-B PREFIX` before the whole name, `-Y PREFIX` before its last part.
  const env = getenv('SIMPLE_BACKUP_SUFFIX');
  const suffixes = [...BACKUPS, ...values(p, 'z', 'suffix').map((s) => s.text), ...(env !== undefined && env !== '' ? [env] : [])];
  const prefix = values(p, 'B', 'prefix').pop()?.text;
  const basePrefix = values(p, 'Y', 'basename-prefix').pop()?.text;
  const backups = (m: string, literal: string): void => {
    for (const ext of suffixes) emit('write', { text: m + ext, literal }, base);
    if (prefix !== undefined) emit('write', { text: prefix + m, literal }, base);
    if (basePrefix !== undefined) emit('write', { text: m.replace(/[^/]*$/, (b) => basePrefix + b), literal }, base);
  };
  if (out) {
    if (out.text !== '-') emit('write', out, cwd);
  } else if (original) {
    emit('write', original, base);
    backups(original.text, original.literal);
  }
  if (out || original) return;
  const input = values(p, 'i', 'input').pop() ?? file;
  // -d applies before anything else: the patch file is found there too.
  const text = patchText(input, base, fr);
  const changes = text === undefined ? undefined : fileChanges(text);
  const literal = input?.literal ?? 'patch';
  if (!changes) {
    emit('write', { text: U, literal }, base, true);
    return;
  }
  const level = values(p, 'p', 'strip').pop()?.text;
  const names = (n: string): string[] => {
    if (level !== undefined) return [strip(n, Number.isInteger(Number(level)) ? Number(level) : 0)];
    return [n, strip(n, 1), n.slice(n.lastIndexOf('/') + 1)];
  };
  const reverse = has(p, 'R', 'reverse');
  for (const c of changes) {
    for (const [op, n] of changeTargets(c, reverse, (x) => x)) {
      for (const m of new Set(names(n))) {
        emit(op, { text: m, literal }, base);
        if (op !== 'move-from') backups(m, literal);
      }
    }
  }
}
