// Shared fixtures for the shell extractor tests: a real temp tree as cwd and home, a runner,
// and a builder for the exact RawTarget expected.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { shellTargets, type ShellOptions } from '../../../../lib/targets/shell/index.js';
import { Budget, UNRESOLVED_SEGMENT, type Op, type RawTarget } from '../../../../lib/types.js';

export const U = UNRESOLVED_SEGMENT;

/** A fresh temp dir (removed after the file's tests): `<T>/proj` is the cwd, `<T>/home` the home. */
export function tree(files: string[] = [], dirs: string[] = []): { root: string; cwd: string; home: string } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-')));
  after(() => fs.rmSync(root, { recursive: true, force: true }));
  const cwd = path.join(root, 'proj');
  const home = path.join(root, 'home');
  for (const d of ['proj', 'home', ...dirs]) fs.mkdirSync(path.join(root, d), { recursive: true });
  for (const f of files) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), '');
  }
  return { root, cwd, home };
}

export function runner(cwd: string, home: string) {
  return (command: string, opts: Partial<ShellOptions> = {}): RawTarget[] =>
    shellTargets(command, { cwd, home, env: {}, budget: new Budget(10_000), ...opts });
}

/** Expected target: base defaults to `base`, literal to the path; unresolved only when given. */
export function target(base: string) {
  return (op: Op, p: string, via: string, more: { base?: string; literal?: string; unresolved?: boolean; beneath?: boolean; unknownCommand?: string; given?: boolean } = {}): RawTarget => {
    const t: RawTarget = { op, path: p, base: more.base ?? base, via };
    if (more.unresolved) t.unresolved = true;
    t.literal = more.literal ?? p;
    if (more.beneath) t.beneath = true;
    if (more.unknownCommand !== undefined) t.unknownCommand = more.unknownCommand;
    if (more.given) t.given = true;
    return t;
  };
}

/** Readable rendering of unresolved parts in failure messages. */
export function show(v: unknown): string {
  return JSON.stringify(v).split(JSON.stringify(U).slice(1, -1)).join('<U>');
}

/** A describe() of commands and the exact targets each must yield. */
export function table(
  name: string,
  run: (command: string, opts?: Partial<ShellOptions>) => RawTarget[],
  cases: [string, RawTarget[]][],
  opts: Partial<ShellOptions> = {},
): void {
  describe(name, () => {
    for (const [cmd, want] of cases) {
      it(JSON.stringify(cmd), () => {
        // `given` and `opaque` (where an unknown part comes from) are asserted by the tables that name them.
        const got = want.some((t) => t.given || t.opaque) ? run(cmd, opts) : withoutGiven(run(cmd, opts));
        assert.deepEqual(got, want, show(got));
      });
    }
  });
}

/** Targets without the `given` and `opaque` marks, for tables about other things. */
export function withoutGiven(ts: RawTarget[]): RawTarget[] {
  return ts.map((t) => {
    if (!t.given && !t.opaque) return t;
    const { given: _given, opaque: _opaque, ...rest } = t;
    return rest;
  });
}
