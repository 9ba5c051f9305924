// Command rules through the config layers: user rules, project rules, locking, presets switched
// off or to "ask" (user layer only), ask answered per host, and `hookwarden validate`'s lint.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { answerPreToolUse } from '../../../lib/answer.js';
import { lintCommandRules } from '../../../cli/support/command-lint.js';
import { lintConfigText } from '../../../cli/support/validate.js';
import { CommandRuleSchema, type CommandRule } from '../../../lib/commands/schema.js';
import { commandSandbox } from '../../helpers/commands.js';

describe('config layers', () => {
  it('a user rule with its own syntax blocks, and names its layer', () => {
    const sb = commandSandbox({ commands: [{ id: 'no-deploy', effect: 'deny', command: ['make'], when: [{ operand: ['deploy*'] }], reason: 'deploys are manual' }] });
    const v = sb.judge('make -j4 deploy-prod');
    assert.equal(v.decision, 'deny');
    assert.equal(v.rule, 'no-deploy');
    assert.match(v.layer ?? '', /config\.json$/);
    assert.match(v.reason ?? '', /blocked command make -j4 deploy-prod \(rule no-deploy\): deploys are manual/);
    assert.equal(sb.judge('make -j4 test').decision, 'allow');
  });

  it('an option value glob and "no operand matching" conditions', () => {
    const sb = commandSandbox({ commands: [
      { id: 'kctx', effect: 'deny', command: ['kubectl'], subcommand: ['apply'], syntax: { globals: ['--context', '-n'] }, when: [{ option: ['--context'], value: ['prod*'] }] },
      { id: 'npm-pub', effect: 'ask', command: ['npm'], subcommand: ['publish'], when: [{ noOperand: ['--dry-run'] }] },
    ] });
    assert.equal(sb.judge('kubectl --context prod-eu apply -f x.yaml').rule, 'kctx');
    assert.equal(sb.judge('kubectl --context=prod-eu apply -f x.yaml').rule, 'kctx');
    assert.equal(sb.judge('kubectl --context staging apply -f x.yaml').decision, 'allow');
    assert.equal(sb.judge('npm publish').decision, 'ask');
  });

  it('a path glob condition resolves operands like path targets (cwd, .., ~, links)', () => {
    const sb = commandSandbox({ commands: [{ id: 'keep-fixtures', effect: 'deny', command: ['rm', 'mv'], when: [{ path: ['fixtures/**', '~/archive/**'] }] }] });
    assert.equal(sb.judge('rm -f fixtures/a.json').rule, 'keep-fixtures');
    assert.equal(sb.judge('cd src && rm ../fixtures/b.json').rule, 'keep-fixtures');
    assert.equal(sb.judge('mv ~/archive/x /tmp/').rule, 'keep-fixtures');
    assert.equal(sb.judge('rm -f src/fixtures.ts').decision, 'allow');
  });

  it('a project may add command rules but not replace a locked preset rule', () => {
    const sb = commandSandbox(undefined, { commands: [
      { id: 'git.push-force', effect: 'allow', command: ['git'], subcommand: ['push'] },
      { id: 'no-npm-publish', effect: 'deny', command: ['npm'], subcommand: ['publish'] },
    ] });
    assert.equal(sb.judge('git push --force').rule, 'git.push-force');
    assert.equal(sb.judge('git push --force').decision, 'deny');
    assert.equal(sb.judge('npm publish').rule, 'no-npm-publish');
  });

  it('a project cannot switch a preset off or to ask; the user can', () => {
    const proj = commandSandbox(undefined, { presets: { 'git-destructive': false, infrastructure: 'ask' } });
    assert.equal(proj.judge('git reset --hard').decision, 'deny');
    assert.equal(proj.judge('terraform destroy').decision, 'deny');
    const user = commandSandbox({ presets: { 'git-destructive': false, infrastructure: 'ask' } });
    assert.equal(user.commandRule('git reset --hard'), undefined);
    const v = user.judge('terraform destroy');
    assert.equal(v.decision, 'ask');
    assert.equal(v.rule, 'infra.terraform-destroy');
  });

  it('ask is a permission prompt on Claude Code and a block on Codex', () => {
    const sb = commandSandbox({ presets: { databases: 'ask' } });
    const claude = sb.judge('dropdb app', { agent: 'claude' });
    const a = answerPreToolUse('claude', claude);
    assert.equal(a.exitCode, 0);
    assert.equal(JSON.parse(a.stdout).hookSpecificOutput.permissionDecision, 'ask');
    const codex = answerPreToolUse('codex', sb.judge('dropdb app', { agent: 'codex' }));
    assert.equal(codex.exitCode, 2);
    assert.match(codex.stderr, /Codex cannot ask/);
  });

  it('a deny reason names the command, rule and preset, and never a way around', () => {
    const v = commandSandbox().judge('sudo git push -f origin main');
    assert.equal(v.reason, 'blocked command git push -f origin main (rule git.push-force, preset git-destructive): git push --force overwrites remote history');
    assert.deepEqual(v.command, { argv: ['git', 'push', '-f', 'origin', 'main'], preset: 'git-destructive' });
  });
});

