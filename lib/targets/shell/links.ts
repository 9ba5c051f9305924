// Commands that make a second way to a file: symbolic and hard links (`ln`, `link`) and bind
// mounts. The new name is written; a hard link's source is written too (the new name IS that
// file); what they make goes into the overlay (overlay.ts) for the operands of later commands.
import { trimSlashes, under } from './context.js';
import type { Arg, Handler } from './types.js';
import { has, parseOpts, values, type OptSpec } from './options.js';
import { coreutilsBackups } from './backups.js';

const LN: OptSpec = {
  arg: 'tS', long: ['target-directory', 'suffix'],
  flags: ['no-target-directory', 'no-dereference', 'symbolic', 'force', 'logical', 'physical', 'relative', 'interactive', 'verbose', 'backup'],
};

/**
 * ln: the link name is written. A symbolic link's target is not (writing through it later is
 * caught by resolving the link on disk); a hard link's source is: the new name IS that file.
 */
const ln: Handler = (args, c) => {
  const p = parseOpts(args, LN);
  const tdir = values(p, 't', 'target-directory').pop();
  const ops = p.operands;
  const pairs: [Arg, Arg][] = [];
  if (tdir) {
    for (const t of ops) pairs.push([t, under(tdir, t)]);
  } else if (ops.length === 1) {
    const t = trimSlashes(ops[0]!.text);
    pairs.push([ops[0]!, { text: t.slice(t.lastIndexOf('/') + 1) || t, literal: ops[0]!.literal }]);
  } else if (ops.length > 1) {
    const dest = ops[ops.length - 1]!;
    const targets = ops.slice(0, -1);
    const follow = !has(p, 'n', 'no-dereference');
    const into = !has(p, 'T', 'no-target-directory')
      && (targets.length > 1 || dest.text.endsWith('/') || c.isDir(dest, follow));
    for (const t of targets) pairs.push([t, into ? under(dest, t) : dest]);
  }
  const symbolic = has(p, 's', 'symbolic');
  for (const [t, name] of pairs) {
    // A symbolic link may lead to a folder (now or once its target is replaced): what lies beneath
    // its name is then the attacker's (`ln -s /tmp/evil ~/.config` when ~/.config is absent).
    c.emit('write', name, 'ln', symbolic);
    coreutilsBackups(p, [name], c, 'ln');
    if (!symbolic) {
      c.emit('write', t, 'ln (hard link)');
      c.made('mirror', name, t);
    } else if (has(p, 'r', 'relative')) {
      c.made('link', name, t); // made relative to the link by ln itself: it leads where t does from here
    } else {
      c.made('link', name, t.text);
    }
  }
};

/** link FILE1 FILE2: a hard link, like `ln` without options. */
const link: Handler = (args, c) => {
  const ops = parseOpts(args, {}).operands;
  if (ops.length !== 2) return;
  c.emit('write', ops[1]!, 'ln');
  c.emit('write', ops[0]!, 'link (hard link)');
  c.made('mirror', ops[1]!, ops[0]!);
};

/**
 * mount --bind SRC DST (-B, --rbind, -R, -o bind): DST then leads to SRC, as a link would. Any
 * other mount puts a file system nobody analyzed at DST: names beneath it are unknown.
 */
const mount: Handler = (args, c) => {
  const p = parseOpts(args, {
    arg: 'tOoLUN', long: ['types', 'options', 'label', 'uuid', 'source', 'target', 'namespace', 'test-opts'],
    flags: ['bind', 'rbind', 'move', 'read-only', 'verbose', 'fake', 'all'],
  });
  const bind = has(p, 'B', 'R', 'bind', 'rbind') || values(p, 'o', 'options').some((v) => /(^|,)r?bind(,|$)/.test(v.text));
  const src = values(p, 'source').pop() ?? p.operands[0];
  const dst = values(p, 'target').pop() ?? p.operands[1];
  if (!src || !dst) return;
  c.emit('write', dst, 'mount');
  if (bind) c.made('link', dst, src);
  else c.made('unknown', dst);
};

export const LINK_COMMANDS: [string, Handler][] = [
  ['ln', ln],
  ['link', link],
  ['mount', mount],
];
