// Asking git instead of guessing (lib/targets/shell/git-query.ts, git-asked.ts, hooks/git-query.ts):
// against real repositories in temp dirs and the real git. What git really changes is found by
// running the command in a copy; a hostile repository's settings must run nothing when the
// guard asks.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { askGit } from '../../../../hooks/git-query.js';
import { preToolUse } from '../../../../lib/guard.js';
import { shellTargets } from '../../../../lib/targets/shell/index.js';
import { driverOverrides, unquote } from '../../../../lib/targets/shell/git-query.js';
import { Budget, type RawTarget } from '../../../../lib/types.js';
import { tree, U } from './helpers.js';
import { claudePayload, hookPath, runHookSync, sandbox } from '../../../helpers/hook.js';

const { root, home } = tree();
const PATH = process.env.PATH ?? '/usr/bin:/bin';
const GIT_ENV = {
  PATH, HOME: home, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@e', GIT_COMMITTER_NAME: 't',
  GIT_COMMITTER_EMAIL: 't@e', GIT_EDITOR: 'true', GIT_PAGER: 'cat',
};
const git = (dir: string, ...args: string[]): string => {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8', env: GIT_ENV });
  assert.equal(r.status, 0, `git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
};
const have = spawnSync('git', ['--version']).status === 0;
const put = (dir: string, f: string, s: string): void => {
  fs.mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
  fs.writeFileSync(path.join(dir, f), s);
};

/** A repository with tracked, modified, staged, untracked and ignored files, and a second branch. */
function repo(name: string, dirty = true): string {
  const dir = path.join(root, name);
  fs.rmSync(dir, { recursive: true, force: true });
  put(dir, '.gitignore', '/.env\n*.log\n');
  for (const f of ['a.txt', 'src/x.ts', 'src/deep/y.md', 'b.txt']) put(dir, f, `${f} 1\n`);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'one');
  git(dir, 'checkout', '-qb', 'other');
  put(dir, 'a.txt', 'a.txt 2\n');
  put(dir, 'src/.env', 'tracked secret\n');
  fs.rmSync(path.join(dir, 'b.txt'));
  put(dir, 'c.txt', 'c\n');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-qm', 'two');
  git(dir, 'checkout', '-q', 'main');
  if (dirty) {
    put(dir, 'src/x.ts', 'staged\n');
    git(dir, 'add', 'src/x.ts');
    put(dir, 'b.txt', 'b modified\n');
  }
  put(dir, '.env', 'SECRET=1\n');
  put(dir, 'run.log', 'log\n');
  put(dir, 'new.txt', 'untracked\n');
  put(dir, 'src/deep/z.txt', 'untracked\n');
  // An untracked directory holding an ignored file: clean -d removes the one, keeps the other.
  put(dir, 'tmp/n.txt', 'untracked\n');
  put(dir, 'tmp/t.log', 'ignored\n');
  return dir;
}

const env = { PATH, HOME: home };
function targets(dir: string, command: string, query = askGit, e: Record<string, string | undefined> = env): RawTarget[] {
  return shellTargets(command, { cwd: dir, home, env: e, budget: new Budget(20_000), git: query });
}
/** A target of a hook the command runs (git-hooks.ts): the hook's script, its unknown arguments, an unknown hooks folder. */
const fromHooks = (t: RawTarget): boolean => /^sh script|hook|\(hooks\)/.test(t.via ?? '') || /\(hook/.test(t.literal ?? '');

/** `op path` relative to `dir`, `?` when unresolved. */
const brief = (dir: string, ts: RawTarget[]): string[] =>
  ts.map((t) => `${t.op} ${path.posix.relative(dir, path.posix.resolve(t.base, t.path)).split(U).join('<U>') || '.'}${t.unresolved ? ' ?' : ''}`).sort();

describe('git query: clean asks git clean -n with the same options', { skip: !have && 'git not installed' }, () => {
  const dir = repo('clean');
  const cases: [string, string[]][] = [
    ['git clean -fd', ['delete new.txt', 'delete src/deep/z.txt', 'delete tmp/n.txt']],
    // Without -d, untracked files in directories that hold tracked files go too (git says so).
    ['git clean -f', ['delete new.txt', 'delete src/deep/z.txt']],
    ['git clean -fdx', ['delete .env', 'delete new.txt', 'delete run.log', 'delete src/deep/z.txt', 'delete tmp']],
    ['git clean -fX', ['delete .env', 'delete run.log', 'delete tmp/t.log']],
    ['git clean -fdx -e .env', ['delete new.txt', 'delete run.log', 'delete src/deep/z.txt', 'delete tmp']],
    ['git clean -fdx -- src', ['delete src/deep/z.txt']],
    ['cd src && git clean -fdx .', ['delete src/deep/z.txt']],
    ['git -C src clean -fx :/', ['delete .env', 'delete new.txt', 'delete run.log', 'delete src/deep/z.txt', 'delete tmp']],
    // Nearest forms not in the issue: an option value that looks like an option stays a value.
    ['git clean -fd -e --dry-run', ['delete new.txt', 'delete src/deep/z.txt', 'delete tmp/n.txt']],
    ['git clean -fd -- --force', []],
    ['git clean -n', []],
  ];
  for (const [cmd, want] of cases) it(cmd, () => assert.deepEqual(brief(dir, targets(dir, cmd)), want));

  it('interactive clean, an unknown option, or another command first: the conservative answer', () => {
    for (const cmd of ['git clean -fdi', 'git clean -fd --frobnicate', 'rm -f x && git clean -fd', 'for i in 1; do git clean -fd; done',
      'git -c core.excludesFile=/dev/null clean -fd', 'nice git clean -fd', 'git status && nice git clean -fd', 'echo $(git clean -fd)',
      'git clean -fd & wait', 'f() { :; }; git clean -fd', 'export GIT_DIR=.git; git clean -fd', 'echo x > a.txt && git clean -fd',
      'sh -c "git clean -fd"', 'printf -v X y; git clean -fd', 'git clean -fd | xargs rm']) {
      assert.ok(brief(dir, targets(dir, cmd)).includes('delete .'), cmd);
    }
    // Later commands cannot change what git met; quiet ones before it and beside it in a pipeline change nothing.
    for (const cmd of ['git clean -fd && rm -f x', 'cd src && cd .. && git clean -fd', 'git clean -fd 2>&1 | tail -n 3', 'git clean -fd > /dev/null; make']) {
      assert.ok(!brief(dir, targets(dir, cmd)).includes('delete .'), cmd);
    }
  });

  it('a name with quotes, a newline and non-ASCII bytes comes back as written', () => {
    const d = repo('clean-names');
    for (const n of ['we"ird\nname', 'naïve.txt', 'back\\slash']) put(d, n, 'x');
    assert.deepEqual(brief(d, targets(d, 'git clean -f')), ['delete back\\slash', 'delete naïve.txt', 'delete new.txt', 'delete src/deep/z.txt', 'delete we"ird\nname']);
  });
});

/**
 * The git-destructive preset's command rules block `git clean -f`, `git reset --hard` and the like
 * outright; these tests are about the path targets git's answers give, so the user config (as a
 * user may) switches that preset off.
 */
function gitDestructiveOff(configHome: string): void {
  fs.mkdirSync(path.join(configHome, 'hookwarden'), { recursive: true });
  fs.writeFileSync(path.join(configHome, 'hookwarden', 'config.json'), JSON.stringify({ presets: { 'git-destructive': false } }));
}

describe('git query: the guard allows git clean -fd beside an ignored .env', { skip: !have && 'git not installed' }, () => {
  const dir = repo('guard');
  gitDestructiveOff(path.join(home, '.config'));
  const decide = (command: string): string => {
    const payload = { session_id: 's', transcript_path: '/t', cwd: dir, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command } };
    return preToolUse(JSON.stringify(payload), { env: { ...env, XDG_CONFIG_HOME: path.join(home, '.config'), CLAUDE_PROJECT_DIR: dir }, git: askGit }).verdict.decision;
  };
  it('git clean -fd at the root: allowed, .env is not a target', () => assert.equal(decide('git clean -fd'), 'allow'));
  it('git clean -fdx: blocked (it deletes .env)', () => assert.equal(decide('git clean -fdx'), 'deny'));
  it('an untracked .env that is not ignored: blocked', () => {
    put(dir, 'src/deep/.env', 'untracked secret\n');
    try {
      assert.equal(decide('git clean -fd'), 'deny');
    } finally {
      fs.rmSync(path.join(dir, 'src/deep/.env'));
    }
  });
  it('a branch switch that rewrites a tracked .env: blocked; one that does not: allowed', () => {
    assert.equal(decide('git checkout other'), 'deny'); // src/.env exists only on other
    assert.equal(decide('git reset --hard'), 'allow'); // b.txt, src/x.ts
    assert.equal(decide('git stash -a'), 'deny');
    assert.equal(decide('git stash -u'), 'allow');
  });
  it('without the query (the library API), the conservative answer: blocked', () => {
    const payload = { session_id: 's', transcript_path: '/t', cwd: dir, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'git clean -fd' } };
    assert.equal(preToolUse(JSON.stringify(payload), { env: { ...env, CLAUDE_PROJECT_DIR: dir } }).verdict.decision, 'deny');
  });
});

// Differential: the targets git names are exactly what the command really changes in a copy.
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) {
        if (e.name !== '.git') walk(p);
      } else out.set(p, e.isSymbolicLink() ? `link:${fs.readlinkSync(p)}` : fs.readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

describe('git query: targets are the files git really changes', { skip: !have && 'git not installed' }, () => {
  const commands = ['reset --hard', 'reset --hard other', 'reset --keep HEAD', 'checkout other', 'checkout -f other', 'switch other',
    'switch -c n other', 'checkout -b n', 'stash', 'stash -u', 'stash -a', 'stash push -u -- src', 'clean -fd', 'clean -fdx', 'clean -fX', 'clean -f', 'clean -fx :/', 'clean -fd -e n.txt', 'clean -fdX -- tmp',
    'checkout -- .', 'checkout other -- src', 'checkout HEAD -- b.txt src', 'reset --merge other', 'reset --keep other', 'reset --merge HEAD', 'checkout -m other',
    // Nearest forms not in the issue: restore reads like checkout -- paths.
    'restore .', 'restore -- src', 'restore --source=other -- .', 'restore -SW -- .', 'restore -s other --overlay -- src', 'restore -W -s HEAD b.txt'];
  // With local changes (some switches refuse: then only soundness holds) and without (they go through).
  // Stashes to put back: one of tracked changes, one with untracked files.
  const popped = ['stash pop', 'stash apply', 'stash apply 1', 'stash pop --index'];
  const all = [...commands.map((c) => [c, true] as const), ...commands.map((c) => [c, false] as const), ...popped.map((c) => [c, false] as const)];
  for (const [c, dirty] of all) {
    it(`git ${c}${dirty ? '' : ' (no local changes)'}`, () => {
      const dir = repo('diff', dirty);
      if (popped.includes(c)) {
        put(dir, 'a.txt', 'stashed change\n');
        git(dir, 'stash', 'push', '-u', '--', 'a.txt', 'new.txt', 'tmp');
        git(dir, 'rm', '-q', 'b.txt');
        put(dir, 'src/deep/y.md', 'second stash\n');
        git(dir, 'stash');
      }
      const ts = targets(dir, `git ${c}`);
      assert.ok(ts.every((t) => !t.unresolved), `asked, so nothing unknown: ${brief(dir, ts).join(', ')}`);
      const before = snapshot(dir);
      const ran = spawnSync('git', c.split(' '), { cwd: dir, env: GIT_ENV }).status === 0;
      const after = snapshot(dir);
      const changed = [...new Set([...before.keys(), ...after.keys()])].filter((f) => before.get(f) !== after.get(f)).sort();
      const named = ts.map((t) => path.posix.resolve(t.base, t.path));
      const covers = (t: string, f: string): boolean => f === t || f.startsWith(`${t}/`);
      assert.deepEqual(changed.filter((f) => !named.some((t) => covers(t, f))), [], 'a changed file no target names');
      if (ran) assert.deepEqual(named.filter((t) => !changed.some((f) => covers(t, f))), [], 'a target the command did not change');
    });
  }
});

describe('git query: what is in the way of a file git writes counts as deleted', { skip: !have && 'git not installed' }, () => {
  it('an untracked directory holding .env where a file goes', () => {
    const dir = repo('in-the-way', false);
    put(dir, 'c.txt/.env', 'SECRET\n'); // `other` has a file c.txt
    const ts = brief(dir, targets(dir, 'git reset --hard other'));
    assert.ok(ts.includes('delete c.txt') && ts.includes('write c.txt'), ts.join(', '));
    const before = snapshot(dir);
    assert.equal(spawnSync('git', ['reset', '--hard', 'other'], { cwd: dir, env: GIT_ENV }).status, 0);
    assert.equal(fs.existsSync(path.join(dir, 'c.txt/.env')), false, 'git did delete it');
    assert.ok(before.has(path.join(dir, 'c.txt/.env')));
  });
  it('a symbolic link where git makes a directory is deleted, not written through', () => {
    const dir = repo('link-in-the-way', false);
    const outside = path.join(root, 'outside2');
    fs.mkdirSync(outside, { recursive: true });
    fs.rmSync(path.join(dir, 'src'), { recursive: true });
    fs.symlinkSync(outside, path.join(dir, 'src'));
    const ts = brief(dir, targets(dir, 'git reset --hard'));
    assert.ok(ts.includes('delete src'), ts.join(', '));
    assert.equal(spawnSync('git', ['reset', '--hard'], { cwd: dir, env: GIT_ENV }).status, 0);
    assert.ok(fs.lstatSync(path.join(dir, 'src')).isDirectory() && fs.readdirSync(outside).length === 0);
  });
});

describe('git query: a hostile repository runs nothing when the guard asks', { skip: !have && 'git not installed' }, () => {
  const marker = path.join(root, 'pwned');
  const dir = repo('hostile');
  const hook = `#!/bin/sh\ntouch '${marker}-hook'\n`;
  fs.mkdirSync(path.join(dir, 'evil-hooks'));
  for (const h of ['post-index-change', 'reference-transaction', 'post-checkout', 'pre-auto-gc']) {
    fs.writeFileSync(path.join(dir, 'evil-hooks', h), hook, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, '.git/hooks', h), hook, { mode: 0o755 });
  }
  put(dir, '.gitattributes', '* filter=evil diff=evil\n');
  const settings: [string, string][] = [
    ['core.fsmonitor', `touch '${marker}-fsmonitor'; echo`],
    ['core.hooksPath', path.join(dir, 'evil-hooks')],
    ['diff.external', `touch '${marker}-external'`],
    ['filter.evil.clean', `touch '${marker}-clean'; cat`],
    ['filter.evil.smudge', `touch '${marker}-smudge'; cat`],
    ['filter.evil.required', 'true'],
    ['diff.evil.textconv', `touch '${marker}-textconv'; cat`],
    ['diff.evil.command', `touch '${marker}-diffcmd'`],
    ['core.pager', `touch '${marker}-pager'; cat`],
    ['core.sshCommand', `touch '${marker}-ssh'`],
    ['credential.helper', `!touch '${marker}-credential'`],
    ['core.untrackedCache', 'true'],
  ];
  for (const [k, v] of settings) git(dir, 'config', k, v);
  const markers = (): string[] => fs.readdirSync(root).filter((f) => f.startsWith('pwned'));
  const clear = (): void => {
    for (const f of markers()) fs.rmSync(path.join(root, f));
  };

  it('the same settings do run programs when git is run plainly (the test can fail)', () => {
    clear();
    // Stat information that no longer matches makes git read the file again, through the filter.
    for (const f of ['a.txt', 'src/x.ts']) fs.utimesSync(path.join(dir, f), new Date(), new Date(Date.now() + 5000));
    spawnSync('git', ['status'], { cwd: dir, env: GIT_ENV });
    spawnSync('git', ['diff', 'HEAD'], { cwd: dir, env: GIT_ENV });
    assert.ok(markers().includes('pwned-fsmonitor') && markers().includes('pwned-clean'), markers().join(','));
    clear();
  });

  for (const cmd of ['git clean -fdx', 'git reset --hard other', 'git checkout other', 'git checkout -f other', 'git stash -a', 'git checkout -- .', 'git switch -c n other']) {
    it(`${cmd}: git answers and no marker appears`, () => {
      clear();
      for (const f of ['a.txt', 'src/x.ts', 'b.txt']) fs.utimesSync(path.join(dir, f), new Date(), new Date(Date.now() + 5000));
      const ts = targets(dir, cmd);
      // What git itself is asked about is exact; the hooks the command runs (core.hooksPath points
      // into the tree) are analyzed besides, and where the command removes or rewrites them, unknown.
      assert.ok(ts.length > 0 && ts.filter((t) => !fromHooks(t)).every((t) => !t.unresolved), brief(dir, ts).join(', '));
      assert.deepEqual(markers(), []);
    });
  }

  // Beyond the settings listed above: every program started while the guard asks, traced.
  const strace = spawnSync('strace', ['-V']).status === 0;
  it('under strace, the questions start no program but git itself', { skip: !strace && 'strace not installed' }, () => {
    const realGit = spawnSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
    const bin = path.join(root, 'traced-bin');
    const traces = path.join(root, 'traces');
    fs.mkdirSync(bin, { recursive: true });
    fs.mkdirSync(traces, { recursive: true });
    // The real git, run under strace: the guard finds it first on PATH (outside the repository).
    fs.writeFileSync(path.join(bin, 'git'), `#!/bin/sh\nexec strace -f -qq -e trace=execve -o '${traces}/t.'$$ '${realGit}' "$@"\n`, { mode: 0o755 });
    clear();
    for (const f of ['a.txt', 'src/x.ts', 'b.txt']) fs.utimesSync(path.join(dir, f), new Date(), new Date(Date.now() + 5000));
    for (const cmd of ['git clean -fdx', 'git reset --hard other', 'git checkout -f other', 'git stash -a', 'git checkout -- .']) {
      const ts = targets(dir, cmd, askGit, { ...env, PATH: `${bin}:${PATH}` });
      assert.ok(ts.filter((t) => !fromHooks(t)).every((t) => !t.unresolved), `${cmd}: ${brief(dir, ts).join(', ')}`);
    }
    const started = fs.readdirSync(traces).flatMap((f) => fs.readFileSync(path.join(traces, f), 'utf8').split('\n'))
      .map((l) => /execve\("([^"]+)"/.exec(l)?.[1]).filter((x): x is string => x !== undefined);
    assert.ok(started.length >= 5, `traced ${started.length} starts`);
    assert.deepEqual([...new Set(started)], [realGit]);
    assert.deepEqual(markers(), []);
  });

  it('a git binary from a relative PATH entry or inside the checked tree is never run', () => {
    fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'bin/git'), `#!/bin/sh\ntouch '${marker}-fakegit'\n`, { mode: 0o755 });
    clear();
    for (const p of [`bin:${PATH}`, `${path.join(dir, 'bin')}:${PATH}`, `${path.join(dir, 'bin')}:${PATH}@src`]) {
      const [pathVar, sub] = p.split('@');
      const at = sub ? path.join(dir, sub) : dir;
      const ts = targets(at, 'git clean -fdx', askGit, { ...env, PATH: pathVar });
      if (p.startsWith('bin:')) assert.ok(ts.every((t) => !t.unresolved), 'the relative entry is skipped, the real git asked');
      else assert.ok(ts.some((t) => t.path === '.' && t.op === 'delete'), `git inside the repository: not asked (${p})`);
    }
    assert.deepEqual(markers(), []);
  });
});

