// The command rules' part of a PreToolUse decision, merged with the path verdict: deny beats ask
// beats allow (a path deny stays the reported one). A command-rule deny or ask may be let
// through once by a person's grant (grants.ts).
import { UNRESOLVED_SEGMENT, type Verdict } from '../types.js';
import { readablePath } from '../paths/syntax.js';
import type { SeenCommand } from '../targets/shell/seen.js';
import { claimGrant, grantsDir, type TakeGrant } from './grants.js';
import { judgeCommands, type CommandJudgement, type JudgeContext } from './judge.js';
import type { CommandIndex } from './match.js';

export interface CommandVerdictContext extends JudgeContext {
  /** The call's shell command text and session, for grants. */
  commandText?: string;
  session?: string;
  now?: number;
  /** Takes a matching grant's file (the caller's effect); without it no grant is used. */
  takeGrant?: TakeGrant;
}

const MAX_SHOWN = 200;

/** The command as shown in reasons and records: unknown parts readable, long words cut. */
export function shownArgv(c: SeenCommand): string[] {
  return [c.name, ...c.args.map((a) => a.text)].slice(0, 64).map((w) => {
    const r = w.includes(UNRESOLVED_SEGMENT) ? readablePath(w) : w;
    return r.length > MAX_SHOWN ? `${r.slice(0, MAX_SHOWN - 1)}…` : r;
  });
}

function quote(argv: string[]): string {
  const s = argv.map((w) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : JSON.stringify(w))).join(' ');
  return s.length > 300 ? `${s.slice(0, 299)}…` : s;
}

export function withCommandRules(path: Verdict, seen: readonly SeenCommand[], index: CommandIndex, ctx: CommandVerdictContext): Verdict {
  if (path.decision === 'deny') return path;
  const j = judgeCommands(seen, index, ctx);
  if (!j || j.decision === 'allow' || (j.decision === 'ask' && path.decision === 'ask')) return path;
  const v = commandVerdict(j, path);
  if (ctx.commandText !== undefined && ctx.takeGrant) {
    const g = claimGrant(grantsDir(ctx.home, ctx.env), ctx.commandText, ctx.session, ctx.now ?? Date.now(), ctx.takeGrant);
    if (g) {
      return { ...v, decision: 'allow', reason: `allowed once by grant ${g.id} from ${g.by}: ${v.reason}`, grant: { id: g.id, by: g.by } };
    }
  }
  return v;
}

function commandVerdict(j: CommandJudgement, path: Verdict): Verdict {
  const r = j.rule;
  const argv = shownArgv(j.command);
  const lead = j.decision === 'deny' ? 'blocked' : 'confirm';
  const where = j.container ? ' inside a container' : '';
  const preset = r.preset ? `, preset ${r.preset}` : '';
  const reason = `${lead} command ${quote(argv)}${where} (rule ${r.id}${preset}): ${r.reason}`.replace(/[\u0000-\u001f\u007f]/g, ' ');
  return {
    ...path,
    decision: j.decision,
    rule: r.id,
    layer: r.layer,
    reason,
    command: { argv, ...(r.preset ? { preset: r.preset } : {}), ...(j.container ? { container: true } : {}) },
  };
}
