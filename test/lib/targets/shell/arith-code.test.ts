// Text bash evaluates again as arithmetic (lib/targets/shell/arith.ts), and text it runs as code
// from a value or a builtin option (callbacks.ts: `${x@P}`, `mapfile -C`, `compgen -C`): a variable named in an
// arithmetic context is read as an expression in turn, and an array subscript met on the way is
// expanded, command substitution included. Each bypass below really writes ~/.bashrc under bash
// (checked first, in a fresh copy of the fixture) and must not be allowed silently; ordinary
// arithmetic stays silent. A property compares the guard with bash on random compositions.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { bashReference, show, silent } from '../../../helpers/bash-reference.js';

const EVIL = 'echo x >> ~/.bashrc';
const CODE = `a[$(${EVIL})]`;

const ref = bashReference((project) => {
  fs.writeFileSync(path.join(project, 'code.txt'), `${CODE}\n`);
  fs.writeFileSync(path.join(project, 'nums.txt'), '1\n2\n3\n');
});

describe('arithmetic evaluates the values it names again (the nearest forms to red team 2)', () => {
  ref.notSilent([
    // A chain of names, and `$x` spliced in.
    `x=y; y=z; z='${CODE}'; echo $((x))`,
    `x='${CODE}'; echo $(( $x ))`,
    `x='${CODE}'; echo $[x]`,
    `x='${CODE}'; case 1 in $((x))) ;; esac`,
    `x='${CODE}'; for ((;x;)); do break; done`,
    `x='${CODE}'; let "z=$x"`,
    // A variable declared integer evaluates every value assigned to it.
    `declare -i z; y='${CODE}'; z=y`,
    `declare -i z; z='${CODE}'`,
    `f() { local -i z='${CODE}'; }; f`,
    `z=1; declare -i z; z+='${CODE}'`,
    `declare -i z; export z='${CODE}'`,
    // ... also what a builtin or a loop stores into it.
    `declare -i z; read z <<< '${CODE}'`,
    `declare -i z; for z in '${CODE}'; do :; done`,
    `declare -i z; printf -v z %s '${CODE}'`,
    `declare -i z; mapfile -t z <<< '${CODE}'`,
    // Subscripts and substring offsets are arithmetic.
    `y='${CODE}'; s=abc; echo \${s:y}`,
    `x='${CODE}'; a=(1); a[x]=2`,
    `x='${CODE}'; arr=(); arr+=([x]=1)`,
    `declare -a a; x='${CODE}'; a[x]=1`,
    `x='${CODE}'; echo \${x[x]}`,
    `x='a[1]'; a[1]='b[$(${EVIL})]'; echo $((x))`,
    // Names given as text: indirection, namerefs, test -v, wait -p.
    `x='${CODE}'; echo \${!x}`,
    `declare -n r='${CODE}'; echo $r`,
    `x='${CODE}'; declare -n r=x; echo $((r))`,
    `test -v '${CODE}'`,
    `sleep 0 & wait -n -p '${CODE}'`,
    // Values the guard cannot know: read from a file, a decoded text, the last argument.
    `read -r x < code.txt; echo $((x))`,
    `x=$(base64 -d <<< ${Buffer.from(CODE).toString('base64')}); echo $((x))`,
    `echo '${CODE}' >/dev/null; echo $(( $_ ))`,
    `f() { echo $(( $1 + 1 )); }; f '${CODE}'`,
    // Backquotes and parameter expansions in the subscript.
    `x="a[\\\`${EVIL}\\\`]"; echo $((x))`,
    `x='a[\${z:=$(${EVIL})}]'; echo $((x))`,
  ]);
});

describe('other text bash runs as code from a value or a builtin option (lib/targets/shell/callbacks.ts)', () => {
  ref.notSilent([
    // Prompt expansion of a value runs its command substitutions.
    `x='$(${EVIL})'; echo \${x@P}`,
    `a=('$(${EVIL})'); echo "\${a[@]@P}"`,
    `read -r x < code.txt; echo "\${x@P}" >/dev/null`,
    // mapfile's callback, and what it sets in this shell.
    `mapfile -C '${EVIL};:' -c 1 a <<< 'x'`,
    `readarray -C '${EVIL};:' -c 1 a < nums.txt`,
    `mapfile -C 'x=~/.bashrc;:' -c 1 a <<< y; echo x >> "$x"`,
    // compgen runs -C's command.
    `compgen -C '${EVIL}' x`,
  ]);
});

describe('ordinary arithmetic stays silent', () => {
  const { gp } = ref;
  for (const cmd of [
    'for ((i=0; i<5; i++)); do echo $((i*2)); done',
    'n=0; while [ $n -lt 3 ]; do n=$((n+1)); done; echo $((n))',
    'n=$(wc -l < notes.txt); echo $((n+1))',
    'n=$(cat nums.txt | wc -l); (( n > 2 )) && echo many',
    'start=$(date +%s); echo $(( $(date +%s) - start ))',
    'echo $(( $(nproc) * 2 ))',
    'x=5; y=x; echo $((y*2)) > out.txt',
    'a=(3 4 5); echo ${a[1]} $(( a[2] + 1 ))',
    'declare -i n=4; n=n*2; echo $n',
    'f() { echo $(( $1 + 1 )); }; f 3',
    'let "c = 2 * 3"; echo $c',
    '[[ 3 -gt 2 ]] && echo yes',
    's=abcdef; echo ${s:1:2}',
    'read -r a b <<< "1 2"; echo $a',
    'printf -v out "%s" hi; echo "$out"',
    'x=PATH; echo "${!x}"',
    'declare -i n; for n in 1 2 3; do echo $n; done',
    'mapfile -t lines < notes.txt; echo "${#lines[@]}"',
    "p='\\u@\\h \\w $ '; echo \"${p@P}\"",
    "compgen -W 'start stop' st",
  ]) {
    it(cmd, () => {
      const v = gp.check(cmd);
      assert.ok(silent(v), show(v));
    });
  }
});

describe('property: the guard never allows silently what bash runs through arithmetic', () => {
  // Random compositions: how the value is made, through how many names, and where bash evaluates it.
  const values = [`'${CODE}'`, "'3'", "'a[1]'", "'b'", `"$(cat code.txt)"`, '$(wc -l < nums.txt)', '$((2+2))'];
  const contexts = ['echo $((V))', '(( V )); true', 'echo $(( $V + 1 ))', 'let V; true', '[[ $V -eq 0 ]]; true',
    'a=(1 2); echo ${a[V]}', 's=abc; echo ${s:V}', 'declare -i z; z=V', 'echo ${!V} >/dev/null 2>&1; true', 'b=7; echo $((V))'];
  it('holds on 40 random commands, each run by bash', () => {
    fc.assert(fc.property(fc.constantFrom(...values), fc.integer({ min: 0, max: 2 }), fc.constantFrom(...contexts), (value, hops, ctx) => {
      const names = ['v0', 'v1', 'v2'].slice(0, hops + 1);
      const defs = names.map((n, i) => `${n}=${i === names.length - 1 ? value : names[i + 1]}`).join('; ');
      const cmd = `${defs}; ${ctx.replaceAll('V', names[0]!)} 2>/dev/null`;
      if (!ref.reallyWrites(cmd)) return;
      const v = ref.gp.check(cmd);
      assert.ok(!silent(v), `${cmd}\n${show(v)}`);
    }), { numRuns: 40, seed: 13 });
  });
});
