// A call that cannot be recorded is not let through (issue 13, red team of 2026-12-07): an agent
// that fills the disk (`fallocate -l 100G big`, any unprotected write) made every later call run
// with no record: the file sink failed with ENOSPC and the hook still allowed. Reproduced by hand on
// a full tmpfs; here the file sink fails the same way for a reason any account can set up (its
// folder cannot be created under a regular file). The built hook, in-process and through the daemon.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { claudePayload, readAudit, runHookSync, sandbox } from '../helpers/hook.js';

const sb = sandbox();
after(() => sb.cleanup());

function configWith(sinks: unknown[]): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(sb.root, 'cfg-'));
  const file = path.join(dir, 'config.json');
  fs.writeFileSync(file, JSON.stringify({ audit: { sinks } }));
  return { ...sb.env, HOOKWARDEN_CONFIG: file };
}

for (const daemon of ['off', 'on']) {
  describe(`PreToolUse whose record no sink takes (daemon ${daemon})`, () => {
    const blocker = path.join(sb.root, 'not-a-folder');
    fs.writeFileSync(blocker, '');
    const broken = { type: 'file', path: path.join(blocker, 'audit.jsonl') };

    it('an allowed call is blocked with one line saying it could not be recorded', () => {
      const env = { ...configWith([broken]), HOOKWARDEN_DAEMON: daemon };
      const r = runHookSync('pre-tool-use', JSON.stringify(claudePayload(sb.project, 'Bash', { command: 'echo hi > notes.txt' })), env, sb.project);
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^hookwarden: [^\n]*could not be recorded[^\n]*\n$/);
    });

    it('a blocked call stays blocked with its own reason', () => {
      const env = { ...configWith([broken]), HOOKWARDEN_DAEMON: daemon };
      const r = runHookSync('pre-tool-use', JSON.stringify(claudePayload(sb.project, 'Write', { file_path: '.env', content: 'x' })), env, sb.project);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /rule secrets/);
    });

    it('with one working sink beside the broken one the call is recorded there and allowed', () => {
      const good = path.join(sb.root, `good-${daemon}.jsonl`);
      const env = { ...configWith([broken, { type: 'file', path: good }]), HOOKWARDEN_DAEMON: daemon };
      const r = runHookSync('pre-tool-use', JSON.stringify(claudePayload(sb.project, 'Bash', { command: 'echo hi > notes.txt' }, 'toolu_good')), env, sb.project);
      assert.equal(r.status, 0, r.stderr);
      assert.ok(readAudit(good).some((rec) => rec.tool_use_id === 'toolu_good'), 'the record is in the working sink');
    });
  });
}
