// Bracket expressions and case-insensitive globs reach protected paths: bash lists the directory
// for `.en[v]` and writes `.env` (a redirection takes a glob with exactly one match), so the guard
// must expand them against the disk too. Decisions go through preToolUse with the default config.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { preToolUse } from '../../../../lib/guard.js';
import { GuardError } from '../../../../lib/types.js';
import { expandGlob } from '../../../../lib/targets/shell/glob.js';
import { toArg } from '../../../../lib/targets/shell/words.js';
import { runner, show, tree } from './helpers.js';

const { root, cwd, home } = tree(
  ['proj/.env', 'proj/.git/config', 'proj/a.txt', 'proj/b.txt', 'proj/evil.json', 'home/.ssh/authorized_keys',
    'home/.config/hookwarden/config.json', 'proj/ab[c].txt'],
);
// The guard's own config must parse (an unreadable one denies everything, which would prove nothing).
fs.writeFileSync(path.join(home, '.config/hookwarden/config.json'), '{}\n');
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), CLAUDE_PROJECT_DIR: cwd };
const decide = (command: string): string => {
  const payload = { session_id: 's', transcript_path: '/t', cwd, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command } };
  return preToolUse(JSON.stringify(payload), { env }).verdict.decision;
};

describe('bracket globs naming protected paths are blocked', () => {
  const deny = [
    'echo PWNED=1 > .en[v]',
    'printf "[core]\\n\\thooksPath=/tmp/evil\\n" >> .gi[t]/config',
    'echo k >> ~/.ss[h]/authorized_keys',
    'cp evil.json ~/.config/hookwarde[n]/config.json',
    'ln ~/.ss[h]/authorized_keys /tmp/hk',
    'echo x > .en[a-z]',
    'echo x > .en[!x]',
    'echo x > .en[^x]',
    'echo x > .en[[:alpha:]]',
    'echo x > .[e]nv',
    'echo x > .e[n]?',
    'echo x > .[e][n][v]',
    'echo x > [.]env/../.env', // a literal `[.]env` directory does not exist: kept as written, resolved lexically
    'rm -f .en[v]',
    'mv a.txt .en[v]',
    'echo x > ~/.ssh/authorized_key[s]',
    'echo x >> .gi[t]/confi[g]',
    'shopt -s nocaseglob; echo x > .ENV*',
    'shopt -s nocaseglob; echo x > .EN[V]',
    'o=nocase; shopt -s ${o}glob; echo x > .E[N]V',
    'BASHOPTS=nocaseglob bash -c "echo x > .EN?"',
    'echo x > .en[[.v.]]', // collating symbol: refused, not guessed
    // The nearest forms: the pattern from a variable, a loop, a nested shell, eval, a directory segment under nocaseglob.
    "P='.en[v]'; echo x > $P",
    'for f in .en[v]; do echo x > $f; done',
    "bash -c 'echo x > .en[v]'",
    "eval 'echo x > .en[v]'",
    'shopt -s nocaseglob; echo x >> .GI[T]/config',
    'tee -a .gi[t]/config < /dev/null',
    // Extglobs may supply the leading dot inside their parentheses.
    'shopt -s extglob; echo x > @(.env)',
    'shopt -s extglob; echo x > ?(.)env',
    'shopt -s extglob; echo x > *(.env|x)',
    'shopt -s extglob; echo x > @(.en[v])',
    'shopt -s extglob; echo x > +(.)[e]nv',
    'echo x > .[^E]nv', // case matters without nocaseglob: `.env` is named
  ];
  for (const cmd of deny) it(cmd, () => assert.equal(decide(cmd), 'deny'));
});

describe('bracket globs naming other paths, and literal brackets, are allowed', () => {
  const allow = [
    'echo x > a.txt', // the config in force allows ordinary writes: the denials above are about the paths
    'echo x > [ab].txt', // two matches: bash refuses the ambiguous redirection; both are ordinary files
    'echo x > [a].txt',
    'echo x > \\[v]',
    'echo x > ".en[v]"',
    'echo x > .en\\[v]',
    "echo x > '.en[v]'",
    'echo x > .en[x]', // no match: bash writes a file named `.en[x]`
    'echo x > .en[!v]',
    'echo x > [.]env', // bash: a leading dot is matched only by a literal dot
    'echo x > ?env',
    'echo x > ab[c].txt',
    'rm -f [b].txt',
    "P='.en[x]'; echo x > $P",
  ];
  for (const cmd of allow) it(cmd, () => assert.equal(decide(cmd), 'allow'));
});

