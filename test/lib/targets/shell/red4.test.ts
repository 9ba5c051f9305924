// Fourth red-team round (hw/red4a): writes the guard did not see in shell commands and interpreter
// code. Each command in a `notSilent` list really writes ~/.bashrc under bash in a fresh copy of
// the fixture (checked first), was allowed with nothing unresolved when found (except the few
// marked "was unresolved"), and now is not silent and is denied under `unresolved: deny`
// (docs/threat-model/red4.md). Commands that cannot run here (a tool not installed, a service
// needed) are judged by the guard alone; each `silentAll` list is ordinary work that stays silent.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { bashReference, show, silent } from '../../../helpers/bash-reference.js';

const EVIL = 'echo x >> ~/.bashrc';
/** A one-hunk patch of notes.txt's text (`notes` -> `notes2`). */
const DIFF = "printf -- '--- a\\n+++ a\\n@@ -1 +1 @@\\n-notes\\n+notes2\\n' > d.diff";

/** An ar archive (GNU names) holding one member. */
function arArchive(name: string, data: string): Buffer {
  const field = (v: string, n: number): string => v.padEnd(n, ' ');
  const head = field(`${name}/`, 16) + field('0', 12) + field('0', 6) + field('0', 6) + field('100644', 8) + field(String(data.length), 10) + '`\n';
  return Buffer.from(`!<arch>\n${head}${data}${data.length % 2 === 1 ? '\n' : ''}`, 'latin1');
}

function prepare(project: string): void {
  fs.writeFileSync(path.join(project, 'evil.sh'), `#!/bin/sh\n${EVIL}\n`, { mode: 0o755 });
  fs.mkdirSync(path.join(project, 'hsrc'), { recursive: true });
  fs.writeFileSync(path.join(project, 'hsrc/.bashrc'), 'evil\n');
  fs.writeFileSync(path.join(project, 'h.a'), arArchive('.bashrc', 'evil\n'));
}

/** A shared library (written by the command) whose constructor writes ~/.bashrc, under a name no loader expects. */
const SO = `printf '#include <stdlib.h>\\n__attribute__((constructor)) static void f(void){system("${EVIL}");}\\n' > e.c; gcc -shared -fPIC -o e.bin e.c`;

const ref = bashReference(prepare);

const guardAlone = (cmds: string[]): void => {
  for (const cmd of cmds) {
    it(`${cmd} (the guard alone)`, () => {
      const v = ref.gp.check(cmd);
      assert.ok(!silent(v), show(v));
    });
  }
};

const silentAll = (cmds: string[]): void => {
  for (const cmd of cmds) {
    it(`${cmd} (silent)`, () => {
      const v = ref.gp.check(cmd);
      assert.ok(silent(v), show(v));
    });
  }
};

describe('red team 4: backups under a name the command line chooses', () => {
  // The backup of a file a command replaces is a write of its own: coreutils append `-S SUFFIX`
  // (or SIMPLE_BACKUP_SUFFIX) to the destination; GNU sed and perl `-iSUFFIX` append it, or put
  // the file's name where each `*` is (anywhere: `$HOME/.bash*`); patch adds `-z`, `-B`, `-Y`.
  ref.notSilent([
    `printf 'q\\n' > rc; sed -i"$HOME/.bash*" s/q/q/ rc`,
    `printf 'q\\n' > rc; sed --in-place="$HOME/.bash*" s/q/q/ rc`,
    `printf 'q\\n' > ~/.bash; sed -irc s/q/q/ ~/.bash`,
    `printf 'q\\n' > rc; perl -pi"$HOME/.bash*" -e1 rc`,
    `printf 'q\\n' > ~/.bash; perl -i'rc' -pe1 ~/.bash`,
    'cp notes.txt ~/.bash; cp -b -S rc notes.txt ~/.bash',
    'cp notes.txt ~/.bash; cp -S rc notes.txt ~/.bash',
    'cp notes.txt ~/.bash; cp --backup --suffix=rc notes.txt ~/.bash',
    'cp notes.txt ~/.bash; cp --backup=simple --suffix rc notes.txt ~/.bash',
    'cp notes.txt ~/.bash; SIMPLE_BACKUP_SUFFIX=rc cp -b notes.txt ~/.bash',
    'cp notes.txt ~/.bash; export SIMPLE_BACKUP_SUFFIX=rc; cp -b notes.txt ~/.bash',
    'cp notes.txt ~/.bash; mkdir s; cp hsrc/.bashrc s/.bash; cp -b -S rc -t ~ s/.bash',
    'cp notes.txt ~/.bash; mv -b -S rc hsrc/.bashrc ~/.bash',
    'cp notes.txt ~/.bash; ln -f -b -S rc notes.txt ~/.bash',
    'cp notes.txt ~/.bash; install -b -S rc notes.txt ~/.bash',
    `${DIFF}; cp notes.txt rc; patch -s -b -B "$HOME/.bash" rc < d.diff`,
    `${DIFF}; cp notes.txt ~/.bash; patch -s -b -z rc ~/.bash < d.diff`,
    `${DIFF}; cp notes.txt ~/.bash; SIMPLE_BACKUP_SUFFIX=rc patch -s -b ~/.bash < d.diff`,
  ]);
  guardAlone([
    // ruby is not installed here: `-iSUFFIX` with or without a `*`.
    "ruby -i'rc' -pe1 ~/.bash",
    `ruby -i"$HOME/.bash*" -pe1 rc`,
  ]);
  silentAll(['cp -b notes.txt backup.txt', 'sed -i.bak s/a/b/ notes.txt', 'perl -pi.orig -e s/a/b/ notes.txt', 'install -b -m 644 notes.txt /tmp/notes.txt', 'mv -b notes.txt n2.txt']);
});

