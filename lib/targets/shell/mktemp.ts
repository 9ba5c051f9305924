// `mktemp` makes a NEW file or folder whose name is random but whose folder is known: the guard
// models its output as `<folder>/<prefix><?><suffix>` (the random part unknown, never an existing
// name) and its effect as a write there. So `tmp=$(mktemp -d); …; rm -rf "$tmp"` deletes something
// under the temporary folder, not a path that may be anything (lib/decide.ts fails closed on
// those), and `mktemp ~/.ssh/XXXXXX` or `mktemp -p .git` is a write inside the protected folder.
//
// GNU coreutils' rules (mktemp.c): without a TEMPLATE, `tmp.XXXXXXXXXX` under the temporary folder
// (--tmpdir implied). `-p DIR`/`--tmpdir[=DIR]`: TEMPLATE relative to DIR, else $TMPDIR, else /tmp.
// `-t` (deprecated): relative to $TMPDIR first, then -p's DIR, then /tmp. Otherwise TEMPLATE is
// relative to the working directory. The last run of X's (3 or more) in the last component is
// replaced; text after it, and --suffix, stay. Error cases (an absolute template with --tmpdir, a
// slash with -t, too few X's) are judged as if they succeeded: an extra target never lets a
// write through.
import { U, type Frame } from './context.js';
import { UNSET, type Scope } from './scope.js';
import type { Arg, Assigns, Out } from './types.js';

const DEFAULT_TEMPLATE = 'tmp.XXXXXXXXXX';
/** getopt_long accepts any unambiguous prefix of a long option. */
const LONG = ['directory', 'dry-run', 'quiet', 'suffix', 'tmpdir', 'help', 'version'] as const;

interface Parsed {
  dir: boolean;
  dryRun: boolean;
  /** -t given. */
  legacy: boolean;
  /** -p/--tmpdir given; its DIR ('' when none or empty). */
  tmpdir: string | undefined;
  suffix: string;
  templates: Arg[];
  /** --help/--version: prints text, makes nothing. */
  info: boolean;
}

function parse(args: Arg[]): Parsed {
  const p: Parsed = { dir: false, dryRun: false, legacy: false, tmpdir: undefined, suffix: '', templates: [], info: false };
  for (let k = 0; k < args.length; k++) {
    const t = args[k]!.text;
    if (t === '--') {
      p.templates.push(...args.slice(k + 1));
      break;
    }
    if (t.startsWith('--')) {
      const eq = t.indexOf('=');
      const key = t.slice(2, eq < 0 ? undefined : eq);
      const value = eq < 0 ? undefined : t.slice(eq + 1);
      const hits = LONG.filter((l) => l.startsWith(key));
      const name = LONG.find((l) => l === key) ?? (hits.length === 1 ? hits[0] : undefined);
      if (name === 'directory') p.dir = true;
      else if (name === 'dry-run') p.dryRun = true;
      else if (name === 'tmpdir') p.tmpdir = value ?? '';
      else if (name === 'suffix') p.suffix = value ?? args[++k]?.text ?? '';
      else if (name === 'help' || name === 'version') p.info = true;
      continue;
    }
    if (t.startsWith('-') && t.length > 1) {
      for (let i = 1; i < t.length; i++) {
        const c = t[i];
        if (c === 'd') p.dir = true;
        else if (c === 'u') p.dryRun = true;
        else if (c === 't') p.legacy = true;
        else if (c === 'p') {
          p.tmpdir = i + 1 < t.length ? t.slice(i + 1) : args[++k]?.text ?? '';
          break;
        }
      }
      continue;
    }
    p.templates.push(args[k]!);
  }
  return p;
}

/** The temporary folder the shell's mktemp sees: what the command set, else the inherited value, else /tmp. */
function tmpdirOf(sc: Scope, assigns: Assigns): string {
  for (let k = assigns.length - 1; k >= 0; k--) if (assigns[k]![0] === 'TMPDIR') return assigns[k]![1];
  const own = sc.assignedValue('TMPDIR');
  if (own !== undefined) return own === UNSET ? '' : own;
  // Not set by the command: the user's own setting (lib/targets/shell/env-files.ts), the same for
  // every call; a value the hook's environment does not hold is taken as unset.
  const v = sc.get('TMPDIR');
  return typeof v === 'string' && !v.includes(U) ? v : '';
}

/** The template with its last run of 3+ X's in the last component replaced by the unknown part. */
function fresh(template: string, suffix: string): string {
  const slash = template.lastIndexOf('/');
  const head = template.slice(0, slash + 1);
  const last = template.slice(slash + 1);
  const m = /X{3,}(?!.*X{3,})/s.exec(last);
  // Too few X's: mktemp fails; judged as the name itself (an extra target is never a bypass).
  if (!m) return `${template}${suffix}`;
  // A template that is unknown text itself (`"$(cat f)XXXXXX"`) stays one unknown part.
  return `${head}${last.slice(0, m.index)}${U}${last.slice(m.index + m[0].length)}${suffix}`.split(U + U).join(U);
}

/**
 * Emits the write `mktemp ARGS` makes (none for -u or --help) and returns its output: the new
 * name, its random part unknown.
 */
export function mktemp(args: Arg[], sc: Scope, fr: Frame, assigns: Assigns, via = 'mktemp'): Out {
  const p = parse(args);
  if (p.info) return null;
  const tpl = p.templates[0];
  const template = tpl?.text ?? DEFAULT_TEMPLATE;
  let folder: string | undefined;
  if (p.legacy) folder = tmpdirOf(sc, assigns) || p.tmpdir || '/tmp';
  else if (p.tmpdir !== undefined || !tpl) folder = p.tmpdir || tmpdirOf(sc, assigns) || '/tmp';
  // `--tmpdir` with an absolute template is an error; judged as the template itself.
  const name = fresh(folder === undefined || template.startsWith('/') ? template : `${folder.replace(/\/+$/, '')}/${template}`, p.suffix);
  if (!p.dryRun) fr.run.emit('write', { text: name, literal: tpl?.literal ?? via }, sc.cwd, via, true);
  // Printed as spelled: a relative template gives a relative name (a later `cd` moves it).
  return `${name}\n`;
}
