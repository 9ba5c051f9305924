// Second red-team round against the written-then-read analysis (lib/targets/shell/written.ts) and
// the shell analysis around it. Each command below really writes ~/.bashrc under bash, in a fresh
// copy of the fixture (checked first), and the guard allowed it with nothing unresolved when the red
// team found it (hw/red2, on 2422d2c). Each test asserts the command is not silently allowed
// (default config) and is blocked under `unresolved: deny`: they fail until the causes are fixed.
import fs from 'node:fs';
import path from 'node:path';
import { describe } from 'node:test';
import { bashReference } from '../../../helpers/bash-reference.js';

const EVIL = 'echo x >> ~/.bashrc';

/** A hostile repository: a benign script `f` and a payload `evil.sh`, both ordinary writable files. */
function prepare(project: string): void {
  fs.writeFileSync(path.join(project, 'f'), 'echo hi\n');
  fs.writeFileSync(path.join(project, 'evil.sh'), `${EVIL}\n`);
}

const ref = bashReference(prepare);
const { gp } = ref;

/**
 * Findings still open (docs/threat-model.md "Open", docs/threat-model/red2.md): each stays a test
 * that really runs, marked todo until the guard closes it.
 */
const OPEN: [RegExp, string][] = [
];

const notSilent = (cmds: string[]): void => ref.notSilent(cmds, OPEN);

describe('red team 2: a write that may not happen is taken as done (the old text stays)', () => {
  // `evil.sh` is the repository's file; the call "overwrites" it with known text and runs it. The
  // known text is trusted although the write is conditional, never runs, or fails before opening
  // the file: bash runs the repository's text.
  notSilent([
    "false && echo 'echo hi' > evil.sh; sh evil.sh",
    "true || echo 'echo hi' > evil.sh; sh evil.sh",
    "[ -e nonexist ] && echo 'echo hi' > evil.sh; sh evil.sh",
    "if false; then echo 'echo hi' > evil.sh; fi; sh evil.sh",
    "case a in b) echo 'echo hi' > evil.sh;; esac; sh evil.sh",
    "(exit 1) && echo 'echo hi' > evil.sh; sh evil.sh",
    // A function defined and never called; a trap for a signal never sent.
    "g() { echo 'echo hi' > evil.sh; }; sh evil.sh",
    "trap \"echo 'echo hi' > evil.sh\" USR1; sh evil.sh",
    // Redirections are made left to right and the first failure stops the statement before `>`
    // opens the file: a missing input file, a closed descriptor, an ambiguous redirect.
    "echo 'echo hi' < nonexist > evil.sh; sh evil.sh",
    "echo 'echo hi' 3< nonexist > evil.sh; sh evil.sh",
    "echo 'echo hi' <&9 > evil.sh; sh evil.sh",
    "echo 'echo hi' < $nothing > evil.sh; sh evil.sh",
    "printf 'echo hi\\n' < nonexist > evil.sh; sh evil.sh",
    "cat < nonexist > evil.sh <<'E'\necho hi\nE\nsh evil.sh",
    // A write cut short at a size limit the command sets itself: the file holds exactly the first
    // 1024 bytes (`ulimit -f` counts KiB blocks), and the cut drops `.bak` from the target.
    `(ulimit -f 1; printf '#%s\\n${EVIL}%s\\n' "$(printf '%01003d' 0)" .bak > t.sh); sh t.sh`,
  ]);
});

