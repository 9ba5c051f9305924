// Item 2 of issue 14 at the decision level: each shell form that hides a write, blocked; its
// nearest harmless form, allowed (fixture: test/helpers/guard-project.ts).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { guardProject } from '../../../helpers/guard-project.js';
import { loadConfig } from '../../../../lib/config.js';
import { evaluate } from '../../../../lib/index.js';

const g = guardProject();
after(() => g.cleanup());
// Scripts an earlier call wrote: what runs them runs their text as it is now.
for (const [rel, text] of Object.entries({
  'tools/wipe.sh': 'rm -f .env\n', 'tools/ok.sh': 'echo hi > notes.txt\n', 'tools/vars.sh': 'F=.env\nD=src\n',
  'tools/args.sh': 'rm -f "$1"\n', 'tools/wipe.py': 'import os\nos.remove(".env")\n', 'tools/ok.py': 'print(1)\n',
  'tools/wipe.ts': 'import fs from "node:fs";\nfs.rmSync(".env");\n', 'tools/ok.ts': 'console.log(1);\n',
  'package.json': JSON.stringify({ name: 'demo', scripts: { build: 'tsc -p . && echo ok > notes.txt', wipe: 'rm -f .env', pretest: 'sh tools/wipe.sh', test: 'node --test', gen: 'python3 tools/wipe.py', lint: 'echo lint' } }),
  'Makefile': 'F = .env\nall: build\nbuild: src/a.ts\n\t@echo built > notes.txt\nclean:\n\t-$(RM) $(F)\nkeys: ; cp notes.txt ~/.ssh/id_ed25519\nrecurse:\n\t$(MAKE) -C sub clean\n',
  'sub/Makefile': 'clean:\n\trm -rf ../.git\nok:\n\ttrue\n',
})) {
  fs.mkdirSync(path.dirname(path.join(g.project, rel)), { recursive: true });
  fs.writeFileSync(path.join(g.project, rel), text);
}

