// Programs that run a command they are given (lib/targets/shell/command-runners.ts), and
// interpreters of languages the guard does not read (lib/targets/interp/load.ts UNREAD). Where the
// program is installed here, the command is first run by bash in a fresh copy of the fixture and
// must really write ~/.bashrc; the others are judged by the guard alone (the same rule covers them).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { bashReference, show, silent } from '../../../helpers/bash-reference.js';

const EVIL = 'echo x >> ~/.bashrc';
const ref = bashReference((project) => fs.writeFileSync(path.join(project, 'evil.sh'), `#!/bin/sh\n${EVIL}\n`, { mode: 0o755 }));
/**
 * Run for real only where that is safe and works in a container: `runuser` starts a login-like
 * environment with the real HOME (it would write the machine's own ~/.bashrc), `perf` needs kernel
 * counters. Those are judged by the guard alone.
 */
const NOT_RUN = new Set(['runuser', 'perf']);
const installed = (p: string): boolean => !NOT_RUN.has(p) && spawnSync('sh', ['-c', `command -v ${p}`]).status === 0;

const RUNNERS: [string, string][] = [
  // Wrappers the guard has no entry for: the command line from the first operand naming a program.
  ['taskset', `taskset 1 sh -c '${EVIL}'`],
  ['chrt', `chrt -o 0 sh -c '${EVIL}'`],
  ['prlimit', `prlimit --nofile=100 sh -c '${EVIL}'`],
  ['setpriv', `setpriv sh -c '${EVIL}'`],
  ['setarch', `setarch x86_64 sh -c '${EVIL}'`],
  ['linux64', `linux64 sh -c '${EVIL}'`],
  ['runuser', `runuser -u root -- sh -c '${EVIL}'`],
  ['sg', `sg root -c '${EVIL}'`],
  ['valgrind', `valgrind -q sh -c '${EVIL}'`],
  ['unshare', `unshare -r sh -c '${EVIL}'`],
  ['perf', `perf stat -q sh -c '${EVIL}' 2>/dev/null`],
  // Programs the guard knows whose option or operand is a command.
  ['chroot', `chroot / sh -c '${EVIL}'`],
  ['strace', `strace -f -o /dev/null sh -c '${EVIL}'`],
  ['strace', `strace -o '|sh -c "${EVIL}"' true`],
  ['zip', `echo a > a.txt; zip -q x.zip a.txt -T -TT 'sh -c "${EVIL}"'`],
  ['gdb', `gdb -q -batch -ex '!${EVIL}'`],
  ['tclsh', `tclsh <<< 'exec sh -c "${EVIL}"'`],
  // Not installed here: judged by the guard alone.
  ['hyperfine', `hyperfine --runs 1 '${EVIL}'`],
  ['socat', `socat - EXEC:'sh -c "${EVIL}"'`],
  ['socat', `socat - SYSTEM:'${EVIL}'`],
  ['rsync', `rsync -e 'sh -c "${EVIL}"' a b:c`],
  ['nodemon', `nodemon --exec 'sh -c "${EVIL}"'`],
  ['concurrently', `concurrently '${EVIL}'`],
  ['faketime', `faketime '2020-01-01' sh -c '${EVIL}'`],
  ['scp', 'scp -S ./evil.sh a b:c'],
  ['lua', `lua -e 'os.execute("${EVIL}")'`],
  ['expect', `expect -c 'exec sh -c "${EVIL}"'`],
  ['Rscript', `Rscript -e 'system("${EVIL}")'`],
  ['emacs', `emacs --batch --eval '(shell-command "${EVIL}")'`],
  ['fish', `fish -c '${EVIL}'`],
  ['a wrapper never heard of', `frobwrap --level 3 sh -c '${EVIL}'`],
  ['shell text in an option of a program never heard of', `frobwatch --run='${EVIL}'`],
];

