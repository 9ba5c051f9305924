// Property: random commands built from link, copy, move, mkdir, cd, write, append and rm steps,
// asked of the guard and then REALLY run by bash in a fresh scratch copy of a fixture project
// (protected: .env, .git/config, .git/ and a fake ~/.ssh with HOME in the scratch dir). Whenever
// the real run changed a protected path (content, inode, link count, or a protected folder's
// listing), the guard must not have allowed the command.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { preToolUse } from '../../../../lib/guard.js';

const top = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-overlay-')));
after(() => fs.rmSync(top, { recursive: true, force: true }));

/** The template every run copies: a project and a home, both inside one folder. */
const template = path.join(top, 'template');
function writeTemplate(): void {
  const f = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(template, rel)), { recursive: true });
    fs.writeFileSync(path.join(template, rel), text);
  };
  f('home/.ssh/authorized_keys', 'ssh-ed25519 AAAA me\n');
  f('home/.config/x', 'x\n');
  f('proj/.env', 'TOKEN=1\n');
  f('proj/.git/config', '[core]\n');
  f('proj/README', 'hi\n');
  f('proj/src/a.txt', 'a\n');
  fs.mkdirSync(path.join(template, 'proj/sub'));
  // A link a cloned repository may hold (relative, so it survives the copy).
  fs.mkdirSync(path.join(template, 'proj/vendor'));
  fs.symlinkSync('../../home/.ssh', path.join(template, 'proj/vendor/keys'));
}
writeTemplate();

const PROTECTED_FILES = ['proj/.env', 'proj/.git/config', 'home/.ssh/authorized_keys'];
const PROTECTED_DIRS = ['proj/.git', 'home/.ssh'];

/** Content, inode, link count and type of each protected file; listing and inode of each protected folder. */
function snapshot(dir: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const rel of PROTECTED_FILES) {
    const p = path.join(dir, rel);
    const st = fs.lstatSync(p, { throwIfNoEntry: false });
    out[rel] = !st ? 'missing' : [st.ino, st.nlink, st.isSymbolicLink() ? `-> ${fs.readlinkSync(p)}` : st.isFile() ? fs.readFileSync(p, 'utf8') : 'other'];
  }
  for (const rel of PROTECTED_DIRS) {
    const p = path.join(dir, rel);
    const st = fs.lstatSync(p, { throwIfNoEntry: false });
    out[rel] = !st ? 'missing' : [st.ino, st.isSymbolicLink(), st.isDirectory() ? fs.readdirSync(p).sort() : 'other'];
  }
  return out;
}

// The grammar: names the steps make and use, things links point to, files written.
const NAMES = ['x', 'd', 'sub/x', 'd/e', 'vendor', 'v2'];
const POINTS = ['.env', '.git', '.git/config', '~/.ssh', '~/.ssh/authorized_keys', '../.env', '../../home/.ssh', 'sub', 'x', 'd', 'README', 'src', 'vendor/keys'];
const FILES = ['', '/authorized_keys', '/config', '/keys/authorized_keys'];

const name = fc.constantFrom(...NAMES);
const point = fc.constantFrom(...POINTS);
const step: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.tuple(fc.constantFrom('ln -s', 'ln -sf', 'ln -sfn', 'ln -sT', 'ln', 'ln -f', 'link', 'cp -l', 'cp -al', 'cp -r', 'cp -a', 'cp -P', 'cp -rL', 'cp -s'), point, name)
    .map(([cmd, p, n]) => `${cmd} ${p} ${n}`), weight: 4 },
  { arbitrary: fc.tuple(name, name).map(([a, b]) => `mv ${a} ${b}`), weight: 1 },
  { arbitrary: name.map((n) => `mkdir -p ${n}`), weight: 1 },
  { arbitrary: name.map((n) => `cd ${n}`), weight: 1 },
  { arbitrary: fc.constantFrom('cd ..', 'cd ~/.ssh', 'cd .git'), weight: 1 },
  {
    arbitrary: fc.tuple(fc.constantFrom('echo P >', 'echo P >>', 'printf k >>', 'cp README', 'tee -a'), name, fc.constantFrom(...FILES))
      .map(([w, n, f]) => `${w} ${n}${f}${w.startsWith('tee') ? ' </dev/null' : ''}`),
    weight: 4,
  },
  {
    arbitrary: fc.tuple(fc.constantFrom('echo P >', 'echo P >>'), fc.constantFrom('authorized_keys', 'config', 'keys/authorized_keys'))
      .map(([w, f]) => `${w} ${f}`),
    weight: 1,
  },
  { arbitrary: fc.tuple(fc.constantFrom('rm -rf', 'rm -f'), name, fc.constantFrom('', '/')).map(([r, n, s]) => `${r} ${n}${s}`), weight: 1 },
);
/** Steps joined as a script; sometimes grouped in a subshell, a function or a loop. */
const command: fc.Arbitrary<string> = fc.tuple(
  fc.array(fc.tuple(step, fc.constantFrom('; ', '; ', '; ', ' && ', ' || ')), { minLength: 1, maxLength: 6 }),
  fc.constantFrom('plain', 'subshell', 'function', 'loop'),
).map(([steps, shape]) => {
  const body = steps.map(([s, sep], i) => (i === steps.length - 1 ? s : s + sep)).join('');
  if (shape === 'subshell' && steps.length > 1) return `(${steps[0]![0]}); ${body}`;
  if (shape === 'function') return `f() { ${body}; }; f`;
  if (shape === 'loop') return `for i in 1 2; do ${body}; done`;
  return body;
});