const forms: [string, string[], string[]][] = [
  ['functions, at each call with their arguments',
    ['wipe() { rm -rf "$1"; }; wipe .git', 'function w { cd "$1"; }; w .git; rm config', 'f() { g "$@"; }; g() { rm "$2"; }; f x .env',
      'f() { "$@"; }; f rm .env', 'f() { shift; rm "$@"; }; f x .env', 'f() { local d=$1; rm "$d/config"; }; f .git', 'cd() { builtin cd "$@"; }; cd .git && rm config',
      "eval 'f() { rm $1; }'; f .env", 'f() { read x; rm "$x"; }; echo .env | f', 'command_not_found_handle() { rm .env; }; nosuchcmd',
      'f() { rm "$1"; }; bash -c "f .git/config"'],
    ['wipe() { rm -rf "$1"; }; wipe src', 'f() { rm "$1"; }; f notes.txt', 'f() { f "$@"; }; true']],
  ['trap actions (where set, and where the command ends)',
    ["trap 'rm .env' EXIT", 'trap cleanup EXIT; cleanup() { rm -f .env; }', "trap 'rm -f id_ed25519' EXIT; cd ~/.ssh", "trap -- 'rm .git/config' INT TERM", 'trap "rm -rf .git" ERR'],
    ["trap 'rm -f notes.txt' EXIT", 'trap - EXIT', 'trap -p']],
  ['source / . of a process substitution, a here-string, a heredoc, /dev/stdin',
    ['source <(echo rm .env)', '. <(printf "rm %s\\n" .git/config)', '. /dev/stdin <<< "rm .env"', 'source /dev/stdin <<EOF\nrm .env\nEOF',
      'echo "rm .env" | source /dev/stdin', 'bash <(echo rm .env)', 'sh <(printf "rm -rf .git")'],
    ['source <(echo echo hi)', '. /dev/stdin <<< "ls"']],
  ['coproc',
    ['coproc rm .env', 'coproc W { rm .git/config; }'], ['coproc cat notes.txt']],
  ['arrays',
    ['files=(.env x); rm "${files[@]}"', 'a=(.env); rm "${a[0]}"', 'a=(x); a+=(.git); rm -r ${a[*]}', 'a=(x y); a[1]=.env; rm "${a[1]}"',
      'a=(x y); a=.env; rm "${a[@]}"', 'declare -a a=(src .git); rm -r "${a[@]}"', 'a=(.env); for f in "${a[@]}"; do rm "$f"; done', 'a=(.en*); rm "${a[@]}"'],
    ['files=(notes.txt x); rm "${files[@]}"', 'a=(.env); cat "${a[@]}"', 'files=(.env x); rm "${files[-1]}"', 'set -- .env x; rm "${@: -1}"']],
  ['negative and computed indexes, slices of the positional parameters',
    ['files=(x .env); rm "${files[-1]}"', 'files=(.env x); rm "${files[-2]}"', 'files=(x .env); i=1; rm "${files[i]}"', 'files=(x .env); i=1; rm "${files[$i]}"',
      'f() { rm "${@: -1}"; }; f x .env', 'set -- x .env; rm "${@: -1}"', 'f() { rm "${@:2}"; }; f x .env', 'f() { rm "${@:1:1}"; }; f .env x', 'set -- x .env; rm ${*:2:1}'],
    ['files=(.env x); rm "${files[-1]}"', 'set -- .env x; rm "${@:2}"']],
  ['read from literal input',
    ['read -r f <<< .env; rm "$f"', 'echo .env | { read f; rm "$f"; }', 'while read -r f; do rm "$f"; done <<EOF\nx\n.env\nEOF',
      'read a b <<< "x .env"; rm $b', 'read -a arr <<< "x .env"; rm "${arr[1]}"', "mapfile -t L <<< $'a\\n.env'; rm \"${L[@]}\"",
      'printf "%s\\n" .git/config | while read p; do rm "$p"; done', 'IFS=: read a b <<< "x:.env"; rm "$b"', 'IFS=: read -r x v <<< "x:.env"; gzip -f "$v"'],
    ['read -r f <<< notes.txt; rm "$f"', 'echo x | { read f; rm "$f"; }']],
  ['input from a process substitution with literal output',
    ['read f < <(echo .env); rm "$f"', 'while read -r f; do rm "$f"; done < <(printf "%s\n" x .env)', 'mapfile -t L < <(echo .git/config); rm "${L[0]}"',
      'xargs rm < <(echo .env)'],
    ['read f < <(echo notes.txt); rm "$f"', 'xargs rm < <(echo notes.txt)']],
  ['printf -v',
    ['printf -v f %s .env; rm $f', 'printf -v f "%s/%s" .git config; rm "$f"'], ['printf -v f %s x; rm $f']],
  ['namerefs (declare -n, local -n)',
    ['declare -n r=x; x=.env; rm $r', 'f() { local -n ref=$1; rm "$ref"; }; v=.env; f v', 'declare -n r=x; r=.env; rm "$x"'],
    ['declare -n r=x; x=notes.txt; rm $r']],
  ['shopt options that change globbing',
    ['shopt -s dotglob; rm -rf *', 'shopt -s globstar dotglob; rm **/config', 'shopt -s extglob dotglob; rm -rf !(src)', 'shopt -s nullglob dotglob; rm -f *'],
    ['shopt -s globstar; rm -f **/*.txt', 'shopt -s nullglob; rm -f *.bak']],
  ['source / . of a script file on disk (PATH, then the working directory), with or without arguments',
    ['source tools/wipe.sh', '. ./tools/wipe.sh', 'source tools/vars.sh; rm "$F"', '. tools/vars.sh && cd "$D" && rm ../.env', 'source tools/args.sh .env',
      'cd tools && source wipe.sh', 'PATH=$PWD/tools:$PATH; source wipe.sh'],
    ['source tools/ok.sh', 'source tools/vars.sh; rm "$D/a.ts"', 'source tools/args.sh notes.txt', 'source tools/missing.sh']],
  ['a script file fed on standard input (< FILE, cat FILE |)',
    ['sh < tools/wipe.sh', 'bash -s < tools/wipe.sh', 'cat tools/wipe.sh | sh', 'cat "tools/wipe.sh" | bash', "cat 'tools/wipe.sh' | bash -e",
      'cat tools/wipe.py | python3 -', 'python3 < tools/wipe.py', 'cat tools/args.sh | sh -s .env'],
    ['sh < tools/ok.sh', 'cat tools/ok.sh | bash', 'cat tools/ok.py | python3 -', 'sh < tools/missing.sh', 'cat tools/args.sh | sh -s notes.txt']],
  ['package.json scripts run by npm, yarn, pnpm and bun (pre/post scripts, the install lifecycle, --prefix)',
    ['npm run wipe', 'npm test', 'npm run-script gen', 'yarn wipe', 'yarn run wipe', 'pnpm wipe', 'pnpm run gen', 'bun run wipe', 'npm run --silent wipe', 'cd src && npm run wipe',
      'npm --prefix . run wipe', 'npx -y cowsay hi && npm run wipe'],
    ['npm run build', 'npm run lint', 'yarn lint', 'pnpm run build', 'bun run lint', 'npm run missing', 'npm install', 'npm run wipe --prefix /nonexistent']],
  ['Makefile recipes run by make (the goals, their prerequisites, variables, make -C, $(MAKE))',
    ['make clean', 'make keys', 'make -C . clean', 'make recurse', 'make -f Makefile clean', 'make .env', 'cd sub && make',
      "make -f - <<'EOF'\nx:\n\trm .env\nEOF", 'D=.git make -f /dev/stdin <<< $\'x:\\n\\trm -rf $(D)\''],
    ['make', 'make build', 'make all', 'make -n clean', 'make --dry-run keys', 'make -C sub ok', 'make -f - < /dev/null']],
  ['shopt -s failglob (an unmatched word is an error; a matched one is expanded as usual)',
    ['shopt -s failglob; rm -f .e*', 'shopt -s failglob dotglob; rm -rf *'], ['shopt -s failglob; rm -f *.bak', 'shopt -s failglob; rm -f src/*.txt']],
  ['globbing widened other ways: GLOBIGNORE set (bash then matches dot names), bash -O, BASHOPTS of a started shell',
    ['GLOBIGNORE=x; rm -rf *', 'export GLOBIGNORE=x; rm -f *', 'f() { GLOBIGNORE=y; }; f; rm -rf *', 'GLOBIGNORE=x; for f in *; do rm -rf "$f"; done',
      "bash -O dotglob -c 'rm -rf *'", "bash -O extglob -O dotglob -c 'rm -f *'", "env BASHOPTS=dotglob bash -c 'rm -f *'",
      "bash -O globstar -O dotglob -c 'rm -f **/config'"],
    ['GLOBIGNORE=; rm -f *', 'rm -f *', "bash -O extglob -c 'rm -f *'", "bash +O dotglob -c 'rm -f *'", "env BASHOPTS=extglob bash -c 'rm -f *'"]],
  ['a descriptor bound to a file after cds in doubt (found by overlay.property.test.ts)',
    ['cd c; cd c; echo P >> /dev/fd/3 && CDPATH=~:. cd .git; { echo P >> /dev/fd/0; } < .env', 'cd a; cd b; cd c && cd d; exec 3<.env; echo k >> /dev/fd/3'],
    ['cd c; cd c; echo P >> /dev/fd/3 && cd src; { echo P >> /dev/fd/0; } < b.txt']],
  ['TypeScript runners and package runners run the command they name (npx, npm exec, uv run, poetry run, bundle exec), script -c',
    ['tsx tools/wipe.ts', 'ts-node tools/wipe.ts', 'npx tsx tools/wipe.ts', 'npx -y tsx tools/wipe.ts', 'npm exec -- tsx tools/wipe.ts', 'pnpm dlx tsx tools/wipe.ts',
      "npx -c 'rm .env'", 'uv run tools/wipe.py', 'uv run --with rich python tools/wipe.py', 'poetry run python tools/wipe.py', 'bundle exec rm .env',
      'script -c "rm .env"', "script -qc 'rm -f .env' /dev/null", 'script -q .env'],
    ['tsx tools/ok.ts', 'npx tsx tools/ok.ts', 'uv run tools/ok.py', 'npx prettier --check src', 'poetry run pytest', 'script -q -c "echo hi" /dev/null',
      'bundle exec rake test']],
  ['env -S',
    ['env -S "rm .env"', 'env -S"rm -rf .git"'], ['env -S "rm notes.txt"']],
  ['a written path wholly unknown before the command runs (unknownTargets, default deny); a fresh mktemp name is not one',
    ['echo "exit 0" >> "$(cat f)"', 'cp notes.txt "$(cat f)"', 'rm -rf "$(cat f)"', 'mv notes.txt `cat f`', 'read -r p < f; echo x > "$p"', 'xargs rm < f',
      'f() { rm -rf "$1"; }; f "$(cat f)"', 'export OUT=$(cat f); rm -rf "${OUT:-dist}"', 'exec 3< "$(cat f)"; echo k >> /dev/fd/3',
      'mktemp -p "$(cat f)"', 'TMPDIR=$(cat f) mktemp', 'mktemp ~/.ssh/XXXXXX', 'mktemp -p .git', 'f=$(mktemp -p ~/.ssh); echo k > "$f"', 'TMPDIR=~/.ssh mktemp -t k.XXXX',
      'rm -f "$(git rev-parse --git-dir)/config"'],
    ['tmp=$(mktemp -d); cp notes.txt "$tmp/"; rm -rf "$tmp"', 'cp notes.txt "$(mktemp)"', 'f=$(mktemp /tmp/x.XXXXXX); echo hi > "$f"', 'f=$(mktemp -p src); echo x > "$f"',
      'f=$(mktemp --tmpdir); echo x > $f', 'f=$(mktemp -t name.XXXX); echo > $f', "tmp=$(mktemp -d); trap 'rm -rf \"$tmp\"' EXIT; cd $tmp && touch a",
      'TMPDIR=/var/tmp mktemp -d', 'cd "$(git rev-parse --show-toplevel)" && rm -rf build', 'out="${OUT:-dist}"; rm -rf "$out"', 'f() { rm -rf "$1"; }; f build',
      'rm -rf "$1"', 'cat "$(cat f)"', 'mktemp -u ~/.ssh/XXXXXX', 'x=$(< notes.txt); echo "$x"', 'echo x >> ""']],
];