describe('a command run by a program that runs commands is walked', () => {
  ref.notSilent(RUNNERS.filter(([p]) => installed(p)).map(([, c]) => c));
  for (const [p, cmd] of RUNNERS.filter(([q]) => !installed(q))) {
    it(`${cmd} (${p} not run here: the guard alone)`, () => {
      const v = ref.gp.check(cmd);
      assert.ok(!silent(v), show(v));
    });
  }
});

describe('variables the command sets that programs run as code (env-files.ts envCode)', () => {
  ref.notSilent([
    `env 'BASH_FUNC_ls%%=() { ${EVIL}; }' bash -c ls`,
    'SHELL=./evil.sh script -qc true /dev/null',
  ]);
  for (const cmd of [`PAGER='sh -c "${EVIL}"' man ls`, `BROWSER='sh -c "${EVIL}"' xdg-open x`, `export EDITOR='sh -c "${EVIL}"'; crontab -e`,
    'LD_PRELOAD=./lib.so ls', 'enable -f ./lib.so x']) {
    it(`${cmd} (the guard alone)`, () => {
      const v = ref.gp.check(cmd);
      assert.ok(!silent(v), show(v));
    });
  }
});

describe('a configuration the command points a program at (fetchers.ts, env-files.ts)', () => {
  for (const cmd of ["printf 'output = ~/.bashrc\\n' > c; curl -K c http://127.0.0.1:9/", 'CURL_HOME=. curl http://127.0.0.1:9/',
    "wget -e 'output_document = ~/.bashrc' http://127.0.0.1:9/", 'WGETRC=./w wget http://127.0.0.1:9/', "PSQLRC=./p psql -c 'select 1'"]) {
    it(`${cmd} (the guard alone: no network here)`, () => {
      const v = ref.gp.check(cmd);
      assert.ok(!silent(v), show(v));
    });
  }
});

describe('a folder a known command writes files into with names it chooses (the `dir` effect)', () => {
  for (const cmd of ['pip install --target ~ x', 'pip download -d ~ x', 'aria2c -d ~ -o .bashrc http://127.0.0.1:9/', 'unrar x a.rar ~/',
    'helm template x --output-dir ~']) {
    it(cmd, () => {
      const v = ref.gp.check(cmd);
      assert.ok(!silent(v), show(v));
      assert.equal(v.decision, 'deny', show(v));
    });
  }
});

describe('ordinary use of these programs stays silent', () => {
  for (const cmd of ['taskset -c 0 ls', 'perf stat ls', 'strace -f -o trace.txt ls', 'gdb -batch -ex run --args ./a.out',
    'valgrind --leak-check=full ls', 'frobtool build --out dist', 'frobtool "hello world"', 'lua -v', 'R --version',
    'emacs notes.txt', 'ssh host "echo x >> ~/.bashrc"', 'docker run img sh -c "echo x >> ~/.bashrc"',
    'kubectl exec pod -- sh -c "echo x >> ~/.bashrc"', 'vagrant ssh -c "echo x >> ~/.bashrc"', 'hyperfine "ls -la"',
    'EDITOR=vim git commit', 'PAGER=less man ls', 'SHELL=/bin/bash script -qc ls /dev/null', 'parallel gzip ::: a.log',
    'parallel --dry-run rm -rf ::: /srv/old', 'chroot /tmp/jail ls', 'mytool --message "rm -rf /"',
    'asdf install nodejs 20', 'update-alternatives --set python /usr/bin/python3', 'apt-get install -y lua5.4 tclsh', 'brew install git curl',
    'pip install --target ./vendor requests', 'pip download -d ./wheels requests', 'cargo install --root ./tools ripgrep',
    'npm pack --pack-destination ./dist', 'dotnet publish -o ./out', 'helm template chart --output-dir ./rendered',
    'curl -sSL https://example.com -o out.html', 'wget -q https://example.com/x.tar.gz', "wget -e 'robots = off' https://example.com/"]) {
    it(cmd, () => {
      const v = ref.gp.check(cmd);
      assert.ok(silent(v), show(v));
    });
  }
});