describe('validate lints command rules', () => {
  const lint = (rules: unknown[]) => lintCommandRules(rules.map((r) => CommandRuleSchema.parse(r) as CommandRule));
  it('reports dead and over-broad rules', () => {
    const problems = lint([
      { id: 'a', effect: 'deny', command: ['git'] },
      { id: 'b', effect: 'deny', command: ['*'], when: [{ flag: ['-f'] }] },
      { id: 'c', effect: 'deny', command: ['terraform'], when: [{ flag: ['-destroy'] }] },
      { id: 'd', effect: 'deny', command: ['ls'], when: [{ sql: ['truncate'] }] },
      { id: 'e', effect: 'deny', command: ['ls'], when: [{ at: 'last' }] },
      { id: 'a', effect: 'deny', command: ['x'], when: [{ value: ['v'] }] },
    ]);
    const by = (id: string) => problems.filter((p) => p.rule === id).map((p) => `${p.severity} ${p.field}`);
    assert.deepEqual(by('a'), ['warning command', 'error id', 'error when[0]', 'error when[0].value']);
    assert.deepEqual(by('b'), ['error command']);
    assert.deepEqual(by('c'), ['error when[0]']);
    assert.deepEqual(by('d'), ['error when[0].sql']);
    assert.deepEqual(by('e'), ['error when[0]']);
  });
  it('"value" goes with "option" or "noOption", not both in one condition', () => {
    const problems = lint([
      { id: 'n', effect: 'deny', command: ['kubectl'], when: [{ noOption: ['--dry-run'], value: ['client'] }] },
      { id: 'm', effect: 'deny', command: ['kubectl'], when: [{ option: ['-o'], noOption: ['--dry-run'], value: ['x'] }] },
      { id: 'e', effect: 'deny', command: ['git'], when: [{ exists: true, at: 'first' }] },
    ]);
    assert.deepEqual(problems.map((p) => `${p.rule} ${p.severity} ${p.field}`), ['m error when[0].value']);
  });
  it('validate reports command-rule schema errors and lint problems with file, rule and field', () => {
    const g = { home: '/home/u', env: {}, platform: 'linux' as const };
    const bad = lintConfigText(JSON.stringify({ commands: [{ id: 'x', effect: 'deny', command: ['git'], when: [{ flag: ['force'] }] }] }), 'c.json', g);
    assert.match(bad.problems[0]?.message ?? '', /commands\[0\].*flag.*option spelling/);
    const lint = lintConfigText(JSON.stringify({ commands: [{ id: 'y', effect: 'deny', command: ['terraform'], when: [{ flag: ['-destroy'] }] }] }), 'c.json', g);
    assert.deepEqual(lint.problems.map((p) => [p.severity, p.rule, p.field]), [['error', 'y', 'when[0]']]);
  });

  it('finds nothing wrong with the built-in presets', async () => {
    const { PRESETS, PRESET_NAMES } = await import('../../../rules/index.js');
    for (const n of PRESET_NAMES) assert.deepEqual(lintCommandRules(PRESETS[n].commands ?? []), [], n);
  });
});
