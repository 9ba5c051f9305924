// A file the command reads as code (a script run or sourced, a table installed, text piped into a
// shell) after it, or a command running alongside, wrote it: the guard must judge the text that
// really runs (lib/targets/shell/written.ts). Every form is also run with real bash in a fresh copy
// of the fixture, and what bash really did to ~/.bashrc is the reference.
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decideWith } from '../../../helpers/guard-project.js';
import { bashReference, show, silent } from '../../../helpers/bash-reference.js';

const EVIL = 'echo x >> ~/.bashrc';

/** Files every run starts with, in the project: a benign script, links to it, a folder holding one. */
function prepare(project: string): void {
  fs.writeFileSync(path.join(project, 'f'), 'echo hi\n');
  fs.symlinkSync('f', path.join(project, 'lnk'));
  fs.linkSync(path.join(project, 'f'), path.join(project, 'h'));
  fs.mkdirSync(path.join(project, 'd'));
  fs.writeFileSync(path.join(project, 'd/s.sh'), 'echo hi\n');
  fs.writeFileSync(path.join(project, 'evil.sh'), `${EVIL}\n`);
  fs.writeFileSync(path.join(project, 'name.txt'), '../home/.bashrc\n');
  fs.writeFileSync(path.join(project, 'ok.txt'), 'out.log\n\n');
}

const { gp, sp, strict, reallyWrites } = bashReference(prepare);

/** Races: tried a few times, as bash may order the two sides either way. */
const writesSometimes = (cmd: string): boolean => [0, 1, 2, 3, 4].some(() => reallyWrites(cmd));


describe('a script the same command writes, then runs: its text is known and judged', () => {
  for (const cmd of [
    `cat > t.sh <<'EOF'\n${EVIL}\nEOF\nsh t.sh`,
    `printf '${EVIL}\\n' > t.sh; bash t.sh`,
    `echo '${EVIL}' > t.sh && . ./t.sh`,
    `printf '#!/bin/sh\\n${EVIL}\\n' > t.sh; chmod +x t.sh; ./t.sh`,
    `printf 'import os\\nopen(os.path.expanduser("~/.bashrc"), "a").write("x")\\n' > t.py; python3 t.py`,
    `{ echo 'echo hi'; echo '${EVIL}'; } > t.sh; sh t.sh`,
    `cat t.sh 2>/dev/null; echo '${EVIL}' >| t.sh; sh < t.sh`,
    // The next round of a loop runs what this round wrote.
    `for i in 1 2; do sh t.sh 2>/dev/null; echo '${EVIL}' > t.sh; done`,
  ]) {
    it(`deny: ${cmd.split('\n').join(' / ')}`, () => {
      assert.ok(reallyWrites(cmd), 'bash really writes ~/.bashrc');
      const v = gp.check(cmd);
      assert.equal(v.decision, 'deny', show(v));
    });
  }
  for (const cmd of [
    "cat > t.sh <<'EOF'\necho hi > out.txt\nEOF\nsh t.sh",
    "printf 'print(1)\\n' > t.py && python3 t.py",
    "printf '#!/bin/sh\\necho ok\\n' > run.sh && chmod +x run.sh && ./run.sh",
  ]) {
    it(`allow, nothing unresolved: ${cmd.split('\n').join(' / ')}`, () => {
      assert.equal(reallyWrites(cmd), false);
      const v = gp.check(cmd);
      assert.ok(silent(v), show(v));
    });
  }
});

describe('a file that exists already is not known after the call overwrites it (the write may not happen)', () => {
  for (const cmd of [`echo '${EVIL}' > f; sh f`, 'false && echo "echo hi" > evil.sh; sh evil.sh', 'echo "echo hi" < no-such-input > evil.sh; sh evil.sh',
    "set -C; echo 'echo hi' > evil.sh; sh evil.sh"]) {
    it(cmd, () => {
      assert.ok(reallyWrites(cmd), cmd);
      assert.ok(!silent(gp.check(cmd)), show(gp.check(cmd)));
      assert.equal(decideWith(sp, strict, cmd).decision, 'deny', cmd);
    });
  }
});

