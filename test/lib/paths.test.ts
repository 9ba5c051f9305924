import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  caseInsensitive,
  lexicalPath,
  newLookupCache,
  normalizePath,
  normalizeTarget,
  type PathEnv,
  type PathFs,
} from '../../lib/paths.js';
import { GuardError, UNRESOLVED_SEGMENT as U } from '../../lib/types.js';

// A real tree: T/proj holds files, and links of every kind (relative, absolute, chained, dangling, loops).
const T = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-')));
after(() => fs.rmSync(T, { recursive: true, force: true }));
const P = `${T}/proj`;
for (const d of ['proj/.git', 'proj/src', 'proj/config/secrets', 'other/sub', 'home']) fs.mkdirSync(`${T}/${d}`, { recursive: true });
for (const f of ['proj/.env', 'proj/src/a.ts', 'proj/config/secrets/key', 'other/x']) fs.writeFileSync(`${T}/${f}`, '');
const links: [string, string][] = [
  ['proj/link-env', '.env'],
  ['proj/abs-link', `${P}/config`],
  ['proj/dangling', '.env.local'],
  ['proj/chain1', 'chain2'],
  ['proj/chain2', `${P}/chain3`],
  ['proj/chain3', 'src/../.env'],
  ['proj/dchain', 'dchain2'],
  ['proj/dchain2', 'nowhere/deeper/.env'],
  ['proj/loop1', 'loop2'],
  ['proj/loop2', 'loop1'],
  ['proj/self', 'self'],
  ['proj/dot', '.'],
  ['proj/up', '../other/sub'],
  ['proj/to-root', '/'],
  ['proj/src/parent-env', '../.env'],
  ['home-link', 'proj'],
];
for (const [at, target] of links) fs.symlinkSync(target, `${T}/${at}`);

const env: PathEnv = { home: `${T}/home`, platform: 'linux' };
const win: PathEnv = { home: 'C:\\Users\\me', platform: 'win32' };

/** The real fs, with every call counted and chosen paths failing as the kernel would fail them. */
function spyFs(fail: Record<string, { op: 'lstat' | 'readlink'; code: string }> = {}) {
  const calls = { lstat: 0, readlink: 0 };
  const boom = (p: string, op: string) => {
    const f = fail[p];
    if (f && f.op === op) throw Object.assign(new Error(`${f.code}: ${p}`), { code: f.code });
  };
  const spy: PathFs = {
    lstatSync: (p, o) => (calls.lstat++, boom(p, 'lstat'), fs.lstatSync(p, o)),
    readlinkSync: (p) => (calls.readlink++, boom(p, 'readlink'), fs.readlinkSync(p)),
  };
  return { spy, calls };
}