describe('git query: when git cannot answer, the conservative answer', { skip: !have && 'git not installed' }, () => {
  const dir = repo('fallback');
  it('git missing from PATH', () => {
    const empty = path.join(root, 'empty-bin');
    fs.mkdirSync(empty, { recursive: true });
    assert.deepEqual(brief(dir, targets(dir, 'git clean -fd', askGit, { ...env, PATH: empty })), ['delete .']);
    assert.deepEqual(brief(dir, targets(dir, 'git reset --hard', askGit, { ...env, PATH: empty })), ['write <U> ?']);
  });
  it('git that hangs (a config include that is a FIFO) is stopped, and the answer is conservative', () => {
    const d = repo('fifo');
    assert.equal(spawnSync('mkfifo', [path.join(d, '.git/hang')]).status, 0);
    fs.appendFileSync(path.join(d, '.git/config'), '[include]\n\tpath = hang\n');
    // The include may set core.hooksPath and git cannot say: what the hooks do is unknown too, and
    // so are the commands the include names (git-config-files.ts).
    assert.deepEqual(brief(d, targets(d, 'git clean -fd')), ['delete .', 'write <U> ?', 'write <U> ?']);
  });
  it('a query that throws or answers garbage counts as no answer', () => {
    assert.deepEqual(brief(dir, targets(dir, 'git clean -fd', () => {
      throw new Error('x');
    })), ['delete .']);
    assert.deepEqual(brief(dir, targets(dir, 'git reset --hard', (r) => ({ status: 0, stdout: r.argv.includes('diff-index') ? 'garbage' : '/top\n' }))),
      ['write <U> ?']);
  });
  it('submodule recursion on in the config (the command would enter submodule trees): not asked', () => {
    const d = repo('recurse');
    git(d, 'config', 'submodule.recurse', 'true');
    assert.deepEqual(brief(d, targets(d, 'git reset --hard other')), ['write <U> ?']);
    assert.deepEqual(brief(d, targets(d, 'git checkout other')), ['write <U> ?', 'write other']);
    assert.deepEqual(brief(d, targets(d, 'git reset --hard other --recurse-submodules')), ['write <U> ?']);
  });
  it('settings in the environment (GIT_CONFIG_PARAMETERS, GIT_CONFIG_COUNT): not asked', () => {
    assert.deepEqual(brief(dir, targets(dir, 'git clean -fd', askGit, { ...env, GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'core.excludesFile', GIT_CONFIG_VALUE_0: '/dev/null' })), ['delete .']);
    assert.deepEqual(brief(dir, targets(dir, 'GIT_INDEX_FILE=/tmp/i git reset --hard')), ['write <U> ?']);
  });
  it('the argv never carries user text where git reads options', () => {
    const seen: string[][] = [];
    targets(dir, "git checkout '--output=/tmp/x' && git reset --hard '--exec=x'", (r) => {
      seen.push([...r.argv]);
      return askGit(r);
    });
    targets(dir, "git reset --hard '-q'", (r) => {
      seen.push([...r.argv]);
      return askGit(r);
    });
    for (const argv of seen) assert.ok(!argv.some((a) => a.includes('--output') || a.includes('--exec')), argv.join(' '));
  });
});

