import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseFailure, parseShell, shellParser } from '../../../../lib/targets/shell/parse.js';
import { GuardError } from '../../../../lib/types.js';

describe('parseShell', () => {
  it('parse errors become GuardError with the parser message', () => {
    assert.throws(() => parseShell('echo "a'), (e: unknown) =>
      e instanceof GuardError && e.message === 'cannot parse shell command: 1:6: reached EOF without closing quote "');
    assert.throws(() => parseShell('if'), /cannot parse shell command: 1:1: "if" must be followed by a statement list/);
    assert.throws(() => parseShell('cat <<EOF'), /cannot parse shell command: .*here-document/);
    assert.throws(() => parseShell('a )', 'shell text run by eval'), /^GuardError: cannot parse shell text run by eval: /);
  });
  it('stack overflow on deep nesting becomes GuardError', () => {
    assert.throws(() => parseShell(`${'('.repeat(100_000)}${')'.repeat(100_000)}`), (e: unknown) =>
      e instanceof GuardError && /nested too deeply/.test(e.message));
  });
  it('the parser is still usable after a failure', () => {
    assert.throws(() => parseShell('('.repeat(100_000)), GuardError);
    assert.equal(parseShell('echo ok').Stmts.length, 1);
  });
});

describe('parseFailure maps anything thrown', () => {
  it('Go error objects, Errors, strings, other values', () => {
    assert.equal(parseFailure({ Error: () => '1:2: bad\nthing' }, 'x').message, 'cannot parse x: 1:2: bad thing');
    assert.equal(parseFailure(new TypeError('boom'), 'x').message, 'cannot parse x: boom');
    assert.equal(parseFailure('text', 'x').message, 'cannot parse x: text');
    assert.equal(parseFailure(42, 'x').message, 'cannot parse x: unknown error');
    assert.equal(parseFailure({ Error: () => { throw new Error('no'); } }, 'x').message, 'cannot parse x: unknown parser error');
    const g = new GuardError('kept');
    assert.equal(parseFailure(g, 'x'), g);
    assert.ok(parseFailure(new RangeError('Maximum call stack size exceeded'), 'x') instanceof GuardError);
  });
});

describe('operator codes come from the parser', () => {
  it('are distinct numbers', () => {
    const { ops } = shellParser();
    const codes = [ops.rdrOut, ops.appOut, ops.rdrIn, ops.rdrInOut, ops.dplIn, ops.dplOut, ops.clbOut, ops.hdoc,
      ops.dashHdoc, ops.wordHdoc, ops.rdrAll, ops.appAll];
    assert.equal(new Set(codes).size, 12);
    assert.equal(new Set([ops.defUnset, ops.defNull, ops.altUnset, ops.altNull, ops.assignUnset, ops.assignNull]).size, 6);
    assert.equal(ops.arithAssign.size, 11);
  });
});

describe('the parser loads lazily', () => {
  it('importing the extractor does not load mvdan-sh; the first shell command does', () => {
    const index = fileURLToPath(new URL('../../../../lib/targets/shell/index.ts', import.meta.url));
    const script = `
      import { createRequire } from 'node:module';
      const { shellTargets } = await import(${JSON.stringify(index)});
      const cache = createRequire(import.meta.url).cache;
      const loaded = () => Object.keys(cache).some((k) => k.includes('mvdan-sh'));
      const before = loaded();
      shellTargets('rm x', { cwd: '/', home: '/', env: {}, budget: { check() {} } });
      console.log(JSON.stringify([before, loaded()]));`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out.trim()), [false, true]);
  });
});