describe('normalizePath on a real tree (linux)', () => {
  const cases: [string, string, string, string][] = [
    // [what, p, base, expected]
    ['relative to base', '.env', P, `${P}/.env`],
    ['dots, repeated and trailing slashes', './src//./a.ts/', P, `${P}/src/a.ts`],
    ['empty path is the base', '', `${P}/src/`, `${P}/src`],
    ['absolute path ignores base', `${P}/src/../.env`, '/nowhere', `${P}/.env`],
    ['.. beyond the root stays at /', '../../../../../../../../../../..', P, '/'],
    ['.. on / itself', '/..', P, '/'],
    ['repeated leading slashes', '//etc///passwd', P, '/etc/passwd'],
    ['relative link to a file', 'link-env', P, `${P}/.env`],
    ['trailing slash on a link', 'link-env/', P, `${P}/.env`],
    ['absolute link to a dir, then more components', 'abs-link/secrets/key', P, `${P}/config/secrets/key`],
    ['beneath a linked dir, not yet existing', 'abs-link/new/file', P, `${P}/config/new/file`],
    ['dangling link: its target is written', 'dangling', P, `${P}/.env.local`],
    ['chained links, relative and absolute, with .. inside a target', 'chain1', P, `${P}/.env`],
    ['dangling chain through missing directories', 'dchain', P, `${P}/nowhere/deeper/.env`],
    ['.. after a link is physical, like the kernel', 'up/../x', P, `${T}/other/x`],
    ['link in a subdirectory with a ../ target', 'src/parent-env', P, `${P}/.env`],
    ['link to /', 'to-root/etc/hosts', P, '/etc/hosts'],
    ['links inside the base are resolved too', '../x', `${P}/up`, `${T}/other/x`],
    ['link to . repeated (40 hops is the limit, not an error)', `${'dot/'.repeat(40)}.env`, P, `${P}/.env`],
    ['a missing dir then .. resumes resolution', 'nope/../link-env', P, `${P}/.env`],
    ['below a file: lexical (ENOTDIR)', '.env/x/../y', P, `${P}/.env/y`],
    ['~ alone is home', '~', P, `${T}/home`],
    ['~/ expands to home', '~/.ssh//id_rsa', P, `${T}/home/.ssh/id_rsa`],
    ['~user is not home', '~root/x', P, `${P}/~root/x`],
    ['~ in the middle is a name', 'a/~/b', P, `${P}/a/~/b`],
    ['~ in the base expands as well', 'x', '~/y', `${T}/home/y/x`],
    ['case is kept on linux (.ENV is another file)', '.ENV', P, `${P}/.ENV`],
    ['placeholder kept as a segment', `${U}/.env`, P, `${P}/${U}/.env`],
    ['placeholder inside a name', `src/pre${U}post/x`, P, `${P}/src/pre${U}post/x`],
    ['resolution stops at the placeholder', `abs-link/${U}/link-env`, P, `${P}/config/${U}/link-env`],
    ['.. after a placeholder is another unknown dir', `${U}/../.env`, P, `${P}/${U}/.env`],
    ['.. after a partial placeholder name too', `a${U}/../../.env`, P, `${P}/${U}/.env`],
    ['placeholder in the base', 'link-env', `${P}/${U}`, `${P}/${U}/link-env`],
  ];
  for (const [what, p, base, expected] of cases) {
    it(what, () => assert.equal(normalizePath(p, base, env), expected));
  }

  it('home given through a link resolves to the physical home', () => {
    assert.equal(normalizePath('~/.env', '/', { ...env, home: `${T}/home-link` }), `${P}/.env`);
  });
  it('darwin uses posix syntax and the same resolution', () => {
    assert.equal(normalizePath('link-env', P, { ...env, platform: 'darwin' }), `${P}/.env`);
  });
});

describe('normalizePath errors (GuardError only)', () => {
  const cases: [string, () => unknown, RegExp][] = [
    ['link loop', () => normalizePath('loop1', P, env), /too many levels of symbolic links in "loop1"/],
    ['self link', () => normalizePath('self/x', P, env), /too many levels of symbolic links/],
    ['41 hops', () => normalizePath(`${'dot/'.repeat(41)}.env`, P, env), /too many levels of symbolic links/],
    ['NUL byte in the path', () => normalizePath('.env\u0000x', P, env), /^path contains a NUL byte$/],
    ['NUL next to a placeholder', () => normalizePath(`${U}\u0000`, P, env), /^path contains a NUL byte$/],
    ['NUL byte in the base', () => normalizePath('x', `${P}\u0000`, env), /^base directory contains a NUL byte$/],
    ['relative base', () => normalizePath('x', 'proj', env), /base directory "proj" is not absolute/],
    ['empty base', () => normalizePath('x', '', env), /base directory "" is not absolute/],
    ['relative home', () => normalizePath('~/x', P, { ...env, home: 'me' }), /home directory "me" is not absolute/],
    ['not a string', () => normalizePath(42 as unknown as string, P, env), /^path is not a string$/],
    ['longer than any path', () => normalizePath('a/'.repeat(20000), P, env), /longer than 32768 characters/],
    ['multi-line input stays on one line', () => normalizePath('a\nb\u0000', P, env), /^path contains a NUL byte$/],
  ];
  for (const [what, run, message] of cases) {
    it(what, () => assert.throws(run, (err) => err instanceof GuardError && message.test(err.message) && !err.message.includes('\n')));
  }
  it('a base is not needed (or checked) for an absolute path', () => {
    assert.equal(normalizePath('/x', 'not absolute', env), '/x');
  });
});

