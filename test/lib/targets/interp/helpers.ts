// Decisions of the real guard (default presets) on shell commands run in a sandbox project whose
// home is a temp folder: `verdicts(cases)` makes one test per command with the expected decision.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { evaluate } from '../../../../lib/index.js';
import { claudePayload, sandbox } from '../../../helpers/hook.js';
import { UNRESOLVED_SEGMENT } from '../../../../lib/types.js';

export const sb = sandbox();
after(() => sb.cleanup());
export const P = sb.project;
export const HOME = sb.env.HOME!;

export function decide(command: string, env: Record<string, string> = {}): ReturnType<typeof evaluate> {
  return evaluate(claudePayload(P, 'Bash', { command }), { env: { ...sb.env, ...env }, home: HOME });
}

export type Want = 'deny' | 'allow' | 'unresolved';

/** One test per [command, expected]: `unresolved` means allowed by default but marked unresolved. */
export function verdicts(name: string, cases: [string, Want][], env: Record<string, string> = {}): void {
  describe(name, () => {
    for (const [cmd, want] of cases) {
      it(`${want}: ${cmd}`, () => {
        const ev = decide(cmd, env);
        const shown = JSON.stringify(ev.verdict.targets.map((t) => `${t.op} ${t.path} (${t.via})`)).split(UNRESOLVED_SEGMENT).join('<U>');
        assert.equal(ev.error, undefined, ev.error);
        assert.equal(ev.verdict.decision, want === 'deny' ? 'deny' : 'allow', `${ev.verdict.reason ?? ''} ${shown}`);
        if (want === 'unresolved') assert.equal(ev.verdict.unresolved, true, shown);
        if (want === 'allow') assert.equal(ev.verdict.unresolved, false, `unexpectedly unresolved: ${shown}`);
      });
    }
  });
}
