// Code an interpreter loads by name (lib/targets/interp/module-loads.ts, preloads.ts; issue 13):
// a module the call wrote, a preload named on the command line or in NODE_OPTIONS / PERL5OPT /
// --env-file, `python -m` from the working folder, a file the code names in a load. Each bypass
// below is first run with real bash in a fresh copy of the fixture (it really writes ~/.bashrc),
// then must not be allowed silently, and must be blocked under `unresolved: deny`. The property
// tests build random layouts, run them with the real python3 / node, and check the same whenever
// the real run wrote. Ordinary commands stay allowed with nothing unresolved.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { bashReference, show, silent } from '../../../helpers/bash-reference.js';
import { decideWith } from '../../../helpers/guard-project.js';

const PY = 'import os; open(os.path.expanduser("~/.bashrc"),"a").write("x")';
const JS = 'require("fs").appendFileSync(require("os").homedir()+"/.bashrc","x")';
const PL = 'open my $f, ">>", "$ENV{HOME}/.bashrc"; print $f "x"; 1;';
const PYW = `printf '%s\\n' '${PY}'`;
const JSW = `printf '%s\\n' '${JS}'`;
const PLW = `printf '%s\\n' '${PL}'`;
const PYV = spawnSync('python3', ['-c', 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")'], { encoding: 'utf8' }).stdout.trim();

/** A hostile repository: payloads as ordinary files (code the guard reads only when named by path or copied). */
function prepare(project: string): void {
  const put = (rel: string, text: string): void => {
    fs.mkdirSync(path.dirname(path.join(project, rel)), { recursive: true });
    fs.writeFileSync(path.join(project, rel), `${text}\n`);
  };
  put('f', 'echo hi');
  put('pre.js', JS);
  put('payload.txt', PY);
  put('runme.py', PY);
  put('tool/__main__.py', PY);
  put('tpl/__init__.py', PY);
  put('benign.py', 'def test_x():\n    assert 1');
  put('tests/__init__.py', '');
}

const ref = bashReference(prepare);
const notSilent = (cmds: string[]): void => ref.notSilent(cmds);

describe('python: modules the call wrote, imported by name', () => {
  notSilent([
    `${PYW} > e.py; python3 - <<< 'import e'`,
    `${PYW} > e.py; echo 'import e' | python3`,
    `${PYW} > e.py; python3 -S -c 'import e'`,
    `${PYW} > e.py; python3 -c 'from e import os'`,
    `mkdir -p sub; ${PYW} > sub/e.py; cd sub && python3 -c 'import e'`,
    `${PYW} > e.py; mkdir -p sub; cd sub && python3 -c 'import sys; sys.path.insert(0, ".."); import e'`,
    `mkdir -p p; touch p/__init__.py; ${PYW} > p/mod.py; python3 -c 'import p.mod'`,
    `mkdir -p p; ${PYW} > p/__init__.py; python3 -m p.x 2>/dev/null; true`,
    `${PYW} > e.py; printf 'import e\\n' > t.py; python3 t.py`,
    `cp payload.txt e.py; python3 -c 'import e'`,
    `cp payload.txt os2.py; mkdir -p lib; mv os2.py lib/e.py; PYTHONPATH=lib python3 -c 'import e'`,
    `cp -r tpl pkg; python3 -c 'import pkg'`,
    `mkdir -p ~/.local/lib/python${PYV}/site-packages; printf '%s\\n' '${PY}' > ~/.local/lib/python${PYV}/site-packages/x.pth; python3 -c 1`,
    `${PYW} > st; PYTHONSTARTUP=st python3 -i </dev/null >/dev/null 2>&1`,
    `${PYW} > x.txt; python3 -c 'import runpy; runpy.run_path("x.txt")'`,
    // The interpreter runs alongside the command that writes the module.
    `(sleep 0.3; python3 -c 'import e') & ${PYW} > e.py; wait`,
  ]);
});

describe('python -m: a module of the working folder is the script it names', () => {
  notSilent([
    'python3 -m runme',
    'python3 -m tool',
    'python3 -X dev -m runme',
  ]);
});

describe('node: preloads and modules the call wrote', () => {
  notSilent([
    `${JSW} > e.js; node --require=./e.js -e 1`,
    `${JSW} > e.js; node -e 1 -r ./e.js`,
    `${JSW} > e.js; node -p 1 --require ./e.js >/dev/null`,
    `${JSW} > e.js; export NODE_OPTIONS='--require ./e.js'; node -e 1`,
    `${JSW} > e.js; env NODE_OPTIONS='--require ./e.js' node -e 1`,
    `${JSW} > e; node -e 'require("./e")'`,
    `${JSW} > e.txt; node -e 'require("./e.txt")'`,
    `${JSW} > e.js; mkdir -p sub; cd sub && node -e 'require("../e")'`,
    `${JSW} > e.js; node --input-type=module -e 'import "./e.js"'`,
    `${JSW} > e.js; echo 'require("./e")' | node`,
    `${JSW} > e.js; cat > t.js <<'X'\nrequire("./e")\nX\nnode t.js`,
    `mkdir -p node_modules/y; ${JSW} > node_modules/y/index.js; node -r y -e 1`,
    `mkdir -p node_modules/y; ${JSW} > node_modules/y/main; printf '{"main":"main"}' > node_modules/y/package.json; node -e 'require("y")'`,
    `mkdir -p lib; ${JSW} > lib/z; NODE_PATH=lib node -e 'require("z")'`,
    // Written through a link the call made: where it lands is a search folder.
    `mkdir -p lib; ln -s lib l; ${JSW} > l/z; NODE_PATH=lib node -e 'require("z")'`,
    `${JSW} > e.js; node -e 'new (require("worker_threads").Worker)("./e.js")'`,
    `${JSW} > e.js; printf 'NODE_OPTIONS="-r ./e.js"\\n' > envf; node --env-file=envf -e 1`,
    `node --import 'data:text/javascript,import fs from "fs"; import os from "os"; fs.appendFileSync(os.homedir()+"/.bashrc","x")' -e 1`,
    // A preload named by path is read like a script, existing or not.
    'node -r ./pre.js -e 1',
    'NODE_OPTIONS=--require=./pre.js node -e 1',
    `export NODE_OPTIONS='-r ./pre.js'; node -e 1`,
    `(sleep 0.3; node -e 'require("./e")') & ${JSW} > e.js; wait`,
    // Options whose text the guard cannot know: what they preload is not known.
    `printf -- '-r ./pre.js' > opts; NODE_OPTIONS="$(cat opts)" node -e 1`,
  ]);
  it('NODE_OPTIONS from the hook\'s own environment (the agent\'s shell) is read too', () => {
    ref.gp.env.NODE_OPTIONS = '--require ./pre.js';
    try {
      const v = ref.gp.check('node -e 1');
      assert.equal(v.decision, 'deny', show(v));
    } finally {
      delete ref.gp.env.NODE_OPTIONS;
    }
    assert.ok(silent(ref.gp.check('node -e 1')));
  });
});

describe('the bound on modules read for one run (64)', () => {
  // Past it, what the rest load is not known: one unresolved write, however many files the call
  // wrote (a script running a node tool after each of many writes looked at every written module
  // at every run, and 1 MB of ordinary commands went past the 10 s budget).
  const many = (n: number, last: string): string => `mkdir -p m; for i in $(seq 1 ${n}); do echo "module.exports = $i" > m/a$i.js; done; ${last}`;
  notSilent([`${many(70, `${JSW} > e.js; node -e 'require("./e")'`)}`]);
  it('70 written modules, then a node run: the modules past the bound are code not seen', () => {
    const cmd = `${Array.from({ length: 70 }, (_, i) => `echo 'module.exports = ${i}' > m${i}.js`).join('; ')}; node -e 1`;
    const v = ref.gp.check(cmd);
    assert.equal(v.decision, 'allow', show(v));
    assert.ok(!silent(v), 'past the bound, not as nothing at all');
    assert.match(JSON.stringify(v), /more than 64 written/);
    assert.equal(decideWith(ref.sp, ref.strict, cmd).decision, 'deny');
  });
  it('a node run after fewer written modules reads each of them (nothing unresolved)', () => {
    const cmd = `${Array.from({ length: 20 }, (_, i) => `echo 'module.exports = ${i}' > m${i}.js`).join('; ')}; node -e 1`;
    const v = ref.gp.check(cmd);
    assert.ok(silent(v), show(v));
  });
});

describe('perl: modules the call wrote, loaded by name', () => {
  notSilent([
    `${PLW} > E.pm; perl -I. -ME -e 1`,
    `${PLW} > E.pm; PERL5OPT='-I. -ME' perl -e 1`,
    `${PLW} > E.pm; PERL5LIB=. perl -ME -e 1`,
    `${PLW} > x.txt; perl -e 'do "./x.txt"'`,
  ]);
});

// ruby and php are not installed here (nor in CI): these check the guard's side only, with code
// that writes ~/.bashrc when the module is walked. Each fails when the module is not read.
describe('ruby and php: the guard reads what they load by name (no real interpreter here)', () => {
  const RB = `printf '%s\\n' 'File.open(File.join(Dir.home, ".bashrc"), "a") { |f| f.write("x") }'`;
  const PHP = `printf '%s\\n' '<?php file_put_contents(getenv("HOME") . "/.bashrc", "x", FILE_APPEND);'`;
  for (const cmd of [
    `${RB} > e.rb; ruby -r ./e.rb -e 1`,
    `${RB} > e.rb; RUBYOPT=-r./e.rb ruby -e 1`,
    `${RB} > e.rb; ruby -I. -re -e 1`,
    `${RB} > x.txt; ruby -e 'load "./x.txt"'`,
    `${RB} > Rakefile; rake`,
    `${PHP} > e.php; php -d auto_prepend_file=e.php -r 1`,
    `${PHP} > e.inc; php -r 'include "e.inc";'`,
  ]) {
    it(cmd, () => {
      const v = ref.gp.check(cmd);
      assert.ok(!silent(v), show(v));
      assert.equal(decideWith(ref.sp, ref.strict, cmd).decision, 'deny');
    });
  }
});

// The real tools may be missing on a bare machine (CI installs neither): those tests are skipped then.
const found = (cmd: string): boolean => spawnSync('sh', ['-c', `${cmd} >/dev/null 2>&1`]).status === 0;
describe('programs written in an interpreted language load the modules the call wrote (pytest)', { skip: !found('pytest --version') && 'pytest not installed' }, () => {
  notSilent([
    `${PYW} > conftest.py; pytest -q >/dev/null 2>&1; true`,
    `cp payload.txt conftest.py; pytest -q >/dev/null 2>&1; true`,
  ]);
});
describe('programs written in an interpreted language load the modules the call wrote (prove)', { skip: !found('command -v prove') && 'prove not installed' }, () => {
  notSilent([`mkdir -p t; ${PLW} > t/a.t; prove >/dev/null 2>&1; true`]);
});

describe('ordinary commands stay allowed with nothing unresolved', () => {
  const quiet = [
    "python3 -c 'import json; print(1)'",
    "cat > t.py <<'EOF'\ndef test_x():\n    assert 1\nEOF\npython3 -m pytest t.py",
    "node -e 'require(\"fs\")'",
    'npm test',
    'npm run build && npm test',
    "echo hi > out.txt; python3 -c 'print(1)'",
    "cat > util.js <<'EOF'\nmodule.exports = 1\nEOF\nnode -e 'console.log(require(\"./util\"))'",
    'node -r dotenv/config -e 1',
    'python3 -m venv .venv && python3 -m pip install -r requirements.txt',
    'mkdir -p build && echo x > build/out.txt && node -e 1',
    'python3 -m benign',
    'python3 -m tests',
    'cp benign.py b2.py && python3 -m pytest b2.py',
    "cat > test_a.py <<'EOF'\ndef test_a():\n    assert 1\nEOF\npytest -q test_a.py",
    'echo x > out.txt; ls; git status; make -n',
    'cp benign.py b3.py; npm test',
  ];
  for (const cmd of quiet) {
    it(cmd.split('\n').join(' / '), () => {
      const v = ref.gp.check(cmd);
      if (cmd.includes('b2.py')) {
        // A copy's text is not known: allowed by default, but not as nothing at all.
        assert.equal(v.decision, 'allow', show(v));
        return;
      }
      assert.ok(silent(v), show(v));
    });
  }
});

// A random layout: a module `name` written where a search reaches it, imported through a random
// form. Whenever the real interpreter writes ~/.bashrc, the guard must not allow it silently.
const ident = fc.constantFrom('e', 'json', 'util', 'pkg', 'sitecustomize', 'tests');
/** A command bash really ran to a write of ~/.bashrc: not silent, and blocked under `unresolved: deny`. */
function caughtWhenItWrites(cmd: string): void {
  if (!ref.reallyWrites(cmd)) return;
  const v = ref.gp.check(cmd);
  assert.ok(!silent(v), `${cmd}: ${show(v)}`);
  assert.equal(decideWith(ref.sp, ref.strict, cmd).decision, 'deny', cmd);
}

describe('property: python imports by name, against the real python3', () => {
  it('every layout that really writes is not silent and blocked under unresolved: deny', () => {
    fc.assert(fc.property(ident, fc.constantFrom('', 'sub/', 'lib/'), fc.boolean(), fc.constantFrom('c', 'm', 'stdin', 'script', 'pythonpath'), (name, dir, asPkg, form) => {
      const file = asPkg ? `${dir}${name}/__init__.py` : `${dir}${name}.py`;
      const write = `mkdir -p ${path.dirname(`x/${file}`).slice(2) || '.'}; ${PYW} > ${file}; `;
      const cd = dir === 'sub/' ? 'cd sub && ' : '';
      const pp = dir === 'lib/' ? 'PYTHONPATH=lib ' : '';
      const run = form === 'c' ? `${cd}${pp}python3 -c 'import ${name}'`
        : form === 'm' ? `${cd}${pp}python3 -m ${name}`
          : form === 'stdin' ? `${cd}echo 'import ${name}' | ${pp}python3`
            : form === 'script' ? `printf 'import ${name}\\n' > t.py; ${cd}${pp}python3 ${cd ? '../' : ''}t.py`
              : `PYTHONPATH=${dir || '.'} python3 -c 1`;
      caughtWhenItWrites(`${write}${run} >/dev/null 2>&1; true`);
    }), { numRuns: 25 });
  });
});

describe('property: node loads by name, against the real node', () => {
  it('every layout that really writes is not silent and blocked under unresolved: deny', () => {
    fc.assert(fc.property(fc.constantFrom('e', 'e.js', 'e.cjs', 'e.txt', 'node_modules/y/index.js', 'lib/z'), fc.constantFrom('require', 'r', 'import', 'options', 'nodepath'), (file, form) => {
      const spec = file.startsWith('node_modules/y/') ? 'y' : file.startsWith('lib/') ? 'z' : `./${file}`;
      const write = `mkdir -p ${path.dirname(file)}; ${JSW} > ${file}; `;
      const run = form === 'require' ? `node -e 'require("${spec}")'`
        : form === 'r' ? `node -r ${spec} -e 1`
          : form === 'import' ? `node --import ${spec} -e 1`
            : form === 'options' ? `NODE_OPTIONS='--require ${spec}' node -e 1`
              : `NODE_PATH=lib node -e 'require("${spec}")'`;
      caughtWhenItWrites(`${write}${run} >/dev/null 2>&1; true`);
    }), { numRuns: 25 });
  });
});
