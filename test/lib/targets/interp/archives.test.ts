// Archive extraction through the real guard: member names are read from the archive on disk
// (tar, tar.gz, zip, cpio) and placed under the destination as each extractor places them; an
// archive that does not exist or cannot be read leaves its destination unknown. Archives are
// built here with Python's tarfile/zipfile (exact control of hostile members) and gzip.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HOME, P, verdicts } from './helpers.js';

fs.mkdirSync(path.join(HOME, '.ssh'), { recursive: true });
const build = `
import io, os, sys, tarfile, zipfile, gzip
home = sys.argv[1]
def tar(name, members, mode='w'):
    with tarfile.open(name, mode) as t:
        for m in members:
            i = tarfile.TarInfo(m[0])
            if len(m) > 1 and m[1] == 'sym': i.type = tarfile.SYMTYPE; i.linkname = m[2]; t.addfile(i)
            elif len(m) > 1 and m[1] == 'hard': i.type = tarfile.LNKTYPE; i.linkname = m[2]; t.addfile(i)
            elif len(m) > 1 and m[1] == 'dir': i.type = tarfile.DIRTYPE; t.addfile(i)
            else: i.size = 1; t.addfile(i, io.BytesIO(b'x'))
def zip_(name, members):
    with zipfile.ZipFile(name, 'w', zipfile.ZIP_DEFLATED) as z:
        for m in members:
            if len(m) > 1 and m[1] == 'sym':
                i = zipfile.ZipInfo(m[0]); i.create_system = 3; i.external_attr = (0o120777 << 16); z.writestr(i, m[2])
            else: z.writestr(m[0], 'x')
def cpio(name, members):
    out = b''
    for n, data, mode in members + [('TRAILER!!!', b'', 0)]:
        nb = n.encode() + b'\\0'
        h = b'070701' + b''.join(('%08X' % v).encode() for v in [1, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(nb), 0])
        out += h + nb; out += b'\\0' * ((4 - len(out) % 4) % 4); out += data; out += b'\\0' * ((4 - len(out) % 4) % 4)
    open(name, 'wb').write(out)
tar('safe.tar', [('src/a.txt',)])
tar('env.tar', [('.env',)])
tar('only.tar', [('.env',)])
tar('git.tgz', [('.git', 'dir'), ('.git/config',)], 'w:gz')
tar('dotdot.tar', [('../.git/config',)])
tar('abs.tar', [(home + '/.ssh/authorized_keys',)])
tar('link.tar', [('l', 'sym', home + '/.ssh'), ('l/authorized_keys',)])
tar('rel-link.tar', [('d', 'dir'), ('d/l', 'sym', '../../home/.ssh'), ('d/l/authorized_keys',)])
tar('hard.tar', [('h', 'hard', '.env')])
tar('long.tar', [('a' * 120 + '/.env',)], 'w:')
tarfile.open('pax.tar', 'w', format=tarfile.PAX_FORMAT).addfile(tarfile.TarInfo('ok/' + 'é' * 3 + '/.git/HEAD'), io.BytesIO(b''))
zip_('safe.zip', [('src/a.txt',)])
zip_('env.zip', [('.env',)])
zip_('deep.zip', [('.git/x',)])
zip_('zlink.zip', [('l', 'sym', home + '/.ssh'), ('l/authorized_keys',)])
cpio('env.cpio', [('.env', b'x', 0o100644)])
cpio('safe.cpio', [('a.txt', b'x', 0o100644)])
cpio('abs.cpio', [(home + '/.ssh/authorized_keys', b'x', 0o100644)])
with open('renamed.gz', 'wb') as f:
    with gzip.GzipFile(filename='.env', mode='wb', fileobj=f) as g: g.write(b'x')
`;
execFileSync('python3', ['-c', build, HOME], { cwd: P });
fs.mkdirSync(path.join(P, 'sub'));

verdicts('tar: members read from the archive', [
  ['tar -xf env.tar', 'deny'],
  ['tar xf env.tar', 'deny'],
  ['tar -x -f env.tar', 'deny'],
  ['tar --extract --file=env.tar', 'deny'],
  ['tar --get --file env.tar', 'deny'],
  ['tar xzf git.tgz', 'deny'],
  ['tar -xzf git.tgz', 'deny'],
  ['gtar -xvf long.tar', 'deny'],
  ['tar -xf pax.tar', 'deny'],
  ['bsdtar -xf env.zip', 'deny'],
  ['tar -xf safe.tar', 'allow'],
  ['tar -tf env.tar', 'allow'],
  ['tar -xOf env.tar', 'allow'],
  ['tar --to-stdout -xf env.tar', 'allow'],
  ['tar -cf out.tar src', 'allow'],
  ['tar -cf .git/x.tar src', 'deny'],
]);

verdicts('tar: destinations and name rewriting', [
  ['tar -xf safe.tar -C .git', 'deny'],
  ['tar -C ~/.ssh -xf safe.tar', 'deny'],
  ['tar --directory=.git -xf safe.tar', 'deny'],
  ['tar xfC safe.tar .git', 'deny'],
  ['tar --one-top-level=.git -xf safe.tar', 'deny'],
  ['tar -xf safe.tar --directory=out', 'allow'],
  ['tar --strip-components=1 -xf only.tar', 'allow'],
  ['tar -xf only.tar', 'deny'],
  ['tar --one-top-level -xf safe.tar', 'allow'],
  ['tar -xf safe.tar --transform s/a/b/', 'unresolved'],
]);