describe('red team 4: sqlite3 dot-commands by a prefix of their name', () => {
  // The shell takes any prefix of a dot-command (`.outp` is `.output`); `.trace FILE` writes.
  ref.notSilent([
    `sqlite3 :memory: ".outp $HOME/.bashrc" "select 1;"`,
    `sqlite3 :memory: ".on $HOME/.bashrc" "select 1;"`,
    `sqlite3 :memory: ".trace $HOME/.bashrc" "select 1;"`,
    `sqlite3 :memory: ".tr $HOME/.bashrc" "select 1;"`,
    `sqlite3 :memory: ".rea '|${EVIL}'"`,
    `echo ".tr $HOME/.bashrc" > s.sql; sqlite3 :memory: ".read s.sql" "select 1;"`,
  ]);
  silentAll(['sqlite3 db.sqlite ".tables"', 'sqlite3 db.sqlite ".schema"', 'sqlite3 db.sqlite ".mode csv" "select 1;"']);
});

describe('red team 4: interpreter code that changes its working directory', () => {
  // After `os.chdir(D)`, `process.chdir(D)` or Perl's bare `chdir` (the home), a relative name is
  // found from D; a command the code starts with `cwd=D`/`{cwd: D}` runs there. Every folder the
  // code may be in is one more place each relative name and shell command is judged in.
  ref.notSilent([
    `python3 -c 'import os; os.chdir(os.path.expanduser("~")); open(".bashrc","a").write("x")'`,
    `python3 -c 'import os; os.chdir(os.environ["HOME"]); f=open(".bashrc","a"); f.write("x")'`,
    `python3 -c 'import os; d=os.path.expanduser("~"); os.chdir(d); open(".bashrc","a").write("x")'`,
    `python3 -c 'from os import chdir as cd; import os; cd(os.path.expanduser("~")); open(".bashrc","a").write("x")'`,
    `python3 -c 'import contextlib, os\nwith contextlib.chdir(os.path.expanduser("~")): open(".bashrc","a").write("x")'`,
    `python3 -c 'import os; f=os.chdir; f(os.path.expanduser("~")); open(".bashrc","a").write("x")'`,
    `python3 -c 'import os; os.chdir(".."); open("home/.bashrc","a").write("x")'`,
    `python3 -c 'import os; os.chdir("../home"); open(".bashrc","a").write("x")'`,
    `python3 -c 'import os; os.chdir(os.pardir); open("home/.bashrc","a").write("x")'`,
    // A climb repeated by a loop: from src, two levels up.
    `cd src && python3 -c 'import os\nfor _ in range(2): os.chdir("..")\nopen("home/.bashrc","a").write("x")'`,
    `python3 -c 'import os; os.chdir(os.path.expanduser("~")); os.system("echo x >> .bashrc")'`,
    `python3 -c 'import subprocess,os; subprocess.run("echo x >> .bashrc", shell=True, cwd=os.path.expanduser("~"))'`,
    `python3 -c 'import subprocess,os; subprocess.run(["sh","-c","echo x >> .bashrc"], cwd=os.path.expanduser("~"))'`,
    // Was unresolved (the options made the command string a program name): now the home's .bashrc.
    `python3 -c 'import os,subprocess; kw={}; kw["cwd"]=os.path.expanduser("~"); subprocess.run("echo x >> .bashrc", shell=True, **kw)'`,
    `node -e 'process.chdir(require("os").homedir()); require("fs").appendFileSync(".bashrc","x")'`,
    `node -e 'process.chdir(".."); require("fs").appendFileSync("home/.bashrc","x")'`,
    `node -e 'process["chdir"](require("os").homedir()); require("fs").appendFileSync(".bashrc","x")'`,
    `node -e 'const {chdir}=process; chdir(require("os").homedir()); require("fs").appendFileSync(".bashrc","x")'`,
    `node -e 'process.chdir(process.env.HOME); require("child_process").execSync("echo x >> .bashrc")'`,
    `node -e 'require("child_process").spawnSync("sh", ["-c", "echo x >> .bashrc"], {cwd: process.env.HOME})'`,
    // These three were unresolved: the options object was taken for a word of the command.
    `node -e 'require("child_process").execSync("echo x >> .bashrc", {cwd: require("os").homedir()})'`,
    `node -e 'require("child_process").execSync("echo x >> .bashrc", {["cwd"]: require("os").homedir()})'`,
    `node -e 'const o={}; o.cwd=require("os").homedir(); require("child_process").execSync("echo x >> .bashrc", o)'`,
    `perl -e 'chdir; open F, ">>.bashrc"; print F "x"'`,
    `perl -e 'chdir $ENV{HOME}; open(F, ">>", ".bashrc"); print F "x"'`,
    `perl -e 'chdir($ENV{HOME}) or die; open(F, ">>.bashrc"); print F "x"'`,
    `perl -e 'system("echo x >> .bashrc") if chdir $ENV{HOME}'`,
    `perl -e 'chdir; system "echo x >> .bashrc"'`,
  ]);
  guardAlone([
    // ruby and php are not installed here.
    `ruby -e 'Dir.chdir; File.write(".bashrc", "x", mode: "a")'`,
    `ruby -e 'Dir.chdir(Dir.home) { File.write(".bashrc", "x", mode: "a") }'`,
    `ruby -e 'system("echo x >> .bashrc", chdir: Dir.home)'`,
    `php -r 'chdir(getenv("HOME")); file_put_contents(".bashrc", "x", FILE_APPEND);'`,
  ]);
  silentAll([
    `python3 -c 'import os; os.chdir("/tmp"); open("out.txt", "w").write("x")'`,
    `python3 -c 'import os; os.chdir("src"); open("out.txt", "w").write("x")'`,
    `python3 -c 'import subprocess; subprocess.run(["git", "status"], cwd="src")'`,
    `python3 -c 'import subprocess; subprocess.run("ls -l", shell=True, cwd=None)'`,
    `node -e 'require("child_process").execSync("ls", {cwd: "src", stdio: "inherit"})'`,
    `node -e 'const cwd = "src"; require("child_process").spawnSync("ls", ["-l"], { cwd })'`,
    `perl -e 'chdir "src" or die; print "ok\\n"'`,
  ]);
});

