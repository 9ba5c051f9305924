// Commands that run a command later or in a program the call leaves behind (issue 13, red team of
// 2026-12-07): `echo "echo k >> ~/.ssh/authorized_keys" | at now`, `tmux new -d '…'`,
// `screen -dm sh -c '…'`, `systemd-run --user --on-active=10 sh -c '…'` and `watch '…'` were allowed
// (the command they run was not analysed). They are wrappers now: what they run is judged as if run
// directly. Through the PreToolUse core, real files in a temp world.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { bash, world as makeWorld, type World } from '../../../helpers/self-world.js';
import { tempDirs } from '../../../helpers/tmp.js';

const tmp = tempDirs('hw-deferred-');

function world(): World {
  const w = makeWorld(fs.realpathSync(tmp()));
  fs.mkdirSync(path.join(w.home, '.ssh'), { recursive: true });
  fs.writeFileSync(path.join(w.project, '.env'), 'SECRET=1\n');
  fs.writeFileSync(path.join(w.project, 'job.sh'), 'echo x > .env\n');
  return w;
}

describe('what at, batch, systemd-run, tmux, screen and watch run is judged', () => {
  it('each writes a protected path: blocked', () => {
    const w = world();
    for (const cmd of ['echo "echo k >> ~/.ssh/authorized_keys" | at now', "at now + 1 minute <<< 'echo x > .env'", 'at -f job.sh now',
      "batch <<< 'rm -f .env'", "systemd-run --user --on-active=10 sh -c 'echo k >> ~/.ssh/authorized_keys'",
      'systemd-run --user --working-directory=/tmp -p Nice=5 cp /tmp/k ' + path.join(w.project, '.env'),
      "tmux new -d 'echo k >> ~/.ssh/authorized_keys'", 'tmux new-session -d -s x "echo x > .env"', "tmux -c 'echo x > .env'",
      "tmux run-shell 'echo x > .env'", "tmux -L sock split-window -h 'echo x > .env'",
      "screen -dm sh -c 'echo k >> ~/.ssh/authorized_keys'", "screen -dmS w bash -c 'echo x > .env'", 'screen -d -m cp /tmp/k .env',
      "watch -n1 'echo x > .env'", "watch -x sh -c 'echo x > .env'", 'nohup watch -n 1 "cp /tmp/k .env" &']) {
      const v = bash(w, cmd);
      assert.equal(v.decision, 'deny', `${cmd}: ${v.reason ?? 'allowed'}`);
    }
  });

  it('listing, attaching and ordinary jobs stay allowed', () => {
    const w = world();
    for (const cmd of ['watch -n 5 kubectl get pods', 'tmux ls', 'tmux attach -t x', "tmux new -d 'npm run dev'", 'screen -ls', 'screen -r',
      'at -l', 'atq', "echo 'make test > out.log' | at now", 'systemd-run --user --scope make -j4', 'watch -d "df -h"']) {
      const v = bash(w, cmd);
      assert.equal(v.decision, 'allow', `${cmd}: ${v.reason}`);
    }
  });
});
