import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { GuardError, WRITE_OPS } from '../../../../lib/types.js';
import { runner, show, tree } from './helpers.js';

const { cwd, home } = tree(['proj/a.pem', 'proj/.env'], ['proj/sub']);
const run = runner(cwd, home);

/** Runs the extractor; anything thrown other than GuardError fails the property. */
function judged(cmd: string): void {
  try {
    const out = run(cmd);
    assert.ok(Array.isArray(out));
    for (const t of out) assert.equal(typeof t.path, 'string');
  } catch (e) {
    if (!(e instanceof GuardError)) throw e;
  }
}

const SHELL_CHARS = [...'abc .e$\'"`\\(){}[]<>|&;!*?~=#-\n\t/0123456789%@:,+^'];
const TOKENS = [
  'rm', 'cp', 'mv', 'tee', 'sed', '-i', '-rf', 'bash', 'sh', '-c', 'eval', 'xargs', 'sudo', 'env', 'cd', 'echo', 'printf',
  'apply_patch', 'for', 'in', 'do', 'done', 'if', 'then', 'fi', 'case', 'esac', 'while', '{', '}', '(', ')', '$(', '`',
  '${', '$((', '))', ';', '&&', '||', '|', '&', '>', '>>', '<', '<<', '<<<', '2>&1', '&>', "'", '"', '\\', '$X', '"$@"',
  '.env', 'a.pem', '*', '*.pem', '.en?', '{a,b}', '~', '~/x', 'X=.env', '$\'\\x2e\'', 'EOF', '\n', '--', '-', 'sub',
];

describe('the extractor only ever throws GuardError', () => {
  it('on random text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), judged), { numRuns: 300 });
  });
  it('on random text made of shell syntax characters', () => {
    fc.assert(fc.property(fc.string({ unit: fc.constantFrom(...SHELL_CHARS), maxLength: 80 }), judged), { numRuns: 500 });
  });
  it('on random compositions of shell tokens', () => {
    const cmd = fc.tuple(fc.array(fc.constantFrom(...TOKENS), { maxLength: 30 }), fc.constantFrom(' ', ''))
      .map(([toks, sep]) => toks.join(sep));
    fc.assert(fc.property(cmd, judged), { numRuns: 500 });
  });
});

/** One character of `.env`, spelled one of the ways bash allows. */
function spell(c: string): fc.Arbitrary<{ pre: string; text: string }> {
  const hex = c.charCodeAt(0).toString(16).padStart(2, '0');
  const oct = c.charCodeAt(0).toString(8).padStart(3, '0');
  return fc.constantFrom(
    { pre: '', text: c },
    { pre: '', text: `\\${c}` },
    { pre: '', text: `'${c}'` },
    { pre: '', text: `"${c}"` },
    { pre: '', text: `$'\\x${hex}'` },
    { pre: '', text: `$'\\${oct}'` },
    { pre: '', text: `$'\\u00${hex}'` },
    { pre: '', text: `$"${c}"` },
    { pre: `V${hex}=${c}; `, text: `\${V${hex}}` },
    { pre: `V${hex}=${c}; `, text: `"$V${hex}"` },
    { pre: '', text: `${c}\\\n` },
  );
}

const CONTEXTS: ((w: string) => string)[] = [
  (w) => `rm ${w}`,
  (w) => `rm -f -- ${w}`,
  (w) => `echo x > ${w}`,
  (w) => `echo x 2>> ${w}`,
  (w) => `tee -a ${w} < /dev/null`,
  (w) => `cp a ${w}`,
  (w) => `mv ${w} b`,
  (w) => `sudo -u root rm ${w}`,
  (w) => `(cd sub && cd .. && rm ${w})`,
  (w) => `echo $(rm ${w})`,
  (w) => `eval rm ${w}`,
  (w) => `true && { touch ${w}; }`,
];

describe('a quoted or escaped spelling of .env is found as .env', () => {
  it('in every command form', () => {
    const word = fc.tuple(spell('.'), spell('e'), spell('n'), spell('v'));
    fc.assert(fc.property(word, fc.constantFrom(...CONTEXTS), (parts, ctx) => {
      const pre = [...new Set(parts.map((p) => p.pre))].join('');
      const cmd = pre + ctx(parts.map((p) => p.text).join(''));
      const out = run(cmd).filter((t) => WRITE_OPS.includes(t.op));
      assert.ok(out.some((t) => t.path === '.env' && !t.unresolved), `${JSON.stringify(cmd)} -> ${show(out)}`);
    }), { numRuns: 500 });
  });
});
