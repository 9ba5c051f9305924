// Third red-team round (hw/red3, on ce7835f) against this session's analysis: values bash evaluates
// again as arithmetic (arith.ts), prompts and callbacks (callbacks.ts), programs that run a command
// (command-runners.ts), variables and config files that make programs run code or write
// (env-files.ts, fetchers), and folders a command writes into. Each command in a `notSilent` list
// really writes ~/.bashrc under bash in a fresh copy of the fixture (checked first) and the guard
// allowed it with nothing unresolved when found: every one is marked todo with its cause until the
// guard closes it. Commands that cannot run here (no network, tool not installed) are judged by
// the guard alone, also todo.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { bashReference, show, silent } from '../../../helpers/bash-reference.js';

const EVIL = 'echo x >> ~/.bashrc';
const Q = `'${EVIL}'`;
/** A value bash runs when it evaluates it as arithmetic (an array subscript is expanded first). */
const CODE = `a[$(${EVIL})]`;
const JS = `require("child_process").execSync("${EVIL}")`;
const PY = `import os; os.system("${EVIL}")`;
/** A value bash runs when it expands it as a prompt. */
const P = `'$(${EVIL})'`;

/** A hostile repository: a payload script, a file holding a subscript, a dotfile to copy home. */
function prepare(project: string): void {
  fs.writeFileSync(path.join(project, 'evil.sh'), `#!/bin/sh\n${EVIL}\n`, { mode: 0o755 });
  fs.writeFileSync(path.join(project, 'code.txt'), `${CODE}\n`);
  fs.mkdirSync(path.join(project, 'hsrc'), { recursive: true });
  fs.writeFileSync(path.join(project, 'hsrc/.bashrc'), 'evil\n');
}

const ref = bashReference(prepare);

/**
 * Findings still open after the fixes of this round (docs/threat-model/red3.md "Open"): each
 * stays a test that really runs, marked todo with its cause until the guard closes it.
 */
const OPEN: RegExp[] = [
];
const openFor = (cmd: string): boolean => OPEN.some((re) => re.test(cmd));

/** Every command of a list is one finding of the cause `why` (a todo while it matches OPEN). */
const notSilent = (why: string, cmds: string[]): void => ref.notSilent(cmds, OPEN.map((re) => [re, `open: ${why}`]));

/** Judged by the guard alone (the program needs the network or is not installed here). */
const guardAlone = (why: string, cmds: string[]): void => {
  for (const cmd of cmds) {
    it(`${cmd} (the guard alone)`, openFor(cmd) ? { todo: `open: ${why}` } : {}, () => {
      const v = ref.gp.check(cmd);
      assert.ok(!silent(v), show(v));
    });
  }
};

describe('red team 3: `let` and `declare -i` not written as the plain keyword', () => {
  // arith.ts sees `let` only as the parser's LetClause, and `declare -i` only when the call is the
  // plain word: a quoted, escaped, prefixed (`builtin`, `command`) or variable command name is a
  // CallExpr the arithmetic analysis never reaches.
  notSilent('let/declare -i reached through a quoted name, builtin/command, or a variable', [
    `x='${CODE}'; \\let x`,
    `x='${CODE}'; 'let' x`,
    `x='${CODE}'; \\let y=x+1`,
    `x='${CODE}'; builtin let x`,
    `x='${CODE}'; command let x`,
    `l=let; x='${CODE}'; $l x`,
    `\\declare -i z; z='${CODE}'`,
    `declare -i "z"; z='${CODE}'`,
    `n=z; declare -i $n; z='${CODE}'`,
    `builtin declare -i z; z='${CODE}'`,
    `command declare -i z; z='${CODE}'`,
    `x='${CODE}'; command declare -i y=x`,
    `f() { builtin local -i y='${CODE}'; }; f`,
  ]);
});

describe('red team 3: text chosen by the command passes as "given from outside"', () => {
  // arith.ts and callbacks.ts let a value not known through when it is given from outside (the
  // user's environment). A value that only STARTS from a variable not set (`$NOPE'…'`,
  // `${NOPE:-'…'}`, `: ${x:='…'}`) is the command's own text, yet it is taken as given.
  notSilent('an unset variable joined with, or defaulting to, the command\'s own text counts as given', [
    `x=$NOPE'${CODE}'; echo $((x))`,
    `x="$NOPE"'${CODE}'; echo $((x))`,
    `x=\${y:-'${CODE}'}; echo $((x))`,
    `x=\${y-'${CODE}'}; echo $((x))`,
    `x="\${y:-'${CODE}'}"; echo $((x))`,
    `x=\${y:-"a[\\$(${EVIL})]"}; echo $((x))`,
    `: \${x:='${CODE}'}; echo $((x))`,
    `x=\${NOPE:-'${CODE}'}; let x`,
    `x=\${NOPE:-'${CODE}'}; [[ $x -eq 1 ]]`,
    `x=\${NOPE:-'${CODE}'}; declare -i z=$x`,
    `x=\${NOPE:-'${CODE}'}; b[x]=1`,
    `x=\${NOPE:-'${CODE}'}; s=abc; : \${s:x}`,
    `x=\${NOPE:-'${CODE}'}; : \${!x}`,
    `x=\${NOPE:-'${CODE}'}; [[ -v $x ]]`,
    `x=\${NOPE:-'${CODE}'}; declare -n r=$x; : $r`,
    `x=\${NOPE:-${P}}; y=\${x@P}`,
    `x=\${NOPE:-${P}}; PS4=$x; set -x; :`,
  ]);
});