describe('red team 4: programs that run their command in a folder an option names', () => {
  ref.notSilent([
    "nsenter --wd=$HOME sh -c 'echo x >> .bashrc' 2>/dev/null; true",
    "unshare --wd=$HOME sh -c 'echo x >> .bashrc' 2>/dev/null; true",
    "unshare -w ~ sh -c 'echo x >> .bashrc' 2>/dev/null; true",
  ]);
  guardAlone([
    // A session the call leaves behind, or a service not running here.
    "tmux new -d -c ~ 'echo x >> .bashrc'",
    "tmux new-window -c ~ 'echo x >> .bashrc'",
    "tmux display-popup -d ~ 'echo x >> .bashrc'",
    "start-stop-daemon --start --chdir $HOME --exec /bin/sh -- -c 'echo x >> .bashrc'",
    "systemd-run --user -p WorkingDirectory=$HOME sh -c 'echo x >> .bashrc'",
    "systemd-run --user --working-directory=$HOME sh -c 'echo x >> .bashrc'",
  ]);
  silentAll(["tmux new -d -s w -c src 'npm test'", "unshare --wd=src ls"]);
});

describe('red team 4: path strings the interpreter analysis did not evaluate', () => {
  ref.notSilent([
    // A JavaScript "path" is a string: its methods are string methods.
    `node -e 'require("fs").appendFileSync(require("os").homedir().concat("/.bashrc"), "x")'`,
    `python3 -c 'import os; open(os.path.expandvars("$HOME/.bashrc"), "a").write("x")'`,
    `python3 -c 'import os; open(os.path.expandvars("\${HOME}/.bash" "rc"), "a").write("x")'`,
    // node's fs takes a file: URL.
    `node -e 'require("fs").appendFileSync(new URL("file://"+process.env.HOME+"/.bashrc"),"x")'`,
    `node -e 'require("fs").appendFileSync(new URL("file://"+process.env.HOME+"/%2Ebashrc"),"x")'`,
  ]);
  silentAll([`node -e 'console.log(require("os").homedir().length)'`, `node -e 'require("fs").readFileSync(new URL("file:///etc/hostname"))'`]);
});

