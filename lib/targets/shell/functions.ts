// Shell functions and traps: state of one analysis kept beside the Run (a WeakMap, so the Run and
// walk stay as they are). A function is analyzed where it is defined with unknown parameters (any
// call), and again at each call with that call's arguments, in the caller's shell (its `cd` and
// assignments persist, as in bash). A trap's text runs when the signal comes or the shell exits:
// analyzed where it is set and again at the end of the command, in the state the command ends in.
import type { Frame, Run } from './context.js';
import { checkNesting, U } from './context.js';
import type { Scope } from './scope.js';
import type { Arg, Out } from './types.js';

/** Walks a function body in a scope (a closure from walk.ts, so this module imports no walker). */
export type Body = (sc: Scope, fr: Frame) => Out;

interface State {
  /** Bodies a name may have (a definition in a branch may or may not have replaced an earlier one). */
  functions: Map<string, Body[]>;
  /** Function names being called (a recursive call is covered by the analysis at the definition). */
  calling: Set<string>;
  /** Trap texts to analyze at the end of the command. */
  traps: string[];
}

const MAX_BODIES = 4;
const states = new WeakMap<Run, State>();

function state(run: Run): State {
  let s = states.get(run);
  if (!s) states.set(run, s = { functions: new Map(), calling: new Set(), traps: [] });
  return s;
}

export function defineFunction(run: Run, name: string, body: Body): void {
  const fns = state(run).functions;
  const list = fns.get(name) ?? [];
  // Later calls see the newest definition, and (bounded) the ones it may not have replaced.
  fns.set(name, [body, ...list].slice(0, MAX_BODIES));
}

export function isFunction(run: Run, name: string): boolean {
  return states.get(run)?.functions.has(name) === true;
}

/** `name args...` where name is a function defined earlier in the command. */
export function callFunction(name: string, args: Arg[], sc: Scope, fr: Frame): Out {
  const s = state(fr.run);
  const bodies = s.functions.get(name) ?? [];
  if (s.calling.has(name) || bodies.length === 0) return null;
  checkNesting(fr);
  const inner: Frame = { ...fr, depth: fr.depth + 1 };
  const saved = sc.positional;
  const savedGiven = sc.paramsGiven;
  const params = [saved?.[0] ?? U, ...args.map((a) => a.text)];
  s.calling.add(name);
  try {
    if (bodies.length === 1) {
      sc.positional = params;
      const out = bodies[0]!(sc, inner);
      sc.positional = saved;
      if (savedGiven) sc.givenParameters();
      return out;
    }
    const branches = bodies.map((b) => {
      const c = sc.child();
      c.positional = params;
      b(c, inner);
      return c;
    });
    sc.merge(branches, false);
    sc.positional = saved;
    if (savedGiven) sc.givenParameters();
    return null;
  } finally {
    s.calling.delete(name);
  }
}

/** `trap [-p|-l] [ACTION] SIGNAL...`: the action text, when one is set. */
export function trapAction(args: Arg[]): string | undefined {
  let i = 0;
  if (args[i]?.text === '--') i++;
  const a = args[i];
  if (!a || a.text.startsWith('-') || args.length - i < 2) return undefined;
  return a.text;
}

export function addTrap(run: Run, text: string): void {
  const t = state(run).traps;
  if (!t.includes(text) && t.length < 16) t.push(text);
}

/** Trap texts set during the command (run at its end). */
export function trapsOf(run: Run): string[] {
  return states.get(run)?.traps ?? [];
}