describe('red team 3: integer arrays and other ways to assign an integer variable', () => {
  // A value assigned to an element of an integer (indexed or associative) array, or through
  // `${z:=v}`, is evaluated as arithmetic like a plain `z=v`.
  notSilent('a value stored into an integer array element, or by ${z:=v}, is not taken as arithmetic', [
    `declare -ia z; z=('${CODE}')`,
    `declare -ai z=('${CODE}')`,
    `typeset -ia z; z[0]='${CODE}'`,
    `declare -i z; z[1]='${CODE}'`,
    `declare -i z; z+=('${CODE}')`,
    `declare -Ai A; A[k]='${CODE}'`,
    `declare -Ai A=([k]='${CODE}')`,
    `declare -i z; : \${z:='${CODE}'}`,
  ]);
});

describe('red team 3: bash\'s own integer variables', () => {
  // RANDOM, SRANDOM, OPTIND and HISTCMD evaluate what is assigned to them as arithmetic.
  notSilent('an assignment to a variable bash itself evaluates as arithmetic (RANDOM, SRANDOM, OPTIND, HISTCMD)', [
    `RANDOM='${CODE}'`,
    `SRANDOM='${CODE}'`,
    `OPTIND='${CODE}'`,
    `HISTCMD='${CODE}'`,
  ]);
});

describe('red team 3: a nameref set by an assignment or a for loop', () => {
  // `declare -n r` with no target: `r=NAME` sets the reference; a for loop over a nameref sets
  // the reference to each word. The name's subscript is expanded when r is read.
  notSilent('a nameref target set by `r=v` or `for r in …` (only `declare -n r=v` is checked)', [
    `declare -n r; r='${CODE}'; : "$r"`,
    `declare -n r; for r in '${CODE}'; do : "$r"; done`,
    `declare -n r; for r in x '${CODE}'; do : $r; done`,
  ]);
});

describe('red team 3: a variable name given in the same word as its option', () => {
  // `printf -vNAME` and `wait -pNAME` (getopt style): variableNames only looks at the next word.
  notSilent('`printf -vNAME`, `wait -npNAME`: a name attached to its option', [
    `printf -v'${CODE}' %s 1`,
    `sleep 0 & wait -np'${CODE}'`,
  ]);
});

describe('red team 3: prompt expansion of positional parameters and other prompts', () => {
  // `${1@P}`, `${@@P}`, `${*@P}` expand a positional parameter as a prompt; PS0 is expanded by an
  // interactive bash before each command; `shopt -o xtrace` turns on PS4 like `set -x`.
  notSilent('${1@P}/${@@P} on positional parameters; PS0 of an interactive bash; shopt -o xtrace', [
    `f() { echo \${1@P}; }; f ${P}`,
    `f() { x=\${1@P}; }; f ${P}`,
    `set -- ${P}; echo "\${@@P}"`,
    `set -- ${P}; echo "\${*@P}"`,
    `set -- ${P}; x=\${1@P}`,
    `PS0=${P} bash -i <<< ':'`,
    `PS4=${P}; shopt -so xtrace; :`,
    `PS4=${P}; shopt -os xtrace; :`,
  ]);
});