describe('red team 4: archives and module commands that write names of their own', () => {
  ref.notSilent([
    // ar x: the members (read from the archive on disk, or unknown when the call wrote it); the
    // `--output DIR` forms were already a folder write, the others were silent.
    'cd ~ && ar x $OLDPWD/h.a',
    'ar x --output ~ h.a',
    'ar --output=$HOME x h.a',
    'cd ~ && ar xo $OLDPWD/h.a .bashrc',
    '(cd hsrc && ar rc ../a.a .bashrc); cd ~ && ar x $OLDPWD/a.a',
    // dpkg-deb and dpkg extract a package's files beneath the folder given.
    "mkdir -p p/DEBIAN; printf 'Package: x\\nVersion: 1\\nArchitecture: all\\nMaintainer: a\\nDescription: d\\n' > p/DEBIAN/control; cp hsrc/.bashrc p/.bashrc; dpkg-deb -b p x.deb >/dev/null; dpkg-deb -x x.deb ~",
    "mkdir -p p/DEBIAN; printf 'Package: x\\nVersion: 1\\nArchitecture: all\\nMaintainer: a\\nDescription: d\\n' > p/DEBIAN/control; cp hsrc/.bashrc p/.bashrc; dpkg-deb -b p x.deb >/dev/null; dpkg -x x.deb ~",
    // ExtUtils::Command's functions (cp, mv…) take their files from @ARGV; so do shift and pop
    // (`my $f = pop` was already unresolved).
    'perl -MExtUtils::Command -e cp hsrc/.bashrc $HOME/.bashrc',
    'perl -MExtUtils::Command -e mv hsrc/.bashrc $HOME/.bashrc',
    "perl -e 'use ExtUtils::Command; cp()' hsrc/.bashrc $HOME/.bashrc",
    `perl -e 'open F, ">>", shift; print F "x"' ~/.bashrc`,
    `perl -e 'my $f = pop; open F, ">>$f"; print F "x"' ~/.bashrc`,
  ]);
  silentAll(['ar rc lib.a notes.txt', 'ar t h.a', 'ar x h.a', "perl -e 'print scalar(@ARGV)'"]);
});

describe('red team 4: commands and native code that interpreter code runs unseen', () => {
  ref.notSilent([
    // A library loaded by path runs its constructor: machine code the guard cannot read.
    `${SO}; python3 -c 'import ctypes; ctypes.CDLL("./e.bin")'`,
    `${SO}; node -e 'process.dlopen({exports:{}}, require("path").resolve("e.bin"))' 2>/dev/null; true`,
    `${SO}; perl -e 'require DynaLoader; DynaLoader::dl_load_file("./e.bin")'`,
    // os.posix_spawn* and os.exec*/spawn*: a program and its argv ($0 first).
    `python3 -c 'import os; os.posix_spawnp("sh", ["sh", "-c", "${EVIL}"], os.environ)'`,
    // Perl's list forms run argv.
    `perl -e 'exec "sh", "-c", "${EVIL}"'`,
    `perl -e 'my @a = ("sh", "-c", "${EVIL}"); system @a'`,
    `perl -e 'my $c = "${EVIL}"; system $c'`,
    // node's vm runs code given as text.
    `node -e 'const v=require("vm"); v.runInNewContext("p.execSync(\\"${EVIL}\\")", {p: require("child_process")})'`,
  ]);
  silentAll([
    `python3 -c 'import os; os.execvp("ls", ["ls", "-l"])'`,
    `perl -e 'system("ls", "-l")'`,
    `perl -e 'system "ls -l"'`,
    `node -e 'require("child_process").exec("ls -l", (e, out) => console.log(out))'`,
    `node -e 'console.log("a Script of mine")'`,
  ]);
});