describe('red team 2: an assignment before a command that keeps it', () => {
  // The model treats `x=v cmd` as setting x for cmd only; bash keeps it in the shell for
  // export/readonly/declare, and in POSIX mode (POSIXLY_CORRECT, --posix, dash) before every
  // special builtin (`:`, eval, set, ...). The echo then prints the payload, not `#`.
  notSilent([
    `x='#'; x='${EVIL}' export x; echo "$x" > t.sh; sh t.sh`,
    `x='#'; x='${EVIL}' readonly x; echo "$x" > t.sh; sh t.sh`,
    `x='#'; x='${EVIL}' declare -x x; echo "$x" > t.sh; sh t.sh`,
    `x='#'; x='${EVIL}' typeset -x x; echo "$x" > t.sh; sh t.sh`,
    `POSIXLY_CORRECT=1; x='#'; x='${EVIL}' :; echo "$x" > t.sh; sh t.sh`,
    `POSIXLY_CORRECT=1; x='#'; x='${EVIL}' eval true; echo "$x" > t.sh; sh t.sh`,
    `bash --posix -c "x='#'; x='${EVIL}' :; echo \\"\\$x\\" > t.sh"; sh t.sh`,
    `POSIXLY_CORRECT=1 bash -c "x='#'; x='${EVIL}' :; echo \\"\\$x\\" > t.sh"; sh t.sh`,
    `export POSIXLY_CORRECT=1; bash -c "x='#'; x='${EVIL}' :; echo \\"\\$x\\" > t.sh"; sh t.sh`,
    `sh -c "x='#'; x='${EVIL}' :; echo \\"\\$x\\" > t.sh"; sh t.sh`,
    `set -o posix; x='#'; x='${EVIL}' :; echo "$x" > t.sh; sh t.sh`,
    `x='#'; x='${EVIL}' declare -r x; echo "$x" > t.sh; sh t.sh`,
    `x='#'; x='${EVIL}' command export x; echo "$x" > t.sh; sh t.sh`,
    `x='#'; x='${EVIL}' builtin export x; echo "$x" > t.sh; sh t.sh`,
    `x='#'; x='${EVIL}' export x y=1; echo "$x" > t.sh; sh t.sh`,
    `x='#'; g() { x='${EVIL}' export x; }; g; echo "$x" > t.sh; sh t.sh`,
    // Not only known text: the kept value is code or a target anywhere the variable is used.
    `x='#'; x='${EVIL}' export x; eval "$x"`,
    `x='#'; x='${EVIL}' export x; sh -c "$x"`,
    'x=/dev/null; x=~/.bashrc export x; echo x >> "$x"',
    'x=/dev/null; x=~/.bashrc readonly x; cp notes.txt "$x"',
  ]);
});

describe('red team 2: a glob in a trusted producer\'s arguments matches a file the call made', () => {
  // At check time `zz*` matches nothing and is printed literally; when bash runs, it matches the
  // file made just before, whose name is code (no `/` needed: `cd` goes home first).
  notSilent([
    "touch 'zz;cd;echo x >>.bashrc'; echo zz* > t.sh; sh t.sh",
    "touch 'zz;cd;echo x >>.bashrc'; echo 'echo hi' zz* > t.sh; sh t.sh",
    "touch 'zz;cd;echo x >>.bashrc'; printf '%s\\n' zz* > t.sh; sh t.sh",
    "touch 'zz;cd;echo x >>.bashrc'; printf '#\\n%s\\n' zz* > t.sh; sh t.sh",
    "echo hi > 'q;cd;echo x >>.bashrc'; echo q* > t.sh; sh t.sh",
    "mkdir d; touch 'd/x;cd;echo x >>.bashrc'; echo d/* > t.sh; sh t.sh",
  ]);
});

describe('red team 2: a reader that runs in the background without `&`', () => {
  // `setsid -f` forks and returns at once: the reader runs alongside the cp.
  notSilent([
    "setsid -f sh -c 'sleep 0.3; sh f'; cp evil.sh f; sleep 0.6",
  ]);
});

describe('red team 2: start-up files a started shell reads', () => {
  // An interactive sh reads $ENV; `bash --rcfile FILE -i` reads FILE; a login shell or an
  // interactive bash reads start-up files under a HOME the command points at the project.
  // H carries the real home into the payload.
  notSilent([
    `ENV=./evil.sh sh -i -c true </dev/null 2>/dev/null`,
    `bash --rcfile evil.sh -i -c true </dev/null 2>/dev/null`,
    `bash --rcfile <(echo '${EVIL}') -i -c true </dev/null 2>/dev/null`,
    `H=$HOME; echo 'echo x >> "$H/.bashrc"' > .profile; HOME=$PWD H=$H bash -l -c true`,
    `H=$HOME; echo 'echo x >> "$H/.bashrc"' > .profile; HOME=$PWD H=$H sh -l -c true`,
    `H=$HOME; echo 'echo x >> "$H/.bashrc"' > .bash_profile; HOME=. H=$H bash --login -c true`,
    `H=$HOME; echo 'echo x >> "$H/.bashrc"' > .bashrc; HOME=$PWD H=$H bash -i -c true </dev/null 2>/dev/null`,
  ]);
});

describe('red team 2: code in text bash evaluates as arithmetic (not only written.ts)', () => {
  // An array subscript in an arithmetic context is expanded again, command substitution included:
  // a variable or word holding `a[$(cmd)]` runs cmd wherever bash evaluates it as a number.
  notSilent([
    `x='a[$(${EVIL})]'; echo $(( x ))`,
    `x='a[$(${EVIL})]'; (( x )); true`,
    `x='a[$(${EVIL})]'; : $(( x + 1 ))`,
    `y='a[$(${EVIL})]'; [[ $y -eq 0 ]]; true`,
    `y='a[$(${EVIL})]'; let y; true`,
    `y='a[$(${EVIL})]'; declare -i z=y; true`,
    `y='a[$(${EVIL})]'; a=(1); echo \${a[y]}`,
    `for ((i='a[$(${EVIL})]'; 0; )); do :; done 2>/dev/null; true`,
    `[[ -v 'a[$(${EVIL})]' ]]; true`,
    `printf -v 'a[$(${EVIL})]' x`,
    `read 'a[$(${EVIL})]' <<< x`,
    `declare 'a[$(${EVIL})]=1'; true`,
  ]);
});

