// Red-team findings against the written-then-read analysis (lib/targets/shell/written.ts): each
// command below really writes ~/.bashrc under bash, in a fresh copy of the fixture (checked first),
// and the guard allowed it with nothing unresolved when the red team found it. Each test asserts
// the command is not silently allowed (default config) and is blocked under `unresolved: deny`;
// the last group, ordinary commands the first version made unresolved, must stay silent.
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { bashReference, show, silent } from '../../../helpers/bash-reference.js';

const EVIL = 'echo x >> ~/.bashrc';
const PY = 'import os; open(os.path.expanduser("~/.bashrc"), "a").write("x")';
const JS = 'require("fs").appendFileSync(require("os").homedir() + "/.bashrc", "x")';

/**
 * A hostile repository: a benign script, a payload file, a link `L -> a/b` (so `L/..` is `a` and
 * `L/../..` the project), and `bin/` holding programs named like the commands whose output the
 * guard models (`cat`, `echo`) that print the payload instead.
 */
function prepare(project: string): void {
  fs.writeFileSync(path.join(project, 'f'), 'echo hi\n');
  fs.writeFileSync(path.join(project, 'evil.sh'), `${EVIL}\n`);
  fs.mkdirSync(path.join(project, 'a/b'), { recursive: true });
  fs.symlinkSync('a/b', path.join(project, 'L'));
  fs.writeFileSync(path.join(project, 'a/run.sh'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
  // Scripts whose code follows a comment on what the interpreter, not the analysis, takes as a
  // line end: Python's lone CR, JavaScript's U+2028 LINE SEPARATOR.
  fs.writeFileSync(path.join(project, 'cr.py'), `#\r${PY}\n`);
  fs.writeFileSync(path.join(project, 'ls.js'), `//\u2028${JS}\n`);
  fs.mkdirSync(path.join(project, 'bin'));
  for (const name of ['cat', 'echo']) fs.writeFileSync(path.join(project, 'bin', name), `#!/bin/sh\nprintf '%s\\n' '${EVIL}'\n`, { mode: 0o755 });
}

const { gp, notSilent } = bashReference(prepare);

describe('red team: the modeled output of echo/printf/cat is not what bash writes', () => {
  notSilent([
    // `shopt -s xpg_echo`: echo reads backslash escapes without -e; the model keeps `\n` literal,
    // so the payload looks like part of a comment.
    `shopt -s xpg_echo\necho 'echo hi #\\n${EVIL}' > t.sh; sh t.sh`,
    // bash's printf format keeps `\c` (it stops output only inside %b): the model stops there.
    `printf 'echo hi\\c\\n${EVIL}\\n' > t.sh; sh t.sh`,
    // `cat` and `echo` found on a PATH the command changed, in the hash table, or with the
    // builtin disabled, are the repository's programs, not the ones whose output is modeled.
    `PATH=./bin:$PATH; cat > t.sh <<'EOF'\necho hi\nEOF\nsh t.sh`,
    `hash -p ./bin/cat cat; cat > t.sh <<'EOF'\necho hi\nEOF\nsh t.sh`,
    `enable -n echo; PATH=./bin:$PATH; echo 'echo hi' > t.sh; sh t.sh`,
    // Same root cause outside the written-file path: `cat FILE | sh` feeds the file's text.
    'PATH=./bin:$PATH; cat f | sh',
    // sh is dash here: its echo always reads backslash escapes (and printf's `\c`), in `sh -c`
    // and in a script run by sh; the model prints them as bash's echo would.
    String.raw`sh -c "echo 'echo hi #\necho x >> ~/.bashrc' > t.sh"; sh t.sh`,
    String.raw`sh -c "echo 'echo hi #\012echo x >> ~/.bashrc' > t.sh"; sh t.sh`,
    String.raw`dash -c "echo 'echo hi #\necho x >> ~/.bashrc' > t.sh"; sh t.sh`,
    String.raw`printf '%s\n' "echo 'echo hi #\\necho x >> ~/.bashrc' > t.sh" > w.sh; sh w.sh; sh t.sh`,
    String.raw`sh -c "printf 'echo hi\c\necho x >> ~/.bashrc\n' > t.sh"; sh t.sh`,
    // A nested bash with xpg_echo on: by option, by BASHOPTS, by shopt.
    String.raw`bash -O xpg_echo -c "echo 'echo hi #\necho x >> ~/.bashrc' > t.sh"; sh t.sh`,
    String.raw`env BASHOPTS=xpg_echo bash -c "echo 'echo hi #\necho x >> ~/.bashrc' > t.sh"; sh t.sh`,
    String.raw`bash -c "shopt -s xpg_echo; echo 'echo hi #\necho x >> ~/.bashrc' > t.sh"; sh t.sh`,
    // printf's precision is ignored by the model (it prints the whole argument): `%.0s` of '#'
    // prints nothing, so no comment hides what follows.
    `printf '%.0s%s\\n' '#' '${EVIL}' > t.sh; sh t.sh`,
    `printf '%5.0s%s\\n' '#' '${EVIL}' > t.sh; sh t.sh`,
    // printf's precision counts bytes in the C locale (no LANG here): `%.3s` of 'é #' is 'é '
    // (2+1 bytes), not 'é #' (3 characters), so no comment hides what follows.
    `printf '%.3s; ${EVIL}\\n' '\u00e9 #' > t.sh; sh t.sh`,
  ]);
});

describe('red team: a write that reaches the fresh file with no write event of its name', () => {
  notSilent([
    // A glob expanded when the command runs matches the file the call created; at check time it
    // matched nothing, and its literal text names another file.
    "echo 'echo hi' > t.sh; cp evil.sh t.s[h]; sh t.sh",
    "echo 'echo hi' > t.sh; cat evil.sh >> t.s*; sh t.sh",
    "echo 'echo hi' > t.sh; cp evil.sh ?.sh; sh t.sh",
    "echo 'echo hi' > t.sh; for g in t.*; do cp evil.sh \"$g\"; done; sh t.sh",
    // find lists the folder when it runs, and finds the file the call created.
    "echo 'echo hi' > t.sh; find . -maxdepth 1 -name 't.sh' -exec cp evil.sh {} +; sh t.sh",
  ]);
});

describe('red team: a script the call wrote, run by a name the guard cannot match to it', () => {
  notSilent([
    // A glob expanded when the command runs: at check time it matches nothing, and its literal
    // text names a file that does not exist, so nothing runs in the model.
    `printf '${EVIL}\\n' > t.sh; sh t.s?`,
    `printf '${EVIL}\\n' > t.sh; sh < t.s*`,
    `printf '${EVIL}\\n' > t.sh; . ./t.s*`,
    // find lists the folder when it runs.
    `printf '${EVIL}\\n' > t.sh; find . -name t.sh -exec sh {} \\;`,
    // Not only files the call writes: a glob naming the script of sh is not expanded at all
    // (before db69f8b too).
    'sh evil.s?',
  ]);
});

describe('red team: BASH_ENV is a script every non-interactive bash sources first', () => {
  notSilent([
    `printf '${EVIL}\\n' > t.sh; BASH_ENV=t.sh bash -c true`,
    `printf '${EVIL}\\n' > t.sh; export BASH_ENV=./t.sh; bash -c true`,
    // A repository file (before db69f8b too).
    'BASH_ENV=evil.sh bash -c true',
    'export BASH_ENV=$PWD/evil.sh; bash -c true',
  ]);
});

describe('red team: a program the call wrote, run by its path, whose text is known', () => {
  notSilent([
    // No `#!` line (or not on the first line): execve fails with ENOEXEC and bash runs the file
    // as a shell script itself; the model runs nothing.
    `printf '${EVIL}\\n' > t.sh; chmod +x t.sh; ./t.sh`,
    `printf '\\n#!/usr/bin/python3\\n${EVIL}\\n' > t.sh; chmod +x t.sh; ./t.sh`,
    // A `#!` interpreter given by a path the analysis does not map to a known program (here a
    // script the call wrote): the kernel runs it.
    `printf '#!/bin/sh\\n${EVIL}\\n' > w; chmod +x w; printf '#!./w\\n' > t.sh; chmod +x t.sh; ./t.sh`,
    // Found through a PATH the command changed (before db69f8b too).
    `printf '#!/bin/sh\\n${EVIL}\\n' > t; chmod +x t; PATH=.:$PATH; t`,
    `printf '#!/bin/sh\\n${EVIL}\\n' > t; chmod +x t; PATH=$PWD:$PATH t`,
    `mkdir -p b2; printf '#!/bin/sh\\n${EVIL}\\n' > b2/ls; chmod +x b2/ls; PATH=./b2:$PATH ls`,
  ]);
});

describe('red team: make -j runs recipes at the same time', () => {
  // The analysis walks the recipes in order (r1 reads f, then r2 writes it); make -j2 runs them
  // together, and r1 reads f after r2 rewrote it.
  notSilent([
    "printf 'all: r1 r2\\nr1:\\n\\tsleep 0.3; sh f\\nr2:\\n\\tcp evil.sh f\\n' > mk; make -j2 -f mk",
    "printf 'all: r1 r2\\nr1:\\n\\tsleep 0.3; sh f\\nr2:\\n\\tcp evil.sh f\\n' > Makefile; make -j2",
    "printf 'all: r1 r2\\nr1:\\n\\tsleep 0.3; sh f\\nr2:\\n\\tcp evil.sh f\\n' > Makefile; MAKEFLAGS=-j2 make",
  ]);
});

describe('red team: `..` after a link is the parent of the link\'s target, not of the link', () => {
  notSilent([
    // The write's name, joined lexically (L/../.. is taken as the project's parent).
    "echo 'echo hi' > t.sh; cp evil.sh L/../../t.sh; sh t.sh",
    "echo 'echo hi' > t.sh; cat evil.sh > L/../../t.sh; sh t.sh",
    "echo 'echo hi' > a/t.sh; cp evil.sh L/../t.sh; bash a/t.sh",
    "echo 'echo hi' > t.sh; (cd L && cp ../../evil.sh ../../t.sh); sh t.sh",
    // A link the call makes.
    "mkdir -p m/n; echo 'echo hi' > t.sh; ln -s m/n Q; cp evil.sh Q/../../t.sh; sh t.sh",
    // The script's name: read as a file that does not exist, so nothing runs in the model.
    `printf '${EVIL}\\n' > t.sh; sh L/../../t.sh`,
    `printf '${EVIL}\\n' > L/../t.sh; sh a/t.sh`,
    'cp evil.sh L/../t.sh; bash a/t.sh',
    // The check of a file read by a background job while another command writes it, too.
    '(sleep 0.3; sh f) & cp evil.sh L/../../f; wait',
    '(cd L; sleep 0.3; sh ../../f) & cp evil.sh f; wait',
  ]);
});

describe('red team: a script that rewrites itself while the shell reads it', () => {
  notSilent([
    // bash and dash read a script as it runs: text appended to it is read and run next.
    "printf 'cat evil.sh >> t.sh\\n' > t.sh; bash t.sh",
    "printf 'cat evil.sh >> t.sh\\n' > t.sh; sh t.sh",
    `printf 'echo "${EVIL}" >> t.sh\\n' > t.sh; bash t.sh`,
    "printf 'cat evil.sh >> \"$0\"\\n' > t.sh; bash t.sh",
    // The same through standard input: the shell reads the file as it goes.
    "printf 'cat evil.sh >> t.sh\\n' > t.sh; bash < t.sh",
    "printf 'cat evil.sh >> t.sh\\n' > t.sh; sh < t.sh",
  ]);
});

describe('red team: what an interpreter takes as a line end, the analysis of its code does not', () => {
  notSilent([
    // Python reads a lone CR as a line end; `#` comments only up to it.
    "printf '#\\r%s\\n' '" + PY + "' > t.py; python3 t.py",
    "printf '#!/usr/bin/env python3\\n#\\r%s\\n' '" + PY + "' > t.py; chmod +x t.py; ./t.py",
    // A `coding: utf-7` line: `+AAo-` is a newline to Python.
    "printf '# coding: utf-7\\n#+AAo-%s\\n' '" + PY + "' > t.py; python3 t.py",
    // JavaScript ends a `//` comment at CR and at U+2028.
    "printf '//\\r%s\\n' '" + JS + "' > t.js; node t.js",
    "printf '//\\342\\200\\250%s\\n' '" + JS + "' > t.js; node t.js",
    // Not only files the call writes: the same files in the repository (before db69f8b too).
    'python3 cr.py',
    'cat cr.py | python3',
    'node ls.js',
  ]);
});

describe('red team: false positives new in db69f8b (silently allowed before, unresolved now)', () => {
  // None of these changes the text of the script it then runs: chmod and mkdir -p of an existing
  // folder change no file's text (the threat model says chmod does not count).
  for (const cmd of ['chmod +x f && ./f', 'mkdir -p a && bash a/run.sh', 'mkdir -p a; ./a/run.sh']) {
    it(cmd, () => {
      const v = gp.check(cmd);
      assert.ok(silent(v), show(v));
    });
  }
});