for (const [name, blocked, allowed] of forms) {
  describe(name, () => {
    for (const c of blocked) it(`blocks ${JSON.stringify(c)}`, () => assert.notEqual(g.check(c).decision, 'allow', JSON.stringify(g.check(c).targets.map((t) => [t.op, t.path]))));
    for (const c of allowed) it(`allows ${JSON.stringify(c)}`, () => assert.equal(g.check(c).decision, 'allow', g.check(c).reason));
  });
}

it('a script this call writes before sourcing it: its known text is sourced; unknown text is an unresolved write (governed by `unresolved`)', () => {
  assert.equal(g.check('echo "rm .env" > t.sh; source t.sh').decision, 'deny');
  const v = g.check('some-generator > t2.sh; source t2.sh');
  assert.ok(v.targets.some((t) => t.op === 'write' && t.unresolved), JSON.stringify(v.targets));
});

it('the arguments after a script name reach the script (npm t, run, start; yarn NAME), and make -j takes only a number', () => {
  const dir = path.join(g.project, 'argpkg');
  fs.mkdirSync(dir, { recursive: true });
  // `config` alone names no protected file: only the script's own `cd ../.git` makes it .git/config.
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ scripts: { test: 'cd ../.git && touch', start: 'cd ../.git && touch', x: 'cd ../.git && touch' } }));
  fs.writeFileSync(path.join(dir, 'Makefile'), 'all:\n\ttrue\nclean:\n\trm -f ../.env\n');
  for (const c of ['npm t -- config', 'npm tst -- config', 'npm test -- config', 'npm start -- config', 'npm run x -- config', 'yarn x config', 'make -j clean', 'make -j 4 clean', 'make --jobs clean']) {
    assert.notEqual(g.check(c, dir).decision, 'allow', c);
  }
  for (const c of ['npm run none -- config', 'make -j 4', 'make -j4 all', 'make -l 2']) assert.equal(g.check(c, dir).decision, 'allow', c);
});

