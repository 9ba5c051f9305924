// A write, delete or move whose path is wholly unknown before the command runs (issue 13, finding
// R9): `echo 'exit 0' >> "$(cat f)"`, with `f` written by an earlier call, may name any path, so any
// protected one. Such a target was allowed and only recorded as unresolved; now `unknownTargets`
// (default deny) decides. Each blocked command is also run for real with bash in a scratch world,
// to show it does change the protected file. What the command cannot have chosen (a variable of the
// user's own environment, the parameters the agent's shell does not have, a fresh mktemp name)
// stays as before. The last part is a property test over random compositions.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { bash, world as makeWorld, type World } from '../helpers/self-world.js';
import { tempDirs } from '../helpers/tmp.js';
import { guardProject, loadWith, decideWith } from '../helpers/guard-project.js';
import { loadConfig } from '../../lib/config.js';
import { evaluate } from '../../lib/index.js';

const tmp = tempDirs('hw-unknown-targets-');

function world(): World {
  const w = makeWorld(fs.realpathSync(tmp()));
  fs.mkdirSync(path.join(w.env.XDG_CONFIG_HOME, 'hookwarden'), { recursive: true });
  fs.writeFileSync(path.join(w.env.XDG_CONFIG_HOME, 'hookwarden', 'config.json'), '{}\n');
  fs.mkdirSync(path.join(w.home, '.ssh'), { recursive: true });
  fs.writeFileSync(path.join(w.home, '.ssh', 'authorized_keys'), 'ssh-ed25519 OWNER\n');
  fs.writeFileSync(path.join(w.home, '.profile'), '# profile\n');
  fs.writeFileSync(path.join(w.project, '.git', 'config'), '[core]\n');
  fs.writeFileSync(path.join(w.project, '.env'), 'SECRET=1\n');
  fs.writeFileSync(path.join(w.project, 'evil'), 'exit 0\n');
  return w;
}

