// Where a download lands when no option names the file: `curl -O URL` and `wget URL` write the last
// segment of the URL's path (into `--output-dir`/`-P DIR`); a name the server chooses (`curl -J`,
// `wget --content-disposition`, `-r`) is an unknown file in that directory. The options that name
// a file (`-o`, `-O FILE`, cookie jars...) are read by fetchers.ts, called first.
import { trimSlashes, U } from './context.js';
import type { Arg, Handler } from './types.js';
import { FETCH_COMMANDS } from './fetchers.js';
import { has, parseOpts, values, type OptSpec } from './options.js';

const CURL: OptSpec = {
  arg: 'ocDbHdXuAeTKrwxEFmUYyzt',
  long: ['output', 'cookie-jar', 'dump-header', 'cookie', 'header', 'data', 'data-raw', 'data-binary', 'data-urlencode',
    'request', 'user', 'user-agent', 'referer', 'upload-file', 'config', 'range', 'write-out', 'proxy', 'cert', 'key',
    'cacert', 'form', 'max-time', 'connect-timeout', 'retry', 'url', 'stderr', 'trace', 'trace-ascii', 'output-dir',
    'proxy-user', 'resolve', 'connect-to', 'interface', 'limit-rate', 'max-filesize', 'json', 'oauth2-bearer', 'variable'],
  flags: ['remote-name', 'remote-name-all', 'remote-header-name', 'create-dirs', 'location', 'silent', 'fail', 'insecure'],
};
const WGET: OptSpec = {
  arg: 'OoaPiUeTtwQlAR',
  long: ['output-document', 'output-file', 'append-output', 'directory-prefix', 'input-file', 'user-agent', 'execute',
    'timeout', 'tries', 'wait', 'quota', 'level', 'accept', 'reject', 'header', 'post-data', 'post-file', 'user',
    'password', 'save-cookies', 'load-cookies', 'certificate', 'private-key', 'ca-certificate', 'default-page'],
  flags: ['recursive', 'mirror', 'content-disposition', 'no-directories', 'page-requisites', 'continue', 'timestamping'],
};

const URL_RE = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/;

/** The file name a URL is saved under (its path's last segment), '' when it has none. */
function remoteName(url: string): string {
  const m = URL_RE.exec(url);
  const p = m ? m[1]! : url.includes('/') ? url.slice(url.indexOf('/')) : '';
  return p.slice(p.lastIndexOf('/') + 1);
}

const inDir = (dir: Arg | undefined, name: string, like: Arg): Arg => {
  const d = dir ? trimSlashes(dir.text) : '';
  return { text: d === '' ? name : `${d === '/' ? '' : d}/${name}`, literal: dir?.literal ?? like.literal };
};

const fetcher = (name: string): Handler => FETCH_COMMANDS.find(([n]) => n === name)![1];

const curl: Handler = (args, c) => {
  fetcher('curl')(args, c);
  const p = parseOpts(args, CURL);
  const dir = values(p, 'output-dir').pop();
  const all = has(p, 'remote-name-all');
  // Each -O takes the next URL; --remote-name-all gives every URL a remote name.
  let named = all ? Infinity : p.opts.filter((o) => o.name === 'O' || o.name === 'remote-name').length;
  const urls = [...values(p, 'url'), ...p.operands];
  for (const u of urls) {
    if (named-- <= 0) break;
    const header = has(p, 'J', 'remote-header-name');
    const n = header ? U : remoteName(u.text);
    c.emit('write', inDir(dir, n === '' ? U : n, u), 'curl -O');
  }
};

const wget: Handler = (args, c) => {
  fetcher('wget')(args, c);
  const p = parseOpts(args, WGET);
  if (values(p, 'O', 'output-document').length > 0 || has(p, 'spider')) return;
  const dir = values(p, 'P', 'directory-prefix').pop();
  const tree = has(p, 'r', 'm', 'p', 'recursive', 'mirror', 'page-requisites', 'content-disposition');
  for (const u of [...p.operands, ...values(p, 'i', 'input-file').map(() => ({ text: '', literal: 'wget -i' }))]) {
    const n = tree ? U : remoteName(u.text);
    // A name the server or the crawl chooses lands somewhere beneath the directory.
    c.emit('write', inDir(dir, n === '' ? (tree || u.text === '' ? U : 'index.html') : n, u), 'wget', tree);
  }
};

export const DOWNLOAD_COMMANDS: [string, Handler][] = [['curl', curl], ['wget', wget]];