describe('normalizePath: file system faults and cost', () => {
  it('EACCES on lstat stops resolution and keeps the rest lexical', () => {
    const { spy } = spyFs({ [`${P}/abs-link`]: { op: 'lstat', code: 'EACCES' } });
    assert.equal(normalizePath('abs-link/secrets/../key', P, { ...env, fs: spy }), `${P}/abs-link/key`);
  });
  it('a failing readlink keeps the link name (no throw)', () => {
    const { spy } = spyFs({ [`${P}/link-env`]: { op: 'readlink', code: 'EIO' } });
    assert.equal(normalizePath('link-env', P, { ...env, fs: spy }), `${P}/link-env`);
  });
  it('one lstat per component, none after the first missing one', () => {
    const { spy, calls } = spyFs();
    normalizePath('src/a.ts', P, { ...env, fs: spy });
    assert.equal(calls.lstat, P.split('/').length - 1 + 2);
    const missing = spyFs();
    normalizePath('nope/a/b/c/d/e', P, { ...env, fs: missing.spy });
    assert.equal(missing.calls.lstat, P.split('/').length - 1 + 1);
  });
  it('.. over resolved directories costs no lookups (linear, no realpath per step)', () => {
    const { spy, calls } = spyFs();
    assert.equal(normalizePath('src/../'.repeat(1000) + '.env', P, { ...env, fs: spy }), `${P}/.env`);
    assert.equal(calls.lstat, P.split('/').length - 1 + 1000 + 1);
  });
  it('a lookup cache shared by one decision asks each path once and changes no result', () => {
    const inputs = ['src/a.ts', 'src/b.ts', 'chain1', 'link-env', 'abs-link/secrets/key', 'dangling', 'up/x', 'nope/a', 'src/a.ts'];
    const plain = spyFs();
    const expected = inputs.map((p) => normalizePath(p, P, { ...env, fs: plain.spy }));
    const shared = spyFs();
    const cache = newLookupCache();
    assert.deepEqual(inputs.map((p) => normalizePath(p, P, { ...env, fs: shared.spy, cache })), expected);
    assert.equal(shared.calls.lstat, cache.kinds.size);
    assert.equal(shared.calls.readlink, cache.links.size);
    assert.ok(shared.calls.lstat < plain.calls.lstat / 2, `${shared.calls.lstat} vs ${plain.calls.lstat}`);
    // A loop still fails the same way with a cache.
    assert.throws(() => normalizePath('loop1', P, { ...env, cache }), GuardError);
  });
  it('links cost one lstat and one readlink per hop', () => {
    const { spy, calls } = spyFs();
    normalizePath('chain1', P, { ...env, fs: spy });
    // base + chain1, chain2 (absolute target: the base's components again, as the kernel does),
    // chain3 + the last target's src and .env (`..` needs no lookup); one readlink per link.
    const depth = P.split('/').length - 1;
    assert.deepEqual(calls, { lstat: depth + 2 + depth + 1 + 2, readlink: 3 });
  });
});

