// The built guard judges `task` (go-task) as the agents meet it, through the daemon and without
// it: the YAML parser is a lazy module inside the hook bundle (lib/targets/shell/taskfile-read.ts),
// so it must load in the daemon's worker (a vm.Script) and in a hook process deciding alone.
import fs from 'node:fs';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codexPayload, runHookSync, sandbox } from '../helpers/hook.js';

const sb = sandbox();
after(() => sb.cleanup());
const P = sb.project;
fs.writeFileSync(path.join(P, 'Taskfile.yml'), `version: '3'
vars:
  REV: {sh: git rev-parse --short HEAD}
tasks:
  evil:
    deps: [prep]
    cmds: ["echo x >> ~/.bashrc"]
  prep: mkdir -p build
  ok: echo ok > build/ok.txt
`);

describe('task through the built hook', () => {
  for (const [mode, env] of [['daemon', sb.env], ['alone', { ...sb.env, HOOKWARDEN_DAEMON: 'off' }]] as const) {
    it(`${mode}: a Taskfile writing ~/.bashrc is blocked, a benign one allowed`, () => {
      const deny = runHookSync('pre-tool-use', JSON.stringify(codexPayload(P, 'Bash', { command: 'task evil' })), env, P);
      assert.equal(deny.status, 2, deny.stderr);
      assert.match(deny.stderr, /^hookwarden: blocked write to ~\/\.bashrc /);
      const allow = runHookSync('pre-tool-use', JSON.stringify(codexPayload(P, 'Bash', { command: 'task ok' })), env, P);
      assert.equal(allow.status, 0, allow.stderr);
      assert.equal(allow.stdout, '');
    });
  }
});
