import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { MAX_LINK_HOPS, normalizePath, walkBeneath, type PathEnv, type PathFs } from '../../lib/paths.js';
import { Budget, GuardError, UNRESOLVED_SEGMENT as U } from '../../lib/types.js';

const T = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'hw-')));
after(() => fs.rmSync(T, { recursive: true, force: true }));

// plain/: real dirs and files, no links (idempotence holds there by definition).
const PLAIN = `${T}/plain`;
for (const d of ['a/b', 'b/a']) fs.mkdirSync(`${PLAIN}/${d}`, { recursive: true });
fs.writeFileSync(`${PLAIN}/f`, '');
// linked/: the same names, plus links of every kind, including loops.
const LINKED = `${T}/linked`;
fs.mkdirSync(`${LINKED}/a/b`, { recursive: true });
const LINKS: [string, string][] = [
  ['l-up', '..'],
  ['l-dot', '.'],
  ['l-abs', `${LINKED}/a`],
  ['l-dangling', 'nowhere/x'],
  ['l-loop', 'l-loop'],
  ['a/l-back', '../l-up/..'],
];
for (const [at, target] of LINKS) fs.symlinkSync(target, `${LINKED}/${at}`);
const MAX_TARGET_PARTS = Math.max(...LINKS.map(([, t]) => t.split('/').length));

const env: PathEnv = { home: `${T}/home`, platform: 'linux' };
const platforms: PathEnv[] = [env, { ...env, platform: 'darwin' }, { home: 'C:\\Users\\me', platform: 'win32' }];

const seg = fc.constantFrom('', '.', '..', '...', 'a', 'b', 'f', '~', '.env', ' .', 'x:y', 'C:', '\\', U, `p${U}`, 'l-up', 'l-dot', 'l-abs', 'l-dangling', 'l-loop', 'l-back');
const segPath = fc
  .tuple(fc.constantFrom('', '/', '~/', '//', 'C:\\', '\\\\srv\\share\\'), fc.array(seg, { maxLength: 12 }), fc.constantFrom('/', '\\'), fc.boolean())
  .map(([lead, segs, sep, trailing]) => lead + segs.join(sep) + (trailing ? sep : ''));
const anyString = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: 'grapheme-ascii', maxLength: 80 }), segPath);

/** Shape every normalized path has: a root, then names that are neither empty, `.` nor `..`. */
function assertClean(out: string, platform: NodeJS.Platform): void {
  const root = platform === 'win32' ? (/^([A-Z]:\/|\/\/[^/]+(\/[^/]+)?|\/)/.exec(out)?.[0] ?? '') : out.startsWith('/') ? '/' : '';
  assert.ok(root, `not absolute: ${JSON.stringify(out)}`);
  if (out === root) return;
  const rest = root.endsWith('/') ? out.slice(root.length) : out.slice(root.length + 1);
  if (!root.endsWith('/')) assert.equal(out[root.length], '/', JSON.stringify(out));
  for (const name of rest.split('/')) assert.ok(name !== '' && name !== '.' && name !== '..', `bad segment in ${JSON.stringify(out)}`);
  if (platform !== 'win32') assert.ok(!/\/\/|\/\.\.?(\/|$)/.test(out) && !out.endsWith('/'));
}

/** Runs normalizePath; any throw other than a one-line GuardError fails the property. */
function attempt(p: string, base: string, e: PathEnv): string | undefined {
  try {
    return normalizePath(p, base, e);
  } catch (err) {
    assert.ok(err instanceof GuardError, `threw ${String(err)}`);
    assert.ok(!err.message.includes('\n'), 'multi-line message');
    return undefined;
  }
}

describe('normalizePath properties', () => {
  it('random strings: GuardError or a clean absolute path, on every platform', () => {
    fc.assert(
      fc.property(anyString, fc.oneof(fc.constant(PLAIN), anyString), fc.constantFrom(...platforms), (p, base, e) => {
        const out = attempt(p, base, e);
        if (out !== undefined) assertClean(out, e.platform);
      }),
      { numRuns: 500 },
    );
  });

  it('only bad input throws: a NUL-free, bounded path against an absolute base always normalizes', () => {
    const noNul = fc.string({ unit: 'binary', maxLength: 80 }).map((s) => s.replaceAll('\u0000', ''));
    fc.assert(
      fc.property(fc.oneof(noNul, segPath.filter((s) => !s.includes('l-loop'))), fc.constantFrom(...platforms), (p, e) => {
        const out = normalizePath(p, e.platform === 'win32' ? 'C:\\proj' : PLAIN, e);
        assertClean(out, e.platform);
      }),
      { numRuns: 500 },
    );
  });

  it('idempotent on a tree without links', () => {
    fc.assert(
      fc.property(segPath, fc.constantFrom(...platforms), (p, e) => {
        const base = e.platform === 'win32' ? 'C:\\proj' : PLAIN;
        const once = attempt(p, base, e);
        if (once !== undefined) assert.equal(normalizePath(once, '/unused', e), once);
      }),
      { numRuns: 500 },
    );
  });

  it('with links: idempotent too, and fs calls bounded by components + hops', () => {
    fc.assert(
      fc.property(segPath, (p) => {
        const calls = { lstat: 0, readlink: 0 };
        const spy: PathFs = {
          lstatSync: (q, o) => (calls.lstat++, fs.lstatSync(q, o)),
          readlinkSync: (q) => (calls.readlink++, fs.readlinkSync(q)),
        };
        const once = attempt(p, LINKED, { ...env, fs: spy });
        const components = `${LINKED}/${p}`.split(/[/\\]/).length + `${env.home}`.split('/').length;
        assert.ok(calls.readlink <= MAX_LINK_HOPS + 1);
        // Each hop may restart from the root (absolute target) and adds its target's components.
        assert.ok(calls.lstat <= components + calls.readlink * (LINKED.split('/').length + MAX_TARGET_PARTS));
        if (once !== undefined) {
          assertClean(once, 'linux');
          assert.equal(normalizePath(once, '/unused', env), once);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('walkBeneath properties', () => {
  const W = `${T}/walk`;
  const entries: string[] = [];
  for (const d of ['d1/d2/d3', 'e1']) fs.mkdirSync(`${W}/${d}`, { recursive: true });
  for (const f of ['f0', 'd1/f1', 'd1/d2/f2', 'd1/d2/d3/f3', 'e1/f4']) fs.writeFileSync(`${W}/${f}`, '');
  fs.symlinkSync(`${W}/d1`, `${W}/e1/back`); // not followed: would otherwise revisit d1
  const walkAll = () => walkBeneath(W, { maxEntries: 1000, budget: new Budget(10_000) }, (p) => (entries.push(p), false));

  it('visits min(maxEntries, total) entries; truncated exactly when total exceeds the bound', () => {
    assert.equal(walkAll(), 'complete');
    const total = entries.length;
    assert.equal(total, 10); // 4 dirs, 5 files, 1 link (its target not entered)
    fc.assert(
      fc.property(fc.integer({ min: 0, max: total + 3 }), fc.option(fc.integer({ min: 1, max: total })), (max, stopAfter) => {
        let seen = 0;
        const result = walkBeneath(W, { maxEntries: max, budget: new Budget(10_000) }, () => ++seen === stopAfter);
        if (stopAfter !== null && stopAfter <= Math.min(max, total)) {
          assert.equal(result, 'stopped');
          assert.equal(seen, stopAfter);
        } else {
          assert.equal(result, max < total ? 'truncated' : 'complete');
          assert.equal(seen, Math.min(max, total));
        }
      }),
    );
  });
});