/** Runs `cmd` with bash in the world's project, `f` holding `content` (an earlier call wrote it). */
function runFor(w: World, cmd: string, content: string): void {
  fs.writeFileSync(path.join(w.project, 'f'), content);
  const tmpdir = path.join(w.root, 'tmp');
  fs.mkdirSync(tmpdir, { recursive: true });
  const r = spawnSync('bash', ['-c', cmd], { cwd: w.project, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', TMPDIR: tmpdir, ...w.env }, encoding: 'utf8', timeout: 10_000 });
  assert.equal(r.status, 0, `${cmd}: ${r.stderr}`);
}

const snapshot = (file: string): string | undefined => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined);
const REASON = /^blocked (write to|delete of|move of|move to) a path not known until the command runs: /;

describe('a wholly unknown write target is blocked, and really reaches the protected file', () => {
  // [command, what `f` holds (from the world), the protected file it changes]
  const cases: [string, (w: World) => string, (w: World) => string][] = [
    [`echo 'exit 0' >> "$(cat f)"`, (w) => path.join(w.home, '.profile'), (w) => path.join(w.home, '.profile')],
    ['cp evil "$(cat f)"', () => '.git/config', (w) => path.join(w.project, '.git', 'config')],
    // `$(< f)` is the file's contents too (it was read as empty output: `cp evil ""`, allowed).
    ['cp evil "$(< f)"', () => '.git/config', (w) => path.join(w.project, '.git', 'config')],
    [`echo 'exit 0' >> "$(<f)"`, (w) => path.join(w.home, '.profile'), (w) => path.join(w.home, '.profile')],
    ['tee -a "$(cat f)" < evil > /dev/null', (w) => path.join(w.home, '.ssh', 'authorized_keys'), (w) => path.join(w.home, '.ssh', 'authorized_keys')],
    ['mv evil "$(cat f)"', (w) => path.join(w.env.XDG_CONFIG_HOME, 'hookwarden', 'config.json'), (w) => path.join(w.env.XDG_CONFIG_HOME, 'hookwarden', 'config.json')],
    ['rm -f "$(cat f)"', () => '.env', (w) => path.join(w.project, '.env')],
    ['rm -f `cat f`', () => '.env', (w) => path.join(w.project, '.env')],
    ['read -r p < f; echo x >> "$p"', () => '.env', (w) => path.join(w.project, '.env')],
    ['cat f | while read -r p; do echo x >> "$p"; done', () => '.env\n', (w) => path.join(w.project, '.env')],
    ['for p in $(cat f); do truncate -s 0 "$p"; done', () => '.env', (w) => path.join(w.project, '.env')],
    ['xargs rm -f < f', () => '.env', (w) => path.join(w.project, '.env')],
    ['p=$(cat f); q=${p:-notes.txt}; echo x >> "$q"', () => '.env', (w) => path.join(w.project, '.env')],
    ['f() { echo x >> "$1"; }; f "$(cat f)"', () => '.env', (w) => path.join(w.project, '.env')],
    ['set -- "$(cat f)"; echo x >> "$1"', () => '.env', (w) => path.join(w.project, '.env')],
    ['export OUT=$(cat f); echo x >> "${OUT:-dist}"', () => '.env', (w) => path.join(w.project, '.env')],
    ['exec 3< "$(cat f)"; echo x >> /dev/fd/3', () => '.env', (w) => path.join(w.project, '.env')],
  ];
  for (const [cmd, content, file] of cases) {
    it(cmd, () => {
      const w = world();
      const v = bash(w, cmd);
      assert.equal(v.decision, 'deny', `${cmd}: ${v.reason ?? 'allowed'}`);
      assert.equal(v.unresolved, true);
      // One readable line naming what is unknown; nothing about settings or other spellings.
      assert.doesNotMatch(v.reason ?? '', /unknownTargets|config|instead|\n/);
      const target = file(w);
      const before = snapshot(target);
      runFor(w, cmd, content(w));
      assert.notEqual(snapshot(target), before, `${cmd} did not change ${target}`);
    });
  }
  it('code whose text is not known (eval, bash -c, a script written by the same call with text not known, an unknown program) stays with `unresolved`: opaque code, not a target', () => {
    const w = world();
    for (const cmd of ['eval "$(cat f)"', 'bash -c "$(cat f)"', '"$(cat f)"', 'eval "$(ssh-agent -s)"', 'some-tool > t.py; python3 t.py', 'git absorb']) {
      const v = bash(w, cmd);
      assert.equal(v.decision, 'allow', `${cmd}: ${v.reason}`);
      assert.equal(v.unresolved, true, cmd);
    }
  });
  it('the reason says what is written and names the word as written', () => {
    const w = world();
    assert.match(bash(w, `echo 'exit 0' >> "$(cat f)"`).reason ?? '', /^blocked write to a path not known until the command runs: "\$\(cat f\)" \(redirect >>\)$/);
    assert.match(bash(w, 'rm -rf "$(cat f)"').reason ?? '', REASON);
    assert.match(bash(w, 'mv "$(cat f)" x').reason ?? '', /^blocked move of a path not known/);
    assert.match(bash(w, 'mv x "$(cat f)"').reason ?? '', /^blocked move to a path not known/);
  });
});

describe('a link the command makes at a name with an unknown part is followed (mktemp folders, unknown names beneath a made link)', () => {
  const cases: [string, (w: World) => string][] = [
    ['cd "$(mktemp -d)" && ln -s ~/.ssh k && echo x >> k/authorized_keys', (w) => path.join(w.home, '.ssh', 'authorized_keys')],
    ['d=$(mktemp -d); ln -s ~/.ssh "$d/k"; echo x >> "$d/k/authorized_keys"', (w) => path.join(w.home, '.ssh', 'authorized_keys')],
    ['ln -s ~/.ssh k && echo x >> "k/$(cat f)"', (w) => path.join(w.home, '.ssh', 'authorized_keys')],
    ['mkdir -p sub && cd "sub/$(cat g)" && ln -s ~/.ssh k && echo x >> k/authorized_keys', (w) => path.join(w.home, '.ssh', 'authorized_keys')],
  ];
  for (const [cmd, file] of cases) {
    it(cmd, () => {
      const w = world();
      fs.writeFileSync(path.join(w.project, 'g'), '');
      const v = bash(w, cmd);
      assert.equal(v.decision, 'deny', `${cmd}: ${v.reason ?? 'allowed'}`);
      assert.equal(v.rule, 'secrets', v.reason);
      const target = file(w);
      const before = snapshot(target);
      runFor(w, cmd, 'authorized_keys');
      assert.notEqual(snapshot(target), before, `${cmd} did not change ${target}`);
    });
  }
  it('removing such a link, or writing a file the command copied there, stays allowed', () => {
    const w = world();
    for (const cmd of ['d=$(mktemp -d); ln -s ~/.ssh "$d/k"; rm "$d/k"', 'd=$(mktemp -d); cp -r src "$d/k"; echo x > "$d/k/a.ts"']) {
      assert.equal(bash(w, cmd).decision, 'allow', cmd);
    }
  });
});

describe('what the command cannot have chosen stays allowed', () => {
  const w = world();
  fs.writeFileSync(path.join(w.project, 'old.bak'), '');
  fs.writeFileSync(path.join(w.project, 'older.bak'), '');
  for (const cmd of [
    'tmp=$(mktemp -d); cp evil "$tmp/"; rm -rf "$tmp"', 'cp evil "$(mktemp)"', 'f=$(mktemp /tmp/x.XXXXXX); echo hi > "$f"', 'd=$(mktemp -p .); echo x > "$d"',
    'f=$(mktemp --tmpdir); echo x > $f', 'f=$(mktemp -t name.XXXX); echo > $f', "tmp=$(mktemp -d); trap 'rm -rf \"$tmp\"' EXIT; cd $tmp && touch a",
    "trap 'rm -rf \"$tmp\"' EXIT; tmp=$(mktemp -d)", 'cd "$(mktemp -d)" && git init -q x', 'out="${OUT:-dist}"; rm -rf "$out"', 'rm -rf "${BUILD_DIR:-build}"',
    'rm -rf "$1"', 'f() { rm -rf "$1"; }; f build', 'cleanup() { for x in "$@"; do rm -f "$x"; done; }; cleanup a.o b.o', 'echo x > "$TMPDIR/x"',
    'if [ -z "$OUT" ]; then OUT=dist; fi; rm -rf "$OUT"', 'cat "$(cat f)"', 'wc -l $(cat f)', '$EDITOR notes.txt', 'GIT_TRACE="$TMPDIR/t.log" true',
    // Lines all known (which one a read gets is not): one of them.
    "printf 'a\\nb\\n' | while read -r x; do rm -f \"$x\"; done", "find . -name '*.bak' | while read -r x; do rm -f \"$x\"; done",
    'grep -rl foo --include=*.ts . | xargs sed -i s/foo/bar/', 'ls | xargs -n1 echo',
  ]) {
    it(cmd, () => {
      const v = bash(w, cmd);
      assert.equal(v.decision, 'allow', `${cmd}: ${v.reason}`);
    });
  }
  it('a fresh mktemp name under a protected folder is a write there', () => {
    for (const cmd of ['mktemp ~/.ssh/XXXXXX', 'mktemp -p .git', 'f=$(mktemp -p ~/.ssh); echo k > "$f"', 'TMPDIR=~/.ssh mktemp', 'mktemp -d -p "$XDG_CONFIG_HOME/hookwarden"']) {
      const v = bash(w, cmd);
      assert.equal(v.decision, 'deny', `${cmd}: ${v.reason ?? 'allowed'}`);
      assert.ok(v.rule, `${cmd}: decided by a rule (${v.reason})`);
    }
  });
  it('a mktemp folder the command made from unknown text is blocked', () => {
    for (const cmd of ['mktemp -p "$(cat f)"', 'TMPDIR=$(cat f) mktemp', 'mktemp "$(cat f)XXXXXX"']) {
      assert.match(bash(w, cmd).reason ?? '', REASON, cmd);
    }
  });
});

describe('unknownTargets setting (layers: a project config may only tighten)', () => {
  const g = guardProject();
  after(() => g.cleanup());
  const withConfig = (user: object, project?: object): ReturnType<typeof loadConfig> => loadWith(g, user, project);
  const decide = (config: ReturnType<typeof loadConfig>, command: string) => decideWith(g, config, command);
  const cmd = 'echo x >> "$(cat f)"';
  it('default deny', () => {
    const c = withConfig({});
    assert.equal(c.unknownTargets, 'deny');
    assert.equal(c.unknownTargetsLayer, undefined);
    assert.equal(decide(c, cmd).decision, 'deny');
  });
  it('ask from the user layer asks (the reason says so)', () => {
    const v = decide(withConfig({ unknownTargets: 'ask' }), cmd);
    assert.equal(v.decision, 'ask');
    assert.match(v.reason ?? '', /^confirm write to a path not known until the command runs/);
  });
  it('allow from the user layer hands it back to `unresolved` (allowed and recorded; `unresolved: "deny"` still blocks)', () => {
    const v = decide(withConfig({ unknownTargets: 'allow' }), cmd);
    assert.equal(v.decision, 'allow');
    assert.equal(v.unresolved, true);
    assert.equal(decide(withConfig({ unknownTargets: 'allow', unresolved: 'deny' }), cmd).decision, 'deny');
  });
  it('a project layer cannot relax it', () => {
    for (const mode of ['allow', 'ask']) {
      const c = withConfig({}, { unknownTargets: mode });
      assert.equal(c.unknownTargets, 'deny');
      assert.ok(c.warnings.some((x) => x.includes('unknownTargets') && x.includes('cannot relax')), c.warnings.join('\n'));
      assert.equal(decide(c, cmd).decision, 'deny');
    }
  });
  it('a project layer may tighten what the user relaxed, and the verdict names that layer', () => {
    const c = withConfig({ unknownTargets: 'allow' }, { unknownTargets: 'deny' });
    assert.equal(c.unknownTargets, 'deny');
    const v = decide(c, cmd);
    assert.equal(v.decision, 'deny');
    assert.equal(v.layer, path.join(g.project, '.hookwarden', 'config.json'));
    assert.equal(withConfig({ unknownTargets: 'allow' }, { unknownTargets: 'ask' }).unknownTargets, 'ask');
  });
  it('a deny rule still decides first (its reason, not the unknown path)', () => {
    const v = decide(withConfig({ unknownTargets: 'ask' }), 'echo k >> ~/.ssh/"$(cat f)"');
    assert.equal(v.decision, 'deny');
    assert.equal(v.rule, 'secrets');
  });
  it('reads of a wholly unknown path are not its concern', () => {
    assert.equal(decide(withConfig({ presets: { 'secrets-read': true } }), 'cat "$(cat f)"').decision, 'allow');
  });
  it('an invalid value is a config error naming the field', () => {
    assert.throws(() => withConfig({ unknownTargets: 'maybe' }), /unknownTargets/);
  });
});

describe('property: random compositions', () => {
  const g = guardProject();
  after(() => g.cleanup());
  const floatingWrites = (command: string) => g.check(command).targets.filter((t) => t.op !== 'read' && t.floating && !t.given);
  it('mktemp assigned, passed through functions, traps and substitutions never yields a wholly unknown target', () => {
    const mk = fc.constantFrom('mktemp', 'mktemp -d', 'mktemp -u', 'mktemp -p src', 'mktemp --tmpdir=/var/tmp x.XXXXXX', 'mktemp -t job.XXXX', 'mktemp out.XXXXXX.json',
      'TMPDIR=/var/tmp mktemp', 'mktemp -d -t', 'mktemp --suffix=.sh');
    const use = fc.constantFrom('rm -rf "$T"', 'echo x > "$T"', 'cp notes.txt "$T"', 'mv notes.txt "$T/"', 'tee -a "$T" < notes.txt', 'touch "$T/a"', 'sort -o "$T" notes.txt',
      'cd "$T" && touch b', 'ln -sf notes.txt "$T"');
    const shape = fc.constantFrom(
      (m: string, u: string) => `T=$(${m}); ${u}`,
      (m: string, u: string) => `T="$(${m})" && ${u}`,
      (m: string, u: string) => `T=\`${m}\`; ${u}`,
      (m: string, u: string) => `T=$(${m}); trap '${u.replace(/'/g, '')}' EXIT`,
      (m: string, u: string) => `mk() { ${m}; }; T=$(mk); ${u}`,
      (m: string, u: string) => `f() { local T; T=$(${m}); ${u}; }; f`,
      (m: string, u: string) => `T=$(${m}); if true; then ${u}; fi`,
      (m: string, u: string) => `export T=$(${m}); bash -c '${u.replace(/'/g, '')}'`,
      (m: string, u: string) => u.replace(/"\$T"/g, `"$(${m})"`).replace(/\$T/g, `$(${m})`),
    );
    fc.assert(fc.property(mk, use, shape, (m, u, s) => {
      const command = s(m, u);
      const bad = floatingWrites(command);
      assert.deepEqual(bad.map((t) => t.literal), [], command);
    }), { numRuns: 300, seed: 13 });
  });
  it('a word made of unknown output, written in any way, is blocked under the default', () => {
    const unknown = fc.constantFrom('"$(cat f)"', '$(cat f)', '`cat f`', '"$(head -1 f)"', '"$(curl -s x)"', '"$P"', '"${P}"', '"${P:-notes.txt}"', '"$(cat f)$(cat g)"');
    const setP = fc.constantFrom('', 'P=$(cat f); ', 'read -r P < f; ', 'P=$(jq -r .p f); ', 'P=`cat f`; ');
    const write = fc.constantFrom('echo x > W', 'echo x >> W', 'rm -rf W', 'cp notes.txt W', 'mv notes.txt W', 'mv W notes.txt', 'tee W < notes.txt', 'truncate -s 0 W',
      'sed -i 1d W', 'ln -sf notes.txt W', 'chmod 777 W', 'touch W', 'dd if=notes.txt of=W');
    const wrap = fc.constantFrom((c: string) => c, (c: string) => `f() { ${c}; }; f`, (c: string) => `if true; then ${c}; fi`, (c: string) => `true && ${c}`,
      (c: string) => `(${c})`, (c: string) => `bash -c '${c.replace(/'/g, '')}'`);
    fc.assert(fc.property(unknown, setP, write, wrap, (word, set, w, wr) => {
      // `$P` only where the command itself set it from output; otherwise P is given from outside.
      if (word.includes('P') && set === '') return;
      const command = set + wr(w.replace('W', word));
      if (command.includes("bash -c '") && /\$P|\$\{P/.test(command)) return; // P is not exported to the inner shell: empty there
      const v = g.check(command);
      assert.equal(v.decision, 'deny', `${command}: ${v.reason ?? 'allowed'}`);
    }), { numRuns: 400, seed: 31 });
  });
});

describe('git rev-parse folders are known (compared with the real git)', () => {
  const w = world();
  fs.rmSync(path.join(w.project, '.git'), { recursive: true });
  spawnSync('git', ['init', '-q'], { cwd: w.project });
  fs.mkdirSync(path.join(w.project, 'sub'));
  for (const flag of ['--show-toplevel', '--git-dir', '--absolute-git-dir', '--git-common-dir']) {
    for (const dir of ['', 'sub']) {
      it(`${flag} in ${dir || 'the top'}`, () => {
        const cwd = path.join(w.project, dir);
        const real = spawnSync('git', ['rev-parse', flag], { cwd, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...w.env } });
        assert.equal(real.status, 0, real.stderr);
        const v = bash(w, `echo x > "$(git rev-parse ${flag})/probe"`, { cwd });
        const writes = v.targets.filter((t) => t.op === 'write');
        assert.deepEqual(writes.map((t) => t.path), [path.resolve(cwd, real.stdout.trim(), 'probe')]);
        assert.ok(!writes.some((t) => t.unresolved));
      });
    }
  }
});