describe('red team 3: a known wrapper running a script given by path', () => {
  // `./evil.sh` alone is read and blocked, `taskset 1 sh evil.sh` too; but a wrapper the guard
  // walks by rule (command-runners.ts: an operand naming a KNOWN program) never starts the walk at
  // an operand that is a path to a repository script, so the script runs unseen.
  notSilent('wrapper + a script path operand (not a known program name): the script is not walked', [
    'taskset 1 ./evil.sh',
    'taskset -c 0 ./evil.sh',
    'taskset 1 ./evil.sh arg',
    'x=1 taskset 1 ./evil.sh',
    'taskset 1 ./evil.sh & wait',
    'mkdir -p bin; cp evil.sh bin/tool; taskset 1 bin/tool',
    'chrt -o 0 ./evil.sh',
    'prlimit --nofile=100 ./evil.sh',
    'setpriv ./evil.sh',
    'unshare -r ./evil.sh',
    'setarch x86_64 ./evil.sh',
    'linux64 ./evil.sh',
    'valgrind -q ./evil.sh 2>/dev/null; true',
    // Wrappers around that wrapper, and the path coming from xargs or find.
    'nice taskset 1 ./evil.sh',
    'timeout 5 taskset 1 ./evil.sh',
    'echo ./evil.sh | xargs taskset 1',
    'find . -name evil.sh -exec taskset 1 {} \\;',
    // The same with a script the call wrote (a node program): `./cli` alone is read and blocked.
    `printf '#!/usr/bin/env node\\n${JS}\\n' > cli; chmod +x cli; taskset 1 ./cli`,
    // Programs of command-runners.ts / the tables that walk `sh -c …` but not a script path.
    'start-stop-daemon --start --exec $PWD/evil.sh',
    'logsave l ./evil.sh',
    'logsave -a l ./evil.sh',
    'fakeroot ./evil.sh',
    'fakeroot -- ./evil.sh',
    'dbus-run-session -- ./evil.sh 2>/dev/null; true',
    'nsenter ./evil.sh 2>/dev/null; true',
  ]);
});

describe('red team 3: a command in an option of a program the guard knows', () => {
  notSilent('sdiff/diff3 --diff-program, sort --compress-program, run-parts DIR: the program runs it', [
    'sdiff --diff-program=./evil.sh notes.txt notes.txt',
    'diff3 --diff-program=./evil.sh notes.txt notes.txt notes.txt',
    'seq 200000 | sort -S 1k -T . --compress-program=./evil.sh > /dev/null 2>&1; true',
    'mkdir d; cp evil.sh d/x; run-parts d',
  ]);
});

