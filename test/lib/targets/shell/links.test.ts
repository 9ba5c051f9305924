// Issue 13, findings 1 and 7, through the real PreToolUse core (payload, config layers, presets,
// normalization, decision): links, copies and moves made earlier in the same command, hard links
// to protected files, inherited environment variables, and the readable form of unknown parts.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { preToolUse, recordInputOf } from '../../../../lib/guard.js';
import { buildRecord } from '../../../../lib/record.js';
import { compileRedactor } from '../../../../lib/redact.js';
import { AuditConfigSchema } from '../../../../lib/audit-config.js';
import type { Decision } from '../../../../lib/types.js';

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-links-')));
after(() => fs.rmSync(root, { recursive: true, force: true }));
const home = path.join(root, 'home');
const proj = path.join(root, 'proj');
const strict = path.join(root, 'strict');
const xdg = path.join(home, 'xdg');
for (const d of [`${home}/.ssh`, `${home}/.codex`, xdg, `${proj}/.git`, `${proj}/sub`, `${proj}/vendor`, `${proj}/src`, `${strict}/.hookwarden`]) {
  fs.mkdirSync(d, { recursive: true });
}
fs.writeFileSync(`${home}/.ssh/authorized_keys`, 'ssh-ed25519 AAAA me\n');
fs.writeFileSync(`${proj}/.env`, 'TOKEN=1\n');
fs.writeFileSync(`${proj}/.git/config`, '[core]\n');
fs.writeFileSync(`${proj}/README`, 'hi\n');
// A link a cloned repository may hold: harmless until a command moves or copies its folder.
fs.symlinkSync(`${home}/.ssh`, `${proj}/vendor/keys`);
fs.writeFileSync(`${strict}/.hookwarden/config.json`, '{"unresolved":"deny"}\n');
fs.mkdirSync(`${strict}/.git`);

const ENV = { HOME: home, XDG_CONFIG_HOME: xdg, CODEX_HOME: `${home}/.codex`, PATH: '/usr/bin:/bin' };

function check(command: string, cwd = proj, env: Record<string, string | undefined> = ENV) {
  const payload = JSON.stringify({
    session_id: 's1', cwd, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: 'toolu_1',
  });
  return preToolUse(payload, { env, home, agent: 'claude' });
}

function table(name: string, cases: [string, Decision][], cwd = proj): void {
  describe(name, () => {
    for (const [cmd, want] of cases) {
      it(`${want}: ${cmd}`, () => {
        const o = check(cmd, cwd);
        assert.equal(o.error, undefined, o.error);
        assert.equal(o.verdict.decision, want, `${o.verdict.reason ?? ''} ${JSON.stringify(o.verdict.targets)}`);
      });
    }
  });
}

const OFF = `'{"presets":{"secrets":false,"vcs":false,"self":false}}'`;

