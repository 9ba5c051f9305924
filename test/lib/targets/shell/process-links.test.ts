// Red team, round 4: a file a command reads, reached through a link on disk into a per-process node.
// A repository commits `run.sh -> /proc/self/cwd/payload.sh`, a harmless `payload.sh` at its top and
// one in `sub/` that writes `.env`; `cd sub && sh ../run.sh` runs sub/payload.sh (shown for real:
// .env appeared), but the guard opened the link in its own process, whose cwd is the top, read the
// harmless file, and allowed the call with no target at all (so even under `unresolved: deny`).
// A per-process name was only refused when the command spelled it; now a link on the way counts
// too: a script, a sourced file, an interpreter's script or an archive there blocks, naming it, and
// a patch or git config read there is unknown.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { preToolUse } from '../../../../lib/guard.js';
import { withRegularFile } from '../../../../lib/regular-file.js';
import { claudePayload, runHookSync, sandbox } from '../../../helpers/hook.js';
import { tempDirs } from '../../../helpers/tmp.js';

const tmp = tempDirs('hw-proc-links-');
const root = fs.realpathSync(tmp());
const project = path.join(root, 'p');
const home = path.join(root, 'home');
const env = { HOME: home, XDG_CONFIG_HOME: path.join(root, 'c'), XDG_STATE_HOME: path.join(root, 's') };

/** The same repository in `dir`: harmless files at the top, the real ones in `sub/`, links into /proc/self/cwd. */
function plant(dir: string): void {
  fs.mkdirSync(path.join(dir, '.git'), { recursive: true });
  fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
  for (const [name, top, sub] of [
    ['payload.sh', 'echo ok\n', 'echo x > ../.env\n'],
    ['payload.py', 'print(1)\n', "open('../.env', 'w').write('x')\n"],
  ] as const) {
    fs.writeFileSync(path.join(dir, name), top);
    fs.writeFileSync(path.join(dir, 'sub', name), sub);
    fs.symlinkSync(`/proc/self/cwd/${name}`, path.join(dir, `run${path.extname(name)}`));
  }
  fs.symlinkSync('/proc/self/cwd', path.join(dir, 'here'));
}

const cwd0 = process.cwd();
before(() => {
  fs.mkdirSync(home, { recursive: true });
  plant(project);
  // The guard in the hook process runs in the project, as both agents start it.
  process.chdir(project);
});
after(() => process.chdir(cwd0));

const verdict = (command: string, config?: unknown) => {
  const e = { ...env };
  if (config) {
    fs.mkdirSync(path.join(env.XDG_CONFIG_HOME, 'hookwarden'), { recursive: true });
    fs.writeFileSync(path.join(env.XDG_CONFIG_HOME, 'hookwarden', 'config.json'), JSON.stringify(config));
  }
  return preToolUse(JSON.stringify(claudePayload(project, 'Bash', { command })), { env: e, home }).verdict;
};

describe('a link on disk into /proc/self/cwd is not followed in the guard\'s process', () => {
  test('scripts, sourced files and interpreter scripts read through it block, naming the link', () => {
    for (const command of ['cd sub && sh ../run.sh', 'cd sub; . ../run.sh', 'cd sub && bash ../here/payload.sh', 'cd sub && python3 ../run.py', 'cd sub && source ../here/payload.sh']) {
      const v = verdict(command);
      assert.equal(v.decision, 'deny', `${command}: ${v.decision} ${v.reason ?? ''}`);
      assert.match(v.reason ?? '', /cannot place .*depends on the process that opens it/, command);
    }
  });

  test('the same files reached without the link are read as before', () => {
    assert.equal(verdict('sh payload.sh').decision, 'allow');
    assert.equal(verdict('cd sub && sh payload.sh').decision, 'deny');
  });

  test('withRegularFile: a descriptor node behind a link is not opened (the guard\'s own stdin)', () => {
    const link = path.join(root, 'stdin-link');
    fs.symlinkSync('/dev/stdin', link);
    assert.equal(withRegularFile(link, () => 'read'), undefined);
    assert.throws(() => withRegularFile(path.join(project, 'run.sh'), () => 'read'), /depends on the process/);
  });
});

describe('the built hook (in-process: its cwd is the project)', () => {
  test('cd sub && sh ../run.sh is blocked', () => {
    const sb = sandbox();
    try {
      plant(sb.project);
      const r = runHookSync('pre-tool-use', JSON.stringify(claudePayload(sb.project, 'Bash', { command: 'cd sub && sh ../run.sh' })), { ...sb.env, HOOKWARDEN_DAEMON: 'off' }, sb.project);
      assert.equal(r.status, 2, r.stderr);
      assert.match(r.stderr, /^hookwarden: cannot place [^\n]*run\.sh[^\n]*depends on the process[^\n]*\n$/);
    } finally {
      sb.cleanup();
    }
  });
});