describe('red team 3: interpreter code forms not read', () => {
  notSilent('perl open(F, "|cmd"); python shutil.copy into a folder; node fs.cpSync; a destructured execSync', [
    `perl -e 'open(F, "|${EVIL}")'`,
    `python3 -c 'import shutil,os; shutil.copy("hsrc/.bashrc", os.path.expanduser("~"))'`,
    `node -e 'require("fs").cpSync("hsrc", require("os").homedir(), {recursive:true})'`,
    `node -e 'const {execSync:e}=require("child_process"); e("${EVIL}")'`,
  ]);
  // The rules behind them: every Perl open that runs a command (two-argument `|cmd`/`cmd|`,
  // three-or-more-argument `|-`/`-|`, with or without parentheses); every copy or move whose
  // destination is a folder (what lands beneath it); every function called under an alias.
  notSilent('the nearest forms: pipe opens, copies into a folder, aliased functions', [
    `perl -e 'open F, "|${EVIL}"; close F'`,
    `perl -e 'open(my $f, "|-", "sh", "-c", "${EVIL}"); close $f'`,
    `perl -e 'open my $f, "-|", "${EVIL}" or die; <$f>'`,
    `perl -e 'open(my $f, "${EVIL} |"); <$f>'`,
    `perl -e 'open(F, " | ${EVIL}")'`,
    `perl -e 'use File::Copy; copy("hsrc/.bashrc", $ENV{HOME})'`,
    `perl -e 'use File::Copy; move("hsrc/.bashrc", "$ENV{HOME}/")'`,
    `perl -MFile::Copy -e 'copy "hsrc/.bashrc", $ENV{HOME}'`,
    `perl -e 'use File::Copy; File::Copy::copy("hsrc/.bashrc", $ENV{HOME})'`,
    `perl -e 'use File::Copy qw(cp); cp("hsrc/.bashrc", $ENV{HOME})'`,
    `python3 -c 'import shutil; from pathlib import Path; shutil.copy(Path("hsrc") / ".bashrc", Path.home())'`,
    `node -e 'require("fs/promises").cp("hsrc", require("os").homedir(), {recursive:true})'`,
    `python3 -c 'import shutil,os; shutil.copy2("hsrc/.bashrc", os.path.expanduser("~"))'`,
    `python3 -c 'import shutil,os; shutil.copytree("hsrc", os.path.expanduser("~"), dirs_exist_ok=True)'`,
    `python3 -c 'from shutil import copy as c; import os; c("hsrc/.bashrc", os.path.expanduser("~"))'`,
    `python3 -c 'import shutil,os; shutil.copy("hsrc/.bashrc", dst=os.path.expanduser("~"))'`,
    `python3 -c 'import shutil,os; d=os.path.expanduser("~"); shutil.copy("hsrc/.bashrc", d)'`,
    `python3 -c 'from subprocess import run as r; r("${EVIL}", shell=True)'`,
    `python3 -c 'import os; s = os.system; s("${EVIL}")'`,
    `node -e 'require("fs").promises.cp("hsrc", require("os").homedir(), {recursive:true})'`,
    `node -e 'const fs=require("fs"); fs.cp("hsrc", require("os").homedir(), {recursive:true}, ()=>{})'`,
    `node -e 'const {cpSync: c}=require("fs"); c("hsrc", require("os").homedir(), {recursive:true})'`,
    `node -e 'const {promises: {cp}}=require("fs"); cp("hsrc", require("os").homedir(), {recursive:true})'`,
    `node -e 'const e=require("child_process").execSync; e("${EVIL}")'`,
    `node -e 'const cp=require("child_process"); const e=cp.execSync; e("${EVIL}")'`,
    `node -e 'const run=require("util").promisify(require("child_process").exec); run("${EVIL}")'`,
    `node -e 'const {exec: run}=require("child_process"); run("${EVIL}")'`,
    `node -e 'let {spawnSync: s}=require("child_process"); s("sh", ["-c", "${EVIL}"])'`,
    `node --input-type=module -e 'import {execSync as e} from "child_process"; e("${EVIL}")'`,
  ]);
  // A function that runs a command, reached other than by a call the guard reads (a subscript,
  // a list or dictionary, `.call`/`.apply`): the text it is given is code not seen.
  notSilent('the nearest forms: a command runner stored, subscripted or called through call/apply', [
    `node -e 'require("child_process")["execSync"]("${EVIL}")'`,
    `node -e 'const cp=require("child_process"); cp["execSync"]("${EVIL}")'`,
    `node -e 'const m="execSync"; require("child_process")[m]("${EVIL}")'`,
    `node -e 'const cp=require("child_process"); [cp.execSync][0]("${EVIL}")'`,
    `node -e 'const cp=require("child_process"); cp.execSync.call(null, "${EVIL}")'`,
    `node -e 'const cp=require("child_process"); cp.execSync.apply(null, ["${EVIL}"])'`,
    `python3 -c 'import os; [os.system][0]("${EVIL}")'`,
    `python3 -c 'import os; d={"r": os.system}; d["r"]("${EVIL}")'`,
  ]);
  // The same rules keep ordinary code silent: direct calls, promisify, import lists, reads,
  // copies to names that reach nothing protected.
  for (const cmd of [
    `node -e "const util = require('util'); const exec = util.promisify(require('child_process').exec); exec('ls')"`,
    `node -e "const { exec } = require('child_process'); exec('ls', (e, out) => console.log(out))"`,
    `python3 -c "from subprocess import run, PIPE; run(['ls'])"`,
    `node -e "const cp = require('child_process'); console.log(cp.execSync('git status').toString())"`,
    `node -e 'const {join: j} = require("path"); console.log(j("a", "b"))'`,
    `python3 -c 'import shutil; shutil.copy("notes.txt", "src/")'`,
    `python3 -c 's = "a.b"; print(s.replace("a", "b"))'`,
    `node -e 'require("fs").cpSync("src", "dist", {recursive: true})'`,
    `perl -e 'open(my $f, "-|", "git", "log"); print <$f>'`,
    `perl -e 'open(F, "<", "notes.txt"); print <F>'`,
  ]) {
    it(`${cmd} (silent)`, () => {
      const v = ref.gp.check(cmd);
      assert.ok(silent(v), show(v));
    });
  }
  guardAlone('ruby is not installed here: its pipe opens and FileUtils copies into a folder', [
    `ruby -e 'open("|${EVIL}")'`,
    `ruby -e 'IO.read("|${EVIL}")'`,
    `ruby -e 'require "fileutils"; FileUtils.cp("hsrc/.bashrc", Dir.home)'`,
    `ruby -e 'require "fileutils"; FileUtils.cp_r("hsrc/.", Dir.home)'`,
  ]);
});