it('a hostile Makefile or package.json costs bounded work: long lines, doubling variables, deep recursion', { timeout: 60_000 }, () => {
  const dir = path.join(g.project, 'hostile');
  fs.mkdirSync(dir, { recursive: true });
  const doubling = Array.from({ length: 30 }, (_, i) => `V${i} = $(V${i + 1})$(V${i + 1})`).join('\n');
  fs.writeFileSync(path.join(dir, 'Makefile'), `${' '.repeat(200_000)}x\n${doubling}\nV30 = x\nall:\n\techo $(V0) > out\nloop:\n\t$(MAKE) loop\n`);
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ scripts: { a: 'npm run a', b: ' '.repeat(100_000) } }));
  // Unknown expansion: an unresolved write; endless recursion: the nesting bound blocks.
  assert.ok(g.check('make', dir).targets.some((t) => t.unresolved));
  assert.notEqual(g.check('make loop', dir).decision, 'allow');
  assert.notEqual(g.check('npm run a', dir).decision, 'allow');
  assert.equal(g.check('npm run b', dir).decision, 'allow');
});

describe('BASHOPTS inherited from the environment the agent starts its shell from', () => {
  const config = loadConfig({ cwd: g.project, home: g.home, env: g.env, platform: 'linux' });
  const decide = (command: string, env: Record<string, string>) => evaluate({
    session_id: 's', transcript_path: '/nonexistent/t.jsonl', cwd: g.project, permission_mode: 'default',
    hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: 'toolu_01T1',
  }, { env, home: g.home, config, agent: 'claude' }).verdict.decision;
  it('BASHOPTS holding dotglob: `rm -f *` reaches .env, blocked', () => assert.notEqual(decide('rm -f *', { ...g.env, BASHOPTS: 'checkwinsize:dotglob' }), 'allow'));
  it('BASHOPTS without it: allowed', () => assert.equal(decide('rm -f *', { ...g.env, BASHOPTS: 'checkwinsize:extglob' }), 'allow'));
});
