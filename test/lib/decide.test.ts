import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { loadConfig, type LoadedConfig } from '../../lib/config.js';
import { answerPreToolUse } from '../../lib/answer.js';
import { decide } from '../../lib/decide.js';
import { Budget, GuardError, UNRESOLVED_SEGMENT, type Op, type Target } from '../../lib/types.js';

const tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-decide-')));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));
const home = path.join(tmp, 'home');
const root = path.join(tmp, 'proj');
fs.mkdirSync(path.join(root, '.git'), { recursive: true });
fs.mkdirSync(home, { recursive: true });
const U = UNRESOLVED_SEGMENT;

let n = 0;
/** Config from the built-ins plus an optional HOOKWARDEN_CONFIG file. */
function config(cfg?: unknown, platform: NodeJS.Platform = 'linux', env: Record<string, string> = {}): LoadedConfig {
  const e: Record<string, string> = { ...env };
  if (cfg !== undefined) {
    e.HOOKWARDEN_CONFIG = path.join(tmp, `cfg-${n++}.json`);
    fs.writeFileSync(e.HOOKWARDEN_CONFIG, JSON.stringify(cfg));
  }
  return loadConfig({ cwd: root, home, env: e, platform });
}
const defaults = config();
const run = (targets: Target[], tool = 'Bash', c = defaults, platform: NodeJS.Platform = 'linux') =>
  decide(targets, tool, c, { root, home, platform, budget: new Budget(10_000) });
const t = (op: Op, p: string, extra: Partial<Target> = {}): Target => ({ op, path: p, via: 'rm', ...extra });
const R = (p: string) => path.join(root, p);
const H = (p: string) => path.join(home, p);

describe('built-in rules', () => {
  const blocked: [string, string][] = [
    [R('.env'), 'secrets'], [R('app/.env'), 'secrets'], [R('.env.local'), 'secrets.env-variants'],
    [R('.env.production'), 'secrets.env-variants'], [R('a.pem'), 'secrets'], [R('tls/server.key'), 'secrets'],
    [R('x.p12'), 'secrets'], [R('x.pfx'), 'secrets'], [R('id_rsa'), 'secrets'], [R('keys/id_rsa.pub'), 'secrets'],
    [R('id_ecdsa'), 'secrets'], [R('id_ed25519'), 'secrets'], [H('.ssh/config'), 'secrets'], [H('.ssh'), 'secrets'],
    [H('.aws/credentials'), 'secrets'], [H('.config/gcloud/credentials.db'), 'secrets'], [H('.kube/config'), 'secrets'],
    [H('.docker/config.json'), 'secrets'], [H('.npmrc'), 'secrets'], ['/etc/.npmrc', 'secrets'], [R('.npmrc'), 'secrets'],
    [R('.pypirc'), 'secrets'], [H('.netrc'), 'secrets'], [R('secrets'), 'secrets'], [R('app/secrets/db.yml'), 'secrets'],
    [R('secrets/.env.example'), 'secrets'], [H('.ssh/.env.example'), 'secrets'],
    [R('.git'), 'vcs'], [R('.git/config'), 'vcs'], [R('vendor/lib/.git/HEAD'), 'vcs'],
    [R('.codex/config.toml'), 'self'], [H('.codex/hooks.json'), 'self'], [R('.claude/settings.json'), 'self'],
    [R('.claude/settings.local.json'), 'self'], [H('.claude/settings.json'), 'self'], [R('.hookwarden/config.json'), 'self'],
    [H('.config/hookwarden/config.json'), 'self'], [H('.local/state/hookwarden/audit.jsonl'), 'self'],
    [H('.bashrc'), 'self.shell-startup'], [H('.profile'), 'self.shell-startup'],
  ];
  for (const [p, rule] of blocked) {
    for (const op of ['write', 'delete', 'move-from', 'move-to'] as Op[]) {
      it(`blocks ${op} ${path.relative(tmp, p) || p} (rule ${rule})`, () => {
        const v = run([t(op, p)]);
        assert.equal(v.decision, 'deny');
        assert.equal(v.rule, rule);
        assert.equal(v.layer, `builtin:${rule.split('.')[0]}`);
      });
    }
    it(`does not block reading ${path.relative(tmp, p) || p} by default`, () => assert.equal(run([t('read', p)]).decision, 'allow'));
  }

  const allowed = [R('src/a.ts'), R('.env.example'), R('.env.sample'), R('.env.template'), R('.env.dist'),
    R('node_modules/x/index.js'), R('README.md'), R('.gitignore'), R('.github/workflows/ci.yml'), R('.environment'),
    R('keys.ts'), R('.claude/commands/review.md'), H('.bash_history'), H('.kube/cache/x'), H('.config/other/x'), R('.npmrc.d/x')];
  for (const p of allowed) {
    it(`allows writing ${path.relative(tmp, p)}`, () => {
      const v = run([t('write', p)]);
      assert.deepEqual(v, { decision: 'allow', targets: [t('write', p)], unresolved: false });
    });
  }

  it('says what was blocked and why, never how to get around it', () => {
    assert.equal(run([t('write', R('.env'))]).reason, 'blocked write to .env (rule secrets): secrets and credentials are protected');
    assert.equal(run([t('delete', H('.ssh/id_rsa'))]).reason, 'blocked delete of ~/.ssh/id_rsa (rule secrets): secrets and credentials are protected');
    assert.match(run([t('move-to', R('.git/HEAD'))]).reason ?? '', /^blocked move to \.git\/HEAD \(rule vcs\): /);
  });

  it('follows $XDG_CONFIG_HOME and $XDG_STATE_HOME', () => {
    const c = config(undefined, 'linux', { XDG_CONFIG_HOME: path.join(tmp, 'xc'), XDG_STATE_HOME: path.join(tmp, 'xs') });
    assert.equal(run([t('write', path.join(tmp, 'xc/hookwarden/config.json'))], 'Write', c).rule, 'self');
    assert.equal(run([t('write', path.join(tmp, 'xs/hookwarden/audit.jsonl'))], 'Write', c).rule, 'self');
  });

  it('folds case only where the file system does', () => {
    for (const [platform, expected] of [['linux', 'allow'], ['darwin', 'deny'], ['win32', 'deny']] as const) {
      const c = config(undefined, platform);
      assert.equal(run([t('write', R('.ENV'))], 'Write', c, platform).decision, expected, platform);
      assert.equal(run([t('write', H('.SSH/Config'))], 'Write', c, platform).decision, expected, platform);
    }
  });

  it('blocks reads with the secrets-read preset', () => {
    const c = config({ presets: { 'secrets-read': true } });
    assert.equal(c.reads, true);
    assert.equal(run([t('read', R('.env'))], 'Read', c).rule, 'secrets-read');
    assert.equal(run([t('read', R('.env.example'))], 'Read', c).decision, 'allow');
  });
});

