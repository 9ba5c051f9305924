// Issue 13: git runs the commands that the config files it reads name (core.fsmonitor,
// diff.external, filter.*.clean, aliases with `!`, ext:: URLs...), wherever those files come from:
// GIT_CONFIG_GLOBAL, HOME, XDG_CONFIG_HOME, includes given on the command line or in a file, a
// repository chosen by GIT_DIR or found through a `.git` file, a hostile repository's own
// .git/config. Each bypass below is first run with real bash in a fresh copy of the fixture and
// really writes ~/.bashrc; the guard must not allow it silently, and blocks it under
// `unresolved: deny` (lib/targets/shell/git-config-files.ts). Ordinary git use stays silent.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { bashReference, show, silent } from '../../../helpers/bash-reference.js';
import { guardProject } from '../../../helpers/guard-project.js';
import { configEntries } from '../../../../lib/targets/shell/git-config-text.js';

const EVIL = 'echo x >> ~/.bashrc';
const ID = { GIT_AUTHOR_NAME: 'a', GIT_AUTHOR_EMAIL: 'a@b', GIT_COMMITTER_NAME: 'a', GIT_COMMITTER_EMAIL: 'a@b' };

function git(cwd: string, ...args: string[]): void {
  const home = path.join(cwd, '..', 'home');
  const r = spawnSync('git', args, { cwd, env: { PATH: process.env.PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1', ...ID }, encoding: 'utf8' });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
}

/** A repository `name` in the project with one commit, then `config` appended to its .git/config. */
function repo(project: string, name: string, config: string, files: Record<string, string> = {}): string {
  const d = path.join(project, name);
  fs.mkdirSync(d, { recursive: true });
  git(d, 'init', '-q');
  fs.writeFileSync(path.join(d, 'f'), 'one\n');
  git(d, 'add', 'f');
  git(d, 'commit', '-qm', 'one');
  for (const [f, t] of Object.entries(files)) fs.writeFileSync(path.join(d, f), t);
  fs.appendFileSync(path.join(d, '.git/config'), config);
  return d;
}

/**
 * The project is a repository with one commit; beside it, repositories as a hostile archive
 * delivers them, whose own .git/config names a command that writes ~/.bashrc.
 */
function prepare(project: string): void {
  fs.writeFileSync(path.join(project, 'evil.sh'), `${EVIL}\n`);
  fs.writeFileSync(path.join(project, 'fsm'), `#!/bin/sh\n${EVIL}\n`, { mode: 0o755 });
  git(project, 'init', '-q');
  git(project, 'add', 'README.md');
  git(project, 'commit', '-qm', 'one');
  const evil = path.join(project, 'evil.sh');
  repo(project, 'hostile', `[core]\n\tfsmonitor = ${path.join(project, 'fsm')}\n`);
  // A `.git` file leads to that repository.
  fs.mkdirSync(path.join(project, 'linked'));
  fs.writeFileSync(path.join(project, 'linked/.git'), 'gitdir: ../hostile/.git\n');
  repo(project, 'diffx', `[diff]\n\texternal = sh ${evil}\n`, { f: 'two\n' });
  repo(project, 'filt', `[filter "x"]\n\tclean = sh ${evil}\n`, { '.gitattributes': 'g filter=x\n', g: 'g\n' });
  repo(project, 'extr', `[protocol "ext"]\n\tallow = always\n[remote "o"]\n\turl = ext::sh ${evil}\n`);
  // An include relative to the including file (.git/config includes the repository's `inc.cfg`).
  // A relative command runs from the top of the tree, wherever git was started.
  const hrel = repo(project, 'hrel', '[core]\n\tfsmonitor = ./fsm\n');
  fs.copyFileSync(path.join(project, 'fsm'), path.join(hrel, 'fsm'));
  fs.mkdirSync(path.join(hrel, 'd'));
  repo(project, 'hinc', '[include]\n\tpath = ../inc.cfg\n', { 'inc.cfg': `[core]\n\tfsmonitor = ${path.join(project, 'fsm')}\n` });
}

const ref = bashReference(prepare);
const notSilent = (cmds: string[]): void => ref.notSilent(cmds);

/** `s`: an executable script that writes ~/.bashrc (the home as the call starts, whatever HOME git is given). */
const S = `printf '#!/bin/sh\\n%s\\n' "echo x >> $HOME/.bashrc" > s; chmod +x s; `;
/** `gc`: a config naming `./s` as core.fsmonitor (printf with escapes: text the guard does not know). */
const GC = `${S}printf '[core]\\n\\tfsmonitor = ./s\\n' > gc; `;

describe('git config files the call wrote: git may run anything they name', () => {
  notSilent([
    `${GC}export GIT_CONFIG_GLOBAL=gc; git status >/dev/null 2>&1`,
    `${GC}env GIT_CONFIG_GLOBAL=gc git status >/dev/null 2>&1`,
    `${GC}GIT_CONFIG_GLOBAL=gc sh -c 'git status >/dev/null 2>&1'`,
    `${GC}GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=include.path GIT_CONFIG_VALUE_0=$PWD/gc git status >/dev/null 2>&1`,
    `${GC}V=$PWD/gc git --config-env=include.path=V status >/dev/null 2>&1`,
    `${GC}git -c includeIf.gitdir:/.path=$PWD/gc status >/dev/null 2>&1`,
    `${GC}printf '[includeIf "gitdir:/"]\\n\\tpath = gc\\n' > gc0; GIT_CONFIG_GLOBAL=gc0 git status >/dev/null 2>&1`,
    `${S}printf '[core]\\n\\tfsmonitor = ./s\\n' > .gitconfig; HOME=$PWD git status >/dev/null 2>&1`,
    `${S}mkdir -p git; printf '[core]\\n\\tfsmonitor = ./s\\n' > git/config; XDG_CONFIG_HOME=$PWD git status >/dev/null 2>&1`,
    // A repository chosen by GIT_DIR, or found through a `.git` file the call wrote.
    `${S}cp -r .git g2; printf '[core]\\n\\tfsmonitor = ./s\\n' >> g2/config; GIT_DIR=g2 git status >/dev/null 2>&1`,
    `${S}cp -r .git g3; printf '[core]\\n\\tfsmonitor = ../s\\n' >> g3/config; mkdir sub; echo 'gitdir: ../g3' > sub/.git; git -C sub status >/dev/null 2>&1`,
    `${S}cp -r .git g3; printf '[core]\\n\\tfsmonitor = ../s\\n' >> g3/config; mkdir sub; echo 'gitdir: ../g3' > sub/.git; cd sub && git status >/dev/null 2>&1`,
    // The repository it names is the hostile one: the `.git` file alone decides which config runs.
    `mkdir sub; echo 'gitdir: ../hostile/.git' > sub/.git; git -C sub status >/dev/null 2>&1`,
    // core.hooksPath and aliases in such a file.
    `mkdir h; printf '#!/bin/sh\\n%s\\n' '${EVIL}' > h/pre-commit; chmod +x h/pre-commit; printf '[core]\\n\\thooksPath = h\\n[user]\\n\\tname = a\\n\\temail = a@b\\n' > gc; GIT_CONFIG_GLOBAL=gc git commit -q --allow-empty -m x >/dev/null 2>&1`,
    // Known text (echo of plain text): read as written, and the alias it defines is analyzed.
    `echo '[alias] x = !sh evil.sh' > gc; GIT_CONFIG_GLOBAL=gc git x`,
    `${S}echo '[core] fsmonitor = ./s' > gc; GIT_CONFIG_GLOBAL=gc git status >/dev/null 2>&1`,
    // git runs a relative command from the top of the tree, not from where it was started.
    `${S}mkdir -p src/d; cd src/d && git -c core.fsmonitor=./s status >/dev/null 2>&1`,
    // The value of a variable the call made unknown.
    `${GC}GIT_CONFIG_GLOBAL=$(echo gc) git status >/dev/null 2>&1`,
  ]);
  it('the reason names the config file', () => {
    // cp: the copy's text is not known (printf and echo of plain text are, and are read as written).
    const v = ref.gp.check('cp README.md gc; GIT_CONFIG_GLOBAL=gc git status');
    assert.ok(v.targets.some((t) => t.unresolved), show(v));
    assert.match(v.reason ?? '', /commands from git config: .*\/gc\b/);
  });
});

describe("a repository's own config on disk (a hostile archive): its commands are analyzed", () => {
  notSilent([
    'cd hostile && git status >/dev/null 2>&1',
    'git -C hostile status >/dev/null 2>&1',
    'git -C linked status >/dev/null 2>&1',
    'git -C diffx diff >/dev/null 2>&1',
    'git -C filt add g >/dev/null 2>&1',
    'git -C extr fetch o >/dev/null 2>&1',
    'git -C hinc status >/dev/null 2>&1',
    // A copy of a folder whose `.git` file leads there: git finds the copy's `.git` first.
    'cp -r linked w && git -C w status >/dev/null 2>&1',
    'cd hrel/d && git status >/dev/null 2>&1',
    'git -C hrel/d status >/dev/null 2>&1',
  ]);
  it('every command-running key is walked (interactive.diffFilter, gpg.program, a credential helper with `!`)', () => {
    for (const kv of ['[interactive] diffFilter = sh evil.sh', '[gpg] program = sh evil.sh', '[credential] helper = !sh evil.sh', '[core] sshCommand = sh evil.sh']) {
      const v = ref.gp.check(`echo '${kv}' > gc; GIT_CONFIG_GLOBAL=gc git status`);
      assert.equal(v.decision, 'deny', `${kv}: ${show(v)}`);
    }
    // A helper name alone is `git credential-NAME`, not shell text.
    assert.ok(silent(ref.gp.check("echo '[credential] helper = store' > gc; GIT_CONFIG_GLOBAL=gc git status")));
  });
  it('the command a file names is walked as shell text: blocked by the rule its write meets', () => {
    const v = ref.gp.check('git -C diffx diff');
    assert.equal(v.decision, 'deny', show(v));
    assert.match(v.reason ?? '', /bashrc/);
  });
});

describe("the user's own ~/.gitconfig is read as it is on disk", () => {
  // Nothing protects ~/.gitconfig: an earlier call may have written it like any file.
  const user = bashReference((project) => {
    prepare(project);
    fs.writeFileSync(path.join(project, '..', 'home', '.gitconfig'), `[core]\n\tfsmonitor = ${path.join(project, 'fsm')}\n`);
  });
  user.notSilent(['git -C hostile status >/dev/null 2>&1 || true; git status >/dev/null 2>&1']);
});

describe('ordinary git use stays silent', () => {
  const gp = guardProject();
  after(() => gp.cleanup());
  prepare(gp.project);
  const home = gp.home;
  // A developer's usual settings: a pager, an editor, git-lfs filters, a credential store, an include.
  // (An alias from a config file is still an unknown subcommand: README, git table.)
  fs.writeFileSync(path.join(home, '.gitconfig'), [
    '[user]\n\tname = Dev\n\temail = dev@example.com',
    '[core]\n\tpager = less -FRX\n\teditor = vim',
    '[filter "lfs"]\n\tclean = git-lfs clean -- %f\n\tsmudge = git-lfs smudge -- %f\n\tprocess = git-lfs filter-process\n\trequired = true',
    '[credential]\n\thelper = store\n\thelper = !/usr/bin/gh auth git-credential',
    '[interactive]\n\tdiffFilter = delta --color-only',
    // Run only by `git mergetool`/`git difftool`, with $MERGED... that git sets: not by the others.
    '[mergetool "vscode"]\n\tcmd = code --wait $MERGED\n[difftool "vscode"]\n\tcmd = code --wait --diff $LOCAL $REMOTE',
    '[alias]\n\tst = status\n\tlg = log --oneline',
    '[include]\n\tpath = ~/.gitconfig.local',
    '[includeIf "gitdir:~/work/"]\n\tpath = ~/.gitconfig.work',
    '',
  ].join('\n'));
  fs.writeFileSync(path.join(home, '.gitconfig.local'), '[color]\n\tui = auto\n');
  const cmds = [
    'git status', 'git log', 'git log --oneline -5', 'git diff', 'git diff HEAD', 'git show HEAD', 'git -c color.ui=never status',
    'git add src/a.ts', 'git init -q && git status', 'mkdir x && cd x && git init -q && git status',
    'GIT_CONFIG_GLOBAL=/dev/null git status', 'GIT_CONFIG_NOSYSTEM=1 git log', 'git branch -a', 'git rev-parse HEAD',
    'cd src && git status', 'git -C src log',
  ];
  for (const cmd of cmds) {
    it(cmd, () => {
      const v = gp.check(cmd);
      assert.ok(silent(v), show(v));
    });
  }
});

describe('a config file git reads that the guard cannot read as git will: unresolved', () => {
  const gp = guardProject();
  after(() => gp.cleanup());
  prepare(gp.project);
  const unresolved = (cmd: string): void => {
    const v = gp.check(cmd);
    assert.ok(v.targets.some((t) => t.unresolved), show(v));
    assert.match(v.reason ?? '', /commands from git config/);
  };
  it('over 256 KiB', () => {
    repo(gp.project, 'big', `[core]\n${'\t# padding\n'.repeat(30_000)}`);
    unresolved('git -C big status');
  });
  it('a FIFO (an include that would stall a reader)', () => {
    const d = repo(gp.project, 'fifo', '[include]\n\tpath = hang\n');
    assert.equal(spawnSync('mkfifo', [path.join(d, '.git/hang')]).status, 0);
    unresolved('git -C fifo log');
  });
  it('a line git refuses, includes nested past the bound, a `.git` file the call wrote', () => {
    repo(gp.project, 'bad', '[core\n\tpager = less\n');
    unresolved('git -C bad status');
    const loop = repo(gp.project, 'loop', '[include]\n\tpath = config\n');
    assert.ok(fs.existsSync(loop));
    unresolved('git -C loop status');
    // (Writing a `.git` by name is the vcs preset's: denied before this.) A copy brings one along.
    fs.mkdirSync(path.join(gp.project, 'lk'));
    fs.writeFileSync(path.join(gp.project, 'lk/.git'), 'gitdir: ../hostile/.git\n');
    unresolved('cp -r lk w && git -C w log');
  });
});

describe('git config syntax: the parser reads what git reads', () => {
  const dir = fs.mkdtempSync(path.join(ref.gp.root, 'cfg-'));
  /** git's own reading: `key\nvalue\0` per entry (`key\0` for a key with no `=`), or undefined when git refuses the file. */
  function gitReads(text: string): [string, string][] | undefined {
    const f = path.join(dir, 'c');
    fs.writeFileSync(f, text);
    const r = spawnSync('git', ['config', '--file', f, '--list', '--null'], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: dir } });
    if (r.status !== 0) return undefined;
    return r.stdout.split('\0').filter((e) => e !== '').map((e) => {
      const nl = e.indexOf('\n');
      return nl < 0 ? [e, 'true'] : [e.slice(0, nl), e.slice(nl + 1)];
    });
  }
  const mine = (text: string): [string, string][] | undefined => {
    const out: [string, string][] = [];
    return configEntries(text, (k, v) => out.push([k, v])) ? out : undefined;
  };
  // Keys git lower-cases: section and name; the subsection keeps its case (old syntax: lowered).
  const norm = (es: [string, string][]): string => JSON.stringify(es);
  it('fixed forms: subsections, old syntax, a key on the header line, comments, quotes, continuations', () => {
    const texts = [
      '[core]\n\tfsmonitor = ./s\n',
      '[Core] FSMonitor=./s # comment\n',
      '[filter "X y"]\n clean = "sh -c \\"a;b\\"" ; c\n',
      '[filter.Lfs]\n\tclean = x\n',
      '[alias]\n\tx = !sh \\\n evil.sh\n',
      '\uFEFF[core]\n\tpager\n',
      '; c\n# c\n[core]\n\n\tpager = less\n',
      '[includeIf "gitdir:~/w/"]\n\tpath = ~/.w\n',
    ];
    for (const t of texts) assert.equal(norm(mine(t) ?? []), norm(gitReads(t) ?? []), JSON.stringify(t));
  });
  it('property: whenever the parser understands a file git accepts, both read the same entries', () => {
    const line = fc.oneof(
      fc.constantFrom('[core]', '[Core]', '[filter "A b"]', '[filter.x]', '[alias]', '[a "q\\"x"]', '[ core ]', '[core "" ]', '[x] k = v', '# c', '; c', '', '   '),
      fc.tuple(fc.constantFrom('pager', 'Editor', 'fsmonitor', 'clean', 'x-1', '1bad', 'a_b'), fc.constantFrom('', ' = ', '=', ' '),
        fc.constantFrom('less', '"a b"', 'x # c', 'x ; c', '"a;b"', 'a\\"b', 'a\\\\', '"open', 'a\\tb', '  v  ', '')).map(([k, e, v]) => `\t${k}${e}${e === '' ? '' : v}`),
    );
    fc.assert(fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), (lines) => {
      const text = `${lines.join('\n')}\n`;
      const m = mine(text);
      const g = gitReads(text);
      if (m !== undefined && g !== undefined) assert.equal(norm(m), norm(g), JSON.stringify(text));
    }), { numRuns: 150 });
  });
});
