// Property test of numeric-output.ts against bash: random command substitutions built from
// programs that print numbers, filters, text from files (one holding an arithmetic payload),
// lists (`&&`, `||`, `;`) and pipes (`|`, `|&`, `2>&1`); whenever the guard takes one's output as
// numbers, the output bash really gives holds nothing but digits, signs and blanks (so arithmetic
// on it names no variable and expands no subscript).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import type * as Sh from '../../../../lib/targets/shell/ast.js';
import { visit } from '../../../../lib/targets/shell/ast.js';
import { shellParser } from '../../../../lib/targets/shell/parse.js';
import { numericOutput } from '../../../../lib/targets/shell/numeric-output.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hw-numeric-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
fs.writeFileSync(path.join(dir, 'notes.txt'), 'notes 12\nmore 3 text\n');
fs.writeFileSync(path.join(dir, 'code.txt'), 'a[$(touch hit)]\n');
fs.writeFileSync(path.join(dir, 'n.txt'), '42\n');

const source = fc.constantFrom(
  'wc -l', 'wc -l < notes.txt', 'wc -c notes.txt', 'wc -l notes.txt code.txt', 'echo 0', 'echo 7 12', 'seq 3', 'nproc', 'date +%s',
  'grep -c notes notes.txt', "grep -o '[0-9]*' notes.txt", "grep -oE '[0-9]+' code.txt", 'cat code.txt', 'cat notes.txt',
  'cat n.txt', 'echo x', 'ls', 'true', 'false', 'stat -c %s notes.txt', "tr -cd '0-9' < notes.txt", 'wc -l nofile',
);
const filter = fc.constantFrom(
  'wc -l', "cut -d' ' -f1", "cut -d ' ' -f2", 'cut -c1-3', 'head -1', 'tail -n 1', "tr -d ' '", 'sort -n', 'uniq',
  "awk '{print $1}'", "awk '{print $2}'", 'cat', "tr a-z 0-9", "tr -cd '0-9'",
);
const redirect = fc.constantFrom('', '', ' 2>/dev/null', ' 2>&1');
const stage = fc.tuple(source, redirect).map(([s, r]) => `${s}${r}`);
const pipeline = fc.tuple(stage, fc.array(fc.tuple(fc.constantFrom('|', '|', '|&'), filter, redirect), { maxLength: 2 }))
  .map(([s, fs_]) => s + fs_.map(([p, f, r]) => ` ${p} ${f}${r}`).join(''));
const list = fc.tuple(pipeline, fc.array(fc.tuple(fc.constantFrom('&&', '||', ';'), pipeline), { maxLength: 2 }))
  .map(([p, rest]) => p + rest.map(([op, q]) => ` ${op} ${q}`).join(''));

function substitution(cmd: string): Sh.CmdSubst {
  let cs: Sh.CmdSubst | undefined;
  visit(shellParser().parse(`x=$(${cmd})`).Stmts[0]!, (n) => {
    if (n.type === 'CmdSubst' && !cs) cs = n as Sh.CmdSubst;
    return true;
  });
  return cs!;
}

describe('numeric output: what the guard takes as numbers is numbers under bash', () => {
  it('random substitutions', () => {
    let numeric = 0;
    fc.assert(fc.property(list, (cmd) => {
      if (!numericOutput(substitution(cmd))) return;
      numeric++;
      const r = spawnSync('bash', ['-c', `printf %s "$(${cmd})"`], { cwd: dir, env: { PATH: process.env.PATH, HOME: dir, LC_ALL: 'C' }, encoding: 'utf8', timeout: 5000 });
      assert.match(r.stdout, /^[\d\s+-]*$/, `${cmd} printed ${JSON.stringify(r.stdout)}`);
    }), { numRuns: 500, seed: 13 });
    // The grammar reaches the rule's accepting side often enough to mean something.
    assert.ok(numeric >= 40, `only ${numeric} taken as numbers`);
  });
});