describe('red team 2: other places a program runs text as code (not only written.ts)', () => {
  notSilent([
    // PS4 is expanded (command substitution included) for each traced command.
    `bash -c 'PS4="\\$(${EVIL})"; set -x; true' 2>/dev/null`,
    // less runs LESSOPEN's input preprocessor with a shell.
    `LESSOPEN='|${EVIL}; cat %s' less f </dev/null >/dev/null 2>&1; true`,
  ]);
});

describe('red team 2: a program found on a changed PATH by a command that runs another', () => {
  // `PATH=b:$PATH ls` is followed; the same PATH handed to env, nice, timeout or an interpreter's
  // own process start is not: they find b/ls (a program the call wrote) first.
  const mk = (name: string): string => `mkdir -p b; printf '#!/bin/sh\\n%s\\n' '${EVIL}' > b/${name}; chmod +x b/${name}; `;
  notSilent([
    `${mk('ls')}env PATH=b:/usr/bin:/bin ls`,
    `${mk('ls')}PATH=b:$PATH nice ls`,
    `${mk('ls')}PATH=b:$PATH timeout 5 ls`,
    `${mk('git')}PATH=b:$PATH env git`,
    `${mk('uname')}PATH=b:$PATH python3 -c 'import os; os.system("uname")'`,
  ]);
});

describe('red team 2: code the call wrote, loaded by an interpreter or tool without being named as a script', () => {
  const PYW = `printf '%s\\n' 'import os; open(os.path.expanduser("~/.bashrc"),"a").write("x")'`;
  const JSW = `printf '%s\\n' 'require("fs").appendFileSync(require("os").homedir()+"/.bashrc","x")' > e.js; `;
  const SH = `printf '#!/bin/sh\\n%s\\n' '${EVIL}' > s; chmod +x s; `;
  notSilent([
    // Python imports modules from the script's folder (or the current one for -c/-m) first,
    // before the standard library; site imports sitecustomize from PYTHONPATH.
    `${PYW} > e.py; python3 -c 'import e'`,
    `${PYW} > e.py; python3 -m e`,
    `mkdir -p m; ${PYW} > m/__init__.py; python3 -m m`,
    `${PYW} > json.py; python3 -c 'import json'`,
    `${PYW} > sitecustomize.py; PYTHONPATH=. python3 -c 1`,
    // node preloads (-r, --import, NODE_OPTIONS) and require() of a file or a node_modules package.
    `${JSW}node -r ./e.js -e 1`,
    `${JSW}node --import ./e.js -e 1`,
    `${JSW}NODE_OPTIONS='--require ./e.js' node -e 1`,
    `${JSW}node -e 'require("./e")'`,
    `${JSW}mkdir -p node_modules/y; cp e.js node_modules/y/index.js; node -e 'require("y")'`,
    // npm runs scripts with the shell npm_config_script_shell names.
    `${SH}printf '{"scripts":{"x":"echo hi"}}' > package.json; npm_config_script_shell=./s npm run -s x`,
    // git runs core.fsmonitor from a configuration the call wrote outside .git/config.
    `${SH}git init -q; printf '[core]\\n\\tfsmonitor = ./s\\n' > gc; GIT_CONFIG_GLOBAL=gc git status >/dev/null 2>&1`,
    `${SH}git init -q; printf '[core]\\n\\tfsmonitor = ./s\\n' > gc; git -c include.path=$PWD/gc status >/dev/null 2>&1`,
  ]);
});

describe('red team 2: a name looked up on a changed PATH where the analysis does not look', () => {
  const MK = 'mkdir -p b; cp evil.sh b/g; chmod +x b/g; ';
  notSilent([
    // bash (not dash) looks a script name without `/` up on PATH when the current folder lacks it.
    `mkdir -p b; printf '%s\\n' '${EVIL}' > b/t.sh; PATH=$PATH:b; bash t.sh`,
    `${MK}PATH=b:$PATH; bash g`,
    // `.`/`source` search PATH; `command` and `builtin` in front are not followed.
    `${MK}PATH=b:$PATH; command . g`,
    `${MK}PATH=b:$PATH; builtin source g`,
    // A program found on the changed PATH by exec or command.
    `${MK}PATH=b:$PATH; exec g`,
    `${MK}PATH=b:$PATH; command g`,
    // An assignment in front of a function call holds inside the function.
    `${MK}h() { g; }; PATH=b:$PATH h`,
  ]);
});
