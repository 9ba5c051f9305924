// Commands that write the file an OPTION names rather than an operand: downloaders (`curl -o`,
// `wget -O`) and archivers creating an archive (`tar -cf`). Their operands are URLs or inputs.
// Extracting an archive writes names only the archive knows, links included: an unresolved
// write in the destination, and every name beneath it is unknown to the commands after it.
import { U, trimSlashes } from './context.js';
import type { Arg, CmdCtx, Handler } from './types.js';
import { has, parseOpts, values, type OptSpec } from './options.js';

const optionWrites = (via: string, spec: OptSpec, names: string[], reads: string[] = []): Handler => (args, c) => {
  const p = parseOpts(args, spec);
  for (const v of values(p, ...names)) if (v.text !== '-') c.emit('write', v, via);
  for (const v of values(p, ...reads)) if (v.text !== '-') c.emit('read', v, via);
};

const CURL: OptSpec = {
  arg: 'oOcDbHdXuAeTKrwxEFm',
  long: ['output', 'cookie-jar', 'dump-header', 'cookie', 'header', 'data', 'data-raw', 'data-binary', 'data-urlencode',
    'request', 'user', 'user-agent', 'referer', 'upload-file', 'config', 'range', 'write-out', 'proxy', 'cert', 'key',
    'cacert', 'form', 'max-time', 'connect-timeout', 'retry', 'url', 'stderr', 'trace', 'trace-ascii', 'output-dir', 'libcurl', 'etag-save',
    'etag-compare', 'hsts', 'alt-svc', 'cookie-jar'],
};
const WGET: OptSpec = {
  arg: 'OoaPiUeTtwQlAR',
  long: ['output-document', 'output-file', 'append-output', 'directory-prefix', 'input-file', 'user-agent', 'execute', 'config',
    'timeout', 'tries', 'wait', 'quota', 'level', 'accept', 'reject', 'header', 'post-data', 'post-file', 'user',
    'password', 'save-cookies', 'load-cookies', 'certificate', 'private-key', 'ca-certificate'],
};
const TAR: OptSpec = {
  arg: 'fCTXbKNgV', long: ['file', 'directory', 'files-from', 'exclude-from', 'blocking-factor', 'starting-file',
    'newer', 'listed-incremental', 'label', 'exclude', 'transform', 'owner', 'group', 'mode', 'use-compress-program'],
};

/** tar: the archive named by -f is written when creating or appending (c, r, u, A); else read. */
const tar: Handler = (args, c) => {
  // Old-style bundled keys without a dash (`tar czf out.tgz src`) read like `-czf`.
  const first = args[0];
  const norm = first && /^[A-Za-z]+$/.test(first.text) ? [{ ...first, text: `-${first.text}` }, ...args.slice(1)] : args;
  const p = parseOpts(norm, TAR);
  const creates = has(p, 'c', 'r', 'u', 'A', 'create', 'append', 'update', 'concatenate', 'catenate');
  for (const v of values(p, 'f', 'file')) if (v.text !== '-') c.emit(creates ? 'write' : 'read', v, 'tar');
  if (creates) archived(c, p.operands, values(p, 'C', 'directory')[0], has(p, 'remove-files'));
  if (has(p, 'x', 'extract', 'get')) {
    // -P keeps absolute names and `..`: the archive may write anywhere.
    const dir = has(p, 'P', 'absolute-names') ? { text: '/', literal: first!.literal } : values(p, 'C', 'directory').pop();
    extracts(c, dir, 'tar -x', first!);
  }
};

/**
 * What `tar -c` archives: read with everything beneath (a copy of `.` copies `.env`: the
 * secrets-read preset sees it); `--remove-files` deletes it all. Relative to `-C DIR`.
 */
function archived(c: CmdCtx, operands: Arg[], dir: Arg | undefined, remove: boolean): void {
  for (const o of operands) {
    const a = dir && !o.text.startsWith('/') ? { text: `${trimSlashes(dir.text)}/${o.text}`, literal: o.literal } : o;
    c.emit(remove ? 'delete' : 'read', a, remove ? 'tar --remove-files' : 'tar', true);
  }
}

/** An archive unpacked into `dir` (default: the working directory). */
function extracts(c: CmdCtx, dir: Arg | undefined, via: string, like: Arg): void {
  const d = dir ?? { text: '.', literal: like.literal };
  const inside = { text: `${d.text.endsWith('/') ? d.text : `${d.text}/`}${U}`, literal: d.literal };
  c.emit('write', inside, via);
  c.made('unknown', inside);
}