describe('the text is not known: never silently allowed', () => {
  for (const cmd of [
    // Changed after it was written, through a descriptor bound to it, or never a fresh file.
    `{ echo 'echo hi' > t.sh; echo '${EVIL}' >&3; } 3> t.sh; sh t.sh`,
    `{ echo 'echo hi' > t.sh; python3 -c 'import os; os.write(3, b"${EVIL}\\n")'; } 3> t.sh; sh t.sh`,
    `{ echo 'echo hi' > t.sh; printf '%d' $'\\n${EVIL}\\n'; } 2> t.sh; sh t.sh`,
    `echo 'echo hi' > t.sh; cp evil.sh t.sh; sh t.sh`,
    `echo 'echo hi' > t.sh; ln -sf evil.sh t.sh; sh t.sh`,
    `echo 'echo hi' > f; cat evil.sh >> f; sh f`,
    // Appended to an existing file: its old text stays in front.
    `echo 'echo hi' >> evil.sh; sh evil.sh`,
    // Written through another name of the same file: a link on disk, a hard link, a link made
    // by the command, a folder replaced above it.
    `echo '${EVIL}' > lnk; sh f`,
    `echo '${EVIL}' > h; sh f`,
    `ln -s f l2; echo '${EVIL}' > l2; sh f`,
    `mkdir e && echo '${EVIL}' > e/s.sh && rm -rf d && mv e d && sh d/s.sh`,
    // A program the command writes whose text is not known.
    `cp evil.sh t.sh; chmod +x t.sh; ./t.sh`,
    // Code from a process substitution, racing with a write.
    `bash <(sleep 0.3; cat f) & echo '${EVIL}' > f`,
  ]) {
    it(cmd, () => {
      assert.ok(writesSometimes(cmd), 'bash really writes ~/.bashrc');
      const v = gp.check(cmd);
      assert.ok(!silent(v), show(v));
      assert.equal(decideWith(sp, strict, cmd).decision, 'deny');
    });
  }
});

describe('read while a command running alongside rewrites it: blocked', () => {
  for (const cmd of [
    // The reader waits a moment so that bash orders the two sides the same way on a loaded machine.
    `(sleep 0.3; sh f) & echo '${EVIL}' > f`,
    `(sleep 0.3; sh f) | echo '${EVIL}' > f`,
    `sh f & echo '${EVIL}' > f`,
    `(sleep 0.1; cat f | sh) & cp evil.sh f`,
    `(sleep 0.3; sh f) & echo '${EVIL}' > h`,
  ]) {
    it(cmd, () => {
      assert.ok(writesSometimes(cmd), 'bash really writes ~/.bashrc (at least sometimes)');
      const v = gp.check(cmd);
      assert.equal(v.decision, 'deny', show(v));
    });
  }
  it('a pipeline that ends before the write, and a job that writes nothing it reads, are not concurrent rewrites', () => {
    for (const cmd of ['cat f | sh; echo "echo hi" > f', 'sh f & echo hi > other.txt; wait', 'sh d/s.sh | tee log.txt']) {
      const v = gp.check(cmd);
      assert.ok(silent(v), `${cmd}: ${show(v)}`);
    }
  });
});

