// The places the shell may be in, as one cwd token: a module of its own because the Run
// (context.ts) and every Scope (scope.ts) share one Places, and neither imports the other.
import { UNRESOLVED_SEGMENT as U } from '../../types.js';

const MAX_PLACES = 8;

/**
 * Directories the shell may be in after branches that disagree (`a && cd sub`: `sub` or where
 * it was). The cwd becomes a token that holds U (so it reads as unresolved everywhere) and stands
 * for its alternatives; each target under it is also emitted once per alternative.
 */
export class Places {
  private readonly alts = new Map<string, string[]>();

  /** A cwd for "one of these"; plain U when one is unknown or there are too many. */
  of(cwds: string[]): string {
    const all = new Set<string>();
    for (const c of cwds) {
      const xs = this.expand(c);
      if (!xs) return U;
      for (const x of xs) all.add(x);
    }
    if (all.size > MAX_PLACES) return U;
    if (all.size === 1) return [...all][0]!;
    const token = `${U}\u0002${this.alts.size}\u0002`;
    this.alts.set(token, [...all]);
    return token;
  }

  /** The texts `s` stands for (tokens replaced by each alternative); null when it holds a plain U. */
  expand(s: string): string[] | null {
    if (!s.includes(U)) return [s];
    const m = /\u0000unresolved\u0000\u0002\d+\u0002/.exec(s);
    const alts = m ? this.alts.get(m[0]) : undefined;
    if (!m || !alts) return null;
    const out: string[] = [];
    for (const a of alts) {
      const xs = this.expand(s.slice(0, m.index) + a + s.slice(m.index + m[0].length));
      if (!xs) return null;
      out.push(...xs);
    }
    return out.slice(0, MAX_PLACES);
  }

  /** `s` with every token read as plain U (what is shown for the unresolved form). */
  plain(s: string): string {
    return s.includes('\u0002') ? s.replace(/\u0000unresolved\u0000\u0002\d+\u0002/g, U) : s;
  }
}