describe('configured rules', () => {
  const c = config({
    rules: [
      { id: 'no-prod', effect: 'deny', paths: ['config/prod/**'], except: ['config/prod/README.md'], tools: ['Bash', 'apply_patch'] },
      { id: 'ask-migrations', effect: 'ask', paths: ['db/migrations/**'] },
      { id: 'allow-docs', effect: 'allow', paths: ['docs/**', 'config/prod/**', '**/.env'] },
      { id: 'keep-data', effect: 'deny', ops: ['delete'], paths: ['data/**'] },
      { id: 'read-private', effect: 'deny', ops: ['read'], paths: ['private/**'] },
      { id: 'mcp-out', effect: 'deny', ops: ['move'], paths: ['out/**'], tools: ['mcp__fs__*'] },
    ],
  });
  const table: [Op, string, string, 'allow' | 'deny' | 'ask', string | undefined][] = [
    ['write', 'config/prod/app.yml', 'Bash', 'deny', 'no-prod'],
    ['write', 'config/prod', 'apply_patch', 'deny', 'no-prod'],
    ['write', 'config/prod/app.yml', 'Write', 'allow', 'allow-docs'], // tools filter
    ['write', 'config/prod/README.md', 'Bash', 'allow', 'allow-docs'], // except names the path
    ['write', '.env', 'Write', 'deny', 'secrets'], // deny beats allow
    ['write', 'db/migrations/001.sql', 'Write', 'ask', 'ask-migrations'],
    ['write', 'docs/a.md', 'Write', 'allow', 'allow-docs'],
    ['delete', 'data/x.csv', 'Bash', 'deny', 'keep-data'],
    ['write', 'data/x.csv', 'Bash', 'allow', undefined], // ops filter
    ['read', 'private/notes', 'Read', 'deny', 'read-private'],
    ['write', 'private/notes', 'Write', 'allow', undefined],
    ['move-from', 'out/a', 'mcp__fs__move_file', 'deny', 'mcp-out'],
    ['move-to', 'out/a', 'mcp__fs__move_file', 'deny', 'mcp-out'],
    ['write', 'out/a', 'mcp__fs__write_file', 'allow', undefined],
    ['move-to', 'out/a', 'mcp__git__mv', 'allow', undefined],
  ];
  for (const [op, p, tool, decision, rule] of table) {
    it(`${tool} ${op} ${p} -> ${decision}${rule ? ` (${rule})` : ''}`, () => {
      const v = run([t(op, R(p))], tool, c);
      assert.equal(v.decision, decision);
      assert.equal(v.rule, rule);
      if (rule && rule !== 'secrets') assert.equal(v.layer, c.layers.at(-1)?.name);
    });
  }

  it('lets the first denied target decide, then the first ask, then the first allow rule', () => {
    const targets = [t('write', R('docs/a.md')), t('write', R('db/migrations/1.sql')), t('write', R('src/x')),
      t('delete', R('data/a')), t('write', R('.env'))];
    const v = run(targets, 'Bash', c);
    assert.equal(v.decision, 'deny');
    assert.equal(v.rule, 'keep-data');
    assert.equal(v.target, targets[3]);
    assert.deepEqual(v.targets, targets);
    assert.match(v.reason ?? '', /^blocked delete of data\/a \(rule keep-data\): this path is protected$/);
    const ask = run(targets.slice(0, 3), 'Bash', c);
    assert.deepEqual([ask.decision, ask.rule, ask.target], ['ask', 'ask-migrations', targets[1]]);
    assert.match(ask.reason ?? '', /^confirm write to db\/migrations\/1\.sql \(rule ask-migrations\)/);
    const allow = run([targets[2] as Target, targets[0] as Target], 'Bash', c);
    assert.deepEqual([allow.decision, allow.rule, allow.target], ['allow', 'allow-docs', targets[0]]);
    assert.deepEqual(run([], 'Bash', c), { decision: 'allow', targets: [], unresolved: false });
  });
});

