// The audit record of a command-rule decision names the rule, the preset and the matched command
// with its arguments, redacted: a password on the command line never reaches the trail.
// Through the built hook (npm run build first).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { claudePayload, readAudit, runHookSync, sandbox } from '../../helpers/hook.js';

const sb = sandbox();
after(() => sb.cleanup());

describe('the record of a command-rule block', () => {
  const rows: [string, string, string][] = [
    ["psql postgresql://app:s3cr3tPassw0rd@db.example.com/app -c 'DROP TABLE users'", 'db.psql', 's3cr3tPassw0rd'],
    ["mysql -uroot -pHunter2Hunter2xyz -e 'DROP DATABASE shop'", 'db.mysql', 'Hunter2Hunter2xyz'],
    ["redis-cli -a 9f8e7d6c5b4a39281706f5e4d3c2b1a0 FLUSHALL", 'db.redis-flush', '9f8e7d6c5b4a39281706f5e4d3c2b1a0'],
  ];
  for (const [command, rule, secret] of rows) {
    it(`${rule}: names rule and preset, argv without the secret`, () => {
      const r = runHookSync('pre-tool-use', JSON.stringify(claudePayload(sb.project, 'Bash', { command })), sb.env, sb.project);
      assert.equal(r.status, 2, r.stderr);
      const rec = readAudit(sb.auditFile).filter((x) => x.event === 'PreToolUse').at(-1)!;
      assert.equal(rec.rule, rule);
      const cmd = rec.command as { argv: string[]; preset: string };
      assert.equal(cmd.preset, 'databases');
      assert.ok(Array.isArray(cmd.argv) && cmd.argv.length > 2, JSON.stringify(cmd));
      assert.doesNotMatch(JSON.stringify(rec), new RegExp(secret), JSON.stringify(cmd.argv));
    });
  }
});

describe('a secret option whose value is one word with blanks (red team, round 4)', () => {
  it('the word is withheld whole: the rule reads up to the first blank, the part after it stayed', () => {
    const command = 'git push --force origin main --password "Sec9 Ret7word"';
    const r = runHookSync('pre-tool-use', JSON.stringify(claudePayload(sb.project, 'Bash', { command }, 'toolu_blank')), sb.env, sb.project);
    assert.equal(r.status, 2, r.stderr);
    const rec = readAudit(sb.auditFile).find((x) => x.tool_use_id === 'toolu_blank')!;
    const cmd = rec.command as { argv: string[] };
    assert.deepEqual(cmd.argv.slice(0, 6), ['git', 'push', '--force', 'origin', 'main', '--password']);
    assert.doesNotMatch(JSON.stringify(rec), /Ret7word|Sec9/, JSON.stringify(cmd.argv));
  });
});
