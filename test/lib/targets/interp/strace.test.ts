// Differential test against the real programs: each interpreter one-liner and archive command
// really runs under `strace -f` in a fresh copy of a fixture project (its own HOME), every path
// opened for writing, created, truncated, unlinked, renamed or linked is collected, and each
// protected one (protected as the guard's own rules say, asked through a Write of that path) must
// be covered by the guard's targets for the command: the same path, a folder the target reaches
// beneath, or an unresolved target in a folder above it. Precision is reported: how many of the
// guard's targets the run did not touch. Commands whose program is not installed are skipped.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { evaluate } from '../../../../lib/index.js';
import { claudePayload } from '../../../helpers/hook.js';
import { UNRESOLVED_SEGMENT as U, type Target } from '../../../../lib/types.js';

const hasStrace = spawnSync('strace', ['-V']).status === 0;
const have = (p: string): boolean => spawnSync('sh', ['-c', `command -v ${p}`]).status === 0;

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-oracle-')));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const template = path.join(root, 'template');

/** The fixture: a project holding protected files and archives, and a home with ~/.ssh. */
function makeTemplate(): void {
  const proj = path.join(template, 'proj');
  const home = path.join(template, 'home');
  for (const d of ['proj/.git', 'proj/src', 'proj/sub', 'home/.ssh']) fs.mkdirSync(path.join(template, d), { recursive: true });
  const files: Record<string, string> = {
    'proj/.env': 'SECRET=1\n', 'proj/.git/config': '[core]\n', 'proj/.git/HEAD': 'ref: refs/heads/main\n', 'proj/src/a.txt': 'a\n',
    'proj/x': 'a\nb\n', 'home/.ssh/authorized_keys': 'k\n', 'home/.bashrc': '# rc\n',
    // Scripts an earlier call left in the project, run through source, stdin, make and npm.
    'proj/tools/w.sh': 'rm -f .env\n', 'proj/tools/ok.sh': 'echo hi > out.txt\n',
    'proj/Makefile': 'F = .env\nall: out.txt\nout.txt:\n\techo hi > $@\nclean:\n\t$(RM) $(F)\n',
    'proj/package.json': JSON.stringify({ name: 'p', version: '1.0.0', scripts: { wipe: 'rm -f .git/config', pretest: 'sh tools/w.sh', test: 'true', ok: 'echo ok > out.txt' } }),
  };
  fs.mkdirSync(path.join(template, 'proj/tools'), { recursive: true });
  for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(template, f), text);
  execFileSync('python3', ['-c', `
import io, tarfile, zipfile, gzip, sys
home = sys.argv[1]
def tar(name, members):
    with tarfile.open(name, 'w') as t:
        for m in members:
            i = tarfile.TarInfo(m[0])
            if len(m) > 1: i.type = tarfile.SYMTYPE; i.linkname = m[1]; t.addfile(i)
            else: i.size = 1; t.addfile(i, io.BytesIO(b'x'))
tar('env.tar', [('.env',)])
tar('safe.tar', [('src/b.txt',)])
tar('link.tar', [('l', home + '/.ssh'), ('l/authorized_keys',)])
tar('git.tar', [('.git/config',)])
with zipfile.ZipFile('env.zip', 'w') as z: z.writestr('.env', 'x')
with zipfile.ZipFile('safe.zip', 'w') as z: z.writestr('src/c.txt', 'x')
with open('renamed.gz', 'wb') as f:
    with gzip.GzipFile(filename='.env', mode='wb', fileobj=f) as g: g.write(b'x')
open('data.gz', 'wb').write(gzip.compress(b'x'))
open('.env.gz', 'wb').write(gzip.compress(b'x'))
`, home], { cwd: proj });
}