describe('deleting or moving a directory', () => {
  const mk = (...files: string[]) => {
    for (const f of files) {
      fs.mkdirSync(path.dirname(R(f)), { recursive: true });
      fs.writeFileSync(R(f), 'x');
    }
  };
  mk('config/app.yml', 'config/secrets/db.yml', 'plain/a.txt', 'plain/b/c.txt', 'deep/a/b/c/.env',
    'db/migrations/1.sql', 'db/seed.sql', 'mixed/db/migrations/1.sql', 'mixed/z/.env', 'clone/src/a.ts', 'clone/.git/HEAD', 'nd/notdir', 'askbig/migrations/1.sql');
  for (let i = 0; i < 30; i++) mk(`askbig/f${i}.txt`);
  for (let i = 0; i < 30; i++) mk(`big/f${i}.txt`);

  it('blocks rm -rf of a directory with a protected path beneath', () => {
    const v = run([t('delete', R('config'))]);
    assert.equal(v.decision, 'deny');
    assert.equal(v.rule, 'secrets');
    assert.equal(v.reason, 'blocked delete of config, which holds config/secrets (rule secrets): secrets and credentials are protected');
    assert.equal(run([t('delete', R('deep'))]).rule, 'secrets');
    assert.equal(run([t('move-from', R('config'))]).decision, 'deny');
    assert.equal(run([t('delete', root)]).decision, 'deny');
    assert.equal(run([t('move-from', R('clone'))]).rule, 'vcs');
  });

  it('does not look beneath for writes and move targets, nor for plain directories', () => {
    assert.equal(run([t('write', R('config'))]).decision, 'allow');
    assert.equal(run([t('move-to', R('config'))]).decision, 'allow');
    assert.deepEqual(run([t('delete', R('plain'))]), { decision: 'allow', targets: [t('delete', R('plain'))], unresolved: false });
  });

  it('asks for an ask rule beneath, and a deny beneath still wins', () => {
    const c = config({ rules: [{ id: 'ask-migrations', effect: 'ask', paths: ['**/migrations/**'] }] });
    assert.deepEqual(pick(run([t('delete', R('db'))], 'Bash', c)), ['ask', 'ask-migrations']);
    assert.deepEqual(pick(run([t('delete', R('mixed'))], 'Bash', c)), ['deny', 'secrets']);
  });

  it('honours the tools filter beneath', () => {
    const c = config({ rules: [{ id: 'bash-only', effect: 'deny', paths: ['**/seed.sql'], tools: ['Bash'] }] });
    assert.equal(run([t('delete', R('db'))], 'Bash', c).rule, 'bash-only');
    assert.equal(run([t('delete', R('db'))], 'mcp__fs__delete_directory', c).decision, 'allow');
  });

  it('finds anchored protected paths without walking (rm -rf ~, rm -rf /)', () => {
    fs.mkdirSync(H('.ssh'), { recursive: true });
    const c = config({ limits: { walkEntries: 0 }, unresolved: 'allow' });
    const v = run([t('delete', home)], 'Bash', c);
    assert.deepEqual(pick(v), ['deny', 'secrets']);
    assert.match(v.reason ?? '', /^blocked delete of ~, which holds ~\/\.ssh \(rule secrets\): /);
    assert.equal(run([t('delete', '/')], 'Bash', c).decision, 'deny');
  });

  it('treats an anchored path it cannot stat as absent', () => {
    const c = config({ rules: [{ id: 'nd', effect: 'deny', paths: ['nd/notdir/sub/**'] }] });
    assert.deepEqual(pick(run([t('delete', R('nd'))], 'Bash', c)), ['allow', undefined]);
  });

  it('lets a deny setting beat an ask beneath when the walk is cut short', () => {
    const rules = [{ id: 'ask-mig', effect: 'ask', paths: ['askbig/migrations/**'] }];
    const d = run([t('delete', R('askbig'))], 'Bash', config({ rules, limits: { walkEntries: 5 }, unresolved: 'deny' }));
    assert.deepEqual([d.decision, d.reason], ['deny', 'cannot check everything beneath askbig for rm']);
    const a = run([t('delete', R('askbig'))], 'Bash', config({ rules, limits: { walkEntries: 5 } }));
    assert.deepEqual([a.decision, a.rule, a.unresolved], ['ask', 'ask-mig', true]);
    assert.deepEqual(pick(run([t('delete', R('askbig'))], 'Bash', config({ rules }))), ['ask', 'ask-mig']);
  });

  it('blocks when the walk ends past the budget', () => {
    class Late extends Budget {
      override check(what?: string): void {
        if (what !== 'rule matching') super.check(what); // let the per-rule checks pass, catch the walk
      }
    }
    assert.throws(() => decide([t('delete', R('big'))], 'Bash', defaults, { root, home, platform: 'linux', budget: new Late(1, Date.now() - 1000) }),
      (e: unknown) => e instanceof GuardError && e.code === 'budget' && /directory walk/.test(e.message));
  });

  it('lets the unresolved setting decide past the walk bound', () => {
    const allow = run([t('delete', R('big'))], 'Bash', config({ limits: { walkEntries: 10 } }));
    assert.deepEqual([allow.decision, allow.unresolved, allow.reason], ['allow', true, 'did not check everything beneath big for rm']);
    const deny = run([t('delete', R('big'))], 'Bash', config({ limits: { walkEntries: 10 }, unresolved: 'deny' }));
    assert.deepEqual([deny.decision, deny.unresolved, deny.reason], ['deny', false, 'cannot check everything beneath big for rm']);
    assert.equal(run([t('delete', R('big'))], 'Bash', config({ limits: { walkEntries: 100 }, unresolved: 'deny' })).decision, 'allow');
  });
});