describe('bracket globs expand to what bash writes', () => {
  const run = runner(cwd, home);
  const cases: [string, string[]][] = [
    ['echo x > .en[v]', ['.env']],
    ['echo x > .gi[t]/config', ['.git/config']],
    ['echo x > [.]env', ['[.]env']],
    ['echo x > .en\\[v]', ['.en[v]']],
    ['echo x > ab[c].txt', ['ab[c].txt']],
    ['echo x > ab\\[c].txt', ['ab[c].txt']],
    ['rm [ab].txt', ['a.txt', 'b.txt']],
    ['rm [!a].txt', ['b.txt']],
  ];
  for (const [cmd, want] of cases) {
    it(cmd, () => {
      const got = run(cmd).map((t) => t.path);
      assert.deepEqual(got, want, show(got));
    });
  }
});

const haveBash = spawnSync('bash', ['-c', 'true']).status === 0;

describe('property: bracket glob expansion equals bash', { skip: !haveBash && 'bash not installed' }, () => {
  it('random names and bracket patterns', () => {
    const dir = path.join(root, 'prop');
    const chars = ['a', 'b', 'c', 'A', 'B', '.', '-', ']', '!', '^', '1'];
    const name = fc.array(fc.constantFrom(...chars), { minLength: 1, maxLength: 4 }).map((a) => a.join('')).filter((n) => n !== '.' && n !== '..');
    const bracketBody = fc.array(fc.constantFrom('a', 'b', 'c', 'A', '.', '-', ']', '!', '^', '1', 'a-c', '[:alpha:]', '[:digit:]', '[', '\\]', '\\-', 'c-a', '[:punct:]'), { minLength: 1, maxLength: 3 })
      .map((a) => a.join(''));
    const bracket = fc.tuple(fc.constantFrom('', '!', '^'), bracketBody).map(([neg, body]) => `[${neg}${body}]`);
    const piece = fc.oneof(bracket, fc.constantFrom('a', 'b', '.', 'A', '?', '*', '1'));
    const pattern = fc.array(piece, { minLength: 1, maxLength: 3 }).map((a) => a.join('')).filter((p) => p.includes('['));
    const names = fc.uniqueArray(name, { minLength: 1, maxLength: 6 });
    // One bash for all samples: a process per sample costs seconds on a loaded machine.
    const samples = fc.sample(fc.tuple(names, pattern), 300);
    let script = '';
    samples.forEach(([ns, pat], i) => {
      const d = path.join(dir, String(i));
      fs.mkdirSync(d, { recursive: true });
      for (const f of ns) fs.writeFileSync(path.join(d, f), '');
      // nocaseglob may be on unseen: the guard must name what bash names with it on and with it off.
      script += `cd ${i} && printf '%s\\0' ${pat} && printf '/\\0' && shopt -s nocaseglob && printf '%s\\0' ${pat} && shopt -u nocaseglob && printf '//\\0' && cd ..\n`;
    });
    const r = spawnSync('bash', ['-c', script], { cwd: dir, encoding: 'utf8', env: { LC_ALL: 'C.UTF-8', PATH: env.PATH } });
    assert.equal(r.status, 0, r.stderr);
    const blocks = r.stdout.split('//\0').slice(0, -1);
    assert.equal(blocks.length, samples.length);
    const budget = { opts: { budget: { check: () => {} } }, globMatches: () => {} } as never;
    samples.forEach(([ns, pat], i) => {
      const out = blocks[i]!.split('\0').slice(0, -1);
      const cut = out.indexOf('/');
      // No match: bash prints the word itself (the guard then returns nothing and keeps the word).
      const word = pat.replace(/\\(.)/g, '$1'); // the word after quote removal
      const real = (xs: string[]): string[] => (xs.length === 1 && xs[0] === word && !ns.includes(word) ? [] : xs);
      const want = [...new Set([...real(out.slice(0, cut)), ...real(out.slice(cut + 1))])].sort();
      const arg = toArg([{ text: pat, glob: true, split: false, real: true }], pat);
      let ours: string[];
      try {
        ours = arg.pattern === undefined ? [] : expandGlob(arg.pattern, path.join(dir, String(i)), budget);
      } catch (e) {
        // `[.` and `[=` inside a bracket, and a range ending in a class, are refused (the command is blocked), never guessed.
        assert.ok(e instanceof GuardError && /\[[.=]|-\[:/.test(pat), `${pat}: ${String(e)}`);
        return;
      }
      assert.deepEqual([...ours].sort(), want, `${pat} over ${JSON.stringify(ns)}`);
    });
  });
});