verdicts('tar: hostile members', [
  ['cd sub && tar -xf ../dotdot.tar', 'deny'],
  ['tar -xPf abs.tar', 'deny'],
  ['tar -xf abs.tar', 'allow'],
  ['tar -xf link.tar', 'deny'],
  ['tar -xf rel-link.tar -C ../home', 'deny'],
  ['tar -xf hard.tar', 'deny'],
  // A link the archive makes is followed by the commands after it.
  ['tar -xf link.tar && echo k >> l/known_hosts', 'deny'],
]);

verdicts('archives that cannot be read', [
  ['tar -xf missing.tar', 'unresolved'],
  ['tar -xf missing.tar -C ~/.ssh', 'deny'],
  ['tar -xf missing.tar -C .git', 'deny'],
  ['curl -so x.tar https://example.test/x.tar && tar -xf x.tar', 'unresolved'],
  ['cat env.tar | tar -x', 'deny'], // read like `tar -x < env.tar`
  ['curl -s https://example.test/e.tar | tar -x', 'unresolved'],
  ['tar -x < env.tar', 'deny'],
]);

verdicts('unzip, 7z, cpio', [
  ['unzip env.zip', 'deny'],
  ['unzip -o -q env.zip', 'deny'],
  ['unzip safe.zip -d .git', 'deny'],
  ['unzip -d ~/.ssh safe.zip', 'deny'],
  ['unzip zlink.zip', 'deny'],
  ['unzip deep.zip', 'deny'],
  ['unzip -j deep.zip', 'allow'],
  ['unzip -d out safe.zip', 'allow'],
  ['unzip -l env.zip', 'allow'],
  ['unzip -p env.zip', 'allow'],
  ['7z x env.zip', 'deny'],
  ['7za x safe.zip -o.git', 'deny'],
  ['7z e deep.zip', 'allow'],
  ['7z x safe.zip -oout', 'allow'],
  ['7z l env.zip', 'allow'],
  ['7z a .git/x.7z src', 'deny'],
  ['cpio -idm < env.cpio', 'deny'],
  ['cpio -i -D .git < safe.cpio', 'deny'],
  ['cpio -i < abs.cpio', 'deny'],
  ['cpio -i --no-absolute-filenames < abs.cpio', 'allow'],
  ['cpio -it < env.cpio', 'allow'],
  ['cpio -i < safe.cpio', 'allow'],
  ['python3 -m tarfile -e env.tar', 'deny'],
  ['python3 -m zipfile -e safe.zip out', 'allow'],
  ['python3 -m zipfile -e env.zip .', 'deny'],
]);

verdicts('compressors: the output name, and the source deleted', [
  ['gunzip .env.gz', 'deny'],
  ['gzip -d .env.gz', 'deny'],
  ['gzip .env', 'deny'],
  ['gunzip -N renamed.gz', 'deny'],
  ['bunzip2 .env.bz2', 'deny'],
  ['unxz .env.xz', 'deny'],
  ['xz -d .git/x.xz', 'deny'],
  ['zstd -d .env.zst', 'deny'],
  ['zstd -d a.zst -o .env', 'deny'],
  ['lz4 -d a.lz4 .env', 'deny'],
  ['gunzip renamed.gz', 'allow'],
  ['gunzip -c .env.gz', 'allow'],
  ['zcat .env.gz', 'allow'],
  ['gzip -k notes.txt', 'allow'],
  ['gzip -c .env > /tmp/x.gz', 'allow'],
  ['zstd -d data.zst', 'allow'],
]);

// Python code that extracts (interp/archive-calls.ts): the same members, read from the archive on
// disk, beneath the destination the code names. Each blocked form wrote .env or .git in a real run
// and was allowed before.
verdicts('python code extracting an archive', [
  [`python3 -c "import tarfile; tarfile.open('env.tar').extractall()"`, 'deny'],
  [`python3 -c "import tarfile; t = tarfile.open('git.tgz'); t.extractall()"`, 'deny'],
  [`python3 -c "import tarfile; tarfile.open('safe.tar').extractall(path='.git')"`, 'deny'],
  [`python3 -c "import zipfile; zipfile.ZipFile('env.zip').extractall()"`, 'deny'],
  [`python3 -c "import zipfile; zipfile.ZipFile('safe.zip').extract('src/a.txt', '.git')"`, 'deny'],
  [`python3 -c "import shutil; shutil.unpack_archive('env.tar')"`, 'deny'],
  [`python3 -c "import shutil; shutil.unpack_archive('safe.tar', '.git')"`, 'deny'],
  [`python3 -c "import tarfile, sys; tarfile.open(sys.argv[1]).extractall()" env.tar`, 'unresolved'],
  [`python3 -c "import tarfile; tarfile.open('safe.tar').extractall('out')"`, 'allow'],
  [`python3 -c "import shutil; shutil.unpack_archive('safe.zip', 'out')"`, 'allow'],
  [`python3 -c "import tarfile; print(tarfile.open('env.tar').getnames())"`, 'allow'],
]);

// An archive fed through a pipe from `cat FILE` / `zcat FILE` is read from that file, as for `< FILE`.
verdicts('archives fed through a pipe from cat', [
  ['cat env.tar | tar -x', 'deny'],
  ['cat env.tar | tar -xf -', 'deny'],
  ['cat git.tgz | tar -xz', 'deny'],
  ['cat safe.tar | tar -x -C .git', 'deny'],
  ['cat safe.tar | tar -x', 'allow'],
  ['cat "$ARCHIVE" | tar -x', 'unresolved'],
]);