describe('unresolved targets', () => {
  const deny = config({ unresolved: 'deny' });
  it('match rules on their literal parts', () => {
    for (const c of [defaults, deny]) {
      const v = run([t('write', `${root}/${U}/.env`, { unresolved: true, literal: '$D/.env', via: 'redirect >' })], 'Bash', c);
      assert.deepEqual([v.decision, v.rule, v.unresolved], ['deny', 'secrets', true]);
      assert.equal(run([t('write', `${R('.git')}/${U}`, { unresolved: true })], 'Bash', c).rule, 'vcs');
    }
  });

  it('follow the unresolved setting when no rule matches', () => {
    const target = t('delete', `${root}/${U}`, { unresolved: true, literal: '$F' });
    const a = run([target]);
    assert.deepEqual([a.decision, a.unresolved, a.reason, a.rule], ['allow', true, 'unresolved target of rm ($F)', undefined]);
    const d = run([target], 'Bash', deny);
    assert.deepEqual([d.decision, d.reason, d.layer], ['deny', 'cannot resolve target of rm ($F)', deny.layers.at(-1)?.name]);
  });

  it('unresolved "ask" (as the README recommends): Claude asks, Codex blocks', () => {
    const ask = config({ unresolved: 'ask' });
    const target = t('delete', `${root}/${U}`, { unresolved: true, literal: '$F' });
    const v = run([target], 'Bash', ask);
    assert.deepEqual([v.decision, v.reason, v.unresolved, v.layer], ['ask', 'cannot resolve target of rm ($F)', true, ask.layers.at(-1)?.name]);
    assert.equal(answerPreToolUse('claude', v).exitCode, 0);
    assert.match(answerPreToolUse('claude', v).stdout, /"permissionDecision":"ask"/);
    assert.equal(answerPreToolUse('codex', v).exitCode, 2);
    // A deny elsewhere in the same call still wins; a resolved target with no rule is still allowed.
    assert.equal(run([target, t('write', R('.env'))], 'Bash', ask).decision, 'deny');
    assert.equal(run([t('write', R('plain.txt'))], 'Bash', ask).decision, 'allow');
  });

  it('unresolved "ask" past the walk bound asks', () => {
    fs.mkdirSync(R('askwalk/a/b'), { recursive: true });
    for (let i = 0; i < 20; i++) fs.writeFileSync(R(`askwalk/a/f${i}`), '');
    const v = run([t('delete', R('askwalk'))], 'Bash', config({ limits: { walkEntries: 5 }, unresolved: 'ask' }));
    assert.deepEqual([v.decision, v.unresolved, v.reason], ['ask', true, 'cannot check everything beneath askwalk for rm']);
  });

  it('keep the reason on one line', () => {
    const d = run([t('delete', `${root}/${U}`, { unresolved: true, literal: '$(printf "a\nb")' })], 'Bash', deny);
    assert.equal(d.reason, 'cannot resolve target of rm ($(printf "a\\x0ab"))');
    const c = config({ rules: [{ id: 'multi', effect: 'deny', paths: ['m'], reason: 'line one\nline two' }] });
    assert.match(run([t('write', R('m'))], 'Bash', c).reason ?? '', /: line one\\x0aline two$/);
  });

  it('let a matching allow rule decide', () => {
    const c = config({ unresolved: 'deny', rules: [{ id: 'tmp-ok', effect: 'allow', paths: ['tmp/**'] }] });
    const v = run([t('write', `${R('tmp')}/${U}`, { unresolved: true })], 'Bash', c);
    assert.deepEqual([v.decision, v.rule, v.unresolved], ['allow', 'tmp-ok', true]);
  });

  it('put a resolved deny first in target order', () => {
    const targets = [t('delete', `${root}/${U}`, { unresolved: true, literal: '$F' }), t('write', R('.env'))];
    assert.deepEqual(pick(run(targets, 'Bash', deny)), ['deny', undefined]);
    assert.deepEqual(pick(run(targets)), ['deny', 'secrets']);
  });
});