/** Interpreter one-liners: a grammar of language x operation x target, plus forms of its own. */
function commands(): { cmd: string; needs: string }[] {
  const out: { cmd: string; needs: string }[] = [];
  // The whole grammar with HW_ORACLE_ALL=1; by default one protected and one ordinary target.
  const rel = process.env.HW_ORACLE_ALL ? ['.env', '.git/config', 'out.txt', 'src/a.txt'] : ['.env', 'out.txt'];
  for (const t of rel) {
    out.push(
      { cmd: `python3 -c "open('${t}', 'w').write('x')"`, needs: 'python3' },
      { cmd: `python3 -c "open('${t}', 'a')"`, needs: 'python3' },
      { cmd: `python3 -c "import os; os.remove('${t}')"`, needs: 'python3' },
      { cmd: `python3 -c "import pathlib; pathlib.Path('${t}').write_text('x')"`, needs: 'python3' },
      { cmd: `python3 -c "print(open('${t}').read())"`, needs: 'python3' },
      { cmd: `node -e "require('fs').writeFileSync('${t}', 'x')"`, needs: 'node' },
      { cmd: `node -e "require('fs').unlinkSync('${t}')"`, needs: 'node' },
      { cmd: `node -e "console.log(require('fs').readFileSync('${t}', 'utf8'))"`, needs: 'node' },
      { cmd: `perl -e 'open(my $f, ">", "${t}") or die'`, needs: 'perl' },
      { cmd: `perl -e 'unlink "${t}"'`, needs: 'perl' },
      { cmd: `perl -e 'open(F, "<", "${t}"); print <F>'`, needs: 'perl' },
      { cmd: `awk 'BEGIN { print "x" > "${t}" }'`, needs: 'awk' },
      { cmd: `sed -n 'w ${t}' x`, needs: 'sed' },
      { cmd: `sed 's/a/b/w ${t}' x`, needs: 'sed' },
      { cmd: `sed -i 's/a/b/' ${t}`, needs: 'sed' },
      { cmd: `vim -u NONE -i NONE -n -es -c 'w! ${t}' -c 'q!' x`, needs: 'vim' },
      { cmd: `printf 'w ${t}\\nq\\n' > ed.in && ed -s x < ed.in`, needs: 'ed' },
      { cmd: `ed -s x <<'EOF'\nw ${t}\nq\nEOF`, needs: 'ed' },
      { cmd: `sqlite3 db.sqlite '.output ${t}' 'select 1;'`, needs: 'sqlite3' },
      { cmd: `sqlite3 db.sqlite "ATTACH '${t}' AS y; CREATE TABLE y.t(a);"`, needs: 'sqlite3' },
      { cmd: `ruby -e 'File.write("${t}", "x")'`, needs: 'ruby' },
      { cmd: `php -r 'file_put_contents("${t}", "x");'`, needs: 'php' },
      // Names the code computes from the literal (string-ops.ts) and gets from a glob (listings.ts).
      { cmd: `python3 -c "import os; os.remove('${t.toUpperCase()}'.lower())"`, needs: 'python3' },
      { cmd: `python3 -c "import os; os.remove('${[...t].reverse().join('')}'[::-1])"`, needs: 'python3' },
      { cmd: `python3 -c "import os; os.remove('{}'.format('${t}'))"`, needs: 'python3' },
      { cmd: `node -e "require('fs').unlinkSync(['${t.slice(0, 2)}', '${t.slice(2)}'].join(''))"`, needs: 'node' },
      { cmd: `python3 -c "import glob, os; [os.remove(f) for f in glob.glob('${t.slice(0, 2)}*')]"`, needs: 'python3' },
      { cmd: `perl -e 'unlink glob "${t.slice(0, 2)}*"'`, needs: 'perl' },
    );
  }
  const homeForms = [
    `python3 -c "import os; open(os.path.join(os.environ['HOME'], '.ssh', 'authorized_keys'), 'a').write('k')"`,
    `python3 -c "import os; open(os.path.expanduser('~/.ssh/authorized_keys'), 'a')"`,
    `python3 -c "from pathlib import Path; (Path.home() / '.ssh' / 'authorized_keys').write_text('k')"`,
    `python3 -c "import os; home = os.environ['HOME']; open(f'{home}/.bashrc', 'a')"`,
    `python3 - <<'EOF'\nimport os\nos.remove(os.path.join(os.path.expanduser('~'), '.bashrc'))\nEOF`,
    `echo "open('.env', 'w')" | python3 -`,
    `python3 <<< "open('.git/HEAD', 'w')"`,
    `node -e "const fs = require('fs'), os = require('os'), path = require('path'); fs.appendFileSync(path.join(os.homedir(), '.ssh', 'authorized_keys'), 'k')"`,
    'node -e \'require("fs").writeFileSync(`${require("os").homedir()}/.bashrc`, "x")\'',
    `node -e "require('child_process').execSync('rm -f .env')"`,
    `perl -e 'open(F, ">>$ENV{HOME}/.ssh/authorized_keys") or die'`,
    `perl -e 'system("rm", "-f", ".env")'`,
    `python3 -c "import subprocess; subprocess.run(['rm', '-rf', '.git'])"`,
    `python3 -c "import os; os.system('rm -f .git/config')"`,
    `awk 'BEGIN { system("rm -f .env") }'`,
    `sed '1e rm -f .env' x`,
    `vim -u NONE -i NONE -n -es -c '%d' -c 'wq' .env`,
    `sqlite3 db.sqlite '.shell rm -f .env'`,
    // Archives.
    `python3 -c "import tarfile; tarfile.open('env.tar').extractall()"`, `python3 -c "import shutil; shutil.unpack_archive('safe.tar', '.git')"`,
    `python3 -c "import zipfile; zipfile.ZipFile('env.zip').extractall()"`,
    'tar -xf env.tar', 'tar xf safe.tar', 'tar -xf safe.tar -C .git', 'tar -xf link.tar', 'tar -xf git.tar',
    'tar --strip-components=1 -xf env.tar', 'tar -xf safe.tar -C sub', 'unzip -q -o env.zip', 'unzip -q safe.zip -d .git',
    'unzip -q -o safe.zip', 'gunzip .env.gz', 'gunzip -N -f renamed.gz', 'gunzip data.gz', 'gzip .env', 'gzip -k src/a.txt',
    'python3 -m zipfile -e env.zip .', 'python3 -m tarfile -e git.tar', 'python3 -m zipfile -e safe.zip out',
    // Scripts on disk: sourced, fed on stdin, Makefile recipes, package.json scripts.
    'source tools/w.sh', '. ./tools/ok.sh', 'bash < tools/w.sh', 'cat tools/w.sh | sh', 'cat tools/ok.sh | bash',
    'make -s clean', 'make -s', 'npm run --silent wipe', 'npm test --silent', 'npm run --silent ok',
    `perl -e 'system "rm -f .env"'`, `script -qc 'rm -f .env' /dev/null`,
    // Red team 3: copies into a folder, pipe opens, aliased runners, make's SHELL, split's prefix.
    `python3 -c "import shutil, os; shutil.copy('x', os.path.join(os.path.expanduser('~'), '.ssh'))"`,
    `python3 -c "import shutil, os; shutil.copytree('src', os.path.expanduser('~/.ssh'), dirs_exist_ok=True)"`,
    `node -e "require('fs').cpSync('src', require('os').homedir() + '/.ssh', {recursive: true})"`,
    `perl -e 'open(F, "|rm -f .env"); close F'`,
    `perl -e 'open(my $f, "-|", "rm", "-f", ".env"); close $f'`,
    `node -e "const {execSync: e} = require('child_process'); e('rm -f .env')"`,
    `printf '.SHELLFLAGS = tools/w.sh\na: ; @true\n' > mk2; make -s -f mk2 a`,
    'split -b 1 x .git/', 'csplit -s -f .git/p x 2',
  ];
  const needs = (cmd: string): string => {
    const first = /^([\w.]+)/.exec(cmd)![1]!;
    return first === 'echo' ? 'python3' : first === 'source' || first === '.' || first === 'cat' ? 'bash' : first === 'printf' ? 'make' : first;
  };
  for (const cmd of homeForms) out.push({ cmd, needs: needs(cmd) });
  return out;
}