describe('red team 3: preloads of programs written in node or python', () => {
  // NODE_OPTIONS / PYTHONPATH set by the call make node and python load a module the call wrote;
  // `node`/`python3` themselves are checked, but npm, npx, corepack (node programs: runners are
  // left out of toolModules) and pip, pydoc3 (python programs) are not.
  notSilent('NODE_OPTIONS for npm/npx/corepack and a written sitecustomize.py for pip/pydoc3', [
    `echo '${JS}' > q.js; NODE_OPTIONS='-r ./q.js' npm --version >/dev/null`,
    `echo '${JS}' > q.js; NODE_OPTIONS='--import ./q.js' npm --version >/dev/null`,
    `echo '${JS}' > q.js; export NODE_OPTIONS='--require=./q.js'; npm ls >/dev/null 2>&1; true`,
    `echo '${JS}' > q.js; NODE_OPTIONS='-r ./q.js' npx --version >/dev/null`,
    `echo '${JS}' > q.js; NODE_OPTIONS='-r ./q.js' corepack --version >/dev/null`,
    `echo '${PY}' > sitecustomize.py; PYTHONPATH=. pip3 --version >/dev/null`,
    `echo '${PY}' > sitecustomize.py; export PYTHONPATH=$PWD; pip --version >/dev/null`,
    `echo '${PY}' > sitecustomize.py; PYTHONPATH=. pydoc3 len >/dev/null`,
  ]);
  guardAlone('npm options and environment that set node options (npm run needs a package.json script)', [
    `echo '${JS}' > q.js; npm_config_node_options='-r ./q.js' npm run x`,
    `echo '${JS}' > q.js; npm --node-options='-r ./q.js' run x`,
  ]);
  // The rules: any program known as a Python program loads PYTHONPATH's sitecustomize and
  // usercustomize; npm gives its `node-options` setting (option, any-case `npm_config_*`
  // variable) to the node programs of the scripts it runs.
  notSilent('the nearest forms: other Python programs and customize modules; npm\'s node-options by option or variable', [
    `echo '${PY}' > usercustomize.py; PYTHONPATH=. pip3 --version >/dev/null`,
    `mkdir -p lib; echo '${PY}' > lib/sitecustomize.py; PYTHONPATH=lib pydoc3 len >/dev/null`,
    `echo '${PY}' > sitecustomize.py; PYTHONPATH=. pydoc len >/dev/null`,
    `echo '${JS}' > q.js; echo '{"scripts":{"x":"node -e 1"}}' > package.json; npm_config_node_options='-r ./q.js' npm run x`,
    `echo '${JS}' > q.js; echo '{"scripts":{"x":"node -e 1"}}' > package.json; npm --node-options='-r ./q.js' run x`,
    `echo '${JS}' > q.js; echo '{"scripts":{"x":"node -e 1"}}' > package.json; npm --node-options '-r ./q.js' run x`,
    `echo '${JS}' > q.js; echo '{"scripts":{"x":"node -e 1"}}' > package.json; npm run x --node-options='-r ./q.js'`,
    `echo '${JS}' > q.js; echo '{"scripts":{"x":"node -e 1"}}' > package.json; NPM_CONFIG_NODE_OPTIONS='--require=./q.js' npm run x`,
    `echo '${JS}' > q.js; echo '{"scripts":{"test":"node -e 1"}}' > package.json; export npm_config_node_options='-r ./q.js'; npm test`,
  ]);
});

describe('red team 3 (after): the program npm runs its scripts with', () => {
  // Like make's SHELL: npm's `script-shell` setting (option, `npm_config_script_shell` in any case)
  // is the program every script of the project's package.json runs with.
  const withScripts = bashReference((project) => {
    prepare(project);
    fs.writeFileSync(path.join(project, 'package.json'), '{"name":"demo","scripts":{"x":"true","test":"true"}}\n');
  });
  withScripts.notSilent([
    'npm --script-shell ./evil.sh run x',
    'npm run x --script-shell=./evil.sh',
    'npm_config_script_shell=./evil.sh npm run x',
    'export NPM_CONFIG_SCRIPT_SHELL=$PWD/evil.sh; npm test',
  ]);
  it('npm run x --script-shell=bash (a known shell: silent)', () => {
    const v = withScripts.gp.check('npm run x --script-shell=bash');
    assert.ok(silent(v), show(v));
  });
});

describe('red team 3: gdb commands in option forms the table does not read', () => {
  notSilent('gdb: `--ex=`, `-ex=`, `-init-eval-command=`, `-init-command=FILE`, `-command=FILE` not read', [
    `gdb -q -batch --ex='!${EVIL}'`,
    `gdb -q --batch -ex='!${EVIL}'`,
    `gdb -q -batch -eval-command='!${EVIL}'`,
    `gdb -q -batch -init-eval-command='!${EVIL}'`,
    `echo 'shell ${EVIL}' > g; gdb -q -batch -command=g`,
    `echo 'shell ${EVIL}' > g; gdb -q -batch -init-command=g`,
  ]);
});

describe('red team 3: options in the environment of zip and tar', () => {
  // zip reads ZIPOPT and tar reads TAR_OPTIONS as if written on the command line.
  notSilent('ZIPOPT / TAR_OPTIONS set by the command carry -TT / --checkpoint-action=exec', [
    "echo a > a.txt; ZIPOPT='-T -TT ./evil.sh' zip -q x.zip a.txt",
    "TAR_OPTIONS='--checkpoint=1 --checkpoint-action=exec=./evil.sh' tar -cf /dev/null evil.sh",
  ]);
});