table('links made earlier in the same command (issue 13, finding 1)', [
  ['ln -s .env x && echo P > x', 'deny'],
  ['ln -s ~/.ssh s && echo k >> s/authorized_keys', 'deny'],
  [`ln -s $XDG_CONFIG_HOME/hookwarden h && echo ${OFF} > h/config.json`, 'deny'],
  // The nearest forms: other spellings of ln, other places the link is made, other ways through it.
  ['ln -sf .env x; echo P > x', 'deny'],
  ['ln -sfn ~/.ssh s; echo k >> s/authorized_keys', 'deny'],
  ['ln -sT ~/.ssh d && echo k > d/authorized_keys', 'deny'],
  ['ln -s --target-directory=sub ~/.ssh && echo k > sub/.ssh/authorized_keys', 'deny'],
  ['ln -s ~/.ssh README sub && echo k > sub/.ssh/authorized_keys', 'deny'],
  ['ln -s ../.env sub/x && echo P > sub/x', 'deny'],
  ['ln -sr .env sub/x && echo P > sub/x', 'deny'],
  ['ln -s ~/.ssh d; cd d; echo k > authorized_keys', 'deny'],
  ['mkdir -p a && ln -s ~/.ssh a/b && echo > a/b/authorized_keys', 'deny'],
  ['install -d a && ln -s ~/.ssh a/b && echo > a/b/authorized_keys', 'deny'],
  ['(ln -s .env x); echo P > x', 'deny'],
  ['ln -s .env x | cat; echo P > x', 'deny'],
  ['false || ln -s .env x; echo P > x', 'deny'],
  ['for i in 1 2; do ln -sf .env x; done; echo P > x', 'deny'],
  ['while false; do ln -sf .env x; done; echo P > x', 'deny'],
  ['f() { ln -s .env x; }; f; echo P > x', 'deny'],
  ['f() { echo P > x; }; ln -s .env x; f', 'deny'],
  ['bash -c "ln -s .env x"; echo P > x', 'deny'],
  ['ln -s ~/.ssh s; mv s t; echo k > t/authorized_keys', 'deny'],
  ['ln -s ~/.ssh s; cp -a s t; echo k > t/authorized_keys', 'deny'],
  ['ln -s ~/.ssh s; cp -P s t; echo k > t/authorized_keys', 'deny'],
  ['ln -s ~/.ssh s; cp k s', 'deny'],
  ['ln -s ~/.ssh s; ln -s ../x s/authorized_keys', 'deny'],
  ['ln -s .env x; cp evil x', 'deny'],
  ['cp -s ~/.ssh/authorized_keys k && echo k > k', 'deny'],
  ['mv vendor v2 && echo k >> v2/keys/authorized_keys', 'deny'],
  ['cp -r vendor v3 && echo k >> v3/keys/authorized_keys', 'deny'],
  ['ln -s ~/.ssh s && rm -rf s/', 'deny'],
  ['sudo mount --bind ~/.ssh m && echo k >> m/authorized_keys', 'deny'],
  ['mount -o ro,bind .git m; echo x >> m/config', 'deny'],
  // Allowed: a link TO a protected file (writing through it later is caught on disk), removing
  // only a link, a copy (not the original), and ordinary link work.
  ['ln -s .env x', 'allow'],
  ['ln -s ~/.ssh s && rm -rf s', 'allow'],
  ['cp -r ~/.ssh x && echo k > x/authorized_keys', 'allow'],
  ['ln -s ../lib x && cat x', 'allow'],
  ['ln -s node_modules/.bin/tsc tsc', 'allow'],
  ['ln -sf ../shared/tsconfig.json tsconfig.json && echo {} > tsconfig.local.json', 'allow'],
  ['mkdir -p build && ln -s ../src build/src && echo x > build/out.txt', 'allow'],
]);

table('hard links to protected files are writes of them (issue 13, finding 1)', [
  ['ln .env hard', 'deny'],
  ['ln .git/config gc', 'deny'],
  ['ln -P .env h', 'deny'],
  ['ln -L .env h', 'deny'],
  ['ln -f .env h', 'deny'],
  ['ln -T .env h', 'deny'],
  ['ln -t sub .git/config', 'deny'],
  ['cd sub && ln ../.git/config', 'deny'],
  ['ln ~/.ssh/authorized_keys k', 'deny'],
  ['link .env h', 'deny'],
  ['cp -l .env h', 'deny'],
  ['cp --link .env h', 'deny'],
  ['cp -al .git g', 'deny'],
  ['cp -rl ~/.ssh x', 'deny'],
  ['rsync -a --link-dest=$HOME/.ssh src/ dst/', 'deny'],
  ['rsync -a --link-dest=../.git src/ dst/', 'deny'],
  ['ln -s ~/.ssh s; ln s/authorized_keys k', 'deny'],
  ['ln README r', 'allow'],
  ['cp -al src src.bak', 'allow'],
]);

describe('names an analysis cannot follow are unresolved, not plain files (issue 13, finding 1)', () => {
  for (const cmd of ['tar xf a.tar && echo k > s/authorized_keys', 'unzip -q a.zip && echo k > s/authorized_keys',
    '$CMD s && echo k > s/authorized_keys', 'ln -s ~/.ssh $N && echo k > s/authorized_keys', 'mv $X s && echo k > s/authorized_keys',
    'git checkout evil && echo k > s/authorized_keys', 'git clone https://example.test/y.git s && echo k > s/authorized_keys',
    'tar xf a.tar -C out && echo k > out/authorized_keys']) {
    it(cmd, () => {
      const o = check(cmd);
      assert.equal(o.verdict.unresolved, true, JSON.stringify(o.verdict.targets));
      assert.ok(o.verdict.targets.some((t) => t.unresolved && t.literal?.endsWith('authorized_keys')), JSON.stringify(o.verdict.targets));
      assert.equal(check(cmd, strict).verdict.decision, 'deny');
    });
  }
});