const FILE_CALLS = 'open,openat,creat,truncate,unlink,unlinkat,rename,renameat,renameat2,link,linkat,symlink,symlinkat,mkdir,mkdirat,rmdir';

/** Paths the traced run wrote, created, removed or renamed (successful calls only), absolute. */
function written(log: string, cwd: string): Set<string> {
  const out = new Set<string>();
  for (const line of log.split('\n')) {
    const m = /^(?:\d+\s+)?(\w+)\((.*)\)\s+=\s+(-?\d+)(?:<([^>]*)>)?/.exec(line);
    if (!m || Number(m[3]) < 0) continue;
    const [, call, args, , fdPath] = m;
    if (call!.startsWith('open') || call === 'creat') {
      if (call !== 'creat' && !/O_WRONLY|O_RDWR|O_CREAT|O_TRUNC/.test(args!)) continue;
      if (fdPath) out.add(fdPath);
      continue;
    }
    // Each path argument, relative to the descriptor before it (AT_FDCWD</dir>) or the cwd.
    const re = /(?:\w+<([^>]*)>,\s*)?"((?:[^"\\]|\\.)*)"/g;
    for (const a of args!.matchAll(re)) {
      const p = a[2]!.replace(/\\(.)/g, '$1');
      out.add(path.resolve(a[1] ?? cwd, p));
      if (call === 'symlink' || call === 'symlinkat') break; // the first is the link's text
    }
  }
  return out;
}

