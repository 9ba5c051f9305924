// Commands that write the file an OPTION names rather than an operand: downloaders (`curl -o`,
// `wget -O`) and archivers creating an archive (`tar -cf`). Their operands are URLs or inputs.
import type { Handler } from './commands.js';
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
    'cacert', 'form', 'max-time', 'connect-timeout', 'retry', 'url', 'stderr', 'trace', 'trace-ascii', 'output-dir'],
};
const WGET: OptSpec = {
  arg: 'OoaPiUeTtwQlAR',
  long: ['output-document', 'output-file', 'append-output', 'directory-prefix', 'input-file', 'user-agent', 'execute',
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
};

export const FETCH_COMMANDS: [string, Handler][] = [
  ['curl', optionWrites('curl', CURL, ['o', 'output', 'c', 'cookie-jar', 'D', 'dump-header', 'stderr', 'trace', 'trace-ascii'], ['T', 'upload-file', 'K', 'config'])],
  ['wget', optionWrites('wget', WGET, ['O', 'output-document', 'o', 'output-file', 'a', 'append-output', 'save-cookies'], ['i', 'input-file'])],
  ['tar', tar],
];