describe('normalizePath: win32 spellings (string work on any host)', () => {
  const cases: [string, string, string, string][] = [
    ['backslashes become /', 'src\\a.ts', 'C:\\proj', 'C:/proj/src/a.ts'],
    ['drive letter kept, uppercased', 'c:\\Proj\\.ENV', 'C:\\', 'C:/Proj/.ENV'],
    ['.. stops at the drive root', '..\\..\\..\\x', 'D:\\a', 'D:/x'],
    ['drive root itself', 'C:\\', 'D:\\', 'C:/'],
    ['root-relative takes the base drive', '\\Windows\\x', 'D:\\proj', 'D:/Windows/x'],
    ['drive-relative on the base drive', 'c:sub\\x', 'C:\\proj', 'C:/proj/sub/x'],
    ['drive-relative on another drive', 'e:sub', 'C:\\proj', 'E:/sub'],
    ['UNC share is the root', '\\\\srv\\share\\a\\..\\..\\x', 'C:\\', '//srv/share/x'],
    ['device path to a drive', '\\\\?\\C:\\proj\\.env', 'D:\\', 'C:/proj/.env'],
    ['device UNC path', '\\\\?\\UNC\\srv\\share\\x', 'D:\\', '//srv/share/x'],
    ['trailing dots and spaces are dropped', '.env. . ', 'C:\\p', 'C:/p/.env'],
    ['in every component', 'secrets.\\key', 'C:\\p', 'C:/p/secrets/key'],
    ['alternate data stream names its file', '.env::$DATA', 'C:\\p', 'C:/p/.env'],
    ['a name of dots only is kept', '...', 'C:\\p', 'C:/p/...'],
    ['~\\ expands to home', '~\\.ssh\\id_rsa', 'C:\\p', 'C:/Users/me/.ssh/id_rsa'],
    ['mixed separators and repeats', 'a//b\\\\c/', 'C:\\p', 'C:/p/a/b/c'],
    ['posix-style base without a drive', 'x', '/home/me', '/home/me/x'],
    ['placeholder kept', `${U}\\.env`, 'C:\\p', `C:/p/${U}/.env`],
  ];
  for (const [what, p, base, expected] of cases) {
    it(what, () => assert.equal(normalizePath(p, base, win), expected));
  }
  it('does not consult this host\'s fs for win32 paths', () => {
    assert.equal(normalizePath('link-env', P, win), `${P}/link-env`);
  });
  it('case is kept (matching sets nocase instead)', () => {
    assert.equal(normalizePath('C:\\Users\\ME\\.SSH', 'C:\\', win), 'C:/Users/ME/.SSH');
  });
});

describe('lexicalPath, normalizeTarget, caseInsensitive', () => {
  it('lexicalPath never follows links', () => {
    assert.equal(lexicalPath('up/../link-env', P, env), `${P}/link-env`);
    assert.equal(lexicalPath('loop1', P, env), `${P}/loop1`);
  });
  it('normalizeTarget keeps op, via, literal and unresolved, and normalizes the path', () => {
    assert.deepEqual(
      normalizeTarget({ op: 'move-to', path: `${U}/link-env`, base: P, via: 'mv', unresolved: true, literal: '$D/link-env' }, env),
      // The word starts with an unknown part: where it lies is not known (lib/unresolved-names.ts).
      { op: 'move-to', path: `${P}/${U}/link-env`, via: 'mv', unresolved: true, literal: '$D/link-env', floating: true },
    );
    const t = normalizeTarget({ op: 'write', path: 'dangling', base: P, via: 'redirect >' }, env);
    // A link keeps its own name as `lexical`, so rules for the name still apply (`.env` -> elsewhere).
    assert.deepEqual(t, { op: 'write', path: `${P}/.env.local`, lexical: `${P}/dangling`, via: 'redirect >' });
    assert.ok(!('unresolved' in t) && !('literal' in t));
  });
  it('normalizeTarget fails closed with GuardError', () => {
    assert.throws(() => normalizeTarget({ op: 'delete', path: 'loop1', base: P, via: 'rm' }, env), GuardError);
  });
  const platforms: [NodeJS.Platform, boolean][] = [['darwin', true], ['win32', true], ['linux', false], ['freebsd', false]];
  for (const [platform, expected] of platforms) {
    it(`caseInsensitive(${platform}) is ${expected}`, () => assert.equal(caseInsensitive(platform), expected));
  }
});