describe('red team 4: shell forms the analysis joined or looked up differently from bash', () => {
  ref.notSilent([
    // "$*" and "${a[*]}" join with IFS's first character, in quotes and where no splitting is done.
    'a=($HOME .bashrc); IFS=/; echo x >> "${a[*]}"',
    'set -- ~ .bashrc; IFS=/; echo x >> "$*"',
    'set -- ~ .bashrc; IFS=/; x=$*; echo x >> "$x"',
    'a=($HOME .bashrc); IFS=/; y=${a[*]}; echo x >> "$y"',
    'set -- ~ .bashrc; IFS=/; echo x >> "${*:1}"',
    'f() { local IFS=/; echo x >> "$*"; }; f ~ .bashrc',
    // `hash -p FILE NAME`: NAME runs FILE.
    'hash -p $PWD/evil.sh ls; ls',
    'hash -p ./evil.sh ls; ls',
    "hash -p /bin/sh ls; ls -c 'echo x >> ~/.bashrc'",
    'hash -p ./evil.sh ls; false && hash -r; ls',
    // `fc -e EDITOR` and FCEDIT run the editor; `fc -s` reruns history the guard does not know.
    "set -o history; history -s 'true'; fc -e 'sh ./evil.sh' -1 >/dev/null 2>&1; true",
    "set -o history; FCEDIT='sh ./evil.sh'; history -s true; fc -1 >/dev/null 2>&1; true",
    // The debugger perl -d loads is PERL5DB's code.
    `PERL5DB='BEGIN{system("${EVIL}")}' perl -d -e 1`,
    `PERL5OPT=-d PERL5DB='BEGIN{system("${EVIL}")}' perl -e 1`,
    // An openssl engine is a shared library.
    `${SO}; openssl engine dynamic -pre SO_PATH:$PWD/e.bin -pre LOAD >/dev/null 2>&1; true`,
  ]);
  guardAlone(["set -o history; history -s 'echo x >> ~/.bashrc'; fc -s"]);
  silentAll(['set -- a b; echo "$*" > out.txt', 'a=(x y); echo "${a[*]}" > out.txt', 'IFS=, read -r a b <<< "x,y"; echo "$a"', 'hash ls; ls', 'hash -p /bin/ls ll; ll', 'fc -l', 'openssl rand -hex 4', "perl -d -e 1 < /dev/null"]);
});