/** unzip [opts] ZIP [names] [-x names] [-d DIR]. */
const unzip: Handler = (args, c) => {
  const p = parseOpts(args, { arg: 'dxP' });
  if (has(p, 'l', 'v', 't', 'z', 'Z', 'p', 'c')) return; // list, test, comment, to stdout
  if (args.length > 0) extracts(c, values(p, 'd').pop(), 'unzip', args[0]!);
};

/** 7z x|e ARCHIVE [-oDIR]. */
const sevenZip = (via: string): Handler => (args, c) => {
  const mode = args[0]?.text;
  if (mode !== 'x' && mode !== 'e') return;
  const out = args.find((a) => a.text.startsWith('-o'));
  extracts(c, out ? { text: out.text.slice(2), literal: out.literal } : undefined, via, args[0]!);
};

/** cpio -i (into the working directory or -D DIR), cpio -p DIR (with -l: hard links to names from stdin). */
const cpio: Handler = (args, c) => {
  const p = parseOpts(args, { arg: 'DEFHIMORs', long: ['directory', 'pattern-file', 'file', 'format', 'message', 'owner'] });
  const dir = values(p, 'D', 'directory').pop();
  if (has(p, 'i', 'extract')) extracts(c, dir, 'cpio -i', args[0]!);
  else if (has(p, 'p', 'pass-through')) {
    extracts(c, p.operands[0] ?? dir, 'cpio -p', args[0]!);
    if (has(p, 'l', 'link')) c.emit('write', { text: U, literal: args[0]!.literal }, 'cpio --link', true);
  }
};

/**
 * `curl -K FILE`: options from a file (`output = F` writes F) not read here: what curl writes is
 * not known. `wget -e 'output_document = F'`: wgetrc commands, the ones that name files.
 */
const curl: Handler = (args, c) => {
  optionWrites('curl', CURL, ['c', 'cookie-jar', 'D', 'dump-header', 'stderr', 'trace', 'trace-ascii', 'libcurl', 'etag-save', 'hsts', 'alt-svc'], ['T', 'upload-file', 'K', 'config'])(args, c);
  const p = parseOpts(args, CURL);
  // `-o NAME` lands in `--output-dir DIR` when one is given.
  const dir = values(p, 'output-dir').pop();
  for (const v of values(p, 'o', 'output')) {
    if (v.text === '-') continue;
    c.emit('write', dir && !v.text.startsWith('/') ? { text: `${dir.text.replace(/\/+$/, '')}/${v.text}`, literal: v.literal } : v, 'curl');
  }
  for (const v of values(p, 'K', 'config')) c.emit('write', { text: U, literal: v.literal }, 'curl --config (options not read)');
  // `-w '%output{FILE}…'` (and `%output{>>FILE}`) switches the write-out text to FILE.
  for (const v of values(p, 'w', 'write-out')) {
    for (const m of v.text.matchAll(/%output\{(?:>>)?([^}]*)\}/g)) if (m[1]) c.emit('write', { text: m[1], literal: v.literal }, 'curl --write-out %output');
  }
};

const WGETRC_FILES: Record<string, 'write' | 'dir'> = { outputdocument: 'write', logfile: 'write', appendoutput: 'write', savecookies: 'write', warcfile: 'write', dirprefix: 'dir' };

const wget: Handler = (args, c) => {
  optionWrites('wget', WGET, ['O', 'output-document', 'o', 'output-file', 'a', 'append-output', 'save-cookies'], ['i', 'input-file'])(args, c);
  const p = parseOpts(args, WGET);
  for (const v of values(p, 'config')) c.emit('write', { text: U, literal: v.literal }, 'wget --config (commands not read)');
  for (const v of values(p, 'e', 'execute')) {
    const m = /^\s*([A-Za-z_-]+)\s*=\s*(.*?)\s*$/s.exec(v.text);
    const kind = m ? WGETRC_FILES[m[1]!.toLowerCase().replace(/[-_]/g, '')] : undefined;
    if (!m || !kind || m[2] === '' || m[2] === '-') continue;
    c.emit('write', { text: kind === 'dir' ? `${m[2]!.replace(/\/+$/, '')}/${U}` : m[2]!, literal: v.literal }, `wget -e ${m[1]}`);
  }
};

export const FETCH_COMMANDS: [string, Handler][] = [
  ['curl', curl],
  ['wget', wget],
  ['tar', tar],
  ['bsdtar', tar],
  ['unzip', unzip],
  ['7z', sevenZip('7z')],
  ['7za', sevenZip('7za')],
  ['7zz', sevenZip('7zz')],
  ['cpio', cpio],
];