table('inherited variables resolve from the hook environment (issue 13, finding 7)', [
  [`echo ${OFF} > $XDG_CONFIG_HOME/hookwarden/config.json`, 'deny'],
  [`echo ${OFF} > "\${XDG_CONFIG_HOME}/hookwarden/config.json"`, 'deny'],
  ['echo x >> $CODEX_HOME/config.toml', 'deny'],
  [`bash -c 'echo x > $XDG_CONFIG_HOME/hookwarden/config.json'`, 'deny'],
  ['echo x > ${X:-.env}', 'deny'],
  ['X=$(cat name); echo x > ${X:-.env}', 'deny'],
  ['echo x > ${X:-.git}/config', 'deny'],
  ['if test -f a; then F=.env; else F=out; fi; echo x > $F', 'deny'],
  ['case $1 in a) F=.env ;; *) F=log ;; esac; echo x > "$F"', 'deny'],
  // What the command sets itself wins over the inherited value.
  ['export XDG_CONFIG_HOME=/tmp/elsewhere; echo x > $XDG_CONFIG_HOME/hookwarden/config.json', 'allow'],
  ['XDG_CONFIG_HOME=/tmp/elsewhere; echo x > $XDG_CONFIG_HOME/hookwarden/config.json', 'allow'],
  ['unset XDG_CONFIG_HOME; echo x > $XDG_CONFIG_HOME/hookwarden/config.json', 'allow'],
  [`env -i bash -c 'echo x > $XDG_CONFIG_HOME/hookwarden/config.json'`, 'allow'],
  [`env -u XDG_CONFIG_HOME bash -c 'echo x > $XDG_CONFIG_HOME/hookwarden/config.json'`, 'allow'],
  ['echo x > $XDG_CONFIG_HOME/notes.txt', 'allow'],
  // A sourced file or eval'd unknown text may set anything: inherited values stay alternatives.
  ['. ./env.sh; echo x > $XDG_CONFIG_HOME/hookwarden/config.json', 'deny'],
  ['source env.sh; echo k > ~/.ssh/authorized_keys', 'deny'],
  ['eval "$(direnv export bash)"; echo x > $CODEX_HOME/config.toml', 'deny'],
  ['source venv/bin/activate && echo x > src/out.txt', 'allow'],
]);

describe('the environment comes from the call, never from the process', () => {
  it('a variable only in process.env is not used', () => {
    process.env.HW_LINKS_TEST_VAR = '.env';
    try {
      const o = check('echo x > $HW_LINKS_TEST_VAR');
      assert.equal(o.verdict.decision, 'allow');
      assert.equal(o.verdict.unresolved, true);
    } finally {
      delete process.env.HW_LINKS_TEST_VAR;
    }
    assert.equal(check('echo x > $HW_LINKS_TEST_VAR', proj, { ...ENV, HW_LINKS_TEST_VAR: '.env' }).verdict.decision, 'deny');
  });
});

describe('unresolved targets have a readable form', () => {
  it('targets, the deciding target and the record hold no NUL byte; the decision is unchanged', () => {
    const o = check('echo x > $F; echo y > "$G"/.env.local');
    assert.equal(o.verdict.decision, 'deny'); // `<unknown>/.env.local` still matches **/.env.*
    const t = o.verdict.targets.find((x) => x.literal === '$F');
    assert.deepEqual([t?.path, t?.unresolved], [`${proj}/<unresolved>`, true]);
    assert.ok(o.verdict.target?.path.endsWith('<unresolved>/.env.local'), o.verdict.target?.path);
    const audit = AuditConfigSchema.parse({});
    const rec = buildRecord({ ...recordInputOf(o), version: '0' }, audit, compileRedactor(audit.redact));
    const text = JSON.stringify(rec);
    assert.ok(!text.includes('\\u0000'), text);
    assert.ok(rec.targets?.some((x) => x.path === `${proj}/<unresolved>` && x.unresolved === true), text);
    const allowed = check('echo x > $F');
    assert.equal(allowed.verdict.decision, 'allow');
    assert.match(allowed.verdict.reason ?? '', /^unresolved target of redirect > \(\$F\)$/);
  });
});