describe('git query: parsing helpers', () => {
  it('unquote reads git C quoting', () => {
    assert.equal(unquote('"a\\"b\\\\c\\td\\303\\251"'), 'a"b\\c\td\u00e9');
    assert.equal(unquote('plain'), 'plain');
  });
  it('every filter and diff driver in the config is switched off; a name -c cannot carry is refused', () => {
    const o = driverOverrides('filter.lfs.clean\ngit-lfs clean\0diff.x.textconv\ncat\0submodule.recurse\ntrue\0');
    assert.deepEqual(o, { recurse: true, settings: ['filter.lfs.clean=', 'filter.lfs.smudge=', 'filter.lfs.process=', 'filter.lfs.required=false', 'diff.x.textconv=', 'diff.x.command='] });
    assert.equal(driverOverrides('filter.a=b.clean\nx\0'), undefined);
  });
});

// The built hook (in-process and through the daemon, which runs the same bundle) gives the core the query.
describe('git query: the built PreToolUse hook asks git', { skip: (!have || !fs.existsSync(hookPath('pre-tool-use'))) && 'git or the build missing' }, () => {
  const sb = sandbox();
  after(() => sb.cleanup());
  gitDestructiveOff(sb.env.XDG_CONFIG_HOME!);
  fs.rmSync(path.join(sb.project, '.git'), { recursive: true, force: true });
  for (const f of ['.gitignore', 'a.txt']) put(sb.project, f, f === '.gitignore' ? '.env\n' : 'a\n');
  git(sb.project, 'init', '-q');
  git(sb.project, 'add', '-A');
  git(sb.project, 'commit', '-qm', 'one');
  put(sb.project, '.env', 'SECRET=1\n');
  put(sb.project, 'new.txt', 'n\n');
  git(sb.project, 'config', 'core.fsmonitor', `touch '${path.join(sb.root, 'pwned')}'; echo`);
  const call = (command: string, daemon: boolean): number | null => runHookSync('pre-tool-use',
    JSON.stringify(claudePayload(sb.project, 'Bash', { command })),
    { ...sb.env, CLAUDE_PROJECT_DIR: sb.project, ...(daemon ? {} : { HOOKWARDEN_DAEMON: 'off' }) }, sb.project).status;
  for (const daemon of [false, true]) {
    it(`${daemon ? 'through the daemon' : 'in-process'}: git clean -fd allowed, git clean -fdx blocked, fsmonitor not run`, () => {
      assert.equal(call('git clean -fd', daemon), 0);
      assert.equal(call('git clean -fdx', daemon), 2);
      assert.equal(fs.existsSync(path.join(sb.root, 'pwned')), false);
    });
  }
});