describe('what a statement prints is what reaches the pipe', () => {
  for (const cmd of [
    `{ echo 'echo hi'; echo '${EVIL}' >&1; } | sh`,
    `echo '${EVIL}' 1>&1 | sh`,
    `echo '${EVIL}' >/dev/stdout | sh`,
  ]) {
    it(`deny: ${cmd}`, () => {
      assert.ok(reallyWrites(cmd), 'bash really writes ~/.bashrc');
      assert.equal(gp.check(cmd).decision, 'deny', show(gp.check(cmd)));
    });
  }
  for (const cmd of [
    // Error output joins the pipe: its text is not modeled (printf reports the bad number it got).
    `printf '%d' $'\\n${EVIL}\\n' 2>&1 | sh`,
    `printf '%d' $'\\n${EVIL}\\n' |& sh`,
    `{ echo '${EVIL}' >&2; } 2>&1 | sh`,
  ]) {
    it(`not silently allowed: ${cmd}`, () => {
      assert.ok(reallyWrites(cmd), 'bash really writes ~/.bashrc');
      assert.ok(!silent(gp.check(cmd)), show(gp.check(cmd)));
      assert.equal(decideWith(sp, strict, cmd).decision, 'deny');
    });
  }
});

describe('property: whatever sequence of writes, links and runs, a command that really writes ~/.bashrc is never silently allowed', () => {
  const steps = [
    "echo 'echo hi' > t.sh", `echo '${EVIL}' > t.sh`, `printf '${EVIL}\\n' >> t.sh`, 'cp evil.sh t.sh', 'cp f t.sh',
    'ln -sf evil.sh t.sh', 'ln -sf f t.sh', 'chmod +x t.sh', 'rm -f t.sh', 'mv evil.sh t.sh', 'sh t.sh', 'bash t.sh',
    '. ./t.sh', './t.sh', 'cat t.sh | sh', 'sh t.sh &', `echo '${EVIL}' > lnk`, 'sh f', 'wait',
  ];
  it('holds (compared with real bash)', () => {
    fc.assert(fc.property(fc.array(fc.constantFrom(...steps), { minLength: 2, maxLength: 6 }), (list) => {
      const cmd = list.join('; ').replace(/&;/g, '&');
      if (!reallyWrites(cmd)) return;
      const v = gp.check(cmd);
      assert.ok(!silent(v), `${cmd}: ${show(v)}`);
      assert.equal(decideWith(sp, strict, cmd).decision, 'deny', cmd);
    }), { numRuns: 120, seed: 7 });
  });
});

describe('$(cat FILE) and $(< FILE) are the file\'s text', () => {
  for (const cmd of [
    'eval "$(cat evil.sh)"',
    'eval "$(< evil.sh)"',
    'echo x >> "$(cat name.txt)"',
    'X=$(< name.txt); cp f "$X"',
    `echo '../home/.bashrc' > n2; echo x >> "$(cat n2)"`,
  ]) {
    it(`deny: ${cmd}`, () => {
      assert.ok(reallyWrites(cmd), 'bash really writes ~/.bashrc');
      assert.equal(gp.check(cmd).decision, 'deny', show(gp.check(cmd)));
    });
  }
  it('a name read from a file that names an ordinary file is that file (trailing newlines dropped)', () => {
    const v = gp.check('echo x >> "$(cat ok.txt)"');
    assert.ok(silent(v), show(v));
    assert.ok(v.targets.some((t) => t.path.endsWith('/out.log')), show(v));
  });
  it('a file missing now, or rewritten by a command of the call with unknown text, is not known', () => {
    for (const cmd of ['echo x >> "$(cat no-such-file)"', 'some-tool > n3; echo x >> "$(cat n3)"']) {
      assert.equal(gp.check(cmd).decision, 'deny', cmd);
    }
  });
});

describe('names not known in full', () => {
  it('a write into a new temporary name or an unset parameter is no rewrite of what a pipeline stage reads', () => {
    for (const cmd of ['t=$(mktemp); sh d/s.sh | tee "$t"', 'sh d/s.sh | tee "$HW_NOT_SET_LOG"']) {
      const v = gp.check(cmd);
      assert.notEqual(v.decision, 'deny', `${cmd}: ${show(v)}`);
      assert.ok(!v.targets.some((t) => /rewrite/.test(t.via ?? '')), `${cmd}: ${show(v)}`);
    }
  });
  it('a write whose name may be anything may rewrite it', () => {
    assert.equal(gp.check('sh f | tee "$(cat name.txt)"').decision, 'deny');
  });
});