describe('red team 3: ssh runs ProxyCommand on this machine', () => {
  // ssh is "another machine" (not walked), but ProxyCommand / LocalCommand run locally, from -o or
  // from a config file given with -F.
  // Each wrote ~/.bashrc in some real runs and not in others (ssh may end the proxy first).
  guardAlone('ssh -o ProxyCommand / -F config / LocalCommand: a local command (flaky to run)', [
    `ssh -o 'ProxyCommand ${EVIL}' x true`,
    `ssh -oProxyCommand=${Q} x true`,
    `ssh -o ProxyCommand=${Q} x true`,
    `printf 'Host x\\n ProxyCommand ${EVIL}\\n' > c; ssh -F c x true`,
    `ssh -o PermitLocalCommand=yes -o LocalCommand=${Q} x true`,
    `scp -o ProxyCommand=${Q} a x:b`,
  ]);
});

describe('red team 3: SHELL and a written Makefile', () => {
  notSilent('SHELL=name without a slash (script execs it relative to the cwd); SHELL= inside a Makefile the call wrote', [
    'SHELL=evil.sh script -qc true /dev/null',
    "printf 'SHELL=./evil.sh\\na: ; @true\\n' > mk; make -f mk a",
  ]);
  // The rule: make runs each recipe line as `$(SHELL) $(.SHELLFLAGS) LINE`, with the values of the
  // makefiles (any assignment form, target-specific too; MAKEFILES read first), the command line
  // or MAKEFLAGS/GNUMAKEFLAGS.
  notSilent('the nearest forms: every way make is told which program runs the recipes', [
    "printf 'SHELL:=./evil.sh\\na:\\n\\t@true\\n' > mk; make -f mk",
    "printf 'override SHELL = ./evil.sh\\na: ; @true\\n' > mk; make -f mk a",
    "printf 'export SHELL = ./evil.sh\\na: ; @true\\n' > mk; make -f mk a",
    "printf 'a: SHELL=./evil.sh\\na: ; @true\\n' > mk; make -f mk a",
    "printf 'S=./evil.sh\\nSHELL=$(S)\\na: ; @true\\n' > mk; make -f mk a",
    "printf '.SHELLFLAGS = -c ./evil.sh\\na: ; @true\\n' > mk; make -f mk a",
    "printf 'SHELL=/bin/bash\\n.SHELLFLAGS = -c ./evil.sh\\na: ; @true\\n' > mk; make -f mk a",
    "printf 'a: ; @true\\n' > mk; make -f mk SHELL=./evil.sh a",
    "printf 'a: ; @true\\n' > mk; MAKEFLAGS='SHELL=./evil.sh' make -f mk a",
    "printf 'SHELL=./evil.sh\\na: ; @true\\n' > Makefile; make",
    "printf 'SHELL=./evil.sh\\na: ; @true\\n' > GNUmakefile; make a",
    // Makefiles and settings make reads from its environment.
    "printf 'SHELL=./evil.sh\\n' > e.mk; printf 'a: ; @true\\n' > mk; MAKEFILES=e.mk make -f mk a",
    "printf 'a: ; @true\\n' > mk; GNUMAKEFLAGS='SHELL=./evil.sh' make -f mk a",
  ]);
  // tmux and screen start $SHELL when given no command (a new session, window or pane). Checked
  // with bash here (`export TMUX_TMPDIR=$PWD; SHELL=$PWD/evil.sh tmux -f /dev/null new-session -d`
  // wrote ~/.bashrc); judged by the guard alone since CI need not have tmux or screen.
  guardAlone('the nearest forms: tmux and screen start the SHELL the command chose', [
    'SHELL=$PWD/evil.sh tmux new-session -d',
    'export SHELL=$PWD/evil.sh; tmux new -d',
    'SHELL=$PWD/evil.sh tmux split-window',
    'SHELL=$PWD/evil.sh screen -dm',
  ]);
  // A known shell with the usual flags stays shell text the guard walks (nothing unresolved).
  for (const cmd of [
    'tmux new -d -s work',
    'screen -dmS x',
    'SHELL=/bin/bash tmux new -d',
    "printf 'SHELL=/bin/bash\\n.SHELLFLAGS := -eu -o pipefail -c\\na: ; @echo hi\\n' > mk; make -f mk a",
    "printf 'a: ; @echo hi\\n' > mk; make -f mk SHELL=/bin/bash a",
    "printf 'SHELL := bash\\na: ; @echo hi\\n' > mk; make -f mk a",
  ]) {
    it(`${cmd} (silent)`, () => {
      const v = ref.gp.check(cmd);
      assert.ok(silent(v), show(v));
    });
  }
});

