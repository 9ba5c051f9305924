// `hookwarden allow --once`: a person's one-time exception, end to end through the built hook and
// CLI (npm run build first), and the ways an agent might try to grant itself one.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { claimGrant, grantsDir } from '../../lib/commands/grants.js';
import { takeGrantFile } from '../../hooks/grant-take.js';
import { preToolUse } from '../../lib/guard.js';
import { writeGrant } from '../../cli/allow/grant.js';
import { claudePayload, readAudit, runHookSync, sandbox } from '../helpers/hook.js';
import { hw, json } from './run.js';

const sb = sandbox();
after(() => sb.cleanup());
const PUSH = 'git push --force origin main';
const call = (command: string, session?: string) => {
  const p = claudePayload(sb.project, 'Bash', { command });
  return runHookSync('pre-tool-use', JSON.stringify(session ? { ...p, session_id: session } : p), sb.env, sb.project);
};
const lastRecord = () => readAudit(sb.auditFile).filter((r) => r.event === 'PreToolUse').at(-1)!;

describe('hookwarden allow --once', () => {
  it('lets the blocked call through once, recorded with the grant and who gave it', () => {
    assert.equal(call(PUSH).status, 2);
    const blocked = lastRecord();
    assert.equal(blocked.rule, 'git.push-force');
    assert.deepEqual(blocked.command, { argv: ['git', 'push', '--force', 'origin', 'main'], preset: 'git-destructive' });
    const r = hw(['allow', '--once', String(blocked.id), '--json'], { cwd: sb.project, env: sb.env });
    assert.equal(r.status, 0, r.stderr);
    const g = json<{ id: string; by: string; session: string; command: string }>(r);
    assert.equal(g.command, PUSH);
    assert.equal(g.session, 'abc123');
    const ok = call(PUSH);
    assert.equal(ok.status, 0, ok.stderr);
    const rec = lastRecord();
    assert.equal(rec.decision, 'allow');
    assert.deepEqual(rec.grant, { id: g.id, by: g.by });
    assert.match(String(rec.reason), new RegExp(`allowed once by grant ${g.id}`));
    // Used up: the next identical call is blocked again.
    assert.equal(call(PUSH).status, 2);
  });

  it('a grant for another session or another command does not apply', () => {
    const r = hw(['allow', '--once', PUSH, '--session', 'other-session'], { cwd: sb.project, env: sb.env });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(call(PUSH).status, 2);
    assert.equal(call('git push -f origin main', 'other-session').status, 2);
    assert.equal(call(PUSH, 'other-session').status, 0);
  });

  it('an expired grant does not apply', () => {
    const at = { env: sb.env, home: sb.env.HOME!, cwd: sb.project };
    const g = writeGrant(at, { command: 'dropdb app' }, Date.now() - 10 * 60_000);
    assert.equal(claimGrant(grantsDir(at.home, at.env), 'dropdb app', undefined, Date.now(), takeGrantFile), undefined);
    assert.ok(fs.existsSync(g.file));
  });

  it('two calls racing for one grant: only one gets it', () => {
    const at = { env: sb.env, home: sb.env.HOME!, cwd: sb.project };
    writeGrant(at, { command: 'terraform destroy' });
    const dir = grantsDir(at.home, at.env);
    const first = claimGrant(dir, 'terraform destroy', 's', Date.now(), takeGrantFile);
    const second = claimGrant(dir, 'terraform destroy', 's', Date.now(), takeGrantFile);
    assert.ok(first);
    assert.equal(second, undefined);
  });

  it('the core picks the grant; only the injected effect takes it (the core alone leaves the file and the block)', () => {
    const at = { env: sb.env, home: sb.env.HOME!, cwd: sb.project };
    const g = writeGrant(at, { command: 'git push --force origin pure' });
    const text = JSON.stringify(claudePayload(sb.project, 'Bash', { command: 'git push --force origin pure' }));
    const genv = { env: sb.env, home: sb.env.HOME, agent: 'claude' as const };
    const bare = preToolUse(text, genv).verdict;
    assert.equal(bare.decision, 'deny', bare.reason);
    assert.ok(fs.existsSync(g.file), 'the core removed a grant file');
    const refused = preToolUse(text, { ...genv, takeGrant: () => false }).verdict;
    assert.equal(refused.decision, 'deny', 'a grant another call took first must not let this one through');
    assert.ok(fs.existsSync(g.file));
    const taken = preToolUse(text, { ...genv, takeGrant: takeGrantFile }).verdict;
    assert.equal(taken.decision, 'allow', taken.reason);
    assert.deepEqual(taken.grant, { id: g.id, by: g.by });
    assert.ok(!fs.existsSync(g.file));
    assert.deepEqual(fs.readdirSync(path.dirname(g.file)).filter((n) => n.includes('.used-')), []);
  });

  it('refuses inside an agent\'s shell, and requires --once', () => {
    const r = hw(['allow', '--once', PUSH], { cwd: sb.project, env: { ...sb.env, CLAUDECODE: '1' } });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /inside an agent's shell/);
    assert.equal(hw(['allow', PUSH], { cwd: sb.project, env: sb.env }).status, 2);
  });

  it('the agent cannot grant itself: the CLI through Bash and writes to the grants folder are blocked', () => {
    const dir = grantsDir(sb.env.HOME!, sb.env);
    for (const command of [
      `hookwarden allow --once '${PUSH}'`, `npx hookwarden allow --once x`, `node ./node_modules/hookwarden/dist/cli.js allow --once x`,
      `/usr/local/bin/hookwarden allow --once x`, `sh -c "hookwarden allow --once x"`,
      `echo '{}' > ${path.join(dir, 'g-1.json')}`, `cp /tmp/g.json ${dir}/`, `mkdir -p ${dir} && touch ${dir}/x.json`,
    ]) {
      const v = preToolUse(JSON.stringify(claudePayload(sb.project, 'Bash', { command })), { env: sb.env, home: sb.env.HOME, agent: 'claude' }).verdict;
      assert.equal(v.decision, 'deny', `${command}: ${v.reason}`);
    }
  });
});

describe('hookwarden rules and check --command', () => {
  it('rules --json lists path and command rules of every layer', () => {
    const r = hw(['rules', '--json'], { cwd: sb.project, env: sb.env });
    assert.equal(r.status, 0, r.stderr);
    const out = json<{ paths: { id: string }[]; commands: { id: string; layer: string; locked: boolean }[]; layers: { name: string }[] }>(r);
    assert.ok(out.paths.some((p) => p.id === 'secrets'));
    const force = out.commands.find((c) => c.id === 'git.push-force');
    assert.deepEqual([force?.layer, force?.locked], ['builtin:git-destructive', true]);
    for (const p of ['git-destructive', 'fs-destructive', 'remote-code', 'databases', 'infrastructure']) {
      assert.ok(out.layers.some((l) => l.name === `builtin:${p}`), p);
    }
  });

  it('check --command explains a command-rule decision', () => {
    const r = hw(['check', '--command', 'sudo terraform -chdir=infra destroy', '--json'], { cwd: sb.project, env: sb.env });
    assert.equal(r.status, 1);
    const out = json<{ decision: string; rule: string; command: { argv: string[]; preset: string } }>(r);
    assert.equal(out.rule, 'infra.terraform-destroy');
    assert.deepEqual(out.command, { argv: ['terraform', '-chdir=infra', 'destroy'], preset: 'infrastructure' });
    const text = hw(['check', '--command', 'git push -f'], { cwd: sb.project, env: sb.env });
    assert.match(text.stdout, /command: {2}\["git","push","-f"\] \(preset git-destructive\)/);
  });
});