describe('red team 4: files named by what the code reads, build files, tool options that write', () => {
  ref.notSilent([
    // A write call whose file comes from what the code reads at run time: unknown, not silent.
    `echo $HOME/.bashrc > p.txt; python3 -c 'open(open("p.txt").read().strip(),"a").write("x")'`,
    `echo $HOME/.bashrc > p.txt; python3 -c 'p=open("p.txt").read().strip(); open(p,"a").write("x")'`,
    `echo $HOME/.bashrc > p.txt; node -e 'const fs=require("fs"); fs.appendFileSync(fs.readFileSync("p.txt","utf8").trim(), "x")'`,
    `python3 -c 'import string,os; p=string.Template("$h/.bashrc").substitute(h=os.path.expanduser("~")); open(p,"a").write("x")'`,
    // A value followed by a method not evaluated is not that value (`Path(f).read_text()` is the content).
    `echo $HOME/.bashrc > p.txt; python3 -c 'import pathlib; p=pathlib.Path("p.txt").read_text().strip(); pathlib.Path(p).write_text("x")'`,
    `echo $HOME/.bashrc > p.txt; python3 -c 'import pathlib; pathlib.Path(pathlib.Path("p.txt").read_text().strip()).write_text("x")'`,
    `echo $HOME/.bashrc > p.txt; perl -e 'open my $i, "<", "p.txt"; my $p = <$i>; chomp $p; open my $f, ">>", $p; print $f "x"'`,
    `echo $HOME/.bashrc > p.txt; python3 -c 'import shutil; d=open("p.txt").read().strip(); shutil.copy("hsrc/.bashrc", d)'`,
    // cmake -E commands are the shell commands they stand for; cmake scripts, build.ninja and
    // logrotate configurations run commands in languages the guard does not read.
    'cmake -E copy hsrc/.bashrc $HOME/.bashrc',
    'cmake -E rename hsrc/.bashrc $HOME/.bashrc',
    'cmake -E copy_if_different hsrc/.bashrc $HOME/.bashrc',
    `cmake -E env sh -c '${EVIL}'`,
    "cmake -E chdir $HOME sh -c 'echo x >> .bashrc'",
    `printf 'file(APPEND "$ENV{HOME}/.bashrc" "x")\\n' > s.cmake; cmake -P s.cmake`,
    `printf 'execute_process(COMMAND sh -c "echo x >> $ENV{HOME}/.bashrc")\\n' > s.cmake; cmake -P s.cmake`,
    "printf 'rule r\\n  command = sh evil.sh\\nbuild x: r\\n' > build.ninja; ninja >/dev/null",
    "printf '%s/x.log {\\n postrotate\\n  echo x >> ~/.bashrc\\n endscript\\n}\\n' $PWD > c; echo a > x.log; logrotate -s st -f c 2>/dev/null; true",
    // Compiler drivers: a wrapper program, dependency and map files.
    "echo 'int main(){return 0;}' > m.c; gcc -wrapper ./evil.sh m.c -o m 2>/dev/null; true",
    "echo 'int main(){return 0;}' > m.c; gcc -MD -MF ~/.bashrc -c m.c -o m.o",
    "echo 'int main(){return 0;}' > m.c; gcc -Wl,-Map=$HOME/.bashrc m.c -o m",
    // vim's logs and the files its commands write.
    'vim -es --startuptime ~/.bashrc -c q < /dev/null',
    'vim -V1$HOME/.bashrc -es -c q < /dev/null',
    "vim -es -c 'redir >> ~/.bashrc' -c 'echo \"x\"' -c 'redir END' -c q < /dev/null",
    "vim -es -c 'mksession! ~/.bashrc' -c q < /dev/null",
    "vim -es -c 'mkvimrc! ~/.bashrc' -c q < /dev/null",
    "vim -es -c 'wviminfo! ~/.bashrc' -c q < /dev/null",
    // node's own output files, on the command line or in NODE_OPTIONS.
    `node --redirect-warnings=$HOME/.bashrc -e 'process.emitWarning("x")'`,
    `NODE_OPTIONS="--redirect-warnings=$HOME/.bashrc" node -e 'process.emitWarning("x")'`,
    'node --cpu-prof --cpu-prof-dir=$HOME --cpu-prof-name=.bashrc -e 1',
    `node --report-directory=$HOME --report-filename=.bashrc -e 'process.report.writeReport()'`,
  ]);
  silentAll([
    `python3 -c 'import json; print(json.load(open("package.json"))["name"])'`,
    `python3 -c 'l=[1]; l.remove(1); print("a".replace("a","b"))'`,
    `python3 -c 'import json, pathlib; print(json.loads(pathlib.Path("package.json").read_text())["name"])'`,
    `python3 -c 'from pathlib import Path; Path("out.txt").write_text(Path("notes.txt").read_text())'`,
    `node -e 'const fs=require("fs"); fs.writeFileSync("out.json", fs.readFileSync("package.json", "utf8"))'`,
    `node -e 'process.stdout.write(require("fs").readFileSync("notes.txt"))'`,
    'cmake -E make_directory build',
    'cmake -E copy notes.txt build/',
    'gcc -O2 -Wall -o app main.c',
    'gcc -MMD -MF build/main.d -c main.c -o build/main.o',
    'cc -Wl,--as-needed -o app main.c -lm',
    'node --cpu-prof -e 1',
    "vim -es -c 'redir => x' -c q",
  ]);
});
