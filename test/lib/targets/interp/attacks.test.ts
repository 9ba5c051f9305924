// What a hostile repository can put where the guard reads code or archives: a FIFO (opening it
// would wait for a writer), a link to a device that never ends, a decompression bomb, an archive
// with more members than the bound. Each must answer at once, with the destination unresolved,
// never hang or flood the hook.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { P, verdicts } from './helpers.js';

execFileSync('mkfifo', [path.join(P, 'fifo.py'), path.join(P, 'fifo.tar'), path.join(P, 'fifo.sed')]);
fs.symlinkSync('/dev/zero', path.join(P, 'zero.py'));
fs.symlinkSync('/dev/zero', path.join(P, 'zero.tar'));
// 1 MiB of zeros compressed is a few KiB; 80 MiB is past the bound on what is inflated.
fs.writeFileSync(path.join(P, 'bomb.tgz'), zlib.gzipSync(Buffer.alloc(80 * 1024 * 1024)));
fs.writeFileSync(path.join(P, 'big.py'), `${'#'.repeat(300 * 1024)}\nopen('.env', 'w')\n`);
execFileSync('python3', ['-c', `
import io, tarfile
with tarfile.open('many.tar', 'w') as t:
    for k in range(10050):
        i = tarfile.TarInfo('f%d' % k); t.addfile(i, io.BytesIO(b''))
    i = tarfile.TarInfo('.env'); t.addfile(i, io.BytesIO(b''))
`], { cwd: P });

verdicts('hostile files where code or archives are read', [
  ['python3 fifo.py', 'unresolved'],
  ['python3 < fifo.py', 'unresolved'],
  ['python3 zero.py', 'unresolved'],
  ['sed -f fifo.sed x', 'unresolved'],
  ['tar -xf fifo.tar', 'unresolved'],
  ['tar -xf zero.tar', 'unresolved'],
  ['tar -xzf bomb.tgz', 'unresolved'],
  ['tar -xf bomb.tgz -C .git', 'deny'],
  // Past the size bound the script is unknown code: never read, never a partial answer.
  ['python3 big.py', 'unresolved'],
  // Past the entry bound: the members read so far, and the rest unresolved.
  ['tar -xf many.tar', 'unresolved'],
]);