describe('red team 3: files curl writes that the table does not know', () => {
  notSilent('curl --libcurl/--etag-save/--hsts/--alt-svc FILE, and -o NAME under --output-dir', [
    `curl -s --libcurl ~/.bashrc file://$PWD/notes.txt`,
    `curl -s --etag-save ~/.bashrc file://$PWD/notes.txt`,
    `curl -s --hsts ~/.bashrc file://$PWD/notes.txt`,
    `curl -s --alt-svc ~/.bashrc file://$PWD/notes.txt`,
    `curl --output-dir ~ -o .bashrc file://$PWD/notes.txt`,
  ]);
  guardAlone('curl -w %output{FILE} (this curl is too old to run it)', [
    "curl -w '%output{~/.bashrc}x' -s http://127.0.0.1:9/",
    "curl -w '%output{>>~/.bashrc}x' -s http://127.0.0.1:9/",
  ]);
});

describe('red team 3: local copies by programs known as remote or not known', () => {
  notSilent('scp with two local operands copies locally; split/csplit make names from a prefix', [
    'scp hsrc/.bashrc ~',
    'scp -r hsrc/. ~',
    'scp -q hsrc/.bashrc "$HOME/"',
    "csplit -s -f ~/.bashr -b 'c%.0d' hsrc/.bashrc 1",
    'split -n 445 hsrc/.bashrc ~/.bash',
  ]);
  // The rule: split and csplit write PREFIX followed by a suffix of their choosing, so every
  // protected path that starts with the prefix counts (a `prefix` effect), in any option form;
  // `split --filter` runs its command with the shell.
  notSilent('the nearest forms: every way to give the prefix, and split --filter', [
    'split -n 445 hsrc/.bashrc --additional-suffix= ~/.bash',
    "csplit -s --prefix=$HOME/.bashr --suffix-format='c%.0d' hsrc/.bashrc 1",
    "csplit -s --prefix ~/.bashr -b 'c%.0d' hsrc/.bashrc 1",
    'split -a 2 -n 445 hsrc/.bashrc ~/.bash',
    'split -n 445 -- hsrc/.bashrc ~/.bash',
    "split --filter='cat >> ~/.bashrc' -n 2 hsrc/.bashrc",
    "split --fil 'cat >> ~/.bashrc' -n 2 hsrc/.bashrc",
    'ln -s ~ h; split -n 445 hsrc/.bashrc h/.bash',
    'cd ~ && split -n 445 $OLDPWD/hsrc/.bashrc .bash',
    'p=~/.bash; split -n 445 hsrc/.bashrc "$p"',
    'echo hsrc/.bashrc | xargs -I{} split -n 445 {} ~/.bash',
  ]);
  guardAlone('a prefix inside a protected folder or of a protected name', ['split -b 1M notes.txt .en', 'split -n 2 notes.txt .git/']);
  // A prefix whose names reach nothing protected stays silent (the suffix is the command's own).
  for (const cmd of ['split -n 2 notes.txt part_', 'split -l 100 notes.txt chunks/part-', 'csplit -f out_ notes.txt 1', 'csplit notes.txt 1']) {
    it(`${cmd} (silent)`, () => {
      const v = ref.gp.check(cmd);
      assert.ok(silent(v), show(v));
    });
  }
});

describe('red team 3: folders written with chosen names, not yet a `dir` effect', () => {
  guardAlone('a folder a command writes into, given by env or an option the data does not mark `dir`', [
    'PIP_TARGET=~ pip install x',
    'uv pip install --target ~ x',
    'npm install --prefix ~ x',
    'npm install -g --prefix ~ x',
    'gem install -i ~ x',
    'go build -o ~/ ./...',
    'GOBIN=~ go install x@latest',
    'helm pull x --untar --untardir ~',
    'yarn global add x --prefix ~',
    'ar x --output ~ a.a',
    'SYSTEM_WGETRC=./w wget http://127.0.0.1:9/',
    'wget --config=w http://127.0.0.1:9/',
  ]);
  // The rules: npm, pnpm and yarn read their settings anywhere on the line (before or after the
  // subcommand: `inherit`), and every setting naming a folder they install into is a `dir`; helm's
  // `--untar` is a flag of its own, not an abbreviation of `--untardir`.
  guardAlone('the nearest forms: folder settings of npm, pnpm, yarn and helm in every position', [
    'npm --prefix ~ install x',
    'npm i --prefix=$HOME x',
    'npm ci --prefix ~',
    'npm -C ~ install x',
    'helm pull x --untar --untardir=$HOME',
    'yarn add x --modules-folder ~',
    'yarn install --modules-folder ~/',
    'yarn global add x --global-folder ~',
    'pnpm add -g x --global-dir ~',
    'pnpm add x --global-dir=$HOME',
    'pnpm install --modules-dir ~',
    'pnpm install --store-dir ~',
  ]);
  guardAlone('folders given by the environment of pnpm, yarn and bun', [
    'PNPM_HOME=~ pnpm add -g x',
    'BUN_INSTALL=~ bun add -g x',
    'YARN_GLOBAL_FOLDER=~ yarn global add x',
  ]);
  // The other package managers' install folders, by option or environment.
  guardAlone('the nearest forms: install folders of npx, conda, bundler, deno, bun, pipx, composer, uv, cargo, gem', [
    'npx --prefix ~ x',
    'conda install -p ~ x',
    'conda create --prefix ~ python',
    'bundle install --path ~',
    'deno install --root ~ x',
    'bun build --outdir ~ x.ts',
    'uv --cache-dir ~ pip install x',
    'PIPX_HOME=~ pipx install x',
    'COMPOSER_HOME=~ composer global require x',
    'UV_TOOL_DIR=~ uv tool install x',
    'CARGO_INSTALL_ROOT=~ cargo install x',
    'GEM_HOME=~ gem install x',
  ]);
  for (const cmd of ['deno install --root ./tools x', 'bun build --outdir ./dist x.ts', 'conda create -p ./env python', 'conda install -n myenv numpy', 'bundle install', 'npm install --prefix ./vendor x', 'yarn add x --modules-folder ./nm', 'pnpm install --store-dir ./.pnpm-store', 'helm pull x --untar --untardir ./charts', 'npm install', 'yarn install --frozen-lockfile']) {
    it(`${cmd} (silent)`, () => {
      const v = ref.gp.check(cmd);
      assert.ok(silent(v), show(v));
    });
  }
});