it('stops at the budget with a GuardError', () => {
  const spent = new Budget(1, Date.now() - 1000);
  assert.throws(() => decide([t('write', R('a'))], 'Bash', defaults, { root, home, platform: 'linux', budget: spent }),
    (e: unknown) => e instanceof GuardError && e.code === 'budget');
});

it('rule matching counts against the budget: checked rule by rule, not once per target', () => {
  let reads = 0;
  const budget = new Budget(2, 0, () => reads++); // three readings pass, the fourth is past the budget
  assert.throws(() => decide([t('write', R('a'))], 'Bash', defaults, { root, home, platform: 'linux', budget }),
    (e: unknown) => e instanceof GuardError && e.code === 'budget' && /rule matching/.test(e.message));
});

function pick(v: { decision: string; rule?: string }): [string, string | undefined] {
  return [v.decision, v.rule];
}

describe('links keep their own name', () => {
  it('a write to a link named .env is blocked even though it resolves elsewhere', () => {
    const v = run([t('write', R('config/dev.env'), { lexical: R('.env'), via: 'redirect >' })]);
    assert.equal(v.decision, 'deny');
    assert.equal(v.rule, 'secrets');
  });
  it('a link elsewhere that resolves into .git is blocked by its resolved path', () => {
    assert.equal(run([t('write', R('.git/config'), { lexical: R('notes.txt') })]).decision, 'deny');
  });
  it('an ordinary link to an ordinary file is allowed', () => {
    assert.equal(run([t('write', R('src/b.ts'), { lexical: R('src/a.ts') })]).decision, 'allow');
  });
});