function covered(p: string, targets: Target[]): boolean {
  return targets.some((t) => {
    if (t.op === 'read') return false;
    if (t.path === p) return true;
    const dir = t.path.endsWith('/') ? t.path : `${t.path}/`;
    if (p.startsWith(dir) && (t.beneath || t.op === 'delete' || t.op === 'move-from' || t.op === 'move-to')) return true;
    // An unresolved target: its known folder covers whatever lands beneath it.
    const known = t.path.includes('<unresolved>') ? t.path.slice(0, t.path.indexOf('<unresolved>')) : t.path.includes(U) ? t.path.slice(0, t.path.indexOf(U)) : undefined;
    return known !== undefined && p.startsWith(known);
  });
}

describe('interpreters and archives under strace: every protected path written was predicted', { skip: !hasStrace && 'strace not installed' }, () => {
  if (!hasStrace) return;
  makeTemplate();
  const all = commands();
  const stats = { runs: 0, skipped: 0, protectedWrites: 0, targets: 0, untouched: 0 };
  let n = 0;
  for (const { cmd, needs } of all) {
    const k = n++;
    it(cmd, { skip: !have(needs) && `${needs} not installed` }, () => {
      const dir = path.join(root, `run-${k}`);
      fs.cpSync(template, dir, { recursive: true, verbatimSymlinks: true });
      const proj = path.join(dir, 'proj');
      const home = path.join(dir, 'home');
      const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_CONFIG_HOME: path.join(dir, 'cfg'), XDG_STATE_HOME: path.join(dir, 'state') };
      const ev = evaluate(claudePayload(proj, 'Bash', { command: cmd }), { env, home });
      assert.equal(ev.error, undefined, ev.error);
      const log = path.join(dir, 'trace');
      spawnSync('strace', ['-f', '-qq', '-y', '-s', '4096', '-e', `trace=${FILE_CALLS}`, '-o', log, 'bash', '-c', cmd], {
        cwd: proj, env, stdio: ['ignore', 'ignore', 'ignore'], timeout: 20_000,
      });
      const touched = [...written(fs.readFileSync(log, 'utf8'), proj)].filter((p) => p.startsWith(dir) && !p.startsWith(log));
      const isProtected = (p: string): boolean => evaluate(claudePayload(proj, 'Write', { file_path: p, content: '' }), { env, home }).verdict.decision === 'deny';
      const prot = touched.filter(isProtected);
      const missed = prot.filter((p) => !covered(p, ev.verdict.targets));
      stats.runs++;
      stats.protectedWrites += prot.length;
      const targets = ev.verdict.targets.filter((t) => t.op !== 'read');
      stats.targets += targets.length;
      stats.untouched += targets.filter((t) => !touched.some((p) => p === t.path || p.startsWith(`${t.path}/`))).length;
      // Sound: a protected path really written is a target, or the call is blocked anyway (sed -i's
      // temporary file beside .git/config, the folders tar makes on the way to a blocked member).
      const shown = JSON.stringify(ev.verdict.targets.map((t) => `${t.op} ${t.path}`));
      if (ev.verdict.decision !== 'deny') assert.deepEqual(missed, [], `written but not predicted; targets: ${shown}`);
      // Predicted by a target whose path is known: blocked. Only an unresolved target may leave it to the `unresolved` setting.
      const known = prot.filter((p) => covered(p, ev.verdict.targets.filter((t) => !t.unresolved)));
      if (known.length > 0) assert.equal(ev.verdict.decision, 'deny', `${known.join(', ')} written; ${ev.verdict.reason ?? ''} ${shown}`);
    });
  }
  after(() => {
    // Precision, for the report: targets the guard named that the real run did not touch.
    if (process.env.HW_ORACLE_REPORT) {
      process.stderr.write(`interp oracle: ${stats.runs} runs, ${stats.protectedWrites} protected writes, `
        + `${stats.untouched}/${stats.targets} guard targets untouched\n`);
    }
  });
});