describe('red team 3: false positives of the new rules on ordinary commands', () => {
  // Each is an ordinary developer command the first version of the new rules made unresolved
  // (blocked under `unresolved: deny`); the ones still costing are todo.
  for (const cmd of [
    'arr=(a b c); for i in "${!arr[@]}"; do echo "$i ${arr[i]}"; done',
    'set -x; npm test',
    'count=$(grep -c notes notes.txt); echo $((count + 1))',
    'size=$(stat -c %s notes.txt); if [[ $size -gt 1000 ]]; then echo big; fi',
    'lines=$(wc -l notes.txt | cut -d" " -f1); echo $((lines * 2))',
    'n=$(git rev-list --count HEAD 2>/dev/null || echo 0); echo $((n + 1))',
    'v=$(node -p "1+1"); echo $((v*2))',
    'pip install --target ./vendor requests',
    'pip download -d ./wheels requests',
    'pip wheel -w dist .',
    'cargo install --root ./tools ripgrep',
    'npm pack --pack-destination ./dist',
    'dotnet publish -o ./out',
    'helm template chart --output-dir ./rendered',
    'aria2c -d ./downloads https://example.com/x.iso',
    'LD_LIBRARY_PATH=/usr/local/lib ./a.out',
    // The numeric-output rule's nearest ordinary forms (numeric-output.ts).
    "lines=$(wc -l notes.txt | awk '{print $1}'); echo $((lines * 2))",
    "n=$(ls | wc -l | tr -d ' '); echo $((n+1))",
    "n=$(grep -o '[0-9]*' notes.txt | head -1); echo $((n+1))",
    "n=$(grep -oE '[0-9]+' notes.txt); echo $((n+1))",
    'n=$(wc -l < notes.txt || echo 0); echo $((n+1))',
    "n=$(wc -c notes.txt | cut -d ' ' -f 1); echo $((n+1))",
  ]) {
    // Still a cost: `node -p` prints whatever the expression yields (even arithmetic prints
    // `Infinity`, `NaN` or `1e+21`, names bash evaluates as variables): numbers only if the
    // guard evaluated JavaScript.
    const still = /node -p/.test(cmd);
    it(cmd, still ? { todo: 'false positive: unresolved (blocked under unresolved: deny)' } : {}, () => {
      const v = ref.gp.check(cmd);
      assert.ok(silent(v), show(v));
    });
  }
});

describe('red team 3: output taken as numbers that is not only numbers', () => {
  // The output of `$(a && b)`, `$(a || b)`, `$(a; b)` is every command's, not the last one's; a
  // filter keeps only its input's characters, so its input must be numbers too; `|&` and `2>&1`
  // add standard error. (The first was taken as numbers before this round: `wc` was the last.)
  notSilent('an output of several commands, or a filter of text, is not numbers', [
    `n=$(cat code.txt && wc -l < notes.txt); echo $((n))`,
    `n=$(echo 0 && cat code.txt); echo $((n))`,
    `n=$(git rev-list --count HEAD 2>/dev/null || cat code.txt); echo $((n + 1))`,
    `n=$(wc -l < notes.txt; cat code.txt); echo $((n))`,
    `n=$(cat code.txt | wc -l && cat code.txt); echo $((n))`,
    `n=$(cat code.txt |& head -1); echo $((n))`,
  ]);
});