// Issue 13 (threat model "Open"): `..` after links, cd -P / -L / set -P, CDPATH, and writes through
// descriptors the shell bound with exec. Links point to folders whose parent holds a protected
// file, so a physical `..` reaches it where a textual one does not.
const LINKS2 = ['~/.config', '~/.ssh', 'sub', '.git', 'vendor/keys', '../../home/.config'];
const NAMES2 = ['c', 'sub/c', 'vendor/keys', 'd'];
const step2: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.tuple(fc.constantFrom('ln -s', 'ln -sfn', 'cp -a', 'mv'), fc.constantFrom(...LINKS2), fc.constantFrom(...NAMES2)).map(([c, p, n]) => `${c} ${p} ${n}`), weight: 3 },
  { arbitrary: fc.tuple(fc.constantFrom('cd', 'cd -P', 'cd -L', 'pushd'), fc.constantFrom(...NAMES2), fc.constantFrom('', '/..', '/../.ssh', '/../..')).map(([c, n, t]) => `${c} ${n}${t}`), weight: 2 },
  { arbitrary: fc.constantFrom('set -P', 'CDPATH=~ cd .ssh', 'CDPATH=~:. cd .git', 'export CDPATH=..', 'cd proj', 'cd .ssh', 'shopt -s cdable_vars; k=~/.ssh; cd k', 'popd'), weight: 1 },
  { arbitrary: fc.constantFrom('exec 3<.env', 'exec 4< ~/.ssh/authorized_keys', 'exec 3<&-', 'exec 5<&4', 'exec 6<README', 'exec 3<.git/config'), weight: 2 },
  {
    arbitrary: fc.tuple(fc.constantFrom('echo P >>', 'printf k >', 'cp README'), fc.constantFrom(
      '/dev/fd/3', '/dev/fd/4', '/dev/fd/5', '/proc/self/fd/3', 'c/../.env', 'c/../.ssh/authorized_keys', 'c/../../proj/.env',
      'sub/c/../.env', 'sub/c/../authorized_keys', 'd/../.ssh/authorized_keys', 'vendor/keys/../.ssh/authorized_keys', 'authorized_keys', '.env', 'config',
    )).map(([w, f]) => `${w} ${f}`),
    weight: 4,
  },
  { arbitrary: fc.constantFrom('{ echo P >> /dev/fd/0; } < .env', '{ echo P >> /dev/stdout; } 1< .env', 'tee >(cat > out.txt) < README > /dev/null'), weight: 1 },
);
const command2: fc.Arbitrary<string> = fc.array(fc.tuple(step2, fc.constantFrom('; ', '; ', ' && ', ' || ')), { minLength: 1, maxLength: 6 })
  .map((steps) => steps.map(([st, sep], i) => (i === steps.length - 1 ? st : st + sep)).join(''));

