// `crontab` installs commands cron runs later, as this user, from the home directory: the commands
// of the table are the call's own (issue 13: "commands kept for later elsewhere").
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cronCommands } from '../../../../lib/targets/shell/crontab.js';
import { guardProject } from '../../../helpers/guard-project.js';

const gp = guardProject();
after(() => gp.cleanup());
fs.writeFileSync(path.join(gp.project, 'jobs.cron'), 'SHELL=/bin/sh\n# nightly\n0 3 * * * cp /tmp/k ~/.ssh/authorized_keys\n');
fs.writeFileSync(path.join(gp.project, 'ok.cron'), '*/5 * * * * cd /tmp && make >/dev/null 2>&1\n@daily npm run backup\n');

describe('crontab', () => {
  for (const cmd of [
    "echo '* * * * * echo x >> ~/.bashrc' | crontab -",
    "crontab <<'EOF'\n@reboot echo k >> .ssh/authorized_keys\nEOF",
    'crontab jobs.cron',
    'crontab -u me jobs.cron',
    "printf '%s\\n' '0 * * * * rm -f project/.env' | crontab",
    "echo 'MAILTO=\"\"' '\n' '* * * * * cat x > ~/.config/hookwarden/config.json' | crontab -",
  ]) {
    it(`deny: ${cmd.split('\n')[0]}`, () => assert.equal(gp.check(cmd).decision, 'deny', JSON.stringify(gp.check(cmd).targets)));
  }
  for (const cmd of ['crontab -l', 'crontab -r', 'crontab ok.cron', "echo '@hourly date >> /tmp/log' | crontab -", 'crontab no-such-file']) {
    it(`allow: ${cmd}`, () => assert.equal(gp.check(cmd).decision, 'allow'));
  }
  it('a table the same call writes with known text is read as that text', () => {
    assert.equal(gp.check("printf '* * * * * echo x >> ~/.bashrc\\n' > t2.cron && crontab t2.cron").decision, 'deny');
    const ok = gp.check("printf '@daily date >> /tmp/log\\n' > t3.cron && crontab t3.cron");
    assert.equal(ok.decision, 'allow');
    assert.ok(!ok.targets.some((t) => t.unresolved), JSON.stringify(ok.targets));
  });
  it('unknown table (edited by hand, written by the same call, unknown input): an unresolved write', () => {
    for (const cmd of ['crontab -e', 'some-generator > t.cron && crontab t.cron', 'some-generator | crontab -']) {
      const v = gp.check(cmd);
      assert.ok(v.targets.some((t) => t.unresolved), `${cmd}: ${JSON.stringify(v.targets)}`);
    }
  });
  it('the table syntax: variables, nicknames, % as the end of the command, escaped \\%', () => {
    assert.deepEqual(cronCommands('A = 1\n# c\n\n5 4 * * sun date +\\%F > /tmp/d%input text\n@reboot  echo hi\nnot a schedule\n'), [
      { command: 'date +%F > /tmp/d', env: [['A', '1']] },
      { command: 'echo hi', env: [['A', '1']] },
    ]);
  });
});