let runs = 0;
function trial(cmd: string, stats: { changed: number; allowedUnchanged: number; unchanged: number }): void {
  // Twelve empty levels above the copy: a command of `cd ..` steps (at most six each) stays inside
  // this test's folder and never writes into the shared temp folder (`cd ..; cd ..; cd ..; ln -s .git x`
  // once left /tmp/x -> .git behind, which changed other tests' decisions about /tmp paths).
  const dir = path.join(top, `run-${runs++}`, ...Array<string>(12).fill('d'));
  fs.cpSync(template, dir, { recursive: true, verbatimSymlinks: true });
  try {
    const proj = path.join(dir, 'proj');
    const home = path.join(dir, 'home');
    const env = { HOME: home, PATH: '/usr/local/bin:/usr/bin:/bin', LC_ALL: 'C' };
    const payload = JSON.stringify({ session_id: 's', cwd: proj, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: cmd }, tool_use_id: 'toolu_p' });
    const verdict = preToolUse(payload, { env, home, agent: 'claude' }).verdict;
    const before = snapshot(dir);
    spawnSync('bash', ['-c', cmd], { cwd: proj, env, timeout: 5000, stdio: 'ignore' });
    const changed = JSON.stringify(snapshot(dir)) !== JSON.stringify(before);
    if (changed) {
      stats.changed++;
      assert.notEqual(verdict.decision, 'allow', `allowed, yet it changed a protected path: ${cmd}\n${JSON.stringify(before)}\n${JSON.stringify(snapshot(dir))}\ntargets: ${JSON.stringify(verdict.targets)}`);
    } else {
      stats.unchanged++;
      if (verdict.decision === 'allow') stats.allowedUnchanged++;
    }
  } finally {
    // A process substitution (`>(cat > out.txt)`) may still be writing after bash exited.
    fs.rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 50 });
  }
}

describe('the guard never allows a command whose real run changes a protected path', () => {
  it('random link/copy/move/mkdir/cd/write/rm commands, really run by bash in a scratch copy', () => {
    const stats = { changed: 0, allowedUnchanged: 0, unchanged: 0 };
    fc.assert(fc.property(command, (cmd) => trial(cmd, stats)), { numRuns: 70 });
    // The generator must reach protected paths, and the guard must not answer by blocking everything.
    assert.ok(stats.changed >= 1, JSON.stringify(stats));
    assert.ok(stats.allowedUnchanged >= stats.unchanged / 5, JSON.stringify(stats));
  });

  it('random `..`-after-link, cd -P/-L, CDPATH and descriptor steps, really run by bash in a scratch copy', () => {
    const stats = { changed: 0, allowedUnchanged: 0, unchanged: 0 };
    fc.assert(fc.property(command2, (cmd) => trial(cmd, stats)), { numRuns: 80 });
    assert.ok(stats.changed >= 1, JSON.stringify(stats));
    assert.ok(stats.allowedUnchanged >= stats.unchanged / 5, JSON.stringify(stats));
  });

  it('the examples of this round really change a protected path here, and are blocked', () => {
    const stats = { changed: 0, allowedUnchanged: 0, unchanged: 0 };
    const cmds = ['ln -s ~/.config c && echo P > c/../.ssh/authorized_keys', 'cd -P vendor/keys/.. && echo P >> .ssh/authorized_keys',
      'cd vendor/keys/../.ssh && echo P >> authorized_keys', 'CDPATH=~ cd .ssh && echo P >> authorized_keys',
      'shopt -s cdable_vars; k=~/.ssh; cd k && echo P >> authorized_keys', 'echo P >> ${HOME%/}/.ssh/authorized_keys',
      'exec 3<.env; echo P >> /dev/fd/3', 'exec 1<.env; echo P >> /dev/stdout',
      // Found by the property: a link made before a cd that fails, then ln into it.
      'ln -s vendor/keys c; cd d; ln -s ~/.config c',
      // Found by the property (seed 77155302): a cd from a cwd already in doubt may fail too.
      'cd c; cd c; ln -s ~/.config vendor/keys', 'cd c; cd d; echo P >> vendor/keys/authorized_keys',
      // (seed 1975733396) bash folds `c/..` only when c is a folder: this cd fails, the shell stays.
      'cd sub/c/..; ln -s ~/.config vendor/keys',
      // (seeds 792917258, 1300163298) the same two gaps, found again by the property.
      'cd c/../..; echo P >> vendor/keys/../.ssh/authorized_keys; ln -s ~/.config c', 'cd c; cd c; ln -s ~/.ssh sub/c; ln -s ~/.config sub/c',
      // (seed -439834690) the same write again by a later command goes through the link made between.
      'cp -s .git/config x; cp -rL .env x; cd ..', 'cp -s .git/config x; cp .env x'];
    for (const cmd of cmds) trial(cmd, stats);
    assert.equal(stats.changed, cmds.length, JSON.stringify(stats));
  });

  it('the examples of issue 13 really change a protected path here, and are blocked', () => {
    const stats = { changed: 0, allowedUnchanged: 0, unchanged: 0 };
    for (const cmd of ['ln -s .env x && echo P > x', 'ln -s ~/.ssh s && echo k >> s/authorized_keys', 'ln .env hard',
      'ln .git/config gc', 'mv vendor v2 && echo k >> v2/keys/authorized_keys', 'ln -s ~/.ssh d; cd d; echo k > authorized_keys']) {
      trial(cmd, stats);
    }
    assert.equal(stats.changed, 6, JSON.stringify(stats));
  });
});
